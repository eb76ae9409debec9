"""A hit's score explanation (the JSON the matcher records) told in an analyst's words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

HOW = {
    "exact": "exactly",
    "transliteration": "as a transliteration variant",
    "initial": "as an initial",
    "fuzzy": "closely, as a likely spelling variant",
    "legal form": "as the same legal form",
}
# Features whose detail already reads as a sentence, or that are summed up elsewhere.
QUIET = {"query coverage", "listed coverage", "name similarity"}


def describe(
    explanation: Mapping[str, Any],
    *,
    mention: str,
    matched_name: str,
    score: float,
    threshold: float,
) -> list[str]:
    """Sentences saying why `mention` was taken for the listed `matched_name`."""
    lines = [f"“{mention}” in the article was matched to the listed name “{matched_name}”."]
    alignment = _alignment(explanation.get("alignment", ()))
    if alignment:
        lines.append(alignment)
    lines += _unmatched(explanation)
    lines += [_feature(f) for f in explanation.get("features", ()) if _speaks(f)]
    lines.append(f"Score {score:.2f} of 1.00; an article mention is reported from {threshold:.2f}.")
    return lines


def _alignment(pairs: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for pair in pairs:
        how = HOW.get(str(pair.get("how")), str(pair.get("how", "")))
        similarity = float(pair.get("similarity", 0.0))
        detail = f" ({similarity:.0%} alike)" if pair.get("how") == "fuzzy" else ""
        parts.append(f"“{pair.get('query')}” matched listed “{pair.get('listed')}” {how}{detail}")
    return "; ".join(parts) + "." if parts else ""


def _unmatched(explanation: Mapping[str, Any]) -> list[str]:
    lines = []
    query = [str(token) for token in explanation.get("unmatched_query", ())]
    listed = [str(token) for token in explanation.get("unmatched_listed", ())]
    if query:
        lines.append(f"Not in the listed name: {_quoted(query)}.")
    if listed:
        lines.append(f"Parts of the listed name not in the article: {_quoted(listed)}.")
    return lines


def _speaks(feature: Mapping[str, Any]) -> bool:
    return str(feature.get("name")) not in QUIET


def _feature(feature: Mapping[str, Any]) -> str:
    name = str(feature.get("name", "")).capitalize()
    detail = str(feature.get("detail", "")).rstrip(".")
    contribution = float(feature.get("contribution", 0.0))
    effect = ""
    if contribution < 0:
        effect = f" (lowers the score by {-contribution:.2f})"
    elif contribution > 0:
        effect = f" (gives {contribution:.2f})"
    return f"{name}: {detail}{effect}."


def _quoted(tokens: Sequence[str]) -> str:
    return ", ".join(f"“{token}”" for token in tokens)
