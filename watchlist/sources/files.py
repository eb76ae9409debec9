"""Reading list files from disk: plain or gzip-compressed, with a size cap."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from watchlist.errors import ListFormatError

# A full OFAC SDN CSV is about 5 MB and the advanced XML about 100 MB; 512 MB leaves room
# while still refusing a decompression bomb.
MAX_LIST_BYTES = 512 * 1024 * 1024


def read_list_bytes(path: Path, *, limit: int = MAX_LIST_BYTES) -> bytes:
    """The file's bytes, gunzipped when it is gzip-compressed (by content, not by name)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
            handle.seek(0)
            if head == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=handle) as unzipped:
                    data = unzipped.read(limit + 1)
            else:
                data = handle.read(limit + 1)
    except FileNotFoundError:
        raise ListFormatError(f"List file {path} does not exist.") from None
    except IsADirectoryError:
        raise ListFormatError(f"{path} is a directory, not a list file.") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise ListFormatError(f"List file {path} cannot be read: {exc}.") from None
    if len(data) > limit:
        raise ListFormatError(f"List file {path} is larger than {limit // 2**20} MB; refused.")
    return data


def gunzipped(data: bytes, *, where: str, limit: int = MAX_LIST_BYTES) -> bytes:
    """`data` decompressed when it is gzip (by content, not by name), within the size cap."""
    if data[:2] != b"\x1f\x8b":
        return data
    unzip = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = unzip.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ListFormatError(f"{where} is damaged gzip data: {exc}.") from None
    if len(out) > limit:
        raise ListFormatError(f"{where} is larger than {limit // 2**20} MB unpacked; refused.")
    if not unzip.eof:
        raise ListFormatError(f"{where} is truncated gzip data.")
    return out


def decode_text(data: bytes, *, location: str, encoding: str = "utf-8") -> str:
    """Decode list text, naming the file and line of the first undecodable byte."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ListFormatError(
            f"{location} line {line} is not valid {encoding} text (byte {exc.start})."
        ) from None
