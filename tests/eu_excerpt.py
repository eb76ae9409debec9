"""The real EU FSF excerpt (data/eu/eu_sample.xml) and test inputs derived from it.

The excerpt's four first entities are verbatim from the 2026-08-05 export; its last one
(logicalId 999999, a person without any name) was added by the excerpt's author and is marked
synthetic in the file. `real_excerpt()` cuts it out so tests check real records only.
"""

from __future__ import annotations

import re

from tests.conftest import ROOT

EU_FILE = ROOT / "data/eu/eu_sample.xml"
REAL_KEYS = ("13", "191", "980", "330")
SYNTHETIC_KEY = "999999"
_SYNTHETIC_COMMENT = (
    b"  <!-- synthetic: entity with no nameAlias at all, for the fallback path -->\n"
)


def verbatim() -> bytes:
    """The excerpt exactly as published, synthetic entity included."""
    return EU_FILE.read_bytes()


def real_excerpt() -> bytes:
    """The excerpt without its synthetic entity (its comment and element cut out)."""
    data = verbatim()
    block = _SYNTHETIC_COMMENT + entity_block(data, SYNTHETIC_KEY)
    assert data.count(block) == 1, "the synthetic entity is no longer where it was"
    return data.replace(block, b"")


def entity_block(data: bytes, key: str) -> bytes:
    """One sanctionEntity element, from its indentation to its closing tag and newline."""
    pattern = rb'  <sanctionEntity [^>]*logicalId="' + key.encode() + rb'">.*?</sanctionEntity>\n'
    match = re.search(pattern, data, flags=re.DOTALL)
    assert match is not None, f"no sanctionEntity {key} in the excerpt"
    return match[0]


def without_entity(data: bytes, key: str) -> bytes:
    """The export with one sanctionEntity removed."""
    return data.replace(entity_block(data, key), b"")


def edit_entity(data: bytes, key: str, old: bytes, new: bytes) -> bytes:
    """The export with `old` replaced by `new` inside one sanctionEntity (exactly once)."""
    block = entity_block(data, key)
    assert block.count(old) == 1, f"{old!r} is not once in sanctionEntity {key}"
    return data.replace(block, block.replace(old, new))
