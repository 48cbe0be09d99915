"""GraphQL types and resolvers of the matching jobs: eventMatchList, exchangeAssignment and consortium.

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

from clusterkg.consortium.explain import ProposalExplanation
from clusterkg.consortium.model import ConsortiumRequest
from clusterkg.consortium.propose import lead_and_members, propose_consortia
from clusterkg.defaults import default
from clusterkg.errors import ClusterKGError
from clusterkg.events.attendees import attendees_of_event
from clusterkg.events.exports import meetings_csv
from clusterkg.events.model import EventPlan, EventSettings, Pair, met_before_of
from clusterkg.events.plan import plan_event
from clusterkg.exchanges.assignment import ExchangePlan, assign_exchanges
from clusterkg.exchanges.model import ExchangeSettings
from clusterkg.graphql.errors import LimitExceeded, Unauthorized
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


def analyst_only(info: Info) -> None:
    if not ctx(info).may_run_jobs:
        raise Unauthorized("the matching jobs need an analyst token on this server: send Authorization: Bearer <token>")


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
    analyst_only(info)
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
    analyst_only(info)
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


# ---------------------------------------------------------------- consortia


@strawberry.input(description="A lead cluster, the call whose rules apply, and overrides of those rules.")
class ConsortiumInput:
    lead: strawberry.ID | None = strawberry.field(
        default=None, description="The lead cluster; without one, the first of mustInclude leads."
    )
    must_include: list[strawberry.ID] = strawberry.field(default_factory=list)
    call: str = default(ConsortiumRequest, "call")
    proposals: int = default(ConsortiumRequest, "proposals")
    min_size: int = default(ConsortiumRequest, "min_size")
    max_size: int = default(ConsortiumRequest, "max_size")
    min_countries: int | None = default(ConsortiumRequest, "min_countries")
    max_per_country: int = default(ConsortiumRequest, "max_per_country")
    min_developing: int | None = default(ConsortiumRequest, "min_developing")
    developing_share: float = default(ConsortiumRequest, "developing_share")
    countries: list[str] | None = None
    value_chains: list[str] | None = None
    time_limit_seconds: float = default(ConsortiumRequest, "time_limit_s")


@strawberry.type
class Contribution:
    competence: str
    competence_id: str | None
    members: list[str] = strawberry.field(description="Who seeks it (in `brings`) or who offers it (in `seeksFrom`).")


@strawberry.type
class ConsortiumMember:
    id: str
    name: str
    role: str
    country: str
    nuts: str | None
    category: str | None
    excellence_label: str | None
    founded: int | None
    members_total: int | None
    brings: list[Contribution] = strawberry.field(description="Its offers (OFFERS edges) that other members seek.")
    seeks_from: list[Contribution]


@strawberry.type
class StageCoverage:
    value_chain: str
    stage: str
    members: list[str]


@strawberry.type
class RuleCheck:
    rule: str
    required: str
    actual: str
    met: bool
    origin: str


@strawberry.type
class ConsortiumProposal:
    rank: int
    objective: float
    bound: float
    gap: float
    members: list[ConsortiumMember]
    coverage: list[StageCoverage]
    uncovered_stages: list[str]
    lead_needs_met: list[str]
    lead_needs_open: list[str]
    country_mix: list[CountBy]
    category_mix: list[CountBy]
    rules: list[RuleCheck]


@strawberry.type
class ConsortiumResult:
    summary: SolveSummary
    proposals: list[ConsortiumProposal]
    shortlist: int
    notes: list[str]
    synthetic: bool


def _proposal(p: ProposalExplanation) -> ConsortiumProposal:
    return ConsortiumProposal(
        rank=p.rank,
        objective=p.objective,
        bound=p.bound,
        gap=p.gap,
        members=[
            ConsortiumMember(
                id=m.id,
                name=m.name,
                role=m.role,
                country=m.country,
                nuts=m.nuts,
                category=m.category,
                excellence_label=m.excellence_label,
                founded=m.founded,
                members_total=m.members_total,
                brings=[
                    Contribution(competence=b.competence, competence_id=b.competence_id, members=b.sought_by)
                    for b in m.brings
                ],
                seeks_from=[
                    Contribution(competence=s.competence, competence_id=None, members=s.offered_by)
                    for s in m.seeks_from
                ],
            )
            for m in p.members
        ],
        coverage=[StageCoverage(value_chain=c.value_chain, stage=c.stage, members=c.members) for c in p.coverage],
        uncovered_stages=p.uncovered_stages,
        lead_needs_met=p.lead_needs_met,
        lead_needs_open=p.lead_needs_open,
        country_mix=[CountBy.of("country", k, v) for k, v in p.country_mix.items()],
        category_mix=[CountBy.of("category", k, v) for k, v in p.category_mix.items()],
        rules=[
            RuleCheck(rule=r.rule, required=r.required, actual=r.actual, met=r.met, origin=r.origin) for r in p.rules
        ],
    )


def consortium_request(info: Info, input: ConsortiumInput, max_seconds: float | None = None) -> ConsortiumRequest:
    lead, must = lead_and_members(input.lead, list(map(str, input.must_include)))
    return ConsortiumRequest(
        lead=lead,
        must_include=must,
        call=input.call,
        proposals=input.proposals,
        min_size=input.min_size,
        max_size=input.max_size,
        min_countries=input.min_countries,
        max_per_country=input.max_per_country,
        min_developing=input.min_developing,
        developing_share=input.developing_share,
        countries=tuple(input.countries) if input.countries else None,
        value_chains=tuple(input.value_chains) if input.value_chains else None,
        time_limit_s=solver_seconds(info, input.time_limit_seconds, max_seconds),
    )


async def consortium(info: Info, input: ConsortiumInput) -> ConsortiumResult:
    context = ctx(info)
    analyst_only(info)
    request = consortium_request(info, input)
    plan = await context.call(lambda: propose_consortia(context.store, request))
    return ConsortiumResult(
        summary=SolveSummary.of(plan.report),
        proposals=[_proposal(p) for p in plan.proposals],
        shortlist=plan.shortlist,
        notes=plan.notes,
        synthetic=plan.synthetic,
    )
