"""Read tabular files (CSV, XLSX, JSON) into rows of text, keeping row numbers.

Row numbers are the ones a user sees: the physical line of a CSV record,
the sheet row of an XLSX cell, the 1-based position of a JSON object.
Header names match case- and space-insensitively ("Members Total" ==
"members_total"). Values are text or None; the record models parse them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clusterkg.errors import ClusterKGError


class FileError(ClusterKGError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass(frozen=True)
class SourceRow:
    file: str
    row: int
    values: dict[str, str | None]


def normalise_header(name: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()[:10]
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    text = str(value).strip()
    return text or None


def read_rows(path: Path, *, sheet: str | None = None) -> list[SourceRow]:
    path = Path(path)
    if not path.is_file():
        raise FileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".json":
        return _read_json(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    raise FileError(f"{path}: unsupported file type '{suffix}' (use .csv, .xlsx or .json)")


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # Excel's "CSV" on Western European Windows


def _read_csv(path: Path) -> list[SourceRow]:
    text = _decode(path)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise FileError(f"{path.name}: the file is empty") from None
    names = [normalise_header(h) for h in header]
    rows = []
    line_before = reader.line_num
    for record in reader:
        start_line = line_before + 1
        line_before = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        values = {name: _cell(record[i]) if i < len(record) else None for i, name in enumerate(names) if name}
        rows.append(SourceRow(path.name, start_line, values))
    return rows


def _read_xlsx(path: Path, sheet: str | None) -> list[SourceRow]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a corrupt file
        raise FileError(f"{path.name}: not a readable XLSX workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise FileError(f"{path.name}: no sheet '{sheet}' (sheets: {', '.join(book.sheetnames)})")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        iterator = worksheet.iter_rows(values_only=True)
        header = next(iterator, None)
        if header is None:
            raise FileError(f"{path.name}: sheet '{worksheet.title}' is empty")
        names = [normalise_header(h) for h in header]
        rows = []
        for number, record in enumerate(iterator, start=2):
            if not any(_cell(v) for v in record):
                continue
            values = {name: _cell(record[i]) if i < len(record) else None for i, name in enumerate(names) if name}
            rows.append(SourceRow(path.name, number, values))
        return rows
    finally:
        book.close()


def _read_json(path: Path) -> list[SourceRow]:
    try:
        items = json.loads(_decode(path))
    except ValueError as exc:
        raise FileError(f"{path.name}: not valid JSON ({exc})") from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise FileError(f"{path.name}: expected a JSON array of objects")
    return [SourceRow(path.name, n, {normalise_header(k): _cell(v) for k, v in item.items()}) for n, item in enumerate(items, start=1)]
