"""Parse the free-text Remarks field of OFAC's SDN legacy CSV into structured values.

The field is a list of items separated by semicolons ("DOB 07 May 1966; POB Baku, Azerbaijan;
Passport BD3843329 (Slovakia) expires 08 Apr 2029; a.k.a. 'X'; Linked To: Y."). This module is
pure: it reads a string and returns frozen values. Items it does not recognise are skipped (the
caller stores the whole text anyway) and no input makes it raise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable

from watchlist.models.registry import NameKind, NationalityKind
from watchlist.sources.parsed import (
    ParsedBirthDate,
    ParsedBirthPlace,
    ParsedFact,
    ParsedIdentifier,
    ParsedName,
    ParsedNationality,
    ParsedRelation,
)
from watchlist.sources.values import full_date, unique

__all__ = ["RemarkFacts", "label_kind", "parse_remarks"]


@dataclasses.dataclass(frozen=True)
class RemarkFacts:
    """Everything recognised in one Remarks field."""

    names: tuple[ParsedName, ...] = ()
    identifiers: tuple[ParsedIdentifier, ...] = ()
    birth_dates: tuple[ParsedBirthDate, ...] = ()
    birth_places: tuple[ParsedBirthPlace, ...] = ()
    nationalities: tuple[ParsedNationality, ...] = ()
    facts: tuple[ParsedFact, ...] = ()
    relations: tuple[ParsedRelation, ...] = ()
    gender: str | None = None


@dataclasses.dataclass
class _Collector:
    """The mutable lists one parse fills in, frozen into a `RemarkFacts` at the end."""

    names: list[ParsedName] = dataclasses.field(default_factory=list)
    identifiers: list[ParsedIdentifier] = dataclasses.field(default_factory=list)
    birth_dates: list[ParsedBirthDate] = dataclasses.field(default_factory=list)
    birth_places: list[ParsedBirthPlace] = dataclasses.field(default_factory=list)
    nationalities: list[ParsedNationality] = dataclasses.field(default_factory=list)
    facts: list[ParsedFact] = dataclasses.field(default_factory=list)
    relations: list[ParsedRelation] = dataclasses.field(default_factory=list)
    gender: str | None = None

    def fact(self, kind: str, value: str) -> None:
        """Record a fact unless its value is empty."""
        if value:
            self.facts.append(ParsedFact(kind, value))

    def freeze(self) -> RemarkFacts:
        """The collected values, duplicates dropped, in the order first listed."""
        return RemarkFacts(
            names=unique(self.names),
            identifiers=unique(self.identifiers),
            birth_dates=unique(self.birth_dates),
            birth_places=unique(self.birth_places),
            nationalities=unique(self.nationalities),
            facts=unique(self.facts),
            relations=unique(self.relations),
            gender=self.gender,
        )


_Handler = Callable[[re.Match[str], bool, _Collector], None]

# --- Splitting into items --------------------------------------------------------------------

# One item and its separator. An item is either a quoted alias, which runs to the first quote
# followed by ";" or by the end (aliases hold apostrophes and may hold semicolons; the closing
# quote is looked for within 500 characters), or anything up to the next ";" outside parentheses.
# Possessive quantifiers and that bound keep the scan linear on any input.
_ITEM = re.compile(
    r"\s*+(?:"
    r"(?P<alias>(?:alt\.\s+)?[afn]\.k\.a\.[,:]?\s*'.{0,500}?')(?=\s*;|\s*\.?\s*\Z)"
    r"|(?P<item>(?:[^;()]++|\([^()]*+\)|[()])*+)"
    r")[^;]*+;?",
    re.IGNORECASE | re.DOTALL,
)
# A last word such as "C.V." or "S.A.", whose final dot is not the text's closing full stop.
_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}")
_NULL = "-0-"


def _split(text: str) -> list[str]:
    """The items of a Remarks text, stripped, empty ones left out."""
    found = (match.group("alias") or match.group("item") for match in _ITEM.finditer(text))
    return [item.strip() for item in found if item and not item.isspace()]


def _clean(text: str) -> str:
    """The text without its OFAC null marker and its closing full stop."""
    text = text.strip()
    if text == _NULL or not text.endswith("."):
        return "" if text == _NULL else text
    last_word = text[max(text.rfind(" "), text.rfind(",")) + 1 :]
    return text if _ABBREVIATION.fullmatch(last_word) else text[:-1].rstrip()


# --- Dates -----------------------------------------------------------------------------------

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# "May", "Sep", "Sept", "September": an abbreviation or the full English name.
_MONTHS = {
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, 1)},
    **{name: number for number, name in enumerate(_MONTH_NAMES, 1)},
    "sept": 9,
}
_DATE = r"(?:[0-9]{1,2}\s+[A-Za-z]{3,9}\.?\s+[0-9]{4}|[A-Za-z]{3,9}\.?\s+[0-9]{4}|[0-9]{4})"
_DATE_PARTS = re.compile(
    r"(?:(?P<day>[0-9]{1,2})\s+)?(?:(?P<month>[A-Za-z]{3,9})\.?\s+)?(?P<year>[0-9]{4})"
)
_BIRTH_DATE = re.compile(
    rf"(?P<circa>circa\s+)?(?P<start>{_DATE})(?:\s*(?:to|-)\s*(?P<end>{_DATE}))?",
    re.IGNORECASE,
)


def _date_parts(text: str) -> tuple[int | None, int | None, int | None]:
    """Year, month and day of "07 May 1966", "May 1966" or "1966"; None where missing or bad."""
    match = _DATE_PARTS.fullmatch(text)
    if match is None:
        return None, None, None
    year = int(match.group("year"))
    month = _MONTHS.get(match.group("month").lower()) if match.group("month") else None
    if month is None:
        return year, None, None
    day = int(match.group("day")) if match.group("day") else None
    return year, month, day if day is not None and 1 <= day <= 31 else None


def _day_month_year(text: str | None) -> dt.date | None:
    """A full date ("08 Apr 2029") as a `date`; None for partial or impossible dates."""
    if not text:
        return None
    return full_date(*_date_parts(" ".join(text.split())))


def _birth_date(text: str) -> ParsedBirthDate:
    """A DOB as listed: exact, year-month, year, a range ("1960 to 1965") or circa."""
    match = _BIRTH_DATE.fullmatch(text)
    if match is None:
        return ParsedBirthDate(text=text)
    year, month, day = _date_parts(" ".join(match.group("start").split()))
    year_to = _date_parts(" ".join(match.group("end").split()))[0] if match["end"] else None
    if year_to is not None:
        month = day = None  # a range gives its bounds only through year and year_to
    circa = match.group("circa") is not None
    return ParsedBirthDate(text, year, month, day, year_to, circa)


# --- Item handlers ---------------------------------------------------------------------------


def _on_alias(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """A weak alias: a.k.a. 'X' (f.k.a. and n.k.a. keep their tag in remarks)."""
    name = " ".join(match.group("name").split())
    tag = match.group("tag").lower()
    if name:
        remarks = None if tag == "a" else f"{tag}.k.a."
        out.names.append(ParsedName(name, kind=NameKind.WEAK_AKA, remarks=remarks))


def _on_linked_to(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """A link to another listed entity, by name."""
    name = match.group("name").strip()
    if name:
        out.relations.append(ParsedRelation(object_name=name, relation="linked_to"))


def _on_dob(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """A date of birth."""
    text = " ".join(match.group("text").split())
    if text:
        out.birth_dates.append(_birth_date(text))


def _on_pob(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """A place of birth; its country is the part after the last comma, if there is one."""
    place = match.group("place").strip()
    if place:
        country = place.rpartition(",")[2].strip() if "," in place else None
        out.birth_places.append(ParsedBirthPlace(place=place, country=country or None))


def _on_nationality(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """A nationality or a citizenship; "nationality possibly X" is too vague and skipped."""
    country = match.group("country").strip()
    if country and not country.lower().startswith("possibly"):
        kind = NationalityKind.CITIZENSHIP
        if match.group("label").lower() == "nationality":
            kind = NationalityKind.NATIONALITY
        out.nationalities.append(ParsedNationality(country=country, kind=kind))


def _on_gender(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """Gender Male / Female; the first one listed wins."""
    if out.gender is None:
        out.gender = match.group("gender").capitalize()


def _on_digital_currency(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """A digital currency address, kind by currency (digital_currency_address_xbt, ...)."""
    kind = f"digital_currency_address_{match.group('currency').lower()}"
    remarks = "alt." if alt else None
    out.identifiers.append(ParsedIdentifier(kind, match.group("value"), remarks=remarks))


def _on_fact(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """A fact whose kind follows from its label."""
    kind = _FACT_KINDS[_label_key(match.group("label"))]
    out.fact(kind, match.group("value").strip())


def _on_numbered_fact(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """A fact whose label carries a number: "Listing Date (EO 14024 Directive 2): 24 Feb 2022"."""
    out.fact(_snake(match.group("label")), match.group("value").strip())


def _on_identifier(match: re.Match[str], alt: bool, out: _Collector) -> None:
    """A document or registry number: value, optional (country), issued and expires dates."""
    label = _label_key(match.group("label"))
    kind = _IDENTIFIER_KINDS.get(label) or _snake(label)
    identifier = _identifier(kind, match.group("rest"), "alt." if alt else None)
    if identifier is not None:
        out.identifiers.append(identifier)


_ID_REST = re.compile(
    r"(?:\((?P<qualifier>[^()]*)\)\s*)?(?P<value>.*?)"
    r"(?:\s*\((?P<country>[^()]*)\))?"
    rf"(?:(?:,\s*|\s+)issued\s+(?P<issued>{_DATE}))?"
    rf"(?:(?:,\s*|\s+)expires\s+(?P<expires>{_DATE}))?"
    r"[\s.]*",
    re.IGNORECASE | re.DOTALL,
)


def _identifier(kind: str, rest: str, remarks: str | None) -> ParsedIdentifier | None:
    """An identifier from the text after its label, or None when it holds no value."""
    match = _ID_REST.fullmatch(rest)
    if match is None:  # pragma: no cover - the lazy value absorbs anything
        return None
    value = match.group("value").strip(" ,:") or (match.group("qualifier") or "").strip()
    if not value:
        return None
    country = (match.group("country") or "").strip() or None
    issued = _day_month_year(match.group("issued"))
    expires = _day_month_year(match.group("expires"))
    return ParsedIdentifier(kind, value, country, issued, expires, remarks)


# --- Labels ----------------------------------------------------------------------------------

# Plain facts: label -> kind. The value is the rest of the item.
_FACT_LABELS: dict[str, str] = {
    "Website": "website",
    "Email Address": "email",
    "Email": "email",
    "Phone Number": "phone",
    "Phone": "phone",
    "Telephone Number": "phone",
    "Telephone No.": "phone",
    "Telephone": "phone",
    "Fax No.": "fax",
    "Fax": "fax",
    "Telex": "telex",
    "Organization Established Date": "organization_established_date",
    "Organization Type": "organization_type",
    "Target Type": "target_type",
    "Secondary sanctions risk": "secondary_sanctions_risk",
    "Transactions Prohibited": "transactions_prohibited",
    "Additional Sanctions Information -": "additional_sanctions_information",
    "Vessel Year of Build": "vessel_year_of_build",
    "Former Vessel Flag": "former_vessel_flag",
    "Other Vessel Flag": "other_vessel_flag",
    "Other Vessel Type": "other_vessel_type",
    "Other Vessel Call Sign": "other_vessel_call_sign",
    "Nationality of Registration": "nationality_of_registration",
    "Registration Country": "registration_country",
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "aircraft_construction_number",
    "Aircraft Construction Number": "aircraft_construction_number",
    "Aircraft Manufacture Date": "aircraft_manufacture_date",
    "Aircraft Model": "aircraft_model",
    "Aircraft Operator": "aircraft_operator",
    "Aircraft Manufacturer's Serial Number (MSN)": "aircraft_manufacturer_serial_number",
    "Aircraft Mode S Transponder Code": "aircraft_mode_s_transponder_code",
    "Previous Aircraft Tail Number": "previous_aircraft_tail_number",
    "Position": "position",
    "Title": "title",
    "IFCA Determination -": "ifca_determination",
    "PEESA Information": "peesa_information",
    "Equity Ticker": "equity_ticker",
    "Issuer Name": "issuer_name",
}

# Identifier labels. Kinds other modules rely on are spelled out; the rest is the label in
# snake_case ("Cedula No." -> cedula_no, "NIT #" -> nit).
_IDENTIFIER_LABELS: dict[str, str | None] = {
    "Passport": "passport",
    "National ID No.": "national_id",
    "Tax ID No.": "tax_id",
    "Registration Number": "registration_number",
    "Registration ID": "registration_id",
    "Company Number": "company_number",
    "Identification Number": "identification_number",
    "SWIFT/BIC": "swift_bic",
    "IMO": "imo",
    "Vessel Registration Identification IMO": "imo",
    "International Maritime Organization No.": "imo",
    "MMSI": "mmsi",
    "D-U-N-S Number": "duns_number",
    **dict.fromkeys(
        (
            "Afghan Money Service Provider License Number",
            "Aircraft Serial Identification",
            "Aircraft Tail Number",
            "BIK",
            "BIK (RU)",
            "Birth Certificate Number",
            "Bosnian Personal ID No.",
            "Branch Unit Number",
            "British National Overseas Passport",
            "Business Number",
            "Business Registration Document #",
            "Business Registration Number",
            "C.I.F.",
            "C.I.N.",
            "C.R. No.",
            "C.U.I.",
            "C.U.I.P.",
            "C.U.I.T.",
            "C.U.R.P.",
            "C.U.R.P. #",
            "Cartilla de Servicio Militar Nacional",
            "Cedula No.",
            "Central Registration System Number",
            "Certificate of Incorporation Number",
            "Chamber of Commerce Number",
            "Chinese Commercial Code",
            "Citizen's Card Number",
            "CNP",
            "CNP (Personal Numerical Code)",
            "Commercial Registry Number",
            "Credencial electoral",
            "D.N.I.",
            "Diplomatic Passport",
            "Driver's License No.",
            "Dubai Chamber of Commerce Membership No.",
            "Economic Register Number",
            "Economic Register Number (CBLS)",
            "Electoral Registry No.",
            "Enterprise Number",
            "File Number",
            "Fiscal Code",
            "Folio Mercantil No.",
            "Government Gazette Number",
            "I.F.E.",
            "Immigration No.",
            "ISIN",
            "Istanbul Chamber of Comm. No.",
            "Italian Fiscal Code",
            "Kenyan ID No.",
            "LE Number",
            "Legal Entity Number",
            "License",
            "Matricula Mercantil No",
            "Military Registration Number",
            "Moroccan Personal ID No.",
            "MSB Registration Number",
            "N.I.E.",
            "N.I.F.",
            "National Foreign ID Number",
            "NIT #",
            "Numero de Identidad",
            "Numero Unico de Identificacao Tributaria",
            "Numero Unico de Identificacao Tributaria (NUIT)",
            "Organization Code",
            "Paraguayan tax identification number",
            "Passport Booklet",
            "Permit Number",
            "Personal ID Card",
            "Pilot License Number",
            "Public Registration Number",
            "Public Security and Immigration No.",
            "R.F.C.",
            "R.F.C. #",
            "Refugee ID Card",
            "Registered Charity No.",
            "Registration Certificate Number",
            "Registration Certificate Number (Dubai)",
            "Residency Number",
            "RFC",
            "RIF #",
            "Romanian C.R.",
            "Romanian Permanent Resident CAN",
            "Romanian Tax Registration",
            "RTN",
            "RUC #",
            "Russian State Individual Business Registration Number Pattern",
            "Russian State Individual Business Registration Number Pattern (OGRNIP)",
            "Seafarer's Identification Document",
            "SRE Permit No.",
            "SSN",
            "Stateless Person ID Card",
            "Stateless Person Passport",
            "Tazkira National ID Card",
            "Tourism License No.",
            "Trade License No.",
            "Trademark number",
            "Travel Document Number",
            "Turkish Identification Number",
            "UAE Identification",
            "UK Company Number",
            "Unified Social Credit Code",
            "Unified Social Credit Code (USCC)",
            "United Social Credit Code Certificate",
            "United Social Credit Code Certificate (USCCC)",
            "US FEIN",
            "V.A.T. Number",
            "Vessel Registration Identification",
            "VisaNumberID",
        )
    ),
}


def _label_key(label: str) -> str:
    """A label as looked up in the tables: lower case, spaces collapsed."""
    return " ".join(label.lower().split())


def _snake(label: str) -> str:
    """A label in snake_case, dots, apostrophes and "#" dropped ("Cedula No." -> cedula_no)."""
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"[.'#]", "", label.lower())).strip("_")


def _alternation(labels: Iterable[str]) -> str:
    """A regex matching any of the labels, longest first, spaces matching any whitespace."""
    ordered = sorted(labels, key=len, reverse=True)
    return "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in ordered)


_FACT_KINDS = {_label_key(label): kind for label, kind in _FACT_LABELS.items()}
_IDENTIFIER_KINDS = {_label_key(label): kind for label, kind in _IDENTIFIER_LABELS.items() if kind}

_IDENTIFIER_LABEL_KEYS = frozenset(_label_key(label) for label in _IDENTIFIER_LABELS)


def label_kind(label: str) -> tuple[str, bool]:
    """The kind OFAC's remarks give a label ("Website" -> website, "Tax ID No." -> tax_id) and
    whether it names an identifier; other formats that carry the same labels as fields (the
    Enhanced XML's features and documents) use it so that every OFAC importer speaks of a
    value with the same kind word. An unknown label is a fact named after it in snake_case."""
    key = _label_key(label)
    for candidate in (key, key.rstrip(" :-")):
        if candidate in _FACT_KINDS:
            return _FACT_KINDS[candidate], False
        if candidate in _IDENTIFIER_LABEL_KEYS:
            return _IDENTIFIER_KINDS.get(candidate) or _snake(candidate), True
    return _snake(key) or "other", False


_I = re.IGNORECASE | re.DOTALL
_NATIONALITY = r"(?P<label>nationality|citizen)(?:\s*:\s*|\s+)(?!of\s+registration)(?P<country>.*)"
_DIGITAL_CURRENCY = r"Digital\s+Currency\s+Address\s*-\s*(?P<currency>\w+)\s+(?P<value>\S+)"
# Labels with an order, section or directive in them; the kind is the whole label in snake_case,
# as OFAC's XML names these idList types ("listing_date_eo_14024_directive_2").
_NUMBERED_FACT = (
    r"(?P<label>Executive\s+Order\s+[0-9]+\s+(?:Directive\s+)?(?:Determination|Information)"
    r"|(?:Listing|Effective|Purchase/Sales\s+For\s+Divestment)\s+Date\s*\([^()]*\)"
    r"|CAATSA\s+Section\s+[0-9]+\s+Information)"
    r"\s*[:-]?\s*(?P<value>.*)"
)
_FACT = rf"(?P<label>{_alternation(_FACT_LABELS)})(?!\w)\s*:?\s*(?P<value>.*)"
_IDENTIFIER = rf"(?P<label>{_alternation(_IDENTIFIER_LABELS)})(?!\w)[\s:]*(?P<rest>.*)"
_Rule = tuple[re.Pattern[str], _Handler]
# Each rule with the first words (lower case) its label can start with, in the order tried.
_RULES: tuple[tuple[frozenset[str], _Rule], ...] = tuple(
    (frozenset(words), (re.compile(pattern, _I), handler))
    for words, pattern, handler in (
        (
            ("a.k.a.", "f.k.a.", "n.k.a."),
            r"(?P<tag>[afn])\.k\.a\.[,:]?\s*'(?P<name>.*)'",
            _on_alias,
        ),
        (("linked",), r"Linked\s+To\s*:?\s*(?P<name>.*)", _on_linked_to),
        (("dob",), r"DOB\b\s*:?\s*(?P<text>.*)", _on_dob),
        (("pob",), r"POB\b\s*:?\s*(?P<place>.*)", _on_pob),
        (("nationality", "citizen"), _NATIONALITY, _on_nationality),
        (("gender",), r"Gender\s*:?\s*(?P<gender>male|female)\b.*", _on_gender),
        (("digital",), _DIGITAL_CURRENCY, _on_digital_currency),
        ({_label_key(label).split()[0] for label in _FACT_LABELS}, _FACT, _on_fact),
        (
            ("executive", "listing", "effective", "purchase/sales", "caatsa"),
            _NUMBERED_FACT,
            _on_numbered_fact,
        ),
        (
            {_label_key(label).split()[0] for label in _IDENTIFIER_LABELS},
            _IDENTIFIER,
            _on_identifier,
        ),
    )
)
_ALL_RULES: tuple[_Rule, ...] = tuple(rule for _, rule in _RULES)
# The rules worth trying for an item, by its first word; an unknown first word tries them all.
_RULES_BY_WORD: dict[str, tuple[_Rule, ...]] = {
    word: tuple(rule for words, rule in _RULES if word in words)
    for word in set().union(*(words for words, _ in _RULES))
}
_FIRST_WORD = re.compile(r"[^\s:]*")
_ALT = re.compile(r"alt\.\s*", re.IGNORECASE)


def _parse_item(item: str, out: _Collector) -> None:
    """Turn one item into values, if it is of a kind this module knows."""
    alt = _ALT.match(item)
    if alt is not None:
        item = item[alt.end() :]
    word = _FIRST_WORD.match(item)
    rules = _RULES_BY_WORD.get(word.group().lower(), _ALL_RULES) if word else _ALL_RULES
    for pattern, handler in rules:
        match = pattern.fullmatch(item)
        if match is not None:
            handler(match, alt is not None, out)
            return


def parse_remarks(text: str | None) -> RemarkFacts:
    """The names, identifiers, dates, places, facts and links an OFAC Remarks text holds."""
    if not text:
        return RemarkFacts()
    out = _Collector()
    for item in _split(_clean(text)):
        _parse_item(item, out)
    return out.freeze()
