"""Accounts, the clusters their editors edit, and their tokens, in SQLite in the data dir.

    <data dir>/accounts.sqlite3   (owner-only; WAL, so readers never wait for a writer)

Not in the graph: the graph is what analysts read (the Cypher page, exports,
backups shared for support), and who holds which account is not theirs to
read. A token is stored as its argon2 hash only (clusterkg.accounts.tokens);
an account is revoked, never deleted, so the history that names it stays true.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from clusterkg.accounts.principal import Account, Principal, Role, role_of
from clusterkg.accounts.tokens import NewToken, Verifier, make_token, token_id_of
from clusterkg.errors import ClusterKGError, NotFound

FILE_NAME = "accounts.sqlite3"
SESSION_HOURS = 8

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT,
    roles TEXT NOT NULL,
    oidc_subject TEXT UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS editors (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    cluster_id TEXT NOT NULL,
    granted_by TEXT,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (account_id, cluster_id)
);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    secret_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);
"""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class AccountStore:
    """The accounts of one data dir. Safe to share between threads: each call opens its own connection."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILE_NAME
        new = not self.path.exists()
        with self._connect() as db:
            db.executescript(SCHEMA)
        if new:
            os.chmod(self.path, 0o600)
        self.verifier = Verifier()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.row_factory = sqlite3.Row
            yield db
        finally:
            db.close()

    # -- accounts ---------------------------------------------------------------

    def add(
        self,
        email: str,
        roles: Sequence[str],
        clusters: Sequence[str] = (),
        *,
        name: str | None = None,
        granted_by: str | None = None,
    ) -> tuple[Account, NewToken]:
        """A new account and its first token (shown once). ClusterKGError for a bad e-mail, role or a taken e-mail."""
        email = email.strip()
        if "@" not in email or " " in email or len(email) > 254:
            raise ClusterKGError(f"'{email}' is not an e-mail address")
        try:
            parsed: list[Role] = [role_of(r) for r in roles] or ["editor"]
        except ValueError as exc:
            raise ClusterKGError(str(exc)) from None
        if "editor" in parsed and not clusters:
            raise ClusterKGError("an editor edits at least one cluster: pass --cluster ID")
        account_id = "acc-" + uuid.uuid4().hex[:12]
        token = make_token()
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "INSERT INTO accounts (id, email, name, roles, created_at) VALUES (?, ?, ?, ?, ?)",
                    (account_id, email, name, ",".join(sorted(set(parsed))), now()),
                )
            except sqlite3.IntegrityError:
                db.execute("ROLLBACK")
                raise ClusterKGError(
                    f"an account for {email} exists already: `clusterkg users list` shows it"
                ) from None
            for cluster_id in clusters:
                db.execute(
                    "INSERT OR IGNORE INTO editors VALUES (?, ?, ?, ?)", (account_id, cluster_id, granted_by, now())
                )
            self._insert_token(db, account_id, token, "api", None)
            db.execute("COMMIT")
        return self.get(account_id), token

    def _insert_token(
        self, db: sqlite3.Connection, account_id: str, token: NewToken, kind: str, expires: str | None
    ) -> None:
        db.execute(
            "INSERT INTO tokens (id, account_id, secret_hash, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (token.id, account_id, token.secret_hash, kind, now(), expires),
        )

    def _account(self, db: sqlite3.Connection, row: sqlite3.Row) -> Account:
        clusters = [
            r["cluster_id"] for r in db.execute("SELECT cluster_id FROM editors WHERE account_id = ?", (row["id"],))
        ]
        return Account(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            roles=frozenset(role_of(r) for r in row["roles"].split(",") if r),
            clusters=frozenset(clusters),
            oidc_subject=row["oidc_subject"],
            created_at=row["created_at"],
            revoked_at=row["revoked_at"],
        )

    def get(self, account_id: str) -> Account:
        with self._connect() as db:
            row = db.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()
            if row is None:
                raise NotFound(f"no account has the id '{account_id}'")
            return self._account(db, row)

    def by_email(self, email: str) -> Account | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM accounts WHERE email = ?", (email.strip(),)).fetchone()
            return self._account(db, row) if row else None

    def all(self) -> list[Account]:
        with self._connect() as db:
            return [self._account(db, row) for row in db.execute("SELECT * FROM accounts ORDER BY email")]

    def editors_of(self, cluster_id: str) -> list[Account]:
        """The active accounts that edit this cluster (its owners, for notifications): moderators not included."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT a.* FROM accounts a JOIN editors e ON e.account_id = a.id "
                "WHERE e.cluster_id = ? AND a.revoked_at IS NULL ORDER BY a.email",
                (cluster_id,),
            ).fetchall()
            return [self._account(db, row) for row in rows]

    def revoke(self, email: str) -> Account:
        """Revoke an account and every token it has; its history keeps its name."""
        account = self.by_email(email)
        if account is None:
            raise NotFound(f"no account for {email}")
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE accounts SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", (now(), account.id))
            db.execute(
                "UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE account_id = ?", (now(), account.id)
            )
            db.execute("COMMIT")
        return self.get(account.id)

    def add_editor(self, account_id: str, cluster_id: str, granted_by: str) -> Account:
        with self._connect() as db:
            db.execute("INSERT OR IGNORE INTO editors VALUES (?, ?, ?, ?)", (account_id, cluster_id, granted_by, now()))
            roles = db.execute("SELECT roles FROM accounts WHERE id = ?", (account_id,)).fetchone()["roles"].split(",")
            if "editor" not in roles:
                db.execute(
                    "UPDATE accounts SET roles = ? WHERE id = ?",
                    (",".join(sorted({*roles, "editor"} - {""})), account_id),
                )
        return self.get(account_id)

    def new_token(self, account_id: str, *, kind: str = "api", hours: float | None = None) -> NewToken:
        token = make_token()
        expires = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat(timespec="seconds") if hours else None
        with self._connect() as db:
            self._insert_token(db, account_id, token, kind, expires)
        return token

    def bind_subject(self, account_id: str, subject: str) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE accounts SET oidc_subject = ? WHERE id = ? AND oidc_subject IS NULL", (subject, account_id)
            )

    def by_subject(self, subject: str) -> Account | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM accounts WHERE oidc_subject = ?", (subject,)).fetchone()
            return self._account(db, row) if row else None

    # -- backups ----------------------------------------------------------------

    def backup_to(self, destination: Path) -> Path:
        """A consistent copy of the accounts (SQLite's online backup), owner-only, beside a graph backup."""
        with self._connect() as db, sqlite3.connect(destination) as copy:
            db.backup(copy)
        os.chmod(destination, 0o600)
        return destination

    def restore_from(self, source: Path) -> None:
        """Replace the accounts by a copy that `backup_to` wrote."""
        with sqlite3.connect(source) as copy, self._connect() as db:
            copy.backup(db)

    # -- requests ---------------------------------------------------------------

    def principal(self, token_text: str | None, *, via: str = "token") -> Principal | None:
        """The principal a token speaks for; None when the token is unknown, revoked, expired or malformed."""
        if not token_text:
            return None
        token_id = token_id_of(token_text)
        if token_id is None:
            return None
        with self._connect() as db:
            row = db.execute(
                "SELECT t.secret_hash, t.expires_at, t.revoked_at AS token_revoked, a.* FROM tokens t "
                "JOIN accounts a ON a.id = t.account_id WHERE t.id = ?",
                (token_id,),
            ).fetchone()
            if row is None or row["token_revoked"] or row["revoked_at"]:
                return None
            if row["expires_at"] and row["expires_at"] < now():
                return None
            if not self.verifier.verify(token_text, row["secret_hash"]):
                return None
            return Principal(self._account(db, row), via)

    def end_session(self, token_text: str) -> None:
        token_id = token_id_of(token_text)
        if token_id:
            with self._connect() as db:
                db.execute("UPDATE tokens SET revoked_at = ? WHERE id = ? AND kind = 'session'", (now(), token_id))
