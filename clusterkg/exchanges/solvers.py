"""The assignment model: which applicant may go to which host (cross-border, dates, a met need), and the solvers.

HiGHS's MIP proves the assignment optimal at the 2020 call's scale; CP-SAT is
the fallback; a greedy baseline is reported beside both.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from typing import Any

import numpy as np
from ortools.sat.python import cp_model
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from clusterkg.exchanges.model import RATIO_UNITS, Applicant, ExchangeSettings, Host, Option, units_share
from clusterkg.jobs.solver import Solution, solve, units
from clusterkg.scoring.complementarity import Weights
from clusterkg.scoring.profiles import Taxonomy, score_pairs


def _window(applicant: Applicant, host: Host) -> tuple[dt.date, dt.date] | None:
    start = max(applicant.earliest, host.available_from)
    end = start + dt.timedelta(days=applicant.days - 1)
    return (start, end) if end <= min(applicant.latest, host.available_to) else None


def eligible_options(
    applicants: list[Applicant], hosts: list[Host], taxonomy: Taxonomy, weights: Weights
) -> tuple[list[Option], dict[int, str]]:
    """Every allowed (applicant, host) with its dates and score; and why each applicant has none, if so."""
    scores = score_pairs([a.profile for a in applicants] + [h.profile for h in hosts], taxonomy, weights)
    directed = scores.directed()
    offset = len(applicants)
    options: list[Option] = []
    no_option: dict[int, str] = {}
    for i, applicant in enumerate(applicants):
        abroad = [
            h
            for h, host in enumerate(hosts)
            if host.country != applicant.country and host.cluster.id != applicant.sending_cluster.id
        ]
        matching = [h for h in abroad if scores.need[i, offset + h] > 0]
        windows = [(h, _window(applicant, hosts[h])) for h in matching]
        timed = [(h, w) for h, w in windows if w is not None]
        for h, (start, end) in timed:
            options.append(Option(i, h, start, end, float(directed[i, offset + h])))
        if not abroad:
            no_option[i] = "no host in another country"
        elif not matching:
            no_option[i] = "no host abroad offers any of its topics"
        elif not timed:
            no_option[i] = (
                f"hosts offering its topics are not available for {applicant.days} days between {applicant.earliest} and {applicant.latest}"
            )
    return options, no_option


def solve_assignment(
    options: list[Option],
    applicants: list[Applicant],
    hosts: list[Host],
    settings: ExchangeSettings,
    *,
    quotas: bool,
    hint: set[int] | None = None,
) -> tuple[list[int], Solution]:
    """Each applicant at most once, hosts within capacity, and (with `quotas`) the call's shares; the chosen option indexes.

    HiGHS first; CP-SAT, started from `hint`, on the time left if HiGHS found nothing or
    its rounded answer breaks a rule by its tolerances (checked in integers)."""
    started = time.perf_counter()
    time_limit_s = settings.time_limit_s / 2
    chosen, solution = _highs_assignment(options, applicants, hosts, settings, quotas, time_limit_s)
    if solution.found and _feasible(chosen, options, applicants, hosts, settings, quotas):
        return chosen, solution
    return _cpsat_assignment(
        options, applicants, hosts, settings, quotas, hint, max(0.5, time_limit_s - (time.perf_counter() - started))
    )


def _quota_coefficients(
    options: list[Option], applicants: list[Applicant], settings: ExchangeSettings
) -> tuple[list[int], list[int]]:
    """share >= q  <=>  sum((flag * R - q * R) * x) >= 0, per quota: each option's coefficient."""
    sme, outside = units_share(settings.sme_share), units_share(settings.outside_share)
    return (
        [RATIO_UNITS * applicants[o.applicant].sme - sme for o in options],
        [RATIO_UNITS * applicants[o.applicant].outside - outside for o in options],
    )


def _highs_assignment(
    options: list[Option],
    applicants: list[Applicant],
    hosts: list[Host],
    settings: ExchangeSettings,
    quotas: bool,
    time_limit_s: float,
) -> tuple[list[int], Solution]:
    started = time.perf_counter()
    n = len(options)
    if n == 0:
        return [], Solution("OPTIMAL", 0, 0.0, 0.0, None)
    columns = np.arange(n)
    constraints = [
        LinearConstraint(
            sparse.csr_matrix((np.ones(n), ([o.applicant for o in options], columns)), shape=(len(applicants), n)),
            -np.inf,
            1,
        ),
        LinearConstraint(
            sparse.csr_matrix((np.ones(n), ([o.host for o in options], columns)), shape=(len(hosts), n)),
            -np.inf,
            np.array([h.capacity for h in hosts], dtype=float),
        ),
    ]
    if quotas:
        constraints.append(
            LinearConstraint(np.array(_quota_coefficients(options, applicants, settings), dtype=float), 0, np.inf)
        )
    weights = np.array([units(o.weight) for o in options], dtype=float)
    result = milp(
        -weights,
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        constraints=constraints,
        options={"mip_rel_gap": settings.gap_limit, "time_limit": max(0.5, time_limit_s)},
    )
    seconds = time.perf_counter() - started
    if result.x is None:
        return [], Solution("INFEASIBLE" if result.status == 2 else "UNKNOWN", 0, 0.0, seconds, None)
    chosen = [int(k) for k in np.flatnonzero(result.x > 0.5)]
    objective = int(sum(units(options[k].weight) for k in chosen))
    bound = (
        float(-result.mip_dual_bound) if getattr(result, "mip_dual_bound", None) is not None else float(weights.sum())
    )
    status = "FEASIBLE" if result.status != 0 else "OPTIMAL" if bound <= objective + 0.5 else "WITHIN_GAP_LIMIT"
    return chosen, Solution(status, objective, max(bound, objective), seconds, None)


def _feasible(
    chosen: list[int],
    options: list[Option],
    applicants: list[Applicant],
    hosts: list[Host],
    settings: ExchangeSettings,
    quotas: bool,
) -> bool:
    """Every rule, in integers: HiGHS works with tolerances."""
    load: Counter[int] = Counter(options[k].host for k in chosen)
    if len({options[k].applicant for k in chosen}) != len(chosen) or any(load[h] > hosts[h].capacity for h in load):
        return False
    return not quotas or all(
        sum(coefficients[k] for k in chosen) >= 0 for coefficients in _quota_coefficients(options, applicants, settings)
    )


def _cpsat_assignment(
    options: list[Option],
    applicants: list[Applicant],
    hosts: list[Host],
    settings: ExchangeSettings,
    quotas: bool,
    hint: set[int] | None,
    time_limit_s: float,
) -> tuple[list[int], Solution]:
    model = cp_model.CpModel()
    z = [model.new_bool_var(f"x{k}") for k in range(len(options))]
    by_applicant: dict[int, list[Any]] = defaultdict(list)
    by_host: dict[int, list[Any]] = defaultdict(list)
    for k, option in enumerate(options):
        by_applicant[option.applicant].append(z[k])
        by_host[option.host].append(z[k])
    for variables in by_applicant.values():
        model.add_at_most_one(variables)
    for h, variables in by_host.items():
        if len(variables) > hosts[h].capacity:
            model.add(sum(variables) <= hosts[h].capacity)
    if quotas:
        for coefficients in _quota_coefficients(options, applicants, settings):
            model.add(sum(c * z[k] for k, c in enumerate(coefficients)) >= 0)
    model.maximize(sum(units(o.weight) * z[k] for k, o in enumerate(options)))
    for k in hint or ():
        model.add_hint(z[k], 1)
    solution = solve(model, time_limit_s, gap_limit=settings.gap_limit)
    chosen = [k for k in range(len(options)) if solution.value(z[k])]
    return chosen, solution


def greedy_assignment(
    options: list[Option], applicants: list[Applicant], hosts: list[Host], settings: ExchangeSettings
) -> tuple[list[int], bool]:
    """The baseline the report compares with: best scores first within capacities, then swaps towards the quotas.

    Quotas are counted shares, so a quota falls short until a flagged applicant is added where a host has room,
    or, where none has, the weakest assignment without the flag makes room. Returns the chosen options and
    whether both quotas are met (a greedy can fail where the solver proves a solution exists)."""
    order = sorted(range(len(options)), key=lambda k: (-options[k].weight, k))
    chosen: set[int] = set()
    load: Counter[int] = Counter()
    placed: set[int] = set()

    def fits(k: int) -> bool:
        return options[k].applicant not in placed and load[options[k].host] < hosts[options[k].host].capacity

    def take(k: int) -> None:
        chosen.add(k)
        placed.add(options[k].applicant)
        load[options[k].host] += 1

    def drop(k: int) -> None:
        chosen.discard(k)
        placed.discard(options[k].applicant)
        load[options[k].host] -= 1

    for k in order:
        if fits(k):
            take(k)
    flags = (("sme", units_share(settings.sme_share)), ("outside", units_share(settings.outside_share)))

    def short() -> str | None:
        return next(
            (
                flag
                for flag, need in flags
                if not chosen
                or sum(getattr(applicants[options[k].applicant], flag) for k in chosen) * RATIO_UNITS
                < need * len(chosen)
            ),
            None,
        )

    dropped: set[int] = set()
    for _ in range(2 * len(options)):
        flag = short()
        if flag is None:
            return sorted(chosen), True
        addable = next(
            (k for k in order if k not in dropped and getattr(applicants[options[k].applicant], flag) and fits(k)), None
        )
        if addable is not None:
            take(addable)
            continue
        without = [k for k in chosen if not getattr(applicants[options[k].applicant], flag)]
        if not without:
            break
        weakest = min(without, key=lambda k: (options[k].weight, k))
        drop(weakest)
        dropped.add(weakest)
    return sorted(chosen), short() is None
