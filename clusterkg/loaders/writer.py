"""Batched, idempotent writes: MERGE on declared keys, every value a parameter.

This is the one place where loader Cypher is built, and it takes labels,
relationship types and key names from clusterkg.schema only; values travel
in `$rows`. Re-running a write leaves the graph as it was (MERGE on keys,
`SET +=` of the same properties).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping, Sequence

from clusterkg.graph.store import GraphStore, WriteStats
from clusterkg.schema.model import node, relationship

DEFAULT_BATCH = 5000
Progress = Callable[[int], None]


def _date_assignments(variable: str, dates: Sequence[str]) -> str:
    # Dates travel as ISO text and become Cypher dates here (date(null) is null on both engines).
    return "".join(f", {variable}.{p} = date(row.dates.{p})" for p in dates)


def node_upsert_statement(label: str, dates: Sequence[str] | None = None) -> str:
    """The MERGE of `label` rows; `dates` are the date properties the rows carry (default: all declared)."""
    declared = node(label)
    dates = declared.dates if dates is None else tuple(dates)
    if not dates:
        # flat rows (the key among the properties): the cheapest parameters to send
        return f"UNWIND $rows AS row MERGE (n:{label} {{{declared.key}: row.{declared.key}}}) SET n += row"
    return f"UNWIND $rows AS row MERGE (n:{label} {{{declared.key}: row.key}}) SET n += row.props" + _date_assignments("n", dates)


def node_properties_statement(label: str) -> str:
    """The properties of the `label` nodes with the given keys (what a load is about to change)."""
    key = node(label).key
    return f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN n.{key} AS k, properties(n) AS p"


def node_restore_statement(label: str) -> str:
    """Set `label` nodes' properties back to exactly a recorded map (dates as ISO text in row.dates)."""
    declared = node(label)
    return f"UNWIND $rows AS row MATCH (n:{label} {{{declared.key}: row.key}}) SET n = row.props" + _date_assignments("n", declared.dates)


def node_delete_statement(label: str) -> str:
    return f"UNWIND $rows AS row MATCH (n:{label} {{{node(label).key}: row.key}}) DETACH DELETE n"


def _pattern(rel_type: str, anchor_label: str, other_label: str, outgoing: bool) -> str:
    rel = relationship(rel_type)
    sources, targets = (anchor_label, other_label) if outgoing else (other_label, anchor_label)
    if sources not in rel.sources or targets not in rel.targets:
        raise ValueError(f"{sources}-[:{rel_type}]->{targets} is not declared in clusterkg.schema")
    left, right = ("-", "->") if outgoing else ("<-", "-")
    return f"(a:{anchor_label} {{{node(anchor_label).key}: k}}){left}[r:{rel_type}]{right}(b:{other_label})"


def relationship_targets_statement(rel_type: str, anchor_label: str, other_label: str, *, outgoing: bool = True) -> str:
    """Each anchor's `rel_type` relationships to `other_label`: target key and properties."""
    pattern = _pattern(rel_type, anchor_label, other_label, outgoing)
    return f"UNWIND $keys AS k MATCH {pattern} RETURN k, b.{node(other_label).key} AS t, properties(r) AS p"


def relationship_clear_statement(rel_type: str, anchor_label: str, other_label: str, *, outgoing: bool = True) -> str:
    """Delete each listed anchor's `rel_type` relationships to `other_label` (an undo re-creates the recorded ones)."""
    return f"UNWIND $rows AS row WITH row.key AS k MATCH {_pattern(rel_type, anchor_label, other_label, outgoing)} DELETE r"


def relationship_merge_statement(rel_type: str, source_label: str, target_label: str, *, with_props: bool) -> str:
    rel = relationship(rel_type)
    if source_label not in rel.sources or target_label not in rel.targets:
        raise ValueError(f"{source_label}-[:{rel_type}]->{target_label} is not declared in clusterkg.schema")
    source_key, target_key = node(source_label).key, node(target_label).key
    text = (
        f"UNWIND $rows AS row MATCH (a:{source_label} {{{source_key}: row.source}}) "
        f"MATCH (b:{target_label} {{{target_key}: row.target}}) MERGE (a)-[r:{rel_type}]->(b)"
    )
    if not with_props:
        return text
    return text + " SET r += row.props" + _date_assignments("r", rel.dates)


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
        return store.write_batches(node_upsert_statement(label, ()), [dict(r) for r in records], batch_size=batch_size, on_batch=on_batch)
    # A date property a record does not carry is left alone, so rows go by the dates they carry.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for record in records:
        carried = tuple(d for d in declared.dates if d in record)
        groups.setdefault(carried, []).append(_split_row(record, declared.key, carried))
    stats = WriteStats()
    for carried, rows in groups.items():
        stats += store.write_batches(node_upsert_statement(label, carried), rows, batch_size=batch_size, on_batch=on_batch)
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


def relationship_sync_statement(
    rel_type: str, anchor_label: str, other_label: str, *, outgoing: bool = True, with_props: bool = True, fresh: bool = False
) -> str:
    """The sync statement; `fresh` anchors were created by this load, so nothing of theirs can be stale."""
    rel = relationship(rel_type)
    sources, targets = (anchor_label, other_label) if outgoing else (other_label, anchor_label)
    if sources not in rel.sources or targets not in rel.targets:
        raise ValueError(f"{sources}-[:{rel_type}]->{targets} is not declared in clusterkg.schema")
    anchor_key, other_key = node(anchor_label).key, node(other_label).key
    left, right = ("-", "->") if outgoing else ("<-", "-")
    # Without properties the targets travel as a plain list of keys: the
    # client inlines parameters as text, and nested maps cost 3x the time.
    target_ids = "[t IN row.targets | t.id]" if with_props else "row.targets"
    target_key = "t.id" if with_props else "t"
    remove_stale = (
        f"OPTIONAL MATCH (a){left}[old:{rel_type}]{right}(b:{other_label}) WHERE NOT b.{other_key} IN {target_ids} "
        "DELETE old WITH DISTINCT a, row "
    )
    text = (
        f"UNWIND $rows AS row MATCH (a:{anchor_label} {{{anchor_key}: row.anchor}}) "
        + (remove_stale if not fresh else "")
        + f"UNWIND row.targets AS t MATCH (b:{other_label} {{{other_key}: {target_key}}}) MERGE (a){left}[r:{rel_type}]{right}(b)"
    )
    if not with_props:
        return text
    return text + " SET r += t.props" + "".join(f", r.{p} = date(t.dates.{p})" for p in rel.dates)


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

    records: {"anchor": key, "targets": [{"id": key, "props": {...}}]}. What
    the anchor had and the record no longer lists is deleted (a competence no
    longer offered), in the same atomic query that merges the rest, so a
    re-run after a crash converges. Anchors in `fresh` did not exist before
    this load (clusterkg.loaders.plan knows them): they skip the delete phase.
    """
    dates = relationship(rel_type).dates
    with_props = any(t.get("props") and any(v is not None for v in t["props"].values()) for r in records for t in r["targets"])
    rows = []
    for record in records:
        if not with_props:
            rows.append({"anchor": record["anchor"], "targets": [t["id"] for t in record["targets"]]})
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
            statement = relationship_sync_statement(rel_type, anchor_label, other_label, outgoing=outgoing, with_props=with_props, fresh=is_fresh)
            stats += store.write_batches(statement, part, batch_size=batch_size, on_batch=on_batch)
    return stats


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
