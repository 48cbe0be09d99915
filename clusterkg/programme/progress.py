"""How far a call is from its targets, and how an event's meetings went: figures computed in Cypher from the graph.

A call's exchanges (README, "Running the programme", says why each rule):
  - count: not cancelled, and made by the call's own matching (call_id), or run
    under a partnership the call funded, or hosted by a cluster of its community
    (the partners of the partnerships it funded: they are who runs ClusterXchange);
  - involve an SME: the participant organisation's kind is sme;
  - come from outside the community: the sending cluster is not one of those partners;
  - by country and by category: of the sending cluster (where the visitor comes from).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from clusterkg import queries
from clusterkg.errors import NotFound
from clusterkg.graph.store import GraphStore


@dataclass(frozen=True)
class CallProgress:
    call_id: str
    exchanges: int
    target: int | None
    sme: int
    sme_share: float | None
    sme_share_min: float | None
    outside: int
    outside_share: float | None
    outside_share_min: float | None
    by_country: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)

    def rows(self) -> list[list[Any]]:
        """The figures as a table (measure, value, target): the page's CSV/XLSX."""
        found: list[list[Any]] = [
            ["exchanges", self.exchanges, self.target],
            ["share involving an SME", self.sme_share, self.sme_share_min],
            ["share from outside the community", self.outside_share, self.outside_share_min],
        ]
        found += [[f"exchanges from {country}", n, None] for country, n in self.by_country.items()]
        found += [[f"exchanges from {category} regions", n, None] for category, n in self.by_category.items()]
        return found


def call_progress(store: GraphStore, call_id: str) -> CallProgress:
    rows = queries.run(store, "entities_by_id", {"ids": [call_id]}, labels={"label": "Call"}).rows
    if not rows:
        raise NotFound(f"no call has the id '{call_id}'")
    call = rows[0]["node"]
    groups = queries.run(store, "call_progress", {"call_id": call_id}).rows
    total = sum(int(g["exchanges"]) for g in groups)
    sme = sum(int(g["sme"]) for g in groups)
    outside = sum(int(g["outside"]) for g in groups)
    by_country: dict[str, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    for g in groups:
        by_country[g["country"] or "unknown"] += int(g["exchanges"])
        by_category[g["category"] or "unknown"] += int(g["exchanges"])

    def number(name: str) -> float | None:
        value = call.get(name)
        return None if value in (None, "") else float(value)

    target = number("exchanges_target")
    return CallProgress(
        call_id,
        total,
        int(target) if target is not None else None,
        sme,
        sme / total if total else None,
        number("sme_share_min"),
        outside,
        outside / total if total else None,
        number("outside_community_share_min"),
        dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
        dict(sorted(by_category.items())),
    )


MEASURES = ("attendees", "requested", "accepted", "scheduled", "held", "rated", "rating_sum", "follow_ups")


def event_progress(store: GraphStore, event_id: str, day: dt.date | None = None) -> dict[str, dict[str, int]]:
    """kind -> measure -> count (every measure present, 0 when none)."""
    if not queries.run(store, "existing_ids", {"ids": [event_id]}, labels={"label": "Event"}).rows:
        raise NotFound(f"no event has the id '{event_id}'")
    today = (day or dt.datetime.now(dt.UTC).date()).isoformat()
    found: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for row in queries.run(store, "event_progress", {"event_id": event_id, "today": today}).rows:
        found[row["kind"]][row["measure"]] = int(row["n"] or 0)
    return dict(sorted(found.items()))
