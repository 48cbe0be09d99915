"""What a server runs beside its requests for the postings: the courier, the expiry sweep, and the start-up repair.

    CLUSTERKG_PUBLIC_URL       the address people open the explorer at, for links in e-mails
                               (default http://127.0.0.1:8000)
    CLUSTERKG_EXPIRY_SWEEP_S   how often published postings past their deadline are written EXPIRED
                               (default 3600; reads count them expired in between)

At start, accepted interests whose tie a crash kept from the graph get it
(clusterkg.postings.interests.reconcile_ties). SMTP settings: clusterkg.notify.smtp.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

from anyio import to_thread

from clusterkg.accounts.store import AccountStore
from clusterkg.errors import ClusterKGError, ConfigError
from clusterkg.graph.store import GraphStore
from clusterkg.notify.outbox import Outbox
from clusterkg.notify.smtp import Courier, SmtpSettings
from clusterkg.postings.interests import reconcile_ties
from clusterkg.postings.notices import Notices
from clusterkg.postings.private import PrivateStore
from clusterkg.postings.service import expire_due

log = logging.getLogger("clusterkg.postings")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def sweep_seconds() -> float:
    text = os.environ.get("CLUSTERKG_EXPIRY_SWEEP_S", "3600").strip() or "3600"
    try:
        return max(float(text), 1.0)
    except ValueError:
        raise ConfigError(f"CLUSTERKG_EXPIRY_SWEEP_S={text!r}: a number of seconds is needed") from None


async def _sweep(store: GraphStore, notices: Notices, every: float) -> None:
    while True:
        try:
            expired = await to_thread.run_sync(lambda: expire_due(store, notices=notices))
            if expired:
                log.info("%d posting(s) expired", len(expired))
        except ClusterKGError as exc:  # a read-only engine, or one that is down: tried again later
            log.warning("the expiry sweep could not write: %s", exc)
        await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def postings_runtime(store: GraphStore, accounts: AccountStore, data_dir: Path) -> AsyncIterator[Notices]:
    """The private store and the notices for the requests; the courier and the sweep while the server runs."""
    private = PrivateStore(data_dir)
    outbox = Outbox(data_dir)
    smtp = SmtpSettings.from_env()
    courier = Courier(outbox, smtp) if smtp is not None else None
    notices = Notices(
        accounts,
        outbox,
        private,
        os.environ.get("CLUSTERKG_PUBLIC_URL", "").strip() or DEFAULT_PUBLIC_URL,
        courier.poke if courier is not None else (lambda: None),
    )
    try:
        repaired = await to_thread.run_sync(lambda: reconcile_ties(store, private))
        if repaired:
            log.warning("wrote the ties of %d accepted interest(s) a crash had kept from the graph", repaired)
    except ClusterKGError as exc:
        log.warning("could not check the ties of accepted interests: %s", exc)
    if courier is not None:
        courier.start()
    sweeper = asyncio.get_running_loop().create_task(_sweep(store, notices, sweep_seconds()), name="clusterkg-expiry")
    try:
        yield notices
    finally:
        sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeper
        if courier is not None:
            await courier.stop()
