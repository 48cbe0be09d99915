"""Events as a process: attendees ask to meet, accept or decline, mark must-meet or no-thanks, and rate afterwards.

An attendee is an organisation or a cluster that ATTENDS the event; the
editors of its cluster (or of the clusters an organisation is a member of)
act for it. Requests and marks feed the schedule (clusterkg.programme.schedule);
ratings, after the event has begun, stay with the Meeting that partner search
already reads as "met before".
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from clusterkg import queries
from clusterkg.accounts.principal import Principal
from clusterkg.changes.fields import text_field
from clusterkg.errors import Conflict, FieldErrors, NotFound
from clusterkg.graph.store import GraphStore
from clusterkg.programme import states
from clusterkg.programme.acting import require_for_party
from clusterkg.programme.applications import now

MARKS = ("MUST_MEET", "NO_THANKS")
MESSAGE_LIMIT = 500


def process_items(store: GraphStore, event_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in queries.run(store, "event_process", {"event_id": event_id}).rows]


def _request(store: GraphStore, request_id: str) -> dict[str, Any]:
    rows = queries.run(store, "entities_by_id", {"ids": [request_id]}, labels={"label": "MeetingRequest"}).rows
    if not rows:
        raise NotFound(f"no meeting request has the id '{request_id}'")
    return dict(rows[0]["node"])


def request_meeting(
    store: GraphStore, principal: Principal, event_id: str, from_id: str, to_id: str, message: str | None = None
) -> dict[str, Any]:
    account = require_for_party(store, principal, from_id)
    if from_id == to_id:
        raise FieldErrors({"toId": "an attendee does not ask itself to a meeting"})
    try:
        text = text_field(MESSAGE_LIMIT)(message)
    except ValueError as exc:
        raise FieldErrors({"message": str(exc)}) from None
    request = {
        "id": f"req-{uuid.uuid4().hex[:12]}",
        "event_id": event_id,
        "from_id": from_id,
        "to_id": to_id,
        "status": "PENDING",
        "message": text,
        "at": now(),
        "by": account.id,
    }
    stats = queries.write(store, "meeting_request_create", {"request": request, "graph_revision": uuid.uuid4().hex})
    if not stats.returned:
        open_requests = [
            r
            for r in process_items(store, event_id)
            if r["kind"] == "request"
            and (r["a"], r["b"]) == (from_id, to_id)
            and r["status"] in ("PENDING", "ACCEPTED")
        ]
        if open_requests:
            raise Conflict(
                f"'{from_id}' asked '{to_id}' already (the request is {open_requests[0]['status']})",
                current=open_requests[0]["status"],
            )
        raise NotFound(f"'{from_id}' and '{to_id}' do not both attend event '{event_id}'")
    return _request(store, request["id"])


def decide_request(store: GraphStore, principal: Principal, request_id: str, accept: bool) -> dict[str, Any]:
    principal.require()  # who asks comes first: the public learns nothing of which ids exist
    request = _request(store, request_id)
    account = require_for_party(store, principal, request["to_id"])
    status = "ACCEPTED" if accept else "DECLINED"
    states.check_move("meeting request", request_id, request["status"], status)
    stats = queries.write(
        store,
        "meeting_request_decide",
        {"id": request_id, "status": status, "by": account.id, "at": now(), "graph_revision": uuid.uuid4().hex},
    )
    if not stats.returned:
        raise states.refuse("meeting request", request_id, _request(store, request_id)["status"], status)
    return _request(store, request_id)


def mark(store: GraphStore, principal: Principal, event_id: str, from_id: str, to_id: str, value: str | None) -> None:
    """MUST_MEET, NO_THANKS, or None (no mark): what `from_id` thinks of meeting `to_id` at the event."""
    require_for_party(store, principal, from_id)
    if value is not None and value not in MARKS:
        raise FieldErrors({"mark": f"one of {', '.join(MARKS)}, or null to remove it"})
    if from_id == to_id:
        raise FieldErrors({"toId": "an attendee does not mark itself"})
    stats = queries.write(
        store,
        "mark_set",
        {
            "event_id": event_id,
            "from_id": from_id,
            "to_id": to_id,
            "mark": value,
            "at": now(),
            "graph_revision": uuid.uuid4().hex,
        },
    )
    if not stats.returned:
        raise NotFound(f"'{from_id}' and '{to_id}' do not both attend event '{event_id}'")


def rate_meeting(
    store: GraphStore,
    principal: Principal,
    meeting_id: str,
    party_id: str,
    rating: int,
    follow_up: bool,
    day: dt.date | None = None,
) -> dict[str, Any]:
    """One side's rating of a meeting it had (1-5, a follow-up planned or not), once, after the event began."""
    account = require_for_party(store, principal, party_id)
    rows = queries.run(store, "meeting_parties", {"id": meeting_id}).rows
    if not rows:
        raise NotFound(f"no meeting has the id '{meeting_id}'")
    if party_id not in {r["party"] for r in rows}:
        raise FieldErrors({"partyId": f"'{party_id}' was not in meeting '{meeting_id}'"})
    if isinstance(rating, bool) or not 1 <= rating <= 5:
        raise FieldErrors({"rating": f"from 1 to 5, not {rating}"})
    start = rows[0]["start"]
    today = day or dt.datetime.now(dt.UTC).date()
    if start and start[:10] > today.isoformat():
        raise Conflict(
            f"the event of meeting '{meeting_id}' begins on {start[:10]}: rate it afterwards", current="SCHEDULED"
        )
    mine = [r for r in rows if r["party"] == party_id and r["rating"] is not None]
    if mine:
        raise Conflict(f"'{party_id}' rated meeting '{meeting_id}' already ({mine[0]['rating']})", current="RATED")
    stats = queries.write(
        store,
        "meeting_rate",
        {
            "meeting_id": meeting_id,
            "party_id": party_id,
            "rating": rating,
            "follow_up": follow_up,
            "by": account.id,
            "at": now(),
            "graph_revision": uuid.uuid4().hex,
        },
    )
    if not stats.returned:
        raise Conflict(f"'{party_id}' rated meeting '{meeting_id}' already", current="RATED")
    return {"meeting_id": meeting_id, "party_id": party_id, "rating": rating, "follow_up": follow_up}
