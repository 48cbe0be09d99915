"""`clusterkg query`, `region`, `stats`, `export` and `export-schema`: reading the graph from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

import typer
from rich.table import Table

from clusterkg import queries
from clusterkg.cli.support import connected, err, out, render_cell
from clusterkg.errors import ConfigError
from clusterkg.settings import Settings
from clusterkg.spreadsheet import write_csv

# -- query & stats -----------------------------------------------------------------


def parse_param(text: str) -> tuple[str, Any]:
    """key=value; the value is read as JSON when it parses (numbers, lists, null), else as text."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip().isidentifier():
        raise ConfigError(f"parameter '{text}' must look like name=value (e.g. -p nuts=ITF5 or -p level=2)")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return key.strip(), value


OutputFormat = Literal["table", "csv", "json"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("table", "csv", "json")


def output_format(text: str) -> OutputFormat:
    """The --format named by `text`, or an error naming the three."""
    if text not in OUTPUT_FORMATS:
        raise ConfigError(f"--format must be table, csv or json, not '{text}'")
    return text


def emit(columns: list[str], rows: list[dict[str, Any]], fmt: OutputFormat) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, default=str, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        write_csv(sys.stdout, columns, [[render_cell(row.get(c)) for c in columns] for row in rows])
    else:
        table = Table(show_edge=False)
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*[render_cell(row.get(c)) for c in columns])
        out.print(table)


def region_command(
    ctx: typer.Context,
    country: str = typer.Argument(..., help="Country code (ISO or NUTS-0: DE, FR, EL or GR…)."),
    postcode: str = typer.Argument(
        ..., help="Postal code as people write it: 10115, D-10115, 1000-001, 1011 AB, D01 F5P2…"
    ),
) -> None:
    """The NUTS-3 region of a postal code (Eurostat's correspondence), with its NUTS-2 region and cohesion category from the graph."""
    from clusterkg.loaders.postcodes import correspondence, normalise

    nuts3 = correspondence().nuts3(country, postcode)
    with connected(ctx) as store:
        found = {
            r["nuts"]: r["region"] for r in queries.run(store, "regions_by_nuts", {"codes": [nuts3, nuts3[:4]]}).rows
        }
    table = Table(show_header=False, show_edge=False)
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("postal code", f"{normalise(country, postcode)} ({country.upper()})")
    for code, level in ((nuts3, "NUTS-3"), (nuts3[:4], "NUTS-2")):
        region = found.get(code)
        table.add_row(
            level, f"{code} {region['name']}" if region else f"{code} (not in the graph: `clusterkg load reference`)"
        )
    region = found.get(nuts3) or found.get(nuts3[:4])
    if region:
        table.add_row(
            "cohesion category", f"{region.get('category') or 'none'} ({region.get('category_source') or 'no source'})"
        )
    out.print(table)


def query_command(
    ctx: typer.Context,
    cypher: str = typer.Argument(
        ...,
        help="A read-only Cypher query. Prefix EXPLAIN for the plan, PROFILE for the plan with row counts (read queries only).",
    ),
    param: list[str] = typer.Option(
        [], "--param", "-p", help="A parameter as name=value (repeatable); values parse as JSON when they can."
    ),
    fmt_text: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    timeout_ms: int | None = typer.Option(
        None, "--timeout", help="Time limit in ms (default CLUSTERKG_QUERY_TIMEOUT_MS or 30000)."
    ),
) -> None:
    """Run a read-only Cypher query; writes are refused by the engine itself."""
    fmt = output_format(fmt_text)
    from clusterkg.queries.adhoc import run_adhoc

    params = dict(parse_param(p) for p in param)
    with connected(ctx) as store:
        result = run_adhoc(store, cypher, params, timeout_ms=timeout_ms)
    if result.plan is not None:
        out.print(result.plan.text)
        return
    emit(result.columns, result.rows, fmt)
    if fmt == "table":
        err.print(f"{len(result.rows)} rows in {result.elapsed_ms:.1f} ms")


def stats_command(
    ctx: typer.Context,
    fmt_text: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    content_hash: bool = typer.Option(
        False,
        "--hash",
        help="Also compute the content hash (every node, relationship and property: equal hashes, equal graphs).",
    ),
) -> None:
    """Counts of nodes by label and relationships by type, and any load that never committed."""
    from clusterkg.loaders import journal

    fmt = output_format(fmt_text)
    settings: Settings = ctx.obj
    with connected(ctx) as store:
        # whole-graph counts: an administrator's command, allowed the server's longest time (at scale l,
        # 21 million relationships took longer than the 30 s an interactive query gets)
        nodes = queries.run(store, "count_nodes_by_label", timeout_ms=settings.max_timeout_ms)
        rels = queries.run(store, "count_relationships_by_type", timeout_ms=settings.max_timeout_ms)
        incomplete = journal.incomplete(store)
        digest = None
        if content_hash:
            from clusterkg.schema.content import content_hash as compute

            digest = str(compute(store))
    if fmt == "json":
        payload: dict[str, Any] = {"nodes": nodes.rows, "relationships": rels.rows, "incomplete_loads": incomplete}
        if digest:
            payload["content_hash"] = digest
        sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
        return
    emit(nodes.columns, nodes.rows, fmt)
    emit(rels.columns, rels.rows, fmt)
    if fmt == "table":
        out.print(
            f"total: {sum(r['count'] for r in nodes.rows)} nodes, {sum(r['count'] for r in rels.rows)} relationships"
        )
        if digest:
            out.print(f"content hash: {digest}")
    for load in incomplete:
        err.print(
            f"[yellow]incomplete load:[/yellow] {journal.describe(load)}", highlight=False, soft_wrap=True
        )  # one line: the command in it is copied whole


def export_command(
    ctx: typer.Context,
    directory: Path = typer.Argument(
        ...,
        help="Folder to write value-chains.csv, competences.csv, clusters.csv, members.csv, partnerships.csv and exchanges.csv to.",
    ),
) -> None:
    """Write the graph's cluster-level data in the loader formats (docs/formats.md): `load reference` + `load dir` of it rebuilds the same graph, on either engine."""
    from clusterkg.loaders.export import export

    with connected(ctx) as store:
        report = export(store, directory)
    out.print(f"exported to {report.directory}: " + ", ".join(f"{n} {kind}" for kind, n in report.counts.items()))


def export_schema_command(
    out_file: Path | None = typer.Option(
        None, "--out", help="Where to write the SDL (default: clusterkg/graphql/schema.graphql)."
    ),
) -> None:
    """Write the GraphQL schema (SDL) for front-end developers and code generators."""
    from clusterkg.graphql.schema import SCHEMA_FILE, schema_sdl

    target = out_file or SCHEMA_FILE
    target.write_text(schema_sdl(), encoding="utf-8")
    out.print(f"schema written to {target}")
