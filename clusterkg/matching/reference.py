"""The complementarity score in memory (scipy sparse matrices): the check on the Cypher.

`export_incidence` reads the incidence data once (who offers and seeks what,
the BROADER hierarchy, value-chain stages, ties, filter properties);
`reference_search` then computes the score of clusterkg.matching.complementarity
for one seeker with matrix products. Tests require the same candidates, the
same scores (to 1e-9) and the same order as the Cypher query; benchmarks
time both. It follows Cypher's null semantics in filters: a candidate whose
filtered property is missing never passes the filter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from clusterkg import queries
from clusterkg.graph.store import GraphStore
from clusterkg.defaults import default
from clusterkg.matching.complementarity import KINDS, Filters, Match, Weights, partner_search

BROADER_DEPTH = 3
EXPORT_TIMEOUT_MS = 600_000
@dataclass
class Incidence:
    keys: list[tuple[str, str]]  # (label, id) per row
    index: dict[tuple[str, str], int]
    attributes: list[dict[str, Any]]
    competences: list[str]
    offers: sparse.csr_matrix  # entity x competence
    seeks: sparse.csr_matrix
    covers: sparse.csr_matrix  # entity offers the competence or a narrower one (<= 3 steps)
    chains: dict[str, sparse.csr_matrix] = field(default_factory=dict)  # chain -> entity x stage presence (offers)
    stage_counts: dict[str, int] = field(default_factory=dict)
    groups: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # tie group -> entity rows
    groups_of: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


def export_incidence(store: GraphStore) -> Incidence:
    keys: list[tuple[str, str]] = []
    attributes: list[dict[str, Any]] = []
    for label in KINDS:
        rows = queries.run(store, "reference_entities", labels={"label": label}, timeout_ms=EXPORT_TIMEOUT_MS).rows
        for row in rows:
            keys.append((label, row.pop("id")))
            attributes.append(row)
    index = {k: i for i, k in enumerate(keys)}
    competences = [r["id"] for r in queries.run(store, "taxonomy_competences").rows]
    comp_index = {c: i for i, c in enumerate(competences)}

    def incidence(rel: str) -> sparse.csr_matrix:
        rows, cols = [], []
        for label in KINDS:
            for r in queries.run(store, "reference_incidence", labels={"label": label, "rel": rel}, timeout_ms=EXPORT_TIMEOUT_MS).rows:
                rows.append(index[(label, r["n"])])
                cols.append(comp_index[r["c"]])
        data = np.ones(len(rows), dtype=np.int32)
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(keys), len(competences)))
        matrix.data[:] = 1  # duplicates collapse to 1
        return matrix

    offers, seeks = incidence("OFFERS"), incidence("SEEKS")
    # closure[d, c] = 1 when d == c or d reaches c in 1..3 BROADER steps
    step = sparse.lil_matrix((len(competences), len(competences)), dtype=np.int32)
    for r in queries.run(store, "taxonomy_broader").rows:
        step[comp_index[r["d"]], comp_index[r["c"]]] = 1
    step = step.tocsr()
    closure = sparse.identity(len(competences), dtype=np.int32, format="csr")
    power = sparse.identity(len(competences), dtype=np.int32, format="csr")
    for _ in range(BROADER_DEPTH):
        power = power @ step
        closure = closure + power
    closure.data[:] = 1
    covers = offers @ closure
    covers.data[:] = 1

    data = Incidence(keys, index, attributes, competences, offers, seeks, covers.tocsr())
    stages_of: dict[str, list[tuple[int, int]]] = defaultdict(list)  # chain -> (competence, stage)
    for r in queries.run(store, "taxonomy_stages").rows:
        stages_of[r["v"]].append((comp_index[r["c"]], r["stage"]))
        data.stage_counts[r["v"]] = r["n"]
    for chain, placements in stages_of.items():
        mapping = sparse.csr_matrix(
            (np.ones(len(placements), dtype=np.int32), ([c for c, _ in placements], [s for _, s in placements])),
            shape=(len(competences), data.stage_counts[chain]),
        )
        presence = offers @ mapping
        presence.data[:] = 1
        data.chains[chain] = presence.tocsr()

    def add_group(kind: str, group_id: str, label: str, member: str) -> None:
        row = index.get((label, member))
        if row is not None:
            data.groups.setdefault((kind, group_id), []).append(row)
            data.groups_of.setdefault(row, []).append((kind, group_id))

    for label in KINDS:
        for r in queries.run(store, "reference_ties", labels={"label": label}, timeout_ms=EXPORT_TIMEOUT_MS).rows:
            add_group(r["kind"], r["g"], label, r["m"])
    return data


def _passes(filters: Filters, seeker: dict[str, Any], candidate: dict[str, Any]) -> bool:
    """Cypher's three-valued logic: a missing property fails its filter."""
    country = candidate["country"]
    if filters.categories is not None and candidate["category"] not in filters.categories:
        return False
    if filters.countries is not None and country not in filters.countries:
        return False
    if filters.exclude_countries is not None and (country is None or country in filters.exclude_countries):
        return False
    if filters.ecosystems is not None and not any(e in filters.ecosystems for e in candidate["ecosystems"] or []):
        return False
    if filters.excellence_labels is not None and candidate["excellence_label"] not in filters.excellence_labels:
        return False
    if filters.nuts_prefix is not None and not (candidate["nuts"] or "\0").startswith(filters.nuts_prefix):
        return False
    if filters.exclude_own_country and (country is None or seeker["country"] is None or country == seeker["country"]):
        return False
    return True


def reference_search(
    data: Incidence,
    seeker: tuple[str, str],
    *,
    candidates: str = default(partner_search, "candidates"),
    filters: Filters = default(partner_search, "filters"),
    weights: Weights = default(partner_search, "weights"),
    exclude_ties: bool = default(partner_search, "exclude_ties"),
    first: int = default(partner_search, "first"),
    skip: int = default(partner_search, "skip"),
) -> list[Match]:
    a = data.index[seeker]
    need = np.asarray(data.covers @ data.seeks[a].T.toarray()).ravel()  # seeks(a) covered by b
    reciprocity = np.asarray(data.seeks @ data.covers[a].T.toarray()).ravel()  # seeks(b) covered by a
    value_chain = np.zeros(len(data.keys))
    for chain, presence in data.chains.items():
        seeker_stages = presence[a].indices
        if len(seeker_stages) == 0:
            continue
        n = data.stage_counts[chain]
        adjacent = np.array([any(abs(s - t) == 1 for s in seeker_stages) for t in range(n)], dtype=np.int32)
        different = np.array([any(s != t for s in seeker_stages) for t in range(n)], dtype=np.int32)
        has_adjacent = (presence @ adjacent) > 0
        has_different = (presence @ different) > 0
        value_chain += np.where(has_adjacent, 1.0, np.where(has_different, 0.5, 0.0))

    ties = defaultdict(int)
    for group in data.groups_of.get(a, []):
        for member in set(data.groups[group]):
            if member != a:
                ties[member] += 1

    offers_count = np.asarray(data.offers.sum(axis=1)).ravel()
    shared_offers = np.asarray(data.offers @ data.offers[a].T.toarray()).ravel()
    seeker_attributes = data.attributes[a]
    results = []
    for b in np.flatnonzero((need > 0) | (reciprocity > 0)):
        label, candidate_id = data.keys[b]
        if label != candidates or b == a or not _passes(filters, seeker_attributes, data.attributes[b]):
            continue
        tie_count = ties.get(b, 0)
        if exclude_ties and tie_count > 0:
            continue
        union = int(offers_count[a] + offers_count[b] - shared_offers[b])
        overlap = 0.0 if union == 0 else float(shared_offers[b]) / union
        # the same expression, in the same order, as partner_search.cypher
        score = weights.need * int(need[b]) + weights.reciprocity * int(reciprocity[b]) + weights.value_chain * float(value_chain[b]) - weights.overlap * overlap
        score -= weights.tie if tie_count > 0 else 0.0
        results.append(Match(candidate_id, score, int(need[b]), int(reciprocity[b]), float(value_chain[b]), overlap, tie_count))
    results.sort(key=lambda m: (-m.score, m.id))
    return results[skip : skip + first]
