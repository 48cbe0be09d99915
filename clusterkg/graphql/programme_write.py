"""The programme's mutations, merged into Mutation (clusterkg.graphql.schema): thin calls into clusterkg.programme.

Each is a step of a state machine: a move its current state does not allow is
CONFLICT naming that state; the wrong account is FORBIDDEN; bad values are
BAD_USER_INPUT naming each field; nothing is written in any of these cases.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import strawberry
from strawberry.types import Info

from clusterkg.events.model import EventSettings
from clusterkg.graphql.programme import ExchangeApplication, ExchangeMatch, HostOffer
from clusterkg.graphql.types import ctx
from clusterkg.programme import applications, exchange_steps, matching, meetings, schedule


@strawberry.enum(description="Which side of a ClusterXchange match you act for.")
class MatchSide(enum.Enum):
    HOST = "HOST"
    VISITOR = "VISITOR"


@strawberry.enum(description="An attendee's mark on another: meet them first, or never.")
class AttendeeMark(enum.Enum):
    MUST_MEET = "MUST_MEET"
    NO_THANKS = "NO_THANKS"


@strawberry.input(
    description="A ClusterXchange application: the visitor (an organisation of the graph, or a new one by name and kind), the partnership it applies under, its wishes and dates."
)
class ApplicationInput:
    partnership_id: strawberry.ID
    sending_cluster_id: strawberry.ID
    topics: list[strawberry.ID] = strawberry.field(description="Competence ids the visitor wishes to learn about")
    earliest: dt.date
    latest: dt.date
    days: int = strawberry.field(description="3 to 31")
    organisation_id: strawberry.ID | None = None
    participant_name: str | None = None
    participant_kind: str | None = strawberry.field(
        default=None, description="sme, large, research, university, public, other"
    )


@strawberry.input
class HostOfferInput:
    call_id: strawberry.ID
    cluster_id: strawberry.ID
    capacity: int
    available_from: dt.date
    available_to: dt.date
    offers: list[strawberry.ID] = strawberry.field(default_factory=list, description="Besides the cluster's own offers")


@strawberry.type
class MatchingRun:
    kept: int = strawberry.field(description="Matches kept: accepted by both, or by one side and waiting for the other")
    superseded: int = strawberry.field(description="Earlier proposals nobody had accepted, replaced")
    proposed: int
    applications: int = strawberry.field(description="Validated applications still to match")
    hosts: int = strawberry.field(description="Host offers with places left")
    quotas_met: bool | None


@strawberry.type
class ExchangeState:
    id: strawberry.ID
    status: str
    report: str | None


@strawberry.type(description="A request to meet at an event: PENDING, then ACCEPTED or DECLINED by the attendee asked.")
class MeetingRequest:
    id: strawberry.ID
    event_id: str
    from_id: str
    to_id: str
    status: str
    message: str | None
    at: str

    @classmethod
    def of(cls, p: dict[str, Any]) -> MeetingRequest:
        return cls(
            id=strawberry.ID(p["id"]),
            event_id=p["event_id"],
            from_id=p["from_id"],
            to_id=p["to_id"],
            status=p["status"],
            message=p.get("message"),
            at=p["at"],
        )


@strawberry.type(description="One side's rating of a meeting.")
class MeetingRating:
    meeting_id: strawberry.ID
    party_id: strawberry.ID
    rating: int
    follow_up: bool


@strawberry.type
class ScheduleResult:
    meetings: int
    made: int
    kept: int = strawberry.field(description="Meetings of accepted requests from earlier runs, kept where they were")
    must_meet_scheduled: int
    no_thanks_scheduled: int = strawberry.field(description="Always 0: a NO_THANKS pair never meets")
    accepted_unscheduled: list[str] = strawberry.field(description="Accepted requests with no free slot in common")
    status: str


@strawberry.type
class ProgrammeMutation:
    @strawberry.mutation(description="Apply for a ClusterXchange exchange (an editor of the sending cluster).")
    async def apply_for_exchange(self, info: Info, input: ApplicationInput) -> ExchangeApplication:
        context = ctx(info)
        given = applications.ApplicationInput(
            partnership_id=str(input.partnership_id),
            sending_cluster_id=str(input.sending_cluster_id),
            topics=[str(t) for t in input.topics],
            earliest=input.earliest,
            latest=input.latest,
            days=input.days,
            organisation_id=str(input.organisation_id) if input.organisation_id else None,
            participant_name=input.participant_name,
            participant_kind=input.participant_kind,
        )
        return ExchangeApplication.of(
            await context.call(lambda: applications.apply(context.store, context.principal, given))
        )

    @strawberry.mutation(description="Offer to host visitors under a call (an editor of the host cluster).")
    async def offer_hosting(self, info: Info, input: HostOfferInput) -> HostOffer:
        context = ctx(info)
        found = await context.call(
            lambda: applications.offer_hosting(
                context.store,
                context.principal,
                str(input.call_id),
                str(input.cluster_id),
                input.capacity,
                input.available_from,
                input.available_to,
                [str(o) for o in input.offers],
            )
        )
        return HostOffer.of(found)

    @strawberry.mutation(
        description="Validate (accept: true) or reject a submitted application (the partnership's coordinator)."
    )
    async def validate_application(
        self, info: Info, id: strawberry.ID, accept: bool, reason: str | None = None
    ) -> ExchangeApplication:
        context = ctx(info)
        found = await context.call(
            lambda: applications.validate(context.store, context.principal, str(id), accept, reason)
        )
        return ExchangeApplication.of(found)

    @strawberry.mutation(description="Withdraw an application before it is matched (an editor of the sending cluster).")
    async def withdraw_application(
        self, info: Info, id: strawberry.ID, reason: str | None = None
    ) -> ExchangeApplication:
        context = ctx(info)
        found = await context.call(lambda: applications.withdraw(context.store, context.principal, str(id), reason))
        return ExchangeApplication.of(found)

    @strawberry.mutation(
        description="Run the assignment over what is left of a call (a programme officer: moderator); keeps what a side accepted."
    )
    async def run_exchange_matching(self, info: Info, call_id: strawberry.ID) -> MatchingRun:
        context = ctx(info)
        found = await context.call(lambda: matching.run_matching(context.store, context.principal, str(call_id)))
        return MatchingRun(
            kept=found["kept"],
            superseded=found["superseded"],
            proposed=found["proposed"],
            applications=found["applications"],
            hosts=found["hosts"],
            quotas_met=found.get("quotas_met"),
        )

    @strawberry.mutation(description="Accept a proposed match for your side; the second acceptance makes the exchange.")
    async def accept_exchange_match(
        self, info: Info, id: strawberry.ID, side: MatchSide | None = None
    ) -> ExchangeMatch:
        context = ctx(info)
        chosen = side.value if side else None
        found = await context.call(lambda: matching.accept_match(context.store, context.principal, str(id), chosen))
        return ExchangeMatch.of(found)

    @strawberry.mutation(
        description="Decline a proposed match for your side, with a reason; the pair is not proposed again."
    )
    async def decline_exchange_match(
        self, info: Info, id: strawberry.ID, reason: str | None = None, side: MatchSide | None = None
    ) -> ExchangeMatch:
        context = ctx(info)
        chosen = side.value if side else None
        found = await context.call(
            lambda: matching.decline_match(context.store, context.principal, str(id), reason, chosen)
        )
        return ExchangeMatch.of(found)

    @strawberry.mutation(description="An exchange took place: DONE with a short report (either cluster's editors).")
    async def complete_exchange(self, info: Info, id: strawberry.ID, report: str) -> ExchangeState:
        context = ctx(info)
        found = await context.call(
            lambda: exchange_steps.close_exchange(context.store, context.principal, str(id), True, report)
        )
        return ExchangeState(id=strawberry.ID(found["id"]), status=found["status"], report=found.get("report"))

    @strawberry.mutation(description="Cancel a planned exchange, with a reason (either cluster's editors).")
    async def cancel_exchange(self, info: Info, id: strawberry.ID, reason: str | None = None) -> ExchangeState:
        context = ctx(info)
        found = await context.call(
            lambda: exchange_steps.close_exchange(context.store, context.principal, str(id), False, reason)
        )
        return ExchangeState(id=strawberry.ID(found["id"]), status=found["status"], report=found.get("report"))

    @strawberry.mutation(description="Ask another attendee to meet at an event (you act for `fromId`).")
    async def request_meeting(
        self,
        info: Info,
        event_id: strawberry.ID,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        message: str | None = None,
    ) -> MeetingRequest:
        context = ctx(info)
        found = await context.call(
            lambda: meetings.request_meeting(
                context.store, context.principal, str(event_id), str(from_id), str(to_id), message
            )
        )
        return MeetingRequest.of(found)

    @strawberry.mutation(
        description="Accept (accept: true) or decline a meeting request made to an attendee you act for."
    )
    async def answer_meeting_request(self, info: Info, id: strawberry.ID, accept: bool) -> MeetingRequest:
        context = ctx(info)
        found = await context.call(lambda: meetings.decide_request(context.store, context.principal, str(id), accept))
        return MeetingRequest.of(found)

    @strawberry.mutation(description="Mark another attendee MUST_MEET or NO_THANKS (null removes the mark).")
    async def mark_attendee(
        self,
        info: Info,
        event_id: strawberry.ID,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        mark: AttendeeMark | None = None,
    ) -> bool:
        context = ctx(info)
        value = mark.value if mark else None
        await context.call(
            lambda: meetings.mark(context.store, context.principal, str(event_id), str(from_id), str(to_id), value)
        )
        return True

    @strawberry.mutation(
        description="Schedule an event's meetings with its requests and marks (a programme officer: moderator); meetings of"
        " accepted requests stay where they were."
    )
    async def schedule_event(
        self,
        info: Info,
        event_id: strawberry.ID,
        slots: int,
        tables: int,
        slot_minutes: int = 20,
        time_limit_s: float = 10.0,
    ) -> ScheduleResult:
        context = ctx(info)
        settings = EventSettings(
            slots=slots, tables=tables, slot_minutes=slot_minutes, time_limit_s=min(time_limit_s, 60.0)
        )
        found = await context.call(
            lambda: schedule.schedule_event(context.store, context.principal, str(event_id), settings)
        )
        return ScheduleResult(
            meetings=found["meetings"],
            made=found["made"],
            kept=found["kept"],
            must_meet_scheduled=found["must_meet_scheduled"],
            no_thanks_scheduled=found["no_thanks_scheduled"],
            accepted_unscheduled=found["accepted_unscheduled"],
            status=found["status"],
        )

    @strawberry.mutation(
        description="Rate a meeting an attendee you act for had (1-5, a follow-up planned or not), once."
    )
    async def rate_meeting(
        self, info: Info, meeting_id: strawberry.ID, party_id: strawberry.ID, rating: int, follow_up: bool = False
    ) -> MeetingRating:
        context = ctx(info)
        found: dict[str, Any] = await context.call(
            lambda: meetings.rate_meeting(
                context.store, context.principal, str(meeting_id), str(party_id), rating, follow_up
            )
        )
        return MeetingRating(
            meeting_id=strawberry.ID(found["meeting_id"]),
            party_id=strawberry.ID(found["party_id"]),
            rating=found["rating"],
            follow_up=found["follow_up"],
        )
