"""`clusterkg outbox`: the notification e-mails kept in the data dir, and their delivery.

Where no SMTP server is configured (CLUSTERKG_SMTP_URL unset), messages stay
here as pending: this lists them. `--send` delivers what is due now over the
configured server; `--retry` gives failed messages a new set of attempts.
"""

from __future__ import annotations

import asyncio
import json

import typer
from rich.table import Table

from clusterkg.cli.support import out
from clusterkg.errors import ConfigError
from clusterkg.notify.outbox import STATUSES, Outbox
from clusterkg.notify.smtp import SmtpSettings, deliver_due
from clusterkg.settings import Settings


def outbox_command(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--status", help=f"Only messages of one status: {', '.join(STATUSES)}."),
    to: str | None = typer.Option(None, "--to", help="Only messages to this address."),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="At most this many messages, newest first."),
    body: bool = typer.Option(False, "--body", help="Print each message's text too."),
    as_json: bool = typer.Option(False, "--json", help="Print the messages as JSON lines."),
    send: bool = typer.Option(False, "--send", help="Deliver the due messages now over CLUSTERKG_SMTP_URL."),
    retry: bool = typer.Option(
        False, "--retry", help="Make failed messages pending again (then --send, or the server)."
    ),
) -> None:
    """List the notification e-mails (new interests, decisions, followed postings, saved searches) and deliver them."""
    settings: Settings = ctx.obj
    if status is not None and status not in STATUSES:
        raise ConfigError(f"--status must be one of {', '.join(STATUSES)}, not '{status}'")
    outbox = Outbox(settings.data_dir)
    if retry:
        out.print(f"{outbox.retry()} failed message(s) pending again")
    if send:
        smtp = SmtpSettings.from_env()
        if smtp is None:
            raise ConfigError("no SMTP server is configured: set CLUSTERKG_SMTP_URL=smtp://host:port to send")
        counts = asyncio.run(deliver_due(outbox, smtp, limit=limit))
        out.print(f"sent {counts['sent']}, to be retried {counts['retried']}, given up {counts['failed']}")
    messages = outbox.list(status, to, limit)  # type: ignore[arg-type,unused-ignore]  # checked above
    if as_json:
        for m in messages:
            print(json.dumps(m.__dict__, ensure_ascii=False))
        return
    counts = outbox.counts()
    out.print(
        f"outbox {outbox.path}: {counts['pending']} pending, {counts['sent']} sent, {counts['failed']} failed"
        + ("" if SmtpSettings.from_env() else " (no SMTP server configured: messages are kept here)")
    )
    table = Table("id", "status", "to", "subject", "queued", "attempts", "last error")
    for m in messages:
        table.add_row(
            str(m.id), m.status, m.recipient, m.subject, m.created_at[:19], str(m.attempts), m.last_error or ""
        )
    out.print(table)
    if body:
        for m in messages:
            out.print(f"\n[bold]#{m.id} to {m.recipient}: {m.subject}[/bold]\n{m.body}", highlight=False)
