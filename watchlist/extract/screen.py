"""Screening a text: find every listed name in it, with its sentence and exact offsets.

Each candidate span goes through the matching engine (titles peeled first, then as written).
Within one text, a surname alone after a full mention resolves to the entity named in full
(`Mr. Mkrtychev`); a distinctive listed surname alone is a hit on its own (`Shoigu made the
request`); a common one (`Kim`) is not. A run that is not one listed name is screened as the
names it joins (`Mr. Farzat and Mexglobo`). Listed person names are also found where
capitalisation fails (`mkrtychev`), but never inside another word.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from typing import Final

from mypy_extensions import mypyc_attr

from watchlist.extract.spans import (
    Span,
    Word,
    WordSpotter,
    candidate_spans,
    is_possessive,
    split_after,
    split_at,
)
from watchlist.extract.text import PreparedText, prepare
from watchlist.extract.words import COURTESY_TITLES, SENTENCE_WORDS, TITLE_WORDS
from watchlist.matching.analysis import HONORIFICS, TITLE_REACH, is_legal_form
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
    route: str  # name, refers to a full mention, distinctive surname alone

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
    """Every mention of a listed entity in `text`, in reading order.

    Names of two words or more are screened first, in reading order; then every name word
    standing alone, which may refer to any of them, before or after it (a headline's
    `Lukashenko warns` is read with the `Alexander Lukashenko` of the second paragraph).
    """
    prepared = _recased(prepare(text), matcher)
    lower_words: list[tuple[Word, tuple[int, int]]] = []
    spans = candidate_spans(prepared.text, lower_words, _surname_spotter(matcher))
    spans += [Span(w.start, w.end, (w,), sentence, w.text) for w, sentence in lower_words]
    spans.sort(key=lambda span: span.start)
    mentions = Mentions()
    hits: list[TextHit] = []
    alone: list[tuple[Span, Word]] = []
    for span in spans:
        word = _lone_word(_peeled(span, matcher))
        if word is None:
            hits += _screen_run(prepared, span, matcher, mentions)
        elif _place_by_context(prepared.text, span, matcher):
            mentions.add(_fold(word.text), span.start, None)
        else:
            alone.append((span, word))
    found = [
        (span, word, _screen_alone(prepared, span, word, matcher, mentions)) for span, word in alone
    ]
    if _remember_firms_alone(found, matcher, mentions):  # `Sberbank`, then `Sber`
        found = [
            (span, word, hit or _screen_alone(prepared, span, word, matcher, mentions))
            for span, word, hit in found
        ]
    hits += [hit for _, _, hit in found if hit is not None]
    for span in mentions.unnamed:
        hits += _referring_words(prepared, span, matcher, mentions)
    hits.sort(key=lambda hit: hit.start)
    return hits


def _referring_words(
    prepared: PreparedText, span: Span, matcher: Matcher, mentions: Mentions
) -> list[TextHit]:
    """The words of a headline-like run that named nobody as a whole (`Lukashenko Warns`)
    that refer to a listed party the text names in full."""
    found = []
    for word in span.words:
        named, earlier = mentions.nearest(_fold(word.text), word.start)
        if named and earlier is not None:
            part = Span(word.start, word.end, (word,), span.sentence, word.text)
            found.append(_resolved(prepared, part, earlier, matcher))
    return found


def _recased(prepared: PreparedText, matcher: Matcher) -> PreparedText:
    """The text with its lines written in capitals (wire bulletins, headlines) read as if in
    mixed case: everyday words in lower case, the others capitalised, so that names stand out
    as they do in ordinary text. Letters change case only where that keeps the length, so
    offsets hold."""
    text = prepared.text
    if _CAPITALS.search(text) is None:  # no three capitalised words in a row: nothing to do
        return prepared
    lines = text.splitlines(keepends=True)
    recased = "".join(_recase(line, matcher) if _shouting(line) else line for line in lines)
    return PreparedText(prepared.original, recased, prepared.origin)


_CAPITALS: Final = re.compile(r"[A-Z][A-Z'’-]+[ ,]+[A-Z][A-Z'’-]+[ ,]+[A-Z]{2}")
_WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SHOUTING_SHARE: Final = 0.8  # of a line's letters in capitals
_SHOUTING_LETTERS: Final = 12


def _shouting(line: str) -> bool:
    letters = [char for char in line if char.isalpha()]
    if len(letters) < _SHOUTING_LETTERS:
        return False
    return sum(1 for char in letters if char.isupper()) >= _SHOUTING_SHARE * len(letters)


def _recase(line: str, matcher: Matcher) -> str:
    return _WORD.sub(lambda match: _recase_word(match.group(), matcher), line)


def _recase_word(word: str, matcher: Matcher) -> str:
    lowered = word.lower()
    if len(lowered) != len(word):
        return word
    if _everyday(re.split("['’]", lowered, maxsplit=1)[0], matcher):  # RUSSIA'S: russia
        return lowered
    return lowered[:1].upper() + lowered[1:]


def _everyday(word: str, matcher: Matcher) -> bool:
    """A common word of the language (`met`, `said`, `in`, `friday`), unless it is a place,
    a nationality or a name people carry (`Russia`, `Kim`), or many listed names hold it, as
    they hold the words firms are named with (`group`, `bank`)."""
    lexicon = matcher.lexicon
    if word in SENTENCE_WORDS or word in lexicon.calendar:
        return True
    if len(word) < 3 or not lexicon.common_word(word):
        return False  # `UN`, `US` stay as they are
    if word in lexicon.places or word in lexicon.nationalities:
        return False
    if lexicon.name_share.get(word, 0.0) >= _NAME_MORE_THAN_WORD:
        return False
    return matcher.index.frequency(word) < max(_NAMING_WORD, _NAMING_SHARE * matcher.index.size)


_NAMING_WORD: Final = 50  # listed names holding a word that names firms, at the fewest
# A name carried by this share of people (Kim, West) is read as a name though English uses
# the word often; a rarer one (Said) as the word.
_NAME_MORE_THAN_WORD: Final = 1e-4
_NAMING_SHARE: Final = 0.005


_FOLLOWING_WORD: Final = re.compile(r"\s*,\s*([^\W\d_]+)")


def _place_by_context(text: str, span: Span, matcher: Matcher) -> bool:
    """Whether the text shows a word to be a place: followed by a comma and a country or
    region, as in a dateline (`MAHALA, Bosnia`) or `Nice, France`. Alone elsewhere in the
    text, the word then means that place."""
    following = _FOLLOWING_WORD.match(text, span.end)
    return following is not None and _fold(following.group(1)) in matcher.lexicon.places


class Mentions:
    """Who a text names in full, by the words that may stand for them alone elsewhere in it:
    a listed party's hit (`Mkrtychev` for `Ashot Mkrtychev`, `Wagner` for `Wagner Group`),
    or nobody listed (`Kallas` for `Kaja Kallas`). A word alone means the nearest full
    mention before it, else the nearest after it.

    A way of reading a run is tried on a `trial` of these mentions, which sees them and
    keeps its own; the reading chosen is `adopt`ed. Mentions of a word are kept in the order
    of the text, so the nearest is found by bisection: the work per word stays bounded in
    long texts.
    """

    def __init__(self, parent: Mentions | None = None) -> None:
        self.parent = parent
        self.starts: dict[str, list[int]] = {}
        self.hits: dict[str, list[TextHit | None]] = {}
        self.short_forms: dict[str, set[str]] = {}  # `sber` -> organisations' words it begins
        # Runs that named nobody as a whole: each of their words may still refer to a full
        # mention made elsewhere (a headline's `Lukashenko Warns`).
        self.unnamed: list[Span] = []

    def add(self, word: str, start: int, hit: TextHit | None) -> None:
        starts = self.starts.setdefault(word, [])
        hits = self.hits.setdefault(word, [])
        at = bisect.bisect_right(starts, start)
        starts.insert(at, start)
        hits.insert(at, hit)

    def add_brand(self, word: str, start: int, hit: TextHit) -> None:
        """An organisation's telling word, which the press also shortens (`Sber`)."""
        self.add(word, start, hit)
        for end in range(_SHORT_FORM, len(word)):
            self.short_forms.setdefault(word[:end], set()).add(word)

    def trial(self) -> Mentions:
        return Mentions(self)

    def adopt(self, trial: Mentions) -> None:
        """Keep what a trial of these mentions added."""
        for word, starts in trial.starts.items():
            for start, hit in zip(starts, trial.hits[word]):
                self.add(word, start, hit)
        for short, words in trial.short_forms.items():
            self.short_forms.setdefault(short, set()).update(words)
        self.unnamed += trial.unnamed

    def nearest(self, word: str, start: int) -> tuple[bool, TextHit | None]:
        """(whether a full mention holds `word`, its hit or None if it names nobody listed)."""
        found = self._nearest(word, start)
        if found is None and len(word) >= _SHORT_FORM:
            for full in sorted(self._words_begun_by(word)):  # `Sber`: Sberbank
                candidate = self._nearest(full, start)
                if candidate is not None and (found is None or _closer(candidate, found)):
                    found = candidate
        return (False, None) if found is None else (True, found[2])

    def _nearest(self, word: str, start: int) -> tuple[bool, int, TextHit | None] | None:
        """(is it before, its start, its hit) of the nearest mention, before first."""
        best = None
        mentions: Mentions | None = self
        while mentions is not None:
            starts = mentions.starts.get(word)
            if starts:
                hits = mentions.hits[word]
                at = bisect.bisect_right(starts, start)
                if at > 0:
                    candidate = (True, starts[at - 1], hits[at - 1])
                else:
                    candidate = (False, starts[0], hits[0])
                if best is None or _closer(candidate, best):
                    best = candidate
            mentions = mentions.parent
        return best

    def _words_begun_by(self, short: str) -> set[str]:
        found: set[str] = set()
        mentions: Mentions | None = self
        while mentions is not None:
            found |= mentions.short_forms.get(short, set())
            mentions = mentions.parent
        return found


def _closer(
    candidate: tuple[bool, int, TextHit | None], best: tuple[bool, int, TextHit | None]
) -> bool:
    """Whether a mention is nearer than another: one before the word beats one after it;
    the latest before, the earliest after."""
    if candidate[0] != best[0]:
        return candidate[0]
    return candidate[1] > best[1] if candidate[0] else candidate[1] < best[1]


_SHORT_FORM: Final = 4  # `Sber` for `Sberbank`: a shorter prefix says too little


def _screen_run(
    prepared: PreparedText, span: Span, matcher: Matcher, mentions: Mentions
) -> list[TextHit]:
    """The hits of a run: as one name, else as the names it joins, read the way that finds the
    most, then the best (`Cubacancun Cigars and Gift Shops and Mexglobo` at its second `and`,
    `Officials of Wagner Group` at `of`). A run that names nobody listed is remembered, so
    that its words alone name nobody listed either."""
    text = prepared.text
    owners = [i for i, word in enumerate(span.words[:-1]) if is_possessive(word)]
    if owners:  # `Russia's Wagner Group`: the owner and what it owns, never one name
        found = _best_reading(prepared, [split_after(span, owners, text)], matcher, mentions)
        if found:
            return found
    hit = _screen_name(prepared, span, matcher)
    readings = _readings(span, text, matcher)
    if hit is not None and not readings:
        _remember(hit, span, matcher, mentions)
        return [hit]
    tried = mentions.trial()
    found = _best_reading(prepared, readings, matcher, tried)
    # Read whole, unless read apart it names more (`Alexander Lukashenko and Foreign Minister
    # Sergei Lavrov`): a listed name holding `and` stays whole.
    if hit is not None and len(found) < 2:
        _remember(hit, span, matcher, mentions)
        return [hit]
    if found:
        mentions.adopt(tried)
        return found
    if not _remember_unlisted(span, mentions, matcher):
        mentions.unnamed.append(span)
    return []


def _best_reading(
    prepared: PreparedText, readings: list[list[Span]], matcher: Matcher, mentions: Mentions
) -> list[TextHit]:
    """The hits of the reading that finds the most, then the best; `mentions` is left as
    that reading leaves it."""
    best: tuple[list[TextHit], Mentions] | None = None
    for parts in readings:
        tried = mentions.trial()
        found = [
            found_hit
            for part in parts
            for found_hit in _screen_part(prepared, part, matcher, tried)
        ]
        if best is None or _weight(found) > _weight(best[0]):
            best = (found, tried)
    if best is None or not best[0]:
        return []
    mentions.adopt(best[1])
    return best[0]


def _screen_part(
    prepared: PreparedText, span: Span, matcher: Matcher, mentions: Mentions
) -> list[TextHit]:
    word = _lone_word(_peeled(span, matcher))
    if word is None:
        return _screen_run(prepared, span, matcher, mentions)
    hit = _screen_alone(prepared, span, word, matcher, mentions)
    return [] if hit is None else [hit]


def _readings(span: Span, text: str, matcher: Matcher) -> list[list[Span]]:
    """Ways to read a run as two names, one per joining word (`and`, `of`, `for`, `the`) it
    holds: `Mr. Farzat | Mexglobo`, `Officials | Wagner Group`; with none, one per place
    between its words where two names of two words or more could meet (`Ashot Mkrtychev |
    Vladimir Putin`). Each side may be split again; a run holding more than `_MAX_JOINS`
    joining words is read once, split at all of them, and a run of more than `_MAX_CUT`
    words is not cut (bounded work)."""
    joins = [i for i, word in enumerate(span.words) if word.text.lower() in _JOINING]
    if len(joins) > _MAX_JOINS:
        return [split_at(span, joins, text)]
    if joins:
        readings = [split_at(span, (i,), text) for i in joins]
    elif 2 * _NAME_WORDS <= len(span.words) <= _MAX_CUT:
        # Before a listed person's given name (`Ashot Mkrtychev | Vladimir Putin`), where each
        # side could be listed: a run of unlisted names is not cut up.
        given = matcher.given_names()
        cuts = range(_NAME_WORDS - 1, len(span.words) - _NAME_WORDS)
        readings = [
            split_after(span, (cut,), text)
            for cut in cuts
            if _fold(span.words[cut + 1].text) in given
        ]
        readings = [
            parts for parts in readings if all(matcher.worth_looking_up(p.key) for p in parts)
        ]
    else:
        readings = []
    return [parts for parts in readings if parts]


def _headline_word(word: str, matcher: Matcher) -> bool:
    """A word of the language a headline capitalises after a name (`Lukashenko Warns`,
    `Putin Says`): used in English text, no common name, nor a word firms are named with
    (famous names pass too: used after another name, they still make a run no one's name)."""
    folded = _fold(word)
    lexicon = matcher.lexicon
    return (
        folded not in TITLES
        and lexicon.word_zipf.get(folded, 0.0) >= _HEADLINE_WORD
        and not lexicon.name_share.get(folded)
        and matcher.index.frequency(folded) < _NAMING_WORD
        and not is_legal_form(folded)
    )


_HEADLINE_WORD: Final = 3.0  # Zipf frequency of a word English text uses (once per million)
_JOINING: Final = frozenset({"and", "of", "for", "the"})
_MAX_JOINS: Final = 4
_NAME_WORDS: Final = 2  # the fewest words of each name a run without joining words is cut into
_MAX_CUT: Final = 8


def _weight(hits: list[TextHit]) -> tuple[int, float]:
    return len(hits), sum([hit.score for hit in hits], 0.0)


_SPOTTED_LENGTH: Final = 6  # lower-case words shorter than this are never spotted


def _surname_spotter(matcher: Matcher) -> WordSpotter:
    """Finds listed surnames written in lower case (`mkrtychev`), never words of the language
    (`gallon`, `cardinal`); one per matcher."""

    def make() -> WordSpotter:
        surnames = frozenset(
            word for word in matcher.distinctive_surnames() if not matcher.lexicon.is_word(word)
        )
        return WordSpotter(lambda word: _fold(word) in surnames, shortest=_SPOTTED_LENGTH)

    return matcher.derived("lower-case surname spotter", make)


def _screen_name(prepared: PreparedText, span: Span, matcher: Matcher) -> TextHit | None:
    """A run of two name words or more, looked up with its titles peeled, then as written.
    A match on one of its words only (`BOXING - PRINCE NASEEM` read after its title) is no
    hit: a word alone is screened as such (`_screen_alone`)."""
    peeled = span.without_titles()
    threshold = matcher.settings.text_threshold
    candidates = [span] if peeled is None else [peeled, span]
    after = _after_titles(span, prepared.text)
    if after is not None:  # `MINSK - President Alexander Lukashenko`: the name after its title
        candidates.insert(0, after)
    for candidate in candidates:
        if matcher.worth_looking_up(candidate.key):
            match = matcher.best_match(candidate.key, threshold)
            if match is not None and len(match.explanation.alignment) >= 2:
                return _hit(prepared, candidate, match, "name")
    return None


TITLES: Final = TITLE_WORDS | HONORIFICS


def _after_titles(span: Span, text: str) -> Span | None:
    """The run's words after the last title among its first words, as the lookup reads it
    (`Minsk - President Alexander Lukashenko`: Alexander Lukashenko), when that is inside."""
    words = span.words
    titles = [i for i, word in enumerate(words[:TITLE_REACH]) if word.text.lower() in TITLES]
    if not titles or titles[-1] == 0 or titles[-1] >= len(words) - 1:
        return None
    rest = words[titles[-1] + 1 :]
    return Span(
        rest[0].start, rest[-1].end, rest, span.sentence, text[rest[0].start : rest[-1].end]
    )


def _screen_alone(
    prepared: PreparedText, span: Span, word: Word, matcher: Matcher, mentions: Mentions
) -> TextHit | None:
    """One name word (`Putin`, `Mr. Putin`, `President Putin`, `mkrtychev`): the party a full
    mention in the text names by it, else a whole listed name written exactly, else a listed
    person's distinctive name. Alone, a word must be distinctive as a name (not a month, a
    place, a nationality, an everyday word or a common name) and a word of three letters or
    fewer must be written in capitals (`PKK`, not `Rad`). A name the press completes in
    brackets is read whole: `Saddam (Hussein)`; a word of a firm's name after `the` refers to
    the firm's full mention (`the Guards`)."""
    folded = _fold(word.text)
    if len(folded) < 2:  # one letter alone: an initial, a label
        return None
    if _after_the(prepared.text, span.start) and word.text[:1].isupper():
        _, earlier = mentions.nearest(_THE + folded, span.start)  # `the Guards`
        if earlier is not None:
            return _resolved(prepared, span, earlier, matcher)
    named, earlier = mentions.nearest(folded, span.start)
    if named:
        return None if earlier is None else _resolved(prepared, span, earlier, matcher)
    if not matcher.lexicon.distinctive(folded) or len(folded) <= 3 and not word.text.isupper():
        return None
    aside = _with_aside(prepared, span, matcher)  # `Saddam (Hussein)`
    if aside is not None:
        return aside
    peeled = span.without_titles()
    threshold = matcher.settings.text_threshold
    for candidate in (span,) if peeled is None else (peeled, span):
        exact = [m for m in matcher.lookup_exact(candidate.key) if m.score >= threshold]
        if exact and _whole_name(exact[0], word, matcher):
            return _hit(prepared, candidate, exact[0], "name")
    return _distinctive(prepared, span, word, matcher)


_ASIDE: Final = re.compile(r"\s*\(\s*([^\W\d_][^()\n]{0,60}?)\s*\)")


def _with_aside(prepared: PreparedText, span: Span, matcher: Matcher) -> TextHit | None:
    """A word completed by a name in brackets right after it, `Saddam (Hussein)`: the hit of
    both read as one name, placed on the word."""
    aside = _ASIDE.match(prepared.text, span.end)
    if aside is None or not aside.group(1)[0].isupper():
        return None
    name = span.key + " " + aside.group(1)
    match = matcher.best_match(name, matcher.settings.text_threshold)
    if match is None or len(tokenize(name)) < 2:
        return None
    return _hit(prepared, span, match, "name")


def _whole_name(match: Match, word: Word, matcher: Matcher) -> bool:
    """A one-word mention is a hit only as a whole listed name, written exactly (an
    organisation's also as another transliteration: `Hizbollah` for HIZBALLAH), and never a
    vessel's or an aircraft's, whose one-word names are everyday words and names (PARTIZAN,
    FREEDOM). A word of three letters or fewer must be an organisation's listed acronym."""
    explanation = match.explanation
    exact = all(pair.how in _WHOLE for pair in explanation.alignment)
    unmatched = [t for t in explanation.unmatched_listed if not t.startswith("~")]  # legal forms
    if not exact or unmatched or explanation.unmatched_query:
        return False
    kind = matcher.entity_kind(match.entity_id)
    if kind in ("vessel", "aircraft"):
        return False
    return len(word.text) > 3 or kind == "organization" and match.name_kind == "aka"


_WHOLE: Final = ("exact", "legal form", "transliteration")


def _peeled(span: Span, matcher: Matcher) -> Span:
    """The span without the titles and nationality words in front of its name
    (`Palestinian President Arafat` -> `Arafat`), or as it is."""
    current = span.without_titles() or span
    nationalities = matcher.lexicon.nationalities
    while len(current.words) > 1 and _fold(current.words[0].text) in nationalities:
        rest = current.words[1:]
        cut = rest[0].start - current.start
        current = Span(rest[0].start, rest[-1].end, rest, span.sentence, current.text[cut:])
        current = current.without_titles() or current
    return current


def _lone_word(peeled: Span) -> Word | None:
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


# A hit's context is its sentence, cut to this many characters either side of the mention: a
# text without sentence ends would otherwise give every hit the whole text (and copying it
# for each hit would make screening such a text quadratic).
_CONTEXT: Final = 500


def _hit(prepared: PreparedText, span: Span, match: Match, route: str) -> TextHit:
    start, end = prepared.original_span(span.start, span.end)
    sentence_start, sentence_end = prepared.original_span(*span.sentence)
    sentence_start = max(sentence_start, start - _CONTEXT)
    sentence_end = min(sentence_end, end + _CONTEXT)
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


def _remember(hit: TextHit, span: Span, matcher: Matcher, mentions: Mentions) -> None:
    """After `Ashot Mkrtychev`, a lone `Mkrtychev` (before or after it) means him; after
    `President Saddam Hussein` also `Saddam`, a distinctive given name; after `Wagner Group`,
    `Wagner`, its telling word (`Sber`, a short form of `Sberbank`, too), as after a firm
    named by that word alone."""
    if hit.route != "name":
        return
    if matcher.entity_kind(hit.entity_id) == "person":
        if len(tokenize(hit.text)) < 2:
            return
        surnames = matcher.surnames_of(hit.entity_id)
        for pair in hit.explanation.alignment:
            if pair.listed in surnames or matcher.lexicon.distinctive(pair.query):
                mentions.add(pair.query, hit.start, hit)
        return
    for token in tokenize(span.text):
        if len(token) < _SHORT_FORM:
            continue
        if matcher.telling_word(token):
            mentions.add_brand(token, hit.start, hit)
        elif _head_word(token, matcher):  # `the Guards`, `the Corps`
            for form in {token, token + "s", token.removesuffix("s")}:
                mentions.add(_THE + form, hit.start, hit)


def _head_word(token: str, matcher: Matcher) -> bool:
    """A word of a firm's name that, capitalised after `the`, stands for it (`the Guards`
    after `Islamic Revolutionary Guard Corps`): not a legal form, place or nationality."""
    lexicon = matcher.lexicon
    return (
        token not in lexicon.places
        and token not in lexicon.nationalities
        and not is_legal_form(token)
    )


_THE: Final = "the "
_BEFORE_THE: Final = re.compile(r"(?:^|\W)the\s+$", re.IGNORECASE)


def _after_the(text: str, start: int) -> bool:
    """Whether the word at `start` comes right after the article `the`."""
    return _BEFORE_THE.search(text, max(0, start - 5), start) is not None


def _remember_firms_alone(
    found: list[tuple[Span, Word, TextHit | None]], matcher: Matcher, mentions: Mentions
) -> bool:
    """A listed firm named by one word (`Sberbank`) may be shortened elsewhere in the text
    (`Sber`), before or after: remember its telling words (True if there were any)."""
    remembered = False
    for span, _, hit in found:
        if (
            hit is not None
            and hit.route == "name"
            and matcher.entity_kind(hit.entity_id) != "person"
        ):
            _remember(hit, span, matcher, mentions)
            remembered = True
    return remembered


def _remember_unlisted(span: Span, mentions: Mentions, matcher: Matcher) -> bool:
    """`Kaja Kallas` or `Magna International Inc` names nobody listed: so do `Kallas` and
    `Magna` alone (True). A headline's `Lukashenko Warns` names nobody at all (False)."""
    words = _peeled(span, matcher).words
    if len(words) < 2 or any(_headline_word(word.text, matcher) for word in words[1:]):
        return False
    for word in (words[0], words[-1]):
        folded = _fold(word.text)
        if folded:
            mentions.add(folded, span.start, None)
    return True


def _resolved(prepared: PreparedText, span: Span, earlier: TextHit, matcher: Matcher) -> TextHit:
    score = min(earlier.score, matcher.settings.surname_only_score + 0.1)
    feature = Feature(
        "refers to a full mention",
        1.0,
        score,
        f"'{earlier.text}' is named in full in the text",
    )
    full = earlier.explanation  # rebuilt here: dataclasses.replace is Python code
    explanation = Explanation(
        alignment=full.alignment,
        features=(feature,),
        unmatched_query=full.unmatched_query,
        unmatched_listed=full.unmatched_listed,
    )
    match = Match(earlier.entity_id, earlier.matched_name, "primary", score, explanation)
    return _hit(prepared, span, match, "refers to a full mention")


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
    return _hit(prepared, span, match, "distinctive surname alone")


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    tokens = tokenize(text)
    return tokens[0] if tokens else ""
