"""Scoring one query name against one listed name: align tokens, then weigh the features.

Each feature is a small function of the same shape, and the explanation lists them all, so an
analyst sees which listed name matched, how its tokens lined up, and what each feature added.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from typing import Final

from rapidfuzz.distance import OSA, DamerauLevenshtein

from watchlist.matching.analysis import (
    MIDDLE_SHARE,
    OPTIONAL_ROLES,
    Analysis,
    Role,
    Token,
    skeleton,
)
from watchlist.matching.index import NameIndex, token_weight
from watchlist.matching.model import Feature, MatchSettings, TokenPair

# Token similarities within one lookup, keyed by the two tokens' identities (cheap to hash; both
# tokens outlive the lookup: the query's in its analysis, the listed ones in the index).
SimilarityCache = dict[tuple[int, int], tuple[float, str]]
_TRANSLITERATION_FLOOR: Final = 0.7
_NAME_ROLES: Final = (Role.NAME, Role.GIVEN, Role.SURNAME, Role.MIDDLE, Role.INITIAL)
_GIVEN: Final = (Role.GIVEN, Role.MIDDLE)


@dataclasses.dataclass(frozen=True)
class Rarity:
    """Token weights, and where 'common' and 'distinctive' begin, for one index; and how
    many people carry a name outside the lists."""

    index: NameIndex  # how many listed names hold each token
    generic_weight: float  # tokens weighing less are common (GROUP, TRADING, KIM)
    distinctive_weight: float  # tokens weighing more are held by few names (SHOIGU)
    name_share: Mapping[str, float] = dataclasses.field(default_factory=dict)
    common_share: float = 1.0  # names carried by this share of people or more are common

    def weigh(self, text: str) -> float:
        """Rarity of a token: rare tokens identify a name, common ones barely."""
        return self.index.weight(text)

    def common_name(self, text: str) -> bool:
        """Whether many people carry the name (Luis, Castro, Wang), or many listed names hold
        it (Muhammad)."""
        return (
            self.name_share.get(text, 0.0) >= self.common_share
            or self.weigh(text) < self.generic_weight
        )


@dataclasses.dataclass(frozen=True)
class NameScore:
    """The outcome of comparing two names."""

    score: float
    alignment: tuple[TokenPair, ...]
    features: tuple[Feature, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]

    def __init__(
        self,
        score: float,
        alignment: tuple[TokenPair, ...],
        features: tuple[Feature, ...],
        unmatched_query: tuple[str, ...],
        unmatched_listed: tuple[str, ...],
    ) -> None:
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "alignment", alignment)
        object.__setattr__(self, "features", features)
        object.__setattr__(self, "unmatched_query", unmatched_query)
        object.__setattr__(self, "unmatched_listed", unmatched_listed)


def token_similarity(query: Token, listed: Token, settings: MatchSettings) -> tuple[float, str]:
    """How alike two tokens are (0..1) and why: exact, transliteration, initial or fuzzy."""
    if query.text == listed.text:
        if (query.script or listed.script) and (query.ambiguous or listed.ambiguous):
            return settings.transliteration_similarity, "transliteration"  # 晨: sounds CHEN
        return 1.0, "exact" if query.role is not Role.LEGAL else "legal form"
    if query.text[0] == listed.text[0] and _undoubled(query.text) == _undoubled(listed.text):
        if query.role is not Role.NUMBER and listed.role is not Role.NUMBER:  # Jong-uun: un
            return settings.transliteration_similarity, "transliteration"
    if query.role is Role.NUMBER and listed.role is Role.NUMBER:
        return _OTHER_NUMBER, "other number"  # a series or a vintage apart: see `_numbers`
    if Role.LEGAL in (query.role, listed.role) or Role.NUMBER in (query.role, listed.role):
        return 0.0, "different"
    if other_gender(query.text, listed.text):
        return 0.0, "other gender"
    if (query.script or listed.script) and (query.vowelless or listed.vowelless):
        agree = _consonants_agree(query, listed)  # Arabic script: the consonants must agree
        if agree:
            return agree * settings.transliteration_similarity, "transliteration"
    if (query.sounds or listed.sounds) and _respelled_as(query, listed):
        return settings.transliteration_similarity, "transliteration"  # 김여정: KIM Yo Jong
    short, long = query.text, listed.text
    if len(long) < len(short):
        short, long = long, short
    if Role.INITIAL in (query.role, listed.role):  # V. or Ye. for Vladimir, Yevgeniy
        fits = len(long) > len(short) and long.startswith(short)
        return (settings.initial_similarity, "initial") if fits else (0.0, "")
    if len(short) <= 2:
        return 0.0, "different"
    similarity = OSA.normalized_similarity(query.text, listed.text)
    # Same consonants, vowels spelled differently (Shoygu/Shoigu, Evgeny/Yevgeniy); the edit
    # floor keeps different names with the same consonants apart (Putin/Potanin).
    floor = _TRANSLITERATION_FLOOR if len(short) > 4 else 0.8
    if (
        query.skeleton == listed.skeleton
        and similarity >= floor
        and _syllables(query.text) == _syllables(listed.text)  # not Manar for MANAURE
    ):
        return max(settings.transliteration_similarity, similarity), "transliteration"
    if query.sounds:  # Lawrow/Lavrov, Prigojine/Prigozhin
        respelled = _respelled_similarity(query, listed, floor)
        if respelled > 0:
            return min(settings.transliteration_similarity, respelled), "transliteration"
    if len(short) <= 3:
        return 0.0, "different"
    # One typo in a short word makes another word (Iran/Miran): short tokens need more, or a
    # single typo past their first letter.
    needed = settings.min_token_similarity + (
        0.16 if len(short) <= 5 else 0.1 if len(short) <= 7 else 0
    )
    if query.script or listed.script:  # romanised letter by letter: no room for typos
        return 0.0, ""
    if similarity >= needed or _one_typo(query.text, listed.text):
        return similarity, "fuzzy"
    return 0.0, ""


def _syllables(word: str) -> int:
    """How many syllables a romanised word has: its runs of vowels (Shoigu 2, Shoygu 2)."""
    return len(_VOWEL_RUN.findall(word))


_VOWEL_RUN: Final = re.compile("[aeiouy]+")


def _consonants_agree(query: Token, listed: Token) -> float:
    """How surely two words, one of them from Arabic script, are one name: 1 when their
    consonant skeletons agree in two consonants or more (in three when the Arabic-script
    word is read another way: w as a vowel, b as p), 0.9 when two short words agree in their
    one consonant (`ly`, Ali), else 0."""
    arabic, latin = (query, listed) if query.vowelless else (listed, query)
    if not _long_vowels_fit(arabic.text, latin.text):
        return 0.0
    wanted = latin.skeleton
    if arabic.skeleton == wanted:
        if len(wanted) >= 2:
            return 1.0
        if len(wanted) == 1 and len(arabic.text) <= _SHORT_WORD >= len(latin.text):
            return 0.9
    if len(wanted) >= 3 and any(skeleton(sound) == wanted for sound in arabic.sounds):
        return 1.0
    return 0.0


_SHORT_WORD: Final = 4


def _long_vowels_fit(arabic: str, latin: str) -> bool:
    """Arabic script writes long vowels, the ya above all: a final ya (محمدی, Mohammadi) is a
    final i in the Latin name, an inner ya an i, e or y between the same consonants, and a
    Latin name that spells an i long (Huseyini, Cheema) has a ya in Arabic script; a Latin
    name ending in a vowel ends in a long vowel or ta marbuta in Arabic script (Bushra is not
    bshr). Hasan is not Husayn, Ehsan not Hossein, Mohammadi not Muhammad."""
    final_ya = len(arabic) > 1 and arabic[-1] == "y" and arabic[-2] not in _ARABIC_VOWELS
    final_i = len(latin) > 1 and latin[-1] in "iy" and latin[-2] not in "aou"
    if final_ya != final_i:
        return False
    if len(latin) > 1 and latin[-1] in "ao" and latin[-2] not in _VOWELS:
        if arabic[-1] not in "hwya":
            return False
    a_consonants, a_gaps = _gaps(arabic, _ARABIC_VOWELS)
    l_consonants, l_gaps = _gaps(latin, _VOWELS)
    if a_consonants == l_consonants:  # letter for letter: each ya, each waw has its vowel
        for written, spelled in zip(a_gaps, l_gaps):
            if "y" in written and not any(vowel in spelled for vowel in "iey"):
                return False
            if "w" in written and not any(vowel in spelled for vowel in "uow"):
                return False
    inner_ya = "y" in arabic[1:-1]
    long_i = "y" in latin[1:-1] or "ee" in latin or "ii" in latin
    if inner_ya and not any(vowel in latin for vowel in "iey"):
        return False  # حسین is Husayn, Hossein: never Hasan
    return inner_ya or not long_i


def _gaps(word: str, vowels: str) -> tuple[str, list[str]]:
    """A word's consonants (a doubled one once) and the vowel letters after each."""
    consonants: list[str] = []
    gaps: list[str] = []
    for i, char in enumerate(word):
        if char in vowels and (i > 0 or char not in "wy"):  # a first w or y is a consonant
            if gaps:
                gaps[-1] += char
        elif not consonants or consonants[-1] != char or gaps[-1]:
            consonants.append(char)
            gaps.append("")
    return "".join(consonants), gaps


def _undoubled(word: str) -> str:
    """The word with doubled letters written once (uun: un, Hussein: husein)."""
    return "".join(char for i, char in enumerate(word) if i == 0 or word[i - 1] != char)


_ARABIC_VOWELS: Final = "aeiouwy"
_VOWELS: Final = "aeiouy"


def _respelled_as(query: Token, listed: Token) -> bool:
    """Whether one word is another spelling of the other."""
    return listed.text in query.sounds or query.text in listed.sounds


def _respelled_similarity(query: Token, listed: Token, floor: float) -> float:
    """How alike the two words are when the query's is read as some language spells it (the
    list's spelling is already the English one): the best edit similarity of its spellings
    that share the listed word's consonant skeleton, if it reaches `floor` (else 0)."""
    best = 0.0
    target = listed.text
    for spelled in query.sounds:
        if spelled == target:
            return 1.0
        if skeleton(spelled) == listed.skeleton:
            similarity = OSA.normalized_similarity(spelled, target)
            if similarity >= floor and similarity > best:
                best = similarity
    return best


def _one_typo(a: str, b: str) -> bool:
    """One letter added, dropped, replaced or two swapped (Musk/Mosk, Trump/Trupm), past the
    first letter: another first letter makes another name (Anna/Banna, Sire/Mire)."""
    return (
        a[0] == b[0]
        and abs(len(a) - len(b)) <= 1
        and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1
    )


# Two numbers that differ align as this much alike: the names around them may still be one.
_OTHER_NUMBER: Final = 0.5


def other_gender(a: str, b: str) -> bool:
    """A name and its form for the other gender: Antonio/Antonia, Martin/Martina,
    Prigozhin/Prigozhina, Kowalski/Kowalska, Zelensky/Zelenskaya."""
    if a[:3] != b[:3]:  # the forms share their stem
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4 or len(long) - len(short) > 3:
        return False
    if long == short + "a":
        return True
    if len(a) == len(b) and a[:-1] == b[:-1] and a[-1] + b[-1] in ("ao", "oa"):
        return True
    stem = short[:-1]
    return short[-1] in "iy" and long in (stem + "a", stem + "aya", stem + "aja")


def align(
    query: Sequence[Token],
    listed: Sequence[Token],
    settings: MatchSettings,
    cache: SimilarityCache | None = None,
) -> list[tuple[int, int, float, str]]:
    """Pair tokens greedily, most alike first, each token used once; order does not matter."""
    known: SimilarityCache = {} if cache is None else cache
    pairs = []
    listed_ids = [(j, id(token), token) for j, token in enumerate(listed)]
    for i, q in enumerate(query):
        query_id = id(q)
        for j, listed_id, token in listed_ids:
            key = (query_id, listed_id)
            found = known.get(key)
            if found is None:
                found = known[key] = token_similarity(q, token, settings)
            if found[0] > 0:
                pairs.append((found[0], -abs(i - j), i, j, found[1]))
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    chosen = []
    for similarity, _, i, j, how in pairs:
        if i not in used_q and j not in used_l:
            used_q.add(i)
            used_l.add(j)
            chosen.append((i, j, similarity, how))
    return chosen + _joined_pairs(query, listed, used_q, used_l)


def _joined_pairs(
    query: Sequence[Token], listed: Sequence[Token], used_q: set[int], used_l: set[int]
) -> list[tuple[int, int, float, str]]:
    """Two adjacent tokens written as one on the other side, in either order (Fang Wei /
    FANGWEI, MAKHLOUF, Rami / Ramimakhlouf)."""
    found = []
    for side, other, used_side, used_other, flip in (
        (query, listed, used_q, used_l, False),
        (listed, query, used_l, used_q, True),
    ):
        if len(used_side) > len(side) - 2 or len(used_other) >= len(other):
            continue  # no two free adjacent tokens, or nothing free to join them to
        wanted = {t.text: j for j, t in enumerate(other) if j not in used_other}
        vowelless = any(t.vowelless for t in side) or any(t.vowelless for t in other)
        if vowelless:
            wanted |= {t.skeleton: j for j, t in enumerate(other) if j not in used_other}
        for i in range(len(side) - 1):
            if i in used_side or i + 1 in used_side:
                continue
            joined = side[i].text + side[i + 1].text
            j = wanted.get(joined)
            if j is None:  # MAKHLOUF, Rami written given name first: Ramimakhlouf
                j = wanted.get(side[i + 1].text + side[i].text)
            if j is None and vowelless:
                j = wanted.get(skeleton(joined))
            if j is not None:
                used_side.update((i, i + 1))
                used_other.add(j)
                pairs = [(i, j), (i + 1, j)] if not flip else [(j, i), (j, i + 1)]
                found += [(a, b, 0.95, "joined") for a, b in pairs]
    return found


def score_names(
    query: Analysis,
    listed: Analysis,
    rarity: Rarity,
    settings: MatchSettings,
    cache: SimilarityCache | None = None,
) -> NameScore:
    """Compare two analysed names; the score is 0..1 before qualifiers.

    `cache` carries token similarities between the candidates of one lookup, which share
    most of their tokens.
    """
    return explain(compare_names(query, listed, rarity, settings, cache))


@dataclasses.dataclass(frozen=True, slots=True)
class Comparison:
    """Two names compared: the score and all an explanation needs, not yet assembled."""

    context: _Context
    query_coverage: float
    listed_coverage: float
    similarity: float  # the weighted mean of both coverages, before the rules
    applied: list[Feature]  # the rules that applied
    score: float  # 0..1, before qualifiers

    def __init__(
        self,
        context: _Context,
        query_coverage: float,
        listed_coverage: float,
        similarity: float,
        applied: list[Feature],
        score: float,
    ) -> None:
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "query_coverage", query_coverage)
        object.__setattr__(self, "listed_coverage", listed_coverage)
        object.__setattr__(self, "similarity", similarity)
        object.__setattr__(self, "applied", applied)
        object.__setattr__(self, "score", score)


def compare_names(
    query: Analysis,
    listed: Analysis,
    rarity: Rarity,
    settings: MatchSettings,
    cache: SimilarityCache | None = None,
) -> Comparison:
    """Score two names and keep what explaining the score takes (`explain`)."""
    context, q_cover, l_cover, base = _compare(query, listed, rarity, settings, cache)
    score, applied = _apply_rules(context, base)
    return Comparison(context, q_cover, l_cover, base, applied, max(0.0, min(1.0, score)))


# The feature saying how much of the query's name the listed name holds (what a registry
# search ranks by: a query is often part of a name).
QUERY_COVERAGE: Final = "query coverage"


def explain(comparison: Comparison) -> NameScore:
    """The explained score of a comparison: its alignment, features and unmatched tokens."""
    context, base = comparison.context, comparison.similarity
    query, listed = context.query, context.listed
    features = [
        Feature(
            QUERY_COVERAGE,
            comparison.query_coverage,
            0.0,
            "share of the query's name (by rarity) found",
        ),
        Feature(
            "listed coverage",
            comparison.listed_coverage,
            0.0,
            "share of the listed name (by rarity) found",
        ),
        Feature("name similarity", base, base, "weighted mean of both coverages"),
        *comparison.applied,
    ]
    q_sims, l_sims, pairs = context.q_sims, context.l_sims, context.pairs
    return NameScore(
        score=comparison.score,
        alignment=tuple(
            TokenPair(query.tokens[i].text, listed.tokens[j].text, round(s, 3), how)
            for i, j, s, how in sorted(pairs)
        ),
        features=tuple(features),
        unmatched_query=tuple(t.text for t, s in zip(query.tokens, q_sims) if not s),
        unmatched_listed=tuple(t.text for t, s in zip(listed.tokens, l_sims) if not s),
    )


def _compare(
    query: Analysis,
    listed: Analysis,
    rarity: Rarity,
    settings: MatchSettings,
    cache: SimilarityCache | None,
) -> tuple[_Context, float, float, float]:
    """The aligned names, both coverages and the name similarity they give."""
    pairs = align(query.tokens, listed.tokens, settings, cache)
    q_sims = [0.0] * len(query.tokens)
    l_sims = [0.0] * len(listed.tokens)
    for i, j, similarity, _ in pairs:
        q_sims[i] = max(q_sims[i], similarity)
        l_sims[j] = max(l_sims[j], similarity)
    q_middle = _middle(query, q_sims, listed)
    # A listed person's name not written SURNAME, Given has its middle names unmarked: the
    # ones the query lacks between words it has count as such.
    l_middle = None if listed.is_person_form else _middle(listed, l_sims, listed)
    if q_middle and l_middle:  # each has middle names the other lacks: they differ
        q_middle = l_middle = None
    q_cover = _coverage(query.tokens, q_sims, rarity.index, q_middle)
    l_cover = _coverage(listed.tokens, l_sims, rarity.index, l_middle)
    base = math.pow(q_cover, settings.query_weight) * math.pow(l_cover, 1 - settings.query_weight)
    context = _Context(query, listed, q_sims, l_sims, pairs, rarity, settings, l_middle or set())
    return context, q_cover, l_cover, base


def _apply_rules(context: _Context, base: float) -> tuple[float, list[Feature]]:
    """The score after every rule, in this order, each given the score the ones before left,
    and the features of the rules that applied. (Called one by one rather than from a table,
    for speed: see watchlist/compiled.py.)"""
    applied: list[Feature] = []
    score = _after(applied, base, _partial_name(context, base))
    score = _after(applied, score, _given_name_conflict(context, score))
    score = _after(applied, score, _extra_query_names(context, score))
    score = _after(applied, score, _patronymic_conflict(context, score))
    score = _after(applied, score, _numbers_disagree(context, score))
    score = _after(applied, score, _legal_forms_differ(context, score))
    score = _after(applied, score, _given_name_order(context, score))
    score = _after(applied, score, _distinctive_surname(context, score))
    score = _after(applied, score, _common_name(context, score))
    score = _after(applied, score, _typos_throughout(context, score))
    score = _after(applied, score, _partial_transliteration(context, score))
    return score, applied


def _after(applied: list[Feature], score: float, feature: Feature | None) -> float:
    """The score after a rule's feature, if it applied (kept in `applied`)."""
    if feature is None:
        return score
    applied.append(feature)
    return score + feature.contribution


def _coverage(
    tokens: Sequence[Token],
    sims: Sequence[float],
    index: NameIndex,
    middle: set[int] | None = None,
) -> float:
    total = covered = 0.0
    for i, (token, similarity) in enumerate(zip(tokens, sims)):
        weight = token_weight(index, token)
        if middle and i in middle:
            weight *= MIDDLE_SHARE
        total += weight
        covered += weight * similarity
    return covered / total if total > 0 else 0.0


def _middle(query: Analysis, q_sims: Sequence[float], listed: Analysis) -> set[int] | None:
    """The words of one name the other lacks between words it has, when the listed name is a
    person's: middle names, a father's name (Vladimir Vladimirovich Putin for PUTIN,
    Vladimir), which either side may leave out."""
    if not listed.person or any(token.vowelless for token in query.tokens):
        return None  # in Arabic script, a middle name cannot be told from a missing one
    matched = [i for i, similarity in enumerate(q_sims) if similarity > 0]
    if len(matched) < 2:
        return None
    return {
        i
        for i in range(matched[0] + 1, matched[-1])
        if not q_sims[i] and query.tokens[i].role in _NAME_ROLES
    }


@dataclasses.dataclass(frozen=True)
class _Context:
    query: Analysis
    listed: Analysis
    q_sims: list[float]
    l_sims: list[float]
    pairs: list[tuple[int, int, float, str]]
    rarity: Rarity
    settings: MatchSettings
    listed_middle: set[int]  # the listed name's unmarked middle names the query lacks

    def __init__(
        self,
        query: Analysis,
        listed: Analysis,
        q_sims: list[float],
        l_sims: list[float],
        pairs: list[tuple[int, int, float, str]],
        rarity: Rarity,
        settings: MatchSettings,
        listed_middle: set[int],
    ) -> None:
        object.__setattr__(self, "query", query)
        object.__setattr__(self, "listed", listed)
        object.__setattr__(self, "q_sims", q_sims)
        object.__setattr__(self, "l_sims", l_sims)
        object.__setattr__(self, "pairs", pairs)
        object.__setattr__(self, "rarity", rarity)
        object.__setattr__(self, "settings", settings)
        object.__setattr__(self, "listed_middle", listed_middle)

    def unmatched_query(self, roles: Sequence[Role]) -> list[Token]:
        return [t for t, s in zip(self.query.tokens, self.q_sims) if not s and t.role in roles]

    def unmatched_listed(self, roles: Sequence[Role]) -> list[Token]:
        return [t for t, s in zip(self.listed.tokens, self.l_sims) if not s and t.role in roles]


def _partial_name(ctx: _Context, score: float) -> Feature | None:
    """The query names only part of the listed name (one word of a firm's name)."""
    missing = [
        t
        for j, (t, s) in enumerate(zip(ctx.listed.tokens, ctx.l_sims))
        if not s and t.role not in OPTIONAL_ROLES and j not in ctx.listed_middle
    ]
    if not missing or not any(s > 0 for s in ctx.l_sims):
        return None
    penalty = score * (1 - ctx.settings.partial_name_penalty)
    names = ", ".join(t.text for t in missing)
    return Feature("partial name", 1.0, -penalty, f"listed name parts not in the query: {names}")


def _distinctive_surname(ctx: _Context, score: float) -> Feature | None:
    """A surname alone that few listed names hold (Deripaska) is worth a look on its own."""
    names = [t for t in ctx.query.tokens if t.role in _NAME_ROLES]
    if len(names) != 1 or not ctx.listed.is_person_form or names[0].ambiguous:
        return None
    exact = [(i, j) for i, j, _, how in ctx.pairs if how == "exact"]
    surname = [j for i, j in exact if ctx.listed.tokens[j].role is Role.SURNAME]
    if not surname or ctx.rarity.weigh(names[0].text) < ctx.rarity.distinctive_weight:
        return None
    lift = ctx.settings.surname_only_score - score
    if lift <= 0:
        return None
    detail = f"'{names[0].text}' is a surname few listed names hold"
    return Feature("distinctive surname alone", 1.0, lift, detail)


def _given_name_conflict(ctx: _Context, score: float) -> Feature | None:
    """Same surname, other given name (Michelle vs Barack Obama): not the same person."""
    if not ctx.listed.is_person_form:
        return None
    surname_hit = any(
        ctx.l_sims[j] for j, t in enumerate(ctx.listed.tokens) if t.role is Role.SURNAME
    )
    given_missed = ctx.unmatched_listed((Role.GIVEN,))
    query_extra = ctx.unmatched_query((Role.NAME, Role.GIVEN, Role.SURNAME, Role.INITIAL))
    if not (surname_hit and given_missed and query_extra):
        return None
    detail = (
        f"given name {', '.join(t.text for t in query_extra)} is not "
        f"{', '.join(t.text for t in given_missed)}"
    )
    return Feature("different given name", 1.0, -score * 0.5, detail)


def _extra_query_names(ctx: _Context, score: float) -> Feature | None:
    """The query holds a telling word the listed name lacks (Kim Chol Nam vs KIM, Chol)."""
    extra = [
        t
        for t in ctx.unmatched_query(_NAME_ROLES)
        if ctx.listed.is_person_form or ctx.rarity.weigh(t.text) >= ctx.rarity.generic_weight
    ]
    if not extra or not any(s > 0 for s in ctx.q_sims):
        return None
    detail = f"query words not in the listed name: {', '.join(t.text for t in extra)}"
    # Every listed name part is there: the query may just give more of the name (a father's
    # or a clan name) than the list does.
    each = 0.05 if ctx.listed.person and not ctx.unmatched_listed(_NAME_ROLES) else 0.15
    return Feature("extra name parts", 1.0, -score * each * min(2, len(extra)), detail)


def _patronymic_conflict(ctx: _Context, score: float) -> Feature | None:
    """Both names give a patronymic and they differ (Borisovich vs Romanovich)."""
    query = ctx.unmatched_query((Role.PATRONYMIC,))
    listed = ctx.unmatched_listed((Role.PATRONYMIC,))
    if not (query and listed):
        return None
    detail = f"patronymic {query[0].text} is not {listed[0].text}"
    return Feature("different patronymic", 1.0, -score * 0.5, detail)


def _numbers_disagree(ctx: _Context, score: float) -> Feature | None:
    """Numbers tell vessels, units and funds apart: one the other name lacks costs much; a
    different number in the same place (fund VII, fund VIII) less: a sibling of a listed
    party is worth a look."""
    missing = ctx.unmatched_query((Role.NUMBER,)) + ctx.unmatched_listed((Role.NUMBER,))
    other = [
        f"{ctx.query.tokens[i].text}/{ctx.listed.tokens[j].text}"
        for i, j, _, how in ctx.pairs
        if how == "other number"
    ]
    if not missing and not other:
        return None
    share = 0.5 if missing else ctx.settings.other_number_penalty
    detail = f"numbers differ: {', '.join([t.text for t in missing] + other)}"
    return Feature("numbers", 0.0, -score * share, detail)


def _legal_forms_differ(ctx: _Context, score: float) -> Feature | None:
    """Both names give a legal form and no family agrees (Deutsche Bank GmbH for DEUTSCHE BANK
    AG): a company of the same name under another form is another company."""
    query = {t.text for t in ctx.query.tokens if t.role is Role.LEGAL}
    listed = {t.text for t in ctx.listed.tokens if t.role is Role.LEGAL}
    if not query or not listed or query & listed:
        return None
    detail = f"legal form {', '.join(sorted(query))} is not {', '.join(sorted(listed))}"
    return Feature("legal forms differ", 0.0, -score * ctx.settings.legal_form_penalty, detail)


def _given_name_order(ctx: _Context, score: float) -> Feature | None:
    """Ramón Eduardo is not Eduardo Ramón: given names keep their order."""
    if not ctx.listed.is_person_form:
        return None
    roles = [t.role for t in ctx.listed.tokens]
    first = roles.index(Role.GIVEN) if Role.GIVEN in roles else len(roles)
    order = sorted((j, i) for i, j, _, _ in ctx.pairs if j >= first and roles[j] in _GIVEN)
    query_order = [i for _, i in order]
    if len(query_order) < 2 or query_order == sorted(query_order):
        return None
    return Feature("given names reordered", 1.0, -score * 0.3, "given names in another order")


def _common_name(ctx: _Context, score: float) -> Feature | None:
    """A person's name matched only by names many people carry (Luis Castro for CASTRO
    VILLA, Luis Fernando; Mark Albert Taylor for TAYLOR, Mark), or only through Han characters
    or Hangul (晨 王 for WANG, Chen): short of the whole listed name or more than it, spelled
    otherwise, or held by many listed names too, that says little about who is meant.
    """
    if not ctx.listed.person:
        return None
    matched = [
        (ctx.query.tokens[i], ctx.listed.tokens[j])
        for i, j, similarity, _ in ctx.pairs
        if similarity > 0 and ctx.listed.tokens[j].role in _NAME_ROLES
    ]
    if not matched:
        return None
    rarity = ctx.rarity
    ambiguous = all(query.ambiguous for query, _ in matched)
    if not ambiguous and not all(
        rarity.common_name(query.text) or rarity.common_name(listed.text)
        for query, listed in matched
    ):
        return None
    whole = not ctx.unmatched_listed(_NAME_ROLES) and not ctx.unmatched_query(_NAME_ROLES)
    names = [pair for pair in matched if Role.INITIAL not in (pair[0].role, pair[1].role)]
    if whole and len(names) > _COMMON_NAME_PARTS and (not ambiguous or _surname_first(ctx)):
        # Three common names, the whole name, are rare enough; so are three syllables of a
        # name in Hangul or Han characters written surname first, as those names are.
        return None
    if not ambiguous and whole and _exact(ctx):
        # The whole name and no more, however common (John Doe for DOE, John), unless the
        # lists themselves hold it in many names (Ali Ahmed for 'ALI, Ahmad). Spelled
        # otherwise it is rather another common name (Carlos Alvarez for ALVARES, Carlos).
        generic = rarity.generic_weight
        if all(rarity.weigh(listed.text) >= generic for _, listed in matched):
            return None
    if not ambiguous and whole and _one_misspelling(ctx):
        # The whole name with one word misspelled (Donlad Trump for TRUMP, Donald): this
        # name, not another common name.
        return None
    common = " ".join(listed.text for _, listed in matched)
    detail = f"only '{common}' matched: names many people carry"
    return Feature("common name", 1.0, -score * ctx.settings.common_name_penalty, detail)


def _surname_first(ctx: _Context) -> bool:
    """Whether the query's first word is the listed person's surname (김정은: KIM, Jong Un)."""
    first = [j for i, j, _, _ in ctx.pairs if i == 0]
    return bool(first) and ctx.listed.tokens[first[0]].role is Role.SURNAME


def _one_misspelling(ctx: _Context) -> bool:
    """Whether all aligned words but one are written as listed, and that one is a name
    people carry on one side and on the other a typo of it that nobody carries (Donlad for
    DONALD, Fridrich for FRIEDRICH)."""
    respelled = ("fuzzy", "transliteration")
    typos = [(i, j) for i, j, _, how in ctx.pairs if how in respelled]
    others = [how for _, _, _, how in ctx.pairs if how not in respelled]
    if len(typos) != 1 or not others or any(how not in ("exact", "legal form") for how in others):
        return False
    i, j = typos[0]
    shares, weigh = ctx.rarity.name_share, ctx.rarity.weigh
    rare, common = sorted(
        (ctx.query.tokens[i].text, ctx.listed.tokens[j].text), key=lambda w: shares.get(w, 0.0)
    )
    return (
        OSA.distance(rare, common) == 1  # a typo: one letter wrong, missing, extra or swapped
        and shares.get(rare, 0.0) == 0.0
        and shares.get(common, 0.0) > 0.0
        and weigh(rare) >= ctx.rarity.distinctive_weight  # nor a name many listed names hold
    )


def _exact(ctx: _Context) -> bool:
    """Whether every aligned word is written as listed."""
    return all(how in ("exact", "legal form") for _, _, _, how in ctx.pairs)


# Three common names, the whole name, are rare enough (Juan Carlos Gonzalez).
_COMMON_NAME_PARTS: Final = 2


def _typos_throughout(ctx: _Context, score: float) -> Feature | None:
    """Every name word matched only with a typo (Mara Putinja for PUTINA, Maria): one typo
    is a typo, several are another name."""
    if not any(how == "fuzzy" for _, _, _, how in ctx.pairs):
        return None
    hows = [how for i, j, _, how in ctx.pairs if ctx.listed.tokens[j].role in _NAME_ROLES]
    if hows.count("fuzzy") < 2 or any(how != "fuzzy" for how in hows):
        return None
    detail = "no name word matched exactly or as a transliteration, each had a typo"
    return Feature("typos throughout", 1.0, -score * ctx.settings.common_name_penalty, detail)


def _partial_transliteration(ctx: _Context, score: float) -> Feature | None:
    """A name written in Arabic script that matches only part of the listed name: without
    its vowels, a part of a name sounds like too many others (يوسف صیادی for YUSUF, Siyaad
    Isaaq)."""
    if not any(token.script == "abjad" for token in ctx.query.tokens):
        return None
    if not any(ctx.query.tokens[i].vowelless for i, _, _, _ in ctx.pairs):
        return None
    missing = ctx.unmatched_listed(_NAME_ROLES)
    if not missing:
        return None
    detail = f"written in Arabic script, and listed name parts not in it: {missing[0].text}"
    return Feature("partial name in another script", 1.0, -score * 0.3, detail)
