"""GraphQL types and resolvers of the matching jobs eventMatchList and exchangeAssignment (consortium: clusterkg.graphql.consortia).

Inputs are validated exactly like files (clusterkg.jobs.inputs), so an API
user gets the same row-level messages ("input.attendees row 3, field
'available_slots' …"). Send large inputs as variables: the token limit
applies to the document, not to variables. The solver time is capped by
ApiSettings.max_solver_seconds, the input size by max_matching_parties.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from clusterkg.defaults import default
from clusterkg.errors import ClusterKGError
from clusterkg.events.attendees import attendees_of_event
from clusterkg.events.exports import meetings_csv
from clusterkg.events.model import EventPlan, EventSettings, Pair, met_before_of
from clusterkg.events.plan import plan_event
from clusterkg.exchanges.assignment import ExchangePlan, assign_exchanges
from clusterkg.exchanges.model import ExchangeSettings
from clusterkg.graphql.errors import LimitExceeded
from clusterkg.graphql.types import CountBy, ctx
from clusterkg.jobs.inputs import rows_from_dicts
from clusterkg.jobs.records import ApplicantRecord, AttendeeRecord, HostRecord
from clusterkg.jobs.solver import SolveReport
from clusterkg.validation import Issue


@strawberry.input(
    description="One attendee; linked to the graph by organisationId or clusterId, else scored with its offers and seeks."
)
class AttendeeInput:
    attendee_id: strawberry.ID
    name: str
    organisation: str | None = None
    kind: str | None = None
    cluster_id: str | None = None
    organisation_id: str | None = None
    country: str | None = None
    postcode: str | None = strawberry.field(
        default=None, description="With country: resolved to its NUTS-3 region (Eurostat TERCET)."
    )
    nuts: str | None = strawberry.field(default=None, description="A NUTS 2024 code; or give country and postcode.")
    offers: list[str] = strawberry.field(default_factory=list)
    seeks: list[str] = strawberry.field(default_factory=list)
    available_slots: str | None = strawberry.field(
        default=None, description="Slots such as '1-6;9' (from 1); empty: every slot."
    )
    max_meetings: int | None = None
    wants: list[strawberry.ID] = strawberry.field(default_factory=list)
    avoids: list[strawberry.ID] = strawberry.field(default_factory=list)
    synthetic: bool = strawberry.field(
        default=False, description="True for invented demo data: results then say SYNTHETIC."
    )


@strawberry.input(description="An event's settings: what every B2B meeting job asks.")
class EventOptions:
    slots: int
    tables: int
    slot_minutes: int = default(EventSettings, "slot_minutes")
    start: str = default(EventSettings, "start").strftime("%H:%M")
    max_meetings: int | None = default(EventSettings, "max_meetings")
    mutual_first: bool = default(EventSettings, "mutual_first")
    allow_same_organisation: bool = default(EventSettings, "allow_same_organisation")
    allow_same_country: bool = default(EventSettings, "allow_same_country")
    met_before: str = strawberry.field(
        default=default(EventSettings, "met_before"),
        description="Pairs whose organisations met at an earlier event: ignore, avoid or prefer.",
    )
    time_limit_seconds: float = default(EventSettings, "time_limit_s")


@strawberry.input(description="Attendees (inline or an Event of the graph) and the event's settings.")
class EventMatchInput(EventOptions):
    attendees: list[AttendeeInput] | None = None
    event_id: strawberry.ID | None = None


@strawberry.type(description="How the job was solved: objective, a proven upper bound, the gap, and a greedy baseline.")
class SolveSummary:
    method: str
    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    greedy_objective: float | None
    greedy_gap: float | None = strawberry.field(description="The greedy baseline's distance to the same bound.")
    note: str

    @classmethod
    def of(cls, report: SolveReport) -> SolveSummary:
        return cls(
            method=report.method,
            status=report.status,
            objective=report.objective,
            bound=report.bound,
            gap=report.gap,
            seconds=round(report.seconds, 3),
            greedy_objective=report.greedy_objective,
            greedy_gap=report.greedy_gap,
            note=report.note,
        )


@strawberry.type
class InputIssue:
    source: str
    row: int
    field: str
    value: str | None
    reason: str
    severity: str

    @classmethod
    def of(cls, issue: Issue) -> InputIssue:
        return cls(
            source=issue.file,
            row=issue.row,
            field=issue.field,
            value=None if issue.value is None else str(issue.value),
            reason=issue.reason,
            severity=issue.severity,
        )


@strawberry.type
class MeetingPair:
    attendee_a: str
    name_a: str
    attendee_b: str
    name_b: str
    score: float
    mutual: bool
    wanted: bool
    reasons: str


@strawberry.type
class ScheduledMeeting:
    slot: int
    time: str
    table: int
    pair: MeetingPair


@strawberry.type
class EventMatchList:
    summary: SolveSummary
    recommended: list[MeetingPair] = strawberry.field(description="Each attendee's best candidate pairs, ranked.")
    meetings: list[ScheduledMeeting]
    meetings_csv: str = strawberry.field(
        description="The schedule as CSV (the file `clusterkg match event` writes as meetings.csv)."
    )
    warnings: list[InputIssue]
    synthetic: bool


def _pair(plan: EventPlan, pair: Pair) -> MeetingPair:
    a, b = plan.attendees[pair.a], plan.attendees[pair.b]
    return MeetingPair(
        attendee_a=a.id,
        name_a=a.name,
        attendee_b=b.id,
        name_b=b.name,
        score=round(pair.score, 4),
        mutual=pair.mutual,
        wanted=pair.wanted,
        reasons=pair.reasons,
    )


def _check_size(info: Info, count: int, what: str) -> None:
    limit = ctx(info).settings.max_matching_parties
    if count > limit:
        raise LimitExceeded(
            f"{count} {what} is more than this server schedules per request ({limit}); use the CLI for larger jobs"
        )


def solver_seconds(info: Info, requested: float, limit: float | None = None) -> float:
    limit = limit or ctx(info).settings.max_solver_seconds
    if not 0 < requested <= limit:
        raise LimitExceeded(f"timeLimitSeconds must be between 0 and {limit:g}")
    return requested


def event_settings(info: Info, input: EventOptions, max_seconds: float | None = None) -> EventSettings:
    """EventSettings from an event's options (EventMatchInput, EventJobInput), validated."""
    try:
        start = dt.time.fromisoformat(input.start)
    except ValueError:
        raise ClusterKGError(f"start must be a time such as 09:00, not '{input.start}'") from None
    settings = EventSettings(
        slots=input.slots,
        tables=input.tables,
        slot_minutes=input.slot_minutes,
        start=start,
        max_meetings=input.max_meetings,
        mutual_first=input.mutual_first,
        allow_same_organisation=input.allow_same_organisation,
        allow_same_country=input.allow_same_country,
        met_before=met_before_of(input.met_before),
        time_limit_s=solver_seconds(info, input.time_limit_seconds, max_seconds),
    )
    settings.validate()
    return settings


async def event_match_list(info: Info, input: EventMatchInput) -> EventMatchList:
    context = ctx(info)
    if (input.attendees is None) == (input.event_id is None):
        raise ClusterKGError("give attendees or eventId (one of the two)")
    settings = event_settings(info, input)

    def run() -> EventPlan:
        if input.attendees is not None:
            items = [{k: v for k, v in vars(a).items()} for a in input.attendees]
            source = "input.attendees"
        else:
            items = attendees_of_event(context.store, str(input.event_id))
            source = f"event {input.event_id}"
        _check_size(info, len(items), "attendees")
        rows, warnings = rows_from_dicts(items, AttendeeRecord, "attendee_id", source)
        return plan_event(
            context.store,
            rows,
            settings,
            warnings=warnings,
            event_id=None if input.event_id is None else str(input.event_id),
        )

    plan = await context.call(run)
    return EventMatchList(
        summary=SolveSummary.of(plan.report),
        recommended=[_pair(plan, p) for p in plan.recommended()],
        meetings=[
            ScheduledMeeting(slot=m.slot, time=m.time, table=m.table, pair=_pair(plan, m.pair))
            for m in sorted(plan.meetings, key=lambda m: (m.slot, m.table))
        ],
        meetings_csv=meetings_csv(plan),
        warnings=[InputIssue.of(i) for i in plan.warnings],
        synthetic=plan.synthetic,
    )


@strawberry.input
class ApplicantInput:
    applicant_id: strawberry.ID
    name: str
    sending_cluster_id: strawberry.ID
    earliest: dt.date
    latest: dt.date
    days: int
    organisation_id: str | None = None
    kind: str | None = None
    community_member: bool = False
    topics: list[str] = strawberry.field(default_factory=list)
    country: str | None = None
    postcode: str | None = strawberry.field(
        default=None, description="With country: resolved to its NUTS-3 region (Eurostat TERCET)."
    )
    nuts: str | None = strawberry.field(default=None, description="A NUTS 2024 code; or give country and postcode.")
    synthetic: bool = False


@strawberry.input
class HostInput:
    cluster_id: strawberry.ID
    capacity: int
    available_from: dt.date
    available_to: dt.date
    offers: list[str] = strawberry.field(default_factory=list)
    country: str | None = None
    postcode: str | None = strawberry.field(
        default=None, description="With country: resolved to its NUTS-3 region (Eurostat TERCET)."
    )
    nuts: str | None = strawberry.field(default=None, description="A NUTS 2024 code; or give country and postcode.")
    synthetic: bool = False


@strawberry.input(description="Applicants, hosts and the call's quotas (shares of the assigned exchanges).")
class ExchangeAssignmentInput:
    applicants: list[ApplicantInput]
    hosts: list[HostInput]
    sme_share: float = default(ExchangeSettings, "sme_share")
    outside_share: float = default(ExchangeSettings, "outside_share")
    time_limit_seconds: float = default(ExchangeSettings, "time_limit_s")


@strawberry.type
class AssignedExchange:
    applicant_id: str
    applicant_name: str
    sme: bool
    outside_community: bool
    sending_cluster_id: str
    sender_country: str
    host_cluster_id: str
    host_country: str
    start: dt.date
    end: dt.date
    score: float
    reasons: str


@strawberry.type
class UnassignedApplicant:
    applicant_id: str
    reason: str


@strawberry.type
class QuotaResult:
    name: str
    required: float
    reached: float
    met: bool
    message: str


@strawberry.type
class ExchangeAssignment:
    summary: SolveSummary
    assigned: list[AssignedExchange]
    unassigned: list[UnassignedApplicant]
    quotas: list[QuotaResult]
    quotas_met: bool
    assignable_without_quotas: int
    totals: list[CountBy]
    warnings: list[InputIssue]
    synthetic: bool


async def exchange_assignment(info: Info, input: ExchangeAssignmentInput) -> ExchangeAssignment:
    context = ctx(info)
    _check_size(info, len(input.applicants) + len(input.hosts), "applicants and hosts")
    settings = ExchangeSettings(
        sme_share=input.sme_share,
        outside_share=input.outside_share,
        time_limit_s=solver_seconds(info, input.time_limit_seconds),
    )
    settings.validate()

    def run() -> ExchangePlan:
        applicants, applicant_warnings = rows_from_dicts(
            [vars(a) for a in input.applicants], ApplicantRecord, "applicant_id", "input.applicants"
        )
        hosts, host_warnings = rows_from_dicts([vars(h) for h in input.hosts], HostRecord, "cluster_id", "input.hosts")
        plan = assign_exchanges(context.store, applicants, hosts, settings)
        plan.warnings[:0] = applicant_warnings + host_warnings
        return plan

    plan = await context.call(run)
    return ExchangeAssignment(
        summary=SolveSummary.of(plan.report),
        assigned=[
            AssignedExchange(
                applicant_id=a.applicant.id,
                applicant_name=a.applicant.name,
                sme=a.applicant.sme,
                outside_community=a.applicant.outside,
                sending_cluster_id=a.applicant.sending_cluster.id,
                sender_country=a.applicant.country,
                host_cluster_id=a.host.cluster.id,
                host_country=a.host.country,
                start=a.start,
                end=a.end,
                score=round(a.score, 4),
                reasons=a.reasons,
            )
            for a in plan.assignments
        ],
        unassigned=[UnassignedApplicant(applicant_id=a.id, reason=reason) for a, reason in plan.unassigned],
        quotas=[
            QuotaResult(name=q.name, required=q.required, reached=round(q.reached, 4), met=q.met, message=q.message)
            for q in plan.quotas
        ],
        quotas_met=plan.quotas_met,
        assignable_without_quotas=plan.without_quotas,
        totals=[CountBy.of(d, v, n) for d, counts in plan.totals().items() for v, n in counts.items()],
        warnings=[InputIssue.of(i) for i in plan.warnings],
        synthetic=plan.synthetic,
    )
