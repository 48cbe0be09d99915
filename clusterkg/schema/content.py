"""A content hash of the graph: every node, relationship and property of the declared model.

Two graphs with the same hash hold the same data, whatever the engine and
whatever order it was written in: the check behind every durability promise
(a re-run after a crash, backup -> restore, export -> load, FalkorDB -> Neo4j).

Nodes are read label by label in key order (pages of READ_PAGE), each page's
relationships by indexed lookups of its keys; each row is hashed on its own
and the row hashes are summed, so the result does not depend on the order
the engine returns rows in. The journal (`Load`) and `SchemaInfo` are not
content. Counts of all nodes and relationships are part of the hash, so
anything outside the declared model still changes it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from clusterkg.graph.store import GraphStore
from clusterkg.schema.model import NODE_TYPES, REL_TYPES
from clusterkg.schema.statements import (
    COUNT_BOOKKEEPING,
    COUNT_DERIVED_RELATIONSHIPS,
    COUNT_NODES,
    COUNT_RELATIONSHIPS,
    DERIVED_PROPERTIES,
    DERIVED_RELATIONSHIPS,
    NOT_CONTENT,
    node_page_statement,
    outgoing_statement,
)

READ_PAGE = 20_000
TIMEOUT_MS = 600_000


@dataclass
class ContentHash:
    nodes: dict[str, int] = field(default_factory=dict)  # label -> count
    relationships: dict[str, int] = field(default_factory=dict)  # type -> count
    _sum: int = 0

    def add(self, *row: Any) -> None:
        # maps with sorted keys, dates as ISO text (str), 1.0 apart from 1: one text per row on every engine
        text = json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        self._sum = (self._sum + int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")) % (1 << 256)

    @property
    def hexdigest(self) -> str:
        return f"{self._sum:064x}"

    def __str__(self) -> str:
        return f"sha256-sum:{self.hexdigest[:32]}"


def content_hash(store: GraphStore) -> ContentHash:
    found = ContentHash()
    outgoing: dict[str, list[tuple[str, str]]] = {}
    for rel in REL_TYPES:
        if rel.type in DERIVED_RELATIONSHIPS:
            continue
        for source in rel.sources:
            outgoing.setdefault(source, []).extend((rel.type, target) for target in rel.targets)
    for node_type in NODE_TYPES:
        if node_type.label in NOT_CONTENT:
            continue
        label, after, count = node_type.label, "", 0
        while True:
            rows = store.read(
                node_page_statement(label), {"after": after, "limit": READ_PAGE}, timeout_ms=TIMEOUT_MS
            ).rows
            derived = DERIVED_PROPERTIES.get(label, ())
            for row in rows:
                properties = {k: v for k, v in row["p"].items() if k not in derived} if derived else row["p"]
                found.add("node", label, row["k"], properties)
            count += len(rows)
            keys = [row["k"] for row in rows]
            for rel_type, target in outgoing.get(label, []) if keys else []:
                for found_rel in store.read(
                    outgoing_statement(rel_type, label, target), {"keys": keys}, timeout_ms=TIMEOUT_MS
                ).rows:
                    found.add("rel", rel_type, label, found_rel["a"], target, found_rel["b"], found_rel["p"] or {})
                    found.relationships[rel_type] = found.relationships.get(rel_type, 0) + 1
            if len(rows) < READ_PAGE:
                break
            after = keys[-1]
        if count:
            found.nodes[label] = count
    total_nodes = (
        store.read(COUNT_NODES, timeout_ms=TIMEOUT_MS).scalar()
        - store.read(COUNT_BOOKKEEPING, timeout_ms=TIMEOUT_MS).scalar()
    )
    relationships = (
        store.read(COUNT_RELATIONSHIPS, timeout_ms=TIMEOUT_MS).scalar()
        - store.read(COUNT_DERIVED_RELATIONSHIPS, timeout_ms=TIMEOUT_MS).scalar()
    )
    found.add("counts", total_nodes, relationships)
    return found
