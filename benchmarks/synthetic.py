"""A deterministic synthetic sanctions list of N names, built from real OFAC SDN name parts.

Token pools come from the shipped SDN list: surnames, first given names and further given names
(middle names, patronymics) of persons written `SURNAME, Given Middle`, words of organisation
names and words of vessel names. Tokens are drawn in proportion to how often the SDN list uses
them; a share of draws splices two tokens into a new one, which gives the long tail of rare
names a large list has. Entities are persons (~60%), organisations (~35%, 2-5 words and an
optional legal form) and vessels (~5%), each with 0-2 transliteration-like aliases.

    records = synthetic_records(1_000_000)   # list[NameRecord], ids from 10_000_000
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import functools
import random
import re
import time
from collections import Counter
from collections.abc import Iterable

from benchmarks.common import ROOT
from watchlist.matching.model import NameRecord

SEED = 20240503
FIRST_ID = 10_000_000
SDN = ROOT / "data/ofac/sdn_legacy_csv"

PERSON_SHARE = 0.60
ORGANIZATION_SHARE = 0.35  # the rest are vessels
TAIL_SHARE = 0.12  # share of token draws that splice two tokens into a rare new one
MIDDLE_SHARE = 0.5
LEGAL_FORM_SHARE = 0.6
ALIAS_COUNTS = (0, 1, 2)
ALIAS_WEIGHTS = (0.45, 0.35, 0.20)
ORG_LENGTHS = (2, 3, 4, 5)
ORG_LENGTH_WEIGHTS = (0.35, 0.35, 0.2, 0.1)

LEGAL_FORMS = ("LLC", "JSC", "LTD", "CO., LTD.", "CO.", "S.A.", "GMBH", "OOO", "PJSC", "INC.",
               "LIMITED", "FZE", "S.R.L.", "AG")  # fmt: skip
PREFIX_LEGAL_FORMS = frozenset({"OOO", "PJSC"})
# Words of legal forms: left out of the organisation word pool (legal forms are added apart).
_LEGAL_WORDS = frozenset(
    "LLC JSC LTD LTD. CO CO. CO., S.A. SA GMBH OOO PJSC OJSC CJSC ZAO OAO AO PAO INC INC. "
    "LIMITED LIABILITY COMPANY JOINT-STOCK JOINT STOCK FZE FZCO S.R.L. SRL AG LLP PLC CORP "
    "CORP. CORPORATION".split()
)
_WORD = re.compile(r"[A-Za-z]")
_VOWELS = "aeiouAEIOU"


@dataclasses.dataclass(frozen=True)
class Pool:
    """Tokens with cumulative counts: `draw` samples them as often as the list uses them."""

    tokens: tuple[str, ...]
    cumulative: tuple[int, ...]

    @classmethod
    def of(cls, counts: Counter[str]) -> Pool:
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        running, cumulative = 0, []
        for _, count in ranked:
            running += count
            cumulative.append(running)
        return cls(tuple(t for t, _ in ranked), tuple(cumulative))

    def draw(self, rng: random.Random) -> str:
        """A token in proportion to its count, or (TAIL_SHARE) a spliced rare one."""
        token = self._pick(rng)
        if rng.random() < TAIL_SHARE:
            token = _splice(token, self._pick(rng), rng)
        return token

    def _pick(self, rng: random.Random) -> str:
        return self.tokens[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def _splice(head: str, tail: str, rng: random.Random) -> str:
    """The start of one token and the end of another (`SHOIGU` + `MEDVEDEV` -> `SHOIVEDEV`)."""
    if len(head) < 4 or len(tail) < 4 or not head.isalpha() or not tail.isalpha():
        return head
    joined = head[: rng.randint(2, len(head) - 2)] + tail[rng.randint(2, len(tail) - 2) :]
    return joined if head[0].isupper() and head[1:2].isupper() else joined.capitalize()


@dataclasses.dataclass(frozen=True)
class Pools:
    surnames: Pool
    given: Pool
    middle: Pool
    org_words: Pool
    vessel_words: Pool


@functools.cache
def sdn_pools() -> Pools:
    """Token pools, with their SDN frequencies, from the shipped OFAC SDN list."""
    from watchlist.sources import formats

    parsed = formats.parse(formats.read_local("ofac-csv", SDN))
    surnames: Counter[str] = Counter()
    given: Counter[str] = Counter()
    middle: Counter[str] = Counter()
    org_words: Counter[str] = Counter()
    vessel_words: Counter[str] = Counter()
    for entity in parsed.entities:
        kind = entity.kind.value
        names = [entity.primary_name] + [n.name for n in entity.names if n.kind.value != "weak_aka"]
        for name in names:
            if kind == "person":
                _count_person(name, surnames, given, middle)
            elif kind == "organization":
                org_words.update(_words(name, skip=_LEGAL_WORDS))
            elif kind == "vessel":
                vessel_words.update(_words(name, skip=frozenset()))
    return Pools(*(Pool.of(c) for c in (surnames, given, middle, org_words, vessel_words)))


def _count_person(
    name: str, surnames: Counter[str], given: Counter[str], middle: Counter[str]
) -> None:
    surname, comma, rest = name.partition(",")
    words = rest.split()
    if not comma or not surname.strip() or not words:
        return
    surnames[surname.strip()] += 1
    given[words[0]] += 1
    middle.update(words[1:])


def _words(name: str, skip: frozenset[str]) -> list[str]:
    return [w for w in name.upper().split() if w not in skip and _WORD.search(w)]


def synthetic_records(n: int = 1_000_000, seed: int = SEED) -> list[NameRecord]:
    """`n` names of synthetic entities (ids from 10_000_000), the same for the same seed."""
    rng = random.Random(seed)
    pools = sdn_pools()
    records: list[NameRecord] = []
    entity_id = FIRST_ID
    while len(records) < n:
        kind, name = _entity_name(pools, rng)
        records.append(NameRecord(entity_id, name, kind, "primary"))
        (aliases,) = rng.choices(ALIAS_COUNTS, ALIAS_WEIGHTS)
        for alias in _aliases(name, aliases, rng):
            if len(records) < n:
                records.append(NameRecord(entity_id, alias, kind, "aka"))
        entity_id += 1
    return records


def _entity_name(pools: Pools, rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < PERSON_SHARE:
        return "person", _person(pools, rng)
    if roll < PERSON_SHARE + ORGANIZATION_SHARE:
        return "organization", _organization(pools, rng)
    return "vessel", _vessel(pools, rng)


def _person(pools: Pools, rng: random.Random) -> str:
    name = f"{pools.surnames.draw(rng)}, {pools.given.draw(rng)}"
    if rng.random() < MIDDLE_SHARE:
        name += " " + pools.middle.draw(rng)
    return name


def _organization(pools: Pools, rng: random.Random) -> str:
    (length,) = rng.choices(ORG_LENGTHS, ORG_LENGTH_WEIGHTS)
    words = [pools.org_words.draw(rng) for _ in range(length)]
    if rng.random() < LEGAL_FORM_SHARE:
        form = rng.choice(LEGAL_FORMS)
        words = [form, *words] if form in PREFIX_LEGAL_FORMS else [*words, form]
    return " ".join(words)


def _vessel(pools: Pools, rng: random.Random) -> str:
    words = [pools.vessel_words.draw(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        words.append(str(rng.randint(1, 99)))
    return " ".join(words)


def _aliases(name: str, count: int, rng: random.Random) -> Iterable[str]:
    """Up to `count` distinct transliteration-like variants of a name."""
    seen = {name}
    for _ in range(count):
        alias = variant(name, rng)
        if rng.random() < 0.3:
            alias = variant(alias, rng)
        if alias not in seen:
            seen.add(alias)
            yield alias


def variant(name: str, rng: random.Random) -> str:
    """One transliteration-like change: y/i swapped, a vowel dropped, ks/x, v/w."""
    rules = list(_RULES)
    rng.shuffle(rules)
    for rule in rules:
        changed = rule(name, rng)
        if changed != name:
            return changed
    return name


def _swap(name: str, rng: random.Random, pairs: tuple[tuple[str, str], ...]) -> str:
    """Replace one randomly chosen occurrence of any `source` by its `target`, keeping case."""
    spots = [
        (i, source, target) for source, target in pairs for i in _find_all(name.lower(), source)
    ]
    if not spots:
        return name
    i, source, target = rng.choice(spots)
    original = name[i : i + len(source)]
    target = target.upper() if original.isupper() else target
    return name[:i] + target + name[i + len(source) :]


def _find_all(text: str, part: str) -> list[int]:
    found, start = [], text.find(part)
    while start >= 0:
        found.append(start)
        start = text.find(part, start + 1)
    return found


def _y_i(name: str, rng: random.Random) -> str:
    return _swap(name, rng, (("y", "i"), ("i", "y")))


def _ks_x(name: str, rng: random.Random) -> str:
    return _swap(name, rng, (("ks", "x"), ("x", "ks")))


def _v_w(name: str, rng: random.Random) -> str:
    return _swap(name, rng, (("v", "w"), ("w", "v")))


def _drop_vowel(name: str, rng: random.Random) -> str:
    """Drop one vowel that does not start a word (Mohammed -> Mohammd)."""
    spots = [i for i in range(1, len(name)) if name[i] in _VOWELS and name[i - 1].isalpha()]
    if not spots:
        return name
    i = rng.choice(spots)
    return name[:i] + name[i + 1 :]


_RULES = (_y_i, _drop_vowel, _ks_x, _v_w)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="names to generate")
    parser.add_argument("--show", type=int, default=20, help="print this many sample records")
    args = parser.parse_args()
    started = time.perf_counter()
    records = synthetic_records(args.n)
    seconds = time.perf_counter() - started
    entities = len({r.entity_id for r in records})
    kinds = Counter(r.entity_kind for r in records)
    print(f"{len(records):,} names of {entities:,} entities in {seconds:.1f} s; {dict(kinds)}")
    for record in random.Random(1).sample(records, min(args.show, len(records))):
        print(f"  {record.entity_id} {record.entity_kind:12} {record.name_kind:7} {record.name}")


if __name__ == "__main__":
    main()
