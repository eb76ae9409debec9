"""Screening: names and texts checked against the registry, and what was found kept.

- `matchers`: the matcher built from the registry and rebuilt when the lists change.
- `records`: what it is built from (names and profiles, from the registry or a parsed list).
- `answers`: a match and its explanation as the API and `--json` show them.
- `hits`: screening an article's text, storing its hits with the list state they used.
- `explanations`: a hit's score explanation told in an analyst's words.
- `lexicon`: the word facts the matcher weighs lone words with.
- `audit`: the screening audit log (who screened what, when, and what came back).

May import the registry, review's suppression rules (`watchlist.review.decisions`), the
matching and extraction core, parsed lists (`watchlist.sources.parsed`, to build a matcher
straight from a file), the models and the shared modules; never lists, articles or the scan.
"""
