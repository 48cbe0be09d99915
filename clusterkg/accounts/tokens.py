"""Bearer tokens: made at random, shown once, kept as an argon2 hash.

A token reads `ckg_<id>_<secret>`: the id finds its row (argon2 hashes are
salted, so a token cannot be looked up by its hash), the secret is checked
against the hash. Checking argon2 costs tens of milliseconds by design, so a
process remembers, for a minute, the SHA-256 of tokens it has already checked
(never the token itself); a revoked token is refused at once all the same,
because its row is read on every request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PREFIX = "ckg"
TOKEN_PATTERN = re.compile(r"^ckg_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")
VERIFIED_FOR_S = 60.0
_hasher = PasswordHasher()


@dataclass(frozen=True)
class NewToken:
    """A token as made: `text` is shown to its owner once and never stored."""

    id: str
    text: str
    secret_hash: str


def make_token() -> NewToken:
    token_id = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
    secret = secrets.token_urlsafe(32)
    return NewToken(token_id, f"{PREFIX}_{token_id}_{secret}", _hasher.hash(secret))


def token_id_of(text: str) -> str | None:
    """The id part of a well-formed token, or None for anything else."""
    match = TOKEN_PATTERN.match(text.strip())
    return match.group(1) if match else None


class Verifier:
    """Checks a token's secret against its stored hash, remembering recent successes by digest."""

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def verify(self, text: str, secret_hash: str) -> bool:
        match = TOKEN_PATTERN.match(text.strip())
        if match is None:
            return False
        digest = hashlib.sha256(f"{secret_hash}\n{text}".encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            if self._seen.get(digest, 0.0) > now:
                return True
        try:
            _hasher.verify(secret_hash, match.group(2))
        except (VerificationError, InvalidHashError):
            return False
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
            self._seen[digest] = now + VERIFIED_FOR_S
        return True
