"""Consortium builder: propose European Strategic Cluster Partnership consortia that meet a call's rules.

1. The call's rules come from its `Call` node (call_rules.csv: eligible
   countries, minimum members and countries, a member in a less developed or
   transition region, ECCP registration); an option overrides any of them;
   where neither gives a rule, clusterkg's default applies and the report says so.
2. A shortlist is drawn from the graph: the lead's best complementary partners
   (partner search, eligible countries only), the best partners in less
   developed and transition regions, and clusters offering at each stage of the
   chosen value chains; only ECCP-registered clusters of eligible countries stay.
3. CP-SAT chooses members (lead and must-haves fixed) to maximise, in that order
   of weight by default:

     objective = w_pair       * sum over member pairs of their mutual complementarity
                                (clusterkg.matching.profiles: need fit both ways,
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
   least two members. Reports give the objective, CP-SAT's bound and the gap.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from clusterkg.errors import ClusterKGError
from clusterkg.graph.store import GraphStore
from clusterkg.matching.complementarity import Filters, NotFound, Weights, partner_search
from clusterkg.matching.profiles import Profile, Taxonomy, score_pairs
from clusterkg.matching.solver import SolveReport, solve, units

DEFAULT_CALL = "COS-CLUSTER-2020-3-03"
DEVELOPING = ("less_developed", "transition")
COMPETITOR_OVERLAP = 0.5
SHORTLIST_PARTNERS = 30
SHORTLIST_DEVELOPING = 12
SHORTLIST_PER_STAGE = 3
EXPLAIN_MARGIN_S = 0.3

QUERIES = {
    "call": "MATCH (c:Call {id: $id}) RETURN properties(c) AS call",
    "lead": "MATCH (c:Cluster {id: $id}) RETURN c.id AS id",
    "countries": "MATCH (c:Country) RETURN c.code AS code ORDER BY code",
    "synthetic_members": "UNWIND $ids AS id MATCH (c:Cluster {id: id}) WHERE c.synthetic = true RETURN count(c) AS n",
    "clusters": (
        "UNWIND $ids AS id MATCH (c:Cluster {id: id}) "
        "OPTIONAL MATCH (c)-[reg:REGISTERED_ON]->(:Platform {id: 'eccp'}) "
        "RETURN c.id AS id, c.name AS name, c.country AS country, c.nuts AS nuts, c.category AS category, "
        "c.excellence_label AS excellence_label, c.founded AS founded, c.members_total AS members_total, count(reg) > 0 AS registered, "
        "[(c)-[:OFFERS]->(o:Competence) | o.id] AS offers, [(c)-[:SEEKS]->(s:Competence) | s.id] AS seeks"
    ),
    "lead_chains": (
        "MATCH (c:Cluster {id: $id})-[:OFFERS|SEEKS]->(:Competence)-[:IN_STAGE]->(v:ValueChain) RETURN DISTINCT v.id AS id ORDER BY id"
    ),
    "stage_offerers": (
        "UNWIND $chains AS chain MATCH (v:ValueChain {id: chain})<-[s:IN_STAGE]-(:Competence)<-[:OFFERS]-(k:Cluster) "
        "WHERE k.country IN $countries "
        "WITH v.id AS chain, s.stage_index AS stage, k ORDER BY k.id "
        "WITH chain, stage, collect(DISTINCT k.id) AS ids RETURN chain, stage, ids[..$per_stage] AS ids"
    ),
}


@dataclass(frozen=True)
class ConsortiumWeights:
    pair: float = 1.0
    need: float = 2.0
    stage: float = 1.5
    country: float = 0.5
    category: float = 0.5
    experience: float = 0.25
    competitor: float = 3.0


@dataclass(frozen=True)
class ConsortiumRequest:
    lead: str
    must_include: tuple[str, ...] = ()
    call: str = DEFAULT_CALL
    proposals: int = 3
    min_size: int = 4
    max_size: int = 8
    min_countries: int | None = None  # None: the call's rule, else 3
    max_per_country: int = 2
    min_developing: int | None = None  # members in less developed or transition regions; None: the call's, else 1
    developing_share: float = 0.0
    countries: tuple[str, ...] | None = None  # None: the call's eligible countries
    value_chains: tuple[str, ...] | None = None  # None: the lead's
    time_limit_s: float = 10.0
    weights: ConsortiumWeights = ConsortiumWeights()


@dataclass
class Rules:
    """The hard rules in force, each with where it came from."""

    min_size: int
    max_size: int
    min_countries: int
    max_per_country: int
    min_developing: int
    developing_share: float
    countries: tuple[str, ...]
    origin: dict[str, str] = field(default_factory=dict)
    call_facts: dict[str, Any] = field(default_factory=dict)  # budget, max grant, deadline: for the proposal, not constraints


@dataclass
class Candidate:
    id: str
    name: str
    country: str
    nuts: str | None
    category: str | None
    excellence_label: str | None
    founded: int | None
    members_total: int | None
    offers: frozenset[str]
    seeks: frozenset[str]
    forced: bool = False

    @property
    def developing(self) -> bool:
        return self.category in DEVELOPING

    def experience_bands(self) -> tuple[str, str, str]:
        label = f"label:{self.excellence_label or 'none'}"
        founded = self.founded or 0
        age = "founded:unknown" if not founded else "founded:before 2000" if founded < 2000 else "founded:2000-2014" if founded < 2015 else "founded:2015 or later"
        size = self.members_total or 0
        scale = "size:unknown" if not size else "size:under 50" if size < 50 else "size:50-200" if size <= 200 else "size:over 200"
        return label, age, scale


@dataclass
class Pool:
    """The shortlist and every term of the objective, in CP-SAT units."""

    candidates: list[Candidate]
    lead: int
    pair_units: dict[tuple[int, int], int]
    competitors: set[tuple[int, int]]
    needs: dict[str, set[int]]  # competence the lead seeks -> members offering it (or a narrower one)
    stages: dict[tuple[str, int], set[int]]  # (chain, stage) -> members offering at it
    weights: ConsortiumWeights

    def objective_units(self, members: set[int]) -> int:
        """The objective of a member set, exactly as the model computes it."""
        w = self.weights
        total = sum(self.pair_units.get((i, j), 0) for i, j in itertools.combinations(sorted(members), 2))
        total -= units(w.competitor) * sum(1 for i, j in itertools.combinations(sorted(members), 2) if (i, j) in self.competitors)
        total += units(w.need) * sum(1 for coverers in self.needs.values() if coverers & members)
        total += units(w.stage) * sum(1 for offerers in self.stages.values() if offerers & members)
        total += units(w.country) * len({self.candidates[i].country for i in members})
        total += units(w.category) * len({self.candidates[i].category or "unknown" for i in members})
        total += units(w.experience) * len({band for i in members for band in self.candidates[i].experience_bands()})
        return total


def violations(pool: Pool, members: set[int], rules: Rules) -> list[str]:
    """The hard rules a member set breaks (empty: eligible)."""
    found = []
    people = [pool.candidates[i] for i in members]
    if not rules.min_size <= len(members) <= rules.max_size:
        found.append(f"size {len(members)} is outside {rules.min_size}..{rules.max_size}")
    countries = Counter(c.country for c in people)
    if len(countries) < rules.min_countries:
        found.append(f"{len(countries)} countries, fewer than {rules.min_countries}")
    crowded = [country for country, n in countries.items() if n > rules.max_per_country]
    if crowded:
        found.append(f"more than {rules.max_per_country} members from {', '.join(sorted(crowded))}")
    developing = sum(c.developing for c in people)
    if developing < rules.min_developing or developing < rules.developing_share * len(members) - 1e-9:
        found.append(f"{developing} members in less developed or transition regions")
    if any(c.country not in rules.countries for c in people):
        found.append("a member is outside the call's countries")
    if not all(i in members for i, c in enumerate(pool.candidates) if c.forced):
        found.append("a required member is missing")
    return found


# ---------------------------------------------------------------- the model


def greedy_consortium(pool: Pool, rules: Rules) -> set[int] | None:
    """Best marginal gain first, keeping the rules reachable: the baseline, and the solver's first hint."""
    members = {i for i, c in enumerate(pool.candidates) if c.forced}

    def missing(chosen: set[int]) -> int:
        countries = len({pool.candidates[i].country for i in chosen})
        developing = sum(pool.candidates[i].developing for i in chosen)
        return max(0, rules.min_countries - countries) + max(0, rules.min_developing - developing)

    while len(members) < rules.max_size:
        current = pool.objective_units(members)
        best, best_gain = None, None
        for i in range(len(pool.candidates)):
            if i in members:
                continue
            chosen = members | {i}
            if sum(pool.candidates[j].country == pool.candidates[i].country for j in chosen) > rules.max_per_country:
                continue
            if missing(chosen) > rules.max_size - len(chosen):
                continue
            gain = pool.objective_units(chosen) - current
            if best_gain is None or gain > best_gain:
                best, best_gain = i, gain
        if best is None or (best_gain <= 0 and len(members) >= rules.min_size and not missing(members)):
            break
        members.add(best)
    return members if not violations(pool, members, rules) else None


@dataclass
class Proposal:
    rank: int
    members: list[int]
    objective: float
    bound: float
    status: str

    @property
    def gap(self) -> float:
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.objective) / self.bound)


def solve_consortia(pool: Pool, rules: Rules, proposals: int, time_limit_s: float) -> tuple[list[Proposal], str, float]:
    """The best `proposals` member sets, each differing from the earlier ones by two members or more.

    Also the status and the first solve's bound: no exclusion cut yet, so it bounds every consortium.
    """
    n = len(pool.candidates)
    w = pool.weights
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"m{i}") for i in range(n)]
    for i, candidate in enumerate(pool.candidates):
        if candidate.forced:
            model.add(x[i] == 1)
    model.add(sum(x) >= rules.min_size)
    model.add(sum(x) <= rules.max_size)
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, candidate in enumerate(pool.candidates):
        by_country[candidate.country].append(i)
    present = {}
    for country, members in by_country.items():
        model.add(sum(x[i] for i in members) <= rules.max_per_country)
        present[country] = model.new_bool_var(f"c_{country}")
        model.add(present[country] <= sum(x[i] for i in members))
    model.add(sum(present.values()) >= rules.min_countries)
    developing = [x[i] for i, c in enumerate(pool.candidates) if c.developing]
    model.add(sum(developing) >= rules.min_developing)
    if rules.developing_share > 0:
        share = int(round(rules.developing_share * 1000))
        model.add(1000 * sum(developing) >= share * sum(x))

    terms = []
    partners_of: dict[int, list] = defaultdict(list)
    for i, j in sorted(set(pool.pair_units) | pool.competitors):
        penalty = units(w.competitor) if (i, j) in pool.competitors else 0
        coefficient = pool.pair_units.get((i, j), 0) - penalty
        if coefficient == 0:
            continue
        both = model.new_bool_var(f"p{i}_{j}")
        model.add(both <= x[i])
        model.add(both <= x[j])
        if coefficient < 0:
            model.add(both >= x[i] + x[j] - 1)
        else:
            partners_of[i].append(both)
            partners_of[j].append(both)
        terms.append(coefficient * both)
    # a member pairs with at most max_size - 1 others: redundant for integers, but it
    # makes the LP relaxation (CP-SAT's bound) far tighter than y <= x_i, y <= x_j alone
    for i, pairs in partners_of.items():
        if len(pairs) > rules.max_size - 1:
            model.add(sum(pairs) <= (rules.max_size - 1) * x[i])

    def covered(name: str, members: set[int], weight: float) -> None:
        flag = model.new_bool_var(name)
        model.add(flag <= sum(x[i] for i in members))
        terms.append(units(weight) * flag)

    for k, (competence, coverers) in enumerate(sorted(pool.needs.items())):
        if coverers:
            covered(f"need{k}", coverers, w.need)
    for k, (stage, offerers) in enumerate(sorted(pool.stages.items())):
        if offerers:
            covered(f"stage{k}", offerers, w.stage)
    terms.extend(units(w.country) * flag for flag in present.values())
    categories: dict[str, set[int]] = defaultdict(set)
    bands: dict[str, set[int]] = defaultdict(set)
    for i, candidate in enumerate(pool.candidates):
        categories[candidate.category or "unknown"].add(i)
        for band in candidate.experience_bands():
            bands[band].add(i)
    for k, members in enumerate(categories.values()):
        covered(f"cat{k}", members, w.category)
    for k, members in enumerate(bands.values()):
        covered(f"band{k}", members, w.experience)
    model.maximize(sum(terms))

    hint = greedy_consortium(pool, rules)
    if hint is not None:
        for i in range(n):
            model.add_hint(x[i], 1 if i in hint else 0)
    found: list[Proposal] = []
    status = "OPTIMAL"
    overall_bound = 0.0
    for rank in range(1, proposals + 1):
        # the best proposal gets half the time: its bound is the one that bounds every consortium
        share = 0.5 if rank == 1 and proposals > 1 else (0.5 / (proposals - 1) if proposals > 1 else 1.0)
        solution = solve(model, max(0.2, time_limit_s * share))
        if not solution.found:
            status = solution.status
            break
        members = [i for i in range(n) if solution.value(x[i])]
        objective = pool.objective_units(set(members))
        if rank == 1:
            overall_bound = max(solution.bound_units, objective) / 1000
        found.append(Proposal(rank, members, objective / 1000, max(solution.bound_units, objective) / 1000, solution.status))
        # the next proposal differs by at least two members (one swap, or two added or dropped)
        model.add(sum(1 - x[i] for i in members) + sum(x[i] for i in range(n) if i not in members) >= 2)
        model.clear_hints()
    # a proposal found later may score higher when an earlier solve stopped at its time limit
    found.sort(key=lambda p: -p.objective)
    for rank, proposal in enumerate(found, start=1):
        proposal.rank = rank
    return found, status, overall_bound


# ---------------------------------------------------------------- from the graph


def lead_and_members(lead: str | None, must_include: list[str]) -> tuple[str, tuple[str, ...]]:
    """A lead cluster, or a set of must-have members whose first one leads."""
    if lead:
        return str(lead), tuple(m for m in must_include if m != lead)
    if not must_include:
        raise ClusterKGError("give a lead cluster, or the clusters that must be members (the first one leads)")
    return must_include[0], tuple(must_include[1:])


def call_rules(store: GraphStore, request: ConsortiumRequest) -> Rules:
    """The hard rules: options first, then the call's data, then clusterkg's defaults, each with its origin."""
    rows = store.read(QUERIES["call"], {"id": request.call}).rows
    if not rows:
        raise NotFound(f"no call has the id '{request.call}' (calls are reference data: `clusterkg load reference`)")
    call = rows[0]["call"]
    origin: dict[str, str] = {}

    def pick(name: str, option: Any, call_key: str | None, default: Any) -> Any:
        if option is not None:
            origin[name] = "option"
            return option
        if call_key and call.get(call_key) is not None:
            origin[name] = f"call {request.call}"
            return call[call_key]
        origin[name] = "clusterkg default (not in the call's data)"
        return default

    countries = tuple(pick("countries", request.countries, "eligible_countries", ()))
    if not countries:
        countries = tuple(r["code"] for r in store.read(QUERIES["countries"]).rows)
        origin["countries"] = "every country in the graph (the call names none)"
    call_min_members = call.get("consortium_min_members")
    min_size = request.min_size
    origin["size"] = "option (default 4..8)"
    if call_min_members and call_min_members > min_size:
        min_size = call_min_members
        origin["size"] = f"call {request.call} (at least {call_min_members} members)"
    rules = Rules(
        min_size=min_size,
        max_size=request.max_size,
        min_countries=int(pick("min_countries", request.min_countries, "consortium_min_countries", 3)),
        max_per_country=request.max_per_country,
        min_developing=int(pick("min_developing", request.min_developing, "consortium_min_less_developed_or_transition", 1)),
        developing_share=request.developing_share,
        countries=countries,
        origin=origin,
        call_facts={k: call.get(k) for k in ("title", "budget_eur", "max_grant_eur", "deadline", "expected_grants") if call.get(k) is not None},
    )
    origin.setdefault("max_per_country", "option (default 2)")
    return rules


def _check_request(request: ConsortiumRequest, rules: Rules) -> None:
    if request.proposals < 1 or request.proposals > 10:
        raise ClusterKGError("proposals must be between 1 and 10")
    if rules.min_size > rules.max_size:
        raise ClusterKGError(f"rule 'size' cannot be met: minimum size {rules.min_size} is larger than maximum size {rules.max_size} (by {rules.min_size - rules.max_size})")
    if rules.max_size < 1 or rules.max_per_country < 1:
        raise ClusterKGError("the maximum size and the maximum per country must be at least 1")
    if rules.min_countries > rules.max_size:
        raise ClusterKGError(f"rule 'countries' cannot be met: {rules.min_countries} countries need at least {rules.min_countries} members, above the maximum size {rules.max_size}")
    if not 0 <= rules.developing_share <= 1:
        raise ClusterKGError("the developing-region share must be between 0 and 1")
    if request.time_limit_s <= 0:
        raise ClusterKGError("the time limit must be positive")


def _check_pool(candidates: list[Candidate], rules: Rules) -> None:
    """Rules that no subset of the eligible clusters can meet, with by how much."""
    countries = Counter(c.country for c in candidates)
    if len(countries) < rules.min_countries:
        raise ClusterKGError(
            f"rule 'countries' cannot be met: the eligible clusters are in {len(countries)} countries and the rule needs "
            f"{rules.min_countries} (short by {rules.min_countries - len(countries)})"
        )
    capacity = sum(min(n, rules.max_per_country) for n in countries.values())
    if len(candidates) < rules.min_size or capacity < rules.min_size:
        raise ClusterKGError(
            f"rule 'size' cannot be met: {len(candidates)} eligible clusters (ECCP-registered, in the call's countries), "
            f"{capacity} usable with at most {rules.max_per_country} per country, and the minimum size is {rules.min_size} "
            f"(short by {rules.min_size - min(len(candidates), capacity)})"
        )
    developing = sum(c.developing for c in candidates)
    if developing < rules.min_developing:
        raise ClusterKGError(
            f"rule 'less developed or transition region' cannot be met: {developing} eligible clusters are in such regions and "
            f"the rule needs {rules.min_developing} (short by {rules.min_developing - developing})"
        )


def build_pool(store: GraphStore, request: ConsortiumRequest, rules: Rules, taxonomy: Taxonomy) -> tuple[Pool, list[str], list[str]]:
    """The shortlist with every objective term; also the chosen value chains and notes on what was left out."""
    if not store.read(QUERIES["lead"], {"id": request.lead}).rows:
        raise NotFound(f"no cluster has the id '{request.lead}'")
    chains = list(request.value_chains or [r["id"] for r in store.read(QUERIES["lead_chains"], {"id": request.lead}).rows])
    unknown_chains = [c for c in chains if c not in taxonomy.chains]
    if unknown_chains:
        raise ClusterKGError(f"unknown value chain(s): {', '.join(unknown_chains)}; see `clusterkg query 'MATCH (v:ValueChain) RETURN v.id, v.name'`")
    filters = Filters(countries=rules.countries)
    ids = [request.lead, *request.must_include]
    ids += [m.id for m in partner_search(store, request.lead, filters=filters, exclude_ties=False, first=SHORTLIST_PARTNERS, explain=False)]
    developing_filters = Filters(countries=rules.countries, categories=DEVELOPING)
    ids += [m.id for m in partner_search(store, request.lead, filters=developing_filters, exclude_ties=False, first=SHORTLIST_DEVELOPING, explain=False)]
    if chains:
        for row in store.read(QUERIES["stage_offerers"], {"chains": chains, "countries": list(rules.countries), "per_stage": SHORTLIST_PER_STAGE}).rows:
            ids += row["ids"]
    ids = list(dict.fromkeys(ids))
    rows = {r["id"]: r for r in store.read(QUERIES["clusters"], {"ids": ids}).rows}
    notes = []
    missing = [i for i in request.must_include if i not in rows]
    if missing:
        raise NotFound(f"no cluster has the id(s) {', '.join(missing)} (must include)")
    forced = {request.lead, *request.must_include}
    candidates = []
    for cluster_id in ids:
        row = rows[cluster_id]
        problems = []
        if not row["registered"]:
            problems.append("not registered on the ECCP")
        if row["country"] not in rules.countries:
            problems.append(f"its country {row['country']} is not eligible for the call")
        if problems:
            if cluster_id in forced:
                raise ClusterKGError(f"rule 'eligibility' cannot be met: {'lead' if cluster_id == request.lead else 'required member'} {cluster_id} is {' and '.join(problems)}")
            continue
        candidates.append(
            Candidate(cluster_id, row["name"] or cluster_id, row["country"], row["nuts"], row["category"], row["excellence_label"], row["founded"],
                      row["members_total"], frozenset(row["offers"]), frozenset(row["seeks"]), cluster_id in forced)
        )
    left_out = len(ids) - len(candidates)
    if left_out:
        notes.append(f"{left_out} shortlisted clusters left out: not ECCP-registered or not in the call's countries")
    _check_pool(candidates, rules)
    forced_count = sum(c.forced for c in candidates)
    if forced_count > rules.max_size:
        raise ClusterKGError(f"rule 'size' cannot be met: {forced_count} required members exceed the maximum size {rules.max_size}")

    profiles = [Profile(c.id, c.offers, c.seeks) for c in candidates]
    scores = score_pairs(profiles, taxonomy, Weights())
    mutual = scores.mutual()
    pair_units, competitors = {}, set()
    for i, j in itertools.combinations(range(len(candidates)), 2):
        value = units(request.weights.pair * float(mutual[i, j]))
        if value:
            pair_units[(i, j)] = value
        if scores.overlap[i, j] >= COMPETITOR_OVERLAP:
            competitors.add((i, j))
    lead = next(i for i, c in enumerate(candidates) if c.id == request.lead)
    needs = {k: {i for i, c in enumerate(candidates) if i != lead and any(k in taxonomy.covered(o) for o in c.offers)} for k in candidates[lead].seeks}
    stages: dict[tuple[str, int], set[int]] = {}
    for chain in chains:
        for index in range(len(taxonomy.chains[chain][1])):
            stages[(chain, index)] = {i for i, c in enumerate(candidates) if any((chain, index) in taxonomy.stages.get(o, ()) for o in c.offers)}
    return Pool(candidates, lead, pair_units, competitors, needs, stages, request.weights), chains, notes


# ---------------------------------------------------------------- explanations


def explain(pool: Pool, proposal: Proposal, rules: Rules, taxonomy: Taxonomy, chains: list[str]) -> dict[str, Any]:
    """What a cluster manager takes into a proposal: why each member, coverage, the mix, the rules."""
    members = [pool.candidates[i] for i in proposal.members]
    lead = pool.candidates[pool.lead]
    rows = []
    for member in members:
        brings = []  # each item: an OFFERS edge of this member that another member (or the lead) seeks
        for offered in sorted(member.offers):
            wanted_by = sorted(o.name for o in members if o is not member and any(s in taxonomy.covered(offered) for s in o.seeks))
            if wanted_by:
                brings.append({"competence": taxonomy.name(offered), "competence_id": offered, "sought_by": wanted_by})
        seeks_from = []
        for sought in sorted(member.seeks):
            offered_by = sorted(o.name for o in members if o is not member and any(sought in taxonomy.covered(x) for x in o.offers))
            if offered_by:
                seeks_from.append({"competence": taxonomy.name(sought), "offered_by": offered_by})
        rows.append({
            "id": member.id, "name": member.name, "role": "lead" if member.id == lead.id else "required" if member.forced else "partner",
            "country": member.country, "nuts": member.nuts, "category": member.category, "excellence_label": member.excellence_label,
            "founded": member.founded, "members_total": member.members_total, "brings": brings, "seeks_from": seeks_from,
        })
    coverage = []
    uncovered = []
    for chain in chains:
        chain_name, stage_names = taxonomy.chains[chain]
        for index, stage in enumerate(stage_names):
            at_stage = [m.name for m in members if any((chain, index) in taxonomy.stages.get(o, ()) for o in m.offers)]
            coverage.append({"value_chain": chain_name, "stage": stage, "members": at_stage})
            if not at_stage:
                uncovered.append(f"{chain_name}: {stage}")
    needs_met = [taxonomy.name(k) for k, coverers in sorted(pool.needs.items()) if coverers & set(proposal.members)]
    needs_open = [taxonomy.name(k) for k, coverers in sorted(pool.needs.items()) if not coverers & set(proposal.members)]
    countries = Counter(m.country for m in members)
    categories = Counter(m.category or "unknown" for m in members)
    developing = sum(m.developing for m in members)
    rule_rows = [
        {"rule": "size", "required": f"{rules.min_size}..{rules.max_size}", "actual": str(len(members)), "met": rules.min_size <= len(members) <= rules.max_size, "origin": rules.origin.get("size", "")},
        {"rule": "countries", "required": f">= {rules.min_countries}", "actual": str(len(countries)), "met": len(countries) >= rules.min_countries, "origin": rules.origin.get("min_countries", "")},
        {"rule": "per country", "required": f"<= {rules.max_per_country}", "actual": str(max(countries.values())), "met": max(countries.values()) <= rules.max_per_country, "origin": rules.origin.get("max_per_country", "")},
        {"rule": "less developed or transition", "required": f">= {rules.min_developing}" + (f" and {rules.developing_share:.0%}" if rules.developing_share else ""),
         "actual": str(developing), "met": developing >= rules.min_developing and developing >= rules.developing_share * len(members) - 1e-9, "origin": rules.origin.get("min_developing", "")},
        {"rule": "ECCP registration", "required": "every member", "actual": "every member", "met": True, "origin": "always required by clusterkg (the 2018 call states it)"},
        {"rule": "eligible countries", "required": "the call's", "actual": ", ".join(sorted(countries)), "met": all(c in rules.countries for c in countries), "origin": rules.origin.get("countries", "")},
    ]
    return {
        "rank": proposal.rank,
        "objective": round(proposal.objective, 3),
        "bound": round(proposal.bound, 3),
        "gap": round(proposal.gap, 6),
        "status": proposal.status,
        "members": rows,
        "coverage": coverage,
        "uncovered_stages": uncovered,
        "lead_needs_met": needs_met,
        "lead_needs_open": needs_open,
        "country_mix": dict(sorted(countries.items())),
        "category_mix": dict(sorted(categories.items())),
        "rules": rule_rows,
    }


@dataclass
class ConsortiumPlan:
    request: ConsortiumRequest
    rules: Rules
    proposals: list[dict[str, Any]]
    report: SolveReport
    shortlist: int
    notes: list[str]
    synthetic: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "lead": self.request.lead,
            "call": self.request.call,
            "synthetic": self.synthetic,
            "rules": {**{k: v for k, v in asdict(self.rules).items() if k not in ("countries", "origin", "call_facts")}, "countries": list(self.rules.countries), "origin": self.rules.origin},
            "call_facts": self.rules.call_facts,
            "shortlist": self.shortlist,
            "solver": self.report.as_dict(),
            "notes": self.notes,
            "proposals": self.proposals,
        }


def propose_consortia(store: GraphStore, request: ConsortiumRequest) -> ConsortiumPlan:
    """The best consortia around a lead cluster for a call, explained."""
    started = time.perf_counter()
    rules = call_rules(store, request)
    _check_request(request, rules)
    taxonomy = Taxonomy.from_graph(store)
    pool, chains, notes = build_pool(store, request, rules, taxonomy)
    # the time limit is for the whole job: the solver gets what the shortlist left, less a margin for explaining
    remaining = request.time_limit_s - (time.perf_counter() - started) - EXPLAIN_MARGIN_S
    found, status, overall_bound = solve_consortia(pool, rules, request.proposals, max(remaining, 0.5))
    if not found:
        raise ClusterKGError(f"no consortium of the shortlist ({len(pool.candidates)} clusters) meets every rule together (solver: {status}); relax the size, countries or per-country rules")
    if len(found) < request.proposals:
        notes.append(f"only {len(found)} distinct consortia meet every rule")
    explained = [explain(pool, p, rules, taxonomy, chains) for p in found]
    members = sorted({pool.candidates[i].id for p in found for i in p.members})
    synthetic = bool(store.read(QUERIES["synthetic_members"], {"ids": members}).scalar())
    best = found[0]
    greedy_started = time.perf_counter()
    greedy = greedy_consortium(pool, rules)
    greedy_seconds = time.perf_counter() - greedy_started
    bound = max(overall_bound, best.objective)
    proven = sum(p.status == "OPTIMAL" for p in found)
    report = SolveReport(
        "CP-SAT over the shortlist", "OPTIMAL" if bound - best.objective < 1e-9 else "FEASIBLE (time limit)", best.objective, bound,
        time.perf_counter() - started, greedy_objective=None if greedy is None else pool.objective_units(greedy) / 1000, greedy_seconds=greedy_seconds,
        note=f"{len(pool.candidates)} shortlisted clusters; the bound holds for every consortium of the shortlist; "
        f"{proven} of {len(found)} proposals proven best in their own solve",
    )
    return ConsortiumPlan(request, rules, explained, report, len(pool.candidates), notes, synthetic)
