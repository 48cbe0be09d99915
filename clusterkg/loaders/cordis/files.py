"""The files of a CORDIS download: found in a zip or a folder, read one row at a time.

CORDIS publishes each programme as a zip of CSV files (`;`-separated, quoted)
or of JSON files (one array of objects with the same field names). The names
inside vary between vintages (`project.csv`, `csv/project.csv`,
`cordis-h2020projects.csv`, `organization.json`), so a file is recognised by
the last word of its name. Rows are streamed: the organisation file of H2020
has ~180,000 rows, and nothing here holds more than one of them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import ijson

from clusterkg.loaders.readers import FileError, header_names, row_from_mapping, row_values
from clusterkg.validation import InputRow

# What each file is, by the end of its name (without extension), and the columns it must have.
FILE_KINDS: dict[str, tuple[re.Pattern[str], tuple[str, ...]]] = {
    "project": (re.compile(r"(^|[-_])projects?$"), ("id",)),
    "organization": (re.compile(r"(^|[-_])organi[sz]ations?$"), ("projectid", "organisationid", "name", "country")),
    "euroscivoc": (re.compile(r"euroscivoc$"), ("projectid",)),
    "topics": (re.compile(r"(^|[-_])topics$"), ("projectid",)),
}
REQUIRED_KINDS = ("project", "organization")
FORMATS = (".csv", ".json")


@dataclass(frozen=True)
class SourceFile:
    """One file of the download: its name in messages, what it is, and how to open it."""

    name: str
    kind: str
    suffix: str
    opener: Callable[[], IO[bytes]]


@dataclass(frozen=True)
class Download:
    """The files found, by kind (`project`, `organization`, and where present `euroscivoc`, `topics`)."""

    path: Path
    files: dict[str, SourceFile]

    def rows(self, kind: str) -> Iterator[InputRow]:
        found = self.files.get(kind)
        return iter(()) if found is None else read_rows(found)

    def count(self, kind: str) -> int:
        """Rows of a file (one streaming pass): the total of a progress bar."""
        return sum(1 for _ in self.rows(kind))


def file_kind(name: str) -> str | None:
    stem = PurePosixPath(name.rsplit(":", 1)[-1]).stem.lower()  # "download.zip:csv/project.csv" -> "project"
    for kind, (pattern, _) in FILE_KINDS.items():
        if pattern.search(stem):
            return kind
    return None


def open_download(path: Path) -> Download:
    """The CORDIS files of a zip or a folder; a FileError naming what is missing."""
    path = Path(path)
    if not path.exists():
        raise FileError(f"{path}: no such file or folder")
    names: list[tuple[str, Callable[[], IO[bytes]]]] = []
    if path.is_dir():
        for item in sorted(path.rglob("*")):
            if item.is_file():
                names.append((str(item.relative_to(path)), _file_opener(item)))
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if not m.endswith("/")]
        names = [(f"{path.name}:{m}", _zip_opener(path, m)) for m in sorted(members)]
    else:
        raise FileError(
            f"{path.name}: not a zip file nor a folder (give the downloaded CORDIS zip, or its unpacked folder)"
        )
    files: dict[str, SourceFile] = {}
    for name, opener in names:
        suffix = PurePosixPath(name).suffix.lower()
        kind = file_kind(name)
        if kind is None or suffix not in FORMATS:
            continue
        chosen = files.get(kind)
        if chosen is None or (chosen.suffix == ".json" and suffix == ".csv"):  # both forms: the CSV
            files[kind] = SourceFile(name, kind, suffix, opener)
    missing = [k for k in REQUIRED_KINDS if k not in files]
    if missing:
        seen = ", ".join(n for n, _ in names[:12]) or "no files"
        raise FileError(
            f"{path.name}: no {' and no '.join(missing)} file (.csv or .json) in it; it holds: {seen}. "
            "A CORDIS download has project.csv and organization.csv (or their .json forms)"
        )
    return Download(path, files)


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def _zip_opener(path: Path, member: str) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        archive = zipfile.ZipFile(path)
        stream = archive.open(member)
        stream._clusterkg_archive = archive  # type: ignore[attr-defined]  # closed with the stream below
        return stream

    return opener


@contextmanager
def _opened(source: SourceFile) -> Iterator[IO[bytes]]:
    stream = source.opener()
    try:
        yield stream
    finally:
        stream.close()
        archive = getattr(stream, "_clusterkg_archive", None)
        if archive is not None:
            archive.close()


def read_rows(source: SourceFile) -> Iterator[InputRow]:
    """Every row of one file, as InputRows named by the file and its line (CSV) or item (JSON) number."""
    reader = _csv_rows if source.suffix == ".csv" else _json_rows
    yield from reader(source)


def _check_columns(source: SourceFile, names: list[str]) -> None:
    required = FILE_KINDS[source.kind][1]
    missing = [c for c in required if c not in names]
    if missing:
        raise FileError(
            f"{source.name}: no column {', '.join(missing)} in its header; a CORDIS {source.kind} file has "
            f"{', '.join(required)} (column names are matched without case)"
        )


def _csv_rows(source: SourceFile) -> Iterator[InputRow]:
    with _opened(source) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=";", quotechar='"')
        try:
            header = next(reader)
        except StopIteration:
            raise FileError(f"{source.name}: the file is empty") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileError(f"{source.name}: the header cannot be read ({exc})") from None
        if len(header) == 1 and ("," in header[0] or "\t" in header[0]):
            separator = "','" if "," in header[0] else "a tab"
            raise FileError(
                f"{source.name} row 1: the columns are separated by {separator}; CORDIS files are ';'-separated "
                "(was the file re-saved by a spreadsheet? use the file as downloaded)"
            )
        names = header_names(PurePosixPath(source.name), header)
        _check_columns(source, names)
        line_before = reader.line_num
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                raise FileError(f"{source.name} line {line_before + 1}: not valid CSV ({exc})") from None
            start_line = line_before + 1
            line_before = reader.line_num
            if not any(field.strip() for field in record):
                continue
            values, problems = row_values(names, record)
            yield InputRow(source.name, start_line, values, tuple(problems))


def _json_rows(source: SourceFile) -> Iterator[InputRow]:
    with _opened(source) as raw:
        number = 0
        try:
            for item in ijson.items(raw, "item", use_float=True):
                number += 1
                if not isinstance(item, dict):
                    raise FileError(
                        f"{source.name} item {number}: expected an object (one per row), found {type(item).__name__}"
                    )
                row = row_from_mapping(source.name, number, item)
                if number == 1:
                    _check_columns(source, list(row.values))
                yield row
        except ijson.JSONError as exc:
            raise FileError(f"{source.name}: not a JSON array of objects (after item {number}: {exc})") from None
        if number == 0:
            raise FileError(f"{source.name}: no rows (expected a JSON array of objects, one per row)")
