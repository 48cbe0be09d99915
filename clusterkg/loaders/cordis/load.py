"""`clusterkg load cordis PATH`: a CORDIS download into the graph, streamed, in two passes.

1. Validate (streamed): every project row, then every participation row, is
   checked; a participation whose project is neither in the download nor in
   the graph is rejected. The pass also learns which NUTS-3 region each city
   is in (from the rows placed by NUTS code or postcode), for the rows that
   have neither. Nothing is written. With `strict`, one rejected row and the
   load stops here; by default the good rows load and the bad are reported.
2. Write (streamed, in batches): projects, then the participations batch by
   batch: each participant matched to the graph (PIC, VAT, name in its
   country) or created, placed, and linked to its project. Then the
   co-participation ties of every touched participant and cluster are counted
   again.

Every value is a parameter; MERGE on keys makes a re-run change nothing. The
load is journaled: if it is cut off, `clusterkg stats` says so, and running
the same command again completes it. Memory stays flat in the size of the
participation file: it holds one batch of rows, the project ids, the city
index and one id per participant.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from clusterkg import queries
from clusterkg.errors import EngineUnavailable
from clusterkg.graph.store import GraphStore, WriteStats
from clusterkg.loaders import journal, writer
from clusterkg.loaders.context import Context
from clusterkg.loaders.cordis import collaboration
from clusterkg.loaders.cordis.files import Download, open_download
from clusterkg.loaders.cordis.identities import Identities, key_names
from clusterkg.loaders.cordis.places import Places
from clusterkg.loaders.cordis.rows import OFFICIAL_COLUMNS, ParticipationRow, ProjectRow, ProjectTermRow, name_key
from clusterkg.loaders.pipeline import FileReport, LoadFailed, command_line
from clusterkg.loaders.postcodes import PostcodeError, normalise
from clusterkg.schema import apply_schema
from clusterkg.validation import Checker, InputRow, Issue, validate_rows

BATCH = 5000
KEPT_ISSUES = 2000  # issues kept for the report; the rest are counted
SOURCE = "cordis"
LICENCE = "(c) European Union, CORDIS (CC BY 4.0)"
ProgressFactory = Callable[[str, int], Callable[[int], None]]
M = TypeVar("M", bound=BaseModel)


@dataclass
class CordisReport:
    """What a CORDIS load read, rejected, matched, placed and wrote."""

    source: str
    files: dict[str, FileReport] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    errors_total: int = 0
    warnings_total: int = 0
    matched: Counter[str] = field(default_factory=Counter)  # distinct participants per rule: pic, vat, name, new
    located: Counter[str] = field(
        default_factory=Counter
    )  # participants per place source: nuts, postcode, city, country
    projects: int = 0
    participations: int = 0
    ties: tuple[int, int] = (0, 0)  # participants and clusters whose ties were counted again
    keyed: int = 0  # existing nodes given a name_key for matching
    stats: WriteStats = field(default_factory=WriteStats)
    strict: bool = False
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        return not (self.strict and self.errors_total)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def add(self, file: str, check: Checker) -> None:
        count = self.files.setdefault(file, FileReport(file, sha256=""))
        count.rows += 1
        count.rejected += check.failed
        count.valid += not check.failed
        for issue in check.issues:
            count.warnings += issue.severity == "warning"
            self.errors_total += issue.severity == "error"
            self.warnings_total += issue.severity == "warning"
            if len(self.issues) < KEPT_ISSUES:
                self.issues.append(issue)


@dataclass
class Pass:
    """What the first pass keeps for the second."""

    projects: set[str] = field(default_factory=set)
    terms: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # project -> topics, euroSciVoc
    places: Places | None = None


def load_cordis(
    store: GraphStore,
    path: Path,
    *,
    strict: bool = False,
    dry_run: bool = False,
    progress: ProgressFactory | None = None,
    command: str | None = None,
) -> CordisReport:
    download = open_download(path)
    report = CordisReport(str(path), strict=strict, dry_run=dry_run)
    first = _validate(store, download, report, progress)
    if dry_run or not report.ok:
        return report
    command = command or command_line("load", "cordis", *(["--strict"] if strict else []), Path(path))
    apply_schema(store)
    report.keyed = key_names(store)
    digest = _sha256(Path(path))
    files = [
        {"file": c.file, "sha256": digest, "rows": c.rows, "written": c.valid, "rejected": c.rejected}
        for c in report.files.values()
    ]
    entry = journal.begin(store, SOURCE, files, command)
    try:
        _write(store, download, first, report, progress)
    except EngineUnavailable as exc:
        raise LoadFailed(
            f"the graph engine stopped answering during the load ({exc}). The load is recorded as incomplete; "
            f"once the engine is back, run again (it completes what is missing): {command}"
        ) from None
    journal.finish(store, entry, journal.COMMITTED)
    store.checkpoint()
    report.written = True
    return report


def _checked(
    rows: Iterator[InputRow],
    model: type[M],
    report: CordisReport,
    check_record: Callable[[Any, Checker, str], Any],
    advance: Callable[[int], None] = lambda n: None,
) -> Iterator[M]:
    """The valid records of a stream, batch by batch through the shared row checks; every issue to the report."""
    while batch := list(islice(rows, BATCH)):
        advance(len(batch))
        items, issues, _ = validate_rows("", batch, model, check_record)
        by_row: dict[tuple[str, int], list[Issue]] = defaultdict(list)
        for issue in issues:
            by_row[(issue.file, issue.row)].append(issue)
        for row in batch:
            check = Checker(row.file, row.row)
            for issue in by_row.get((row.file, row.row), []):
                column = OFFICIAL_COLUMNS.get(issue.field, issue.field)
                (check.error if issue.severity == "error" else check.warn)(column, issue.value, issue.reason)
            report.add(row.file, check)
        yield from items


def _validate(store: GraphStore, download: Download, report: CordisReport, progress: ProgressFactory | None) -> Pass:
    found = Pass(places=Places(Context.places(store)))
    known = {r["id"] for r in queries.run(store, "context_ids", labels={"label": "Project"}).rows}
    advance = _bar(progress, "checking projects", download, "project")
    for project in _checked(download.rows("project"), ProjectRow, report, lambda r, c, w: r, advance):
        found.projects.add(project.id)
    for kind in ("euroscivoc", "topics"):
        for term in _checked(download.rows(kind), ProjectTermRow, report, lambda r, c, w: r):
            text = term.scivoc_title or term.title or term.topic
            if text and text not in found.terms[term.project_id]:
                found.terms[term.project_id].append(text)
    places = found.places
    assert places is not None

    def check_participation(row: ParticipationRow, check: Checker, where: str) -> ParticipationRow | None:
        if row.project_id not in found.projects and row.project_id not in known:
            check.error("projectID", row.project_id, "no such project in the project file nor in the graph")
            return None
        places.learn(row, check)
        return row

    advance = _bar(progress, "checking participations", download, "organization")
    for _ in _checked(download.rows("organization"), ParticipationRow, report, check_participation, advance):
        pass
    return found


def _write(
    store: GraphStore, download: Download, first: Pass, report: CordisReport, progress: ProgressFactory | None
) -> None:
    quiet = CordisReport(report.source)  # the second pass's issues were reported by the first
    advance = _bar(progress, "writing projects", download, "project")
    rows: list[dict[str, Any]] = []
    for project in _checked(download.rows("project"), ProjectRow, quiet, lambda r, c, w: r, advance):
        rows.append(_project_properties(project, first.terms.get(project.id, [])))
        if len(rows) == BATCH:
            report.stats += writer.upsert_nodes(store, "Project", rows)
            report.projects += len(rows)
            rows = []
    if rows:
        report.stats += writer.upsert_nodes(store, "Project", rows)
        report.projects += len(rows)
    places = first.places
    assert places is not None
    identities = Identities()
    written: set[str] = set()  # PICs whose node was written by this load
    touched: dict[str, set[str]] = defaultdict(set)
    known = first.projects | {r["id"] for r in queries.run(store, "context_ids", labels={"label": "Project"}).rows}
    advance = _bar(progress, "writing participations", download, "organization")
    stream = _checked(
        download.rows("organization"),
        ParticipationRow,
        quiet,
        lambda r, c, w: r if r.project_id in known else None,
        advance,
    )
    while batch := list(islice(stream, BATCH)):
        identities.resolve(store, batch)
        _write_participants(store, batch, identities, places, written, report)
        links: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in batch:
            node = identities.by_pic[row.pic]
            touched[node.label].add(node.id)
            links[node.label].append({"source": node.id, "target": row.project_id, "props": _participation(row)})
        for label, records in links.items():
            report.stats += writer.merge_relationships(store, "PARTICIPATED_IN", label, "Project", records)
        report.participations += len(batch)
    report.matched = identities.matched
    report.ties = collaboration.recount(store, dict(touched), progress)


def _write_participants(
    store: GraphStore,
    batch: list[ParticipationRow],
    identities: Identities,
    places: Places,
    written: set[str],
    report: CordisReport,
) -> None:
    """Create the new organisations of a batch and add CORDIS's facts to the matched ones (once per load each)."""
    new: list[dict[str, Any]] = []
    matched: dict[str, list[dict[str, Any]]] = defaultdict(list)
    located: list[dict[str, Any]] = []
    for row in batch:
        if row.pic in written:
            continue
        written.add(row.pic)
        node = identities.by_pic[row.pic]
        facts = {
            "pic": row.pic,
            "vat": row.vat,
            "short_name": row.short_name,
            "sme": row.sme,
            "activity_type": row.activity_type,
        }
        if node.rule != "new":
            matched[node.label].append({"id": node.id, **facts})
            continue
        place, located_by = places.locate(row, Checker(row.pic, 0))
        report.located[located_by] += 1
        new.append(
            {
                "id": node.id,
                "name": row.name,
                "name_key": name_key(row.name),
                "kind": row.kind,
                **facts,
                "city": row.city,
                "postcode": _postcode(row),
                "website": row.website,
                "country": place.country,
                "nuts": place.nuts,
                "category": place.category,
                "nuts_source": located_by,
                "source": SOURCE,
                "synthetic": row.synthetic,
            }
        )
        located.append({"anchor": node.id, "targets": [place.nuts] if place.nuts else []})
    if new:
        report.stats += writer.upsert_nodes(store, "Organisation", new)
        report.stats += writer.sync_relationships(store, "LOCATED_IN", "Organisation", "Region", located)
    for label, rows in matched.items():
        report.stats += writer.upsert_nodes(store, label, rows, keep_missing=True)  # never erases what the graph had


def _postcode(row: ParticipationRow) -> str | None:
    """The postcode in its country's form (leading zeros back: '1067' -> '01067'), else as written."""
    if not row.postcode:
        return None
    try:
        return normalise(row.country, row.postcode)
    except PostcodeError:
        return row.postcode


def _project_properties(project: ProjectRow, terms: list[str]) -> dict[str, Any]:
    return {
        "id": project.id,
        "acronym": project.acronym,
        "title": project.title,
        "status": project.status,
        "programme": project.programme,
        "funding_scheme": project.funding_scheme,
        "legal_basis": project.legal_basis,
        "call": project.call,
        "start": project.start,
        "end": project.end,
        "total_cost": project.total_cost,
        "ec_contribution": project.ec_contribution,
        "topics": project.topics,
        "scivoc": terms,
        "source": SOURCE,
        "synthetic": project.synthetic,
    }


def _participation(row: ParticipationRow) -> dict[str, Any]:
    values = {
        "role": row.role,
        "order": row.order,
        "ec_contribution": row.ec_contribution,
        "net_ec_contribution": row.net_ec_contribution,
        "total_cost": row.total_cost,
        "ended": row.ended,
    }
    return {k: v for k, v in values.items() if v is not None}


def _bar(progress: ProgressFactory | None, what: str, download: Download, kind: str) -> Callable[[int], None]:
    if progress is None:
        return lambda n: None
    return progress(what, download.count(kind))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for item in sorted(path.rglob("*")) if path.is_dir() else [path]:
        if item.is_file():
            with item.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
    return digest.hexdigest()
