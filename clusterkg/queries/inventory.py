"""Every Cypher text clusterkg can send to an engine, for the dialect checks.

The library files (every label combination, each engine's variant), the
loaders' statements (generated from the schema), the loaders' context reads,
the reference export, schema version and per-engine DDL. tests/test_cypher_dialects.py
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
from clusterkg.graphql import analyst, app as graphql_app
from clusterkg.loaders import writer
from clusterkg.matching import complementarity, consortium, event, profiles, reference
from clusterkg.matching import synthetic as matching_synthetic
from clusterkg.schema import NODE_TYPES, REL_TYPES, apply, content

BOTH = ("falkordb", "neo4j")

# A sample value per parameter name, so that the checks know each parameter and its type.
SAMPLE_PARAMS: dict[str, Any] = {
    "rows": [], "keys": [], "ids": [], "codes": [], "candidate_ids": [], "id": "x", "version": 1, "at": dt.datetime(2026, 1, 1).isoformat(),
    "timeout": 60,
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
            if query.neo4j_text:
                found.append(Statement(f"{query.name}{suffix} (falkordb)", query.text_for("falkordb", labels), ("falkordb",), dict(query.example)))
                found.append(Statement(f"{query.name}{suffix} (neo4j)", query.text_for("neo4j", labels), ("neo4j",), dict(query.example), True))
            else:
                found.append(Statement(f"{query.name}{suffix}", query.text_for("falkordb", labels), BOTH, dict(query.example)))
    return found


def loader_statements() -> list[Statement]:
    found = []
    for node_type in NODE_TYPES:
        for dates in {(), node_type.dates, *((d,) for d in node_type.dates)}:
            found.append(Statement(f"upsert {node_type.label} dates={','.join(dates)}", writer.node_upsert_statement(node_type.label, dates)))
        found.append(Statement(f"properties {node_type.label}", writer.node_properties_statement(node_type.label)))
        found.append(Statement(f"restore {node_type.label}", writer.node_restore_statement(node_type.label)))
        found.append(Statement(f"delete {node_type.label}", writer.node_delete_statement(node_type.label)))
    for rel in REL_TYPES:
        for source in rel.sources:
            for target in rel.targets:
                for with_props in (False, True):
                    name = f"{source}-{rel.type}->{target}{' with props' if with_props else ''}"
                    found.append(Statement(f"merge {name}", writer.relationship_merge_statement(rel.type, source, target, with_props=with_props)))
                    for outgoing, anchor, other in ((True, source, target), (False, target, source)):
                        if not with_props:
                            found.append(Statement(f"targets {name} from {anchor}", writer.relationship_targets_statement(rel.type, anchor, other, outgoing=outgoing)))
                            found.append(Statement(f"clear {name} from {anchor}", writer.relationship_clear_statement(rel.type, anchor, other, outgoing=outgoing)))
                    for fresh in (False, True):
                        for outgoing, anchor, other in ((True, source, target), (False, target, source)):
                            text = writer.relationship_sync_statement(rel.type, anchor, other, outgoing=outgoing, with_props=with_props, fresh=fresh)
                            found.append(Statement(f"sync {name} from {anchor}{' fresh' if fresh else ''}", text))
    return found


def other_statements() -> list[Statement]:
    found = [Statement(f"content hash {n}", text, params={"after": "", "limit": 10, "keys": []}) for n, text in enumerate(content.statements())]
    found += [
        Statement("schema version read", apply.SCHEMA_VERSION_READ),
        Statement("schema version write", apply.SCHEMA_VERSION_WRITE),
        Statement("index page example cluster", graphql_app.FIRST_CLUSTER),
        Statement("falkordb index list", falkordb_store.LIST_INDEXES, ("falkordb",)),
        Statement("falkordb constraint list", falkordb_store.LIST_CONSTRAINTS, ("falkordb",)),
        Statement("neo4j index list", neo4j_store.SHOW_INDEXES, ("neo4j",), neo4j_only_catalog=True),
        Statement("neo4j constraint list", neo4j_store.SHOW_CONSTRAINTS, ("neo4j",), neo4j_only_catalog=True),
        Statement("neo4j await indexes", neo4j_store.AWAIT_INDEXES, ("neo4j",), neo4j_only_catalog=True),
    ]
    for label in complementarity.KINDS:
        found.append(Statement(f"seeker kind {label}", complementarity.SEEKER_QUERY.format(label=label)))
    for name, template in reference.EXPORT_QUERIES.items():
        for label in reference.KINDS if "{label}" in template else (None,):
            for rel in ("OFFERS", "SEEKS") if "{rel}" in template else (None,):
                found.append(Statement(f"reference export {name} {label or ''} {rel or ''}".strip(), template.format(label=label, rel=rel)))
    for name, template in profiles.TAXONOMY_QUERIES.items():
        for label in complementarity.KINDS if "{label}" in template else (None,):
            found.append(Statement(f"matching {name} {label or ''}".strip(), template.format(label=label)))
    found.append(Statement("analyst synthetic count", analyst.SYNTHETIC_COUNT))
    for node_type in NODE_TYPES:
        found.append(Statement(f"analyst property counts {node_type.label}", analyst.PROPERTY_COUNTS.format(label=node_type.label, columns=analyst.property_columns(node_type.all_properties))))
    for rel in REL_TYPES:
        found.append(Statement(f"analyst property counts {rel.type}", analyst.REL_PROPERTY_COUNTS.format(rel=rel.type, columns=analyst.property_columns(rel.properties, "r"))))
    consortium_params = {"id": "x", "ids": [], "chains": [], "countries": [], "per_stage": 3}
    for name, text in consortium.QUERIES.items():
        found.append(Statement(f"consortium {name}", text, params={k: v for k, v in consortium_params.items() if f"${k}" in text}))
    found.append(Statement("matching event attendees", event.EVENT_ATTENDEES, params={"event_id": "e"}))
    found.append(Statement("matching event exists", event.EVENT_EXISTS, params={"event_id": "e"}))
    found.append(Statement("matching synthetic clusters", matching_synthetic.CLUSTERS_QUERY, params={"limit": 10}))
    for node_type in NODE_TYPES:
        found.append(Statement(f"neo4j unique {node_type.label}", neo4j_store.unique_ddl(node_type.label, node_type.key), ("neo4j",), neo4j_only_catalog=True))
        for prop in node_type.indexed:
            found.append(Statement(f"neo4j index {node_type.label}.{prop}", neo4j_store.range_index_ddl(node_type.label, prop), ("neo4j",), neo4j_only_catalog=True))
        if node_type.fulltext:
            found.append(Statement(f"neo4j full-text {node_type.label}", neo4j_store.fulltext_ddl(node_type.label, node_type.fulltext), ("neo4j",), neo4j_only_catalog=True))
    return found


def all_statements() -> list[Statement]:
    """Every text, with parameters for the checks."""
    return [
        Statement(s.name, s.text, s.engines, _params_for(s.text, s.params), s.neo4j_only_catalog)
        for s in library_statements() + loader_statements() + other_statements()
    ]
