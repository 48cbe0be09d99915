"""CP-SAT schedules: one time-indexed model for small events, two stages (pairs, then slots) for large ones, the LP rounded for the largest."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from ortools.sat.python import cp_model

from clusterkg.events.bound import lp_bound, lp_guided_schedule, lp_relaxation
from clusterkg.events.greedy import assign_tables, capacity, greedy_schedule
from clusterkg.events.model import Attendee, EventSettings, Meeting, Pair
from clusterkg.events.pairs import prune
from clusterkg.jobs.solver import UNITS, Solution, SolveReport, solve, units

TIME_INDEXED_LIMIT = 2_000  # pair x slot variables; above this the two-stage model is used (200 attendees x 12 slots: 0.6 s against 17.7 s, same optimum)
STAGE_ONE_LIMIT = 100_000  # pairs left after pruning; above this CP-SAT's stage 1 is not run (136,054 pairs: nothing found, and 31 s over its limit)
PRUNE_ABOVE = 30_000  # candidate pairs; above this each attendee keeps its best pairs only
FINISH_MARGIN_S = 2.0  # after the solver: tables, and reasons for the chosen and greedy meetings ...
FINISH_MARGIN_PER_ATTENDEE_S = 0.001  # ... which grow with the event (5,000 attendees: 1.9 s after the schedule)


def _time_indexed(
    pairs: list[Pair],
    attendees: list[Attendee],
    settings: EventSettings,
    hint: list[tuple[Pair, int]],
    solver_deadline: float,
) -> tuple[list[tuple[Pair, int]], Solution]:
    """One model: x[pair, slot] for every common slot of every candidate pair.

    `solver_deadline` (a time.perf_counter() value) is when the solver must stop: building the
    model comes out of the same time (500,000 variables take seconds to build)."""
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_attendee_slot: dict[tuple[int, int], list[Any]] = defaultdict(list)
    by_attendee: dict[int, list[Any]] = defaultdict(list)
    by_slot: dict[int, list[Any]] = defaultdict(list)
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


def _two_stage(
    pairs: list[Pair],
    attendees: list[Attendee],
    settings: EventSettings,
    hint: list[tuple[Pair, int]],
    solver_deadline: float,
) -> tuple[list[tuple[Pair, int]], Solution, Solution]:
    """Stage 1 chooses which pairs meet (degree and table-slot limits); stage 2 puts them into slots."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    y = [model.new_bool_var(f"p{p}") for p in range(len(pairs))]
    by_attendee: dict[int, list[Any]] = defaultdict(list)
    for p, pair in enumerate(pairs):
        by_attendee[pair.a].append(y[p])
        by_attendee[pair.b].append(y[p])
    for i, variables in by_attendee.items():
        if len(variables) > capacity(attendees[i]):
            model.add(sum(variables) <= capacity(attendees[i]))
    model.add(sum(y) <= settings.tables * settings.slots)
    model.maximize(sum(units(pair.weight) * y[p] for p, pair in enumerate(pairs)))
    hinted = {id(pair) for pair, _ in hint}
    for p, pair in enumerate(pairs):
        model.add_hint(y[p], 1 if id(pair) in hinted else 0)
    # building a model of 100,000+ pairs takes seconds of the budget: stage 1 gets 70% of what is left after it
    first = solve(model, _until(solver_deadline) * 0.7, gap_limit=settings.gap_limit)
    selected = [pairs[p] for p in range(len(pairs)) if first.value(y[p])]
    chosen, second = _time_indexed(
        selected, attendees, settings, greedy_schedule(selected, attendees, settings), solver_deadline
    )
    second.seconds = time.perf_counter() - started
    return chosen, second, first


def schedule(
    attendees: list[Attendee], pairs: list[Pair], settings: EventSettings, deadline: float | None = None
) -> tuple[list[Meeting], list[Meeting], SolveReport, int]:
    """The optimised schedule, the greedy one, the solve report and the number of pruned pairs.

    `deadline` (a time.perf_counter() value) ends the whole job: the solver gets what the
    scoring, the greedy baseline and the bound left of it (at least a second)."""
    started = time.perf_counter()
    deadline = deadline if deadline is not None else started + settings.time_limit_s
    greedy = greedy_schedule(pairs, attendees, settings)
    greedy_seconds = time.perf_counter() - started
    greedy_objective = _weight(greedy)
    pruned = prune(pairs, attendees) if len(pairs) > PRUNE_ABOVE else pairs
    variables = sum(len(p.slots) for p in pruned)
    if variables <= TIME_INDEXED_LIMIT:
        chosen, solution = _time_indexed(
            pruned, attendees, settings, greedy, _solver_deadline(deadline, len(attendees))
        )
        method = "CP-SAT, one time-indexed model"
        bound = (
            solution.bound_units / UNITS
            if len(pruned) == len(pairs) and solution.found
            else lp_bound(pairs, attendees, settings)
        )
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
                start, start_name, start_seconds = (
                    guided,
                    "the LP-guided schedule",
                    time.perf_counter() - guided_started,
                )
        if len(pruned) > STAGE_ONE_LIMIT:
            chosen = start
            method = f"LP relaxation (HiGHS), rounded: {start_name}"
            status = "FEASIBLE"
            seconds = start_seconds
        else:
            chosen, solution, first = _two_stage(
                pruned, attendees, settings, start, _solver_deadline(deadline, len(attendees))
            )
            method = "CP-SAT, two stages (pairs, then slots)"
            status = first.status if solution.status == "OPTIMAL" else solution.status
            seconds = solution.seconds
            if not solution.found or _weight(chosen) < _weight(start):
                chosen, status = start, f"{status}; {start_name} kept (the solver found nothing better in time)"
    objective = _weight(chosen)
    note = (
        ""
        if len(pruned) == len(pairs)
        else f"each attendee's best pairs kept: {len(pruned)} of {len(pairs)} candidate pairs; the bound covers all of them"
    )
    report = SolveReport(
        method,
        status,
        round(objective, 6),
        round(max(bound, objective), 6),
        seconds,
        round(greedy_objective, 6),
        greedy_seconds,
        note,
    )
    return (
        assign_tables(chosen, settings, attendees),
        assign_tables(greedy, settings, attendees),
        report,
        len(pairs) - len(pruned),
    )


def _weight(chosen: list[tuple[Pair, int]]) -> float:
    return sum(pair.weight for pair, _ in chosen)


def _solver_deadline(deadline: float, attendees: int) -> float:
    """When the solver must stop: the job's deadline less a margin for placing tables and writing reasons."""
    return deadline - FINISH_MARGIN_S - FINISH_MARGIN_PER_ATTENDEE_S * attendees


def _until(solver_deadline: float) -> float:
    """Seconds left for a solver call; half a second at least, so that a late start still returns a hint's value."""
    return max(0.5, solver_deadline - time.perf_counter())
