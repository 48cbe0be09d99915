"""Consortium builder: propose European Strategic Cluster Partnership consortia that meet a call's rules.

1. The call's rules come from its `Call` node (call_rules.csv: eligible
   countries, minimum members and countries, a member in a less developed or
   transition region, ECCP registration); an option overrides any of them;
   where neither gives a rule, clusterkg's default applies and the report says so.
2. A shortlist is drawn from the graph: the lead's best complementary partners
   (partner search, eligible countries only), the best partners in less
   developed and transition regions, and clusters offering at each stage of the
   chosen value chains; only ECCP-registered clusters of eligible countries stay.
3. A branch and bound (clusterkg.consortium.search) chooses members
   (lead and must-haves fixed) to maximise, in that order of weight by default:

     objective = w_pair       * sum over member pairs of their mutual complementarity
                                (clusterkg.scoring.profiles: need fit both ways,
                                value-chain fit, minus offer overlap)
               + w_need       * competences the lead seeks that some member offers
               + w_stage      * stages of the chosen value chains some member offers at
               + w_country    * countries represented
               + w_category   * cohesion categories represented
               + w_experience * experience bands represented (excellence label,
                                founding period, size: three dimensions)
               - w_competitor * member pairs whose offers overlap by half or more

   subject to the hard rules: size min..max, at least N countries, at most M
   members per country, at least K members (and a share) in less developed or
   transition regions. Each next proposal differs from every earlier one by at
   least two members. Reports give the objective, the proven bound and the gap.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from clusterkg import queries
from clusterkg.consortium.explain import ProposalExplanation, explain
from clusterkg.consortium.model import ConsortiumRequest, Rules, greedy_consortium
from clusterkg.consortium.pool import build_pool, call_rules, check_request
from clusterkg.consortium.search import solve_consortia
from clusterkg.errors import ClusterKGError
from clusterkg.graph.store import GraphStore
from clusterkg.jobs.solver import SolveReport
from clusterkg.scoring.profiles import Taxonomy

EXPLAIN_MARGIN_S = 0.3


def lead_and_members(lead: str | None, must_include: list[str]) -> tuple[str, tuple[str, ...]]:
    """A lead cluster, or a set of must-have members whose first one leads."""
    if lead:
        return str(lead), tuple(m for m in must_include if m != lead)
    if not must_include:
        raise ClusterKGError("give a lead cluster, or the clusters that must be members (the first one leads)")
    return must_include[0], tuple(must_include[1:])


# ---------------------------------------------------------------- the model


@dataclass
class ConsortiumPlan:
    request: ConsortiumRequest
    rules: Rules
    proposals: list[ProposalExplanation]
    report: SolveReport
    shortlist: int
    notes: list[str]
    synthetic: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "lead": self.request.lead,
            "call": self.request.call,
            "synthetic": self.synthetic,
            "rules": {
                **{k: v for k, v in asdict(self.rules).items() if k not in ("countries", "origin", "call_facts")},
                "countries": list(self.rules.countries),
                "origin": self.rules.origin,
            },
            "call_facts": self.rules.call_facts,
            "shortlist": self.shortlist,
            "solver": self.report.as_dict(),
            "notes": self.notes,
            "proposals": [p.to_dict() for p in self.proposals],
        }


def propose_consortia(store: GraphStore, request: ConsortiumRequest) -> ConsortiumPlan:
    """The best consortia around a lead cluster for a call, explained."""
    started = time.perf_counter()
    rules = call_rules(store, request)
    check_request(request, rules)
    taxonomy = Taxonomy.from_graph(store)
    pool, chains, notes = build_pool(store, request, rules, taxonomy)
    # the time limit is for the whole job: the search gets what the shortlist left, less a margin for explaining
    greedy_started = time.perf_counter()
    greedy = greedy_consortium(pool, rules)  # the baseline the report compares with, and the search's first incumbent
    greedy_seconds = time.perf_counter() - greedy_started
    remaining = request.time_limit_s - (time.perf_counter() - started) - EXPLAIN_MARGIN_S
    found, status, overall_bound = solve_consortia(pool, rules, request.proposals, max(remaining, 0.5), greedy)
    if not found:
        raise ClusterKGError(
            f"no consortium of the shortlist ({len(pool.candidates)} clusters) meets every rule together (search: {status}); relax the size, countries or per-country rules"
        )
    if len(found) < request.proposals:
        notes.append(f"only {len(found)} distinct consortia meet every rule")
    explained = [explain(pool, p, rules, taxonomy, chains) for p in found]
    members = sorted({pool.candidates[i].id for p in found for i in p.members})
    synthetic = bool(queries.run(store, "synthetic_count", {"ids": members}, labels={"label": "Cluster"}).scalar())
    best = found[0]
    bound = max(overall_bound, best.objective)
    proven = sum(p.status == "OPTIMAL" for p in found)
    report = SolveReport(
        "branch and bound over the shortlist",
        "OPTIMAL" if bound - best.objective < 1e-9 else "FEASIBLE (time limit)",
        best.objective,
        bound,
        time.perf_counter() - started,
        greedy_objective=None if greedy is None else pool.objective_units(greedy) / 1000,
        greedy_seconds=greedy_seconds,
        note=f"{len(pool.candidates)} shortlisted clusters; the bound holds for every consortium of the shortlist; "
        f"{proven} of {len(found)} proposals proven best in their own solve",
    )
    return ConsortiumPlan(request, rules, explained, report, len(pool.candidates), notes, synthetic)
