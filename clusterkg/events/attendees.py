"""Attendee rows -> attendees with profiles: graph organisations and clusters scored with the graph's offers, others with the file's."""

from __future__ import annotations

from typing import Any

from clusterkg import queries
from clusterkg.errors import ClusterKGError
from clusterkg.events.model import Attendee, EventSettings
from clusterkg.graph.store import GraphStore
from clusterkg.jobs.inputs import InvalidInput, Row, locate_rows, resolve_terms
from clusterkg.jobs.records import AttendeeRecord
from clusterkg.scoring.profiles import PartyProfile, Profile, Taxonomy, graph_profiles
from clusterkg.validation import Issue, fold


def build_attendees(
    store: GraphStore, rows: list[Row[AttendeeRecord]], settings: EventSettings, taxonomy: Taxonomy
) -> tuple[list[Attendee], list[Issue]]:
    """Attendees with their profiles; InvalidInput for rows that reference what does not exist."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    ids = {r.record.attendee_id for r in rows}
    organisations = graph_profiles(
        store, "Organisation", [r.record.organisation_id for r in rows if r.record.organisation_id]
    )
    clusters = graph_profiles(store, "Cluster", [r.record.cluster_id for r in rows if r.record.cluster_id])
    places = locate_rows(store, rows, errors, warnings)
    attendees = []
    for row, place in zip(rows, places):
        record = row.record
        for field_name, refs in (("wants", record.wants), ("avoids", record.avoids)):
            for ref in refs:
                if ref not in ids:
                    errors.append(row.issue(field_name, ref, "no attendee has this attendee_id"))
                elif ref == record.attendee_id:
                    errors.append(row.issue(field_name, ref, "an attendee cannot list itself"))
        late = [s for s in record.available_slots or [] if s > settings.slots]
        if late:
            errors.append(
                row.issue("available_slots", ",".join(map(str, late)), f"the event has {settings.slots} slots")
            )
        linked: PartyProfile | None = None
        graph_id = (
            record.organisation_id
            if record.organisation_id in organisations
            else record.cluster_id
            if record.cluster_id in clusters
            else None
        )
        if record.organisation_id:
            linked = organisations.get(record.organisation_id)
            scored_with = f"graph organisation {record.organisation_id}"
            if linked is None:
                warnings.append(
                    row.issue(
                        "organisation_id",
                        record.organisation_id,
                        "not in the graph: scored with the file's offers and seeks",
                        "warning",
                    )
                )
        if linked is None and record.cluster_id:
            linked = clusters.get(record.cluster_id)
            scored_with = f"graph cluster {record.cluster_id}"
            if linked is None:
                warnings.append(
                    row.issue(
                        "cluster_id",
                        record.cluster_id,
                        "not in the graph: scored with the file's offers and seeks",
                        "warning",
                    )
                )
        if linked is not None and (linked.offers or linked.seeks):
            offers, seeks = set(linked.offers), set(linked.seeks)
        else:
            scored_with = "file"
            offers = set(resolve_terms(taxonomy, record.offers, row, "offers", warnings))
            seeks = set(resolve_terms(taxonomy, record.seeks, row, "seeks", warnings))
        if not offers and not seeks:
            warnings.append(
                row.issue("offers", None, "no offers and no seeks: only meetings it wants or is wanted for", "warning")
            )
        attendees.append(
            Attendee(
                id=record.attendee_id,
                name=record.name,
                organisation=record.organisation
                or (linked.name if linked else None)
                or record.organisation_id
                or record.name,
                kind=record.kind or (linked.kind if linked else None),
                country=(place.country if place else None) or record.country or (linked.country if linked else None),
                region=place.nuts if place else None,
                region_category=place.category if place else None,
                profile=Profile(record.attendee_id, frozenset(offers), frozenset(seeks)),
                slots=frozenset(record.available_slots or range(1, settings.slots + 1)),
                max_meetings=record.max_meetings
                if record.max_meetings is not None
                else (settings.max_meetings if settings.max_meetings is not None else settings.slots),
                wants=frozenset(record.wants),
                avoids=frozenset(record.avoids),
                scored_with=scored_with,
                synthetic=record.synthetic,
                graph_id=graph_id,
            )
        )
    if errors:
        raise InvalidInput(errors)
    return attendees, warnings


def organisation_key(attendee: Attendee) -> str:
    return fold(attendee.organisation)


def met_before(store: GraphStore, attendees: list[Attendee], event_id: str | None = None) -> frozenset[tuple[int, int]]:
    """Pairs of attendees (indexes, i < j) whose organisations or clusters met at another event (Meeting nodes).

    Meetings at `event_id` itself are this schedule's own, committed by an earlier run: planning again must not avoid them."""
    position = {a.graph_id: i for i, a in enumerate(attendees) if a.graph_id}
    rows = queries.run(store, "met_pairs", {"ids": sorted(position), "event_id": event_id}).rows
    pairs = ((position[r["a"]], position[r["b"]]) for r in rows)
    return frozenset((min(a, b), max(a, b)) for a, b in pairs)


def attendees_of_event(store: GraphStore, event_id: str) -> list[dict[str, Any]]:
    """The attendees of an Event in the graph, as attendee rows (offers/seeks of the attendance, if any)."""
    if not queries.run(store, "existing_ids", {"ids": [event_id]}, labels={"label": "Event"}).rows:
        raise ClusterKGError(f"no event has the id '{event_id}'")
    rows = queries.run(store, "event_attendees", {"event_id": event_id}).rows
    if not rows:
        raise ClusterKGError(f"event '{event_id}' has no attendees (ATTENDS relationships) in the graph")
    return rows
