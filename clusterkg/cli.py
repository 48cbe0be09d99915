"""The clusterkg command line.

Every command works on the engine named by --graph-url / CLUSTERKG_GRAPH_URL
(default: the embedded FalkorDB in --data-dir / CLUSTERKG_DATA_DIR, started
on first use and shared by later commands until `clusterkg db stop`).
Errors a user can cause print one line and exit non-zero; never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from clusterkg import queries
from clusterkg.cli_db import db_app
from clusterkg.cli_match import consortium_command, match_app
from clusterkg.cli_support import connected, err, out, print_load_report, progress_bars, render_cell, replay_progress
from clusterkg.errors import ClusterKGError, ConfigError
from clusterkg.graph import embedded_server, resolve_target
from clusterkg.graph.datadir import make_private
from clusterkg.settings import Settings
from clusterkg.spreadsheet import write_csv

app = typer.Typer(
    help="clusterkg: a knowledge graph of the European cluster ecosystem.\n\n"
    "Start with `clusterkg db init` and `clusterkg load reference`, then ask with `clusterkg query`.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
load_app = typer.Typer(help="Load data into the graph (idempotent: loading twice changes nothing).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(load_app, name="load")
app.add_typer(match_app, name="match")
app.command("consortium")(consortium_command)



@app.callback()
def configure(
    ctx: typer.Context,
    graph_url: Optional[str] = typer.Option(
        None, "--graph-url", help="Engine: falkordb+embedded://[DIR] (default), redis://host:port, neo4j://user:pass@host:7687. Env: CLUSTERKG_GRAPH_URL."
    ),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="Data dir of the embedded engine (default ./data). Env: CLUSTERKG_DATA_DIR."),
) -> None:
    ctx.obj = Settings.from_env(graph_url=graph_url, data_dir=data_dir)


@load_app.command("reference")
def load_reference_command(ctx: typer.Context) -> None:
    """Load the real reference data shipped with clusterkg (NUTS regions, cohesion categories, GDP, ecosystems, KETs, labels, calls). Safe to repeat."""
    from clusterkg.loaders.reference import build_reference, load_reference

    data = build_reference()
    with connected(ctx) as store:
        with progress_bars() as factory:
            summary = load_reference(store, data, factory)
    table = Table(title="reference data loaded", show_edge=False)
    table.add_column("nodes / relationships")
    table.add_column("rows", justify="right")
    for name, count in {**summary.nodes, **summary.relationships}.items():
        table.add_row(name, str(count))
    out.print(table)
    stats = summary.stats
    out.print(f"created {stats.nodes_created} nodes and {stats.relationships_created} relationships ({stats.rows} rows in {stats.batches} batches)")
    for note in summary.notes:
        out.print(f"note: {note}")


def _load_kind_command(kind_name: str):
    def command(
        ctx: typer.Context,
        files: list[Path] = typer.Argument(..., help="CSV (, or ;), XLSX or JSON files in the documented format (docs/formats.md)."),
        skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Write the valid rows and report the rejected ones (default: reject the whole load)."),
        report: Optional[Path] = typer.Option(None, "--report", help="Write the report (rejected rows, warnings, counts) to this JSON file."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate, and say what the load would create, clear and remove; write nothing."),
        sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX sheet to read (default: the first)."),
    ) -> None:
        from clusterkg.loaders.pipeline import load_files

        with connected(ctx) as store, progress_bars() as factory:
            result = load_files(store, kind_name, files, skip_invalid=skip_invalid, dry_run=dry_run, sheet=sheet, progress=factory)
        print_load_report(result, report)
        if not result.ok:
            raise typer.Exit(1)

    command.__doc__ = (
        f"Load {kind_name} files: every row validated first; strict (nothing written if a row is rejected) unless --skip-invalid; "
        "an empty cell clears, an absent column keeps (docs/formats.md); re-loading is safe."
    )
    return command


for _kind in ("clusters", "members", "partnerships", "exchanges", "competences", "value-chains", "events", "attendance", "meetings"):
    load_app.command(_kind)(_load_kind_command(_kind))


@load_app.command("dir")
def load_dir_command(
    ctx: typer.Context,
    directory: Path = typer.Argument(..., help="A folder of files named after their kind: value-chains.csv, competences.csv, clusters.csv, members.csv, partnerships.csv, exchanges.csv."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Write the valid rows and report the rejected ones."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate, and say what the load would create, clear and remove; write nothing."),
) -> None:
    """Load every file of a folder, kinds in reference order (value chains first, exchanges last): all validated first, then all written or none."""
    from clusterkg.loaders.pipeline import load_directory

    with connected(ctx) as store, progress_bars() as factory:
        reports = load_directory(store, directory, skip_invalid=skip_invalid, dry_run=dry_run, progress=factory)
    for result in reports:
        print_load_report(result, None)
    if not all(r.ok for r in reports):
        raise typer.Exit(1)


@app.command("generate")
def generate_command(
    scale: str = typer.Option("s", "--scale", help="xs (tests), s (about the ECCP today: 1,100 clusters, 50,000 members), m (10x s), l (100x s, benchmarks)."),
    seed: int = typer.Option(42, "--seed", help="Same seed, same files."),
    out_dir: Path = typer.Option(..., "--out", help="Folder to write the files to."),
) -> None:
    """Write SYNTHETIC cluster data in the documented formats (clearly labelled: synthetic=true, syn- ids, invented names)."""
    from clusterkg.loaders.synthetic import SCALES, generate

    if scale not in SCALES:
        raise ConfigError(f"--scale must be one of {', '.join(SCALES)}, not '{scale}'")
    generated = generate(scale, seed, out_dir)
    out.print(f"SYNTHETIC data written to {generated.directory}: " + ", ".join(f"{n} {k}" for k, n in generated.counts.items()))


@app.command("demo")
def demo_command(
    ctx: typer.Context,
    scale: str = typer.Option("s", "--scale", help="Scale of the synthetic data (xs, s, m)."),
    seed: int = typer.Option(42, "--seed", help="Seed of the synthetic data."),
    force: bool = typer.Option(False, "--force", help="Load again even if this demo is loaded and nothing was loaded since."),
) -> None:
    """Build the demo graph: real reference data, then SYNTHETIC clusters, members, partnerships, exchanges and events.

    Run again (`make run` after `make stop`) with nothing loaded in between, it
    has nothing to do and says so: the graph is the one it left."""
    from clusterkg.loaders import journal
    from clusterkg.loaders.pipeline import load_directory
    from clusterkg.loaders.reference import build_reference, load_reference
    from clusterkg.loaders.synthetic import generate

    settings: Settings = ctx.obj
    if not force:
        with connected(ctx) as store:
            current = journal.demo_is_current(store, scale, seed)
        if current:
            out.print(f"the SYNTHETIC demo graph ({scale}, seed {seed}) is loaded and nothing was loaded since: nothing to do (--force loads it again)")
            stats_command(ctx, fmt="table", content_hash=False)
            return
    target = settings.data_dir / f"synthetic-{scale}-{seed}"
    generated = generate(scale, seed, target)
    make_private(settings.data_dir)
    out.print(f"SYNTHETIC demo data ({scale}, seed {seed}) in {generated.directory}")
    command = f"clusterkg demo --scale {scale} --seed {seed}"
    with connected(ctx) as store, progress_bars() as factory:
        load_reference(store, build_reference(), factory, command=command)
        reports = load_directory(store, target, progress=factory, command=command)
        if all(r.ok for r in reports):
            journal.record_demo(store, scale, seed)
    for result in reports:
        print_load_report(result, None)
    if not all(r.ok for r in reports):
        raise typer.Exit(1)
    stats_command(ctx, fmt="table", content_hash=False)


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


def emit(columns: list[str], rows: list[dict[str, Any]], fmt: str) -> None:
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


@app.command("region")
def region_command(
    ctx: typer.Context,
    country: str = typer.Argument(..., help="Country code (ISO or NUTS-0: DE, FR, EL or GR…)."),
    postcode: str = typer.Argument(..., help="Postal code as people write it: 10115, D-10115, 1000-001, 1011 AB, D01 F5P2…"),
) -> None:
    """The NUTS-3 region of a postal code (Eurostat's correspondence), with its NUTS-2 region and cohesion category from the graph."""
    from clusterkg.loaders.postcodes import correspondence, normalise

    nuts3 = correspondence().nuts3(country, postcode)
    with connected(ctx) as store:
        found = {r["nuts"]: r["region"] for r in queries.run(store, "regions_by_nuts", {"codes": [nuts3, nuts3[:4]]}).rows}
    table = Table(show_header=False, show_edge=False)
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("postal code", f"{normalise(country, postcode)} ({country.upper()})")
    for code, level in ((nuts3, "NUTS-3"), (nuts3[:4], "NUTS-2")):
        region = found.get(code)
        table.add_row(level, f"{code} {region['name']}" if region else f"{code} (not in the graph: `clusterkg load reference`)")
    region = found.get(nuts3) or found.get(nuts3[:4])
    if region:
        table.add_row("cohesion category", f"{region.get('category') or 'none'} ({region.get('category_source') or 'no source'})")
    out.print(table)


@app.command("query")
def query_command(
    ctx: typer.Context,
    cypher: str = typer.Argument(..., help="A read-only Cypher query. Prefix EXPLAIN for the plan, PROFILE for the plan with row counts (read queries only)."),
    param: list[str] = typer.Option([], "--param", "-p", help="A parameter as name=value (repeatable); values parse as JSON when they can."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    timeout_ms: Optional[int] = typer.Option(None, "--timeout", help="Time limit in ms (default CLUSTERKG_QUERY_TIMEOUT_MS or 30000)."),
) -> None:
    """Run a read-only Cypher query; writes are refused by the engine itself."""
    if fmt not in ("table", "csv", "json"):
        raise ConfigError(f"--format must be table, csv or json, not '{fmt}'")
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


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    content_hash: bool = typer.Option(False, "--hash", help="Also compute the content hash (every node, relationship and property: equal hashes, equal graphs)."),
) -> None:
    """Counts of nodes by label and relationships by type, and any load that never committed."""
    from clusterkg.loaders import journal

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
        payload = {"nodes": nodes.rows, "relationships": rels.rows, "incomplete_loads": incomplete}
        if digest:
            payload["content_hash"] = digest
        sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
        return
    emit(nodes.columns, nodes.rows, fmt)
    emit(rels.columns, rels.rows, fmt)
    if fmt == "table":
        out.print(f"total: {sum(r['count'] for r in nodes.rows)} nodes, {sum(r['count'] for r in rels.rows)} relationships")
        if digest:
            out.print(f"content hash: {digest}")
    for load in incomplete:
        err.print(f"[yellow]incomplete load:[/yellow] {journal.describe(load)}", highlight=False, soft_wrap=True)  # one line: the command in it is copied whole


@app.command("export")
def export_command(ctx: typer.Context, directory: Path = typer.Argument(..., help="Folder to write value-chains.csv, competences.csv, clusters.csv, members.csv, partnerships.csv and exchanges.csv to.")) -> None:
    """Write the graph's cluster-level data in the loader formats (docs/formats.md): `load reference` + `load dir` of it rebuilds the same graph, on either engine."""
    from clusterkg.loaders.export import export

    with connected(ctx) as store:
        report = export(store, directory)
    out.print(f"exported to {report.directory}: " + ", ".join(f"{n} {kind}" for kind, n in report.counts.items()))


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface, which needs analyst tokens or --open)."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    workers: int = typer.Option(1, "--workers", help="Worker processes (each opens its own engine connection)."),
    open_access: bool = typer.Option(False, "--open", help="Beyond loopback without CLUSTERKG_ANALYST_TOKENS: leave the Cypher page and the jobs open to everyone who can reach the server."),
    cache_mb: Optional[int] = typer.Option(None, "--cache-mb", min=0, help="GraphQL answers kept per worker until a load changes the graph (default 64; 0: no cache). Env CLUSTERKG_RESPONSE_CACHE_MB."),
    cache_max_age: Optional[int] = typer.Option(None, "--cache-max-age", min=0, help="Cache-Control max-age (s) of cacheable GET answers (default 0: clients revalidate with the ETag). Env CLUSTERKG_CACHE_MAX_AGE."),
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql), the analyst page (/cypher) and /health over the graph (README: Security)."""
    import os

    import uvicorn

    from clusterkg.graphql.context import ApiSettings
    from clusterkg.settings import WebSettings
    from clusterkg.web.security import describe

    settings: Settings = ctx.obj
    web = WebSettings.from_env(bind_host=host, open_access=open_access or None)
    if web.public and not web.analyst_tokens:
        raise ConfigError(
            f"--host {host} serves beyond this machine: set CLUSTERKG_ANALYST_TOKENS (tokens for the Cypher page and the matching jobs), "
            "or pass --open to leave them open to everyone who can reach the server"
        )
    # workers are separate processes: the settings travel in the environment
    os.environ["CLUSTERKG_GRAPH_URL"] = settings.graph_url
    os.environ["CLUSTERKG_DATA_DIR"] = str(settings.data_dir.resolve())
    os.environ["CLUSTERKG_BIND_HOST"] = host
    os.environ["CLUSTERKG_OPEN"] = "1" if web.open_access else ""
    if cache_mb is not None:
        os.environ["CLUSTERKG_RESPONSE_CACHE_MB"] = str(cache_mb)
    if cache_max_age is not None:
        os.environ["CLUSTERKG_CACHE_MAX_AGE"] = str(cache_max_age)
    os.environ["CLUSTERKG_SHARED_CACHE"] = "1" if workers > 1 else ""
    ApiSettings.from_env()  # a bad value in the environment stops here, not in every worker
    target = resolve_target(settings)
    if target.kind == "embedded":
        with replay_progress() as on_replay:
            embedded_server(settings, target).ensure_running(on_replay)  # once, before the workers start
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    out.print(f"clusterkg API on {target.describe()}")
    out.print(f"  analyst page (Cypher, read-only): http://{shown}:{port}/cypher")
    out.print(f"  GraphQL (GraphiQL in a browser): http://{shown}:{port}/graphql")
    out.print(f"  health:                          http://{shown}:{port}/health")
    for line in describe(web):
        out.print(f"  {line}")
    uvicorn.run(
        "clusterkg.web.app:create_served_app", factory=True, host=host, port=port, workers=workers, log_level="warning",
        proxy_headers=bool(web.trusted_proxies), forwarded_allow_ips=",".join(web.trusted_proxies) or None,
    )


@app.command("export-schema")
def export_schema_command(out_file: Optional[Path] = typer.Option(None, "--out", help="Where to write the SDL (default: clusterkg/graphql/schema.graphql).")) -> None:
    """Write the GraphQL schema (SDL) for front-end developers and code generators."""
    from clusterkg.graphql.schema import SCHEMA_FILE, schema_sdl

    target = out_file or SCHEMA_FILE
    target.write_text(schema_sdl(), encoding="utf-8")
    out.print(f"schema written to {target}")


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit code 1."""
    try:
        app()
    except ClusterKGError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)  # commands in messages stay on one line, to copy
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
