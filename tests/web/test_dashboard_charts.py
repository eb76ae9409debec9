"""Chart geometry: columns stack inside the plot, bars scale to the largest value."""

from __future__ import annotations

from web.dashboard import charts


def test_columns_stack_and_fit_the_plot() -> None:
    chart = charts.columns("Changes", [("v1", [3, 1]), ("v2", [0, 0]), ("v3", [10, 0])],
                           ["added", "delisted"])  # fmt: skip
    assert len(chart.rects) == 3  # zero values draw nothing
    tallest = max(chart.rects, key=lambda r: r.height)
    assert tallest.title == "v3: 10 added"
    assert tallest.y >= charts.TOP - 0.01
    assert all(r.y + r.height <= charts.HEIGHT - charts.BOTTOM + 0.01 for r in chart.rects)
    assert [g.text for g in chart.gridlines] == ["0", "5", "10"]
    assert chart.table_rows == [["v1", "3", "1"], ["v3", "10", "0"]]


def test_an_empty_chart_says_so() -> None:
    assert charts.columns("Nothing", [("d1", [0])], ["hits"]).empty
    assert charts.bars("Nothing", [], "hits").empty


def test_bars_scale_to_the_largest_value() -> None:
    chart = charts.bars("Programs", [("US OFAC DPRK", 10), ("UN 1718", 5)], "hits")
    first, second = chart.rects
    assert abs(second.width * 2 - first.width) < 0.01
    assert [label.text for label in chart.labels] == ["US OFAC DPRK", "10", "UN 1718", "5"]
