"""Turning submitted bytes (a file, a download, standard input) into article text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from watchlist.articles.html import html_to_text, looks_like_html
from watchlist.errors import InputError


@dataclasses.dataclass(frozen=True)
class Document:
    """Article text with the title found in it, if any."""

    text: str
    title: str | None = None


def decode(data: bytes, *, where: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252; refuse binary junk."""
    if not data.strip():
        raise InputError(f"{where} is empty.")
    if b"\x00" in data[:8192] or _control_share(data[:8192]) > 0.05:
        raise InputError(f"{where} is binary data, not text or HTML.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _control_share(data: bytes) -> float:
    control = sum(1 for byte in data if byte < 32 and byte not in (9, 10, 13, 12))
    return control / max(1, len(data))


def to_document(data: bytes, *, where: str, max_chars: int, content_type: str = "") -> Document:
    """Plain text as it is; HTML reduced to its main text and title."""
    text = decode(data, where=where)
    if "html" in content_type or looks_like_html(text):
        body, title = html_to_text(text)
        document = Document(body, title)
    else:
        document = Document(text, plain_text_headline(text))
    if not document.text.strip():
        raise InputError(f"{where} holds no article text.")
    if len(document.text) > max_chars:
        raise InputError(
            f"{where} has {len(document.text):,} characters of text; the limit is {max_chars:,}."
        )
    return document


def plain_text_headline(text: str) -> str | None:
    """A plain-text article's headline: a short first line set off by a blank line."""
    first, blank, rest = text.lstrip().partition("\n\n")
    if blank and rest.strip() and "\n" not in first.strip() and len(first.strip()) <= 200:
        return first.strip()
    return None


def read_text_file(path: Path, *, max_chars: int) -> str:
    """The article text of a file (HTML reduced to its main text)."""
    return read_document(path, max_chars=max_chars).text


def read_document(path: Path, *, max_chars: int) -> Document:
    """A file's article text and title, refusing oversized, empty or binary files."""
    try:
        size = path.stat().st_size
        if size > max_chars * 8:
            raise InputError(f"{path} is {size:,} bytes; too large for an article.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not an article file.") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror}.") from None
    return to_document(data, where=str(path), max_chars=max_chars)
