"""The embedded engine's backups and restores.

A backup is a BGSAVE: a fork of the running server writes a point-in-time RDB
of every graph while the server keeps serving. A restore makes that RDB the
base of a fresh append-only dir, with the server stopped; the dir it
replaces is kept beside it until the restored server has started.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import redis

from clusterkg.errors import ClusterKGError
from clusterkg.graph.aof import wait_for_background_work
from clusterkg.graph.datadir import PRIVATE_FILE
from clusterkg.graph.embedded import AOF_DIR, BACKUP_FILENAME, EmbeddedServer

RDB_MAGIC = b"REDIS"


class BackupError(ClusterKGError):
    """A backup or restore could not be made; the message says why and what is left."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    bytes: int
    seconds: float


def backup(server: EmbeddedServer, destination: Path) -> BackupInfo:
    """A consistent snapshot of the running server's graphs, written to `destination`."""
    destination = Path(destination).resolve()
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder: give a file name, e.g. {destination / 'clusterkg.rdb'}")
    if not destination.parent.is_dir():
        raise BackupError(f"the folder {destination.parent} does not exist")
    started = time.monotonic()
    client = server.client()
    try:
        wait_for_background_work(client, "rewrite")
        last = client.lastsave()
        try:
            client.execute_command("BGSAVE", "SCHEDULE")  # type: ignore[no-untyped-call]  # redis-py leaves it untyped
        except redis.ResponseError as exc:
            if "already in progress" not in str(exc):
                raise
        info = wait_for_background_work(client, "save")
        if (
            info.get("rdb_last_bgsave_status") != "ok"
            or client.lastsave() == last
            and not (server.home / BACKUP_FILENAME).exists()
        ):
            raise BackupError("the embedded FalkorDB could not write the snapshot; see redis.log in the data dir")
    finally:
        client.close()
    written = server.home / BACKUP_FILENAME
    partial = destination.with_name(destination.name + ".partial")
    shutil.copyfile(written, partial)
    os.chmod(partial, PRIVATE_FILE)
    os.replace(partial, destination)
    written.unlink(missing_ok=True)
    return BackupInfo(destination, destination.stat().st_size, time.monotonic() - started)


def check_backup_file(source: Path) -> None:
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    with open(source, "rb") as handle:
        if handle.read(len(RDB_MAGIC)) != RDB_MAGIC:
            raise BackupError(f"{source} is not a clusterkg backup (an RDB snapshot made by `clusterkg db backup`)")


def restore(server: EmbeddedServer, source: Path) -> None:
    """Replace the data dir's graphs by the backup's.

    The caller has checked that replacing is wanted (a non-empty graph needs
    --force). The replaced files stay beside the new ones until the restored
    server has started, and come back if it does not.
    """
    source = Path(source).resolve()
    check_backup_file(source)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = server.home / f"{AOF_DIR}.before-restore-{stamp}"
    with server.stopped():
        fresh = server.home / f"{AOF_DIR}.restoring"
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(mode=0o700)
        base = "appendonly.aof.1.base.rdb"
        shutil.copyfile(source, fresh / base)
        (fresh / "appendonly.aof.1.incr.aof").touch(mode=PRIVATE_FILE)
        (fresh / "appendonly.aof.manifest").write_text(
            f"file {base} seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
        )
        for path in fresh.iterdir():
            os.chmod(path, PRIVATE_FILE)
        if server.aof_dir.exists():
            os.replace(server.aof_dir, kept)
        os.replace(fresh, server.aof_dir)
    try:
        server.ensure_running()
    except ClusterKGError as exc:
        with server.stopped():
            shutil.rmtree(server.aof_dir, ignore_errors=True)
            if kept.exists():
                os.replace(kept, server.aof_dir)
        raise BackupError(f"the restored files would not start ({exc}); the data dir is back as it was") from None
    shutil.rmtree(kept, ignore_errors=True)
