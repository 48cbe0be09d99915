"""The consortium builder's inputs from the graph: the call's rules and the shortlist.

The rules in force come from an option, else the call's `Call` node
(call_rules.csv), else clusterkg's default, each with its origin. The
shortlist: the lead's best complementary partners (partner search, eligible
countries only), the best partners in less developed and transition regions,
and clusters offering at each stage of the chosen value chains; only
ECCP-registered clusters of eligible countries stay. Every term of the
objective is computed here, once, in integer units (thousandths, clusterkg.jobs.solver.units).
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

from clusterkg import queries
from clusterkg.consortium.model import COMPETITOR_OVERLAP, DEVELOPING, Candidate, ConsortiumRequest, Pool, Rules
from clusterkg.errors import ClusterKGError, NotFound
from clusterkg.graph.store import GraphStore
from clusterkg.jobs.solver import units
from clusterkg.scoring.complementarity import Filters, Weights, partner_search
from clusterkg.scoring.profiles import Profile, Taxonomy, score_pairs

SHORTLIST_PARTNERS = 30
SHORTLIST_DEVELOPING = 12
SHORTLIST_PER_STAGE = 3


def call_rules(store: GraphStore, request: ConsortiumRequest) -> Rules:
    """The hard rules: options first, then the call's data, then clusterkg's defaults, each with its origin."""
    rows = queries.run(store, "call_by_id", {"id": request.call}).rows
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
        countries = tuple(sorted(r["code"] for r in queries.run(store, "context_countries").rows))
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
        min_developing=int(
            pick("min_developing", request.min_developing, "consortium_min_less_developed_or_transition", 1)
        ),
        developing_share=request.developing_share,
        countries=countries,
        origin=origin,
        call_facts={
            k: call.get(k)
            for k in ("title", "budget_eur", "max_grant_eur", "deadline", "duration_months", "expected_grants")
            if call.get(k) is not None
        },
    )
    origin.setdefault("max_per_country", "option (default 2)")
    return rules


def check_request(request: ConsortiumRequest, rules: Rules) -> None:
    if request.proposals < 1 or request.proposals > 10:
        raise ClusterKGError("proposals must be between 1 and 10")
    if rules.min_size > rules.max_size:
        raise ClusterKGError(
            f"rule 'size' cannot be met: minimum size {rules.min_size} is larger than maximum size {rules.max_size} (by {rules.min_size - rules.max_size})"
        )
    if rules.max_size < 1 or rules.max_per_country < 1:
        raise ClusterKGError("the maximum size and the maximum per country must be at least 1")
    if rules.min_countries > rules.max_size:
        raise ClusterKGError(
            f"rule 'countries' cannot be met: {rules.min_countries} countries need at least {rules.min_countries} members, above the maximum size {rules.max_size}"
        )
    if not 0 <= rules.developing_share <= 1:
        raise ClusterKGError("the developing-region share must be between 0 and 1")
    if request.time_limit_s <= 0:
        raise ClusterKGError("the time limit must be positive")


def check_pool(candidates: list[Candidate], rules: Rules) -> None:
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


def build_pool(
    store: GraphStore, request: ConsortiumRequest, rules: Rules, taxonomy: Taxonomy
) -> tuple[Pool, list[str], list[str]]:
    """The shortlist with every objective term; also the chosen value chains and notes on what was left out."""
    if not queries.run(store, "existing_ids", {"ids": [request.lead]}, labels={"label": "Cluster"}).rows:
        raise NotFound(f"no cluster has the id '{request.lead}'")
    chains = list(
        request.value_chains or [r["id"] for r in queries.run(store, "value_chains_of", {"id": request.lead}).rows]
    )
    unknown_chains = [c for c in chains if c not in taxonomy.chains]
    if unknown_chains:
        raise ClusterKGError(
            f"unknown value chain(s): {', '.join(unknown_chains)}; see `clusterkg query 'MATCH (v:ValueChain) RETURN v.id, v.name'`"
        )
    filters = Filters(countries=rules.countries)
    ids = [request.lead, *request.must_include]
    ids += [
        m.id
        for m in partner_search(
            store, request.lead, filters=filters, exclude_ties=False, first=SHORTLIST_PARTNERS, explain=False
        )
    ]
    developing_filters = Filters(countries=rules.countries, categories=DEVELOPING)
    ids += [
        m.id
        for m in partner_search(
            store,
            request.lead,
            filters=developing_filters,
            exclude_ties=False,
            first=SHORTLIST_DEVELOPING,
            explain=False,
        )
    ]
    if chains:
        for row in queries.run(
            store,
            "stage_offerers",
            {"chains": chains, "countries": list(rules.countries), "per_stage": SHORTLIST_PER_STAGE},
        ).rows:
            ids += row["ids"]
    ids = list(dict.fromkeys(ids))
    rows = {r["id"]: r for r in queries.run(store, "consortium_candidates", {"ids": ids}).rows}
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
                raise ClusterKGError(
                    f"rule 'eligibility' cannot be met: {'lead' if cluster_id == request.lead else 'required member'} {cluster_id} is {' and '.join(problems)}"
                )
            continue
        candidates.append(
            Candidate(
                cluster_id,
                row["name"] or cluster_id,
                row["country"],
                row["nuts"],
                row["category"],
                row["excellence_label"],
                row["founded"],
                row["members_total"],
                frozenset(row["offers"]),
                frozenset(row["seeks"]),
                cluster_id in forced,
            )
        )
    left_out = len(ids) - len(candidates)
    if left_out:
        notes.append(f"{left_out} shortlisted clusters left out: not ECCP-registered or not in the call's countries")
    check_pool(candidates, rules)
    forced_count = sum(c.forced for c in candidates)
    if forced_count > rules.max_size:
        raise ClusterKGError(
            f"rule 'size' cannot be met: {forced_count} required members exceed the maximum size {rules.max_size}"
        )

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
    needs = {
        k: {i for i, c in enumerate(candidates) if i != lead and any(k in taxonomy.covered(o) for o in c.offers)}
        for k in candidates[lead].seeks
    }
    stages: dict[tuple[str, int], set[int]] = {}
    for chain in chains:
        for index in range(len(taxonomy.chains[chain][1])):
            stages[(chain, index)] = {
                i
                for i, c in enumerate(candidates)
                if any((chain, index) in taxonomy.stages.get(o, ()) for o in c.offers)
            }
    return Pool(candidates, lead, pair_units, competitors, needs, stages, request.weights), chains, notes
