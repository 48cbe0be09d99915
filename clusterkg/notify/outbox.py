"""The outbox: e-mails waiting to be sent, sent, or given up on, in SQLite in the data dir.

    <data dir>/outbox.sqlite3   (owner-only; WAL)

Each message has a `key` saying what it is about and for whom (e.g.
`interest:<id>:<recipient>`): queueing the same key twice keeps one message,
so a step that is retried after a crash never mails anyone twice.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

FILE_NAME = "outbox.sqlite3"
MAX_ATTEMPTS = 8  # then the message is FAILED, with its last error kept for `clusterkg outbox`
MessageStatus = Literal["pending", "sent", "failed"]
STATUSES: tuple[MessageStatus, ...] = ("pending", "sent", "failed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS messages_due ON messages (status, next_attempt_at);
"""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Message:
    """An e-mail to queue: who, what, and the key that makes queueing it twice harmless."""

    key: str
    recipient: str
    subject: str
    body: str


@dataclass(frozen=True)
class Queued:
    """A message as the outbox holds it."""

    id: int
    key: str
    recipient: str
    subject: str
    body: str
    created_at: str
    status: MessageStatus
    attempts: int
    next_attempt_at: str
    sent_at: str | None
    last_error: str | None


class Outbox:
    """The outbox of one data dir. Safe to share between threads: each call opens its own connection."""

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

    def enqueue(self, messages: Sequence[Message]) -> int:
        """Queue the messages in one transaction; the number new (a key queued before is kept as it was)."""
        moment = stamp(utc_now())
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO messages (key, recipient, subject, body, created_at, next_attempt_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(m.key, m.recipient, m.subject, m.body, moment, moment) for m in messages],
            )
            added = db.total_changes - before
            db.execute("COMMIT")
        return added

    def due(self, limit: int = 50, moment: dt.datetime | None = None) -> list[Queued]:
        """Pending messages whose next attempt is due, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT * FROM messages WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                (stamp(moment or utc_now()), limit),
            ).fetchall()
        return [Queued(**dict(r)) for r in rows]

    def mark_sent(self, message_id: int) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE messages SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL "
                "WHERE id = ?",
                (stamp(utc_now()), message_id),
            )

    def mark_failed(self, message_id: int, error: str, retry_after: dt.timedelta) -> MessageStatus:
        """A failed attempt: tried again after `retry_after`, or FAILED after MAX_ATTEMPTS; the new status."""
        with self._connect() as db:
            row = db.execute("SELECT attempts FROM messages WHERE id = ?", (message_id,)).fetchone()
            attempts = int(row["attempts"]) + 1
            status: MessageStatus = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            db.execute(
                "UPDATE messages SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                (attempts, status, stamp(utc_now() + retry_after), error[:1000], message_id),
            )
        return status

    def retry(self, message_ids: Sequence[int] | None = None) -> int:
        """Make failed messages (all, or these) pending again, due now; how many."""
        moment = stamp(utc_now())
        with self._connect() as db:
            if message_ids is None:
                cursor = db.execute(
                    "UPDATE messages SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE status = 'failed'",
                    (moment,),
                )
            else:
                cursor = db.execute(
                    "UPDATE messages SET status = 'pending', attempts = 0, next_attempt_at = ? "
                    f"WHERE status = 'failed' AND id IN ({','.join('?' * len(message_ids))})",
                    (moment, *message_ids),
                )
            return cursor.rowcount

    def list(self, status: MessageStatus | None = None, recipient: str | None = None, limit: int = 100) -> list[Queued]:
        """Messages, newest first, optionally of one status or for one recipient."""
        clauses: list[str] = []
        params: list[str] = []
        if status is not None:
            clauses.append("status = ?")
            params.append(status)
        if recipient is not None:
            clauses.append("recipient = ? COLLATE NOCASE")
            params.append(recipient)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._connect() as db:
            rows = db.execute(f"SELECT * FROM messages {where} ORDER BY id DESC LIMIT ?", (*params, limit)).fetchall()
        return [Queued(**dict(r)) for r in rows]

    def counts(self) -> dict[str, int]:
        with self._connect() as db:
            rows = db.execute("SELECT status, count(*) AS n FROM messages GROUP BY status").fetchall()
        found: dict[str, int] = {s: 0 for s in STATUSES}
        found.update({r["status"]: int(r["n"]) for r in rows})
        return found
