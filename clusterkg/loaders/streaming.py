"""Kinds too large to hold: validated in one pass that keeps only keys, written in chunks by a second.

A members file of the EU's cluster members (about 5 million rows) held as
records, plans and a before-image took 3.6 KB a row: more than a machine's
memory. A kind that declares a `stream_group` (the fields whose rows one
write plan must see together: all the rows of one organisation) is loaded in
two passes over its files instead:

1. Validate every row, keep its issues and 24 bytes: a hash of its duplicate
   key, a hash of its group, its place. Rows whose keys hash alike are read
   again and compared exactly (a duplicate is rejected naming the first row;
   equal hashes of different keys are not). Nothing is written if any row is
   rejected, as for every load.
2. Read the files again, validate again (against the same context, so the
   same rows pass) and hand the kind's `plan` chunks of `chunk_rows` items,
   each group's rows in one chunk. The pipeline captures, writes and spills
   the undo image of one chunk at a time (clusterkg.loaders.plan.UndoLog).

Each pass hashes the bytes it reads, so a file changed between the passes
fails the load, which is then undone.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from clusterkg.errors import ClusterKGError
from clusterkg.loaders.context import Context
from clusterkg.loaders.readers import Table
from clusterkg.validation import Checker, Issue, RowsReport, validate_stream

if TYPE_CHECKING:
    from clusterkg.loaders.plan import WritePlan
    from clusterkg.loaders.registry import Kind

DEFAULT_CHUNK_ROWS = 50_000
Tick = Callable[[], None]  # moves a progress bar to where the reading is


def chunk_rows() -> int:
    """Rows a streamed kind plans and writes at a time (CLUSTERKG_LOAD_CHUNK_ROWS, default 50,000: about 300 MB)."""
    value = os.environ.get("CLUSTERKG_LOAD_CHUNK_ROWS", "")
    try:
        rows = int(value) if value else DEFAULT_CHUNK_ROWS
    except ValueError:
        raise ClusterKGError(f"CLUSTERKG_LOAD_CHUNK_ROWS={value!r}: give a whole number of rows") from None
    if rows < 1:
        raise ClusterKGError(f"CLUSTERKG_LOAD_CHUNK_ROWS={value!r}: give at least 1 row")
    return rows


@dataclass
class StreamedFile:
    table: Table
    name: str
    report: RowsReport
    excluded: set[int] = field(default_factory=set)  # rows the first pass let through and the key check rejected


@dataclass
class StreamedKind:
    """What the first pass keeps of a streamed kind: its files, the rows to leave out, the groups of several rows."""

    kind: Kind
    files: list[StreamedFile] = field(default_factory=list)
    multi_row_groups: dict[int, int] = field(default_factory=dict)  # group hash -> rows, for groups of 2 or more
    _key_hashes: array[int] = field(default_factory=lambda: array("q"))
    _group_hashes: array[int] = field(default_factory=lambda: array("q"))
    _files: array[int] = field(default_factory=lambda: array("i"))
    _rows: array[int] = field(default_factory=lambda: array("q"))

    @property
    def valid(self) -> int:
        return sum(f.report.valid for f in self.files)

    def validate(self, table: Table, name: str, context: Context, issues: list[Issue], tick: Tick | None) -> RowsReport:
        """The first pass over one file: count, check and hash every row, keep none."""
        kind, index, report = self.kind, len(self.files), RowsReport()
        current = [0]

        def check_record(record: Any, check: Checker, where: str) -> bool | None:
            if kind.check(record, context, check, table.columns) is None:
                return None
            self._key_hashes.append(hash(kind.duplicate_key(record)))
            self._group_hashes.append(hash(self.group_key(record)))
            self._files.append(index)
            self._rows.append(current[0])
            return True

        def rows() -> Iterator[Any]:
            for count, row in enumerate(table.rows, start=1):
                current[0] = row.row
                if tick is not None and count % 10_000 == 0:
                    tick()
                yield row

        before = len(self._key_hashes)
        try:
            for _ in validate_stream(name, rows(), kind.model, check_record, table.columns, issues, report):
                pass
        except ClusterKGError:  # the file turned out unreadable: none of its rows count
            for kept in (self._key_hashes, self._group_hashes, self._files, self._rows):
                del kept[before:]
            raise
        if tick is not None:
            tick()
        self.files.append(StreamedFile(table, name, report))
        return report

    def group_key(self, record: Any) -> tuple[Any, ...]:
        return tuple(getattr(record, f) for f in self.kind.stream_group)

    def settle(self, issues: list[Issue]) -> None:
        """After the first pass: reject exact duplicates (hash matches compared for real), count the groups."""
        keys = np.frombuffer(self._key_hashes, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        same = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
        candidates = np.unique(np.concatenate([order[same], order[same + 1]])) if same.size else np.array([], int)
        keep = np.ones(len(keys), dtype=bool)
        for position in self._duplicates(candidates.tolist(), issues):
            keep[position] = False
        groups = np.frombuffer(self._group_hashes, dtype=np.int64)[keep]
        values, counts = np.unique(groups, return_counts=True)
        several = counts > 1
        self.multi_row_groups = dict(zip(values[several].tolist(), counts[several].tolist(), strict=True))
        self._key_hashes, self._group_hashes, self._files, self._rows = array("q"), array("q"), array("i"), array("q")

    def _duplicates(self, positions: list[int], issues: list[Issue]) -> list[int]:
        """Of the rows whose key hashes match another's, those whose key equals an earlier row's."""
        if not positions:
            return []
        wanted: dict[int, dict[int, int]] = {}  # file -> row -> position
        for position in positions:
            wanted.setdefault(self._files[position], {})[self._rows[position]] = position
        first: dict[Any, tuple[str, int]] = {}
        dropped = []
        for index, streamed in enumerate(self.files):
            rows = wanted.get(index, {})
            if not rows:
                continue
            for row in streamed.table.rows:
                if row.row not in rows:
                    continue
                record = self.kind.model.model_validate(row.values)  # it passed the first pass
                key = self.kind.duplicate_key(record)
                if key not in first:
                    first[key] = (streamed.name, row.row)
                    continue
                where = f"{first[key][0]} row {first[key][1]}"
                issues.append(
                    Issue(
                        streamed.name,
                        row.row,
                        self.kind.key,
                        getattr(record, self.kind.key),
                        f"duplicate: the same {self.kind.key} is at {where}",
                    )
                )
                streamed.excluded.add(row.row)
                streamed.report.valid -= 1
                streamed.report.rejected += 1
                dropped.append(rows[row.row])
        return dropped

    def chunks(self, context: Context, size: int) -> Iterator[tuple[WritePlan, int]]:
        """The second pass: (plan, rows) for `size` valid rows at a time, each group's rows in one chunk."""
        kind = self.kind
        left = dict(self.multi_row_groups)
        pending: dict[int, list[dict[str, Any]]] = {}
        chunk: list[dict[str, Any]] = []
        planned = 0
        for streamed in self.files:
            columns = streamed.table.columns

            def check_record(record: Any, check: Checker, where: str, columns: set[str] = columns) -> Any:
                item = kind.check(record, context, check, columns)
                if item is not None:
                    item.setdefault("columns", columns)
                    return item, hash(self.group_key(record))
                return None

            rows = (row for row in streamed.table.rows if row.row not in streamed.excluded)
            for item, group in validate_stream(
                streamed.name, rows, kind.model, check_record, columns, [], RowsReport()
            ):
                if group in left:
                    pending.setdefault(group, []).append(item)
                    left[group] -= 1
                    if left[group]:
                        continue
                    del left[group]
                    chunk.extend(pending.pop(group))
                else:
                    chunk.append(item)
                if len(chunk) >= size:
                    planned += len(chunk)
                    yield kind.plan(chunk), len(chunk)
                    chunk = []
        for rows_of_group in pending.values():
            chunk.extend(rows_of_group)
        if chunk:
            planned += len(chunk)
            yield kind.plan(chunk), len(chunk)
        if planned != self.valid:
            raise ClusterKGError(
                f"{kind.name}: the second reading found {planned} valid rows, the first {self.valid}: "
                "a file changed during the load"
            )
