"""Saved queries and dashboards of the analyst page, shared on the server: named, described, owned.

    <data dir>/analyst.sqlite3   (owner-only; WAL)

Everyone who may use the Cypher page sees every saved query and dashboard; only the one who saved it may
change or delete it. A dashboard is a page of saved queries, each shown as a table, a bar chart, a map by
NUTS code, or a graph; its link (a random key) opens it read-only, and runs its queries read-only and
within the page's limits, for anyone who has the link. The library's canned queries stay beside them,
read-only, in clusterkg/queries.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from clusterkg.errors import FieldErrors, Forbidden, NotFound

FILE_NAME = "analyst.sqlite3"
VIEWS = ("table", "bar", "map", "graph")
MAX_QUERY_CHARS = 20_000
MAX_PANELS = 12

SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_queries (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    query TEXT NOT NULL,
    params TEXT NOT NULL,
    owner TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dashboards (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT,
    panels TEXT NOT NULL,
    owner TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SavedQuery:
    id: str
    name: str
    description: str | None
    query: str
    params: dict[str, Any]
    owner: str
    created_at: str
    updated_at: str

    def as_json(self, viewer: str) -> dict[str, Any]:
        return {**asdict(self), "mine": self.owner == viewer}


@dataclass(frozen=True)
class Dashboard:
    id: str
    key: str
    name: str
    description: str | None
    panels: list[dict[str, Any]]  # {query_id, view, title}
    owner: str
    created_at: str
    updated_at: str

    def as_json(self, viewer: str | None) -> dict[str, Any]:
        found = {**asdict(self), "mine": viewer is not None and self.owner == viewer}
        if viewer is None:
            found.pop("owner")  # the read-only link does not say whose it is
        return found


def _text(value: Any, field: str, limit: int, errors: dict[str, str], *, required: bool = True) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = "may not be empty"
        return None
    if not isinstance(value, str):
        errors[field] = "must be text"
        return None
    if len(value) > limit:
        errors[field] = f"at most {limit:,} characters"
        return None
    return value.strip()


def check_query(body: dict[str, Any]) -> tuple[str, str | None, str, dict[str, Any]]:
    errors: dict[str, str] = {}
    name = _text(body.get("name"), "name", 120, errors)
    description = _text(body.get("description"), "description", 2000, errors, required=False)
    query = _text(body.get("query"), "query", MAX_QUERY_CHARS, errors)
    params = body.get("params") or {}
    if not isinstance(params, dict):
        errors["params"] = "must be a JSON object"
    if errors:
        raise FieldErrors(errors)
    assert name is not None and query is not None
    return name, description, query, params


class SavedStore:
    """The saved queries and dashboards of one data dir. Safe to share between threads."""

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

    # -- saved queries -------------------------------------------------------------

    @staticmethod
    def _query(row: sqlite3.Row) -> SavedQuery:
        return SavedQuery(**{**dict(row), "params": json.loads(row["params"])})

    def queries(self) -> list[SavedQuery]:
        with self._connect() as db:
            return [self._query(r) for r in db.execute("SELECT * FROM saved_queries ORDER BY name, id")]

    def query(self, query_id: str) -> SavedQuery:
        with self._connect() as db:
            row = db.execute("SELECT * FROM saved_queries WHERE id = ?", (query_id,)).fetchone()
        if row is None:
            raise NotFound(f"no saved query has the id '{query_id}'")
        return self._query(row)

    def save_query(self, owner: str, body: dict[str, Any], query_id: str | None = None) -> SavedQuery:
        """A new saved query, or (with `query_id`) a change of one of the owner's own."""
        name, description, query, params = check_query(body)
        at = now()
        with self._connect() as db:
            if query_id is None:
                query_id = f"sq-{uuid.uuid4().hex[:10]}"
                db.execute(
                    "INSERT INTO saved_queries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (query_id, name, description, query, json.dumps(params), owner, at, at),
                )
            else:
                self._own(db, "saved_queries", query_id, owner, "saved query")
                db.execute(
                    "UPDATE saved_queries SET name = ?, description = ?, query = ?, params = ?, updated_at = ? WHERE id = ?",
                    (name, description, query, json.dumps(params), at, query_id),
                )
        return self.query(query_id)

    def delete_query(self, owner: str, query_id: str) -> None:
        with self._connect() as db:
            self._own(db, "saved_queries", query_id, owner, "saved query")
            db.execute("DELETE FROM saved_queries WHERE id = ?", (query_id,))

    @staticmethod
    def _own(db: sqlite3.Connection, table: str, item_id: str, owner: str, what: str) -> None:
        row = db.execute(f"SELECT owner FROM {table} WHERE id = ?", (item_id,)).fetchone()  # table: a constant
        if row is None:
            raise NotFound(f"no {what} has the id '{item_id}'")
        if row["owner"] != owner:
            raise Forbidden(f"this {what} was saved by someone else: save a copy of your own to change it")

    # -- dashboards ----------------------------------------------------------------

    @staticmethod
    def _dashboard(row: sqlite3.Row) -> Dashboard:
        return Dashboard(**{**dict(row), "panels": json.loads(row["panels"])})

    def dashboards(self) -> list[Dashboard]:
        with self._connect() as db:
            return [self._dashboard(r) for r in db.execute("SELECT * FROM dashboards ORDER BY name, id")]

    def dashboard(self, dashboard_id: str) -> Dashboard:
        with self._connect() as db:
            row = db.execute("SELECT * FROM dashboards WHERE id = ?", (dashboard_id,)).fetchone()
        if row is None:
            raise NotFound(f"no dashboard has the id '{dashboard_id}'")
        return self._dashboard(row)

    def by_key(self, key: str) -> Dashboard:
        with self._connect() as db:
            row = db.execute("SELECT * FROM dashboards WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise NotFound("no dashboard has this link")
        return self._dashboard(row)

    def _panels(self, panels: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
        if not isinstance(panels, list) or not 1 <= len(panels) <= MAX_PANELS:
            errors["panels"] = f"a list of 1 to {MAX_PANELS} panels"
            return []
        known = {q.id for q in self.queries()}
        found = []
        for i, panel in enumerate(panels):
            if not isinstance(panel, dict):
                errors[f"panels[{i}]"] = "an object: {queryId, view, title}"
                continue
            if panel.get("queryId") not in known:
                errors[f"panels[{i}].queryId"] = f"no saved query has the id '{panel.get('queryId')}'"
            if panel.get("view") not in VIEWS:
                errors[f"panels[{i}].view"] = f"one of {', '.join(VIEWS)}"
            title = panel.get("title")
            found.append(
                {
                    "queryId": panel.get("queryId"),
                    "view": panel.get("view"),
                    "title": title if isinstance(title, str) else None,
                }
            )
        return found

    def save_dashboard(self, owner: str, body: dict[str, Any], dashboard_id: str | None = None) -> Dashboard:
        errors: dict[str, str] = {}
        name = _text(body.get("name"), "name", 120, errors)
        description = _text(body.get("description"), "description", 2000, errors, required=False)
        panels = self._panels(body.get("panels"), errors)
        if errors:
            raise FieldErrors(errors)
        at = now()
        with self._connect() as db:
            if dashboard_id is None:
                dashboard_id = f"db-{uuid.uuid4().hex[:10]}"
                db.execute(
                    "INSERT INTO dashboards VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (dashboard_id, secrets.token_urlsafe(18), name, description, json.dumps(panels), owner, at, at),
                )
            else:
                self._own(db, "dashboards", dashboard_id, owner, "dashboard")
                db.execute(
                    "UPDATE dashboards SET name = ?, description = ?, panels = ?, updated_at = ? WHERE id = ?",
                    (name, description, json.dumps(panels), at, dashboard_id),
                )
        return self.dashboard(dashboard_id)

    def delete_dashboard(self, owner: str, dashboard_id: str) -> None:
        with self._connect() as db:
            self._own(db, "dashboards", dashboard_id, owner, "dashboard")
            db.execute("DELETE FROM dashboards WHERE id = ?", (dashboard_id,))
