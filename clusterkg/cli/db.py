"""`clusterkg db …`: start, stop, inspect, initialise, back up and restore the graph engine."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer

from clusterkg import queries
from clusterkg.accounts.store import FILE_NAME as ACCOUNTS_FILE
from clusterkg.accounts.store import AccountStore
from clusterkg.cli.support import connected, embedded_only, err, out, replay_progress
from clusterkg.errors import ConfigError
from clusterkg.graph import GraphStore, resolve_target
from clusterkg.graph.embedded import EmbeddedServer
from clusterkg.graph.url import redact
from clusterkg.settings import Settings, appendfsync_of

db_app = typer.Typer(
    help="Start, stop, inspect, initialise, back up and restore the graph engine.", no_args_is_help=True
)


@db_app.command("start")
def db_start(
    ctx: typer.Context,
    fsync: str | None = typer.Option(
        None,
        "--fsync",
        help="AOF fsync policy: everysec (default) or always (every write on disk before it is acknowledged).",
    ),
    replica_of: str | None = typer.Option(
        None,
        "--replica-of",
        help="Follow the FalkorDB at this URL (redis://:password@host:port) as a read-only replica, remembered across"
        " restarts; `none` makes this server a primary again. `serve` reads from replicas listed in"
        " CLUSTERKG_READ_REPLICAS.",
    ),
) -> None:
    """Start the embedded FalkorDB of the data dir (or report the one running); waits for its replay, with progress."""
    settings: Settings = ctx.obj
    if fsync:
        settings = replace(settings, appendfsync=appendfsync_of(fsync))
    server = embedded_only(settings, "start")
    if replica_of is not None:
        server.follow(None if replica_of.strip().lower() == "none" else replica_of.strip())
    with replay_progress() as on_replay:
        info = server.ensure_running(on_replay)
    following = server.replica_of()
    role = f", a read-only replica of {redact(following)}" if following else ""
    out.print(f"embedded FalkorDB running: pid {info.pid}, 127.0.0.1:{info.port}, data in {server.home}{role}")


@db_app.command("stop")
def db_stop(ctx: typer.Context) -> None:
    """Stop the embedded FalkorDB (its append-only file is compacted and flushed first)."""
    server = embedded_only(ctx.obj, "stop")
    out.print("stopped" if server.stop() else "not running")


def _size(n: float | None) -> str:
    if n is None:
        return "?"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _print_incomplete(store: GraphStore) -> int:
    from clusterkg.loaders import journal

    incomplete = journal.incomplete(store)
    for load in incomplete:
        err.print(f"[yellow]incomplete load:[/yellow] {journal.describe(load)}", highlight=False, soft_wrap=True)
    return len(incomplete)


@db_app.command("status")
def db_status(ctx: typer.Context) -> None:
    """Is the engine up? For the embedded one: pid, port, memory, AOF, file privacy. Lists loads that never committed."""
    from clusterkg.graph import embedded_server

    target = resolve_target(ctx.obj)
    if target.kind != "embedded":
        with connected(ctx) as store:
            queries.run(store, "count_nodes")
            out.print(f"reachable: {target.describe()}")
            _print_incomplete(store)
        return
    status = embedded_server(ctx.obj, target).status()
    if status.stale_cleaned:
        out.print("cleaned stale state left by a server that is no longer running")
    private = (
        "private (folders 0700, files 0600)"
        if not status.exposed
        else f"[red]readable by others: {len(status.exposed)} paths[/red]"
    )
    if not status.running:
        out.print(f"not running (data dir {status.data_dir}, {private})")
        for path in status.exposed[:10]:
            err.print(f"  exposed: {path}")
        raise typer.Exit(3)
    out.print(
        f"running: pid {status.pid}, 127.0.0.1:{status.port}, memory {status.used_memory_human}, AOF {'on' if status.aof_enabled else 'OFF'} "
        f"(snapshot {_size(status.aof_base_bytes)} + {_size(status.aof_incremental_bytes)} since), data dir {status.data_dir}, {private}"
    )
    for path in status.exposed[:10]:
        err.print(f"  exposed: {path} (run any clusterkg command that starts the engine to fix, or chmod go-rwx)")
    with connected(ctx) as store:
        _print_incomplete(store)


@db_app.command("init")
def db_init(ctx: typer.Context) -> None:
    """Create the schema (unique keys, indexes, full-text) and record its version. Safe to repeat."""
    from clusterkg.schema import apply_schema

    with connected(ctx) as store:
        report = apply_schema(store)
    out.print(f"schema version {report.version}: {len(report.created)} created, {len(report.existing)} already present")
    for item in report.created:
        out.print(f"  + {item}")


NEO4J_BACKUP = (
    "back up Neo4j with its own tools: `neo4j-admin database dump <database> --to-path=DIR` (stopped database, Community) "
    "or `neo4j-admin database backup` (Enterprise); `clusterkg export DIR` writes the cluster-level data in the loader formats"
)


def _backup_target(settings: Settings, command: str) -> EmbeddedServer:
    target = resolve_target(settings)
    if target.kind == "neo4j":
        raise ConfigError(f"`clusterkg db {command}` works on the embedded FalkorDB: {NEO4J_BACKUP}")
    if target.kind != "embedded":
        raise ConfigError(
            f"`clusterkg db {command}` works on the embedded FalkorDB; for {target.describe()} use the server's own persistence "
            "(BGSAVE, then copy its RDB file), or `clusterkg export DIR`"
        )
    return embedded_only(settings, command)


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., help="Where to write the snapshot (an RDB file, e.g. backups/clusterkg-2026-11-30.rdb)."
    ),
) -> None:
    """A consistent snapshot of the embedded engine's graphs, taken while it keeps serving (Redis BGSAVE)."""
    from clusterkg.graph.persistence import backup

    server = _backup_target(ctx.obj, "backup")
    info = backup(server, file)
    out.print(
        f"backup written: {info.path} ({_size(info.bytes)}, {info.seconds:.1f} s); restore with `clusterkg db restore {info.path}`"
    )
    settings: Settings = ctx.obj
    if (settings.data_dir / ACCOUNTS_FILE).exists():  # who may edit travels with the history the graph holds
        copy = AccountStore(settings.data_dir).backup_to(_accounts_copy(info.path))
        out.print(f"accounts written beside it: {copy}")


@db_app.command("restore")
def db_restore(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A snapshot written by `clusterkg db backup`."),
    force: bool = typer.Option(False, "--force", help="Replace a graph that is not empty."),
) -> None:
    """Replace the embedded engine's graphs by a backup (refuses a non-empty graph without --force)."""
    from clusterkg.graph.persistence import check_backup_file, restore

    settings: Settings = ctx.obj
    server = _backup_target(settings, "restore")
    check_backup_file(file)
    with connected(ctx) as store:
        nodes = queries.run(store, "count_nodes").scalar() or 0
    if nodes and not force:
        raise ConfigError(
            f"the graph in {server.data_dir} holds {nodes} nodes: restoring would replace them. Back them up first "
            f"(`clusterkg db backup FILE`), then run again with --force"
        )
    with replay_progress() as on_replay:
        restore(server, file)
        server.ensure_running(on_replay)
    with connected(ctx) as store:
        restored = queries.run(store, "count_nodes").scalar() or 0
    out.print(f"restored {file}: {restored} nodes")
    accounts = _accounts_copy(file)
    if accounts.exists():
        AccountStore(settings.data_dir).restore_from(accounts)
        out.print(f"restored the accounts from {accounts}")


def _accounts_copy(backup_file: Path) -> Path:
    """Where a graph backup's accounts go: beside it, `<backup>.accounts.sqlite3`."""
    return backup_file.with_name(backup_file.name + ".accounts.sqlite3")
