"""B2B meeting schedules for networking events: who meets whom, when, at which table.

1. Attendees come from a file (or an Event in the graph). One linked to an
   organisation or cluster of the graph is scored with the graph's offers and
   seeks; others with the offers and seeks of the file.
2. Every pair is scored with the symmetric complementarity of
   clusterkg.matching.profiles (the mean of both directions). A pair is a
   candidate when it has competence evidence (a need of one side met by the
   other), shares an available slot, is not avoided by either side, and passes
   the same-organisation / same-country settings. A pair that one side
   `wants` is always a candidate.
3. The meeting's weight in the objective is its score, plus `mutual_bonus`
   when each side meets a need of the other (mutual interest first), plus a
   want bonus larger than twice any other weight, so a wanted meeting is
   never traded for two others.
4. CP-SAT chooses meetings and slots maximising the total weight subject to:
   nobody in two meetings in a slot, nobody outside their slots, at most
   `max_meetings` each, at most `tables` meetings per slot, a pair meets once.
   Small instances are solved in one time-indexed model (exact when it says
   OPTIMAL). Large ones in two stages: which pairs meet (a b-matching), then
   when (the chosen pairs into slots); candidates are pruned to each
   attendee's best pairs. The reported bound is then the LP relaxation of the
   pair choice over *all* candidate pairs (scipy/HiGHS), which bounds every
   schedule, so the gap is honest.
5. A greedy baseline (best pair first, earliest common free slot) runs on the
   same candidates and is reported beside it.

Longer than 450 lines on purpose: the pair scoring, the two-stage model, the
time-indexed model for small events and the greedy baseline share one set of
attendee and pair types, and each is read against the others.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model
from scipy import sparse
from scipy.optimize import linprog

from clusterkg import queries
from clusterkg.errors import ClusterKGError
from clusterkg.graph.store import GraphStore
from clusterkg.validation import Issue, fold
from clusterkg.matching.complementarity import Weights
from clusterkg.matching.inputs import InvalidInput, Row, locate_rows, resolve_terms
from clusterkg.matching.profiles import Profile, Taxonomy, explain_pair, graph_profiles, reasons_text, score_pairs
from clusterkg.matching.records import AttendeeRecord
from clusterkg.matching.solver import UNITS, SolveReport, solve, units

TIME_INDEXED_LIMIT = 2_000  # pair x slot variables; above this the two-stage model is used (200 attendees x 12 slots: 0.6 s against 17.7 s, same optimum)
STAGE_ONE_LIMIT = 100_000  # pairs left after pruning; above this CP-SAT's stage 1 is not run (136,054 pairs: nothing found, and 31 s over its limit)
PRUNE_ABOVE = 30_000  # candidate pairs; above this each attendee keeps its best pairs only
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
    met_before: str = "ignore"  # pairs that met at an earlier event (Meeting nodes): ignore, avoid, or prefer (+ mutual_bonus)
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
        if self.met_before not in ("ignore", "avoid", "prefer"):
            raise ClusterKGError(f"met before must be ignore, avoid or prefer, not '{self.met_before}'")

    def slot_time(self, slot: int) -> str:
        start = dt.datetime.combine(dt.date(2000, 1, 1), self.start) + dt.timedelta(minutes=(slot - 1) * self.slot_minutes)
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
        return {"id": self.id, "name": self.name, "organisation": self.organisation, "kind": self.kind, "country": self.country,
                "region": self.region, "region_category": self.region_category, "slots": sorted(self.slots), "max_meetings": self.max_meetings, "scored_with": self.scored_with}


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


# ---------------------------------------------------------------- attendees


def build_attendees(store: GraphStore, rows: list[Row[AttendeeRecord]], settings: EventSettings, taxonomy: Taxonomy) -> tuple[list[Attendee], list[Issue]]:
    """Attendees with their profiles; InvalidInput for rows that reference what does not exist."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    ids = {r.record.attendee_id for r in rows}
    organisations = graph_profiles(store, "Organisation", [r.record.organisation_id for r in rows if r.record.organisation_id])
    clusters = graph_profiles(store, "Cluster", [r.record.cluster_id for r in rows if r.record.cluster_id])
    places = locate_rows(store, rows, errors, warnings)
    attendees = []
    for row, place in zip(rows, places):
        record = row.record
        for field_name, refs in (("wants", record.wants), ("avoids", record.avoids)):
            for ref in refs:
                if ref not in ids:
                    errors.append(row.issue(field_name, ref, "no attendee has this attendee_id"))
                elif ref == record.attendee_id:
                    errors.append(row.issue(field_name, ref, "an attendee cannot list itself"))
        late = [s for s in record.available_slots or [] if s > settings.slots]
        if late:
            errors.append(row.issue("available_slots", ",".join(map(str, late)), f"the event has {settings.slots} slots"))
        linked = None
        graph_id = record.organisation_id if record.organisation_id in organisations else record.cluster_id if record.cluster_id in clusters else None
        if record.organisation_id:
            linked = organisations.get(record.organisation_id)
            scored_with = f"graph organisation {record.organisation_id}"
            if linked is None:
                warnings.append(row.issue("organisation_id", record.organisation_id, "not in the graph: scored with the file's offers and seeks", "warning"))
        if linked is None and record.cluster_id:
            linked = clusters.get(record.cluster_id)
            scored_with = f"graph cluster {record.cluster_id}"
            if linked is None:
                warnings.append(row.issue("cluster_id", record.cluster_id, "not in the graph: scored with the file's offers and seeks", "warning"))
        if linked is not None and (linked["offers"] or linked["seeks"]):
            offers, seeks = set(linked["offers"]), set(linked["seeks"])
        else:
            scored_with = "file"
            offers = set(resolve_terms(taxonomy, record.offers, row, "offers", warnings))
            seeks = set(resolve_terms(taxonomy, record.seeks, row, "seeks", warnings))
        if not offers and not seeks:
            warnings.append(row.issue("offers", None, "no offers and no seeks: only meetings it wants or is wanted for", "warning"))
        linked = linked or {}
        attendees.append(
            Attendee(
                id=record.attendee_id,
                name=record.name,
                organisation=record.organisation or linked.get("name") or record.organisation_id or record.name,
                kind=record.kind or linked.get("kind"),
                country=(place.country if place else None) or record.country or linked.get("country"),
                region=place.nuts if place else None,
                region_category=place.category if place else None,
                profile=Profile(record.attendee_id, frozenset(offers), frozenset(seeks)),
                slots=frozenset(record.available_slots or range(1, settings.slots + 1)),
                max_meetings=record.max_meetings if record.max_meetings is not None else (settings.max_meetings if settings.max_meetings is not None else settings.slots),
                wants=frozenset(record.wants),
                avoids=frozenset(record.avoids),
                scored_with=scored_with,
                synthetic=record.synthetic,
                graph_id=graph_id,
            )
        )
    if errors:
        raise InvalidInput(errors)
    return attendees, warnings


def _organisation_key(attendee: Attendee) -> str:
    return fold(attendee.organisation)


# ---------------------------------------------------------------- candidates


def candidate_pairs(attendees: list[Attendee], taxonomy: Taxonomy, settings: EventSettings, met: frozenset[tuple[int, int]] = frozenset()) -> list[Pair]:
    """Every pair that may meet, best first (weight, then ids for a stable order); `met`: pairs that met before (i < j)."""
    scores = score_pairs([a.profile for a in attendees], taxonomy, settings.weights)
    mutual_score = scores.mutual()
    need = scores.need
    position = {a.id: i for i, a in enumerate(attendees)}
    wanted = {tuple(sorted((i, position[w]))) for i, a in enumerate(attendees) for w in a.wants}
    avoided = {tuple(sorted((i, position[v]))) for i, a in enumerate(attendees) for v in a.avoids}
    evidence = (need + need.T) > 0
    rows, cols = np.nonzero(np.triu(evidence | (mutual_score > settings.min_score), k=1))
    candidates = set(zip(rows.tolist(), cols.tolist())) | wanted
    pairs = []
    for i, j in candidates:
        a, b = attendees[i], attendees[j]
        is_wanted = (i, j) in wanted
        if (i, j) in avoided or a.max_meetings == 0 or b.max_meetings == 0:
            continue
        if settings.met_before == "avoid" and (i, j) in met and not is_wanted:
            continue
        if not is_wanted:
            if not evidence[i, j] or mutual_score[i, j] <= settings.min_score:
                continue
            if not settings.allow_same_organisation and _organisation_key(a) == _organisation_key(b):
                continue
            if not settings.allow_same_country and a.country and a.country == b.country:
                continue
        common = tuple(sorted(a.slots & b.slots))
        if not common:
            continue
        is_mutual = bool(need[i, j] > 0 and need[j, i] > 0)
        weight = float(mutual_score[i, j]) + (settings.mutual_bonus if settings.mutual_first and is_mutual else 0.0)
        if settings.met_before == "prefer" and (i, j) in met:
            weight += settings.mutual_bonus
        pairs.append(Pair(i, j, float(mutual_score[i, j]), weight, is_mutual, is_wanted, common))
    if pairs:
        want_bonus = 2 * max(max(p.weight for p in pairs), 0.0) + 1.0
        for pair in pairs:
            pair.weight = max(pair.weight, 0.001) + (want_bonus if pair.wanted else 0.0)
    pairs.sort(key=lambda p: (-p.weight, attendees[p.a].id, attendees[p.b].id))
    return pairs


def _prune(pairs: list[Pair], attendees: list[Attendee]) -> list[Pair]:
    """Each attendee's best pairs (three times its meeting cap, at least 10) and every wanted pair."""
    kept_count: dict[int, int] = defaultdict(int)
    kept = []
    for pair in pairs:  # best first
        cap_a = max(10, 3 * min(attendees[pair.a].max_meetings, len(attendees[pair.a].slots)))
        cap_b = max(10, 3 * min(attendees[pair.b].max_meetings, len(attendees[pair.b].slots)))
        if pair.wanted or kept_count[pair.a] < cap_a or kept_count[pair.b] < cap_b:
            kept.append(pair)
            kept_count[pair.a] += 1
            kept_count[pair.b] += 1
    return kept


# ---------------------------------------------------------------- schedules


def _capacity(attendee: Attendee) -> int:
    return min(attendee.max_meetings, len(attendee.slots))


def _assign_tables(chosen: list[tuple[Pair, int]], settings: EventSettings, attendees: list[Attendee]) -> list[Meeting]:
    by_slot: dict[int, list[Pair]] = defaultdict(list)
    for pair, slot in chosen:
        by_slot[slot].append(pair)
    meetings = []
    for slot in sorted(by_slot):
        for table, pair in enumerate(sorted(by_slot[slot], key=lambda p: (attendees[p.a].id, attendees[p.b].id)), start=1):
            meetings.append(Meeting(slot, settings.slot_time(slot), table, pair))
    return meetings


def greedy_schedule(pairs: list[Pair], attendees: list[Attendee], settings: EventSettings) -> list[tuple[Pair, int]]:
    """Best pair first, into the earliest slot where both are free and a table is left."""
    busy: dict[int, set[int]] = defaultdict(set)
    count: dict[int, int] = defaultdict(int)
    per_slot: dict[int, int] = defaultdict(int)
    chosen = []
    for pair in pairs:
        if count[pair.a] >= attendees[pair.a].max_meetings or count[pair.b] >= attendees[pair.b].max_meetings:
            continue
        for slot in pair.slots:
            if per_slot[slot] < settings.tables and slot not in busy[pair.a] and slot not in busy[pair.b]:
                chosen.append((pair, slot))
                busy[pair.a].add(slot)
                busy[pair.b].add(slot)
                count[pair.a] += 1
                count[pair.b] += 1
                per_slot[slot] += 1
                break
    return chosen


def _time_indexed(pairs: list[Pair], attendees: list[Attendee], settings: EventSettings, hint: list[tuple[Pair, int]], solver_deadline: float):
    """One model: x[pair, slot] for every common slot of every candidate pair.

    `solver_deadline` (a time.perf_counter() value) is when the solver must stop: building the
    model comes out of the same time (500,000 variables take seconds to build)."""
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_attendee_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_attendee: dict[int, list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    for p, pair in enumerate(pairs):
        own = []
        for slot in pair.slots:
            var = model.new_bool_var(f"m{p}_{slot}")
            x[(p, slot)] = var
            own.append(var)
            by_attendee_slot[(pair.a, slot)].append(var)
            by_attendee_slot[(pair.b, slot)].append(var)
            by_slot[slot].append(var)
        model.add_at_most_one(own)  # a pair meets once
        by_attendee[pair.a].extend(own)
        by_attendee[pair.b].extend(own)
    for variables in by_attendee_slot.values():
        model.add_at_most_one(variables)
    for i, variables in by_attendee.items():
        if len(variables) > attendees[i].max_meetings:
            model.add(sum(variables) <= attendees[i].max_meetings)
    for variables in by_slot.values():
        if len(variables) > settings.tables:
            model.add(sum(variables) <= settings.tables)
    model.maximize(sum(units(pair.weight) * x[(p, slot)] for p, pair in enumerate(pairs) for slot in pair.slots))
    index = {id(pair): p for p, pair in enumerate(pairs)}
    hinted = {(index[id(pair)], slot) for pair, slot in hint}
    for key, var in x.items():
        model.add_hint(var, 1 if key in hinted else 0)
    solution = solve(model, _until(solver_deadline), gap_limit=settings.gap_limit)
    chosen = [(pairs[p], slot) for (p, slot), var in x.items() if solution.value(var)]
    return chosen, solution


def _two_stage(pairs: list[Pair], attendees: list[Attendee], settings: EventSettings, hint: list[tuple[Pair, int]], solver_deadline: float):
    """Stage 1 chooses which pairs meet (degree and table-slot limits); stage 2 puts them into slots."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    y = [model.new_bool_var(f"p{p}") for p in range(len(pairs))]
    by_attendee: dict[int, list] = defaultdict(list)
    for p, pair in enumerate(pairs):
        by_attendee[pair.a].append(y[p])
        by_attendee[pair.b].append(y[p])
    for i, variables in by_attendee.items():
        if len(variables) > _capacity(attendees[i]):
            model.add(sum(variables) <= _capacity(attendees[i]))
    model.add(sum(y) <= settings.tables * settings.slots)
    model.maximize(sum(units(pair.weight) * y[p] for p, pair in enumerate(pairs)))
    hinted = {id(pair) for pair, _ in hint}
    for p, pair in enumerate(pairs):
        model.add_hint(y[p], 1 if id(pair) in hinted else 0)
    # building a model of 100,000+ pairs takes seconds of the budget: stage 1 gets 70% of what is left after it
    first = solve(model, _until(solver_deadline) * 0.7, gap_limit=settings.gap_limit)
    selected = [pairs[p] for p in range(len(pairs)) if first.value(y[p])]
    chosen, second = _time_indexed(selected, attendees, settings, greedy_schedule(selected, attendees, settings), solver_deadline)
    second.seconds = time.perf_counter() - started
    return chosen, second, first


@dataclass
class Relaxation:
    """The LP relaxation of choosing pairs under degree and table-slot limits: its value bounds every schedule."""

    bound: float
    fractions: np.ndarray | None  # one value in [0, 1] per pair; None when the LP failed


def lp_relaxation(pairs: list[Pair], attendees: list[Attendee], settings: EventSettings) -> Relaxation:
    """Solve the relaxation with HiGHS (625,639 pairs: 7 s); its fractions guide `lp_guided_schedule`."""
    if not pairs:
        return Relaxation(0.0, np.zeros(0))
    n_pairs = len(pairs)
    rows = [pair.a for pair in pairs] + [pair.b for pair in pairs]
    cols = list(range(n_pairs)) * 2
    n_attendees = len(attendees)
    degree = sparse.csr_matrix((np.ones(2 * n_pairs), (rows, cols)), shape=(n_attendees, n_pairs))
    total = sparse.csr_matrix(np.ones((1, n_pairs)))
    matrix = sparse.vstack([degree, total]).tocsr()
    limits = np.array([_capacity(a) for a in attendees] + [settings.tables * settings.slots], dtype=float)
    weights = np.array([pair.weight for pair in pairs])
    result = linprog(-weights, A_ub=matrix, b_ub=limits, bounds=(0, 1), method="highs")
    if result.status != 0:
        return Relaxation(float(weights.sum()), None)  # a valid, if loose, bound
    return Relaxation(float(-result.fun), np.asarray(result.x))


def lp_bound(pairs: list[Pair], attendees: list[Attendee], settings: EventSettings) -> float:
    """Upper bound on any schedule's weight (see `lp_relaxation`)."""
    return lp_relaxation(pairs, attendees, settings).bound


def lp_guided_schedule(pairs: list[Pair], attendees: list[Attendee], settings: EventSettings, fractions: np.ndarray) -> list[tuple[Pair, int]]:
    """The greedy schedule with the pairs in the LP's order: whole pairs first, then by fraction, then by weight.

    The relaxation looks at every attendee's and every slot's limit at once, where the greedy
    looks only at the best pair left; rounding its near-integral solution this way keeps
    what it chose and fills the rest greedily."""
    order = sorted(range(len(pairs)), key=lambda p: (-round(float(fractions[p]), 6), -pairs[p].weight, p))
    return greedy_schedule([pairs[p] for p in order], attendees, settings)


def schedule(attendees: list[Attendee], pairs: list[Pair], settings: EventSettings, deadline: float | None = None) -> tuple[list[Meeting], list[Meeting], SolveReport, int]:
    """The optimised schedule, the greedy one, the solve report and the number of pruned pairs.

    `deadline` (a time.perf_counter() value) ends the whole job: the solver gets what the
    scoring, the greedy baseline and the bound left of it (at least a second)."""
    started = time.perf_counter()
    deadline = deadline if deadline is not None else started + settings.time_limit_s
    greedy = greedy_schedule(pairs, attendees, settings)
    greedy_seconds = time.perf_counter() - started
    greedy_objective = _weight(greedy)
    pruned = _prune(pairs, attendees) if len(pairs) > PRUNE_ABOVE else pairs
    variables = sum(len(p.slots) for p in pruned)
    if variables <= TIME_INDEXED_LIMIT:
        chosen, solution = _time_indexed(pruned, attendees, settings, greedy, _solver_deadline(deadline, len(attendees)))
        method = "CP-SAT, one time-indexed model"
        bound = solution.bound_units / UNITS if len(pruned) == len(pairs) and solution.found else lp_bound(pairs, attendees, settings)
        status = solution.status
        seconds = solution.seconds
        if not solution.found or _weight(chosen) < greedy_objective:
            chosen, status = greedy, f"{status}; greedy kept (the solver found nothing better in time)"
    else:
        # before the solver, so that the solver's time is what is left; its fractions give a better start than greedy
        relaxation = lp_relaxation(pairs, attendees, settings)
        bound = relaxation.bound
        start, start_name, start_seconds = greedy, "greedy", 0.0
        if relaxation.fractions is not None:
            guided_started = time.perf_counter()
            guided = lp_guided_schedule(pairs, attendees, settings, relaxation.fractions)
            if _weight(guided) > greedy_objective:
                start, start_name, start_seconds = guided, "the LP-guided schedule", time.perf_counter() - guided_started
        if len(pruned) > STAGE_ONE_LIMIT:
            chosen = start
            method = f"LP relaxation (HiGHS), rounded: {start_name}"
            status = "FEASIBLE"
            seconds = start_seconds
        else:
            chosen, solution, first = _two_stage(pruned, attendees, settings, start, _solver_deadline(deadline, len(attendees)))
            method = "CP-SAT, two stages (pairs, then slots)"
            status = first.status if solution.status == "OPTIMAL" else solution.status
            seconds = solution.seconds
            if not solution.found or _weight(chosen) < _weight(start):
                chosen, status = start, f"{status}; {start_name} kept (the solver found nothing better in time)"
    objective = _weight(chosen)
    note = "" if len(pruned) == len(pairs) else f"each attendee's best pairs kept: {len(pruned)} of {len(pairs)} candidate pairs; the bound covers all of them"
    report = SolveReport(method, status, round(objective, 6), round(max(bound, objective), 6), seconds, round(greedy_objective, 6), greedy_seconds, note)
    return _assign_tables(chosen, settings, attendees), _assign_tables(greedy, settings, attendees), report, len(pairs) - len(pruned)


def _weight(chosen: list[tuple[Pair, int]]) -> float:
    return sum(pair.weight for pair, _ in chosen)


def _solver_deadline(deadline: float, attendees: int) -> float:
    """When the solver must stop: the job's deadline less a margin for placing tables and writing reasons."""
    return deadline - FINISH_MARGIN_S - FINISH_MARGIN_PER_ATTENDEE_S * attendees


def _until(solver_deadline: float) -> float:
    """Seconds left for a solver call; half a second at least, so that a late start still returns a hint's value."""
    return max(0.5, solver_deadline - time.perf_counter())


def plan_event(store: GraphStore, rows: list[Row[AttendeeRecord]], settings: EventSettings, *, warnings: list[Issue] | None = None,
               event_id: str | None = None) -> EventPlan:
    """Score, choose and schedule the meetings of one event (`event_id`: the graph's event, whose own meetings are not "met before").

    `settings.time_limit_s` is for the whole job: scoring every pair, the bound and the solver."""
    deadline = time.perf_counter() + settings.time_limit_s
    settings.validate()
    if len(rows) < 2:
        raise ClusterKGError("an event needs at least two attendees")
    taxonomy = Taxonomy.from_graph(store)
    attendees, attendee_warnings = build_attendees(store, rows, settings, taxonomy)
    pairs = candidate_pairs(attendees, taxonomy, settings, met_before(store, attendees, event_id) if settings.met_before != "ignore" else frozenset())
    meetings, greedy, report, pruned = schedule(attendees, pairs, settings, deadline)
    for meeting in meetings + greedy:
        pair = meeting.pair
        if not pair.reasons:
            a, b = attendees[pair.a], attendees[pair.b]
            pair.reasons = reasons_text(explain_pair(a.profile, b.profile, taxonomy), a.name, b.name) or ("wanted" if pair.wanted else "")
    plan = EventPlan(settings, attendees, pairs, meetings, report, greedy, (warnings or []) + attendee_warnings, pruned)
    for pair in plan.recommended():
        if not pair.reasons:
            a, b = attendees[pair.a], attendees[pair.b]
            pair.reasons = reasons_text(explain_pair(a.profile, b.profile, taxonomy), a.name, b.name)
    return plan


def met_before(store: GraphStore, attendees: list[Attendee], event_id: str | None = None) -> frozenset[tuple[int, int]]:
    """Pairs of attendees (indexes, i < j) whose organisations or clusters met at another event (Meeting nodes).

    Meetings at `event_id` itself are this schedule's own, committed by an earlier run: planning again must not avoid them."""
    position = {a.graph_id: i for i, a in enumerate(attendees) if a.graph_id}
    rows = queries.run(store, "met_pairs", {"ids": sorted(position), "event_id": event_id}).rows
    return frozenset(tuple(sorted((position[r["a"]], position[r["b"]]))) for r in rows)


def attendees_of_event(store: GraphStore, event_id: str) -> list[dict[str, Any]]:
    """The attendees of an Event in the graph, as attendee rows (offers/seeks of the attendance, if any)."""
    if not queries.run(store, "existing_ids", {"ids": [event_id]}, labels={"label": "Event"}).rows:
        raise ClusterKGError(f"no event has the id '{event_id}'")
    rows = queries.run(store, "event_attendees", {"event_id": event_id}).rows
    if not rows:
        raise ClusterKGError(f"event '{event_id}' has no attendees (ATTENDS relationships) in the graph")
    return rows
