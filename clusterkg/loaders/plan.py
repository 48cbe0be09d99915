"""Write plans: what a load will change, what the graph had before, and how to undo it.

Each kind turns its validated rows into a `WritePlan`: node upserts (MERGE on
the key, then the listed properties; None clears one) and relationship syncs
(an anchor's relationships of one type become exactly the listed ones). Before
anything is written, `capture` reads what those steps will touch: the
properties of every node they name and the relationships of every anchor.
That one read serves three purposes:

- `changes` compares it with the plan: how many nodes are created, which
  properties would be cleared and which relationships removed, per kind
  (what `--dry-run` shows and every report states);
- `execute` skips the stale-relationship delete for anchors that are new;
- `undo` puts the graph back exactly as it was when the engine fails in the
  middle of the writes: nodes the load created are deleted, the others get
  their properties and their relationships of the synced types back.

FalkorDB has no transaction spanning several queries, so this is how a
strict load stays all-or-nothing on every engine.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterkg.graph.store import GraphStore, WriteStats, chunked
from clusterkg.loaders import writer
from clusterkg.schema import statements
from clusterkg.schema.model import node

READ_BATCH = 20_000


@dataclass
class NodeWrite:
    """MERGE nodes of `label` on their key and set the listed properties (None clears one)."""

    label: str
    rows: list[dict[str, Any]]
    keep_missing: bool = False  # None means "not known here": the property is left as it is

    @property
    def size(self) -> int:
        return len(self.rows)


@dataclass
class RelSync:
    """Make each anchor's `rel_type` relationships to `other_label` exactly the listed ones.

    records: {"anchor": key, "targets": [{"id": key, "props": {...}}]}, or plain target keys
    when the relationships have no properties ({"anchor": key, "targets": [key, ...]}: a dict
    per target cost 40% of a members load's memory, and l did not fit in 23 GB)
    """

    rel_type: str
    anchor_label: str
    other_label: str
    records: list[dict[str, Any]]
    outgoing: bool = True

    @property
    def size(self) -> int:
        return len(self.records)

    @property
    def slot(self) -> tuple[str, str, str, bool]:
        return (self.rel_type, self.anchor_label, self.other_label, self.outgoing)


Step = NodeWrite | RelSync


@dataclass
class WritePlan:
    kind: str
    steps: list[Step] = field(default_factory=list)

    def nodes(self, label: str, rows: list[dict[str, Any]], *, keep_missing: bool = False) -> None:
        if rows:
            self.steps.append(NodeWrite(label, rows, keep_missing))

    def sync(
        self,
        rel_type: str,
        anchor_label: str,
        other_label: str,
        records: list[dict[str, Any]],
        *,
        outgoing: bool = True,
    ) -> None:
        if records:
            self.steps.append(RelSync(rel_type, anchor_label, other_label, records, outgoing))

    def sync_ids(self, rel_type: str, anchor_label: str, other_label: str, targets: dict[str, list[str]]) -> None:
        """`sync` for targets without properties: anchor -> target keys."""
        self.sync(rel_type, anchor_label, other_label, [{"anchor": a, "targets": ts} for a, ts in targets.items()])

    @property
    def size(self) -> int:
        return sum(step.size for step in self.steps)


@dataclass
class BeforeImage:
    """The touched part of the graph as it was before a load."""

    nodes: dict[str, dict[Any, dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # label -> key -> properties
    absent: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))  # label -> keys that did not exist
    # (type, anchor label, other label, outgoing) -> anchor key -> [(target key, properties)], for anchors that existed
    relationships: dict[tuple[str, str, str, bool], dict[Any, list[tuple[Any, dict[str, Any]]]]] = field(
        default_factory=dict
    )
    anchors: dict[tuple[str, str, str, bool], list[Any]] = field(
        default_factory=dict
    )  # the existing anchors of each sync

    def existed(self, label: str, key: Any) -> bool:
        return key in self.nodes.get(label, {})


def capture(store: GraphStore, plans: list[WritePlan]) -> BeforeImage:
    """Read the properties of every node the plans name, and the relationships of their anchors."""
    image = BeforeImage()
    keys: dict[str, set[Any]] = defaultdict(set)
    anchors: dict[tuple[str, str, str, bool], set[Any]] = defaultdict(set)
    for plan in plans:
        for step in plan.steps:
            if isinstance(step, NodeWrite):
                key = node(step.label).key
                keys[step.label].update(r[key] for r in step.rows)
            else:
                anchors[step.slot].update(r["anchor"] for r in step.records)
                keys[step.anchor_label].update(r["anchor"] for r in step.records)
    for label, wanted in keys.items():
        ordered = sorted(wanted, key=str)
        for batch in chunked(ordered, READ_BATCH):
            for row in store.read(
                statements.node_properties_statement(label), {"keys": list(batch)}, timeout_ms=600_000
            ).rows:
                image.nodes[label][row["k"]] = row["p"]
        image.absent[label] = wanted - set(image.nodes[label])
    for slot, wanted in anchors.items():
        rel_type, anchor_label, other_label, outgoing = slot
        found: dict[Any, list[tuple[Any, dict[str, Any]]]] = defaultdict(list)
        existing = sorted((a for a in wanted if image.existed(anchor_label, a)), key=str)
        statement = statements.relationship_targets_statement(rel_type, anchor_label, other_label, outgoing=outgoing)
        for batch in chunked(existing, READ_BATCH):
            for row in store.read(statement, {"keys": list(batch)}, timeout_ms=600_000).rows:
                found[row["k"]].append((row["t"], row["p"] or {}))
        image.relationships[slot] = dict(found)
        image.anchors[slot] = existing
    return image


@dataclass
class Changes:
    """What a load does to the graph beyond adding: the numbers a user must see before and after."""

    nodes_created: Counter[str] = field(default_factory=Counter)  # label -> n
    nodes_updated: Counter[str] = field(default_factory=Counter)  # label -> n (some property changes)
    properties_cleared: Counter[str] = field(default_factory=Counter)  # "Label.property" -> n
    relationships_added: Counter[str] = field(default_factory=Counter)  # type -> n
    relationships_removed: Counter[str] = field(default_factory=Counter)  # type -> n

    @property
    def erases(self) -> bool:
        return bool(self.properties_cleared or self.relationships_removed)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            name: dict(sorted(getattr(self, name).items()))
            for name in (
                "nodes_created",
                "nodes_updated",
                "properties_cleared",
                "relationships_added",
                "relationships_removed",
            )
        }


def changes(plan: WritePlan, image: BeforeImage) -> Changes:
    found = Changes()
    for step in plan.steps:
        if isinstance(step, NodeWrite):
            key = node(step.label).key
            for row in step.rows:
                before = image.nodes.get(step.label, {}).get(row[key])
                if before is None:
                    found.nodes_created[step.label] += 1
                    continue
                changed = False
                for prop, value in row.items():
                    if value is None and step.keep_missing:
                        continue
                    if value is None and before.get(prop) is not None:
                        found.properties_cleared[f"{step.label}.{prop}"] += 1
                    changed |= _differs(before.get(prop), value)
                found.nodes_updated[step.label] += changed
        else:
            before_targets = image.relationships.get(step.slot, {})
            for record in step.records:
                old = {t for t, _ in before_targets.get(record["anchor"], [])}
                new = {writer.target_key(t) for t in record["targets"]}
                found.relationships_added[step.rel_type] += len(new - old)
                found.relationships_removed[step.rel_type] += len(old - new)
    for counter in (
        found.nodes_created,
        found.nodes_updated,
        found.properties_cleared,
        found.relationships_added,
        found.relationships_removed,
    ):
        for name in [k for k, v in counter.items() if not v]:
            del counter[name]
    return found


def _differs(before: Any, after: Any) -> bool:
    if before is None or after is None:
        return bool(before != after)
    return str(before) != str(after)  # dates come back as dates, go in as ISO text


def execute(
    store: GraphStore, plan: WritePlan, image: BeforeImage, on_batch: Callable[[int], None] | None = None
) -> WriteStats:
    """Run the plan's steps in order (each batch one atomic query)."""
    stats = WriteStats()
    for step in plan.steps:
        if isinstance(step, NodeWrite):
            stats += writer.upsert_nodes(
                store, step.label, step.rows, keep_missing=step.keep_missing, on_batch=on_batch
            )
        else:
            stats += writer.sync_relationships(
                store,
                step.rel_type,
                step.anchor_label,
                step.other_label,
                step.records,
                outgoing=step.outgoing,
                fresh=image.absent.get(step.anchor_label, set()),
                on_batch=on_batch,
            )
    return stats


def undo(store: GraphStore, image: BeforeImage) -> WriteStats:
    """Put back what `image` recorded: delete created nodes, restore properties and synced relationships."""
    stats = WriteStats()
    for label, keys in image.absent.items():
        if keys:
            stats += store.write_batches(
                statements.node_delete_statement(label), [{"key": k} for k in sorted(keys, key=str)]
            )
    for label, by_key in image.nodes.items():
        rows = [{"key": key, **writer.split_dates(props, node(label).dates)} for key, props in by_key.items()]
        stats += store.write_batches(statements.node_restore_statement(label), rows)
    for slot, by_anchor in image.relationships.items():
        rel_type, anchor_label, other_label, outgoing = slot
        existing = [{"key": a} for a in image.anchors[slot]]
        stats += store.write_batches(
            statements.relationship_clear_statement(rel_type, anchor_label, other_label, outgoing=outgoing), existing
        )
        records = [
            {"source": a, "target": t, "props": props} if outgoing else {"source": t, "target": a, "props": props}
            for a, targets in by_anchor.items()
            for t, props in targets
        ]
        source, target = (anchor_label, other_label) if outgoing else (other_label, anchor_label)
        for with_props in (False, True):
            part = [r for r in records if bool(r["props"]) == with_props]
            if part:
                stats += writer.merge_relationships(store, rel_type, source, target, part)
    return stats


class UndoLog:
    """The before-images of a load's parts, spilled to a temporary folder as each part is written.

    A streamed load captures and writes one chunk at a time; its undo puts the
    chunks back newest first, so each image is restored onto the graph it was
    read from. Only a running load needs them: a killed loader leaves the
    journal's record `started`, and the rerun converges instead."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="clusterkg-undo-")
        self._parts = 0

    def __enter__(self) -> UndoLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self._folder.cleanup()

    def push(self, image: BeforeImage) -> None:
        with open(Path(self._folder.name) / f"{self._parts}.pickle", "wb") as file:
            pickle.dump(image, file, protocol=pickle.HIGHEST_PROTOCOL)
        self._parts += 1

    def undo(self, store: GraphStore) -> WriteStats:
        stats = WriteStats()
        for part in reversed(range(self._parts)):
            with open(Path(self._folder.name) / f"{part}.pickle", "rb") as file:
                image = pickle.load(file)  # noqa: S301 - our own file, written by this process
            stats += undo(store, image)
        return stats
