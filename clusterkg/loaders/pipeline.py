"""Load files of one kind: read, validate every row, then write all or nothing.

Strict by default: if any row of the load is rejected, nothing is written and
the graph stays exactly as it was; `skip_invalid` writes the good rows and
reports the bad. Each file loaded leaves a `Load` node (file, sha256, counts),
written last, keyed by kind and content, so re-loading a file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from clusterkg.errors import ClusterKGError
from clusterkg.graph.store import GraphStore, WriteStats
from clusterkg.loaders.entities import KINDS, LOAD_ORDER, Checker, Context, Issue, duplicate_key
from clusterkg.loaders.readers import FileError, read_rows
from clusterkg.loaders.writer import upsert_nodes
from clusterkg.schema import apply_schema

ProgressFactory = Callable[[str, int], Callable[[int], None]]
T = TypeVar("T")
EXTENSIONS = (".csv", ".xlsx", ".json")


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
    written: bool = False
    dry_run: bool = False
    skip_invalid: bool = False

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
            "stats": self.stats.as_dict(),
        }


def _required_columns(model) -> list[str]:
    return [name for name, info in model.model_fields.items() if info.is_required()]


def validate_file(
    path: Path,
    model: type[BaseModel],
    check_record: Callable[[Any, Checker, str], T | None],
    *,
    sheet: str | None = None,
) -> tuple[list[T], list[Issue], FileReport]:
    """Read one file and validate each row: the model's rules, then `check_record`'s.

    `check_record(record, checker, "file row N")` checks what needs more than the
    row (the graph, other rows) and returns the item to keep, or None. Every
    problem becomes an Issue naming file, row, field, value and reason.
    """
    path = Path(path)
    file_report = FileReport(path.name, hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "")
    issues: list[Issue] = []
    items: list[T] = []
    try:
        rows = read_rows(path, sheet=sheet)
    except FileError as exc:
        issues.append(Issue(path.name, 0, "(file)", str(path), str(exc).split(": ", 1)[-1]))
        return items, issues, file_report
    file_report.rows = len(rows)
    present = set().union(*(r.values.keys() for r in rows)) if rows else set()
    missing = [c for c in _required_columns(model) if c not in present]
    if missing:
        issues.extend(Issue(path.name, 1, column, None, "required column is missing from the header") for column in missing)
        file_report.rejected = len(rows)
        return items, issues, file_report
    for row in rows:
        check = Checker(path.name, row.row)
        try:
            record = model.model_validate(row.values)
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else "(row)"
                reason = error["msg"].removeprefix("Value error, ")
                declared = model.model_fields.get(name)
                empty_required = row.values.get(name) is None and declared is not None and declared.is_required()
                check.error(name, row.values.get(name), "required field is empty" if empty_required else reason)
        else:
            item = check_record(record, check, f"{path.name} row {row.row}")
            if item is not None and not check.failed:
                items.append(item)
        issues.extend(check.issues)
        file_report.rejected += check.failed
        file_report.valid += not check.failed
        file_report.warnings += sum(i.severity == "warning" for i in check.issues)
    return items, issues, file_report


def load_files(
    store: GraphStore,
    kind_name: str,
    paths: Sequence[Path],
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    sheet: str | None = None,
    progress: ProgressFactory | None = None,
    context: Context | None = None,
) -> LoadReport:
    if kind_name not in KINDS:
        raise ClusterKGError(f"unknown kind '{kind_name}': use one of {', '.join(KINDS)}")
    kind = KINDS[kind_name]
    apply_schema(store)  # indexes before data (ENGINES.md §5); a no-op when present
    ctx = context or Context.from_graph(store)
    report = LoadReport(kind_name, dry_run=dry_run, skip_invalid=skip_invalid)
    items: list[dict] = []
    seen: dict[Any, str] = {}

    def check_record(record: Any, check: Checker, where: str) -> dict | None:
        key = duplicate_key(kind, record)
        if key in seen:
            check.error(kind.key, getattr(record, kind.key), f"duplicate: the same {kind.key} is at {seen[key]}")
            return None
        item = kind.check(record, ctx, check)
        if item is not None:
            seen[key] = where
        return item

    for path in map(Path, paths):
        file_items, file_issues, file_report = validate_file(path, kind.model, check_record, sheet=sheet)
        report.files.append(file_report)
        report.issues.extend(file_issues)
        items.extend(file_items)

    if (report.errors and not skip_invalid) or dry_run or not items:
        return report
    if ctx.new_competences:
        report.stats += upsert_nodes(store, "Competence", list(ctx.new_competences.values()))
    step = progress(f"{kind_name} ({len(items)} rows)", len(items)) if progress else None
    report.stats += kind.write(store, items, step)
    at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    loads = [
        {"id": f"{kind_name}:{f.sha256}", "file": f.file, "sha256": f.sha256, "kind": kind_name, "rows": f.rows, "written": f.valid, "rejected": f.rejected, "at": at}
        for f in report.files
        if f.sha256
    ]
    upsert_nodes(store, "Load", loads)
    report.written = True
    return report


def files_in(directory: Path) -> dict[str, list[Path]]:
    """Files of a directory by kind, named after the kind: clusters.csv, value-chains.xlsx, …"""
    found: dict[str, list[Path]] = {}
    for kind_name in LOAD_ORDER:
        for stem in (kind_name, kind_name.replace("-", "_")):
            found.setdefault(kind_name, []).extend(sorted(p for p in directory.glob(f"{stem}*") if p.suffix.lower() in EXTENSIONS))
    return {k: sorted(set(v)) for k, v in found.items() if v}


def load_directory(
    store: GraphStore,
    directory: Path,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: ProgressFactory | None = None,
) -> list[LoadReport]:
    """Load every kind found in `directory`, in reference order; stop at the first failing kind."""
    kinds = files_in(Path(directory))
    if not kinds:
        raise ClusterKGError(f"{directory}: no files named after a kind ({', '.join(LOAD_ORDER)}) with .csv, .xlsx or .json")
    apply_schema(store)
    # One context for the whole directory: it holds what the graph had plus every
    # valid record of the kinds before, so a dry run validates later kinds too.
    context = Context.from_graph(store)
    reports = []
    for kind_name, paths in kinds.items():
        report = load_files(store, kind_name, paths, skip_invalid=skip_invalid, dry_run=dry_run, progress=progress, context=context)
        reports.append(report)
        if not report.ok:
            break
    return reports
