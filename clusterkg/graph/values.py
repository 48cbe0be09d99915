"""Turn engine-specific values into plain Python values.

Both engines must give callers the same shapes (ENGINES.md §2: FalkorDB
returns relativedelta and aware datetimes, Neo4j its own neo4j.time types).
Graph elements become dicts with underscore-prefixed keys so they cannot
collide with a property called `id` or `labels`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def node_dict(element_id: Any, labels: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "_type": "node",
        "_id": str(element_id),
        "_labels": list(labels),
        "properties": {k: plain(v) for k, v in properties.items()},
    }


def relationship_dict(element_id: Any, rel_type: str, start: Any, end: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "_type": "relationship",
        "_id": str(element_id),
        "_rel_type": rel_type,
        "_start": str(start),
        "_end": str(end),
        "properties": {k: plain(v) for k, v in properties.items()},
    }


def iso_duration(years: int = 0, months: int = 0, days: int = 0, seconds: float = 0) -> str:
    """ISO 8601 duration text, e.g. P1Y2M3DT4S."""
    date_part = "".join(f"{n}{u}" for n, u in ((years, "Y"), (months, "M"), (days, "D")) if n)
    time_part = f"T{seconds:g}S" if seconds else ""
    return f"P{date_part}{time_part}" if (date_part or time_part) else "PT0S"


def plain(value: Any) -> Any:
    """Recursively convert a value returned by either engine client."""
    if value is None or isinstance(value, (bool, int, float, str, dt.date)):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    converter = _converter_for(value)
    if converter is not None:
        return converter(value)
    return str(value)


def _converter_for(value: Any):
    module = type(value).__module__
    if module.startswith("falkordb"):
        from clusterkg.graph import falkordb_store

        return falkordb_store.convert_value
    if module.startswith("neo4j"):
        from clusterkg.graph import neo4j_store

        return neo4j_store.convert_value
    if module.startswith("dateutil"):  # FalkorDB returns durations as relativedelta
        return _relativedelta_iso
    return None


def _relativedelta_iso(rd: Any) -> str:
    return iso_duration(rd.years, rd.months, rd.days, rd.hours * 3600 + rd.minutes * 60 + rd.seconds)
