"""Loads: read and validate every file of the command, then write all or nothing.

1. Every row of every file is read and validated before the first write
   (`load dir` too: all its kinds). Strict by default: one rejected row and
   nothing is written; `skip_invalid` writes the good rows and reports the bad.
2. Each kind's rows become a WritePlan; what the plans will touch is read
   from the graph once (clusterkg.loaders.plan.capture), and the report says
   what the load creates, clears and removes. `dry_run` stops here.
3. The load is recorded in the journal (a `Load` node, status started), the
   plans run, and the record is committed; the embedded engine then compacts
   its append-only file so the next start is fast.
4. If the engine fails during the writes, the graph is put back as it was
   (plan.undo) and the record says rolled_back. If the loader is killed or the
   engine goes away, the record stays `started`: `clusterkg stats` and
   `db status` show it with the command that completes it.
"""

from __future__ import annotations

import gc
import hashlib
import shlex
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from clusterkg.errors import ClusterKGError, EngineUnavailable
from clusterkg.graph.store import GraphStore, WriteStats
from clusterkg.loaders import journal, writer
from clusterkg.loaders.context import Context
from clusterkg.loaders.plan import BeforeImage, Changes, RelSync, UndoLog, WritePlan, capture, changes, execute
from clusterkg.loaders.readers import CsvRows, FileError, Table, read_table
from clusterkg.loaders.registry import KINDS, LOAD_ORDER
from clusterkg.loaders.streaming import StreamedKind, chunk_rows
from clusterkg.queries import vectors
from clusterkg.schema import apply_schema
from clusterkg.validation import Checker, Issue, RowsReport, validate_rows

ProgressFactory = Callable[[str, int], Callable[[int], None]]
T = TypeVar("T")
EXTENSIONS = (".csv", ".xlsx", ".json")


class LoadFailed(ClusterKGError):
    """The engine failed during a load's writes; the message says what the graph holds now."""


@dataclass
class FileReport:
    file: str
    sha256: str
    rows: int = 0
    valid: int = 0
    rejected: int = 0
    warnings: int = 0


@dataclass
class LoadReport:
    kind: str
    files: list[FileReport] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    stats: WriteStats = field(default_factory=WriteStats)
    changes: Changes = field(default_factory=Changes)
    written: bool = False
    dry_run: bool = False
    skip_invalid: bool = False
    items: list[Any] = field(default_factory=list, repr=False)
    stream: StreamedKind | None = field(default=None, repr=False)  # a kind read again when written

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """Nothing rejected (or rejections accepted with skip_invalid)."""
        return not self.errors or self.skip_invalid

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "written": self.written,
            "dry_run": self.dry_run,
            "files": [vars(f) for f in self.files],
            "rejected": [i.as_dict() for i in self.errors],
            "warnings": [i.as_dict() for i in self.warnings],
            "changes": self.changes.as_dict(),
            "stats": self.stats.as_dict(),
        }


def open_table(path: Path, *, sheet: str | None = None) -> tuple[Table | None, FileReport, list[Issue]]:
    """Open one file for validation: its table (None if unreadable), its report, and file-level issues."""
    path = Path(path)
    try:
        table = read_table(path, sheet=sheet)
    except FileError as exc:
        return None, FileReport(path.name, _sha256(path)), [file_issue(path, exc)]
    file_report = FileReport(path.name, table.sha256)
    issues = []
    if table.encoding != "utf-8":
        issues.append(
            Issue(
                path.name,
                0,
                "(file)",
                table.encoding,
                "not UTF-8: read as Windows-1252 (check accented letters in the result)",
                "warning",
            )
        )
    return table, file_report, issues


def file_issue(path: Path, exc: FileError) -> Issue:
    return Issue(path.name, 0, "(file)", str(path), str(exc).split(": ", 1)[-1])


def _sha256(path: Path) -> str:
    if not path.is_file():
        return ""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def validate_file(
    path: Path,
    model: type[BaseModel],
    check_record: Callable[[Any, Checker, str], T | None],
    *,
    sheet: str | None = None,
) -> tuple[list[T], list[Issue], FileReport]:
    """Read one file and validate each row (clusterkg.validation.validate_rows)."""
    table, file_report, issues = open_table(path, sheet=sheet)
    if table is None:
        return [], issues, file_report
    try:
        items, row_issues, counts = validate_rows(
            file_report.file, table.rows, model, check_record, columns=table.columns
        )
    except FileError as exc:
        return [], [*issues, file_issue(Path(path), exc)], file_report
    _count(file_report, counts)
    return items, issues + row_issues, file_report


def _count(file_report: FileReport, counts: RowsReport) -> None:
    file_report.rows, file_report.valid, file_report.rejected, file_report.warnings = (
        counts.rows,
        counts.valid,
        counts.rejected,
        counts.warnings,
    )


def validate_kind(
    kind_name: str,
    paths: Sequence[Path],
    context: Context,
    *,
    skip_invalid: bool = False,
    sheet: str | None = None,
    progress: ProgressFactory | None = None,
) -> LoadReport:
    """Read and validate the files of one kind against `context` (which each valid row extends).

    A kind with a `stream_group` keeps no rows: only what its second reading
    needs (clusterkg.loaders.streaming)."""
    if kind_name not in KINDS:
        raise ClusterKGError(f"unknown kind '{kind_name}': use one of {', '.join(KINDS)}")
    kind = KINDS[kind_name]
    report = LoadReport(kind_name, skip_invalid=skip_invalid)
    report.stream = StreamedKind(kind) if kind.stream_group else None
    counted: list[tuple[FileReport, RowsReport]] = []
    seen: dict[Any, str] = {}
    for path in map(Path, paths):
        table, file_report, issues = open_table(path, sheet=sheet)
        report.files.append(file_report)
        report.issues.extend(issues)
        if table is None:
            continue
        columns = table.columns  # an absent column keeps the graph's value: the checks and plans need the header

        def check_record(record: Any, check: Checker, where: str, columns: set[str] = columns) -> dict[str, Any] | None:
            key = kind.duplicate_key(record)
            if key in seen:
                check.error(kind.key, getattr(record, kind.key), f"duplicate: the same {kind.key} is at {seen[key]}")
                return None
            item = kind.check(record, context, check, columns)
            if item is not None:
                seen[key] = where
                item.setdefault("columns", columns)  # a kind may narrow it (clusters keep edited fields)
            return item

        try:
            if report.stream is not None:
                tick = _byte_progress(progress, f"checking {file_report.file} (bytes)", table)
                counts = report.stream.validate(table, file_report.file, context, report.issues, tick)
            else:
                if kind.organisation_fields:
                    context.organisations.prefetch(
                        row.values.get(name) for row in table.rows for name in kind.organisation_fields
                    )
                items, row_issues, counts = validate_rows(
                    file_report.file, table.rows, kind.model, check_record, columns=columns
                )
                report.issues.extend(row_issues)
                report.items.extend(items)
        except FileError as exc:  # a CSV line that is no CSV, met while reading: the file as a whole is rejected
            report.issues.append(file_issue(path, exc))
            continue
        counted.append((file_report, counts))
    if report.stream is not None:
        report.stream.settle(report.issues)
        names = [f.file for f in report.files]
        report.issues.sort(key=lambda i: (names.index(i.file) if i.file in names else -1, i.row))
    for file_report, counts in counted:
        _count(file_report, counts)
    return report


def _byte_progress(progress: ProgressFactory | None, label: str, table: Table) -> Callable[[], None] | None:
    """A tick that advances a bar of the file's bytes to where its reading is (CSV files only)."""
    rows = table.rows
    if progress is None or not isinstance(rows, CsvRows):
        return None
    advance, done = progress(label, rows.size), [0]

    def tick() -> None:
        advance(rows.position - done[0])
        done[0] = rows.position

    return tick


def load_files(
    store: GraphStore,
    kind_name: str,
    paths: Sequence[Path],
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    sheet: str | None = None,
    progress: ProgressFactory | None = None,
    command: str | None = None,
    overwrite_edits: bool = False,
) -> LoadReport:
    """Load files of one kind (strict unless `skip_invalid`; fields edited on clusterkg kept unless `overwrite_edits`)."""
    apply_schema(store)  # indexes before data (ENGINES.md §5); a no-op when present
    with bulk_allocation():
        context = Context.from_graph(store, kinds=(kind_name,))
        context.overwrite_edits = overwrite_edits
        report = validate_kind(kind_name, paths, context, skip_invalid=skip_invalid, sheet=sheet, progress=progress)
        report.dry_run = dry_run
        extra = (
            (["--skip-invalid"] if skip_invalid else [])
            + (["--sheet", sheet] if sheet else [])
            + (["--overwrite-edits"] if overwrite_edits else [])
        )
        write_reports(
            store,
            [report],
            context,
            kind=kind_name,
            command=command or command_line("load", kind_name, *extra, *paths),
            progress=progress,
        )
    return report


def files_in(directory: Path) -> dict[str, list[Path]]:
    """Files of a directory by kind, named after the kind: clusters.csv, value-chains.xlsx, …"""
    found: dict[str, list[Path]] = {}
    for kind_name in LOAD_ORDER:
        for stem in (kind_name, kind_name.replace("-", "_")):
            found.setdefault(kind_name, []).extend(
                sorted(p for p in directory.glob(f"{stem}*") if p.suffix.lower() in EXTENSIONS)
            )
    return {k: sorted(set(v)) for k, v in found.items() if v}


def validate_directory(
    store: GraphStore,
    directory: Path,
    *,
    skip_invalid: bool = False,
    overwrite_edits: bool = False,
    progress: ProgressFactory | None = None,
) -> tuple[list[LoadReport], Context]:
    """Validate every kind of a folder, in reference order, against one context."""
    kinds = files_in(Path(directory))
    if not kinds:
        raise ClusterKGError(
            f"{directory}: no files named after a kind ({', '.join(LOAD_ORDER)}) with .csv, .xlsx or .json"
        )
    # One context for the whole directory: it holds what the graph had plus every
    # valid record of the kinds before, so later kinds see the rows of earlier ones.
    context = Context.from_graph(store, kinds=tuple(kinds))
    context.overwrite_edits = overwrite_edits
    return [
        validate_kind(kind_name, paths, context, skip_invalid=skip_invalid, progress=progress)
        for kind_name, paths in kinds.items()
    ], context


def load_directory(
    store: GraphStore,
    directory: Path,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: ProgressFactory | None = None,
    command: str | None = None,
    overwrite_edits: bool = False,
) -> list[LoadReport]:
    """Load every kind found in `directory`: all its files validated first, then all written or none."""
    apply_schema(store)
    with bulk_allocation():
        reports, context = validate_directory(
            store, directory, skip_invalid=skip_invalid, overwrite_edits=overwrite_edits, progress=progress
        )
        for report in reports:
            report.dry_run = dry_run
        extra = (["--skip-invalid"] if skip_invalid else []) + (["--overwrite-edits"] if overwrite_edits else [])
        write_reports(
            store,
            reports,
            context,
            kind="dir",
            command=command or command_line("load", "dir", *extra, directory),
            progress=progress,
        )
    return reports


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause Python's cycle collector while a load builds its rows, records and plans.

    A load allocates millions of objects that live until it ends, and none of them
    form cycles; each full collection walks all of them again. At s that cost a
    members load 1.4 of its 9.7 s (plan 1.81 -> 0.84 s, validation 1.69 -> 1.27 s).
    Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_reports(
    store: GraphStore,
    reports: list[LoadReport],
    context: Context,
    *,
    kind: str,
    command: str,
    progress: ProgressFactory | None = None,
    record: bool = True,
) -> None:
    """The write phase shared by every load: plan, report the changes, journal, execute, undo on failure.

    The load is written part by part (a kind, or a chunk of a streamed kind):
    each part's before-image is read just before it is written and spilled to
    the undo log, so an undo restores the parts newest first."""
    if any(not r.ok for r in reports):
        return  # strict: a rejected row anywhere and nothing is written
    writable = [r for r in reports if r.items or (r.stream is not None and r.stream.valid)]
    if not writable:
        return
    if any(r.dry_run for r in reports):
        for report, plan, _ in _parts(writable, context, None):
            _add_changes(report, changes(plan, capture(store, [plan])))
        return
    files = [
        {"file": f.file, "sha256": f.sha256, "rows": f.rows, "written": f.valid, "rejected": f.rejected}
        for r in reports
        for f in r.files
        if f.sha256
    ]
    entry = journal.begin(store, kind, files, command) if record else None
    with UndoLog() as undo_log:
        try:
            for report, plan, step in _parts(writable, context, progress):
                image = capture(store, [plan])
                _add_changes(report, changes(plan, image))
                undo_log.push(image)
                vectors.mark_stale(store, vector_changes([plan], image))
                report.stats += execute(store, plan, image, step)
        except EngineUnavailable as exc:
            raise LoadFailed(
                f"the graph engine stopped answering during the load ({exc}). The load is recorded as incomplete; "
                f"once the engine is back, run again: {command}"
            ) from None
        except ClusterKGError as exc:
            try:
                undo_log.undo(store)
                vectors.refresh(store)  # the organisations marked stale are as they were: their markers go
            except ClusterKGError as second:
                raise LoadFailed(
                    f"the engine failed during the load ({exc}) and then during its undo ({second}). The load is recorded as "
                    f"incomplete; run again: {command}"
                ) from None
            if entry is not None:
                journal.finish(store, entry, journal.ROLLED_BACK, str(exc))
            raise LoadFailed(
                f"the engine failed during the load: {exc}. Everything the load had written was undone: the graph is as it was before."
            ) from None
    for report in reports:
        report.written = True
    if entry is not None:
        journal.finish(store, entry, journal.COMMITTED)
        store.checkpoint()
    vectors.refresh(store, progress)


Step = Callable[[int], None]


def _parts(
    reports: list[LoadReport], context: Context, progress: ProgressFactory | None
) -> Iterator[tuple[LoadReport, WritePlan, Step | None]]:
    """(report, plan, progress step) for each part of a load, in order; a streamed kind's chunks as they are read."""
    if context.new_competences:
        custom = WritePlan("custom competences")
        custom.nodes("Competence", list(context.new_competences.values()))
        yield reports[0], custom, progress(f"{custom.kind} ({custom.size} rows)", custom.size) if progress else None
    for report in reports:
        if report.stream is None:
            plan = KINDS[report.kind].plan(report.items)
            yield report, plan, progress(f"{plan.kind} ({plan.size} rows)", plan.size) if progress else None
            continue
        size = chunk_rows()
        total = report.stream.valid
        advance = progress(f"{report.kind} ({total} rows, {size} at a time)", total) if progress else None
        for plan, rows in report.stream.chunks(context, size):
            yield report, plan, _scaled(advance, rows, plan.size) if advance else None


def _scaled(advance: Step, rows: int, plan_size: int) -> Step:
    """Advance a bar counted in rows by a plan's batches (a chunk's plan has several steps per row)."""
    done = [0, 0]  # plan rows written, bar advanced

    def step(count: int) -> None:
        done[0] += count
        target = rows * min(done[0], plan_size) // max(plan_size, 1)
        advance(target - done[1])
        done[1] = target

    return step


def _add_changes(report: LoadReport, found: Changes) -> None:
    for name in (
        "nodes_created",
        "nodes_updated",
        "properties_cleared",
        "relationships_added",
        "relationships_removed",
    ):
        getattr(report.changes, name).update(getattr(found, name))


def vector_changes(plans: list[WritePlan], image: BeforeImage) -> list[str]:
    """Organisations whose offers or seeks the plans change (their score vectors go stale)."""
    changed: set[str] = set()
    for plan in plans:
        for step in plan.steps:
            if (
                isinstance(step, RelSync)
                and step.anchor_label == "Organisation"
                and step.rel_type in ("OFFERS", "SEEKS")
            ):
                before = image.relationships.get(step.slot, {})
                for record in step.records:
                    old = {t for t, _ in before.get(record["anchor"], [])}
                    if old != {writer.target_key(t) for t in record["targets"]}:
                        changed.add(str(record["anchor"]))
    return sorted(changed)


def command_line(*parts: Any) -> str:
    """The command line that repeats a load (paths absolute, so it works from anywhere)."""
    words = ["clusterkg"] + [str(Path(p).resolve()) if isinstance(p, Path) else str(p) for p in parts]
    return " ".join(shlex.quote(w) for w in words)
