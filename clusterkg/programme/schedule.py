"""An event's schedule as a process: the existing scheduler, told what the attendees asked for.

- NO_THANKS marks and declined requests: the pair never meets (the scheduler's `avoids`).
- MUST_MEET marks and accepted requests: the pair is wanted, and wanted pairs come first
  (the scheduler's `wants`, whose bonus outweighs any other pair).
- Meetings of accepted requests are fixed once scheduled: running the schedule again keeps
  them at their slot and table (their slots are taken out of the two attendees' availability),
  and only the rest is planned anew.

An accepted request the schedule could not place (no free slot in common) is reported. An event
that has begun is not planned again: its meetings are history (ratings, "met before").
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import replace
from typing import Any

from clusterkg import queries
from clusterkg.accounts.principal import Principal
from clusterkg.errors import Conflict
from clusterkg.events.attendees import attendees_of_event
from clusterkg.events.model import EventSettings
from clusterkg.events.plan import plan_event
from clusterkg.graph.store import GraphStore
from clusterkg.jobs.inputs import rows_from_dicts
from clusterkg.jobs.records import AttendeeRecord
from clusterkg.programme.applications import now
from clusterkg.programme.meetings import process_items


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def schedule_event(
    store: GraphStore, principal: Principal, event_id: str, settings: EventSettings, day: dt.date | None = None
) -> dict[str, Any]:
    """Plan the event's meetings again (a programme officer: the moderator role); what was kept, made and missed."""
    principal.require_role("moderator")
    event = queries.run(store, "entities_by_id", {"ids": [event_id]}, labels={"label": "Event"}).rows
    begins = str(event[0]["node"].get("start") or "")[:10] if event else ""
    today = (day or dt.datetime.now(dt.UTC).date()).isoformat()
    if begins and begins <= today:
        raise Conflict(f"event '{event_id}' began on {begins}: its meetings are history, not a plan", current="HELD")
    items = attendees_of_event(store, event_id)
    process = process_items(store, event_id)
    wants: dict[str, set[str]] = defaultdict(set)
    avoids: dict[str, set[str]] = defaultdict(set)
    accepted: dict[tuple[str, str], str] = {}
    for row in process:
        a, b = row["a"], row["b"]
        if row["kind"] == "mark":
            (wants if row["status"] == "MUST_MEET" else avoids)[a].add(b)
        elif row["kind"] == "request" and row["status"] == "ACCEPTED":
            wants[a].add(b)
            accepted[_pair(a, b)] = row["id"]
        elif row["kind"] == "request" and row["status"] == "DECLINED":
            avoids[b].add(a)
    fixed = [r for r in process if r["kind"] == "meeting" and r["fixed"]]
    taken: dict[str, set[int]] = defaultdict(set)
    tables_used: dict[int, set[int]] = defaultdict(set)
    for kept in fixed:
        taken[kept["a"]].add(int(kept["slot"]))
        taken[kept["b"]].add(int(kept["slot"]))
        tables_used[int(kept["slot"])].add(int(kept["table_no"]))
        avoids[kept["a"]].add(kept["b"])  # it is in the schedule already
    fixed_pairs = {_pair(m["a"], m["b"]) for m in fixed}
    all_slots = list(range(1, settings.slots + 1))
    for item in items:
        party = item["attendee_id"]
        item["wants"] = sorted(w for w in wants[party] if _pair(party, w) not in fixed_pairs)
        item["avoids"] = sorted(avoids[party])
        if taken[party]:
            slots = item.get("available_slots") or all_slots
            item["available_slots"] = [s for s in slots if s not in taken[party]] or None
            limit = item.get("max_meetings") or settings.max_meetings or settings.slots
            item["max_meetings"] = max(limit - len(taken[party]), 0)
            if not item["available_slots"]:
                item["available_slots"], item["max_meetings"] = [1], 0
    busiest = max((len(t) for t in tables_used.values()), default=0)
    run_settings = replace(settings, tables=max(settings.tables - busiest, 1))
    rows, warnings = rows_from_dicts(items, AttendeeRecord, "attendee_id", f"event {event_id}")
    plan = plan_event(store, rows, run_settings, warnings=warnings, event_id=event_id)

    meetings: list[dict[str, Any]] = []
    free_tables: dict[int, list[int]] = {}
    for meeting in sorted(plan.meetings, key=lambda m: (m.slot, m.table)):
        a, b = plan.attendees[meeting.pair.a], plan.attendees[meeting.pair.b]
        if not (a.graph_id and b.graph_id):
            continue
        pool = free_tables.setdefault(
            meeting.slot, [t for t in range(1, settings.tables + 1) if t not in tables_used[meeting.slot]]
        )
        request = accepted.get(_pair(a.graph_id, b.graph_id))
        meetings.append(
            {
                "id": f"{event_id}-m-{uuid.uuid4().hex[:10]}",
                "from_id": a.graph_id,
                "to_id": b.graph_id,
                "slot": meeting.slot,
                "time": meeting.time,
                "table": pool.pop(0),
                "score": round(meeting.pair.score, 4),
                "reasons": meeting.pair.reasons,
                "request_id": request,
                "fixed": request is not None,
                "synthetic": a.synthetic or b.synthetic,
            }
        )
    scheduled = {_pair(m["from_id"], m["to_id"]) for m in meetings} | fixed_pairs
    stats = queries.write(
        store,
        "meetings_replace",
        {"event_id": event_id, "meetings": meetings, "graph_revision": uuid.uuid4().hex, "at": now()},
    )
    no_thanks = {_pair(r["a"], r["b"]) for r in process if r["kind"] == "mark" and r["status"] == "NO_THANKS"}
    return {
        "event_id": event_id,
        "meetings": len(meetings) + len(fixed),
        "made": int(stats.returned[0]["made"]) if stats.returned else 0,
        "kept": len(fixed),
        "must_meet_scheduled": sum(
            1
            for r in process
            if r["kind"] == "mark" and r["status"] == "MUST_MEET" and _pair(r["a"], r["b"]) in scheduled
        ),
        "no_thanks_scheduled": len(no_thanks & scheduled),
        "accepted_unscheduled": sorted(rid for pair, rid in accepted.items() if pair not in scheduled),
        "status": plan.report.status,
    }
