"""`clusterkg export DIR`: the graph's cluster-level data, written back in the loaders' file formats.

The inverse of `clusterkg load dir`: value-chains.csv, competences.csv,
clusters.csv, members.csv, partnerships.csv, exchanges.csv, events.csv,
attendance.csv, meetings.csv, changes.csv (the history of edits) and postings.csv, each in the
format of docs/formats.md, and the EU projects in CORDIS's own layout in `cordis/`
(clusterkg.loaders.cordis.export), so that `load reference` plus `load dir` of the
export into an empty graph gives the same content hash as the graph it came
from. It reads through the GraphStore protocol only, so it works on Neo4j as
on FalkorDB, and is the way to move a graph from one engine to the other.

What it leaves out: the reference data (`load reference` makes it), the
reference KETs and emerging industries, and custom competences that nothing
offers or seeks any more (custom terms travel by name inside offers and
seeks, which recreates them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clusterkg import queries
from clusterkg.graph.store import GraphStore
from clusterkg.loaders.cordis.export import export_cordis
from clusterkg.loaders.records import ChangeRecord, PostingRecord, Record
from clusterkg.queries import ranges
from clusterkg.spreadsheet import write_csv

TIMEOUT_MS = 600_000
MEMBER_PAGE = 20_000  # organisations a read: the members file streams through a bounded memory
CHANGE_COLUMNS = tuple(n for n in ChangeRecord.model_fields if n not in Record.model_fields)  # the history's file
POSTING_COLUMNS = (*(n for n in PostingRecord.model_fields if n not in Record.model_fields), "synthetic", "source")
COLUMNS = {
    "value-chains": ("id", "name", "ecosystem", "stages", "synthetic", "source"),
    "competences": ("id", "name", "kind", "broader", "value_chain", "stage", "aliases", "synthetic", "source"),
    "clusters": (
        "id",
        "name",
        "acronym",
        "country",
        "nuts",
        "postcode",
        "city",
        "website",
        "founded",
        "members_total",
        "sme_members",
        "large_members",
        "research_members",
        "excellence_label",
        "ecosystems",
        "offers",
        "seeks",
        "eccp_profile_id",
        "eccp_registered_since",
        "description",
        "management_fte",
        "cluster_programme",
        "contact_name",
        "contact_email",
        "revision",
        "edited_fields",
        "synthetic",
        "source",
    ),
    "members": (
        "organisation_id",
        "name",
        "kind",
        "cluster_id",
        "nuts",
        "country",
        "postcode",
        "offers",
        "seeks",
        "synthetic",
        "source",
    ),
    "partnerships": (
        "id",
        "name",
        "acronym",
        "kind",
        "call",
        "start",
        "end",
        "eu_grant_eur",
        "coordinator_cluster_id",
        "partner_cluster_ids",
        "synthetic",
        "source",
    ),
    "exchanges": (
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
        "source",
    ),
    "events": ("id", "name", "start", "end", "city", "nuts", "country", "postcode", "organiser", "synthetic", "source"),
    "attendance": ("event_id", "participant_id", "role", "offers", "seeks", "available_slots"),
    "meetings": (
        "id",
        "event_id",
        "participant_a",
        "participant_b",
        "slot",
        "time",
        "table",
        "score",
        "reasons",
        "synthetic",
        "source",
    ),
    "changes": CHANGE_COLUMNS,
    "postings": POSTING_COLUMNS,
}


def _located(row: dict[str, Any]) -> dict[str, Any]:
    """A region known from a postal code is exported as the postal code, so that loading it again records the same."""
    how = row.pop("nuts_source", None)
    return {**row, "nuts": None} if how == "postcode" else row


@dataclass(frozen=True)
class ExportReport:
    directory: Path
    counts: dict[str, int]


def _rows(store: GraphStore, name: str) -> list[dict[str, Any]]:
    return queries.run(store, name, timeout_ms=TIMEOUT_MS).rows


def _members(store: GraphStore) -> Iterator[dict[str, Any]]:
    """The members file, a page of organisations at a time (the one file of millions of rows at scale l)."""
    for ids in ranges.organisation_id_pages(store, MEMBER_PAGE):
        if not ids:
            continue  # a range of organisations without memberships (exchange participants, CORDIS) is passed over
        rows = queries.run(store, "export_members", {"ids": ids}, timeout_ms=TIMEOUT_MS).rows
        for r in rows:
            yield _located({**r, "offers": sorted(r["offers"]), "seeks": sorted(r["seeks"])})


def export(store: GraphStore, directory: Path) -> ExportReport:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    taxonomy = _rows(store, "export_taxonomy")
    chains = [r for r in taxonomy if r["kind"] == "value-chains"]
    competences = [{**r, "kind": r["competence_kind"]} for r in taxonomy if r["kind"] == "competences"]
    partnerships = []
    for row in _rows(store, "export_partnerships"):
        coordinators = sorted(row.pop("coordinators"))
        row["coordinator_cluster_id"] = coordinators[0] if coordinators else None
        row["partner_cluster_ids"] = coordinators[1:] + sorted(row.pop("partners"))
        partnerships.append(row)
    tables: dict[str, Iterable[dict[str, Any]]] = {
        "value-chains": sorted(chains, key=lambda r: r["id"]),
        "competences": sorted(competences, key=lambda r: r["id"]),
        "clusters": [
            _located({**r, "offers": sorted(r["offers"]), "seeks": sorted(r["seeks"])})
            for r in _rows(store, "export_clusters")
        ],
        "members": _members(store),
        "partnerships": partnerships,
        "exchanges": _rows(store, "export_exchanges"),
        "events": [_located(r) for r in _rows(store, "export_events")],
        "attendance": _rows(store, "export_attendance"),
        "meetings": _rows(store, "export_meetings"),
        "changes": _rows(store, "export_changes"),
        "postings": _rows(store, "export_postings"),
    }
    counts = {}
    for kind, rows in tables.items():
        counts[kind] = write_csv(directory / f"{kind}.csv", COLUMNS[kind], rows)
    counts.update(export_cordis(store, directory / "cordis"))
    return ExportReport(directory, counts)
