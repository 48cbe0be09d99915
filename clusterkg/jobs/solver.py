"""One way to run OR-Tools CP-SAT for every matching job, and to report how good the answer is.

CP-SAT works on integers, so scores are scaled by UNITS (three decimals) before
they reach the model; objectives and bounds are scaled back for reports.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from ortools.sat.python import cp_model

UNITS = 1000


def units(value: float) -> int:
    """A score as the integer CP-SAT optimises."""
    return int(round(value * UNITS))


@dataclass
class SolveReport:
    """How a job was solved: the objective found, a proven upper bound, the gap between them, and a greedy baseline."""

    method: str
    status: str  # OPTIMAL, WITHIN_GAP_LIMIT, FEASIBLE (stopped by the time limit), or what CP-SAT said
    objective: float
    bound: float
    seconds: float
    greedy_objective: float | None = None
    greedy_seconds: float | None = None
    note: str = ""

    @property
    def gap(self) -> float:
        """(bound - objective) / bound; 0 when proven optimal."""
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)

    @property
    def greedy_gap(self) -> float | None:
        """The greedy baseline's distance to the same bound."""
        if self.greedy_objective is None or self.bound <= 0:
            return None
        return max(0.0, (self.bound - self.greedy_objective) / self.bound)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "gap": self.gap, "greedy_gap": self.greedy_gap}


@dataclass
class Solution:
    status: str
    objective_units: int
    bound_units: float
    seconds: float
    solver: cp_model.CpSolver | None

    @property
    def found(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE", "WITHIN_GAP_LIMIT")

    def value(self, variable: cp_model.IntVar) -> int:
        return int(self.solver.value(variable)) if self.solver is not None and self.found else 0


def solve(
    model: cp_model.CpModel, time_limit_s: float, *, gap_limit: float = 0.0, workers: int | None = None, seed: int = 0
) -> Solution:
    """Solve with a time limit, stopping early within `gap_limit` of the bound; an empty model is solved without calling CP-SAT.

    Eight workers even on two cores: CP-SAT's portfolio needs them (measured on a
    700-option assignment: proven optimal in 0.05 s with 8, not in 15 s with 2).
    """
    started = time.perf_counter()
    if not model.proto.variables:
        return Solution("OPTIMAL", 0, 0.0, 0.0, None)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = workers or 8
    solver.parameters.random_seed = seed
    solver.parameters.relative_gap_limit = float(gap_limit)
    status = solver.solve(model)
    name = status.name
    if (
        name == "OPTIMAL"
        and solver.parameters.relative_gap_limit > 0
        and solver.best_objective_bound > solver.objective_value + 0.5
    ):
        name = "WITHIN_GAP_LIMIT"  # CP-SAT says OPTIMAL when it stops at the gap limit
    found = name in ("OPTIMAL", "FEASIBLE")
    return Solution(
        name,
        int(round(solver.objective_value)) if found else 0,
        float(solver.best_objective_bound) if found else 0.0,
        time.perf_counter() - started,
        solver,
    )
