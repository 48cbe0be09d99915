"""Read a matching job's input file into validated records, with the loaders' row-level report.

Nothing is written to the graph here: a file with any rejected row stops the
job with every issue listed (file, row, field, value, reason), like a strict load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from clusterkg.errors import ClusterKGError
from clusterkg.graph.store import GraphStore
from clusterkg.loaders.context import Context, locate
from clusterkg.loaders.context import Place as Place  # re-exported: the job packages take places from this seam
from clusterkg.loaders.pipeline import validate_file
from clusterkg.loaders.readers import row_from_mapping
from clusterkg.loaders.records import Record
from clusterkg.scoring.profiles import Taxonomy
from clusterkg.validation import Checker, Issue, validate_rows

R = TypeVar("R", bound=Record)
SHOWN_ISSUES = 20


class InvalidInput(ClusterKGError):
    """Rows of an input file that the job cannot use; `issues` lists every one."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"]
        lines = [f"{i.file} row {i.row}, field '{i.field}' ({i.value!r}): {i.reason}" for i in errors[:SHOWN_ISSUES]]
        if len(errors) > SHOWN_ISSUES:
            lines.append(f"... and {len(errors) - SHOWN_ISSUES} more")
        super().__init__(f"{len(errors)} problem(s) in the input, nothing was done:\n  " + "\n  ".join(lines))


@dataclass(frozen=True)
class Row(Generic[R]):
    """A validated record and where it came from, for messages about it later."""

    record: R
    file: str
    row: int

    def issue(self, field_name: str, value: object, reason: str, severity: str = "error") -> Issue:
        return Issue(self.file, self.row, field_name, value, reason, severity)


def _unique(key: str) -> Callable[[R, Checker, str], Row[R] | None]:
    seen: dict[str, str] = {}

    def check(record: R, checker: Checker, where: str) -> Row[R] | None:
        value = getattr(record, key)
        if value in seen:
            checker.error(key, value, f"duplicate: the same {key} is at {seen[value]}")
            return None
        seen[value] = where
        return Row(record, checker.file, checker.row)

    return check


def _strict(rows: list[Row[R]], issues: list[Issue]) -> tuple[list[Row[R]], list[Issue]]:
    if any(i.severity == "error" for i in issues):
        raise InvalidInput(issues)
    return rows, issues


def read_records(path: Path, model: type[R], key: str, *, sheet: str | None = None) -> tuple[list[Row[R]], list[Issue]]:
    """Validated rows of one file (ids unique within it) and the warnings; InvalidInput on any error."""
    rows, issues, _ = validate_file(Path(path), model, _unique(key), sheet=sheet)
    return _strict(rows, issues)


def rows_from_dicts(
    items: list[dict[str, Any]], model: type[R], key: str, source: str
) -> tuple[list[Row[R]], list[Issue]]:
    """The same validation for rows given inline (GraphQL input, an event's attendance), numbered from 1."""
    rows = [row_from_mapping(source, number, item) for number, item in enumerate(items, start=1)]
    found, issues, _ = validate_rows(source, rows, model, _unique(key))
    return _strict(found, issues)


def locate_rows(
    store: GraphStore, rows: list[Row[Any]], errors: list[Issue], warnings: list[Issue]
) -> list[Place | None]:
    """Each row's place, where it gives one (`nuts`, or `country` + `postcode`), as the loaders resolve it.

    Rows without either get None (the job falls back to the graph cluster
    they name); the graph's regions are read only if some row needs them."""
    if not any(row.record.nuts or row.record.postcode for row in rows):
        return [None] * len(rows)
    context = Context.places(store)
    places: list[Place | None] = []
    for row in rows:
        record = row.record
        if not (record.nuts or record.postcode):
            places.append(None)
            continue
        check = Checker(row.file, row.row)
        place, _ = locate(record.nuts, record.country, record.postcode, context, check)
        for issue in check.issues:
            (errors if issue.severity == "error" else warnings).append(issue)
        places.append(place)
    return places


def resolve_terms(
    taxonomy: Taxonomy, terms: list[str], row: Row[Any], field_name: str, warnings: list[Issue]
) -> list[str]:
    """Competence ids for a row's terms; each term the taxonomy lacks adds a warning (it still matches the same words)."""
    ids, unknown = taxonomy.resolve(terms)
    warnings.extend(
        row.issue(field_name, term, "not in the competence taxonomy: matched only to the same words", "warning")
        for term in unknown
    )
    return ids
