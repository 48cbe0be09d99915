"""An event's schedule end to end: attendees, candidate pairs, the solver, the reasons of each meeting."""

from __future__ import annotations

import time

from clusterkg.errors import ClusterKGError
from clusterkg.events.attendees import build_attendees, met_before
from clusterkg.events.model import EventPlan, EventSettings
from clusterkg.events.pairs import candidate_pairs
from clusterkg.events.solvers import schedule
from clusterkg.graph.store import GraphStore
from clusterkg.jobs.inputs import Row
from clusterkg.jobs.records import AttendeeRecord
from clusterkg.scoring.profiles import Taxonomy, explain_pair, reasons_text
from clusterkg.validation import Issue


def plan_event(
    store: GraphStore,
    rows: list[Row[AttendeeRecord]],
    settings: EventSettings,
    *,
    warnings: list[Issue] | None = None,
    event_id: str | None = None,
) -> EventPlan:
    """Score, choose and schedule the meetings of one event (`event_id`: the graph's event, whose own meetings are not "met before").

    `settings.time_limit_s` is for the whole job: scoring every pair, the bound and the solver."""
    deadline = time.perf_counter() + settings.time_limit_s
    settings.validate()
    if len(rows) < 2:
        raise ClusterKGError("an event needs at least two attendees")
    taxonomy = Taxonomy.from_graph(store)
    attendees, attendee_warnings = build_attendees(store, rows, settings, taxonomy)
    pairs = candidate_pairs(
        attendees,
        taxonomy,
        settings,
        met_before(store, attendees, event_id) if settings.met_before != "ignore" else frozenset(),
    )
    meetings, greedy, report, pruned = schedule(attendees, pairs, settings, deadline)
    for meeting in meetings + greedy:
        pair = meeting.pair
        if not pair.reasons:
            a, b = attendees[pair.a], attendees[pair.b]
            pair.reasons = reasons_text(explain_pair(a.profile, b.profile, taxonomy), a.name, b.name) or (
                "wanted" if pair.wanted else ""
            )
    plan = EventPlan(settings, attendees, pairs, meetings, report, greedy, (warnings or []) + attendee_warnings, pruned)
    for pair in plan.recommended():
        if not pair.reasons:
            a, b = attendees[pair.a], attendees[pair.b]
            pair.reasons = reasons_text(explain_pair(a.profile, b.profile, taxonomy), a.name, b.name)
    return plan
