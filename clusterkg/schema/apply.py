"""Apply the declared model to an engine: unique keys, indexes, full-text.

Idempotent: what exists is left alone, so running it twice changes nothing.
Indexes are created on empty labels before any load (ENGINES.md §5: an
index added after 500k nodes, under load, was still building after 15 min)
and we wait until the engine reports them usable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from clusterkg.graph.store import GraphStore
from clusterkg.schema import statements
from clusterkg.schema.model import NODE_TYPES, SCHEMA_VERSION

SCHEMA_INFO_ID = "clusterkg"


@dataclass
class SchemaReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    version: int = SCHEMA_VERSION

    @property
    def changed(self) -> bool:
        return bool(self.created)


def apply_schema(store: GraphStore) -> SchemaReport:
    report = SchemaReport()
    # One listing up front: every load starts here, and asking the engine per
    # index (each ensure_* lists them all) cost 81 queries when nothing was missing.
    listed = store.indexes()
    present = {(i.label, i.properties, i.kind) for i in listed}

    def ensure(kind: str, label: str, props: tuple[str, ...], create: Callable[[], bool], what: str) -> None:
        if all((label, (p,), kind) in present for p in props):
            report.existing.append(what)
        else:
            (report.created if create() else report.existing).append(what)

    for node_type in NODE_TYPES:
        label = node_type.label
        ensure(
            "unique",
            label,
            (node_type.key,),
            partial(store.ensure_unique, label, node_type.key),
            f"unique :{label}({node_type.key})",
        )
        for prop in node_type.indexed:
            ensure(
                "range",
                label,
                (prop,),
                partial(store.ensure_range_index, label, prop),
                f"index :{label}({prop})",
            )
        if node_type.fulltext:
            what = f"full-text :{label}({', '.join(node_type.fulltext)})"
            ensure(
                "fulltext",
                label,
                node_type.fulltext,
                partial(store.ensure_fulltext, label, node_type.fulltext),
                what,
            )
    if report.created or any(i.status.upper() not in ("OPERATIONAL", "ONLINE") for i in listed):
        store.await_indexes()
    current = schema_version(store)
    if current != SCHEMA_VERSION:
        store.write(
            statements.SCHEMA_VERSION_WRITE,
            {
                "id": SCHEMA_INFO_ID,
                "version": SCHEMA_VERSION,
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
        )
        report.created.append(f"schema version {SCHEMA_VERSION}")
    return report


def schema_version(store: GraphStore) -> int | None:
    """The schema version recorded in the graph, or None before `db init`."""
    version = store.read(statements.SCHEMA_VERSION_READ, {"id": SCHEMA_INFO_ID}).scalar()
    return None if version is None else int(version)
