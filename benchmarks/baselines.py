"""Baseline name matchers for the matcher benchmark: OpenSanctions' logic-v2 and rapidfuzz WRatio.

logic-v2 is the rule-based matcher of the `nomenklatura` package (the default algorithm behind the
yente API). It is an optional dependency, installed into a separate virtualenv by
`make bench-venv` (which `make bench-quality` and `make bench-matching` run first). The
project's own virtualenv does not have it, and there `logic_v2_available()` returns False.

Call sequence used for one pair (nomenklatura 4.17, followthemoney 4.11):
    config = nomenklatura.matching.LogicV2.default_config()   # a ScoringConfig, built once
    query = followthemoney.model.make_entity("Person"); query.add("name", "..."); query.make_id(...)
    listed = ... likewise ...
    LogicV2.compare(query, listed, config).score               # 0..1

Entities need an ID: nomenklatura caches each entity's parsed names by entity ID (an lru_cache
keyed on EntityProxy.__hash__, which hashes the ID only), so the ID here is derived from the role,
schema and name, never reused for different content.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from typing import Any

from rapidfuzz import fuzz, utils

# The benchmark's entity kinds, mapped to FollowTheMoney schemata.
KIND_SCHEMA = {
    "person": "Person",
    "organization": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
_LOGIC_V2_MODULES = ("nomenklatura", "followthemoney")


def logic_v2_available() -> bool:
    """Whether nomenklatura (logic-v2) and followthemoney can be imported here."""
    return all(importlib.util.find_spec(name) is not None for name in _LOGIC_V2_MODULES)


def _schema_name(kind: str) -> str:
    """The FtM schema for a kind (person|organization|vessel), or an FtM schema name as given."""
    return KIND_SCHEMA.get(kind.lower(), kind)


def logic_v2_score(query: str, listed: str, kind: str, listed_kind: str | None = None) -> float:
    """The logic-v2 score 0..1 of query vs listed name; listed_kind defaults to kind."""
    return _make_logic_v2_scorer()(query, listed, kind, listed_kind or kind)


def logic_v2_scorer() -> Callable[[str, str, str], float]:
    """A (query, listed, kind) -> logic-v2 score function, with the setup done once."""
    score = _make_logic_v2_scorer()

    def scorer(query: str, listed: str, kind: str) -> float:
        """The logic-v2 score 0..1 of a query name against a listed name of the same kind."""
        return score(query, listed, kind, kind)

    return scorer


@functools.cache
def _make_logic_v2_scorer() -> Callable[[str, str, str, str], float]:
    """Import nomenklatura, build the default logic-v2 config once, return a 4-argument scorer."""
    if not logic_v2_available():
        raise RuntimeError(
            "logic-v2 needs nomenklatura and followthemoney: "
            "make bench-venv builds a separate virtualenv (.venv-bench) with them"
        )
    from followthemoney import model
    from nomenklatura.matching import LogicV2

    config = LogicV2.default_config()
    schemata: dict[str, Any] = {}

    def entity(role: str, kind: str, name: str) -> Any:
        """A FtM entity of the kind's schema with one name and a content-derived ID."""
        schema = schemata.get(kind)
        if schema is None:
            schema = model.get(_schema_name(kind))
            if schema is None:
                raise ValueError(f"unknown entity kind: {kind!r}")
            schemata[kind] = schema
        proxy = model.make_entity(schema)
        proxy.add("name", name)
        proxy.make_id(role, schema.name, name)
        return proxy

    def score(query: str, listed: str, kind: str, listed_kind: str) -> float:
        """The logic-v2 score 0..1 of the two names as entities of the given kinds."""
        result = LogicV2.compare(
            entity("query", kind, query), entity("listed", listed_kind, listed), config
        )
        return float(result.score)

    # Warm-up: rigour loads its name data (~5 s) on first use; pay for it here, not in a timing.
    score("Vladimir Putin", "PUTIN, Vladimir", "person", "person")
    score("Wagner Group", "PMC Wagner LLC", "organization", "organization")
    return score


def wratio_score(query: str, listed: str) -> float:
    """rapidfuzz WRatio on default-processed strings, scaled to 0..1."""
    return float(fuzz.WRatio(query, listed, processor=utils.default_process)) / 100.0
