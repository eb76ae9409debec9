"""Review: analysts deciding on hits, and the reports over their decisions.

- `decisions`: finding hits, deciding on them, and suppression rules that silence a name.
- `queue`: the review queue, grouped by entity and story, and the way to the next open hit.
- `counts`: hit counts for the dashboard's charts.
- `decision_log`: who decided what, and dismissals by reason.
- `export`: the hits with their decisions as CSV.
- `answers`: a stored hit with its decisions, as the API shows it.

May import the registry, the matching core (names are folded as the matcher folds them), the
models and the shared modules; never screening, lists, articles or the scan.
"""
