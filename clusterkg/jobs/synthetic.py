"""Seeded SYNTHETIC inputs for the matching jobs: event attendees, exchange applicants and hosts.

Like clusterkg.loaders.synthetic, every row says synthetic=true, ids start with
`syn-`, names are invented. Attendees and applicants can point at clusters of
the graph (themselves synthetic in the demo), so both ways of scoring (graph
data and file data) are exercised.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

from clusterkg import queries
from clusterkg.graph.store import GraphStore
from clusterkg.loaders.synthetic import MEMBER_KINDS, ORG_SUFFIX, pick_weighted, read_taxonomy, word

COUNTRIES = (
    "AT",
    "BE",
    "BG",
    "CZ",
    "DE",
    "DK",
    "EE",
    "EL",
    "ES",
    "FI",
    "FR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LV",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
)


def synthetic_clusters(store: GraphStore, limit: int = 5_000) -> list[dict[str, Any]]:
    """Synthetic clusters of the graph, with their offers, seeks and partnership membership."""
    return queries.run(store, "sample_clusters", {"limit": limit}).rows


def _competence_pair(
    rng: random.Random, chains: dict[str, Any], by_stage: dict[tuple[str, int], list[dict[str, Any]]]
) -> tuple[list[str], list[str]]:
    """Offers at one stage of a value chain, seeks at the adjacent ones: real complementarity."""
    chain_id = rng.choice(sorted(chains))
    n = len(chains[chain_id]["stages"])
    stage = rng.randrange(n)
    offers = [c["name"] for c in rng.sample(by_stage[(chain_id, stage)], k=min(2, len(by_stage[(chain_id, stage)])))]
    adjacent = [s for s in (stage - 1, stage + 1) if 0 <= s < n]
    seeks = list(
        dict.fromkeys(rng.choice(by_stage[(chain_id, rng.choice(adjacent))])["name"] for _ in range(rng.randint(1, 2)))
    )
    return offers, [s for s in seeks if s not in offers]


def generate_attendees(
    count: int, seed: int, *, slots: int = 16, clusters: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """`count` attendee rows in the documented format; about 30% linked to the given graph clusters."""
    if count < 2:
        raise ValueError("an event needs at least two attendees")
    rng = random.Random(f"clusterkg-attendees-{count}-{seed}")
    chains, by_stage = read_taxonomy()
    rows: list[dict[str, Any]] = []
    organisations: list[tuple[str, str, str]] = []
    for i in range(count):
        kind = pick_weighted(rng, MEMBER_KINDS)
        if organisations and rng.random() < 0.08:  # colleagues from one organisation
            organisation, country, kind = rng.choice(organisations)
        else:
            organisation, country = f"{word(rng)} {rng.choice(ORG_SUFFIX[kind])}", rng.choice(COUNTRIES)
            organisations.append((organisation, country, kind))
        offers, seeks = _competence_pair(rng, chains, by_stage)
        cluster_id = ""
        if clusters and rng.random() < 0.3:
            cluster = rng.choice(clusters)
            cluster_id, country = cluster["id"], cluster["country"]
        available = ""
        if rng.random() < 0.25:
            first = rng.randint(1, max(1, slots // 2))
            available = f"{first}-{min(slots, first + rng.randint(slots // 4, slots - 1))}"
        earlier = [r["attendee_id"] for r in rows]
        rows.append(
            {
                "attendee_id": f"syn-a{i:05d}",
                "name": f"{word(rng)} {word(rng)}",
                "organisation": organisation,
                "kind": kind,
                "cluster_id": cluster_id,
                "organisation_id": "",
                "country": country,
                "offers": "|".join(offers),
                "seeks": "|".join(seeks),
                "available_slots": available,
                "max_meetings": rng.choice(("", "", "", 4, 6, 8)),
                "wants": rng.choice(earlier) if earlier and rng.random() < 0.1 else "",
                "avoids": rng.choice(earlier) if earlier and rng.random() < 0.03 else "",
                "synthetic": "true",
            }
        )
    return rows


def generate_exchange_call(
    clusters: list[dict[str, Any]], applicants: int, hosts: int, seed: int, *, opens: dt.date = dt.date(2021, 9, 1)
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Applicant and host rows for a ClusterXchange round over the given graph clusters.

    Shares follow the call: about 55% SME participants, about 30% from outside
    the partnerships' community; hosts take 2-6 exchanges each.
    """
    if len(clusters) < 4:
        raise ValueError("the graph needs at least 4 synthetic clusters to draw applicants and hosts from")
    rng = random.Random(f"clusterkg-exchanges-{applicants}-{hosts}-{seed}")
    host_clusters = rng.sample(clusters, k=min(hosts, len(clusters)))
    host_rows = []
    for cluster in host_clusters:
        start = opens + dt.timedelta(days=rng.randrange(0, 120))
        host_rows.append(
            {
                "cluster_id": cluster["id"],
                "capacity": rng.randint(2, 6),
                "offers": "",
                "available_from": start,
                "available_to": start + dt.timedelta(days=rng.randint(60, 300)),
                "synthetic": "true",
            }
        )
    community = [c for c in clusters if c["community"]]
    outside = [c for c in clusters if not c["community"]]
    applicant_rows = []
    for i in range(applicants):
        from_outside = outside and (not community or rng.random() < 0.3)
        sender = rng.choice(outside if from_outside else community)
        earliest = opens + dt.timedelta(days=rng.randrange(0, 200))
        days = rng.randint(3, 20)
        topics = sender["seeks"][:] or [rng.choice(c["offers"]) for c in rng.sample(clusters, 2) if c["offers"]]
        applicant_rows.append(
            {
                "applicant_id": f"syn-ap{i:05d}",
                "name": f"{word(rng)} {word(rng)}",
                "organisation_id": "",
                "kind": "sme" if rng.random() < 0.55 else pick_weighted(rng, MEMBER_KINDS[1:]),
                "sending_cluster_id": sender["id"],
                "community_member": not from_outside,
                "topics": "|".join(rng.sample(topics, k=min(len(topics), rng.randint(1, 2)))),
                "earliest": earliest,
                "latest": earliest + dt.timedelta(days=days + rng.randint(10, 90)),
                "days": days,
                "synthetic": "true",
            }
        )
    return applicant_rows, host_rows


def write_rows(rows: list[dict[str, Any]], path: Path) -> Path:
    """Rows as CSV (the first row's keys as the header)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
