"""The consortium builder's model: the rules and the shortlist's terms.

The objective and the hard rules are documented in clusterkg.consortium.propose;
this module holds what the solver needs and nothing that reads the graph:
`Rules.check` (the one place a member set is tested against the rules),
and `greedy_consortium` (the baseline, and the search's first incumbent).
The search itself is clusterkg.consortium.search.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from clusterkg.jobs.solver import units

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
    call_facts: dict[str, Any] = field(
        default_factory=dict
    )  # budget, max grant, deadline: for the proposal, not constraints

    def check(self, members: list[Candidate]) -> list[RuleCheck]:
        """Each rule with what it requires, what `members` have, and whether they meet it: the one place rules are tested."""
        countries = Counter(m.country for m in members)
        developing = sum(m.developing for m in members)
        share = f" and {self.developing_share:.0%}" if self.developing_share else ""
        return [
            RuleCheck(
                "size",
                f"{self.min_size}..{self.max_size}",
                str(len(members)),
                self.min_size <= len(members) <= self.max_size,
                self.origin.get("size", ""),
            ),
            RuleCheck(
                "countries",
                f">= {self.min_countries}",
                str(len(countries)),
                len(countries) >= self.min_countries,
                self.origin.get("min_countries", ""),
            ),
            RuleCheck(
                "per country",
                f"<= {self.max_per_country}",
                str(max(countries.values(), default=0)),
                max(countries.values(), default=0) <= self.max_per_country,
                self.origin.get("max_per_country", ""),
            ),
            RuleCheck(
                "less developed or transition",
                f">= {self.min_developing}{share}",
                str(developing),
                developing >= self.min_developing and developing >= self.developing_share * len(members) - 1e-9,
                self.origin.get("min_developing", ""),
            ),
            RuleCheck(
                "ECCP registration",
                "every member",
                "every member",
                True,
                "always required by clusterkg (the 2018 call states it)",
            ),
            RuleCheck(
                "eligible countries",
                "the call's",
                ", ".join(sorted(countries)),
                all(c in self.countries for c in countries),
                self.origin.get("countries", ""),
            ),
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
        age = (
            "founded:unknown"
            if not founded
            else "founded:before 2000"
            if founded < 2000
            else "founded:2000-2014"
            if founded < 2015
            else "founded:2015 or later"
        )
        size = self.members_total or 0
        scale = (
            "size:unknown"
            if not size
            else "size:under 50"
            if size < 50
            else "size:50-200"
            if size <= 200
            else "size:over 200"
        )
        return label, age, scale


@dataclass
class Pool:
    """The shortlist and every term of the objective, in integer units (thousandths)."""

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
        total -= units(w.competitor) * sum(
            1 for i, j in itertools.combinations(sorted(members), 2) if (i, j) in self.competitors
        )
        total += units(w.need) * sum(1 for coverers in self.needs.values() if coverers & members)
        total += units(w.stage) * sum(1 for offerers in self.stages.values() if offerers & members)
        total += units(w.country) * len({self.candidates[i].country for i in members})
        total += units(w.category) * len({self.candidates[i].category or "unknown" for i in members})
        total += units(w.experience) * len({band for i in members for band in self.candidates[i].experience_bands()})
        return total


def violations(pool: Pool, members: set[int], rules: Rules) -> list[str]:
    """The hard rules a member set breaks (empty: eligible)."""
    found = [
        f"{r.rule}: {r.actual}, required {r.required}"
        for r in rules.check([pool.candidates[i] for i in sorted(members)])
        if not r.met
    ]
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
        if (
            best is None
            or best_gain is None
            or (best_gain <= 0 and len(members) >= rules.min_size and not missing(members))
        ):
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
