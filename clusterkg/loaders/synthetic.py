"""A seeded generator of realistic, clearly labelled SYNTHETIC cluster data.

No public machine-readable list of cluster organisations, partnership members
or ClusterXchange exchanges exists, so demos, tests and benchmarks use this.
It writes the documented file formats (docs/formats.md), which then go
through the very same loaders as real files. Every row has `synthetic=true`,
ids start with `syn-`, names are invented words, websites use the reserved
`.example` domain. Same seed and scale, same bytes.

Shape (scale s is about the ECCP today): clusters on real NUTS-2 regions,
denser in more-developed regions; heavy-tailed member counts (at least 15,
the ECCP criterion); competences drawn from value-chain stages so that real
complementarity exists (a cluster offers at one stage and seeks at the
adjacent ones); partnerships of 4-8 clusters from 3+ countries; exchanges
about 50% with SME participants and about 25% with participants from outside
the partnerships' community, cross-border.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clusterkg.loaders.postcodes import correspondence
from clusterkg.loaders.reference import TAXONOMY_DIR, build_reference

SCALES = {
    # clusters, member organisations, partnerships, exchanges
    "xs": (60, 1_500, 4, 60),
    "s": (1_100, 50_000, 30, 1_000),
    "m": (11_000, 500_000, 300, 10_000),
    "l": (110_000, 5_000_000, 3_000, 100_000),
}
CATEGORY_WEIGHT = {"more_developed": 3.0, "transition": 2.0, "less_developed": 1.2}
MEMBER_KINDS = (
    ("sme", 0.70),
    ("large", 0.10),
    ("research", 0.08),
    ("university", 0.05),
    ("public", 0.04),
    ("other", 0.03),
)
SME_SHARE = 0.5
OUTSIDE_COMMUNITY_SHARE = 0.25
SYLLABLES = (
    "var",
    "nol",
    "tri",
    "mek",
    "sal",
    "dor",
    "ven",
    "ka",
    "lum",
    "ber",
    "quin",
    "tas",
    "ro",
    "fel",
    "zan",
    "mir",
    "gol",
    "ste",
    "pra",
    "lin",
)
ORG_SUFFIX = {
    "sme": ("Systems", "Technologies", "Solutions", "Labs", "Works", "Engineering"),
    "large": ("Group", "Industries", "Holding"),
    "research": ("Research Institute", "Technology Centre"),
    "university": ("University", "Polytechnic"),
    "public": ("Regional Agency", "Development Office"),
    "other": ("Association", "Foundation"),
}


@dataclass
class GeneratedFiles:
    directory: Path
    counts: dict[str, int]


# How invented clusters are named, taken in turn by index (not from the seeded stream, which the rest of the data
# is drawn from): a directory page of one value chain reads as a list of different organisations.
NAME_PATTERNS = (
    "{word} {chain} Cluster",
    "{chain} Cluster {word}",
    "{word} {chain} Network",
    "{word} Innovation Hub for {chain}",
    "{chain} Alliance {word}",
    "{word} {chain} Association",
    "{word} Competence Centre for {chain}",
    "{chain} Platform {word}",
)


def cluster_name(index: int, word_text: str, chain_name: str) -> str:
    """The invented name of synthetic cluster `index` (7 is prime to the patterns: neighbours differ)."""
    return NAME_PATTERNS[(index * 7) % len(NAME_PATTERNS)].format(word=word_text, chain=chain_name)


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def pick_weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def read_taxonomy() -> tuple[dict[str, dict[str, Any]], dict[tuple[str, int], list[dict[str, Any]]]]:
    with open(TAXONOMY_DIR / "value-chains.csv", newline="", encoding="utf-8") as handle:
        chains = {r["id"]: {**r, "stages": r["stages"].split("|")} for r in csv.DictReader(handle)}
    by_stage: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    with open(TAXONOMY_DIR / "competences.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stage_index = chains[row["value_chain"]]["stages"].index(row["stage"])
            by_stage[(row["value_chain"], stage_index)].append(row)
    return chains, by_stage


def generate(scale: str, seed: int, out: Path) -> GeneratedFiles:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}")
    n_clusters, n_members, n_partnerships, n_exchanges = SCALES[scale]
    rng = random.Random(f"clusterkg-{scale}-{seed}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chains, by_stage = read_taxonomy()
    chain_ids = sorted(chains)
    regions = sorted(
        (r for r in build_reference().nodes["Region"] if r["level"] == 2 and r.get("category")),
        key=lambda r: r["nuts"],
    )
    region_weights = [CATEGORY_WEIGHT[r["category"]] for r in regions]

    # Synthetic narrower competences, one per stage: exercise "a narrower competence counts for a broader one sought".
    narrower = []
    for (chain_id, stage_index), competences in sorted(by_stage.items()):
        parent = competences[0]
        narrower.append(
            {
                "id": f"syn-k-{chain_id[3:]}-{stage_index}",
                "name": f"{word(rng)} method for {parent['name'].lower()}",
                "kind": parent["kind"],
                "broader": parent["id"],
                "value_chain": chain_id,
                "stage": parent["stage"],
                "aliases": "",
                "synthetic": "true",
            }
        )
    narrower_by_stage = {(n["value_chain"], chains[n["value_chain"]]["stages"].index(n["stage"])): n for n in narrower}

    # Postal codes from Eurostat's correspondence, inside each cluster's region; their own random stream
    # so that adding them left every other generated value as it was.
    postcode_rng = random.Random(f"clusterkg-postcodes-{scale}-{seed}")
    postcodes_in = correspondence().codes_by_region()

    def postcode_of(nuts: str) -> str:
        found = postcodes_in.get(nuts)
        return postcode_rng.choice(found) if found else ""

    clusters = []
    profile = {}
    for i in range(n_clusters):
        region = rng.choices(regions, weights=region_weights)[0]
        chain_id = rng.choice(chain_ids)
        chain = chains[chain_id]
        stage = rng.randrange(len(chain["stages"]))
        offers = rng.sample(by_stage[(chain_id, stage)], k=2) + [rng.choice(by_stage[(chain_id, max(0, stage - 1))])]
        adjacent = [s for s in (stage - 1, stage + 1) if 0 <= s < len(chain["stages"])]
        seeks = [rng.choice(by_stage[(chain_id, s)]) for s in adjacent] + [
            rng.choice(by_stage[(chain_id, rng.choice(adjacent))])
        ]
        ecosystems = [chain["ecosystem"]]
        if rng.random() < 0.3:  # a second chain, as many clusters work across two
            other = chains[rng.choice(chain_ids)]
            ecosystems.append(other["ecosystem"])
            offers.append(rng.choice(by_stage[(other["id"], rng.randrange(len(other["stages"])))]))
        offer_names = list(dict.fromkeys(c["name"] for c in offers))
        seek_names = [c["name"] for c in seeks if c["name"] not in offer_names]
        if rng.random() < 0.2:
            seek_names.append(narrower_by_stage[(chain_id, rng.choice(adjacent))]["name"])
        name = cluster_name(i, word(rng), chain["name"])
        cluster_id = f"syn-c{i:06d}"
        label = pick_weighted(rng, (("", 0.75), ("bronze", 0.15), ("silver", 0.07), ("gold", 0.03)))
        clusters.append(
            {
                "id": cluster_id,
                "name": name,
                "acronym": "".join(w[0] for w in name.split()).upper(),
                "country": region["country"],
                "nuts": region["nuts"],
                "postcode": postcode_of(region["nuts"]),
                "city": word(rng),
                "website": f"https://{cluster_id}.example",
                "founded": rng.randint(1990, 2021),
                "members_total": 0,
                "sme_members": 0,
                "large_members": 0,
                "research_members": 0,
                "excellence_label": label,
                "ecosystems": "|".join(dict.fromkeys(ecosystems)),
                "offers": "|".join(offer_names),
                "seeks": "|".join(dict.fromkeys(seek_names)),
                "eccp_profile_id": f"SYN-ECCP-{i:06d}",
                "eccp_registered_since": dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650)),
                "description": f"Synthetic cluster for demos and tests: works on {chain['name'].lower()}, strongest in {chain['stages'][stage]}.",
                "synthetic": "true",
            }
        )
        profile[cluster_id] = {
            "chain": chain_id,
            "offers": [c["name"] for c in offers],
            "seeks": [c["name"] for c in seeks],
            "country": region["country"],
        }

    # Heavy-tailed member counts, at least 15 each (ECCP criterion), summing to n_members.
    weights = [rng.paretovariate(1.6) for _ in clusters]
    spare = max(0, n_members - 15 * len(clusters))
    total_weight = sum(weights)  # once: summed per cluster, l (110,000 clusters) never finished generating
    sizes = [15 + int(spare * w / total_weight) for w in weights]
    members = []
    members_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    org_number = 0
    for cluster, size in zip(clusters, sizes):
        own = profile[cluster["id"]]
        for _ in range(size):
            kind = pick_weighted(rng, MEMBER_KINDS)
            name = f"{word(rng)} {rng.choice(ORG_SUFFIX[kind])}"
            member = {
                "organisation_id": f"syn-o{org_number:08d}",
                "name": name,
                "kind": kind,
                "cluster_id": cluster["id"],
                "nuts": cluster["nuts"],
                "offers": rng.choice(own["offers"]),
                "seeks": rng.choice(own["seeks"]),
                "synthetic": "true",
            }
            org_number += 1
            members.append(member)
            members_of[cluster["id"]].append(member)
        kinds = [m["kind"] for m in members_of[cluster["id"]]]
        cluster.update(
            members_total=len(kinds),
            sme_members=kinds.count("sme"),
            large_members=kinds.count("large"),
            research_members=kinds.count("research") + kinds.count("university"),
        )

    # Partnerships: 4-8 clusters of one value chain from 3+ countries.
    by_chain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cluster in clusters:
        by_chain[profile[cluster["id"]]["chain"]].append(cluster)
    partnerships = []
    partner_of: dict[str, str] = {}
    partnership_kinds = (("ESCP-4x", 0.5), ("ESCP-4i", 0.2), ("ESCP-S3", 0.15), ("Eurocluster", 0.15))
    for p in range(n_partnerships):
        pool = [c for c in by_chain[chain_ids[p % len(chain_ids)]] if c["id"] not in partner_of]
        rng.shuffle(pool)
        chosen: list[dict[str, Any]] = []
        countries: set[str] = set()
        for cluster in pool:
            if sum(1 for c in chosen if c["country"] == cluster["country"]) >= 2:
                continue
            chosen.append(cluster)
            countries.add(cluster["country"])
            if len(chosen) >= rng.randint(4, 8) and len(countries) >= 3:
                break
        if len(chosen) < 4 or len(countries) < 3:
            continue
        kind = pick_weighted(rng, partnership_kinds)
        start = dt.date(2021 + rng.randrange(3), rng.choice((1, 3, 6, 9)), 1)
        partnership_id = f"syn-p{p:05d}"
        partnerships.append(
            {
                "id": partnership_id,
                "name": f"{word(rng)} {chains[chain_ids[p % len(chain_ids)]]['name']} Partnership",
                "acronym": word(rng).upper()[:6],
                "kind": kind,
                "call": "COS-CLUSTER-2020-3-03" if kind == "ESCP-4x" else "",
                "start": start,
                "end": start + dt.timedelta(days=730),
                "eu_grant_eur": rng.randrange(200_000, 500_001, 1000),
                "coordinator_cluster_id": chosen[0]["id"],
                "partner_cluster_ids": "|".join(c["id"] for c in chosen[1:]),
                "synthetic": "true",
            }
        )
        for cluster in chosen:
            partner_of[cluster["id"]] = partnership_id

    community = [c for c in clusters if c["id"] in partner_of]
    outside = [c for c in clusters if c["id"] not in partner_of]
    exchanges = []
    for e in range(n_exchanges if community else 0):
        from_outside = rng.random() < OUTSIDE_COMMUNITY_SHARE and outside
        sender = rng.choice(outside if from_outside else community)
        wants_sme = rng.random() < SME_SHARE
        candidates = [m for m in members_of[sender["id"]] if (m["kind"] == "sme") == wants_sme] or members_of[
            sender["id"]
        ]
        participant = rng.choice(candidates)
        same_chain = [c for c in by_chain[profile[sender["id"]]["chain"]] if c["country"] != sender["country"]]
        host = rng.choice(same_chain or [c for c in clusters if c["country"] != sender["country"]])
        start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(900))
        exchanges.append(
            {
                "id": f"syn-x{e:06d}",
                "participant_id": participant["organisation_id"],
                "participant_name": participant["name"],
                "participant_kind": participant["kind"],
                "sending_cluster_id": sender["id"],
                "host_cluster_id": host["id"],
                "partnership_id": partner_of.get(sender["id"], ""),
                "start": start,
                "end": start + dt.timedelta(days=rng.randint(2, 29)),
                "topic": rng.choice(profile[sender["id"]]["seeks"]),
                "status": pick_weighted(rng, (("completed", 0.7), ("ongoing", 0.1), ("planned", 0.2))),
                "synthetic": "true",
            }
        )

    events, attendance, meetings = _events(
        clusters, members_of, profile, random.Random(f"clusterkg-events-{scale}-{seed}")
    )
    postings = _postings(clusters, profile, random.Random(f"clusterkg-postings-{scale}-{seed}"))
    files = {
        "competences": narrower,
        "clusters": clusters,
        "members": members,
        "partnerships": partnerships,
        "exchanges": exchanges,
        "events": events,
        "attendance": attendance,
        "meetings": meetings,
        "postings": postings,
    }
    for name, rows in files.items():
        with open(out / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    (out / "SYNTHETIC.txt").write_text(
        f"SYNTHETIC DATA generated by `clusterkg generate --scale {scale} --seed {seed}`.\n"
        "Every organisation, cluster, partnership, exchange and event here is invented; none is real.\n",
        encoding="utf-8",
    )
    return GeneratedFiles(out, {name: len(rows) for name, rows in files.items()})


POSTING_SHARE = 0.3  # clusters with a posting; about one in six of those is closed or past its deadline
POSTING_KINDS = (("REQUEST", 0.5), ("OFFER", 0.3), ("RD_REQUEST", 0.2))


def _postings(
    clusters: list[dict[str, Any]], profile: dict[str, dict[str, Any]], rng: random.Random
) -> list[dict[str, Any]]:
    """Offers and requests of some clusters, from their own profiles; deadlines around today (a demo stays live)."""
    today = dt.date.today()
    found: list[dict[str, Any]] = []
    for cluster in clusters:
        if rng.random() >= POSTING_SHARE:
            continue
        own = profile[cluster["id"]]
        kind = pick_weighted(rng, POSTING_KINDS)
        pool = own["offers"] if kind == "OFFER" else own["seeks"]
        competences = rng.sample(pool, min(len(pool), rng.randint(1, 2)))
        status, deadline = "PUBLISHED", today + dt.timedelta(days=rng.randint(14, 240))
        fate = rng.random()
        if fate < 0.08:
            status = "CLOSED"
        elif fate < 0.16:
            deadline = today - dt.timedelta(days=rng.randint(1, 60))  # past: shown as EXPIRED
        words = {"REQUEST": "Partner sought", "OFFER": "We offer", "RD_REQUEST": "R&D partner sought"}
        found.append(
            {
                "id": f"syn-post-{len(found):06d}",
                "cluster_id": cluster["id"],
                "kind": kind,
                "title": f"{words[kind]}: {competences[0].lower()}",
                "text": f"Synthetic posting for demos and tests: {cluster['name']} "
                + ("offers " if kind == "OFFER" else "seeks a partner in ")
                + ", ".join(c.lower() for c in competences)
                + ".",
                "competences": "|".join(competences),
                "target_categories": rng.choice(("", "", "less_developed|transition", "less_developed")),
                "deadline": deadline,
                "status": status,
                "published_at": (deadline - dt.timedelta(days=270)).isoformat() + "T09:00:00+00:00",
                "synthetic": "true",
            }
        )
    return found


EVENTS_PER_CLUSTER = 1 / 100  # one brokerage event per hundred clusters (at least two)


def _events(
    clusters: list[dict[str, Any]],
    members_of: dict[str, list[dict[str, Any]]],
    profile: dict[str, dict[str, Any]],
    rng: random.Random,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """SYNTHETIC brokerage events in cluster regions, each attended by clusters and members of one value chain and a few
    others, and some meetings held there (past meetings are ties for partner search).

    Their own random stream: adding them left every other generated value as it was."""
    by_chain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cluster in clusters:
        by_chain[profile[cluster["id"]]["chain"]].append(cluster)
    chains = sorted(by_chain)
    events, attendance, meetings = [], [], []
    for number in range(max(2, int(len(clusters) * EVENTS_PER_CLUSTER))):
        chain = chains[number % len(chains)]
        host = rng.choice(by_chain[chain])
        start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
        event_id = f"syn-e{number:04d}"
        events.append(
            {
                "id": event_id,
                "name": f"{word(rng)} {chain[3:].replace('-', ' ').title()} Brokerage Day",
                "start": start,
                "end": start + dt.timedelta(days=rng.choice((0, 1))),
                "city": host["city"],
                "nuts": host["nuts"],
                "organiser": host["name"],
                "synthetic": "true",
            }
        )
        guests = rng.sample(by_chain[chain], k=min(len(by_chain[chain]), rng.randint(4, 12)))
        guests += rng.sample(clusters, k=min(len(clusters), 3))
        seen = set()
        for cluster in guests:
            for participant_id, role in [(cluster["id"], "exhibitor")] + [
                (m["organisation_id"], "attendee") for m in rng.sample(members_of[cluster["id"]], k=2)
            ]:
                if participant_id in seen:
                    continue
                seen.add(participant_id)
                own = profile[cluster["id"]]
                attendance.append(
                    {
                        "event_id": event_id,
                        "participant_id": participant_id,
                        "role": role,
                        "offers": rng.choice(own["offers"]),
                        "seeks": rng.choice(own["seeks"]),
                        "available_slots": "",
                        "synthetic": "true",
                    }
                )
        present = sorted(seen)
        for slot in range(1, 4):  # three slots of past meetings, each attendee at most once per slot
            rng.shuffle(present)
            for table, (a, b) in enumerate(zip(present[0:8:2], present[1:8:2]), start=1):
                meetings.append(
                    {
                        "id": f"{event_id}-s{slot}-t{table}",
                        "event_id": event_id,
                        "participant_a": a,
                        "participant_b": b,
                        "slot": slot,
                        "time": f"{8 + slot:02d}:00",
                        "table": table,
                        "score": "",
                        "reasons": "",
                        "synthetic": "true",
                    }
                )
    return events, attendance, meetings
