"""Keeping the embedded engine's append-only file compact.

The AOF grows with every write, and a start replays all of it. Redis
rewrites it into an RDB snapshot plus an empty tail (BGREWRITEAOF, a fork:
0.2 s at scale s), after which a start loads the snapshot (about 1 s at s).
clusterkg asks for it after each committed load and at `db stop`; Redis's own
automatic rewrite (at 64 MB, doubling) stays on for what happens in between.
"""

from __future__ import annotations

import time
from typing import Any

import redis

from clusterkg.errors import EngineUnavailable

COMPACT_MIN_BYTES = 256 * 1024  # below this, a replay takes milliseconds: not worth a fork
WAIT_S = 3600.0


def _persistence(client: redis.Redis) -> dict[str, Any]:
    return client.info("persistence")


def wait_for_background_work(client: redis.Redis, what: str) -> dict[str, Any]:
    """Wait for a running or scheduled rewrite or save to finish; its final INFO."""
    deadline = time.monotonic() + WAIT_S
    while True:
        info = _persistence(client)
        busy = (
            info.get("aof_rewrite_in_progress")
            or info.get("aof_rewrite_scheduled")
            or info.get("rdb_bgsave_in_progress")
        )
        if not busy:
            return info
        if time.monotonic() > deadline:
            raise EngineUnavailable(
                f"the embedded FalkorDB is still busy with a background {what} after {WAIT_S:.0f} s"
            )
        time.sleep(0.02)


def compact(client: redis.Redis) -> None:
    """Rewrite the AOF into an RDB base and an empty tail, and wait for it."""
    wait_for_background_work(client, "save")
    before = _persistence(client).get("aof_rewrites", 0)
    try:
        client.bgrewriteaof()
    except redis.ResponseError as exc:
        if "already in progress" not in str(exc):
            raise
    info = wait_for_background_work(client, "AOF rewrite")
    if info.get("aof_last_bgrewrite_status") != "ok" and info.get("aof_rewrites", 0) > before:
        raise EngineUnavailable(
            "the embedded FalkorDB could not compact its append-only file; see redis.log in the data dir"
        )


def compact_if_grown(client: redis.Redis) -> bool:
    """Compact when the AOF holds more than a few hundred KB written since its base."""
    info = _persistence(client)
    if not info.get("aof_enabled"):
        return False
    grown = int(info.get("aof_current_size", 0)) - int(info.get("aof_base_size", 0))
    if grown < COMPACT_MIN_BYTES:
        return False
    compact(client)
    return True
