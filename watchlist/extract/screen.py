"""Screening a text: find every listed name in it, with its sentence and exact offsets.

Each candidate span goes through the matching engine (titles peeled first, then as written).
Within one text, a surname alone after a full mention resolves to the entity named in full
(`Mr. Mkrtychev`); a distinctive listed surname alone is a hit on its own (`Shoigu made the
request`); a common one (`Kim`) is not. A run that is not one listed name is screened as the
names it joins (`Mr. Farzat and Mexglobo`). Listed person names are also found where
capitalisation fails (`mkrtychev`), but never inside another word.
"""

from __future__ import annotations

import dataclasses
from typing import Final

from mypy_extensions import mypyc_attr

from watchlist.extract.spans import Span, Word, WordSpotter, candidate_spans, split_at
from watchlist.extract.text import PreparedText, prepare
from watchlist.extract.words import COURTESY_TITLES, SENTENCE_WORDS
from watchlist.matching.matcher import Matcher
from watchlist.matching.model import Explanation, Feature, Match
from watchlist.matching.normalize import tokenize


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True)
class TextHit:
    """A listed entity mentioned in a text: where, in which sentence, and why it matched."""

    start: int
    end: int
    text: str
    sentence: str
    sentence_start: int
    entity_id: int
    matched_name: str
    score: float
    explanation: Explanation
    route: str  # name, surname after full mention, distinctive surname

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        sentence: str,
        sentence_start: int,
        entity_id: int,
        matched_name: str,
        score: float,
        explanation: Explanation,
        route: str,
    ) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "sentence", sentence)
        object.__setattr__(self, "sentence_start", sentence_start)
        object.__setattr__(self, "entity_id", entity_id)
        object.__setattr__(self, "matched_name", matched_name)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "explanation", explanation)
        object.__setattr__(self, "route", route)


def screen_text(text: str, matcher: Matcher) -> list[TextHit]:
    """Every mention of a listed entity in `text`, in reading order."""
    prepared = prepare(text)
    lower_words: list[tuple[Word, tuple[int, int]]] = []
    spans = candidate_spans(prepared.text, lower_words, _surname_spotter(matcher))
    spans += [Span(w.start, w.end, (w,), sentence, w.text) for w, sentence in lower_words]
    spans.sort(key=lambda span: span.start)
    hits: list[TextHit] = []
    named: dict[str, TextHit] = {}  # surname -> the hit naming its person in full
    others: set[str] = set()  # surnames of people named in full who are not listed
    for span in spans:
        hits += _screen_run(prepared, span, matcher, named, others)
    return hits


def _screen_run(
    prepared: PreparedText,
    span: Span,
    matcher: Matcher,
    named: dict[str, TextHit],
    others: set[str],
) -> list[TextHit]:
    """The hits of a run: as one name, else as the names it joins, read the way that finds the
    most, then the best (`Cubacancun Cigars and Gift Shops and Mexglobo` at its second `and`,
    `Officials of Wagner Group` at `of`)."""
    hit = _screen_span(prepared, span, matcher, named, others)
    if hit is not None:
        _remember_surnames(hit, matcher, named)
        return [hit]
    best: tuple[list[TextHit], dict[str, TextHit], set[str]] | None = None
    for parts in _readings(span, prepared.text):
        tried_named, tried_others = dict(named), set(others)
        found = [
            found_hit
            for part in parts
            for found_hit in _screen_run(prepared, part, matcher, tried_named, tried_others)
        ]
        if best is None or _weight(found) > _weight(best[0]):
            best = (found, tried_named, tried_others)
    if best is None:
        if len(span.words) >= 2:
            others.add(_fold(span.words[-1].text))
        return []
    found, tried_named, tried_others = best
    named.update(tried_named)  # both only ever grow: the reading's state replaces them
    others.update(tried_others)
    return found


def _readings(span: Span, text: str) -> list[list[Span]]:
    """Ways to read a run as two names, one per joining word (`and`, `of`, `for`, `the`) it
    holds: `Mr. Farzat | Mexglobo`, `Officials | Wagner Group`. Each side may be split again;
    a run holding more than `_MAX_JOINS` is read once, split at all of them (bounded work)."""
    joins = [i for i, word in enumerate(span.words) if word.text.lower() in _JOINING]
    if len(joins) > _MAX_JOINS:
        return [split_at(span, joins, text)]
    readings = [split_at(span, (i,), text) for i in joins]
    return [parts for parts in readings if parts]


_JOINING: Final = frozenset({"and", "of", "for", "the"})
_MAX_JOINS: Final = 4


def _weight(hits: list[TextHit]) -> tuple[int, float]:
    return len(hits), sum([hit.score for hit in hits], 0.0)


_SPOTTED_LENGTH: Final = 6  # lower-case words shorter than this are never spotted


def _surname_spotter(matcher: Matcher) -> WordSpotter:
    """Finds listed surnames written in lower case (`mkrtychev`); one per matcher."""

    def make() -> WordSpotter:
        surnames = matcher.distinctive_surnames()
        return WordSpotter(lambda word: _fold(word) in surnames, shortest=_SPOTTED_LENGTH)

    return matcher.derived("lower-case surname spotter", make)


def _screen_span(
    prepared: PreparedText,
    span: Span,
    matcher: Matcher,
    named: dict[str, TextHit],
    others: set[str],
) -> TextHit | None:
    peeled = span.without_titles()
    surname = _lone_surname(peeled or span)
    if surname is not None and len(surname.text) < 2:  # one letter alone: an initial, a label
        return None
    threshold = matcher.settings.text_threshold
    for candidate in (span,) if peeled is None else (peeled, span):
        if surname is not None:  # one word: only a whole listed name, written exactly
            exact = [m for m in matcher.lookup_exact(candidate.key) if m.score >= threshold]
            match = _best(exact)
        elif matcher.worth_looking_up(candidate.key):
            match = matcher.best_match(candidate.key, threshold)
        else:
            match = None
        if match is not None and (surname is None or _whole_name(match, span, prepared)):
            return _hit(prepared, candidate, match, "name")
    if surname is None:
        return None
    folded = _fold(surname.text)
    earlier = named.get(folded)
    if earlier is not None:
        return _resolved(prepared, span, earlier, matcher)
    if folded in others:  # "Kallas" after "Kaja Kallas", who is not listed
        return None
    return _distinctive(prepared, span, surname, matcher)


def _best(matches: list[Match]) -> Match | None:
    return matches[0] if matches else None


def _whole_name(match: Match, span: Span, prepared: PreparedText) -> bool:
    """A one-word mention is a hit only as a whole listed name, written exactly, and not as
    a capitalised first word of a sentence (`Read more`, `Late last year`)."""
    explanation = match.explanation
    exact = all(pair.how in ("exact", "legal form") for pair in explanation.alignment)
    unmatched = [t for t in explanation.unmatched_listed if not t.startswith("~")]  # legal forms
    whole = not unmatched and not explanation.unmatched_query
    weak = match.name_kind == "weak_aka"
    opening = prepared.text[span.sentence[0] : span.start].strip(" \t\n\"'(") == ""
    return (exact and whole or weak) and not opening


def _lone_surname(peeled: Span) -> Word | None:
    """The one name word of `Putin`, `Mr. Putin`, `President Putin` (titles peeled)."""
    found = None
    for word in peeled.words:
        if word.text.lower().rstrip(".") in COURTESY_TITLES:
            continue
        if found is not None:  # a second name word: not one alone
            return None
        found = word
    if found is None or found.text.lower() in SENTENCE_WORDS:
        return None
    return found


def _hit(prepared: PreparedText, span: Span, match: Match, route: str) -> TextHit:
    start, end = prepared.original_span(span.start, span.end)
    sentence_start, sentence_end = prepared.original_span(*span.sentence)
    sentence = prepared.original[sentence_start:sentence_end]
    lead = len(sentence) - len(sentence.lstrip())
    return TextHit(
        start=start,
        end=end,
        text=prepared.original[start:end],
        sentence=sentence.strip(),
        sentence_start=sentence_start + lead,
        entity_id=match.entity_id,
        matched_name=match.matched_name,
        score=match.score,
        explanation=match.explanation,
        route=route,
    )


def _remember_surnames(hit: TextHit, matcher: Matcher, named: dict[str, TextHit]) -> None:
    """After `Ashot Mkrtychev`, a later `Mkrtychev` means him."""
    if hit.route != "name" or len(tokenize(hit.text)) < 2:
        return
    surnames = matcher.surnames_of(hit.entity_id)
    for pair in hit.explanation.alignment:
        if pair.listed in surnames:
            named.setdefault(pair.query, hit)


def _resolved(prepared: PreparedText, span: Span, earlier: TextHit, matcher: Matcher) -> TextHit:
    score = min(earlier.score, matcher.settings.surname_only_score + 0.1)
    feature = Feature(
        "surname after full mention",
        1.0,
        score,
        f"'{earlier.text}' was named in full earlier in the text",
    )
    full = earlier.explanation  # rebuilt here: dataclasses.replace is Python code
    explanation = Explanation(
        alignment=full.alignment,
        features=(feature,),
        unmatched_query=full.unmatched_query,
        unmatched_listed=full.unmatched_listed,
    )
    match = Match(earlier.entity_id, earlier.matched_name, "primary", score, explanation)
    return _hit(prepared, span, match, "surname after full mention")


def _distinctive(
    prepared: PreparedText, span: Span, surname: Word, matcher: Matcher
) -> TextHit | None:
    holders = matcher.surname_holders(surname.text)
    if not holders:
        return None
    entity_id = holders[0]
    score = matcher.settings.surname_only_score
    listed = matcher.primary_name(entity_id)
    detail = f"'{surname.text}' is a distinctive surname held by few listed names"
    if len(holders) > 1:
        detail += f"; {listed} is the one the others ({len(holders) - 1}) are linked to"
    explanation = Explanation(
        alignment=(),
        features=(Feature("distinctive surname alone", 1.0, score, detail),),
        unmatched_query=(),
        unmatched_listed=(),
    )
    match = Match(entity_id, listed, "primary", score, explanation)
    return _hit(prepared, span, match, "distinctive surname")


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    tokens = tokenize(text)
    return tokens[0] if tokens else ""
