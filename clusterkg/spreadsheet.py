"""Cells a spreadsheet will not run: every CSV and XLSX clusterkg writes goes through here.

A cell whose text starts with = + - @ (or a tab or carriage return) is a
formula to Excel and LibreOffice: a cluster named `=HYPERLINK(...)` would run
when an organiser opens the schedule. OWASP's rule: prefix such a text with a
single quote, which spreadsheets show as text. Numbers stay numbers. XLSX
workbooks are also told never to turn strings into formulas.

clusterkg's own readers take the quote off again (`unquote`), so a file
clusterkg wrote loads back to the same values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unquote(text: str) -> str:
    """The inverse of safe_text, for reading files clusterkg (or a careful user) wrote."""
    return text[1:] if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS) else text


def safe_cell(value: Any, list_separator: str = "|") -> Any:
    """A value as a cell: text neutralised, lists joined, dates as ISO, None empty; numbers unchanged."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return safe_text(list_separator.join("" if v is None else str(v) for v in value))
    return safe_text(str(value))


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any] | dict[str, Any]]) -> str:
    """The same CSV as a string (for an API response)."""
    buffer = io.StringIO()
    write_csv(buffer, columns, rows)
    return buffer.getvalue()


def write_csv(target: Path | IO[str], columns: Sequence[str], rows: Iterable[Sequence[Any] | dict[str, Any]]) -> int:
    """Write a CSV (UTF-8, comma, header first) of safe cells; rows are sequences or dicts by column. Returns the row count."""
    handle = open(target, "w", newline="", encoding="utf-8") if isinstance(target, (str, Path)) else target
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([safe_text(c) for c in columns])
        count = 0
        for row in rows:
            values = [row.get(c) for c in columns] if isinstance(row, dict) else row
            writer.writerow([safe_cell(v) for v in values])
            count += 1
        return count
    finally:
        if handle is not target:
            handle.close()
