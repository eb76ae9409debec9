"""An analyst's morning in real Chromium: sign in, open the queue, review a seed-article hit,
dismiss it with a note, find it in the history and the audit; and hostile article text."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import Site
from tests.web.conftest import DASHBOARD_PASSWORD
from tests.web.dashboard import add_article


@pytest.fixture
def signed_in(chromium: WebDriver, site: Site) -> WebDriver:
    chromium.delete_all_cookies()
    chromium.set_window_size(1280, 1000)
    chromium.get(site.url + "/login")
    chromium.find_element(By.ID, "name").send_keys("analyst")
    chromium.find_element(By.ID, "password").send_keys(DASHBOARD_PASSWORD)
    chromium.find_element(By.ID, "password").send_keys(Keys.ENTER)
    assert chromium.find_element(By.TAG_NAME, "h1").text == "Review queue"
    return chromium


def test_analyst_dismisses_a_seed_hit_and_finds_it_audited(
    signed_in: WebDriver, site: Site, artifacts: Path
) -> None:
    browser = signed_in
    waiting = browser.find_element(By.ID, "waiting-count").text
    assert int(waiting) > 0
    row = browser.find_element(By.XPATH, "//tr[th/a[text()='MKRTYCHEV, Ashot']]")
    row.find_element(By.PARTIAL_LINK_TEXT, "Review").send_keys(Keys.ENTER)

    mention = browser.find_element(By.CSS_SELECTOR, ".sentence mark.current")
    assert "Mkrtychev" in mention.text
    assert browser.find_element(By.ID, "mention").text == mention.text
    background = mention.value_of_css_property("background-color")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet loaded
    assert "matched to the listed name “MKRTYCHEV, Ashot”" in browser.page_source
    source = browser.find_element(By.LINK_TEXT, "source URL").get_attribute("href")
    assert source and source.startswith("https://news.example/article-")
    full = browser.get_window_size()
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(full["width"], min(height + 120, 4000))
    browser.save_screenshot(str(artifacts / "hit-view.png"))
    browser.set_window_size(1280, 1000)

    browser.set_window_size(1280, 900)
    onward = browser.find_element(By.XPATH, "//button[normalize-space()='Dismiss & next']")
    assert in_view(browser, onward)  # no scrolling to decide
    heading = browser.find_element(By.TAG_NAME, "h1").text
    Select(browser.find_element(By.ID, "reason")).select_by_value("different_person")
    browser.find_element(By.ID, "note").send_keys("Another Ashot; not the broker.")
    onward.send_keys(Keys.ENTER)  # from the keyboard, as the focus order allows

    status = browser.find_element(By.CSS_SELECTOR, ".messages").text
    assert "dismissed as false positive: a different person" in status
    assert in_view(browser, browser.find_element(By.CSS_SELECTOR, ".messages"))
    assert browser.find_element(By.TAG_NAME, "h1").text != heading  # the next open hit

    browser.find_element(By.LINK_TEXT, "Audit").send_keys(Keys.ENTER)
    first = browser.find_element(By.CSS_SELECTOR, "table.audit tbody tr").text
    assert "user:analyst" in first and "Another Ashot; not the broker." in first
    assert "False positive: a different person" in first
    counts = browser.find_element(By.CSS_SELECTOR, "table.reason-counts").text
    assert "False positive: a different person 1" in counts


def in_view(browser: WebDriver, element: WebElement) -> bool:
    box = browser.execute_script("return arguments[0].getBoundingClientRect()", element)
    height = browser.execute_script("return window.innerHeight")
    return bool(0 <= box["top"] and box["bottom"] <= height)


def test_on_a_phone_the_decision_comes_before_the_entity_record(
    signed_in: WebDriver, site: Site
) -> None:
    browser = signed_in
    (hit_id,) = add_article(site.settings, "Ashot Mkrtychev was seen in Minsk.", title="Phone")
    browser.set_window_size(390, 844)
    browser.get(f"{site.url}/hits/{hit_id}")
    decide = browser.find_element(By.XPATH, "//button[normalize-space()='Confirm & next']")
    record = browser.find_element(By.ID, "entity-h")
    assert decide.rect["y"] < record.rect["y"]
    browser.set_window_size(1280, 1000)


def test_search_finds_a_misspelt_name_and_a_passport_and_the_entity_charts_its_hits(
    signed_in: WebDriver, site: Site, artifacts: Path
) -> None:
    browser = signed_in
    add_article(site.settings, "Ashot Mkrtychev met officials.", title="Chart")
    browser.find_element(By.LINK_TEXT, "Search").send_keys(Keys.ENTER)
    for written in ("Mkrtichev", "bd 384-3329"):
        box = browser.find_element(By.ID, "q")
        box.clear()
        box.send_keys(written, Keys.ENTER)
        first = browser.find_element(By.CSS_SELECTOR, "table.search-results tbody tr")
        assert first.find_element(By.TAG_NAME, "th").text == "MKRTYCHEV, Ashot", written
    assert "passport BD3843329" in first.text
    browser.save_screenshot(str(artifacts / "search.png"))

    first.find_element(By.LINK_TEXT, "MKRTYCHEV, Ashot").send_keys(Keys.ENTER)
    chart = browser.find_element(By.CSS_SELECTOR, "figure.chart svg")
    assert browser.execute_script("return arguments[0].getAttribute('viewBox')", chart) == (
        "0 0 640 220"
    )
    bars = chart.find_elements(By.TAG_NAME, "rect")
    assert bars and all(bar.size["height"] >= 0 for bar in bars)
    assert max(bar.size["height"] for bar in bars) > 0
    browser.save_screenshot(str(artifacts / "entity.png"))


def test_hostile_article_shows_markup_as_text_and_runs_nothing(
    signed_in: WebDriver, site: Site
) -> None:
    body = (
        "Ashot Mkrtychev was named in a post that read "
        "<script>window.pwned = 'script';document.title = 'PWNED'</script> and "
        "<img src=x onerror=\"window.pwned = 'img'\"> in full."
    )
    hits = add_article(site.settings, body, title="<script>window.pwned='title'</script>")
    browser = signed_in
    browser.get(f"{site.url}/hits/{hits[0]}")
    text = browser.find_element(By.CSS_SELECTOR, ".article-text").text
    assert "<script>window.pwned = 'script';" in text
    assert "<img src=x onerror=\"window.pwned = 'img'\">" in text
    origin = browser.find_element(By.CSS_SELECTOR, ".sentence + p a[href*='/articles/']")
    assert origin.text == "<script>window.pwned='title'</script>"
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert browser.find_elements(By.CSS_SELECTOR, ".article-text img, main script") == []
    assert "PWNED" not in browser.title
    browser.get(f"{site.url}/articles/{_article_of(browser)}")
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []


def _article_of(browser: WebDriver) -> str:
    href = browser.find_element(By.CSS_SELECTOR, ".sentence + p a[href*='/articles/']")
    return str(href.get_attribute("href")).rsplit("/", 1)[-1]


def test_keyboard_users_skip_to_the_content(signed_in: WebDriver) -> None:
    browser = signed_in
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "Skip to main content"
    focused.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    labels = browser.execute_script(
        "return [...document.querySelectorAll('main select, main input:not([type=hidden])')]"
        ".filter(e => !e.labels || e.labels.length === 0).map(e => e.name)"
    )
    assert labels == []


def test_a_narrow_screen_needs_no_sideways_scrolling(signed_in: WebDriver, site: Site) -> None:
    browser = signed_in
    browser.set_window_size(390, 900)
    for path in ("/", "/hits/1", "/overview"):
        browser.get(site.url + path)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, path
    browser.set_window_size(1280, 1000)
