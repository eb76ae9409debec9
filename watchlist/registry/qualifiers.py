"""The qualifiers a name lookup takes besides the name, read one way by `watchlist lookup`, the
API's lookup and the yente-compatible `/match`:

- a birth date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and a real date (`1952-02-30` is not);
- a country: an ISO 3166 code, alpha-2 (`SK`) or alpha-3 (`SVK`), or a country's name
  (`Slovakia`), as OpenSanctions' `rigour` territories know them: current and former countries
  and the names the lists write (`Korea, North`, `Russian Federation`, `Burma`).

Anything else is an `InputError` of one sentence naming the value. Countries are compared by the
country they stand for, as FollowTheMoney counts countries (`England` is the United Kingdom;
`Crimea` stays a region of its own): a query's country becomes that country's name (`SK` ->
`Slovakia`), and so does a listed one (`country_key`: OFAC's `Korea, North`, the UN's
`Democratic People's Republic of Korea` and FollowTheMoney's `kp` all become `north korea`), so
a code and a name mean the same country whichever list wrote it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from watchlist.errors import InputError
from watchlist.matching.matcher import normalize_country

BIRTH_DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
COUNTRY_FORMS = "an ISO 3166 code (SK or SVK) or a country's name (Slovakia)"
_BIRTH_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_LISTED_REGION = re.compile(r"^region:\s*", re.IGNORECASE)  # OFAC's `Region: Crimea`


def birth_date(text: str) -> str:
    """A birth date as given (`1952`, `1952-10` or `1952-10-07`), once it is a real date."""
    value = text.strip()
    found = _BIRTH_DATE.fullmatch(value)
    if found is None:
        raise InputError(f"the birth date {text!r} is not of the form {BIRTH_DATE_FORMS}.")
    year, month, day = (int(part) if part else 1 for part in found.groups())
    try:
        dt.date(year, month, day)
    except ValueError as error:
        raise InputError(f"the birth date {value!r} is not a real date ({error}).") from None
    return value


def country(text: str) -> str:
    """The name of the country an ISO 3166 code or a name stands for (`SVK` -> `Slovakia`)."""
    name = _country_name(text.strip())
    if name is None:
        raise InputError(f"{text!r} is not a country known here: give {COUNTRY_FORMS}.")
    return name


@functools.lru_cache(maxsize=4096)
def country_key(name: str) -> str:
    """The form a listed country is compared in: the name of the country it stands for, folded
    as the matcher folds a query's country; text naming none (`undetermined`, `Region: Kafia
    Kingi`) is folded as written."""
    return normalize_country(_country_name(name.strip()) or name)


def _country_name(text: str) -> str | None:
    """The name of the country `text` names, or that the territory it names belongs to."""
    if not text:
        return None
    # Imported here: rigour's tables load on first use, not with every command.
    from rigour.territories import get_territory, lookup_territory

    territory = lookup_territory(text) or lookup_territory(_LISTED_REGION.sub("", text))
    code = territory.ftm_country if territory is not None else None
    country = get_territory(code) if code is not None else None
    return country.name if country is not None else None
