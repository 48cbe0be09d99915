"""Batched, idempotent writes: MERGE on declared keys, every value a parameter.

The statements come from clusterkg.schema.statements (labels, relationship
types and key names from the declared model only); values travel in `$rows`.
Re-running a write leaves the graph as it was (MERGE on keys, `SET +=` of the
same properties).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from clusterkg.graph.store import GraphStore, WriteStats
from clusterkg.schema.model import node, relationship
from clusterkg.schema.statements import node_upsert_statement, relationship_merge_statement, relationship_sync_statement

DEFAULT_BATCH = 5000
Progress = Callable[[int], None]


def upsert_nodes(
    store: GraphStore,
    label: str,
    records: Sequence[Mapping[str, Any]],
    *,
    keep_missing: bool = False,
    batch_size: int = DEFAULT_BATCH,
    on_batch: Progress | None = None,
) -> WriteStats:
    """MERGE nodes of `label` on their key and set the other fields.

    A None value removes the property (the record is the whole truth), unless
    `keep_missing`: then None means "not known here" and leaves it as it is
    (an exchange participant named only by id must not erase a member's name).
    """
    declared = node(label)
    if keep_missing:
        records = [{k: v for k, v in r.items() if v is not None} for r in records]
    if not declared.dates:
        return store.write_batches(
            node_upsert_statement(label, ()), [dict(r) for r in records], batch_size=batch_size, on_batch=on_batch
        )
    # A date property a record does not carry is left alone, so rows go by the dates they carry.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for record in records:
        carried = tuple(d for d in declared.dates if d in record)
        groups.setdefault(carried, []).append(_split_row(record, declared.key, carried))
    stats = WriteStats()
    for carried, rows in groups.items():
        stats += store.write_batches(
            node_upsert_statement(label, carried), rows, batch_size=batch_size, on_batch=on_batch
        )
    return stats


def split_dates(record: Mapping[str, Any], dates: Sequence[str]) -> dict[str, Any]:
    """{'props', 'dates'}: date fields as ISO text for `date()`, the rest as properties."""
    return _split_row(record, None, dates)


def merge_relationships(
    store: GraphStore,
    rel_type: str,
    source_label: str,
    target_label: str,
    records: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = DEFAULT_BATCH,
    on_batch: Progress | None = None,
) -> WriteStats:
    """MERGE relationships between existing nodes; records have source, target, optional props."""
    with_props = any(r.get("props") for r in records)
    dates = relationship(rel_type).dates
    rows = []
    for r in records:
        split = _split_row(dict(r.get("props") or {}), None, dates)
        rows.append({"source": r["source"], "target": r["target"], "props": split["props"], "dates": split["dates"]})
    statement = relationship_merge_statement(rel_type, source_label, target_label, with_props=with_props)
    return store.write_batches(statement, rows, batch_size=batch_size, on_batch=on_batch)


def sync_relationships(
    store: GraphStore,
    rel_type: str,
    anchor_label: str,
    other_label: str,
    records: Sequence[Mapping[str, Any]],
    *,
    outgoing: bool = True,
    fresh: set[Any] | frozenset[Any] = frozenset(),
    batch_size: int = 2000,
    on_batch: Progress | None = None,
) -> WriteStats:
    """Make each anchor's `rel_type` relationships exactly the listed ones.

    records: {"anchor": key, "targets": [{"id": key, "props": {...}}]} (or plain keys). What
    the anchor had and the record no longer lists is deleted (a competence no
    longer offered), in the same atomic query that merges the rest, so a
    re-run after a crash converges. Anchors in `fresh` did not exist before
    this load (clusterkg.loaders.plan knows them): they skip the delete phase.
    """
    dates = relationship(rel_type).dates
    with_props = any(
        isinstance(t, dict) and t.get("props") and any(v is not None for v in t["props"].values())
        for r in records
        for t in r["targets"]
    )
    rows = []
    for record in records:
        if not with_props:
            rows.append({"anchor": record["anchor"], "targets": [target_key(t) for t in record["targets"]]})
            continue
        targets = []
        for target in record["targets"]:
            split = _split_row(dict(target.get("props") or {}), None, dates)
            targets.append({"id": target["id"], "props": split["props"], "dates": split["dates"]})
        rows.append({"anchor": record["anchor"], "targets": targets})
    stats = WriteStats()
    for is_fresh in (True, False):
        part = [r for r in rows if (r["anchor"] in fresh) == is_fresh]
        if part:
            statement = relationship_sync_statement(
                rel_type, anchor_label, other_label, outgoing=outgoing, with_props=with_props, fresh=is_fresh
            )
            stats += store.write_batches(statement, part, batch_size=batch_size, on_batch=on_batch)
    return stats


def target_key(target: Any) -> Any:
    """The key of a sync target: a plain key, or the "id" of {"id", "props"}."""
    return target["id"] if isinstance(target, dict) else target


def _split_row(record: Mapping[str, Any], key: str | None, dates: Sequence[str]) -> dict[str, Any]:
    """{'key', 'props', 'dates'}: date fields go as ISO text, the rest as properties."""
    props = {k: v for k, v in record.items() if k != key and k not in dates}
    row: dict[str, Any] = {"props": props, "dates": {d: _iso(record.get(d)) for d in dates}}
    if key is not None:
        row["key"] = record[key]
    return row


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)
