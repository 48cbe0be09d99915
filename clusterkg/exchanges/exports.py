"""Files a ClusterXchange assignment hands out: assignments.csv, unassigned.csv, exchanges.csv (the loader's format, for --commit), report.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clusterkg.exchanges.assignment import ExchangePlan, exchange_rows
from clusterkg.jobs.files import write_json
from clusterkg.spreadsheet import write_csv

ASSIGNMENT_COLUMNS = [
    "applicant_id",
    "name",
    "kind",
    "sme",
    "outside_community",
    "sending_cluster_id",
    "sender_country",
    "sender_category",
    "host_cluster_id",
    "host_name",
    "host_country",
    "host_category",
    "start",
    "end",
    "days",
    "score",
    "reasons",
]


def assignment_rows(plan: ExchangePlan) -> list[list[Any]]:
    return [
        [
            a.applicant.id,
            a.applicant.name,
            a.applicant.kind or "",
            a.applicant.sme,
            a.applicant.outside,
            a.applicant.sending_cluster.id,
            a.applicant.country,
            a.applicant.category or "",
            a.host.cluster.id,
            a.host.cluster.name or "",
            a.host.country,
            a.host.category or "",
            a.start.isoformat(),
            a.end.isoformat(),
            a.applicant.days,
            round(a.score, 3),
            a.reasons,
        ]
        for a in plan.assignments
    ]


def write_exchange_files(plan: ExchangePlan, out: Path) -> dict[str, Path]:
    """assignments.csv, unassigned.csv, exchanges.csv (the loader's format, for --commit) and report.json."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "assignments": out / "assignments.csv",
        "unassigned": out / "unassigned.csv",
        "exchanges": out / "exchanges.csv",
        "report": out / "report.json",
    }
    write_csv(files["assignments"], ASSIGNMENT_COLUMNS, assignment_rows(plan))
    write_csv(
        files["unassigned"],
        ["applicant_id", "name", "sending_cluster_id", "reason"],
        [[a.id, a.name, a.sending_cluster.id, reason] for a, reason in plan.unassigned],
    )
    rows = exchange_rows(plan)
    header = (
        list(rows[0])
        if rows
        else [
            "id",
            "participant_id",
            "participant_name",
            "participant_kind",
            "sending_cluster_id",
            "host_cluster_id",
            "partnership_id",
            "start",
            "end",
            "topic",
            "status",
            "synthetic",
        ]
    )
    write_csv(files["exchanges"], header, rows)
    report = {
        "synthetic": plan.synthetic,
        "summary": plan.summary(),
        "quotas": [vars(q) for q in plan.quotas],
        "totals": plan.totals(),
        "warnings": [i.as_dict() for i in plan.warnings],
    }
    write_json(files["report"], report)
    return files
