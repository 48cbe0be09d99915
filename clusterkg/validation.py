"""The vocabulary of input checking, shared by loads, matching jobs and the API.

An `Issue` names file, row, field, value and reason; a `Checker` collects the
issues of one row; `validate_rows` runs a pydantic model and a row check over
rows from a file or a request alike. The text rules here apply to every
field of every input before any model sees it: no control characters (a NUL
cut an engine's query text short), no field longer than MAX_FIELD_CHARS, and
no invisible or bidirectional characters in identifiers (two ids that look
the same must be the same).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import AfterValidator, BaseModel, ValidationError

MAX_FIELD_CHARS = 10_000
MAX_ID_CHARS = 200
MAX_JSON_DEPTH = 64
T = TypeVar("T")


@dataclass
class Issue:
    file: str
    row: int
    field: str
    value: Any
    reason: str
    severity: str = "error"  # or "warning"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
            "severity": self.severity,
        }


class Checker:
    """Collects the issues of one row."""

    def __init__(self, file: str, row: int) -> None:
        self.file, self.row = file, row
        self.issues: list[Issue] = []
        self.failed = False  # an error was found (warnings do not fail a row)

    def error(self, field_name: str, value: Any, reason: str) -> None:
        self.issues.append(Issue(self.file, self.row, field_name, value, reason))
        self.failed = True

    def warn(self, field_name: str, value: Any, reason: str) -> None:
        self.issues.append(Issue(self.file, self.row, field_name, value, reason, "warning"))


@functools.lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching names (cached: loads repeat the same terms)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("-", " ").split())


def slug(text: str) -> str:
    """'Fuel cells (PEM)' -> 'fuel-cells-pem': ids made from names."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# -- text rules ----------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Unicode category Cc, less tab and line breaks
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}


def text_problem(value: str) -> str | None:
    """Why a field's text is unacceptable anywhere, or None (a regex scan: loads check millions of fields)."""
    if len(value) > MAX_FIELD_CHARS:
        return f"is {len(value):,} characters long; a field may have at most {MAX_FIELD_CHARS:,}"
    found = _CONTROL.search(value)
    if found:
        return f"control character U+{ord(found.group()):04X} at position {found.start() + 1}: remove it (files must be text)"
    return None


def identifier_problem(value: str) -> str | None:
    """Why a text cannot be an identifier (invisible, bidirectional or line-breaking characters), or None."""
    if len(value) > MAX_ID_CHARS:
        return f"an id may have at most {MAX_ID_CHARS} characters, this one has {len(value)}"
    if value.isascii() and value.isprintable():
        return None  # the usual id: nothing invisible can hide in printable ASCII
    for position, char in enumerate(value, start=1):
        category = unicodedata.category(char)
        if category in _INVISIBLE_CATEGORIES or (category == "Zs" and char != " "):
            name = unicodedata.name(char, "unnamed")
            return f"invisible or direction-changing character U+{ord(char):04X} ({name}) at position {position}: ids must be plain text"
    return None


def _identifier(value: str | None) -> str | None:
    if value is None:
        return None
    problem = identifier_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Identifier = AfterValidator(_identifier)  # use as Annotated[str, Field(min_length=1), Identifier]


def check_text_fields(values: dict[str, Any], check: Checker) -> None:
    """Apply the text rules to every value of a row (lists item by item)."""
    for name, value in values.items():
        for item in value if isinstance(value, list) else (value,):
            if item.__class__ is str and (len(item) > MAX_FIELD_CHARS or _CONTROL.search(item)):
                check.error(name, _shown(item), text_problem(item) or "is not acceptable text")
                break


def _shown(value: str, limit: int = 80) -> str:
    """A value as a report shows it: control characters escaped, long texts cut."""
    printable = "".join(c if unicodedata.category(c) != "Cc" or c == " " else f"\\x{ord(c):02x}" for c in value[:limit])
    return printable + ("…" if len(value) > limit else "")


# -- rows -> validated items ------------------------------------------------------------


@dataclass
class RowsReport:
    """Counts of one source (a file, or a request's list) after validation."""

    rows: int = 0
    valid: int = 0
    rejected: int = 0
    warnings: int = 0


@dataclass(frozen=True)
class InputRow:
    """One row as read: where it is, its values by normalised column name, and what reading found wrong."""

    file: str
    row: int
    values: dict[str, Any]
    problems: tuple[tuple[str, Any, str], ...] = field(default=())  # (field, value, reason)


def required_columns(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items() if info.is_required()]


def validate_rows(
    source: str,
    rows: Iterable[InputRow],
    model: type[BaseModel],
    check_record: Callable[[Any, Checker, str], T | None],
    *,
    columns: set[str] | None = None,
) -> tuple[list[T], list[Issue], RowsReport]:
    """Validate rows: reading problems, text rules, the model's rules, then `check_record`'s.

    `check_record(record, checker, "source row N")` checks what needs more than
    the row (the graph, other rows) and returns the item to keep, or None.
    `columns` is the header (for a file); a required column missing from it
    rejects every row at row 1. Every problem becomes an Issue naming source,
    row, field, value and reason.
    """
    if columns is None:
        rows = list(rows)
        columns = set().union(*(r.values.keys() for r in rows)) if rows else set()
        if not rows:
            return [], [], RowsReport()
    issues: list[Issue] = []
    report = RowsReport()
    items = list(validate_stream(source, rows, model, check_record, columns, issues, report))
    return items, issues, report


def validate_stream(
    source: str,
    rows: Iterable[InputRow],
    model: type[BaseModel],
    check_record: Callable[[Any, Checker, str], T | None],
    columns: set[str],
    issues: list[Issue],
    report: RowsReport,
) -> Iterator[T]:
    """`validate_rows` one row at a time: yields the kept items, adds to `issues` and `report` as it goes.

    A large file is validated without holding its rows or its records."""
    missing = [c for c in required_columns(model) if c not in columns]
    if missing:
        issues.extend(
            Issue(source, 1, column, None, "required column is missing from the header") for column in missing
        )
        for _ in rows:
            report.rows += 1
            report.rejected += 1
        return
    for row in rows:
        report.rows += 1
        check = Checker(row.file, row.row)
        for field_name, value, reason in row.problems:
            check.error(field_name, value, reason)
        check_text_fields(row.values, check)
        item = None if check.failed else _validate_one(row, model, check_record, check)
        issues.extend(check.issues)
        report.rejected += check.failed
        report.valid += not check.failed
        report.warnings += sum(i.severity == "warning" for i in check.issues)
        if item is not None:
            yield item


def _validate_one(row: InputRow, model: type[BaseModel], check_record: Callable[..., Any], check: Checker) -> Any:
    try:
        record = model.model_validate(row.values)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "(row)"
            reason = error["msg"].removeprefix("Value error, ")
            declared = model.model_fields.get(name)
            empty_required = row.values.get(name) is None and declared is not None and declared.is_required()
            value = row.values.get(name)
            check.error(
                name,
                _shown(value) if isinstance(value, str) else value,
                "required field is empty" if empty_required else reason,
            )
        return None
    item = check_record(record, check, f"{row.file} row {row.row}")
    return item if not check.failed else None


# -- request bodies ---------------------------------------------------------------------


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest (iteratively: a hostile body must not exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest


def load_json(data: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A request body as JSON; ValueError with a message a caller can show when it is not UTF-8, not JSON or too deep."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"the request body is not UTF-8 text (byte {exc.start})") from None
    try:
        value = json.loads(data)
    except RecursionError:
        raise ValueError("the request body is JSON nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"the request body is not JSON ({exc})") from None
    if json_depth(value) > max_depth:
        raise ValueError(f"the request body nests lists and objects more than {max_depth} deep")
    return value


def parse_slots(value: object) -> list[int] | None:
    """'1-6;9' -> [1, 2, 3, 4, 5, 6, 9] (slots are numbered from 1); empty -> None (every slot)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (list, tuple)):
        parts = [str(v) for v in value]
    else:
        parts = re.split(r"[;|,]", str(value))
    slots: set[int] = set()
    for part in (p.strip() for p in parts):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", part)
        if not match:
            raise ValueError(f"'{part}' is not a slot number or range such as 1-6;9")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if first < 1 or last < first:
            raise ValueError(f"'{part}': slots are numbered from 1 and a range goes upwards")
        slots.update(range(first, last + 1))
    return sorted(slots)
