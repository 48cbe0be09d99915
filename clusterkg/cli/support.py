"""What every clusterkg command shares: the consoles, the connection, and how cells and load reports print."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clusterkg.loaders.pipeline import LoadReport

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from clusterkg.errors import ConfigError
from clusterkg.graph import GraphStore, embedded_server, open_store, resolve_target
from clusterkg.graph.embedded import EmbeddedServer, Replay, ReplayCallback
from clusterkg.settings import Settings
from clusterkg.validation import Issue

out = Console()
err = Console(stderr=True)


@contextmanager
def replay_progress() -> Iterator[ReplayCallback]:
    """A progress bar that appears only while an embedded server replays its files."""
    progress: Progress | None = None
    task: TaskID | None = None

    def on_replay(replay: Replay) -> None:
        nonlocal progress, task
        if progress is None:
            if replay.done_bytes >= replay.total_bytes:
                return  # ready at the first look: nothing to show
            progress = Progress(
                TextColumn("loading the graph from disk"),
                BarColumn(),
                DownloadColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            )
            progress.start()
            task = progress.add_task("replay", total=replay.total_bytes)
        if task is not None:
            progress.update(task, completed=min(replay.done_bytes, replay.total_bytes))

    try:
        yield on_replay
    finally:
        if progress is not None:
            progress.stop()


@contextmanager
def connected(ctx: typer.Context) -> Iterator[GraphStore]:
    with replay_progress() as on_replay:
        store = open_store(ctx.obj, on_replay)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def progress_bars() -> Iterator[Any]:
    """A factory of progress bars, one per step of a long job: factory(description, total) -> advance(n)."""
    with Progress(
        TextColumn("{task.description:<44}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as progress:

        def factory(description: str, total: int) -> Callable[[int], None]:
            task = progress.add_task(description, total=total)
            return lambda n: progress.advance(task, n)

        yield factory


def embedded_only(settings: Settings, command: str) -> EmbeddedServer:
    target = resolve_target(settings)
    if target.kind != "embedded":
        raise ConfigError(
            f"`clusterkg db {command}` manages the embedded engine; the graph URL names {target.describe()}"
        )
    return embedded_server(settings, target)


def render_cell(value: Any) -> str:
    if isinstance(value, dict) and value.get("_type") == "node":
        props = value["properties"]
        key = next((props[k] for k in ("id", "nuts", "code") if k in props), value["_id"])
        return f"(:{':'.join(value['_labels'])} {key})"
    if isinstance(value, dict) and value.get("_type") == "relationship":
        return f"[:{value['_rel_type']}]"
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return "" if value is None else str(value)


def _counts(counter: Mapping[str, int]) -> str:
    return ", ".join(f"{name}: {n}" for name, n in sorted(counter.items()))


def print_changes(report: Any) -> None:
    """What a load clears and removes, said before (dry run) and after: nothing is erased silently."""
    changes = report.changes
    verb = "would" if report.dry_run else ("did" if report.written else None)
    if verb is None:
        return
    cleared, removed = sum(changes.properties_cleared.values()), sum(changes.relationships_removed.values())
    created = sum(changes.nodes_created.values())
    out.print(
        f"{'this load would' if report.dry_run else 'this load did'}: create {created} nodes ({_counts(changes.nodes_created) or '-'}), "
        f"update {sum(changes.nodes_updated.values())}, add {sum(changes.relationships_added.values())} relationships",
        highlight=False,
    )
    if cleared:
        out.print(
            f"[yellow]{'would clear' if report.dry_run else 'cleared'} {cleared} properties[/yellow] (empty cells in columns the file has): {_counts(changes.properties_cleared)}",
            highlight=False,
        )
    if removed:
        out.print(
            f"[yellow]{'would remove' if report.dry_run else 'removed'} {removed} relationships[/yellow] (no longer listed): {_counts(changes.relationships_removed)}",
            highlight=False,
        )


def print_issues(
    title: str,
    files: Sequence[Any],
    errors: Sequence[Issue],
    warnings: Sequence[Issue],
    errors_total: int,
    warnings_total: int,
) -> None:
    """A load's files (read, valid, rejected, warnings), its first 50 rejected rows and first 10 warnings."""
    table = Table(title=title, show_edge=False)
    for column in ("file", "read", "valid", "rejected", "warnings"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for f in files:
        table.add_row(f.file, str(f.rows), str(f.valid), str(f.rejected), str(f.warnings))
    out.print(table)
    if errors:
        rejected = Table(title=f"rejected rows ({errors_total})", show_edge=False)
        for column in ("file", "row", "field", "value", "reason"):
            rejected.add_column(column)
        for issue in errors[:50]:
            rejected.add_row(issue.file, str(issue.row), issue.field, render_cell(issue.value), issue.reason)
        out.print(rejected)
        if errors_total > 50:
            out.print(f"… and {errors_total - 50} more (see --report FILE.json)")
    for issue in warnings[:10]:
        out.print(f"warning: {issue.file} row {issue.row}, {issue.field} = {render_cell(issue.value)}: {issue.reason}")
    if warnings_total > 10:
        out.print(f"… {warnings_total - 10} more warnings (see --report FILE.json)")


def print_load_report(report: LoadReport, report_path: Path | None) -> None:
    from clusterkg.loaders.pipeline import LoadReport

    if not isinstance(report, LoadReport):
        raise TypeError(f"print_load_report needs a LoadReport, not {type(report).__name__}")
    print_issues(report.kind, report.files, report.errors, report.warnings, len(report.errors), len(report.warnings))
    if report.dry_run:
        print_changes(report)
        out.print("dry run: nothing written")
    elif report.written:
        s = report.stats
        out.print(
            f"written: {sum(f.valid for f in report.files)} rows ({s.nodes_created} nodes and {s.relationships_created} relationships created, {s.relationships_deleted} stale relationships removed)"
        )
        print_changes(report)
    elif report.errors and not report.ok:
        out.print(
            "[red]nothing written[/red]: rejected rows above (fix them, or load the good rows with --skip-invalid)"
        )
    elif not any(f.valid for f in report.files):
        out.print("nothing to write")
    else:
        out.print("[red]nothing written[/red]: another file of this load has rejected rows")
    if report_path:
        report_path.write_text(
            json.dumps(report.as_dict(), indent=2, default=str, ensure_ascii=False), encoding="utf-8"
        )
