"""What only the clusters concerned may see, in SQLite in the data dir, out of the graph analysts read.

    <data dir>/postings.sqlite3   (owner-only; WAL)

Expressions of interest (one per cluster and posting: the table's key says
so, so two requests at once still make one), who follows which posting, and
saved searches. An accepted interest also becomes a CONNECTED tie in the
graph: that much is public, as a partnership is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

FILE_NAME = "postings.sqlite3"
InterestStatus = Literal["PENDING", "ACCEPTED", "DECLINED"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS interests (
    id TEXT PRIMARY KEY,
    posting_id TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    message TEXT,
    status TEXT NOT NULL DEFAULT 'PENDING',
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    by_email TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    reason TEXT,
    tie_written INTEGER NOT NULL DEFAULT 0,
    UNIQUE (posting_id, cluster_id)
);
CREATE INDEX IF NOT EXISTS interests_by_cluster ON interests (cluster_id);
CREATE TABLE IF NOT EXISTS follows (
    account_id TEXT NOT NULL,
    posting_id TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (account_id, posting_id)
);
CREATE INDEX IF NOT EXISTS follows_by_posting ON follows (posting_id);
CREATE TABLE IF NOT EXISTS saved_searches (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    filter TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class InterestRecord:
    id: str
    posting_id: str
    cluster_id: str
    message: str | None
    status: InterestStatus
    at: str
    by: str
    by_email: str
    decided_at: str | None = None
    decided_by: str | None = None
    reason: str | None = None
    tie_written: bool = False


@dataclass(frozen=True)
class SavedSearch:
    id: str
    account_id: str
    name: str
    filter: dict[str, Any]
    created_at: str


class PrivateStore:
    """The private side of the postings of one data dir. Safe to share between threads."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILE_NAME
        new = not self.path.exists()
        with self._connect() as db:
            db.executescript(SCHEMA)
        if new:
            os.chmod(self.path, 0o600)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.row_factory = sqlite3.Row
            yield db
        finally:
            db.close()

    # -- interests --------------------------------------------------------------

    @staticmethod
    def _interest(row: sqlite3.Row) -> InterestRecord:
        found = dict(row)
        found["tie_written"] = bool(found["tie_written"])
        return InterestRecord(**found)

    def add_interest(
        self, posting_id: str, cluster_id: str, message: str | None, by: str, by_email: str
    ) -> InterestRecord | None:
        """The new interest, or None when this cluster expressed interest in this posting already."""
        interest_id = f"int-{uuid.uuid4().hex[:16]}"
        with self._connect() as db:
            try:
                db.execute(
                    "INSERT INTO interests (id, posting_id, cluster_id, message, at, by, by_email) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (interest_id, posting_id, cluster_id, message, now(), by, by_email),
                )
            except sqlite3.IntegrityError:
                return None
        return self.interest(interest_id)

    def interest(self, interest_id: str) -> InterestRecord | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM interests WHERE id = ?", (interest_id,)).fetchone()
        return self._interest(row) if row else None

    def interest_of(self, posting_id: str, cluster_id: str) -> InterestRecord | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM interests WHERE posting_id = ? AND cluster_id = ?", (posting_id, cluster_id)
            ).fetchone()
        return self._interest(row) if row else None

    def decide(self, interest_id: str, status: InterestStatus, by: str, reason: str | None) -> bool:
        """PENDING -> ACCEPTED or DECLINED; False when it was decided already (nothing changed)."""
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE interests SET status = ?, decided_at = ?, decided_by = ?, reason = ? "
                "WHERE id = ? AND status = 'PENDING'",
                (status, now(), by, reason, interest_id),
            )
            return cursor.rowcount == 1

    def mark_tie_written(self, interest_id: str) -> None:
        with self._connect() as db:
            db.execute("UPDATE interests SET tie_written = 1 WHERE id = ?", (interest_id,))

    def accepted_without_tie(self) -> list[InterestRecord]:
        """Accepted interests whose tie a crash kept from the graph: written again at start (MERGE: harmless)."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM interests WHERE status = 'ACCEPTED' AND tie_written = 0").fetchall()
        return [self._interest(r) for r in rows]

    def interests_in(self, posting_ids: Sequence[str], limit: int = 500) -> list[InterestRecord]:
        """Interests in these postings, newest first (their owners' inbox)."""
        if not posting_ids:
            return []
        marks = ",".join("?" * len(posting_ids))
        with self._connect() as db:
            rows = db.execute(
                f"SELECT * FROM interests WHERE posting_id IN ({marks}) ORDER BY at DESC, id LIMIT ?",
                (*posting_ids, limit),
            ).fetchall()
        return [self._interest(r) for r in rows]

    def interests_from(self, cluster_ids: Sequence[str], limit: int = 500) -> list[InterestRecord]:
        """Interests these clusters expressed, newest first."""
        if not cluster_ids:
            return []
        marks = ",".join("?" * len(cluster_ids))
        with self._connect() as db:
            rows = db.execute(
                f"SELECT * FROM interests WHERE cluster_id IN ({marks}) ORDER BY at DESC, id LIMIT ?",
                (*cluster_ids, limit),
            ).fetchall()
        return [self._interest(r) for r in rows]

    # -- follows and saved searches ----------------------------------------------

    def follow(self, account_id: str, posting_id: str, on: bool) -> None:
        with self._connect() as db:
            if on:
                db.execute("INSERT OR IGNORE INTO follows VALUES (?, ?, ?)", (account_id, posting_id, now()))
            else:
                db.execute("DELETE FROM follows WHERE account_id = ? AND posting_id = ?", (account_id, posting_id))

    def followers(self, posting_id: str) -> list[str]:
        with self._connect() as db:
            rows = db.execute("SELECT account_id FROM follows WHERE posting_id = ? ORDER BY at", (posting_id,))
            return [r["account_id"] for r in rows]

    def follows(self, account_id: str, posting_id: str) -> bool:
        with self._connect() as db:
            row = db.execute(
                "SELECT 1 FROM follows WHERE account_id = ? AND posting_id = ?", (account_id, posting_id)
            ).fetchone()
        return row is not None

    def save_search(self, account_id: str, name: str, filter: dict[str, Any]) -> SavedSearch:
        search = SavedSearch(f"ss-{uuid.uuid4().hex[:12]}", account_id, name, filter, now())
        with self._connect() as db:
            db.execute(
                "INSERT INTO saved_searches VALUES (?, ?, ?, ?, ?)",
                (search.id, account_id, name, json.dumps(filter, sort_keys=True), search.created_at),
            )
        return search

    def delete_search(self, account_id: str, search_id: str) -> bool:
        with self._connect() as db:
            cursor = db.execute("DELETE FROM saved_searches WHERE id = ? AND account_id = ?", (search_id, account_id))
            return cursor.rowcount == 1

    def saved_searches(self, account_id: str | None = None) -> list[SavedSearch]:
        """One account's saved searches, or everyone's (to match a new posting against)."""
        with self._connect() as db:
            if account_id is None:
                rows = db.execute("SELECT * FROM saved_searches ORDER BY created_at, id").fetchall()
            else:
                rows = db.execute(
                    "SELECT * FROM saved_searches WHERE account_id = ? ORDER BY created_at, id", (account_id,)
                ).fetchall()
        return [
            SavedSearch(r["id"], r["account_id"], r["name"], json.loads(r["filter"]), r["created_at"]) for r in rows
        ]
