"""Events, who attends them, and the meetings held there: the history partner search counts as ties.

    events      (:Event {id, name, start, end, city, nuts, organiser}) placed by NUTS code or country + postcode
    attendance  (:Organisation|Cluster)-[:ATTENDS {role, offers, seeks, slots}]->(:Event)
    meetings    (:Meeting {slot, time, table, score, reasons})-[:BETWEEN]->(two parties), -[:AT]->(:Event);
                written by `clusterkg match event --event ID --commit`, or loaded from a file of past meetings

A participant is an organisation or a cluster already in the graph (or in the
files loaded with it): attendance never invents one. An attendance file lists
every attendee of each event it names (like a cluster's members): loading it
again with a row less removes that attendance. Formats: docs/formats.md.
"""

from __future__ import annotations

from typing import Any

from clusterkg.loaders.context import Context, locate, resolve_competences
from clusterkg.loaders.kinds import given
from clusterkg.loaders.plan import WritePlan
from clusterkg.loaders.records import AttendanceRecord, EventRecord, MeetingRecord
from clusterkg.validation import Checker, parse_slots


def check_event(record: EventRecord, ctx: Context, check: Checker, columns: set[str]) -> dict[str, Any] | None:
    place, located_by = (None, None)
    if record.nuts or record.postcode:
        place, located_by = locate(record.nuts, record.country, record.postcode, ctx, check)
    if check.failed:
        return None
    ctx.events.add(record.id)
    return {"record": record, "place": place, "located_by": located_by, "columns": columns}


def plan_events(items: list[dict[str, Any]]) -> WritePlan:
    plan = WritePlan("events")
    rows = []
    for item in items:
        r: EventRecord = item["record"]
        place = item["place"]
        rows.append(
            {
                "id": r.id,
                "name": r.name,
                "start": r.start,
                "end": r.end or r.start,
                "nuts": place.nuts if place else None,
                "country": place.country if place else r.country,
                "category": place.category if place else None,
                "nuts_source": item["located_by"],
                **given(
                    item,
                    {
                        "city": r.city,
                        "organiser": r.organiser,
                        "postcode": r.postcode,
                        "synthetic": r.synthetic,
                        "source": r.source,
                    },
                ),
            }
        )
    plan.nodes("Event", rows)
    plan.sync_ids(
        "LOCATED_IN",
        "Event",
        "Region",
        {i["record"].id: [i["place"].nuts] if i["place"] and i["place"].nuts else [] for i in items},
    )
    return plan


def _participant_label(participant_id: str, ctx: Context) -> str | None:
    if participant_id in ctx.clusters:
        return "Cluster"
    if participant_id in ctx.organisations:
        return "Organisation"
    return None


def check_attendance(
    record: AttendanceRecord, ctx: Context, check: Checker, columns: set[str]
) -> dict[str, Any] | None:
    if record.event_id not in ctx.events:
        check.error("event_id", record.event_id, "no such event in the graph or in the files loaded with it")
    label = _participant_label(record.participant_id, ctx)
    if label is None:
        check.error(
            "participant_id",
            record.participant_id,
            "neither an organisation nor a cluster of the graph (load it as a member or a cluster first)",
        )
    if record.available_slots:
        try:
            parse_slots(record.available_slots)
        except ValueError as exc:
            check.error("available_slots", record.available_slots, str(exc))
    offers = resolve_competences(record.offers, ctx, check, "offers")
    seeks = resolve_competences(record.seeks, ctx, check, "seeks")
    if check.failed:
        return None
    return {"record": record, "label": label, "offers": offers, "seeks": seeks, "columns": columns}


def plan_attendance(items: list[dict[str, Any]]) -> WritePlan:
    """ATTENDS into each event the file names: its rows are the event's whole list of attendees (like a cluster's members).

    The competence names are kept as written (attendee files give names), with the role and the slots."""
    plan = WritePlan("attendance")
    events = sorted({i["record"].event_id for i in items})
    for label in ("Organisation", "Cluster"):
        attendees: dict[str, list[dict[str, Any]]] = {event_id: [] for event_id in events}
        for item in items:
            if item["label"] == label:
                r: AttendanceRecord = item["record"]
                props = {"role": r.role, "offers": r.offers, "seeks": r.seeks, "slots": r.available_slots}
                attendees[r.event_id].append({"id": r.participant_id, "props": props})
        plan.sync(
            "ATTENDS", "Event", label, [{"anchor": e, "targets": t} for e, t in attendees.items()], outgoing=False
        )
    return plan


def check_meeting(record: MeetingRecord, ctx: Context, check: Checker, columns: set[str]) -> dict[str, Any] | None:
    if record.event_id not in ctx.events:
        check.error("event_id", record.event_id, "no such event in the graph or in the files loaded with it")
    labels = {}
    for field_name in ("participant_a", "participant_b"):
        participant = getattr(record, field_name)
        labels[participant] = _participant_label(participant, ctx)
        if labels[participant] is None:
            check.error(field_name, participant, "neither an organisation nor a cluster of the graph")
    if check.failed:
        return None
    return {"record": record, "labels": labels, "columns": columns}


def plan_meetings(items: list[dict[str, Any]]) -> WritePlan:
    plan = WritePlan("meetings")
    rows = []
    for item in items:
        r: MeetingRecord = item["record"]
        rows.append(
            {
                "id": r.id,
                "event_id": r.event_id,
                "slot": r.slot,
                **given(
                    item,
                    {
                        "time": r.time,
                        "table": r.table,
                        "score": r.score,
                        "reasons": r.reasons,
                        "synthetic": r.synthetic,
                        "source": r.source,
                    },
                ),
            }
        )
    plan.nodes("Meeting", rows)
    plan.sync_ids("AT", "Meeting", "Event", {i["record"].id: [i["record"].event_id] for i in items})
    for label in ("Organisation", "Cluster"):
        parties = {
            i["record"].id: [
                p for p in (i["record"].participant_a, i["record"].participant_b) if i["labels"][p] == label
            ]
            for i in items
        }
        plan.sync_ids("BETWEEN", "Meeting", label, parties)
    return plan
