"""An exchange after the match: done with a short report, or cancelled with a reason, by either cluster's editors."""

from __future__ import annotations

import uuid
from typing import Any

from clusterkg import queries
from clusterkg.accounts.principal import Principal
from clusterkg.changes.fields import text_field
from clusterkg.errors import FieldErrors, Forbidden, NotFound
from clusterkg.graph.store import GraphStore
from clusterkg.programme import states
from clusterkg.programme.applications import now

REPORT_LIMIT = 2000


def _parties(store: GraphStore, exchange_id: str) -> dict[str, Any]:
    rows = queries.run(store, "exchange_parties", {"id": exchange_id}).rows
    if not rows:
        raise NotFound(f"no exchange has the id '{exchange_id}'")
    return dict(rows[0])


def close_exchange(
    store: GraphStore, principal: Principal, exchange_id: str, done: bool, text: str | None
) -> dict[str, Any]:
    """`done`: completed with `text` as its report (required); else cancelled with `text` as the reason."""
    account = principal.require()  # who asks comes first: the public learns nothing of which ids exist
    exchange = _parties(store, exchange_id)
    if not any(account.edits(c) for c in (exchange["sending_cluster_id"], exchange["host_cluster_id"]) if c):
        raise Forbidden(f"{account.email} edits neither cluster of exchange '{exchange_id}'")
    status = "completed" if done else "cancelled"
    try:
        checked = text_field(REPORT_LIMIT, required=done)(text)
    except ValueError as exc:
        raise FieldErrors({"report" if done else "reason": str(exc)}) from None
    states.check_move("exchange", exchange_id, exchange["status"], status)
    stats = queries.write(
        store,
        "exchange_close",
        {
            "id": exchange_id,
            "from": states.sources(states.EXCHANGE, status),
            "status": status,
            "report": checked,
            "at": now(),
            "graph_revision": uuid.uuid4().hex,
        },
    )
    if not stats.returned:
        raise states.refuse("exchange", exchange_id, _parties(store, exchange_id)["status"], status)
    return _parties(store, exchange_id)
