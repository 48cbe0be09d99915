"""Delivery of the outbox over SMTP (aiosmtplib), with retries that never hold up a request.

    CLUSTERKG_SMTP_URL     smtp://[user:password@]host[:port]  (smtps:// for TLS from the start;
                           ?starttls=true to require STARTTLS). Unset: messages stay in the outbox.
    CLUSTERKG_MAIL_FROM    the From address (default clusterkg@localhost)
    CLUSTERKG_SMTP_RETRY_S the first retry's delay in seconds (default 30; doubled each attempt, at most an hour)

The courier runs beside the server (clusterkg.web.app's lifespan): it wakes
when a request queues a message, or every few seconds, and sends what is due.
A send that fails (server down, refused) is tried again later; after
MAX_ATTEMPTS the message is marked failed and `clusterkg outbox --retry`
queues it again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from clusterkg.errors import ConfigError
from clusterkg.notify.outbox import Outbox, Queued

log = logging.getLogger("clusterkg.notify")
MAX_DELAY = dt.timedelta(hours=1)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    start_tls: bool | None = None  # None: STARTTLS when the server offers it
    sender: str = "clusterkg@localhost"
    retry_seconds: float = 30.0
    timeout_s: float = 20.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """The settings, or None when no SMTP server is configured (messages stay in the outbox)."""
        env = os.environ if env is None else env
        url = env.get("CLUSTERKG_SMTP_URL", "").strip()
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError(f"CLUSTERKG_SMTP_URL={url!r}: expected smtp://[user:password@]host[:port] or smtps://…")
        query = parse_qs(parts.query)
        retry = env.get("CLUSTERKG_SMTP_RETRY_S", "30").strip() or "30"
        try:
            retry_seconds = float(retry)
            port = parts.port
        except ValueError:
            raise ConfigError(
                f"CLUSTERKG_SMTP_URL or CLUSTERKG_SMTP_RETRY_S is not a number: {url!r}, {retry!r}"
            ) from None
        return cls(
            host=parts.hostname,
            port=port or (465 if parts.scheme == "smtps" else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=parts.scheme == "smtps",
            start_tls=True if query.get("starttls", [""])[0].lower() in ("1", "true", "yes") else None,
            sender=env.get("CLUSTERKG_MAIL_FROM", "").strip() or "clusterkg@localhost",
            retry_seconds=retry_seconds,
        )

    def delay(self, attempts: int) -> dt.timedelta:
        return min(dt.timedelta(seconds=self.retry_seconds * 2**attempts), MAX_DELAY)


def email_of(message: Queued, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Message-ID"] = f"<clusterkg-{message.id}-{message.key.replace(':', '.')}@{sender.rsplit('@', 1)[-1]}>"
    mail.set_content(message.body)
    return mail


async def deliver_due(outbox: Outbox, smtp: SmtpSettings, limit: int = 50) -> dict[str, int]:
    """Send the messages that are due; counts of sent, retried and failed (given up)."""
    counts = {"sent": 0, "retried": 0, "failed": 0}
    for message in await asyncio.to_thread(outbox.due, limit):
        try:
            await aiosmtplib.send(
                email_of(message, smtp.sender),
                hostname=smtp.host,
                port=smtp.port,
                username=smtp.username,
                password=smtp.password,
                use_tls=smtp.use_tls,
                start_tls=smtp.start_tls,
                timeout=smtp.timeout_s,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            status = await asyncio.to_thread(
                outbox.mark_failed, message.id, f"{type(exc).__name__}: {exc}", smtp.delay(message.attempts)
            )
            counts["failed" if status == "failed" else "retried"] += 1
            log.warning("message %s to %s not sent (%s): %s", message.id, message.recipient, status, exc)
            continue
        await asyncio.to_thread(outbox.mark_sent, message.id)
        counts["sent"] += 1
    return counts


class Courier:
    """Delivers the outbox in the background: woken by `poke()` when a request queues mail, else every `interval`."""

    def __init__(self, outbox: Outbox, smtp: SmtpSettings, interval: float = 5.0) -> None:
        self.outbox = outbox
        self.smtp = smtp
        self.interval = interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def poke(self) -> None:
        """Deliver now: safe from any thread (requests queue mail from worker threads)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = self._loop.create_task(self._run(), name="clusterkg-courier")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def _run(self) -> None:
        while True:
            try:
                await deliver_due(self.outbox, self.smtp)
            except Exception:  # a broken outbox file must not end the courier: logged, tried again
                log.exception("the courier could not read the outbox")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=min(self.interval, self.smtp.retry_seconds))
            except TimeoutError:
                pass
            self._wake.clear()
