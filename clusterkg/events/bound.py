"""The LP relaxation of the pair choice (scipy/HiGHS): a bound on every schedule, and fractions that guide the largest events."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from clusterkg.events.greedy import capacity, greedy_schedule
from clusterkg.events.model import Attendee, EventSettings, Pair


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
    limits = np.array([capacity(a) for a in attendees] + [settings.tables * settings.slots], dtype=float)
    weights = np.array([pair.weight for pair in pairs])
    result = linprog(-weights, A_ub=matrix, b_ub=limits, bounds=(0, 1), method="highs")
    if result.status != 0:
        return Relaxation(float(weights.sum()), None)  # a valid, if loose, bound
    return Relaxation(float(-result.fun), np.asarray(result.x))


def lp_bound(pairs: list[Pair], attendees: list[Attendee], settings: EventSettings) -> float:
    """Upper bound on any schedule's weight (see `lp_relaxation`)."""
    return lp_relaxation(pairs, attendees, settings).bound


def lp_guided_schedule(
    pairs: list[Pair], attendees: list[Attendee], settings: EventSettings, fractions: np.ndarray
) -> list[tuple[Pair, int]]:
    """The greedy schedule with the pairs in the LP's order: whole pairs first, then by fraction, then by weight.

    The relaxation looks at every attendee's and every slot's limit at once, where the greedy
    looks only at the best pair left; rounding its near-integral solution this way keeps
    what it chose and fills the rest greedily."""
    order = sorted(range(len(pairs)), key=lambda p: (-round(float(fractions[p]), 6), -pairs[p].weight, p))
    return greedy_schedule([pairs[p] for p in order], attendees, settings)
