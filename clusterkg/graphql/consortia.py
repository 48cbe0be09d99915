"""GraphQL types and resolver of consortium proposals: a lead, a call's rules, and the best consortia with their reasons."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from clusterkg.consortium.explain import ProposalExplanation
from clusterkg.consortium.model import ConsortiumRequest
from clusterkg.consortium.propose import lead_and_members, propose_consortia
from clusterkg.defaults import default
from clusterkg.graphql.matching import SolveSummary, solver_seconds
from clusterkg.graphql.types import CountBy, ctx


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
    request = consortium_request(info, input)
    plan = await context.call(lambda: propose_consortia(context.store, request))
    return ConsortiumResult(
        summary=SolveSummary.of(plan.report),
        proposals=[_proposal(p) for p in plan.proposals],
        shortlist=plan.shortlist,
        notes=plan.notes,
        synthetic=plan.synthetic,
    )
