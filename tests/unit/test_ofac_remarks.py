from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist.models.registry import NameKind, NationalityKind
from watchlist.sources.ofac_remarks import RemarkFacts, parse_remarks
from watchlist.sources.parsed import (
    ParsedBirthDate,
    ParsedBirthPlace,
    ParsedFact,
    ParsedIdentifier,
    ParsedName,
    ParsedNationality,
    ParsedRelation,
)

SDN_CSV = Path(__file__).resolve().parents[2] / "data/ofac/sdn_legacy_csv/sdn.csv.gz"

NK_RISK = "North Korea Sanctions Regulations, sections 510.201 and 510.210"
NK_PROHIBITED = (
    "For Persons Owned or Controlled By U.S. Financial Institutions: "
    "North Korea Sanctions Regulations section 510.214"
)
MKRTYCHEV = (
    "DOB 07 May 1966; POB Baku, Azerbaijan; citizen Slovakia; Gender Male; "
    f"Secondary sanctions risk: {NK_RISK}; Transactions Prohibited {NK_PROHIBITED}; "
    "Passport BD3843329 (Slovakia) expires 08 Apr 2029; "
    "alt. Passport BD5609822 (Slovakia) expires 19 May 2024."
)
VERUS = (
    f"Secondary sanctions risk: {NK_RISK}; Transactions Prohibited {NK_PROHIBITED}; "
    "Organization Established Date 10 Feb 2021; Tax ID No. 9701170663 (Russia); "
    "Registration Number 1217700053493 (Russia); a.k.a. 'LLC VERUS'; "
    "Linked To: MKRTYCHEV, Ashot."
)


def test_mkrtychev_remarks() -> None:
    assert parse_remarks(MKRTYCHEV) == RemarkFacts(
        birth_dates=(ParsedBirthDate(text="07 May 1966", year=1966, month=5, day=7),),
        birth_places=(ParsedBirthPlace(place="Baku, Azerbaijan", country="Azerbaijan"),),
        nationalities=(ParsedNationality(country="Slovakia", kind=NationalityKind.CITIZENSHIP),),
        gender="Male",
        identifiers=(
            ParsedIdentifier(
                kind="passport",
                value="BD3843329",
                country="Slovakia",
                expires_on=dt.date(2029, 4, 8),
            ),
            ParsedIdentifier(
                kind="passport",
                value="BD5609822",
                country="Slovakia",
                expires_on=dt.date(2024, 5, 19),
                remarks="alt.",
            ),
        ),
        facts=(
            ParsedFact("secondary_sanctions_risk", NK_RISK),
            ParsedFact("transactions_prohibited", NK_PROHIBITED),
        ),
    )


def test_verus_remarks() -> None:
    assert parse_remarks(VERUS) == RemarkFacts(
        names=(ParsedName("LLC VERUS", kind=NameKind.WEAK_AKA),),
        relations=(ParsedRelation(object_name="MKRTYCHEV, Ashot", relation="linked_to"),),
        identifiers=(
            ParsedIdentifier(kind="tax_id", value="9701170663", country="Russia"),
            ParsedIdentifier(kind="registration_number", value="1217700053493", country="Russia"),
        ),
        facts=(
            ParsedFact("secondary_sanctions_risk", NK_RISK),
            ParsedFact("transactions_prohibited", NK_PROHIBITED),
            ParsedFact("organization_established_date", "10 Feb 2021"),
        ),
    )


@pytest.mark.parametrize("text", [None, "", "   ", "-0-", "-0- "])
def test_empty_remarks_give_nothing(text: str | None) -> None:
    assert parse_remarks(text) == RemarkFacts()


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("DOB 1966", ParsedBirthDate(text="1966", year=1966)),
        ("DOB Mar 1970", ParsedBirthDate(text="Mar 1970", year=1970, month=3)),
        ("DOB circa 1960", ParsedBirthDate(text="circa 1960", year=1960, circa=True)),
        (
            "DOB circa 07 Jul 1966",
            ParsedBirthDate(text="circa 07 Jul 1966", year=1966, month=7, day=7, circa=True),
        ),
        ("DOB 1960 to 1965", ParsedBirthDate(text="1960 to 1965", year=1960, year_to=1965)),
        (
            "DOB 01 Jan 1960 to 31 Dec 1962",
            ParsedBirthDate(text="01 Jan 1960 to 31 Dec 1962", year=1960, year_to=1962),
        ),
        (
            "DOB circa 1979-1982",
            ParsedBirthDate(text="circa 1979-1982", year=1979, year_to=1982, circa=True),
        ),
        ("DOB 1966/67", ParsedBirthDate(text="1966/67")),
    ],
)
def test_dates_of_birth(item: str, expected: ParsedBirthDate) -> None:
    assert parse_remarks(f"{item}.").birth_dates == (expected,)


def test_alt_dob_nationality_and_female_gender() -> None:
    facts = parse_remarks(
        "DOB 1969; alt. DOB 10 Oct 1969; POB Xudur, Somalia; alt. POB Keren, Eritrea; "
        "nationality Russia; alt. citizen Korea, North; Gender Female."
    )
    assert [b.text for b in facts.birth_dates] == ["1969", "10 Oct 1969"]
    assert [p.country for p in facts.birth_places] == ["Somalia", "Eritrea"]
    assert parse_remarks("POB Russia").birth_places == (ParsedBirthPlace("Russia", None),)
    assert facts.nationalities == (
        ParsedNationality("Russia", NationalityKind.NATIONALITY),
        ParsedNationality("Korea, North", NationalityKind.CITIZENSHIP),
    )
    assert facts.gender == "Female"


def test_weak_aliases_keep_apostrophes_and_semicolons_inside_quotes() -> None:
    facts = parse_remarks(
        "a.k.a. 'ABU 'ABD AL-'AZIZ'; a.k.a. 'AL-QA'QA'; a.k.a. 'ONE; TWO'; "
        "f.k.a. 'OLD NAME'; a.k.a. 'HAJJ AS'AD AHMAD'."
    )
    assert facts.names == (
        ParsedName("ABU 'ABD AL-'AZIZ", kind=NameKind.WEAK_AKA),
        ParsedName("AL-QA'QA", kind=NameKind.WEAK_AKA),
        ParsedName("ONE; TWO", kind=NameKind.WEAK_AKA),
        ParsedName("OLD NAME", kind=NameKind.WEAK_AKA, remarks="f.k.a."),
        ParsedName("HAJJ AS'AD AHMAD", kind=NameKind.WEAK_AKA),
    )


def test_an_alias_cut_off_by_the_thousand_character_limit_is_dropped() -> None:
    facts = parse_remarks("a.k.a. 'HIDDEN COBRA'; a.k.a. 'WHOIS HACKIN")
    assert facts.names == (ParsedName("HIDDEN COBRA", kind=NameKind.WEAK_AKA),)


def test_linked_to_drops_the_closing_full_stop_but_keeps_abbreviations() -> None:
    assert parse_remarks("DOB 1960; Linked To: AL-SHABAAB.").relations == (
        ParsedRelation("AL-SHABAAB"),
    )
    assert parse_remarks("Linked To: AHOME REAL ESTATE, S.A. DE C.V.").relations == (
        ParsedRelation("AHOME REAL ESTATE, S.A. DE C.V."),
    )
    two = parse_remarks("Linked To: BANK A; Linked To: MKRTYCHEV, Ashot.")
    assert [r.object_name for r in two.relations] == ["BANK A", "MKRTYCHEV, Ashot"]


def test_swift_bic_imo_mmsi_and_other_identifiers() -> None:
    facts = parse_remarks(
        "SWIFT/BIC HAVIGB2L; Vessel Registration Identification IMO 9187629; MMSI 572469210; "
        "Company Number IMO 5055293; National ID No. 216040 (Yemen); Cedula No. 6068015 "
        "(Colombia); NIT # 800018928-0 (Colombia); Registration Number HRA 738077 (Stuttgart) "
        "(Germany); Unified Social Credit Code (USCC) 9113100033607322XK (China); "
        "Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001; "
        "Aircraft Tail Number EP-MMH; Digital Currency Address - XBT 1986rYHckYbJpGQJy6o."
    )
    assert facts.identifiers == (
        ParsedIdentifier("swift_bic", "HAVIGB2L"),
        ParsedIdentifier("imo", "9187629"),
        ParsedIdentifier("mmsi", "572469210"),
        ParsedIdentifier("company_number", "IMO 5055293"),
        ParsedIdentifier("national_id", "216040", "Yemen"),
        ParsedIdentifier("cedula_no", "6068015", "Colombia"),
        ParsedIdentifier("nit", "800018928-0", "Colombia"),
        ParsedIdentifier("registration_number", "HRA 738077 (Stuttgart)", "Germany"),
        ParsedIdentifier("unified_social_credit_code_uscc", "9113100033607322XK", "China"),
        ParsedIdentifier(
            "passport", "L 191609", issued_on=dt.date(1996, 2, 28), expires_on=dt.date(2001, 2, 27)
        ),
        ParsedIdentifier("aircraft_tail_number", "EP-MMH"),
        ParsedIdentifier("digital_currency_address_xbt", "1986rYHckYbJpGQJy6o"),
    )


def test_partial_or_impossible_issue_dates_are_not_dates() -> None:
    facts = parse_remarks(
        "C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968; Passport X1 issued 31 Feb 2010"
    )
    assert facts.identifiers == (
        ParsedIdentifier("curp", "AIMM67125HCHRRG06", "Mexico"),
        ParsedIdentifier("passport", "X1"),
    )


def test_website_email_phone_and_other_facts() -> None:
    facts = parse_remarks(
        "Website http://www.example.com; alt. Website www.example.ru; "
        "Email Address info@example.com; Email:other@example.org; Phone Number 982188526300; "
        "Organization Type: Activities of holding companies; Target Type Financial Institution; "
        "Additional Sanctions Information - Subject to Secondary Sanctions; "
        "Vessel Year of Build 1999; Aircraft Operator Iran Air; Position: General Manager."
    )
    assert facts.facts == (
        ParsedFact("website", "http://www.example.com"),
        ParsedFact("website", "www.example.ru"),
        ParsedFact("email", "info@example.com"),
        ParsedFact("email", "other@example.org"),
        ParsedFact("phone", "982188526300"),
        ParsedFact("organization_type", "Activities of holding companies"),
        ParsedFact("target_type", "Financial Institution"),
        ParsedFact("additional_sanctions_information", "Subject to Secondary Sanctions"),
        ParsedFact("vessel_year_of_build", "1999"),
        ParsedFact("aircraft_operator", "Iran Air"),
        ParsedFact("position", "General Manager"),
    )


def test_facts_named_after_an_order_or_directive() -> None:
    facts = parse_remarks(
        "Executive Order 13662 Directive Determination - Subject to Directive 1; "
        "Listing Date (EO 14024 Directive 2): 24 Feb 2022; "
        "Executive Order 13846 information: FOREIGN EXCHANGE.  Sec. 5(a)(ii); "
        "CAATSA Section 235 Information: BANKING TRANSACTIONS. Sec 235(a)(6)."
    )
    assert facts.facts == (
        ParsedFact("executive_order_13662_directive_determination", "Subject to Directive 1"),
        ParsedFact("listing_date_eo_14024_directive_2", "24 Feb 2022"),
        ParsedFact("executive_order_13846_information", "FOREIGN EXCHANGE.  Sec. 5(a)(ii)"),
        ParsedFact("caatsa_section_235_information", "BANKING TRANSACTIONS. Sec 235(a)(6)"),
    )


def test_unknown_items_and_look_alikes_are_skipped() -> None:
    facts = parse_remarks(
        "Member of the State Duma of the Federal Assembly of the Russian Federation; "
        "nationality possibly Palestinian;arrested 23 Apr 2002; "
        "Nationality of Registration Korea, North; Citizen's Card Number 2112 (China); "
        "(Following data: Alt. DOB: 10 October 1969; Passport No.: 0310857, Eritrea)."
    )
    assert facts.nationalities == ()
    assert facts.birth_dates == ()
    assert facts.facts == (ParsedFact("nationality_of_registration", "Korea, North"),)
    assert facts.identifiers == (ParsedIdentifier("citizens_card_number", "2112", "China"),)


def test_repeated_items_are_kept_once() -> None:
    facts = parse_remarks("Gender Male; DOB 1966; DOB 1966; Gender Female.")
    assert facts.birth_dates == (ParsedBirthDate(text="1966", year=1966),)
    assert facts.gender == "Male"


REMARK_PIECES = st.sampled_from(
    [
        "DOB ",
        "circa ",
        " to ",
        "07 May 1966",
        "31 Feb 2020",
        "POB ",
        "alt. ",
        "a.k.a. '",
        "f.k.a. ",
        "'",
        ";",
        "; ",
        ".",
        "(",
        ")",
        "Passport ",
        " issued ",
        " expires ",
        "Linked To: ",
        "Gender ",
        "Male",
        "nationality ",
        "Digital Currency Address - ",
        "SWIFT/BIC ",
        "Website ",
        "-0-",
        "1966",
    ]
)


@given(st.text())
def test_any_text_parses_without_error(text: str) -> None:
    assert isinstance(parse_remarks(text), RemarkFacts)


@given(st.lists(REMARK_PIECES | st.text(max_size=5), max_size=30).map("".join))
def test_remark_like_text_parses_without_error(text: str) -> None:
    facts = parse_remarks(text)
    assert all(name.name for name in facts.names)
    assert all(identifier.value for identifier in facts.identifiers)
    assert all(relation.object_name for relation in facts.relations)
    assert facts.gender in (None, "Male", "Female")


def _sdn_remarks() -> dict[str, str]:
    """Remarks of the shipped SDN file, by entity number."""
    text = gzip.decompress(SDN_CSV.read_bytes()).decode("utf-8").rstrip("\x1a")
    return {row[0]: row[11] for row in csv.reader(io.StringIO(text)) if row}


def _near(actual: int, expected: int, tolerance: float = 0.02) -> bool:
    """Whether a count is within a small relative tolerance of the measured value."""
    return abs(actual - expected) <= max(2, expected * tolerance)


def test_coverage_of_the_shipped_sdn_file() -> None:
    parsed = {key: parse_remarks(text) for key, text in _sdn_remarks().items()}
    assert len(parsed) == 14965
    counts = {
        "dob": sum(1 for p in parsed.values() if p.birth_dates),
        "full_dob": sum(1 for p in parsed.values() if any(b.day for b in p.birth_dates)),
        "pob": sum(1 for p in parsed.values() if p.birth_places),
        "nationality": sum(1 for p in parsed.values() if p.nationalities),
        "gender": sum(1 for p in parsed.values() if p.gender),
        "weak_alias": sum(1 for p in parsed.values() if p.names),
        "relation": sum(1 for p in parsed.values() if p.relations),
        "identifier": sum(1 for p in parsed.values() if p.identifiers),
    }
    measured = {
        "dob": 6736,
        "full_dob": 5784,
        "pob": 4131,
        "nationality": 5171,
        "gender": 4264,
        "weak_alias": 2100,
        "relation": 5824,
        "identifier": 9351,
    }
    assert {k: v for k, v in counts.items() if not _near(v, measured[k])} == {}
    totals = {
        "weak_aliases": sum(len(p.names) for p in parsed.values()),
        "relations": sum(len(p.relations) for p in parsed.values()),
        "identifiers": sum(len(p.identifiers) for p in parsed.values()),
        "facts": sum(len(p.facts) for p in parsed.values()),
    }
    expected = {"weak_aliases": 3663, "relations": 6375, "identifiers": 15253, "facts": 11380}
    assert {k: v for k, v in totals.items() if not _near(v, expected[k])} == {}


def test_identifier_and_fact_kinds_in_the_shipped_sdn_file() -> None:
    parsed = [parse_remarks(text) for text in _sdn_remarks().values()]
    kinds = Counter(i.kind for p in parsed for i in p.identifiers)
    assert _near(kinds["passport"], 2116)
    assert _near(kinds["tax_id"], 2956)
    assert _near(kinds["imo"], 853)
    assert _near(kinds["swift_bic"], 162)
    assert _near(kinds["mmsi"], 154)
    facts = Counter(f.kind for p in parsed for f in p.facts)
    assert _near(facts["secondary_sanctions_risk"], 2482)
    assert _near(facts["organization_established_date"], 1825)
    assert _near(facts["website"], 936)
    assert _near(facts["executive_order_13846_information"], 350)
    issued = sum(1 for p in parsed for i in p.identifiers if i.issued_on)
    expires = sum(1 for p in parsed for i in p.identifiers if i.expires_on)
    assert (_near(issued, 442), _near(expires, 847)) == (True, True)


def test_pmc_wagner_and_lazarus_group_in_the_shipped_sdn_file() -> None:
    remarks = _sdn_remarks()
    wagner = parse_remarks(remarks["22543"])
    assert wagner == RemarkFacts(
        facts=(
            ParsedFact(
                "secondary_sanctions_risk",
                "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209",
            ),
        )
    )
    lazarus = parse_remarks(remarks["27307"])  # cut at 1,000 characters mid-alias
    assert [n.name for n in lazarus.names] == [
        "HIDDEN COBRA",
        "OFFICE 91",
        "GUARDIANS OF PEACE",
        "THE NEW ROMANTIC CYBER ARMY TEAM",
    ]
    assert Counter(i.kind for i in lazarus.identifiers) == {"digital_currency_address_eth": 8}
