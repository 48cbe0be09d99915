"""Every Cypher text clusterkg can send to an engine, for the dialect checks.

The library files (every label combination, each engine's variant), the
statements built from the model (clusterkg.schema.statements) and each
engine's DDL and administration: nothing else sends Cypher, so this module
needs neither the matching jobs nor the web layer. tests/test_cypher_dialects.py
plans each on the embedded FalkorDB (GRAPH.EXPLAIN) and lints each with
Neo4j's own front-end (tools/cypher-lint), so a text that one engine would
refuse cannot land.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from clusterkg import queries
from clusterkg.graph import falkordb_store, neo4j_store
from clusterkg.schema import NODE_TYPES, statements

BOTH = ("falkordb", "neo4j")

# A sample value per parameter name, so that the checks know each parameter and its type.
SAMPLE_PARAMS: dict[str, Any] = {
    "rows": [],
    "keys": [],
    "ids": [],
    "codes": [],
    "candidate_ids": [],
    "id": "x",
    "version": 1,
    "at": dt.datetime(2026, 1, 1).isoformat(),
    "timeout": 60,
    "after": "",
    "limit": 10,
    "revision": "0" * 32,
    "scale": "s",
    "seed": 42,
}


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    engines: tuple[str, ...] = BOTH
    params: dict[str, Any] = field(default_factory=dict)
    neo4j_only_catalog: bool = False  # lint with Neo4j's full catalog (engine-specific text)


def _params_for(text: str, given: dict[str, Any] | None = None) -> dict[str, Any]:
    params = dict(given or {})
    for name, value in SAMPLE_PARAMS.items():
        if f"${name}" in text and name not in params:
            params[name] = value
    return params


def library_statements() -> list[Statement]:
    found = []
    for query in queries.library().values():
        for labels in query.label_combinations():
            suffix = "".join(f" {slot}={label}" for slot, label in labels.items())
            if query.engines != BOTH:
                found.append(
                    Statement(
                        f"{query.name}{suffix}",
                        query.text_for(query.engines[0], labels),
                        query.engines,
                        dict(query.example),
                    )
                )
            elif query.neo4j_text:
                found.append(
                    Statement(
                        f"{query.name}{suffix} (falkordb)",
                        query.text_for("falkordb", labels),
                        ("falkordb",),
                        dict(query.example),
                    )
                )
                found.append(
                    Statement(
                        f"{query.name}{suffix} (neo4j)",
                        query.text_for("neo4j", labels),
                        ("neo4j",),
                        dict(query.example),
                        True,
                    )
                )
            else:
                found.append(
                    Statement(f"{query.name}{suffix}", query.text_for("falkordb", labels), BOTH, dict(query.example))
                )
    return found


def generated_statements() -> list[Statement]:
    """What clusterkg.schema.statements builds from the model, and each engine's own administration."""
    found = [Statement(name, text) for name, text in statements.generated()]
    found += [Statement(name, text, ("falkordb",)) for name, text in falkordb_store.ADMIN_STATEMENTS]
    found += [
        Statement(name, text, ("neo4j",), neo4j_only_catalog=True)
        for name, text in neo4j_store.admin_statements(NODE_TYPES)
    ]
    return found


def all_statements() -> list[Statement]:
    """Every text, with parameters for the checks."""
    return [
        Statement(s.name, s.text, s.engines, _params_for(s.text, s.params), s.neo4j_only_catalog)
        for s in library_statements() + generated_statements()
    ]
