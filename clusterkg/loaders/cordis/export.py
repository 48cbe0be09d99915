"""The graph's EU projects written back as a CORDIS download (`clusterkg export` puts it in `cordis/`).

The files have CORDIS's own layout (`;`-separated, quoted, CORDIS's column
names), so `clusterkg load cordis` reads them as it reads a real download,
and `clusterkg load dir` of an export loads them after the other kinds. One
column is clusterkg's own: `clusterkgId` (and `synthetic`, as clusterkg marks data), the participant's node id, which a
load uses before the PIC, so organisations and clusters that were matched to
CORDIS participants are linked again to the same nodes.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from clusterkg import queries
from clusterkg.graph.store import GraphStore
from clusterkg.spreadsheet import safe_cell

TIMEOUT_MS = 600_000
PROJECT_COLUMNS = (
    "id acronym status title startDate endDate totalCost ecMaxContribution legalBasis topics "
    "frameworkProgramme masterCall fundingScheme synthetic"
).split()
PARTICIPATION_COLUMNS = (
    "projectID projectAcronym organisationID vatNumber name shortName SME activityType postCode city country "
    "nutsCode organizationURL order role ecContribution netEcContribution totalCost endOfParticipation clusterkgId synthetic"
).split()


def export_cordis(store: GraphStore, directory: Path) -> dict[str, int]:
    """Write project.csv, organization.csv and euroSciVoc.csv into `directory` (nothing when there are no projects)."""
    projects = queries.run(store, "export_projects", timeout_ms=TIMEOUT_MS).rows
    if not projects:
        return {}
    directory.mkdir(parents=True, exist_ok=True)
    terms = [[p["id"], term] for p in projects for term in p["scivoc"] or []]
    participations = queries.run(store, "export_participations", timeout_ms=TIMEOUT_MS).rows
    return {
        "cordis/project": _write(directory / "project.csv", PROJECT_COLUMNS, projects),
        "cordis/organization": _write(directory / "organization.csv", PARTICIPATION_COLUMNS, participations),
        "cordis/euroSciVoc": _write(
            directory / "euroSciVoc.csv",
            ["projectID", "euroSciVocTitle"],
            [dict(zip(["projectID", "euroSciVocTitle"], t)) for t in terms],
        ),
    }


def _write(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> int:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow(columns)
        for row in rows:
            out.writerow([_cell(row.get(column)) for column in columns])
    return len(rows)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_cell(value)
