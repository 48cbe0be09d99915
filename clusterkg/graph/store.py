"""The GraphStore protocol every engine implements, and its result shapes.

Callers (loaders, queries, the API) see only this: plain Python values in,
plain Python values out, whatever the engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Protocol, TypeVar, runtime_checkable

Params = Mapping[str, Any]


@dataclass
class QueryResult:
    """Rows of a read, each a dict keyed by column name."""

    columns: list[str]
    rows: list[dict[str, Any]]
    elapsed_ms: float = 0.0
    truncated: bool = False  # more rows than the read's max_rows were found

    def scalar(self) -> Any:
        """The single value of a one-row, one-column result (None when empty)."""
        if not self.rows:
            return None
        return self.rows[0][self.columns[0]]


@dataclass
class WriteStats:
    """What a write changed, summed over batches."""

    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    rows: int = 0
    batches: int = 0
    # what the write query RETURNs, as rows keyed by column (a guarded write returns nothing when its guard failed)
    returned: list[dict[str, Any]] = field(default_factory=list, compare=False)

    def __iadd__(self, other: WriteStats) -> WriteStats:
        for f in fields(self):
            if f.name != "returned":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        self.returned.extend(other.returned)
        return self

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "returned"}


@dataclass(frozen=True)
class IndexInfo:
    label: str
    properties: tuple[str, ...]
    kind: str  # "range" | "fulltext" | "unique" | "vector"
    status: str = "ONLINE"


@dataclass
class Plan:
    """An execution plan as text lines, for EXPLAIN and PROFILE requests."""

    lines: list[str] = field(default_factory=list)
    profiled: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


BatchCallback = Callable[[int], None]


@runtime_checkable
class GraphStore(Protocol):
    """A graph engine behind one small interface.

    `read` runs in the engine's read-only mode with a time limit; `write` and
    `write_batches` are the only ways to change the graph. Each `write` call
    is atomic on every engine; `write_batches` is atomic per batch only
    (FalkorDB has no multi-statement transactions), so batched writes must be
    idempotent (MERGE on keys) to make a re-run safe.
    """

    engine: str  # "falkordb" or "neo4j"

    def read(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None, max_rows: int | None = None
    ) -> QueryResult: ...

    def write(self, query: str, params: Params | None = None) -> WriteStats: ...

    def write_batches(
        self,
        query: str,
        rows: Sequence[Mapping[str, Any]],
        *,
        batch_size: int = 5000,
        on_batch: BatchCallback | None = None,
    ) -> WriteStats: ...

    def explain(self, query: str, params: Params | None = None) -> Plan: ...

    def profile(self, query: str, params: Params | None = None, *, timeout_ms: int | None = None) -> Plan:
        """The plan with row counts: the query RUNS (read-only, within the time limit)."""
        ...

    def writes(self, query: str, params: Params | None = None) -> str | None:
        """Why the query would change the graph, judged by the engine without running it (its plan, its
        procedures' declared modes); None when it only reads. The analyst page refuses EXPLAIN and PROFILE on it."""
        ...

    def indexes(self) -> list[IndexInfo]: ...

    def ensure_range_index(self, label: str, prop: str) -> bool: ...

    def ensure_unique(self, label: str, prop: str) -> bool: ...

    def ensure_fulltext(self, label: str, props: Sequence[str]) -> bool: ...

    def ensure_vector_index(self, label: str, prop: str, dimension: int) -> bool:
        """A cosine vector index on `prop` (clusterkg.queries.vectors); True when it was created."""
        ...

    def drop_vector_index(self, label: str, prop: str) -> None:
        """Drop it (its dimension changed with the taxonomy); nothing when there is none."""
        ...

    def await_indexes(self, timeout_s: float = 120.0) -> None: ...

    def checkpoint(self) -> None:
        """After a committed load: make the committed state cheap to recover
        (the embedded FalkorDB compacts its append-only file; elsewhere a no-op)."""
        ...

    def close(self) -> None: ...


class BatchWrites:
    """`write_batches` for any store with an atomic `write`: one `UNWIND $rows` query per batch."""

    def write(self, query: str, params: Params | None = None) -> WriteStats:
        raise NotImplementedError

    def write_batches(
        self,
        query: str,
        rows: Sequence[Mapping[str, Any]],
        *,
        batch_size: int = 5000,
        on_batch: BatchCallback | None = None,
    ) -> WriteStats:
        return write_in_batches(self.write, query, rows, batch_size=batch_size, on_batch=on_batch)


Item = TypeVar("Item")


def chunked(rows: Sequence[Item], size: int) -> Iterable[Sequence[Item]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_in_batches(
    write: Callable[[str, Params], WriteStats],
    query: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int,
    on_batch: BatchCallback | None,
) -> WriteStats:
    """`UNWIND $rows` writes, one atomic query per batch; what every engine's write_batches does."""
    total = WriteStats()
    for batch in chunked(rows, batch_size):
        stats = write(query, {"rows": list(batch)})
        stats.rows = len(batch)
        total += stats
        if on_batch:
            on_batch(len(batch))
    return total


# EXPLAIN/PROFILE must never reach FalkorDB as query text: it ignores the
# prefix and RUNS the query (ENGINES.md §2). Callers split it off here and
# use the engine's explain/profile call instead.
_PLAN_PREFIX = re.compile(r"^\s*(?:(?://[^\n]*\n|/\*.*?\*/)\s*)*(EXPLAIN|PROFILE)\b", re.IGNORECASE | re.DOTALL)


def split_plan_prefix(query: str) -> tuple[str | None, str]:
    """Return ("explain" | "profile" | None, query without the prefix)."""
    match = _PLAN_PREFIX.match(query)
    if not match:
        return None, query
    return match.group(1).lower(), query[match.end() :].lstrip()
