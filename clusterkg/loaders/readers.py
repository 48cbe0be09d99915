"""Read tabular files (CSV, XLSX, JSON) into rows, keeping row numbers.

Row numbers are the ones a user sees: the physical line of a CSV record
(the header is line 1), the sheet row of an XLSX cell, the 1-based position
of a JSON object. Header names match case- and space-insensitively
("Members Total" == "members_total"); two columns that normalise to the same
name reject the file. Values are text, a list of texts (JSON arrays) or None;
the record models parse them.

What no model can see is checked here: bytes that are no text in UTF-8 nor
Windows-1252 (the file is rejected with the byte offset), binary files, rows
with fewer fields than the header or more non-empty ones, nested JSON. Such a
row carries its problems; the validation rejects it with file, row and field.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from clusterkg.errors import ClusterKGError
from clusterkg.spreadsheet import unquote
from clusterkg.validation import InputRow

# Files that are not text, by their first bytes: a workbook saved as .csv is a zip.
_BINARY_MAGIC = {
    b"PK\x03\x04": "a zip archive (an XLSX workbook? name it .xlsx)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file: save it as .xlsx or .csv",
}
_CONTROL_BYTES = set(range(0, 9)) | {11, 12} | set(range(14, 32))
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long fields are reported by the text rules, not by csv


class FileError(ClusterKGError):
    """The file as a whole cannot be read (format, encoding, header)."""


@dataclass(frozen=True)
class Table:
    """A file read: its header (normalised column names) and its rows."""

    columns: set[str]
    rows: Iterable[InputRow]  # a list, or CsvRows (read from disk at each iteration)
    encoding: str = "utf-8"
    sha256: str = ""


def normalise_header(name: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def cell(value: Any) -> str | list[str] | None:
    """A cell or JSON value as text (lists item by item); None when empty. Nested structures raise ValueError."""
    if value.__class__ is str:  # the common case first: every CSV cell
        text = value.strip()
        return (unquote(text) if text[:1] == "'" else text) or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()[:10]
    if isinstance(value, dict):
        raise ValueError("a JSON object where a value is expected")
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, (list, tuple, dict)) for v in value):
            raise ValueError("a nested list where a value or a list of values is expected")
        items = [str(c) for c in (cell(v) for v in value) if c is not None]
        return items or None
    text = unquote(str(value).strip())  # a leading ' that kept a spreadsheet from running a formula
    return text or None


def row_from_mapping(file: str, number: int, mapping: dict[Any, Any]) -> InputRow:
    """A row from a JSON object or a request's input object."""
    values: dict[str, Any] = {}
    problems = []
    for key, raw in mapping.items():
        name = normalise_header(key)
        try:
            values[name] = cell(raw)
        except ValueError as exc:
            values[name] = None
            problems.append((name, json.dumps(raw, default=str)[:80], str(exc)))
    return InputRow(file, number, values, tuple(problems))


def read_table(path: Path, *, sheet: str | None = None) -> Table:
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


@dataclass(frozen=True)
class Scan:
    """A file's fingerprint and encoding, from one pass over its bytes in blocks (never the whole file held)."""

    sha256: str
    encoding: str  # utf-8-sig or cp1252


SCAN_BLOCK = 1 << 20


def scan_file(path: Path) -> Scan:
    """Fingerprint a file and find its encoding: UTF-8 (BOM or not), else Windows-1252; binary files rejected."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()  # a BOM is valid UTF-8: reading drops it (utf-8-sig)
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8_error: tuple[int, int, int] | None = None  # offset, byte, line
    cp1252_error: tuple[int, int] | None = None  # offset, byte
    offset = lines = 0
    with path.open("rb") as file:
        while block := file.read(SCAN_BLOCK):
            if offset == 0:
                _reject_binary(path, block)
            digest.update(block)
            if utf8_error is None:
                pending = utf8.getstate()[0]  # the start of a character cut by the previous block
                try:
                    utf8.decode(block)
                except UnicodeDecodeError as exc:
                    data = pending + block
                    line = lines + data.count(b"\n", 0, exc.start) + 1
                    utf8_error = (offset - len(pending) + exc.start, data[exc.start], line)
            if utf8_error is not None and cp1252_error is None:
                try:
                    cp1252.decode(block)
                except UnicodeDecodeError as exc:
                    cp1252_error = (offset + exc.start, block[exc.start])
            offset += len(block)
            lines += block.count(b"\n")
    if utf8_error is None:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_error = (offset - 1, 0, lines + 1)  # a character cut off at the end of the file
    if utf8_error is None:
        return Scan(digest.hexdigest(), "utf-8-sig")
    if cp1252_error is None:
        return Scan(digest.hexdigest(), "cp1252")  # Excel's "CSV" on Western European Windows
    at, byte, line = utf8_error
    raise FileError(
        f"{path.name}: not text in UTF-8 (byte 0x{byte:02X} at offset {at}, line {line}, is invalid) "
        f"nor in Windows-1252 (byte 0x{cp1252_error[1]:02X} at offset {cp1252_error[0]} is undefined): save it as UTF-8"
    )


def _reject_binary(path: Path, head: bytes) -> None:
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise FileError(f"{path.name}: this is {what}, not a text file")
    head = head[:8192]
    if head and sum(b in _CONTROL_BYTES for b in head) > max(8, len(head) // 20):
        raise FileError(f"{path.name}: this is a binary file, not text (control bytes in its first {len(head)} bytes)")


def _decode(path: Path) -> tuple[str, str, str]:
    """The text of a (small) file, the encoding it was read in, its sha256."""
    scan = scan_file(path)
    text = path.read_bytes().decode(scan.encoding)
    return text, "utf-8" if scan.encoding == "utf-8-sig" else scan.encoding, scan.sha256


def header_names(path: PurePath, names: list[Any]) -> list[str]:
    normalised = [normalise_header(h) for h in names]
    first: dict[str, int] = {}
    for position, name in enumerate(normalised, start=1):
        if not name:
            continue
        if name in first:
            raise FileError(
                f"{path.name}: columns {first[name]} ('{str(names[first[name] - 1]).strip()}') and {position} "
                f"('{str(names[position - 1]).strip()}') are the same column '{name}': remove or rename one"
            )
        first[name] = position
    return normalised


def row_values(
    names: list[str], record: list[Any] | tuple[Any, ...]
) -> tuple[dict[str, Any], list[tuple[str, Any, str]]]:
    """Values by column, and the problems of a row whose length differs from the header's."""
    problems: list[tuple[str, Any, str]] = []
    if len(record) < len(names):
        problems.append(
            (
                "(row)",
                None,
                f"the row has {len(record)} fields and the header {len(names)}: a field separator or a quote is missing",
            )
        )
    extra = [v for v in record[len(names) :] if cell(v) is not None]
    if extra:
        problems.append(
            (
                "(row)",
                str(extra[0])[:80],
                f"the row has {len(record)} fields and the header {len(names)}: values beyond the last column",
            )
        )
    values = {}
    for position, name in enumerate(names):
        if name:
            values[name] = cell(record[position]) if position < len(record) else None
    return values, problems


def _read_csv(path: Path) -> Table:
    scan = scan_file(path)
    with path.open(encoding=scan.encoding, newline="") as text:
        first_line = text.readline()
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        text.seek(0)
        try:
            header = next(csv.reader(text, delimiter=delimiter))
        except StopIteration:
            raise FileError(f"{path.name}: the file is empty") from None
        except csv.Error as exc:
            raise FileError(f"{path.name}: the header line cannot be read as CSV ({exc})") from None
    names = header_names(path, header)
    encoding = "utf-8" if scan.encoding == "utf-8-sig" else scan.encoding
    return Table({n for n in names if n}, CsvRows(path, scan, delimiter, names), encoding, scan.sha256)


class CsvRows:
    """The rows of a CSV file, read from disk again at each iteration.

    A load reads a large file twice (validate, then write in chunks) and holds
    neither its text nor its rows. Each pass hashes the bytes it reads: a file
    that changed since it was validated fails the pass (FileError) at its end."""

    def __init__(self, path: Path, scan: Scan, delimiter: str, names: list[str]) -> None:
        self.path, self.scan, self.delimiter, self.names = path, scan, delimiter, names
        self.size = path.stat().st_size
        self.position = 0  # bytes read so far by the current pass (for progress bars)

    def __iter__(self) -> Iterator[InputRow]:
        digest = hashlib.sha256()
        with self.path.open("rb") as raw:
            counted = _HashingReader(raw, digest, self)
            text = io.TextIOWrapper(io.BufferedReader(counted), encoding=self.scan.encoding, newline="")
            reader = csv.reader(text, delimiter=self.delimiter)
            next(reader)  # the header, read when the table was opened
            line_before = reader.line_num
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise FileError(f"{self.path.name} line {line_before + 1}: not valid CSV ({exc})") from None
                start_line = line_before + 1
                line_before = reader.line_num
                if not any(field.strip() for field in record):
                    continue
                values, problems = row_values(self.names, record)
                yield InputRow(self.path.name, start_line, values, tuple(problems))
        if digest.hexdigest() != self.scan.sha256:
            raise FileError(f"{self.path.name}: the file changed while it was being loaded: load it again")


class _HashingReader(io.RawIOBase):
    """Hashes and counts the bytes read through it."""

    def __init__(self, file: io.BufferedReader, digest: Any, rows: CsvRows) -> None:
        self._file, self._digest, self._rows = file, digest, rows
        rows.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._file.readinto(buffer)
        if count:
            self._digest.update(memoryview(buffer)[:count])
            self._rows.position += count
        return count or 0


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a corrupt file
        raise FileError(f"{path.name}: not a readable XLSX workbook ({type(exc).__name__}: {str(exc)[:200]})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise FileError(f"{path.name}: no sheet '{sheet}' (sheets: {', '.join(book.sheetnames)})")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        iterator = worksheet.iter_rows(values_only=True)
        header = next(iterator, None)
        if header is None:
            raise FileError(f"{path.name}: sheet '{worksheet.title}' is empty")
        names = header_names(path, list(header))
        while names and not names[-1]:
            names.pop()  # sheets often carry empty columns after the last header
        rows = []
        for number, record in enumerate(iterator, start=2):
            if not any(cell(v) for v in record):
                continue
            values, problems = row_values(names, list(record))
            rows.append(InputRow(path.name, number, values, tuple(problems)))
        with path.open("rb") as raw:
            sha256 = hashlib.file_digest(raw, "sha256").hexdigest()
        return Table({n for n in names if n}, rows, "utf-8", sha256)
    finally:
        book.close()


def _read_json(path: Path) -> Table:
    text, encoding, sha256 = _decode(path)
    try:
        items = json.loads(text)
    except RecursionError:
        raise FileError(f"{path.name}: the JSON is nested too deeply to be a table") from None
    except ValueError as exc:
        raise FileError(f"{path.name}: not valid JSON ({exc})") from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise FileError(f"{path.name}: expected a JSON array of objects, one per row")
    rows = [row_from_mapping(path.name, n, item) for n, item in enumerate(items, start=1)]
    columns = {name for row in rows for name in row.values}
    return Table(columns, rows, encoding, sha256)
