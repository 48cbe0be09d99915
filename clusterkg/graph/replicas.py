"""Reads on replicas, writes on the primary, and no reader ever sent back in time.

When one machine is not enough for the reads, users add read replicas of the
engine they already run: FalkorDB replicas by Redis replication (`clusterkg
db start --replica-of URL` on the other machine: the same module, a
read-only copy that follows the primary's stream), Neo4j by its own cluster
and routing driver (a `neo4j://` URL: read sessions go to secondaries; the
store's bookmark manager makes them wait for its own writes). This module is
the FalkorDB half: a store that sends every read to a replica and every
write to the primary.

Positions are Redis replication offsets, which only grow and which primary
and replicas count alike. The store remembers the highest position it has
written or served (a write asks the primary for its offset afterwards; a
read served by a replica is as new as that replica's offset). A read goes to
a replica only when the replica has reached that position, and a request
may raise it with the position a client saw before (`X-Clusterkg-Position`,
set by clusterkg.web.app): so a reader sees its own writes and never an
older graph than one it has seen. A replica behind it is waited for up to
READ_WAIT_MS, then the primary answers; a replica that fails is left out
for DOWN_FOR_S. A mutation reads on the primary throughout (`primary_only`),
so that a guarded write never checks a revision against a lagging copy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import redis

from clusterkg.errors import EngineUnavailable
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.graph.store import BatchCallback, IndexInfo, Params, Plan, QueryResult, WriteStats

READ_WAIT_MS = 500
POLL_S = 0.002
DOWN_FOR_S = 5.0

required_position: ContextVar[int] = ContextVar("clusterkg_required_position", default=0)
primary_only: ContextVar[bool] = ContextVar("clusterkg_primary_only", default=False)


@contextmanager
def on_primary() -> Iterator[None]:
    """Every read in this block goes to the primary (a mutation's reads)."""
    token = primary_only.set(True)
    try:
        yield
    finally:
        primary_only.reset(token)


def offset_of(store: FalkorDBStore) -> int:
    """The replication offset of the server behind `store` (a replica: how far it has applied the primary's stream;
    -1 while it is not linked to its primary, during its first sync or after losing the link)."""
    try:
        info = store.connection.info("replication")
    except redis.RedisError as exc:
        raise EngineUnavailable(f"the engine did not answer INFO replication: {exc}") from None
    if info.get("role") == "slave" and info.get("master_link_status") != "up":
        return -1
    return int(info.get("master_repl_offset", 0))


class ReplicatedStore:
    """A GraphStore over one FalkorDB primary and its replicas (see the module's docstring)."""

    engine = "falkordb"

    def __init__(self, primary: FalkorDBStore, replicas: Sequence[FalkorDBStore], *, wait_ms: int = READ_WAIT_MS):
        self.primary = primary
        self.replicas = list(replicas)
        self.wait_ms = wait_ms
        self.graph_name = primary.graph_name
        self.query_timeout_ms = primary.query_timeout_ms
        self.owns_files = primary.owns_files
        self.reads_on_replicas = 0  # what the tests and benchmarks count
        self.reads_on_primary = 0
        self._seen = 0
        self._offsets = [0] * len(self.replicas)
        self._down_until = [0.0] * len(self.replicas)
        self._next = 0
        self._lock = threading.Lock()

    @property
    def connection(self) -> redis.Redis:
        return self.primary.connection

    def position(self) -> int:
        """The newest position this store has written or served: what a client may ask for next time."""
        return self._seen

    def _note(self, position: int) -> None:
        with self._lock:
            self._seen = max(self._seen, position)

    # -- reads --------------------------------------------------------------

    def read(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None, max_rows: int | None = None
    ) -> QueryResult:
        if not primary_only.get() and self.replicas:
            chosen = self._fresh_replica(max(self._seen, required_position.get()))
            if chosen is not None:
                index, position = chosen
                try:
                    result = self.replicas[index].read(query, params, timeout_ms=timeout_ms, max_rows=max_rows)
                except EngineUnavailable:
                    self._down_until[index] = time.monotonic() + DOWN_FOR_S
                else:
                    self.reads_on_replicas += 1
                    self._note(position)
                    return result
        result = self.primary.read(query, params, timeout_ms=timeout_ms, max_rows=max_rows)
        self.reads_on_primary += 1
        if self.replicas:
            self._note(offset_of(self.primary))  # what it saw may be newer than any replica: never go back from it
        return result

    def _fresh_replica(self, needed: int) -> tuple[int, int] | None:
        """A replica (index, its offset) at `needed` or beyond, waited for up to wait_ms; None: the primary answers."""
        deadline = time.monotonic() + self.wait_ms / 1000
        while True:
            now = time.monotonic()
            with self._lock:
                start, self._next = self._next, (self._next + 1) % len(self.replicas)
            for step in range(len(self.replicas)):
                index = (start + step) % len(self.replicas)
                if self._down_until[index] > now:
                    continue
                if self._offsets[index] < needed:
                    try:
                        self._offsets[index] = offset_of(self.replicas[index])
                    except EngineUnavailable:
                        self._down_until[index] = now + DOWN_FOR_S
                        continue
                if self._offsets[index] >= needed:
                    return index, self._offsets[index]
            if now >= deadline:
                return None
            time.sleep(POLL_S)

    def explain(self, query: str, params: Params | None = None) -> Plan:
        return self.primary.explain(query, params)

    def profile(self, query: str, params: Params | None = None, *, timeout_ms: int | None = None) -> Plan:
        return self.primary.profile(query, params, timeout_ms=timeout_ms)

    def writes(self, query: str, params: Params | None = None) -> str | None:
        return self.primary.writes(query, params)

    def procedure_modes(self) -> dict[str, str]:
        return self.primary.procedure_modes()

    def indexes(self) -> list[IndexInfo]:
        return self.primary.indexes()

    # -- writes -------------------------------------------------------------

    def write(self, query: str, params: Params | None = None) -> WriteStats:
        stats = self.primary.write(query, params)
        self._note(offset_of(self.primary))
        return stats

    def write_batches(
        self,
        query: str,
        rows: Sequence[Mapping[str, Any]],
        *,
        batch_size: int = 5000,
        on_batch: BatchCallback | None = None,
    ) -> WriteStats:
        stats = self.primary.write_batches(query, rows, batch_size=batch_size, on_batch=on_batch)
        self._note(offset_of(self.primary))
        return stats

    def ensure_range_index(self, label: str, prop: str) -> bool:
        return self.primary.ensure_range_index(label, prop)

    def ensure_unique(self, label: str, prop: str) -> bool:
        return self.primary.ensure_unique(label, prop)

    def ensure_fulltext(self, label: str, props: Sequence[str]) -> bool:
        return self.primary.ensure_fulltext(label, props)

    def ensure_vector_index(self, label: str, prop: str, dimension: int) -> bool:
        return self.primary.ensure_vector_index(label, prop, dimension)

    def drop_vector_index(self, label: str, prop: str) -> None:
        self.primary.drop_vector_index(label, prop)

    def await_indexes(self, timeout_s: float = 120.0) -> None:
        self.primary.await_indexes(timeout_s)

    def checkpoint(self) -> None:
        self.primary.checkpoint()

    def close(self) -> None:
        for store in (self.primary, *self.replicas):
            store.close()
