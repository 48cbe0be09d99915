"""The programme over GraphQL: ClusterXchange applications, host offers and matches, meeting requests, and the
figures of calls and events. Thin: the steps and their rules are clusterkg.programme's.

What a signed-in account sees of applications, offers and matches: a
moderator (a programme officer) all of a call's; an editor those of the
clusters it edits (sending or host). The public sees the figures only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from clusterkg.errors import NotFound
from clusterkg.graphql.explorer import FileDownload, TableFormat, table_file
from clusterkg.graphql.types import Call, CallProgressFigures, check_page, ctx
from clusterkg.programme.applications import items
from clusterkg.programme.progress import MEASURES, call_progress, event_progress


@strawberry.type(
    description="A ClusterXchange application: SUBMITTED, VALIDATED (by the coordinator), REJECTED, MATCHED or WITHDRAWN."
)
class ExchangeApplication:
    id: strawberry.ID
    call_id: str
    partnership_id: str
    sending_cluster_id: str
    organisation_id: str | None
    participant_name: str | None
    participant_kind: str | None
    topics: list[str]
    earliest: str
    latest: str
    days: int
    status: str
    submitted_at: str | None
    decided_at: str | None
    reason: str | None

    @classmethod
    def of(cls, p: dict[str, Any]) -> ExchangeApplication:
        return cls(
            id=strawberry.ID(p["id"]),
            call_id=p.get("call_id") or "",
            partnership_id=p.get("partnership_id") or "",
            sending_cluster_id=p["sending_cluster_id"],
            organisation_id=p.get("organisation_id"),
            participant_name=p.get("participant_name"),
            participant_kind=p.get("participant_kind"),
            topics=list(p.get("topics") or []),
            earliest=p["earliest"],
            latest=p["latest"],
            days=int(p["days"]),
            status=p["status"],
            submitted_at=p.get("submitted_at"),
            decided_at=p.get("decided_at"),
            reason=p.get("reason"),
        )


@strawberry.type(description="A cluster's offer to host ClusterXchange visitors under a call.")
class HostOffer:
    id: strawberry.ID
    call_id: str
    cluster_id: str
    capacity: int
    available_from: str
    available_to: str
    offers: list[str]
    status: str

    @classmethod
    def of(cls, p: dict[str, Any]) -> HostOffer:
        return cls(
            id=strawberry.ID(p["id"]),
            call_id=p["call_id"],
            cluster_id=p["cluster_id"],
            capacity=int(p["capacity"]),
            available_from=p["available_from"],
            available_to=p["available_to"],
            offers=list(p.get("offers") or []),
            status=p["status"],
        )


@strawberry.type(
    description="A match the assignment proposed: PROPOSED until both sides accept (ACCEPTED: an exchange is made),"
    " or one declines (DECLINED); SUPERSEDED when a new run replaced it before anyone accepted."
)
class ExchangeMatch:
    id: strawberry.ID
    call_id: str
    application_id: str
    host_offer_id: str
    sending_cluster_id: str
    host_cluster_id: str
    start: str
    end: str
    score: float
    reasons: str | None
    status: str
    host_accepted_at: str | None
    visitor_accepted_at: str | None
    declined_side: str | None
    reason: str | None
    exchange_id: str | None

    @classmethod
    def of(cls, p: dict[str, Any]) -> ExchangeMatch:
        return cls(
            id=strawberry.ID(p["id"]),
            call_id=p["call_id"],
            application_id=p["application_id"],
            host_offer_id=p["host_offer_id"],
            sending_cluster_id=p["sending_cluster_id"],
            host_cluster_id=p["host_cluster_id"],
            start=p["start"],
            end=p["end"],
            score=float(p.get("score") or 0.0),
            reasons=p.get("reasons"),
            status=p["status"],
            host_accepted_at=p.get("host_accepted_at"),
            visitor_accepted_at=p.get("visitor_accepted_at"),
            declined_side=p.get("declined_side"),
            reason=p.get("reason"),
            exchange_id=p.get("exchange_id"),
        )


@strawberry.type(
    description="What one event's meetings came to, for one kind of attendee (an organisation's kind, or cluster)."
)
class AttendeeKindFigures:
    kind: str
    attendees: int
    requested: int = strawberry.field(description="Meeting requests these attendees made")
    accepted: int = strawberry.field(description="... of which the other side accepted")
    scheduled: int = strawberry.field(description="Meetings in the schedule with an attendee of this kind")
    held: int = strawberry.field(description="Scheduled meetings of an event whose last day has passed")
    rated: int = strawberry.field(description="Ratings these attendees gave")
    average_rating: float | None
    follow_ups: int = strawberry.field(description="Ratings that plan a follow-up")


@strawberry.type
class EventProgress:
    event_id: strawberry.ID
    by_kind: list[AttendeeKindFigures]
    total: AttendeeKindFigures


@strawberry.type(description="An event: its dates and how many attend.")
class EventSummary:
    id: strawberry.ID
    name: str | None
    start: str | None
    end: str | None
    attendees: int


def _figures(kind: str, counts: dict[str, int]) -> AttendeeKindFigures:
    rated = counts["rated"]
    return AttendeeKindFigures(
        kind=kind,
        attendees=counts["attendees"],
        requested=counts["requested"],
        accepted=counts["accepted"],
        scheduled=counts["scheduled"],
        held=counts["held"],
        rated=rated,
        average_rating=round(counts["rating_sum"] / rated, 3) if rated else None,
        follow_ups=counts["follow_ups"],
    )


def event_figures(event_id: str, found: dict[str, dict[str, int]]) -> EventProgress:
    totals = {m: sum(c[m] for c in found.values()) for m in MEASURES}
    return EventProgress(
        event_id=strawberry.ID(event_id),
        by_kind=[_figures(kind, counts) for kind, counts in found.items()],
        total=_figures("all", totals),
    )


def _visible(info: Info, found: list[dict[str, Any]], *fields: str) -> list[dict[str, Any]]:
    account = ctx(info).principal.require()
    if account.has("moderator"):
        return found
    return [p for p in found if any(account.edits(p.get(f) or "") for f in fields)]


@strawberry.type
class ProgrammeQuery:
    @strawberry.field(description="One call, with its facts and its progress against its targets.")
    async def call(self, info: Info, id: strawberry.ID) -> Call:
        rows = await ctx(info).loaders.entity("Call").load(str(id))
        if rows is None:
            raise NotFound(f"no call has the id '{id}'")
        return Call.from_props(rows)

    @strawberry.field(description="A call's progress figures as a CSV or XLSX file (measure, value, target).")
    async def call_progress_file(
        self, info: Info, call_id: strawberry.ID, format: TableFormat = TableFormat.CSV
    ) -> FileDownload:
        context = ctx(info)
        found = await context.call(lambda: call_progress(context.store, str(call_id)))
        return table_file(f"progress-{call_id}", ["measure", "value", "target"], found.rows(), format, False)

    @strawberry.field(description="The ClusterXchange applications of a call you may see (signed in).")
    async def exchange_applications(self, info: Info, call_id: strawberry.ID) -> list[ExchangeApplication]:
        context = ctx(info)
        found = await context.call(lambda: items(context.store, "Application", call_id=str(call_id)))
        return [ExchangeApplication.of(p) for p in _visible(info, found, "sending_cluster_id")]

    @strawberry.field(description="The host offers of a call you may see (signed in).")
    async def host_offers(self, info: Info, call_id: strawberry.ID) -> list[HostOffer]:
        context = ctx(info)
        found = await context.call(lambda: items(context.store, "HostOffer", call_id=str(call_id)))
        return [HostOffer.of(p) for p in _visible(info, found, "cluster_id")]

    @strawberry.field(description="The matches of a call you may see (signed in): yours to accept or decline.")
    async def exchange_matches(
        self, info: Info, call_id: strawberry.ID, status: str | None = None
    ) -> list[ExchangeMatch]:
        context = ctx(info)
        found = await context.call(lambda: items(context.store, "ExchangeMatch", call_id=str(call_id)))
        visible = _visible(info, found, "sending_cluster_id", "host_cluster_id")
        return [ExchangeMatch.of(p) for p in visible if status is None or p["status"] == status]

    @strawberry.field(description="Events, the latest first (the overview links to each one's figures).")
    async def events(self, info: Info, first: int = 20) -> list[EventSummary]:
        check_page(info, first)
        rows = await ctx(info).query("event_list", {"id": None, "limit": first})
        return [
            EventSummary(
                id=strawberry.ID(r["id"]), name=r["name"], start=r["start"], end=r["end"], attendees=int(r["attendees"])
            )
            for r in rows
        ]

    @strawberry.field(description="One event by id, with its dates.")
    async def event(self, info: Info, id: strawberry.ID) -> EventSummary:
        found = await ctx(info).query("event_list", {"id": str(id), "limit": 1})
        if not found:
            raise NotFound(f"no event has the id '{id}'")
        r = found[0]
        return EventSummary(
            id=strawberry.ID(r["id"]), name=r["name"], start=r["start"], end=r["end"], attendees=int(r["attendees"])
        )

    @strawberry.field(description="An event's meeting requests, schedule and ratings by attendee kind.")
    async def event_progress(self, info: Info, event_id: strawberry.ID) -> EventProgress:
        context = ctx(info)
        found = await context.call(lambda: event_progress(context.store, str(event_id)))
        return event_figures(str(event_id), found)

    @strawberry.field(description="An event's progress figures as a CSV or XLSX file (one row per attendee kind).")
    async def event_progress_file(
        self, info: Info, event_id: strawberry.ID, format: TableFormat = TableFormat.CSV
    ) -> FileDownload:
        context = ctx(info)
        found = event_figures(str(event_id), await context.call(lambda: event_progress(context.store, str(event_id))))
        columns = [
            "kind",
            "attendees",
            "requested",
            "accepted",
            "scheduled",
            "held",
            "rated",
            "average_rating",
            "follow_ups",
        ]
        rows = [[getattr(f, c) for c in columns] for f in [*found.by_kind, found.total]]
        return table_file(f"event-{event_id}", columns, rows, format, False)


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


__all__ = ["CallProgressFigures", "ProgrammeQuery"]
