"""Turn engine-specific values into plain Python values.

Both engines must give callers the same shapes (ENGINES.md §2: FalkorDB
returns relativedelta and aware datetimes, Neo4j its own neo4j.time types).
Graph elements become dicts with underscore-prefixed keys so they cannot
collide with a property called `id` or `labels`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Converter = Callable[[Any], Any]  # an engine's own types (nodes, paths, temporal values) -> plain values


def node_dict(
    element_id: Any, labels: list[str], properties: dict[str, Any], convert: Converter | None = None
) -> dict[str, Any]:
    return {
        "_type": "node",
        "_id": str(element_id),
        "_labels": list(labels),
        "properties": {k: plain(v, convert) for k, v in properties.items()},
    }


def relationship_dict(
    element_id: Any, rel_type: str, start: Any, end: Any, properties: dict[str, Any], convert: Converter | None = None
) -> dict[str, Any]:
    return {
        "_type": "relationship",
        "_id": str(element_id),
        "_rel_type": rel_type,
        "_start": str(start),
        "_end": str(end),
        "properties": {k: plain(v, convert) for k, v in properties.items()},
    }


def iso_duration(years: int = 0, months: int = 0, days: int = 0, seconds: float = 0) -> str:
    """ISO 8601 duration text, e.g. P1Y2M3DT4S."""
    date_part = "".join(f"{n}{u}" for n, u in ((years, "Y"), (months, "M"), (days, "D")) if n)
    time_part = f"T{seconds:g}S" if seconds else ""
    return f"P{date_part}{time_part}" if (date_part or time_part) else "PT0S"


def plain(value: Any, convert: Converter | None = None) -> Any:
    """Recursively turn a value an engine client returned into plain Python; `convert` handles the engine's own types."""
    if value is None or isinstance(value, (bool, int, float, str, dt.date)):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v, convert) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, convert) for v in value]
    if type(value).__module__.startswith("dateutil"):  # FalkorDB returns durations as relativedelta
        return iso_duration(
            value.years, value.months, value.days, value.hours * 3600 + value.minutes * 60 + value.seconds
        )
    return convert(value) if convert is not None else str(value)
