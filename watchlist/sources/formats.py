"""The list formats `watchlist lists import` knows: read or fetch the raw files, then parse."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import requests

from watchlist.errors import InputError, ListFormatError
from watchlist.fetch import Fetched, FetchPolicy, fetch, sha256
from watchlist.sources import (
    eu_fsf,
    ftm,
    ofac_advanced_xml,
    ofac_csv,
    ofac_enhanced_xml,
    ofac_xml,
    uk_conlist,
    uk_fcdo,
    un_xml,
)
from watchlist.sources.files import gunzipped, read_list_bytes
from watchlist.sources.parsed import ParsedList, check_storable

FORMATS = (
    "ofac-csv",
    "ofac-cons-csv",
    "ofac-xml",
    "ofac-enhanced-xml",
    "ofac-advanced-xml",
    "un-xml",
    "ftm",
    "uk-conlist",
    "uk-sanctions-list",
    "eu-fsf-xml",
)
_CSV_FILES = {"ofac-csv": ofac_csv.SDN_FILES, "ofac-cons-csv": ofac_csv.CONS_FILES}
# The source each format's files belong to (the OFAC XML formats may hold either OFAC list,
# and an FtM file's source is its dataset's: see `source_code`).
SOURCE_CODES = {
    "ofac-csv": "us_ofac_sdn",
    "ofac-cons-csv": "us_ofac_cons",
    "un-xml": "un_sc_consolidated",
    "uk-conlist": "uk_ofsi_conlist",
    "uk-sanctions-list": "uk_fcdo_sanctions_list",
    "eu-fsf-xml": "eu_fsf",
}


@dataclasses.dataclass(frozen=True)
class ListFile:
    """The raw bytes of one publication, by role (`main`, `addresses`, `aliases`, `comments`)."""

    format: str
    location: str
    parts: dict[str, bytes]
    fetched_at: dt.datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    # The FtM dataset the file is (None: the one its records name); other formats have none.
    dataset: str | None = None

    @property
    def checksum(self) -> str:
        return sha256(*self.parts.values())


def check_format(name: str) -> str:
    """The format name, or an error listing the known ones."""
    if name not in FORMATS:
        raise InputError(f"Unknown list format {name!r}; use one of {', '.join(FORMATS)}.")
    return name


def source_code(list_format: str, dataset: str | None = None) -> str | None:
    """The source a format's files belong to, when the format alone says (an FtM file's
    source is its dataset's; ofac-xml may be either OFAC list)."""
    if list_format == "ftm":
        return ftm.dataset_source(dataset).code if dataset else None
    return SOURCE_CODES.get(list_format)


def check_dataset(list_format: str, dataset: str | None) -> str | None:
    """A dataset name, for the one format that has datasets."""
    if dataset is None:
        return None
    if list_format != "ftm":
        raise InputError(f"Only FollowTheMoney (ftm) files have datasets, not {list_format}.")
    return ftm.check_dataset(dataset)


def remote_dataset(list_format: str, url: str, dataset: str | None) -> str | None:
    """The dataset of a downloaded FtM file: the one given, else the one an OpenSanctions
    URL names (`.../datasets/latest/eu_fsf/entities.ftm.json`)."""
    dataset = check_dataset(list_format, dataset)
    if list_format == "ftm" and dataset is None:
        return ftm.dataset_of_url(url)
    return dataset


def read_local(list_format: str, path: Path, dataset: str | None = None) -> ListFile:
    """Read a list from disk (a directory or a file for the OFAC CSV formats)."""
    dataset = check_dataset(list_format, dataset)
    if list_format in _CSV_FILES:
        publication = ofac_csv.read_ofac_csv(path, consolidated=list_format == "ofac-cons-csv")
        parts = {"main": publication.main}
        for role in ("addresses", "aliases", "comments"):
            data = getattr(publication, role)
            if data is not None:
                parts[role] = data
        return ListFile(list_format, publication.location, parts)
    if path.is_dir():
        raise ListFormatError(f"{path} is a directory; format {list_format} reads one file.")
    return ListFile(list_format, str(path), {"main": read_list_bytes(path)}, dataset=dataset)


def fetch_remote(
    list_format: str,
    url: str,
    http: requests.Session,
    policy: FetchPolicy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    dataset: str | None = None,
) -> ListFile | None:
    """Download a list; None when the server says it has not changed since the validators.

    Every file of the publication must come: a list without its companions (aliases,
    addresses, remarks) would strip their data from the registry.
    """
    dataset = remote_dataset(list_format, url, dataset)
    main_url, companions = _remote_layout(list_format, url)
    main = fetch(http, main_url, policy, etag=etag, last_modified=last_modified)
    if main.not_modified:
        return None
    parts = {"main": _body(main)}
    for role, companion_url in companions.items():
        parts[role] = _body(fetch(http, companion_url, policy))
    return ListFile(
        list_format, main_url, parts, main.fetched_at, main.etag, main.last_modified, dataset
    )


def _body(fetched: Fetched) -> bytes:
    """A downloaded file's bytes, gunzipped when the publisher sent it compressed."""
    return gunzipped(fetched.body or b"", where=fetched.url)


def _remote_layout(list_format: str, url: str) -> tuple[str, dict[str, str]]:
    """The main file's URL and its companions' (OFAC CSV lists come as four files)."""
    files = _CSV_FILES.get(list_format)
    if files is None:
        return url, {}
    base = url if url.endswith("/") else url.rsplit("/", 1)[0] + "/"
    main = base + files.main if url.endswith("/") else url
    suffix = ".gz" if main.lower().endswith(".gz") else ""  # a compressed set is all compressed
    return main, {
        "addresses": base + files.addresses + suffix,
        "aliases": base + files.aliases + suffix,
        "comments": base + files.comments + suffix,
    }


def parse(list_file: ListFile) -> ParsedList:
    """Parse raw list bytes with the format's importer; refuse text no database can store."""
    parsed = _parse(list_file)
    check_storable(parsed, list_file.location)
    return parsed


def _parse(list_file: ListFile) -> ParsedList:
    if list_file.format in _CSV_FILES:
        publication = ofac_csv.CsvPublication(
            main=list_file.parts["main"],
            location=list_file.location,
            addresses=list_file.parts.get("addresses"),
            aliases=list_file.parts.get("aliases"),
            comments=list_file.parts.get("comments"),
        )
        source = ofac_csv.SDN_SOURCE if list_file.format == "ofac-csv" else ofac_csv.CONS_SOURCE
        return ofac_csv.parse_ofac_csv(publication, source=source)
    if list_file.format == "ftm":
        return ftm.parse_ftm(
            list_file.parts["main"], location=list_file.location, dataset=list_file.dataset
        )
    parser = _PARSERS[list_file.format]
    return parser(list_file.parts["main"], list_file.location)


def _parse_ofac_xml(data: bytes, location: str) -> ParsedList:
    return ofac_xml.parse_ofac_xml(data, location=location)


def _parse_ofac_enhanced_xml(data: bytes, location: str) -> ParsedList:
    return ofac_enhanced_xml.parse_ofac_enhanced_xml(data, location=location)


def _parse_ofac_advanced_xml(data: bytes, location: str) -> ParsedList:
    return ofac_advanced_xml.parse_ofac_advanced_xml(data, location=location)


def _parse_un_xml(data: bytes, location: str) -> ParsedList:
    return un_xml.parse_un_xml(data, location=location)


def _parse_uk_conlist(data: bytes, location: str) -> ParsedList:
    return uk_conlist.parse_uk_conlist(data, location=location)


def _parse_uk_sanctions_list(data: bytes, location: str) -> ParsedList:
    return uk_fcdo.parse_uk_sanctions_list(data, location=location)


def _parse_eu_fsf(data: bytes, location: str) -> ParsedList:
    return eu_fsf.parse_eu_fsf(data, location=location)


_PARSERS: dict[str, Callable[[bytes, str], ParsedList]] = {
    "ofac-xml": _parse_ofac_xml,
    "ofac-enhanced-xml": _parse_ofac_enhanced_xml,
    "ofac-advanced-xml": _parse_ofac_advanced_xml,
    "un-xml": _parse_un_xml,
    "uk-conlist": _parse_uk_conlist,
    "uk-sanctions-list": _parse_uk_sanctions_list,
    "eu-fsf-xml": _parse_eu_fsf,
}
