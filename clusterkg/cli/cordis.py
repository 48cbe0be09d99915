"""`clusterkg load cordis PATH`: the EU's projects and their participants (CORDIS bulk files) into the graph."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from clusterkg.cli.support import connected, out, print_issues, progress_bars
from clusterkg.loaders.cordis.load import LICENCE, CordisReport


def load_cordis_command(
    ctx: typer.Context,
    path: Path = typer.Argument(
        ...,
        help="A CORDIS bulk download as it comes (e.g. cordis-h2020projects-csv.zip, cordis-HORIZONprojects-json.zip) "
        "or its unpacked folder: project and organization files (CSV ;-separated, or JSON), euroSciVoc and topics where present.",
    ),
    strict: bool = typer.Option(
        False, "--strict", help="All or nothing: one rejected row and nothing is written (default: the good rows load)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and report; write nothing."),
    report_path: Path | None = typer.Option(
        None, "--report", help="Write the report (counts, rejected rows, warnings) to this JSON file."
    ),
) -> None:
    """Load CORDIS projects and participants: organisations matched to the graph (PIC, VAT, name in the country) or
    created, placed (NUTS code, postcode, city), linked to their projects, and who worked with whom counted.
    Streamed (memory stays flat); re-running changes nothing. Data (c) European Union, CORDIS, CC BY 4.0."""
    from clusterkg.loaders.cordis.load import load_cordis

    with connected(ctx) as store, progress_bars() as factory:
        report = load_cordis(store, path, strict=strict, dry_run=dry_run, progress=factory)
    print_cordis_report(report)
    if report_path:
        report_path.write_text(
            json.dumps(_as_dict(report), indent=2, default=str, ensure_ascii=False), encoding="utf-8"
        )
    if not report.ok:
        raise typer.Exit(1)


def print_cordis_report(report: CordisReport) -> None:
    print_issues(
        f"CORDIS: {report.source}",
        list(report.files.values()),
        report.errors,
        report.warnings,
        report.errors_total,
        report.warnings_total,
    )
    if report.dry_run:
        out.print("dry run: nothing written")
        return
    if not report.written:
        out.print("[red]nothing written[/red]: rejected rows above (--strict); fix them, or load without --strict")
        return
    matched = ", ".join(f"{report.matched[r]} by {r}" for r in ("pic", "vat", "name") if report.matched[r])
    out.print(
        f"written: {report.projects} projects, {report.participations} participations; "
        f"participants: {report.matched['new']} new organisations"
        + (f", matched to the graph {matched}" if matched else "")
    )
    placed = ", ".join(f"{n} by {how}" for how, n in report.located.most_common())
    if placed:
        out.print(f"new organisations placed: {placed}")
    out.print(f"co-participation ties counted again for {report.ties[0]} participants and {report.ties[1]} clusters")
    out.print(f"data: {LICENCE}")


def _as_dict(report: CordisReport) -> dict[str, object]:
    return {
        "source": report.source,
        "files": [asdict(f) for f in report.files.values()],
        "errors": report.errors_total,
        "warnings": report.warnings_total,
        "issues": [i.as_dict() for i in report.issues],
        "projects": report.projects,
        "participations": report.participations,
        "matched": dict(report.matched),
        "located": dict(report.located),
        "ties": {"participants": report.ties[0], "clusters": report.ties[1]},
        "written": report.written,
        "licence": LICENCE,
    }
