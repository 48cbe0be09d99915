"""Complementarity: who has what you lack, and lacks what you have.

For a seeker A and a candidate B (clusters or organisations):

  need         number of competences A seeks that B offers; B offering a
               narrower competence (up to 3 BROADER steps below) counts
  reciprocity  number of competences B seeks that A offers (same rule)
  value_chain  sum over value chains where both offer competences at
               *different* stages of 1.0 if some stages are adjacent, else 0.5
  overlap      Jaccard similarity of their offered competences (twins are
               competitors, not partners): a penalty
  ties         shared partnerships + past exchanges + shared clusters + past meetings at events;
               excluded by default, or penalised once when included
  collaboration  1.0 when they worked together in EU projects (CORDIS: WORKED_WITH, for two
               clusters through their members too), 0.5 when one partner apart (a partner of
               a partner; looked for only when its weight is not 0), else 0

  posting      1.0 when the candidate has an open request (a REQUEST or RD_REQUEST posting,
               clusterkg.postings) asking for what A offers, or a broader competence of it,
               and open to A's category and country; else 0

  score = w_need*need + w_reciprocity*reciprocity + w_value_chain*value_chain
          - w_overlap*overlap - (w_tie if ties > 0) + w_collaboration*collaboration
          + w_posting*posting

w_collaboration is 0 by default (known partners neither favoured nor avoided):
a caller sets it above 0 to favour partners with a track record, below 0 to
find new ones (README: "Real organisations: CORDIS"). w_posting is 1.0 by
default: an open request A answers is worth as much as one more competence of
need fit (README: "Partner postings" says why). A candidate with such a
request is a candidate even when the profiles alone do not match. A posting
may also be the seeker (its page's "clusters that could answer this"): its
competences stand for a profile's, and its own cluster is left out.

Candidates are those with need or reciprocity > 0 (competence-level
evidence: every match can name at least one competence pair), after the
filters, which Cypher applies on the candidate node inside the traversal
(ENGINES.md §5); value-chain fit then adds to their score. (Letting shared
value chains alone make candidates made about one cluster in eight a
candidate of every search, and the search 8x slower at scale m.) Results are ordered by score, then id, so equal scores come
in a stable order. The whole score runs in one Cypher query
(queries/partner_search.cypher); explanations are fetched for the returned
page only (queries/partner_explain.cypher). clusterkg.scoring.reference
computes the same score in memory with scipy, to check it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from clusterkg import queries
from clusterkg.errors import ClusterKGError, NotFound
from clusterkg.graph.store import GraphStore
from clusterkg.scoring import nearest

KINDS = ("Cluster", "Organisation")
SEEKER_KINDS = (*KINDS, "Posting")
CATEGORIES = ("less_developed", "transition", "more_developed")
MAX_PAGE = 100


@dataclass(frozen=True)
class Weights:
    need: float = 1.0
    reciprocity: float = 0.6
    value_chain: float = 0.5
    overlap: float = 2.0
    tie: float = 1.0
    collaboration: float = 0.0
    posting: float = 1.0

    def params(self) -> dict[str, float]:
        return {f"w_{k}": float(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Filters:
    categories: tuple[str, ...] | None = None
    countries: tuple[str, ...] | None = None
    exclude_countries: tuple[str, ...] | None = None
    ecosystems: tuple[str, ...] | None = None
    excellence_labels: tuple[str, ...] | None = None
    nuts_prefix: str | None = None
    exclude_own_country: bool = False
    exclude_ids: tuple[str, ...] | None = None  # candidates left out (a posting's own cluster)

    def params(self) -> dict[str, Any]:
        def as_list(values: tuple[str, ...] | None) -> list[str] | None:
            return list(values) if values is not None else None

        if self.categories is not None and not set(self.categories) <= set(CATEGORIES):
            raise ClusterKGError(f"categories must be among {', '.join(CATEGORIES)}")
        return {
            "categories": as_list(self.categories),
            "countries": as_list(self.countries),
            "exclude_countries": as_list(self.exclude_countries),
            "ecosystems": as_list(self.ecosystems),
            "excellence_labels": as_list(self.excellence_labels),
            "nuts_prefix": self.nuts_prefix,
            "exclude_own_country": self.exclude_own_country,
            "exclude_ids": as_list(self.exclude_ids),
        }


@dataclass(frozen=True)
class CompetenceRef:
    id: str
    name: str
    kind: str | None = None


@dataclass(frozen=True)
class CompetencePair:
    """The seeker seeks `sought` and the partner offers `offered` (the same, or a narrower competence), or the reverse."""

    sought: CompetenceRef
    offered: CompetenceRef


@dataclass(frozen=True)
class ValueChainRef:
    id: str
    name: str
    stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChainFit:
    value_chain: ValueChainRef
    seeker_stages: list[str]
    partner_stages: list[str]
    adjacent: bool
    fit: float  # 1.0 when some stages are adjacent, else 0.5


@dataclass(frozen=True)
class RegionRef:
    """Where the partner is: its region (or only its country and category when it is located per country)."""

    nuts: str | None
    name: str | None
    level: int | None
    category: str | None
    category_source: str | None
    country: str | None


@dataclass(frozen=True)
class Collaboration:
    """Work together in EU projects (CORDIS): how much, in which projects, and through whom."""

    projects: int = 0  # projects both took part in (two clusters: they or their members)
    via: str | None = None  # participants, or members (two clusters)
    project_names: list[str] = field(default_factory=list)  # acronyms of projects both took part in themselves
    shared_partners: list[str] = field(default_factory=list)  # names of partners both worked with (the first few)
    shared_partner_count: int = 0


@dataclass(frozen=True)
class PostingAnswered:
    """An open request of the partner that the seeker answers: what it asks for, and what the seeker offers for it."""

    id: str
    title: str
    kind: str
    deadline: str
    pairs: list[CompetencePair] = field(default_factory=list)  # sought (by the posting) -> offered (by you)


@dataclass(frozen=True)
class Explanation:
    need_fit: list[CompetencePair] = field(default_factory=list)
    reciprocity: list[CompetencePair] = field(default_factory=list)
    value_chains: list[ChainFit] = field(default_factory=list)
    region: RegionRef | None = None
    ties: list[str] = field(default_factory=list)
    collaboration: Collaboration | None = None
    postings: list[PostingAnswered] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def sentences(self) -> list[str]:
        """The reasons in plain words, from the partner's side ("offers X, which you seek")."""
        found = []
        for pair in self.need_fit:
            narrower = f" (a kind of {pair.sought.name})" if pair.offered.id != pair.sought.id else ""
            found.append(f"offers {pair.offered.name}{narrower}, which you seek")
        for pair in self.reciprocity:
            narrower = f" (your {pair.offered.name} is a kind of it)" if pair.offered.id != pair.sought.id else ""
            found.append(f"seeks {pair.sought.name}, which you offer{narrower}")
        for chain in self.value_chains:
            where = "adjacent stages" if chain.adjacent else "different stages"
            found.append(
                f"both in {chain.value_chain.name} at {where} (you: {', '.join(chain.seeker_stages)}; they: {', '.join(chain.partner_stages)})"
            )
        for posting in self.postings:
            asked = ", ".join(sorted({p.sought.name for p in posting.pairs}))
            found.append(
                f'asks for {asked} in its open request "{posting.title}" (until {posting.deadline}), which you offer'
            )
        found += [f"already tied: {tie}" for tie in self.ties]
        work = self.collaboration
        if work and work.projects:
            named = f" ({', '.join(work.project_names)})" if work.project_names else ""
            via = " through your members" if work.via == "members" else ""
            found.append(f"worked with you{via} in {work.projects} EU project{'s' if work.projects > 1 else ''}{named}")
        elif work and work.shared_partner_count:
            found.append(f"one partner apart: you both worked with {', '.join(work.shared_partners)}")
        return found


@dataclass
class Match:
    id: str
    score: float
    need: int
    reciprocity: int
    value_chain: float
    overlap: float
    ties: int
    together: int = 0  # EU projects worked on together (CORDIS)
    collaboration: float = 0.0  # the score's term: 1.0 together, 0.5 one partner apart, else 0
    requests: int = 0  # the candidate's open requests that the seeker answers (postings)
    posting: float = 0.0  # the score's term: 1.0 when there is one, else 0
    explanation: Explanation | None = None  # for the returned page, unless explain=False
    exact: bool = True  # False: the vector index proposed the candidates (clusterkg.scoring.nearest)


def today() -> str:
    """Today (UTC) as the postings' deadlines are written: a published posting is open up to its deadline."""
    return dt.datetime.now(dt.UTC).date().isoformat()


def seeker_kind(store: GraphStore, seeker_id: str) -> str:
    """The label of the node with this id (clusters first; a posting may seek too)."""
    found = [row["label"] for row in queries.run(store, "entity_label", {"id": seeker_id}).rows]
    for label in SEEKER_KINDS:
        if label in found:
            return label
    raise NotFound(f"no cluster, organisation or posting has the id '{seeker_id}'")


def partner_search(
    store: GraphStore,
    seeker_id: str,
    *,
    candidates: str = "Cluster",
    filters: Filters = Filters(),
    weights: Weights = Weights(),
    exclude_ties: bool = True,
    first: int = 20,
    skip: int = 0,
    explain: bool = True,
    timeout_ms: int | None = None,
    exact: bool | None = None,
) -> list[Match]:
    """The page of best partners, with explanations. Organisation candidates go through their score profiles
    (clusterkg.scoring.nearest: the same page, fewer records) unless `exact` is True (the exact query alone);
    `exact=False` lets the engine's vector index propose the profiles (approximate: each match says exact=False)."""
    if candidates not in KINDS:
        raise ClusterKGError(f"candidates must be one of {', '.join(KINDS)}")
    if not 1 <= first <= MAX_PAGE:
        raise ClusterKGError(f"first must be between 1 and {MAX_PAGE}")
    if skip < 0:
        raise ClusterKGError("skip must not be negative")
    labels = {"seeker": seeker_kind(store, seeker_id), "candidate": candidates}
    if labels["seeker"] == "Posting":  # a posting's own cluster does not answer it
        owner = queries.run(store, "entities_by_id", {"ids": [seeker_id]}, labels={"label": "Posting"}).rows
        own = owner[0]["node"].get("cluster_id") if owner else None
        if own:
            filters = replace(filters, exclude_ids=tuple(sorted({*(filters.exclude_ids or ()), own})))
    params = {
        "seeker_id": seeker_id,
        **filters.params(),
        **weights.params(),
        "exclude_ties": exclude_ties,
        "today": today(),
        "skip": skip,
        "limit": first,
    }
    rows = None
    profiles = nearest.profile_path(store, exact, params) if candidates == "Organisation" else None
    if profiles is not None:
        rows = nearest.profile_rows(store, profiles, params, labels, approximate=exact is False, timeout_ms=timeout_ms)
    approximate = rows is not None and exact is False
    if rows is None:
        rows = queries.run(store, "partner_search", params, labels=labels, timeout_ms=timeout_ms).rows
    matches = [
        Match(
            r["id"],
            float(r["score"]),
            int(r["need"]),
            int(r["reciprocity"]),
            float(r["value_chain"]),
            float(r["overlap"]),
            int(r["ties"]),
            int(r["together"]),
            float(r["collaboration"]),
            int(r["requests"]),
            float(r["posting"]),
            exact=not approximate,
        )
        for r in rows
    ]
    if explain and matches:
        explanations = explain_matches(store, seeker_id, [m.id for m in matches], labels, timeout_ms=timeout_ms)
        for m in matches:
            m.explanation = explanations[m.id]
    return matches


PAIR_FIELDS = ("sought_id", "sought_name", "sought_kind", "offered_id", "offered_name", "offered_kind")
EXPLAIN_ITEMS = {  # the fields of partner_explain's item lists, per part
    "need_fit": PAIR_FIELDS,
    "reciprocity": PAIR_FIELDS,
    "value_chain": (
        "chain_id",
        "chain_name",
        "stages",
        "stage_pairs",
    ),  # stage_pairs: [seeker stage index, partner stage index]
    "partnership": ("name",),
    "exchange": ("name",),
    "shared_cluster": ("name",),
    "meeting": ("name", "date", "time", "rating", "follow_up"),
    "region": ("nuts", "name", "level", "category", "category_source", "country"),
    "worked_with": ("projects", "via"),
    "project": ("id", "acronym"),
    "shared_partner": ("id", "name"),
    "connected": ("name",),
    "posting": ("id", "title", "kind", "deadline", "sought_id", "sought_name", "offered_id", "offered_name"),
}
SHARED_PARTNERS_SHOWN = 5
PROJECTS_SHOWN = 10


def explain_matches(
    store: GraphStore,
    seeker_id: str,
    candidate_ids: list[str],
    labels: dict[str, str],
    *,
    timeout_ms: int | None = None,
) -> dict[str, Explanation]:
    """Why each candidate matches: competence pairs, value chains and stages, region, ties."""
    rows = queries.run(
        store,
        "partner_explain",
        {"seeker_id": seeker_id, "candidate_ids": candidate_ids, "today": today()},
        labels=labels,
        timeout_ms=timeout_ms,
    ).rows
    parts: dict[str, dict[str, list[dict[str, Any]]]] = {i: defaultdict(list) for i in candidate_ids}
    for row in rows:
        parts[row["id"]][row["part"]].append(dict(zip(EXPLAIN_ITEMS[row["part"]], row["item"])))
    return {candidate_id: _explanation(found) for candidate_id, found in parts.items()}


def _chain_fit(item: dict[str, Any]) -> ChainFit:
    stages, pairs = item["stages"] or [], item["stage_pairs"]
    adjacent = any(abs(seeker - partner) == 1 for seeker, partner in pairs)
    return ChainFit(
        value_chain=ValueChainRef(item["chain_id"], item["chain_name"], tuple(stages)),
        seeker_stages=[stages[i] for i in sorted({seeker for seeker, _ in pairs})],
        partner_stages=[stages[i] for i in sorted({partner for _, partner in pairs})],
        adjacent=adjacent,
        fit=1.0 if adjacent else 0.5,
    )


def _explanation(found: dict[str, list[dict[str, Any]]]) -> Explanation:
    value_chains = [_chain_fit(item) for item in sorted(found["value_chain"], key=lambda c: c["chain_id"])]
    ties = [f"partners in {name}" for name in sorted(p["name"] for p in found["partnership"])]
    ties += [f"exchange {name}" for name in sorted(x["name"] for x in found["exchange"])]
    ties += [f"members of cluster {name}" for name in sorted(k["name"] for k in found["shared_cluster"])]
    ties += [
        f"met at {m['name']}"
        + (f" ({m['date']})" if m["date"] else "")
        + (f", rated {float(m['rating']):.1f}/5" if m["rating"] is not None else "")
        + (", a follow-up planned" if m["follow_up"] else "")
        for m in sorted(found["meeting"], key=lambda m: (m["date"] or "", m["name"]))
    ]
    ties += [f'connected through the posting "{name}"' for name in sorted(c["name"] for c in found["connected"])]
    region = found["region"][0] if found["region"] else None
    return Explanation(
        need_fit=_unique_pairs(found["need_fit"]),
        reciprocity=_unique_pairs(found["reciprocity"]),
        value_chains=value_chains,
        region=RegionRef(**region) if region else None,
        ties=ties,
        collaboration=_collaboration(found),
        postings=_postings(found["posting"]),
    )


def _postings(items: list[dict[str, Any]]) -> list[PostingAnswered]:
    by_id: dict[str, dict[str, Any]] = {}
    for item in items:
        by_id.setdefault(item["id"], {"item": item, "pairs": []})["pairs"].append(
            {**item, "sought_kind": None, "offered_kind": None}
        )
    return [
        PostingAnswered(
            found["item"]["id"],
            found["item"]["title"],
            found["item"]["kind"],
            found["item"]["deadline"],
            _unique_pairs(found["pairs"]),
        )
        for found in (by_id[k] for k in sorted(by_id))
    ]


def _collaboration(found: dict[str, list[dict[str, Any]]]) -> Collaboration | None:
    worked = found["worked_with"][0] if found["worked_with"] else None
    partners = sorted({p["id"]: p["name"] or p["id"] for p in found["shared_partner"]}.values())
    if worked is None and not partners:
        return None
    projects = sorted({p["id"]: p["acronym"] or p["id"] for p in found["project"]}.values())
    return Collaboration(
        projects=int(worked["projects"]) if worked else 0,
        via=worked["via"] if worked else None,
        project_names=projects[:PROJECTS_SHOWN],
        shared_partners=partners[:SHARED_PARTNERS_SHOWN],
        shared_partner_count=len(partners),
    )


def _unique_pairs(pairs: list[dict[str, Any]]) -> list[CompetencePair]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for pair in pairs:
        seen.setdefault((pair["sought_id"], pair["offered_id"]), pair)
    return [
        CompetencePair(
            CompetenceRef(p["sought_id"], p["sought_name"], p["sought_kind"]),
            CompetenceRef(p["offered_id"], p["offered_name"], p["offered_kind"]),
        )
        for p in (seen[k] for k in sorted(seen))
    ]
