"""What every clusterkg command shares: the consoles, the connection, and how cells and load reports print."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import typer
from rich.console import Console
from rich.table import Table

from clusterkg.graph import GraphStore, open_store

out = Console()
err = Console(stderr=True)


@contextmanager
def connected(ctx: typer.Context) -> Iterator[GraphStore]:
    store = open_store(ctx.obj)
    try:
        yield store
    finally:
        store.close()


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


def print_load_report(report, report_path: Optional[Path]) -> None:
    from clusterkg.loaders.pipeline import LoadReport

    assert isinstance(report, LoadReport)
    table = Table(title=f"{report.kind}", show_edge=False)
    for column in ("file", "read", "valid", "rejected", "warnings"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for f in report.files:
        table.add_row(f.file, str(f.rows), str(f.valid), str(f.rejected), str(f.warnings))
    out.print(table)
    if report.errors:
        rejected = Table(title=f"rejected rows ({len(report.errors)})", show_edge=False)
        for column in ("file", "row", "field", "value", "reason"):
            rejected.add_column(column)
        for issue in report.errors[:50]:
            rejected.add_row(issue.file, str(issue.row), issue.field, render_cell(issue.value), issue.reason)
        out.print(rejected)
        if len(report.errors) > 50:
            out.print(f"… and {len(report.errors) - 50} more (see --report FILE.json)")
    if report.warnings:
        shown = report.warnings[:10]
        for issue in shown:
            out.print(f"warning: {issue.file} row {issue.row}, {issue.field} = {render_cell(issue.value)}: {issue.reason}")
        if len(report.warnings) > len(shown):
            out.print(f"… {len(report.warnings) - len(shown)} more warnings (see --report FILE.json)")
    if report.dry_run:
        out.print("dry run: nothing written")
    elif report.written:
        s = report.stats
        out.print(f"written: {sum(f.valid for f in report.files)} rows ({s.nodes_created} nodes and {s.relationships_created} relationships created, {s.relationships_deleted} stale relationships removed)")
    elif report.errors:
        out.print("[red]nothing written[/red]: rejected rows above (fix them, or load the good rows with --skip-invalid)")
    if report_path:
        report_path.write_text(json.dumps(report.as_dict(), indent=2, default=str, ensure_ascii=False), encoding="utf-8")
