"""`Matcher`: which listed entities could this name be? Ranked, scored 0..1, explained."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Final, TypeVar, cast

from watchlist.matching.analysis import Analysis, Role, Token, analyze, query_variants, skeleton
from watchlist.matching.index import NameIndex, top_candidates
from watchlist.matching.lexicon import EMPTY_LEXICON, Lexicon
from watchlist.matching.model import (
    EntityProfile,
    Explanation,
    Feature,
    Match,
    MatchSettings,
    NameRecord,
    Query,
)
from watchlist.matching.normalize import fold, tokenize
from watchlist.matching.scoring import (
    Comparison,
    NameScore,
    Rarity,
    SimilarityCache,
    compare_names,
    explain,
    score_names,
)

BirthDate = tuple[int | None, int | None, int | None]
T = TypeVar("T")
_MEMO_SIZE: Final = 50_000
# Running text needs only the best match of a mention: the names most likely to reach it.
_TEXT_CANDIDATES: Final = 16
# A one-word name this long or longer is also found in other transliterations.
_TRANSLITERATED_LENGTH: Final = 6


class Matcher:
    """An index over listed names that answers lookups; build once, query many times."""

    def __init__(
        self,
        names: Iterable[NameRecord],
        profiles: Mapping[int, EntityProfile] | None = None,
        settings: MatchSettings | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.settings = settings or MatchSettings()
        self.index = NameIndex(names)
        self.profiles: Mapping[int, EntityProfile] = profiles or {}
        # How common words are outside the lists (none known: every word counts as
        # distinctive, as the lists alone say).
        self.lexicon = (lexicon or EMPTY_LEXICON).tuned(
            self.settings.common_word_zipf,
            self.settings.lower_case_word_zipf,
            self.settings.common_name_share,
        )
        self._by_entity: dict[int, list[int]] | None = None
        self._distinctive: frozenset[str] | None = None
        self._holders: dict[str, list[int]] = {}
        self._telling_cache: dict[str, bool] = {}
        self._worth: dict[str, bool] = {}  # name -> worth looking up
        self._memo: dict[tuple[str, float], list[Match]] = {}
        self._derived: dict[str, object] = {}
        generic_at = max(50, int(self.index.size * self.settings.generic_token_share))
        self.rarity = Rarity(
            index=self.index,
            generic_weight=self.index.rarity(generic_at),
            distinctive_weight=self.index.rarity(self.settings.distinctive_surname_names),
            name_share=self.lexicon.name_share,
            common_share=self.lexicon.common_name_share,
        )

    def __len__(self) -> int:
        return len(self.index.records)

    def best_match(self, name: str, threshold: float) -> Match | None:
        """The best match of a name found in running text, if any reaches `threshold`.

        Memoised (bounded): a text repeats its names, a night of news more so. Only the best
        candidate is explained. Weak aliases are left out: OFAC itself calls them broad or
        generic names that give many false hits, and in running text they do (`Tom`, `Leo`).
        """
        key = (name, threshold)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = self.lookup(
                Query(name), threshold=threshold, limit=1, candidates=_TEXT_CANDIDATES, weak=False
            )
        return found[0] if found else None

    def derived(self, key: str, make: Callable[[], T]) -> T:
        """What another layer builds from this matcher, built once and dropped with it (text
        screening keeps its lower-case surname spotter here)."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = make()
        return cast(T, found)

    def worth_looking_up(self, name: str) -> bool:
        """Whether any word of `name` is, or is spelled like, a telling listed name word.

        Running text is full of names that share nothing with the lists (John Kirby); this
        cheap test spares them a lookup. Typos are still found when another word of the name
        is listed as written.
        """
        known = self._worth.get(name)
        if known is None:
            if len(self._worth) >= _MEMO_SIZE:
                self._worth.clear()
            # Called as `lookup` calls it, so the lookup that follows finds it in the cache.
            tokens = analyze(name, person=None).tokens
            known = self._worth[name] = any(self._telling(t) for t in tokens)
        return known

    def _telling(self, token: Token) -> bool:
        known = self._telling_cache.get(token.text)
        if known is None:
            generic_at = max(50, int(self.index.size * self.settings.generic_token_share))
            texts = {token.text} | set(self.index.skeletons.get(token.skeleton, ()))
            if token.text not in self.index.postings:  # Lawrow: lavrov
                for sound in token.sounds:
                    texts.add(sound)
                    texts.update(self.index.skeletons.get(skeleton(sound), ()))
            known = any(0 < self.index.frequency(t) <= generic_at for t in texts)
            self._telling_cache[token.text] = known
        return known

    def lookup_exact(self, name: str) -> list[Match]:
        """Listed one-word names written as `name` (case, accents, punctuation and legal forms
        aside), or as another transliteration of it (`Hizbollah`, HIZBALLAH): the only way a
        one-word mention in running text can be a hit. Weak aliases never are."""
        key = (name, -1.0)
        found = self._memo.get(key)
        if found is None:
            found = []
            wanted, gender = Query(name), implied_gender(name)
            for variant in query_variants(name):
                for position in self._whole_names(variant.bare_key):
                    found.append(self._score(variant, position, wanted, gender, {}))
            found.sort(key=lambda m: (-m.score, m.entity_id))
            self._memo[key] = found
        return found

    def _whole_names(self, key: str) -> list[int]:
        """Positions of the one-word names (weak aliases aside) written as `key`, else
        spelled like it."""
        exact = self._strong(self.index.exact.get(key, ()))
        if exact or " " in key or len(key) < _TRANSLITERATED_LENGTH:
            return exact
        return self._strong(
            position
            for spelled in self.index.whole_skeletons.get(skeleton(key), ())
            for position in self.index.exact[spelled]
        )

    def _strong(self, positions: Iterable[int]) -> list[int]:
        return [i for i in positions if not self.index.records[i].is_weak]

    def surname_holders(self, surname: str) -> list[int]:
        """Listed persons whose surname is exactly `surname` (folded), principal first.

        Only a distinctive surname qualifies: one few listed names hold, so that `Shoigu`
        alone can stand for a listed person while `Kim` cannot. Among relatives sharing it,
        the principal is the one the others are linked to.
        """
        found = self._holders.get(surname)
        if found is None:
            found = self._holders[surname] = self._surname_holders(surname)
        return found

    def _surname_holders(self, surname: str) -> list[int]:
        tokens = analyze(surname).texts
        if len(tokens) != 1 or len(tokens[0]) < 4:
            return []
        text = tokens[0]
        if self.index.frequency(text) > self.settings.distinctive_surname_names:
            return []
        if not self.lexicon.distinctive(text):  # Duran, Fleming, Madrid: many people's name
            return []
        holders = {
            self.index.records[i].entity_id
            for i in self.index.postings.get(text, ())
            if any(t.text == text and t.role is Role.SURNAME for t in self.index.analyses[i].tokens)
        }
        return sorted(holders, key=lambda e: (-self._links(e), e))

    def entity_kind(self, entity_id: int) -> str:
        """person, organization, vessel or aircraft ("" for an entity not held)."""
        positions = self._positions().get(entity_id)
        return self.index.records[positions[0]].entity_kind if positions else ""

    def telling_word(self, word: str) -> bool:
        """Whether a folded word of an organisation's name can stand for it alone once it has
        been named in full (`Wagner` for `Wagner Group`): not a legal form, an everyday word
        (`group`, `bank`), a place or a nationality."""
        held_by = max(1, int(self.index.size * self.settings.short_form_share))
        return (
            not word.startswith("~")
            and 0 < self.index.frequency(word) <= held_by  # not `islamic`, `trading`
            and word not in self.lexicon.places
            and word not in self.lexicon.nationalities
            and not self.lexicon.common_word(word)
        )

    def given_names(self) -> frozenset[str]:
        """Every given name of a listed person written SURNAME, Given (built once)."""
        return self.derived("given names", self._given_names)

    def _given_names(self) -> frozenset[str]:
        return frozenset(
            token.text
            for analysis in self.index.analyses
            if analysis.is_person_form
            for token in analysis.tokens
            if token.role is Role.GIVEN
        )

    def distinctive_surnames(self) -> frozenset[str]:
        """Every surname token `surname_holders` would accept (built once, on first use)."""
        if self._distinctive is None:
            limit = self.settings.distinctive_surname_names
            self._distinctive = frozenset(
                token.text
                for analysis in self.index.analyses
                for token in analysis.tokens
                if token.role is Role.SURNAME
                and len(token.text) >= 4
                and self.index.frequency(token.text) <= limit
                and self.lexicon.distinctive(token.text)
            )
        return self._distinctive

    def primary_name(self, entity_id: int) -> str:
        """The entity's primary name (its first name when none is marked primary)."""
        positions = self._positions().get(entity_id, [])
        records = [self.index.records[i] for i in positions]
        primary = [r.name for r in records if r.name_kind == "primary"]
        return (primary or [r.name for r in records] or [""])[0]

    def surnames_of(self, entity_id: int) -> set[str]:
        """Surname tokens of a listed person (all but the first token when unmarked)."""
        found: set[str] = set()
        for i in self._positions().get(entity_id, []):
            if self.index.records[i].entity_kind != "person":
                continue
            tokens = self.index.analyses[i].tokens
            marked = {t.text for t in tokens if t.role is Role.SURNAME}
            found |= marked or {t.text for t in tokens[1:] if t.role is Role.NAME}
        return found

    def _positions(self) -> dict[int, list[int]]:
        if self._by_entity is None:
            by_entity: dict[int, list[int]] = {}
            for i, record in enumerate(self.index.records):
                by_entity.setdefault(record.entity_id, []).append(i)
            self._by_entity = by_entity
        return self._by_entity

    def _links(self, entity_id: int) -> int:
        profile = self.profiles.get(entity_id)
        return profile.linked_from if profile else 0

    def lookup(
        self,
        query: Query,
        *,
        limit: int = 10,
        threshold: float | None = None,
        candidates: int | None = None,
        weak: bool = True,
    ) -> list[Match]:
        """The best match per entity at or above the threshold, best first.

        The query says who is asked about; the keywords say how far to look: `candidates`
        caps how many names are scored (default: matching.max_candidates), `weak` whether
        weak aliases may match (exactly).
        """
        floor = self.settings.threshold if threshold is None else threshold
        best: dict[int, _Ranked] = {}
        person = None if query.kind is None else query.kind == "person"
        gender = implied_gender(query.name)
        for variant in query_variants(query.name, person=person):
            cache: SimilarityCache = {}
            for position in self._candidates(variant, floor, candidates, weak):
                ranked = self._rank(variant, position, query, gender, cache)
                entity_id = self.index.records[position].entity_id
                current = best.get(entity_id)
                if current is None or ranked.scores > current.scores:
                    best[entity_id] = ranked
        order = sorted(best.items(), key=lambda item: (-item[1].scores[0], item[0]))
        chosen = [ranked for _, ranked in order if ranked.scores[0] >= floor][:limit]
        # Only the matches returned are explained (from the comparison that ranked them).
        return [
            self._score(r.query, r.position, query, gender, r.cache, r.comparison) for r in chosen
        ]

    def _rank(
        self,
        query: Analysis,
        position: int,
        wanted: Query,
        gender: str | None,
        cache: SimilarityCache,
    ) -> _Ranked:
        """What `_score` would score a candidate (score, name score), without explaining it."""
        record = self.index.records[position]
        comparison = None
        if record.is_weak:
            likeness = self.settings.weak_alias_score
        else:
            listed = self.index.analyses[position]
            comparison = compare_names(query, listed, self.rarity, self.settings, cache)
            likeness = comparison.score
        score = likeness
        profile = self.profiles.get(record.entity_id)
        for feature in _qualifiers(record, profile, wanted, gender, score, self.settings):
            score += feature.contribution
        rounded = round(max(0.0, min(1.0, score)), 4)
        return _Ranked((rounded, likeness), query, position, cache, comparison)

    def _candidates(
        self, query: Analysis, floor: float, cap: int | None, weak: bool = True
    ) -> list[int]:
        if not query.tokens:
            return []
        found = top_candidates(
            self.index,
            query,
            limit=cap or self.settings.max_candidates,
            generic_share=self.settings.generic_token_share,
            floor=floor,
            query_weight=self.settings.query_weight,
        )
        return found + self.index.weak.get(query.key, []) if weak else found

    def _score(
        self,
        query: Analysis,
        position: int,
        wanted: Query,
        gender: str | None,
        cache: SimilarityCache,
        comparison: Comparison | None = None,
    ) -> Match:
        """The explained match of a candidate (`comparison`: its names compared already;
        `gender`: the one a courtesy title in the query's name implies)."""
        record = self.index.records[position]
        listed = self.index.analyses[position]
        if record.is_weak:
            result = _weak_alias_score(self.settings)
        elif comparison is not None:
            result = explain(comparison)
        else:
            result = score_names(query, listed, self.rarity, self.settings, cache)
        features = list(result.features)
        score = result.score
        profile = self.profiles.get(record.entity_id)
        for feature in _qualifiers(record, profile, wanted, gender, score, self.settings):
            features.append(feature)
            score += feature.contribution
        explanation = Explanation(
            alignment=result.alignment,
            features=tuple(features),
            unmatched_query=result.unmatched_query,
            unmatched_listed=result.unmatched_listed,
        )
        return Match(
            entity_id=record.entity_id,
            matched_name=record.name,
            name_kind=record.name_kind,
            score=round(max(0.0, min(1.0, score)), 4),
            explanation=explanation,
            name_score=result.score,
        )


def _weak_alias_score(settings: MatchSettings) -> NameScore:
    feature = Feature(
        "weak alias", 1.0, settings.weak_alias_score, "exact match of a weak alias (only exact)"
    )
    return NameScore(settings.weak_alias_score, (), (feature,), (), ())


@dataclasses.dataclass(frozen=True, slots=True)
class _Ranked:
    """A scored candidate waiting to be explained: (score, name score) and how to redo it."""

    scores: tuple[float, float]
    query: Analysis
    position: int
    cache: SimilarityCache
    comparison: Comparison | None  # None for a weak alias

    def __init__(
        self,
        scores: tuple[float, float],
        query: Analysis,
        position: int,
        cache: SimilarityCache,
        comparison: Comparison | None,
    ) -> None:
        object.__setattr__(self, "scores", scores)
        object.__setattr__(self, "query", query)
        object.__setattr__(self, "position", position)
        object.__setattr__(self, "cache", cache)
        object.__setattr__(self, "comparison", comparison)


_GENDERED_TITLES: Final = {
    "mr": "male", "mrs": "female", "ms": "female", "miss": "female", "madam": "female",
    "madame": "female", "mme": "female", "lady": "female", "sir": "male", "lord": "male",
}  # fmt: skip


def implied_gender(name: str) -> str | None:
    """The gender a courtesy title in front of a name implies (`Mrs Shoigu`)."""
    tokens = tokenize(name)
    return _GENDERED_TITLES.get(tokens[0]) if len(tokens) > 1 else None


def _qualifiers(
    record: NameRecord,
    profile: EntityProfile | None,
    wanted: Query,
    gender: str | None,
    score: float,
    settings: MatchSettings,
) -> list[Feature]:
    """The qualifiers' features: what the query's kind, birth date and country, and the
    gender its title implies, add to or take from a candidate's score."""
    features: list[Feature] = []
    if wanted.kind and wanted.kind != record.entity_kind:
        detail = f"query is a {wanted.kind}, listed entity a {record.entity_kind}"
        features.append(Feature("kind", 0.0, -score * settings.kind_penalty, detail))
    if profile is None:
        return features
    if wanted.birth_date is not None and profile.birth_dates:
        birth = parse_birth_date(wanted.birth_date)
        features.append(_birth_date_feature(birth, profile, settings))
    if wanted.country and profile.countries:
        features.append(_country_feature(wanted.country, profile, settings))
    if gender and profile.gender and gender != profile.gender.lower():
        detail = f"the title implies {gender}; listed as {profile.gender.lower()}"
        features.append(Feature("gender", 0.0, -score * settings.kind_penalty, detail))
    return features


def parse_birth_date(value: dt.date | str) -> BirthDate:
    """`1966`, `1966-05`, `1966-05-07` or a date -> (year, month, day)."""
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    parts: list[int | None] = []
    parts.extend(int(p) for p in value.strip().split("-") if p.isdigit())
    parts = (parts + [None, None, None])[:3]
    return parts[0], parts[1], parts[2]


def _birth_date_feature(
    query: BirthDate, profile: EntityProfile, settings: MatchSettings
) -> Feature:
    year, month, day = query
    verdicts = [_compare_dates(query, listed) for listed in profile.birth_dates]
    best = max(verdicts)
    listed_text = ", ".join("-".join(str(p) for p in d if p) for d in profile.birth_dates)
    detail = f"query born {'-'.join(str(p) for p in (year, month, day) if p)}; listed {listed_text}"
    if best == 2:
        return Feature("birth date", 1.0, settings.birth_date_bonus, detail)
    if best == 1:
        return Feature("birth date", 0.5, 0.0, detail + " (year agrees)")
    if best == 0:
        return Feature(
            "birth date", 0.0, -settings.birth_date_penalty / 2, detail + " (day differs)"
        )
    return Feature("birth date", 0.0, -settings.birth_date_penalty, detail + " (year differs)")


def _compare_dates(query: BirthDate, listed: BirthDate) -> int:
    """2 all known parts agree, 1 the year agrees, 0 same year but the day differs, -1 no."""
    if query[0] is None or listed[0] is None or query[0] != listed[0]:
        return -1
    known = [(a, b) for a, b in zip(query[1:], listed[1:]) if a and b]
    if not known:
        return 1
    return 2 if all(a == b for a, b in known) else 0


def _country_feature(country: str, profile: EntityProfile, settings: MatchSettings) -> Feature:
    wanted = fold(country).lower().strip()
    listed = ", ".join(sorted(profile.countries))
    if wanted in profile.countries:
        return Feature("country", 1.0, settings.country_bonus, f"{country} is among {listed}")
    return Feature("country", 0.0, -settings.country_penalty, f"{country} is not among {listed}")


def normalize_country(name: str) -> str:
    """The form countries are compared in."""
    return fold(name).lower().strip()


__all__ = ["EntityProfile", "Match", "MatchSettings", "Matcher", "NameRecord", "Query"]
