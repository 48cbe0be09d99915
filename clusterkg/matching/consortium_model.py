"""The consortium builder's model: the rules, the shortlist's terms, and CP-SAT.

The objective and the hard rules are documented in clusterkg.matching.consortium;
this module holds what the solver needs and nothing that reads the graph:
`Rules.check` (the one place a member set is tested against the rules),
`greedy_consortium` (the baseline and the solver's hint) and `solve_consortia`.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from clusterkg.matching.solver import solve, units

DEFAULT_CALL = "COS-CLUSTER-2020-3-03"
DEVELOPING = ("less_developed", "transition")
COMPETITOR_OVERLAP = 0.5


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

    def check(self, members: list["Candidate"]) -> list["RuleCheck"]:
        """Each rule with what it requires, what `members` have, and whether they meet it: the one place rules are tested."""
        countries = Counter(m.country for m in members)
        developing = sum(m.developing for m in members)
        share = f" and {self.developing_share:.0%}" if self.developing_share else ""
        return [
            RuleCheck("size", f"{self.min_size}..{self.max_size}", str(len(members)), self.min_size <= len(members) <= self.max_size, self.origin.get("size", "")),
            RuleCheck("countries", f">= {self.min_countries}", str(len(countries)), len(countries) >= self.min_countries, self.origin.get("min_countries", "")),
            RuleCheck("per country", f"<= {self.max_per_country}", str(max(countries.values(), default=0)),
                      max(countries.values(), default=0) <= self.max_per_country, self.origin.get("max_per_country", "")),
            RuleCheck("less developed or transition", f">= {self.min_developing}{share}", str(developing),
                      developing >= self.min_developing and developing >= self.developing_share * len(members) - 1e-9, self.origin.get("min_developing", "")),
            RuleCheck("ECCP registration", "every member", "every member", True, "always required by clusterkg (the 2018 call states it)"),
            RuleCheck("eligible countries", "the call's", ", ".join(sorted(countries)), all(c in self.countries for c in countries), self.origin.get("countries", "")),
        ]


@dataclass(frozen=True)
class RuleCheck:
    rule: str
    required: str
    actual: str
    met: bool
    origin: str


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
    found = [f"{r.rule}: {r.actual}, required {r.required}" for r in rules.check([pool.candidates[i] for i in sorted(members)]) if not r.met]
    if not all(i in members for i, c in enumerate(pool.candidates) if c.forced):
        found.append("a required member is missing")
    return found


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


def solve_consortia(pool: Pool, rules: Rules, proposals: int, time_limit_s: float, hint: set[int] | None = None) -> tuple[list[Proposal], str, float]:
    """The best `proposals` member sets, each differing from the earlier ones by two members or more; `hint` starts the search.

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
