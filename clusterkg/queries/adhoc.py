"""Cypher written by people (`clusterkg query`, the analyst page): read-only, time-limited, capped.

The safety is the engine's, not ours: the text runs in the engine's read-only
mode (FalkorDB GRAPH.RO_QUERY, Neo4j READ access), so a write is refused by
the engine whatever the text looks like. An EXPLAIN or PROFILE prefix is never
sent as text (FalkorDB would execute the query): it becomes the engine's plan
call, after the engine's plan and its procedures' declared modes (FalkorDB
`dbms.procedures()`, Neo4j's query type) show that it only reads; PROFILE runs
within the same time limit. Rows are capped inside the engine (`max_rows`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from clusterkg.errors import ClusterKGError, QueryTooLarge, ReadOnlyViolation
from clusterkg.graph.cypher_text import range_sizes
from clusterkg.graph.store import GraphStore, Plan, split_plan_prefix

MAX_QUERY_LENGTH = 20_000
MAX_RANGE_ELEMENTS = 10_000_000  # 80 MB of list; FalkorDB 4.16 checks its memory cap only after building it


@dataclass
class AdhocResult:
    mode: str  # "rows", "explain" or "profile"
    columns: list[str]
    rows: list[dict[str, Any]]
    elapsed_ms: float = 0.0
    truncated: bool = False
    plan: Plan | None = None

    def as_json(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO text, the plan as lines."""
        return {
            "mode": self.mode,
            "columns": self.columns,
            "rows": [[jsonable(row.get(c)) for c in self.columns] for row in self.rows],
            "rowCount": len(self.rows),
            "truncated": self.truncated,
            "elapsedMs": round(self.elapsed_ms, 2),
            "plan": self.plan.lines if self.plan else None,
        }


def jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and infinities have no JSON number: 'nan', 'inf', '-inf' as text
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def run_adhoc(
    store: GraphStore,
    text: str,
    params: dict[str, Any] | None = None,
    *,
    timeout_ms: int | None = None,
    max_rows: int | None = None,
) -> AdhocResult:
    """Run one read-only query, or its plan for an EXPLAIN / PROFILE prefix."""
    if not text or not text.strip():
        raise ClusterKGError("the query is empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise ClusterKGError(f"the query is {len(text)} characters long; the limit is {MAX_QUERY_LENGTH}")
    mode, body = split_plan_prefix(text)
    for size in range_sizes(body, params):
        if size is not None and size > MAX_RANGE_ELEMENTS:
            raise QueryTooLarge(
                f"range() of {size:,} elements: the analyst page allows {MAX_RANGE_ELEMENTS:,} (the engine would build the whole list first)"
            )
    # The engine's own plan and procedure modes judge every form, plain, EXPLAIN and PROFILE, before
    # anything runs (a plain read also runs in the engine's read-only mode, which refuses writes again).
    reason = store.writes(body, params)
    if reason:
        form = f", also under {mode.upper()}" if mode else ""
        raise ReadOnlyViolation(
            f"this query changes the graph or reads the server's files ({reason}), and only read-only queries are allowed here{form}"
        )
    if mode == "explain":
        return AdhocResult("explain", [], [], plan=store.explain(body, params))
    if mode == "profile":
        return AdhocResult("profile", [], [], plan=store.profile(body, params, timeout_ms=timeout_ms))
    result = store.read(text, params, timeout_ms=timeout_ms, max_rows=max_rows)
    return AdhocResult("rows", result.columns, result.rows, result.elapsed_ms, result.truncated)
