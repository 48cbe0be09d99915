"""The journal of loads: a `Load` node written before a load's first write and committed after its last.

A load that never commits (the loader killed, the engine gone) stays
`started`, and `clusterkg stats`, `clusterkg db status` and `/health` list it
with the command that completes it: loads are idempotent (MERGE on keys,
relationships synced), so running the same command again converges to the
graph of a clean load. A load that failed and was undone is `rolled_back`.

The node's id is a fingerprint of the kind and the files' contents, so the
same files loaded again find their own record (loading twice changes nothing)
and an interrupted load is completed by the run that repeats it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clusterkg import queries
from clusterkg.graph.process import pid_running
from clusterkg.graph.store import GraphStore
from clusterkg.loaders.writer import upsert_nodes
from clusterkg.schema import statements

STARTED, COMMITTED, ROLLED_BACK = "started", "committed", "rolled_back"
REVISION_ID = "revision"
DEMO_ID = "demo"


@dataclass(frozen=True)
class LoadEntry:
    id: str
    kind: str
    command: str


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def fingerprint(kind: str, digests: Sequence[str]) -> str:
    text = "\n".join([kind, *sorted(digests)])
    return "load-" + hashlib.sha256(text.encode()).hexdigest()[:20]


def begin(store: GraphStore, kind: str, files: Sequence[dict[str, Any]], command: str) -> LoadEntry:
    """Record a load before its first write. `files`: {file, sha256, rows, written, rejected}."""
    entry = LoadEntry(fingerprint(kind, [f["sha256"] for f in files]), kind, command)
    renew_revision(store)
    upsert_nodes(
        store,
        "Load",
        [
            {
                "id": entry.id,
                "kind": kind,
                "status": STARTED,
                "command": command,
                "files": [f["file"] for f in files],
                "sha256": [f["sha256"] for f in files],
                "rows": sum(f["rows"] for f in files),
                "written": sum(f["written"] for f in files),
                "rejected": sum(f["rejected"] for f in files),
                "started_at": now(),
                "committed_at": None,
                "error": None,
                "pid": os.getpid(),
                "host": socket.gethostname(),
            }
        ],
    )
    return entry


def finish(store: GraphStore, entry: LoadEntry, status: str, error: str | None = None) -> None:
    upsert_nodes(
        store,
        "Load",
        [{"id": entry.id, "status": status, "committed_at": now() if status == COMMITTED else None, "error": error}],
    )
    renew_revision(store)


def renew_revision(store: GraphStore) -> None:
    """A new revision token: answers cached under the old one (the API's response cache, ETags) are stale.

    Renewed at a load's start (its writes are under way) and at its end, so
    nothing computed during a load outlives it. A random token, not a counter:
    a restored backup brings back its own token, which names that very state."""
    store.write(statements.REVISION_WRITE, {"id": REVISION_ID, "revision": uuid.uuid4().hex, "at": now()})


def revision(store: GraphStore) -> str:
    """The graph's current revision token ("" before the first load)."""
    return store.read(statements.REVISION_READ, {"id": REVISION_ID}).scalar() or ""


def incomplete(store: GraphStore) -> list[dict[str, Any]]:
    """Loads that started and never committed, oldest first: {id, kind, files, started_at, command, running}."""
    rows = queries.run(store, "loads_by_status", {"statuses": [STARTED]}).rows
    host = socket.gethostname()
    for row in rows:
        row["running"] = row.pop("host") == host and pid_running(row.pop("pid"))
        for name in ("status", "committed_at"):
            row.pop(name)
    return rows


def describe(load: dict[str, Any]) -> str:
    """One line for a user: what did not finish and how to finish it."""
    state = "still running (pid alive)" if load.get("running") else "interrupted"
    files = ", ".join(load.get("files") or []) or "-"
    return f"load of {load['kind']} ({files}) started {load['started_at']} is {state}; to complete it run: {load['command']}"


def demo_is_current(store: GraphStore, scale: str, seed: int) -> bool:
    """Whether `clusterkg demo` loaded this scale and seed and nothing was loaded since (the revision it left is current)."""
    rows = store.read(statements.DEMO_READ, {"id": DEMO_ID}).rows
    row = rows[0] if rows else None
    return (
        row is not None
        and row["scale"] == scale
        and row["seed"] == seed
        and bool(row["revision"])
        and row["revision"] == revision(store)
    )


def record_demo(store: GraphStore, scale: str, seed: int) -> None:
    store.write(
        statements.DEMO_WRITE, {"id": DEMO_ID, "scale": scale, "seed": seed, "revision": revision(store), "at": now()}
    )
