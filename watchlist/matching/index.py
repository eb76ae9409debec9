"""The in-memory index: token postings with transliteration and typo routes, token rarity.

Candidate retrieval never compares a query with every listed name. Each query token is looked
up exactly, by consonant skeleton (transliteration variants) and through single-deletion keys
(typos); the names sharing the rarest tokens become candidates. Tokens so common that they say
little (CORP, GROUP, TRADING, KIM) do not fetch candidates on their own.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Final

from watchlist.matching.analysis import (
    MIDDLE_SHARE,
    ROLE_WEIGHT,
    Analysis,
    Role,
    Token,
    analyze,
    skeleton,
)
from watchlist.matching.model import NameRecord


def deletions(text: str) -> set[str]:
    """Every string one deletion away (the symmetric-delete typo route)."""
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


class NameIndex:
    """Listed names, analysed once, with the lookup structures built over their tokens."""

    FUZZY_MIN_LENGTH = 4
    MEMO_SIZE = 50_000

    def __init__(self, records: Iterable[NameRecord]) -> None:
        self.records: list[NameRecord] = []
        self.analyses: list[Analysis] = []
        self.weak: dict[str, list[int]] = defaultdict(list)
        self.exact: dict[str, list[int]] = defaultdict(list)
        postings: dict[str, list[int]] = defaultdict(list)
        tokens: dict[tuple[str, Role, str], Token] = {}
        for record in records:
            analysis = _intern(analyze(record.name, person=record.entity_kind == "person"), tokens)
            index = len(self.records)
            self.records.append(record)
            self.analyses.append(analysis)
            bare = analysis.bare_key
            if bare and " " not in bare:  # one-word mentions are looked up exactly
                self.exact[bare].append(index)
            if record.is_weak:
                self.weak[analysis.key].append(index)
                continue
            for text in dict.fromkeys(analysis.texts):
                postings[text].append(index)
        # Frozen sets of the shared position objects: fetching merges them into its sets whole,
        # without iterating and hashing each position again.
        self.postings = {text: frozenset(names) for text, names in postings.items()}
        self.size = max(1, len(self.records))
        self.unseen_weight = math.log((self.size + 1) / 0.5)
        self.weights = {text: self.rarity(len(p)) for text, p in self.postings.items()}
        self.totals = tuple(self.name_weight(a) for a in self.analyses)  # read per candidate
        self.skeletons = _skeleton_index(tokens.values())
        self.deletes = _delete_index(self.postings, self.FUZZY_MIN_LENGTH)
        # One-word names by consonant skeleton: `Hizbollah` finds HIZBALLAH.
        self.whole_skeletons: dict[str, list[str]] = defaultdict(list)
        for key in self.exact:
            self.whole_skeletons[skeleton(key)].append(key)
        # token -> (similar listed tokens, in the order first found; how many names hold them)
        self._similar: dict[tuple[str, Role, str], tuple[tuple[str, ...], int]] = {}

    def frequency(self, text: str) -> int:
        """How many listed names hold the token."""
        posting = self.postings.get(text)
        return len(posting) if posting is not None else 0

    def weight(self, text: str) -> float:
        """Rarity of a token: rare tokens identify a name, common ones barely."""
        return self.weights.get(text, self.unseen_weight)

    def name_weight(self, analysis: Analysis) -> float:
        """The total weight of a name's tokens (what coverage is measured against)."""
        return sum((token_weight(self, token) for token in analysis.tokens), 0.0)

    def rarity(self, frequency: int) -> float:
        """The weight of a token held by `frequency` listed names."""
        return math.log((self.size + 1) / (frequency + 0.5))

    def similar_tokens_held(self, token: Token) -> tuple[set[str], int]:
        """Listed tokens that may be `token` (itself, its transliterations, one-typo variants),
        and how many listed names hold them, summed over the tokens."""
        key = (token.text, token.role, token.skeleton)
        known = self._similar.get(key)
        if known is None:
            if len(self._similar) >= self.MEMO_SIZE:
                self._similar.clear()
            texts = tuple(self._similar_tokens(token))
            known = self._similar[key] = (texts, sum(self.frequency(t) for t in texts))
        # Added in the order first found, the set lists them as building it afresh would.
        return set(known[0]), known[1]

    def _similar_tokens(self, token: Token) -> dict[str, None]:
        """The tokens `similar_tokens_held` gives, in the order they are first found."""
        found: dict[str, None] = {}
        if token.text in self.postings:
            found[token.text] = None
        if token.role in (Role.NUMBER, Role.INITIAL, Role.LEGAL):
            return found
        _add(found, self.skeletons.get(token.skeleton, ()))
        for sound in token.sounds:  # Lawrow: lavrov, as German and Polish spell it
            if sound in self.postings:
                found[sound] = None
            _add(found, self.skeletons.get(skeleton(sound), ()))
        if not found and len(token.text) >= 2 * _GLUED_PART:  # VladimirPutin, Ramimakhlouf
            _add(found, _glued_parts(self.postings, token.text))
        if len(token.text) >= self.FUZZY_MIN_LENGTH:
            _add(found, self.deletes.get(token.text, ()))
            for variant in deletions(token.text):
                _add(found, self.deletes.get(variant, ()))
                if variant in self.postings:
                    found[variant] = None
        return found


def _glued_parts(postings: dict[str, frozenset[int]], text: str) -> tuple[str, ...]:
    """Two listed words written as one (`ramimakhlouf`: rami, makhlouf), each at least
    `_GLUED_PART` letters long."""
    for cut in range(_GLUED_PART, len(text) - _GLUED_PART + 1):
        head, tail = text[:cut], text[cut:]
        if head in postings and tail in postings:
            return head, tail
    return ()


_GLUED_PART: Final = 3


def _add(found: dict[str, None], texts: tuple[str, ...]) -> None:
    """Add `texts` to `found`, after those it holds (`found.update(dict.fromkeys(texts))`)."""
    for text in texts:
        found[text] = None


def _intern(analysis: Analysis, tokens: dict[tuple[str, Role, str], Token]) -> Analysis:
    """Share equal Token objects between names (a million names hold far fewer tokens)."""
    shared = tuple(tokens.setdefault((t.text, t.role, t.skeleton), t) for t in analysis.tokens)
    return Analysis(shared, analysis.is_person_form, analysis.person)


def _skeleton_index(tokens: Iterable[Token]) -> dict[str, tuple[str, ...]]:
    """Listed tokens by consonant skeleton, and by the skeletons of their other spellings."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for token in tokens:
        if len(token.skeleton) >= 2 and token.role not in (Role.LEGAL, Role.NUMBER):
            grouped[token.skeleton].add(token.text)
            for sound in token.sounds:
                grouped[skeleton(sound)].add(token.text)
    return {key: tuple(texts) for key, texts in grouped.items() if len(key) >= 2}


def _delete_index(
    postings: dict[str, frozenset[int]], min_length: int
) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for text in postings:
        if len(text) >= min_length and not text.startswith("~"):
            for variant in deletions(text):
                grouped[variant].append(text)
    return {key: tuple(texts) for key, texts in grouped.items()}


def top_candidates(
    index: NameIndex,
    query: Analysis,
    *,
    limit: int,
    generic_share: float,
    floor: float = 0.0,
    query_weight: float = 0.6,
) -> list[int]:
    """Names sharing the query's most telling tokens, best first (at most `limit`).

    Rare tokens fetch candidates; tokens so common they say little (CORP, GROUP, KIM) only
    rank the candidates the rare ones fetched. A candidate whose best possible score (every
    shared token a perfect match, see `_ScoreBound`) stays under `floor` is never scored.
    """
    routes, fetching = _fetching_routes(index, query, generic_share)
    if not fetching:
        return []
    weights = [token_weight(index, token) for token in query.tokens]
    # Words that fetched nothing, or only some spellings, may still be shared by a candidate.
    unfetched = [i for i in range(len(routes)) if fetching.get(i) != routes[i]]
    bound = _ScoreBound(weights, unfetched, floor, query_weight)
    hopeful = _hopeful(index, bound, _fetch(index, fetching))
    shared = _credit_unfetched(index, routes, weights, unfetched, hopeful)
    return _rank(index, bound, shared, limit)


def _fetching_routes(
    index: NameIndex, query: Analysis, generic_share: float
) -> tuple[list[set[str]], dict[int, set[str]]]:
    """Each query word's listed spellings (its routes), and the routes that fetch candidates:
    those of the telling words, or else the uncommon spellings of the rarest word (nothing
    when no word has a listed spelling)."""
    generic_at = max(50, int(index.size * generic_share))
    held = [index.similar_tokens_held(token) for token in query.tokens]
    routes = [texts for texts, _ in held]
    # A query word is telling when all its spellings together are held by few names: a
    # common name (Muhammad, with hundreds of listed spellings) is not, however rare each is.
    group = [frequency for _, frequency in held]
    _add_joined_routes(index, query, routes, group)
    telling = [i for i, texts in enumerate(routes) if texts and group[i] <= generic_at]
    if telling:
        return routes, {i: routes[i] for i in telling}
    present = [i for i, texts in enumerate(routes) if texts]
    if not present:
        return routes, {}
    rarest = min(present, key=group.__getitem__)  # only its uncommon spellings
    cheap = {t for t in routes[rarest] if index.frequency(t) <= generic_at}
    return routes, {rarest: cheap or {min(routes[rarest], key=index.frequency)}}


class _ScoreBound:
    """The best score a candidate can reach, to pass over those that cannot reach the floor.

    With every shared token a perfect match, a name's score is its coverage product

        (shared / query_total) ** query_weight * min(1, shared / name_total) ** exponent

    (exponent = 1 - query_weight), where `shared` is the weight of the query words the name
    holds, `name_total` the weight of all its tokens (`NameIndex.totals`) and `query_total`
    the query's weight with each inner word counted as a middle name the list lacks (they
    count `MIDDLE_SHARE`, see scoring._query_weights): at best every inner word is one.
    Fuzzy and transliterated tokens share less than their weight, so candidates are kept down
    to `reach` (the floor less `_SLACK`), not to the floor itself.

    While fetching, a name's shared weight is known only as the weight of the words that
    fetched it, plus, at best, every word fetching skipped (`extra`). A group of names whose
    first factor already falls under `reach` is dropped whole (the second factor is at most 1;
    `floor_share` is the shared weight that factor needs). Within a group the second factor
    falls as the name's total grows, so the test reads as a bound on the total
    (`_total_bounds`) and is computed only for totals within rounding of that bound. Once
    the common words are credited (`_credit_unfetched`), the test is made again on the exact
    shared weight, and the names that pass are ranked by their bound.
    """

    def __init__(
        self, weights: list[float], unfetched: list[int], floor: float, query_weight: float
    ) -> None:
        inner = sum((weights[i] for i in range(1, len(weights) - 1)), 0.0) * (1 - MIDDLE_SHARE)
        self.weights = weights
        self.total = sum((weight for weight in weights), 0.0) - inner or 1.0
        self.reach = floor * _SLACK
        self.query_weight = query_weight
        self.exponent = 1 - query_weight
        skipped = set(unfetched)
        self.extra = sum((weights[i] for i in skipped), 0.0)
        self.fetched_only = [i for i in range(len(weights)) if i not in skipped]
        self.floor_share = self.reach ** (1 / query_weight) * self.total if query_weight else 0.0


def _hopeful(index: NameIndex, bound: _ScoreBound, groups: dict[int, set[int]]) -> dict[int, int]:
    """The fetched names whose bound may reach, each with the query words that fetched it
    (grouped by those words, as `_fetch` gives them)."""
    weights, fetched_only, total = bound.weights, bound.fetched_only, bound.total
    reach, query_weight, exponent = bound.reach, bound.query_weight, bound.exponent
    totals = index.totals
    hopeful: dict[int, int] = {}
    for words, names in groups.items():
        weight = bound.extra + sum((weights[i] for i in _word_set(words) if i in fetched_only), 0.0)
        if weight < bound.floor_share:
            continue
        query_reach = math.pow(weight / total, query_weight)
        if query_reach < reach:
            continue
        surely, never = _total_bounds(weight, query_reach, reach, exponent)
        for name in names:
            name_total = totals[name]
            if name_total <= surely or (
                name_total < never
                and query_reach * math.pow(min(1.0, weight / name_total), exponent) >= reach
            ):
                hopeful[name] = words
    return hopeful


def _rank(index: NameIndex, bound: _ScoreBound, shared: dict[int, float], limit: int) -> list[int]:
    """The `limit` names with the best bounds on their exact shared weight, best first; those
    under reach are left out (they would rank below all others)."""
    total, reach = bound.total, bound.reach
    query_weight, exponent = bound.query_weight, bound.exponent
    totals = index.totals
    reaching = []
    query_sides: dict[float, float] = {}  # shared weight -> its query-side factor
    for name, weight in shared.items():
        factor = query_sides.get(weight)
        if factor is None:
            factor = query_sides[weight] = math.pow(weight / total, query_weight)
        best = factor * math.pow(min(1.0, weight / totals[name]), exponent)
        if best >= reach:
            reaching.append((best, weight, name))
    # No two tie (their names differ): the order is heapq.nlargest's.
    reaching.sort(reverse=True)
    return [name for _, _, name in reaching[:limit]]


def _total_bounds(
    weight: float, query_reach: float, reach: float, exponent: float
) -> tuple[float, float]:
    """For a name sharing `weight` of the query, the test
    query_reach * min(1, weight / total) ** exponent >= reach (query_reach >= reach) read as
    bounds on its total weight: it holds for totals up to the first, fails from the second
    on, and is computed between them (within rounding of the exact bound). When the test
    barely moves with the total (a tiny exponent), it is computed for every total."""
    if exponent < _STEEP or reach <= 0:
        return 0.0, math.inf
    share = math.pow(reach / query_reach, 1 / exponent)
    if share <= 0:
        return 0.0, math.inf
    bound = weight / share
    return bound * (1 - _ROUNDING), bound * (1 + _ROUNDING)


# Far wider than the rounding errors of the bound and of the test it stands for, as long as
# the test's exponent is at least _STEEP (the test moves with the total as fast as that).
_ROUNDING: Final = 1e-9
_STEEP: Final = 0.01

# Fuzzy and transliterated tokens share less than their weight: leave room below the floor.
_SLACK: Final = 0.9


def _fetch(index: NameIndex, fetch_texts: dict[int, set[str]]) -> dict[int, set[int]]:
    """Candidate names grouped by the query words that fetched them (bit i for word i)."""
    groups: dict[int, set[int]] = {}
    for i, texts in fetch_texts.items():
        bit = 1 << i
        names: set[int] = set()
        for text in texts:
            names.update(index.postings.get(text, _NONE))
        refined: dict[int, set[int]] = {}
        for words, held in groups.items():
            both = held & names
            if both:
                refined[words | bit] = both
                names -= both
            if len(both) < len(held):
                refined[words] = held - both
        if names:
            refined[bit] = names
        groups = refined
    return groups


_NONE: Final[frozenset[int]] = frozenset()


def _word_set(words: int) -> set[int]:
    """The query words of a bit mask, as the set fetching them one by one would hold."""
    return set(i for i in range(words.bit_length()) if words >> i & 1)


def _credit_unfetched(
    index: NameIndex,
    routes: list[set[str]],
    weights: list[float],
    unfetched: list[int],
    hopeful: dict[int, int],
) -> dict[int, float]:
    """Shared weight of each hopeful candidate (name -> the query words that fetched it),
    crediting the common tokens it holds."""
    if len(weights) > _SMALL_QUERY:
        return _credit_unfetched_in_order(index, routes, weights, unfetched, hopeful)
    by_text: dict[str, int] = {}
    for i in unfetched:
        for text in routes[i]:
            by_text[text] = by_text.get(text, 0) | 1 << i
    weight_of: dict[int, float] = {}
    shared: dict[int, float] = {}
    for name, words in hopeful.items():
        if by_text:
            for token in index.analyses[name].tokens:
                words |= by_text.get(token.text, 0)
        weight = weight_of.get(words)
        if weight is None:
            weight = weight_of[words] = sum((weights[i] for i in _word_set(words)), 0.0)
        shared[name] = weight
    return shared


# Up to this many query words, a set of word positions lists them in ascending order whatever
# order they were added in, so shared weights can be summed from bit masks in that order.
_SMALL_QUERY: Final = 8


def _credit_unfetched_in_order(
    index: NameIndex,
    routes: list[set[str]],
    weights: list[float],
    unfetched: list[int],
    hopeful: dict[int, int],
) -> dict[int, float]:
    """`_credit_unfetched` for long queries, summing in the order the words were found."""
    by_text: dict[str, list[int]] = defaultdict(list)
    for i in unfetched:
        for text in routes[i]:
            by_text[text].append(i)
    shared: dict[int, float] = {}
    for name, words in hopeful.items():
        found = set(_word_set(words))
        if by_text:
            for token in index.analyses[name].tokens:
                found.update(by_text.get(token.text, ()))
        shared[name] = sum((weights[i] for i in found), 0.0)
    return shared


def _add_joined_routes(
    index: NameIndex, query: Analysis, routes: list[set[str]], group: list[int]
) -> None:
    """Two query tokens a list writes as one (`Fang Wei` / `FANGWEI`) fetch that name too
    (`group`: how many names hold each word's routes, kept up to date)."""
    tokens = query.tokens
    for i in range(len(tokens) - 1):
        joined = tokens[i].text + tokens[i + 1].text
        found = {joined} if joined in index.postings else set()
        if tokens[i].vowelless:
            found.update(index.skeletons.get(skeleton(joined), ()))
        for word in (i, i + 1):
            group[word] += sum(index.frequency(t) for t in found - routes[word])
            routes[word] |= found


def token_weight(index: NameIndex, token: Token) -> float:
    """A token's weight: its rarity, scaled down for legal forms, particles, patronymics."""
    return index.weight(token.text) * ROLE_WEIGHT.get(token.role, 1.0)
