"""The types every step of an event schedule shares: its settings, attendees, candidate pairs, meetings and the plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from clusterkg.errors import ClusterKGError
from clusterkg.jobs.solver import SolveReport
from clusterkg.scoring.complementarity import Weights
from clusterkg.scoring.profiles import Profile
from clusterkg.validation import Issue

MetBefore = Literal["ignore", "avoid", "prefer"]  # what to do with pairs that met at an earlier event
MET_BEFORE: tuple[MetBefore, ...] = ("ignore", "avoid", "prefer")


def met_before_of(text: str) -> MetBefore:
    """The choice named by `text`, or an error naming the three."""
    if text not in MET_BEFORE:
        raise ClusterKGError(f"met before must be ignore, avoid or prefer, not '{text}'")
    return text


RECOMMENDED_PER_ATTENDEE = 10
FINISH_MARGIN_S = 2.0  # after the solver: tables, and reasons for the chosen and greedy meetings ...
FINISH_MARGIN_PER_ATTENDEE_S = 0.001  # ... which grow with the event (5,000 attendees: 1.9 s after the schedule)


@dataclass(frozen=True)
class EventSettings:
    slots: int
    tables: int
    slot_minutes: int = 20
    start: dt.time = dt.time(9, 0)
    max_meetings: int | None = None  # per attendee unless the file says otherwise; None: one per slot
    mutual_first: bool = True
    mutual_bonus: float = 1.0
    met_before: MetBefore = (
        "ignore"  # pairs that met at an earlier event (Meeting nodes): ignore, avoid, or prefer (+ mutual_bonus)
    )
    allow_same_organisation: bool = False
    allow_same_country: bool = True
    min_score: float = 0.0  # pairs scoring at or below this are not proposed (unless wanted)
    time_limit_s: float = 30.0  # the whole job: scoring, bound and solver
    gap_limit: float = 0.001  # stop when within 0.1% of the bound; 0 proves optimality (small events)
    weights: Weights = Weights()

    def validate(self) -> None:
        if not 1 <= self.slots <= 200:
            raise ClusterKGError("slots must be between 1 and 200")
        if not 1 <= self.tables <= 10_000:
            raise ClusterKGError("tables must be between 1 and 10000")
        if not 1 <= self.slot_minutes <= 600:
            raise ClusterKGError("slot length must be between 1 and 600 minutes")
        if self.max_meetings is not None and self.max_meetings < 0:
            raise ClusterKGError("max meetings must not be negative")
        if self.time_limit_s <= 0:
            raise ClusterKGError("the time limit must be positive")
        if not 0 <= self.gap_limit < 1:
            raise ClusterKGError("the gap limit must be between 0 and 1")
        met_before_of(self.met_before)  # a caller without the type checker still gets the message

    def slot_time(self, slot: int) -> str:
        start = dt.datetime.combine(dt.date(2000, 1, 1), self.start) + dt.timedelta(
            minutes=(slot - 1) * self.slot_minutes
        )
        return start.strftime("%H:%M")


@dataclass
class Attendee:
    id: str
    name: str
    organisation: str
    kind: str | None
    country: str | None
    profile: Profile
    slots: frozenset[int]
    max_meetings: int
    wants: frozenset[str]
    avoids: frozenset[str]
    scored_with: str  # "graph organisation X", "graph cluster X" or "file"
    synthetic: bool = False
    graph_id: str | None = None  # the organisation or cluster of the graph it is (past meetings are found by it)
    region: str | None = None  # from the row's nuts or postcode
    region_category: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "organisation": self.organisation,
            "kind": self.kind,
            "country": self.country,
            "region": self.region,
            "region_category": self.region_category,
            "slots": sorted(self.slots),
            "max_meetings": self.max_meetings,
            "scored_with": self.scored_with,
        }


@dataclass
class Pair:
    a: int
    b: int
    score: float  # symmetric complementarity
    weight: float  # in the objective: score + bonuses
    mutual: bool
    wanted: bool
    slots: tuple[int, ...]
    reasons: str = ""


@dataclass
class Meeting:
    slot: int
    time: str
    table: int
    pair: Pair


@dataclass
class EventPlan:
    settings: EventSettings
    attendees: list[Attendee]
    pairs: list[Pair]  # candidates, best first
    meetings: list[Meeting]
    report: SolveReport
    greedy_meetings: list[Meeting]
    warnings: list[Issue] = field(default_factory=list)
    pruned_pairs: int = 0

    @property
    def synthetic(self) -> bool:
        return any(a.synthetic for a in self.attendees)

    def meetings_of(self, attendee: int) -> list[Meeting]:
        return sorted((m for m in self.meetings if attendee in (m.pair.a, m.pair.b)), key=lambda m: m.slot)

    def recommended(self, per_attendee: int = RECOMMENDED_PER_ATTENDEE) -> list[Pair]:
        """The best candidate pairs of each attendee, ranked (the list to read before the schedule)."""
        counts: dict[int, int] = defaultdict(int)
        chosen = []
        for pair in self.pairs:
            if counts[pair.a] < per_attendee or counts[pair.b] < per_attendee:
                chosen.append(pair)
                counts[pair.a] += 1
                counts[pair.b] += 1
        return chosen

    def summary(self) -> dict[str, Any]:
        met = {i for m in self.meetings for i in (m.pair.a, m.pair.b)}
        return {
            "attendees": len(self.attendees),
            "candidate_pairs": len(self.pairs),
            "pruned_pairs": self.pruned_pairs,
            "meetings": len(self.meetings),
            "attendees_with_meetings": len(met),
            "wanted_meetings": sum(m.pair.wanted for m in self.meetings),
            "mutual_meetings": sum(m.pair.mutual for m in self.meetings),
            "total_score": round(sum(m.pair.score for m in self.meetings), 3),
            "greedy_meetings": len(self.greedy_meetings),
            **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.report.as_dict().items()},
        }
