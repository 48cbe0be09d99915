"""Why each member of a proposed consortium: what a cluster manager takes into a proposal.

Typed results (the CLI, GraphQL and the exports only render them): each
member's role and profile, what it **brings** (its OFFERS that another member
seeks, each with who seeks it) and what it **seeks from whom**; the coverage
of the chosen value chains' stages; which of the lead's needs are met; the
country and category mix; and the call's rules with required and actual
values and where each rule came from (clusterkg.consortium.propose.Rules.check).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from clusterkg.consortium.model import Pool, Proposal, RuleCheck, Rules
from clusterkg.scoring.profiles import Taxonomy


@dataclass(frozen=True)
class Brings:
    """A competence a member offers (an OFFERS edge) that other members seek."""

    competence: str
    competence_id: str
    sought_by: list[str]


@dataclass(frozen=True)
class SeeksFrom:
    """A competence a member seeks that other members offer."""

    competence: str
    offered_by: list[str]


@dataclass(frozen=True)
class MemberRow:
    id: str
    name: str
    role: str  # lead, required or partner
    country: str
    nuts: str | None
    category: str | None
    excellence_label: str | None
    founded: int | None
    members_total: int | None
    brings: list[Brings]
    seeks_from: list[SeeksFrom]


@dataclass(frozen=True)
class StageCoverage:
    value_chain: str
    stage: str
    members: list[str]


@dataclass(frozen=True)
class ProposalExplanation:
    rank: int
    objective: float
    bound: float
    gap: float
    status: str
    members: list[MemberRow]
    coverage: list[StageCoverage]
    uncovered_stages: list[str]
    lead_needs_met: list[str]
    lead_needs_open: list[str]
    country_mix: dict[str, int]
    category_mix: dict[str, int]
    rules: list[RuleCheck]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(pool: Pool, proposal: Proposal, rules: Rules, taxonomy: Taxonomy, chains: list[str]) -> ProposalExplanation:
    """What a cluster manager takes into a proposal: why each member, coverage, the mix, the rules."""
    members = [pool.candidates[i] for i in proposal.members]
    lead = pool.candidates[pool.lead]
    rows = []
    for member in members:
        brings = []  # each item: an OFFERS edge of this member that another member (or the lead) seeks
        for offered in sorted(member.offers):
            wanted_by = sorted(
                o.name for o in members if o is not member and any(s in taxonomy.covered(offered) for s in o.seeks)
            )
            if wanted_by:
                brings.append(Brings(taxonomy.name(offered), offered, wanted_by))
        seeks_from = []
        for sought in sorted(member.seeks):
            offered_by = sorted(
                o.name for o in members if o is not member and any(sought in taxonomy.covered(x) for x in o.offers)
            )
            if offered_by:
                seeks_from.append(SeeksFrom(taxonomy.name(sought), offered_by))
        rows.append(
            MemberRow(
                id=member.id,
                name=member.name,
                role="lead" if member.id == lead.id else "required" if member.forced else "partner",
                country=member.country,
                nuts=member.nuts,
                category=member.category,
                excellence_label=member.excellence_label,
                founded=member.founded,
                members_total=member.members_total,
                brings=brings,
                seeks_from=seeks_from,
            )
        )
    coverage = []
    uncovered = []
    for chain in chains:
        chain_name, stage_names = taxonomy.chains[chain]
        for index, stage in enumerate(stage_names):
            at_stage = [m.name for m in members if any((chain, index) in taxonomy.stages.get(o, ()) for o in m.offers)]
            coverage.append(StageCoverage(chain_name, stage, at_stage))
            if not at_stage:
                uncovered.append(f"{chain_name}: {stage}")
    chosen = set(proposal.members)
    return ProposalExplanation(
        rank=proposal.rank,
        objective=round(proposal.objective, 3),
        bound=round(proposal.bound, 3),
        gap=round(proposal.gap, 6),
        status=proposal.status,
        members=rows,
        coverage=coverage,
        uncovered_stages=uncovered,
        lead_needs_met=[taxonomy.name(k) for k, coverers in sorted(pool.needs.items()) if coverers & chosen],
        lead_needs_open=[taxonomy.name(k) for k, coverers in sorted(pool.needs.items()) if not coverers & chosen],
        country_mix=dict(sorted(Counter(m.country for m in members).items())),
        category_mix=dict(sorted(Counter(m.category or "unknown" for m in members).items())),
        rules=rules.check(members),
    )
