"""`clusterkg load …`, `generate` and `demo`: files, reference data and SYNTHETIC demo data into the graph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.table import Table

from clusterkg.cli.cordis import load_cordis_command, print_cordis_report
from clusterkg.cli.query import stats_command
from clusterkg.cli.support import connected, out, print_load_report, progress_bars
from clusterkg.errors import ConfigError
from clusterkg.graph.datadir import make_private
from clusterkg.settings import Settings

load_app = typer.Typer(
    help="Load data into the graph (idempotent: loading twice changes nothing).", no_args_is_help=True
)


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
    out.print(
        f"created {stats.nodes_created} nodes and {stats.relationships_created} relationships ({stats.rows} rows in {stats.batches} batches)"
    )
    for note in summary.notes:
        out.print(f"note: {note}")


OVERWRITE_EDITS = typer.Option(
    False,
    "--overwrite-edits",
    help="Replace fields that were edited on clusterkg since (default: the edit is kept, and the report says so).",
)


def _load_kind_command(kind_name: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        files: list[Path] = typer.Argument(
            ..., help="CSV (, or ;), XLSX or JSON files in the documented format (docs/formats.md)."
        ),
        skip_invalid: bool = typer.Option(
            False,
            "--skip-invalid",
            help="Write the valid rows and report the rejected ones (default: reject the whole load).",
        ),
        report: Path | None = typer.Option(
            None, "--report", help="Write the report (rejected rows, warnings, counts) to this JSON file."
        ),
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Validate, and say what the load would create, clear and remove; write nothing."
        ),
        sheet: str | None = typer.Option(None, "--sheet", help="XLSX sheet to read (default: the first)."),
        overwrite_edits: bool = OVERWRITE_EDITS,
    ) -> None:
        from clusterkg.loaders.pipeline import load_files

        with connected(ctx) as store, progress_bars() as factory:
            result = load_files(
                store,
                kind_name,
                files,
                skip_invalid=skip_invalid,
                dry_run=dry_run,
                sheet=sheet,
                progress=factory,
                overwrite_edits=overwrite_edits,
            )
        print_load_report(result, report)
        if not result.ok:
            raise typer.Exit(1)

    command.__doc__ = (
        f"Load {kind_name} files: every row validated first; strict (nothing written if a row is rejected) unless --skip-invalid; "
        "an empty cell clears, an absent column keeps (docs/formats.md); re-loading is safe."
    )
    return command


for _kind in (
    "clusters",
    "members",
    "partnerships",
    "exchanges",
    "competences",
    "value-chains",
    "events",
    "attendance",
    "meetings",
    "changes",
):
    load_app.command(_kind)(_load_kind_command(_kind))
load_app.command("cordis")(load_cordis_command)


@load_app.command("dir")
def load_dir_command(
    ctx: typer.Context,
    directory: Path = typer.Argument(
        ...,
        help="A folder of files named after their kind: value-chains.csv, competences.csv, clusters.csv, members.csv, partnerships.csv, exchanges.csv; "
        "a cordis/ folder in it (as `clusterkg export` writes) is loaded after them, as `load cordis` does.",
    ),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Write the valid rows and report the rejected ones."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Validate, and say what the load would create, clear and remove; write nothing."
    ),
    overwrite_edits: bool = OVERWRITE_EDITS,
) -> None:
    """Load every file of a folder, kinds in reference order (value chains first, exchanges last): all validated first, then all written or none.
    Then its cordis/ folder, if any (EU projects: strict unless --skip-invalid)."""
    from clusterkg.loaders.cordis.load import load_cordis
    from clusterkg.loaders.pipeline import load_directory

    cordis = directory / "cordis"
    cordis_report = None
    with connected(ctx) as store, progress_bars() as factory:
        reports = load_directory(
            store,
            directory,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            progress=factory,
            overwrite_edits=overwrite_edits,
        )
        if cordis.is_dir() and all(r.ok for r in reports):
            cordis_report = load_cordis(store, cordis, strict=not skip_invalid, dry_run=dry_run, progress=factory)
    for result in reports:
        print_load_report(result, None)
    if cordis_report is not None:
        print_cordis_report(cordis_report)
    if not all(r.ok for r in reports) or (cordis_report is not None and not cordis_report.ok):
        raise typer.Exit(1)


def generate_command(
    scale: str = typer.Option(
        "s",
        "--scale",
        help="xs (tests), s (about the ECCP today: 1,100 clusters, 50,000 members), m (10x s), l (100x s, benchmarks).",
    ),
    seed: int = typer.Option(42, "--seed", help="Same seed, same files."),
    out_dir: Path = typer.Option(..., "--out", help="Folder to write the files to."),
) -> None:
    """Write SYNTHETIC cluster data in the documented formats (clearly labelled: synthetic=true, syn- ids, invented names)."""
    from clusterkg.loaders.synthetic import SCALES, generate

    if scale not in SCALES:
        raise ConfigError(f"--scale must be one of {', '.join(SCALES)}, not '{scale}'")
    generated = generate(scale, seed, out_dir)
    out.print(
        f"SYNTHETIC data written to {generated.directory}: "
        + ", ".join(f"{n} {k}" for k, n in generated.counts.items())
    )


def demo_command(
    ctx: typer.Context,
    scale: str = typer.Option("s", "--scale", help="Scale of the synthetic data (xs, s, m)."),
    seed: int = typer.Option(42, "--seed", help="Seed of the synthetic data."),
    force: bool = typer.Option(
        False, "--force", help="Load again even if this demo is loaded and nothing was loaded since."
    ),
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
            out.print(
                f"the SYNTHETIC demo graph ({scale}, seed {seed}) is loaded and nothing was loaded since: nothing to do (--force loads it again)"
            )
            stats_command(ctx, fmt_text="table", content_hash=False)
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
    stats_command(ctx, fmt_text="table", content_hash=False)
