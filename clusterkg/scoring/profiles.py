"""Complementarity between many parties at once, in memory, for the matching jobs.

Partner search scores one seeker against the graph in Cypher. The matching
jobs need every pair of a few thousand parties (event attendees, exchange
applicants and hosts), some of which exist only in an input file. So they
read the competence taxonomy once (`Taxonomy.from_graph`), build a `Profile`
(offered and sought competence ids) per party, and score all pairs with
sparse matrix products, using the terms of clusterkg.scoring.complementarity:

  need[i, j]         competences i seeks that j offers, a narrower offer
                     (up to 3 BROADER steps) counting for a broader need
  value_chain[i, j]  per value chain where both offer at *different* stages:
                     1.0 if some stages are adjacent, else 0.5
  overlap[i, j]      Jaccard similarity of their offers (a penalty)

  directed[i, j] = w_need*need[i,j] + w_reciprocity*need[j,i]
                   + w_value_chain*value_chain[i,j] - w_overlap*overlap[i,j]

Ties are not part of these scores: a meeting at an event or an exchange
between parties that already work together is the caller's choice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from clusterkg import queries
from clusterkg.graph.store import GraphStore
from clusterkg.scoring.complementarity import Weights
from clusterkg.validation import fold

BROADER_DEPTH = 3


@dataclass(frozen=True)
class Profile:
    """What one party offers and seeks, as competence ids."""

    key: str
    offers: frozenset[str]
    seeks: frozenset[str]


@dataclass
class Taxonomy:
    """The competence taxonomy of the graph: terms, hierarchy and value-chain stages."""

    names: dict[str, str] = field(default_factory=dict)  # id -> display name
    terms: dict[str, str] = field(default_factory=dict)  # folded id/name/alias -> id
    broader: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # id -> direct broader ids
    stages: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))  # id -> (chain, stage)
    chains: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # chain id -> (name, stages)

    @classmethod
    def from_graph(cls, store: GraphStore) -> Taxonomy:
        taxonomy = cls()
        for row in queries.run(store, "taxonomy_competences").rows:
            taxonomy.names[row["id"]] = row["name"] or row["id"]
            for term in [row["id"], row["name"], *(row["aliases"] or [])]:
                if term:
                    taxonomy.terms.setdefault(fold(term), row["id"])
        for row in queries.run(store, "taxonomy_broader").rows:
            taxonomy.broader[row["d"]].add(row["c"])
        for row in queries.run(store, "taxonomy_stages").rows:
            taxonomy.stages[row["c"]].append((row["v"], int(row["stage"])))
            taxonomy.chains[row["v"]] = (row["chain"] or row["v"], list(row["stages"] or []))
        return taxonomy

    def resolve(self, terms: Iterable[str]) -> tuple[list[str], list[str]]:
        """Competence ids for free-text terms (id, name or alias, any case), and the terms not found.

        An unknown term still matches the same term elsewhere: it becomes a
        competence of its own, outside the hierarchy and the value chains.
        """
        ids: list[str] = []
        unknown: list[str] = []
        for term in terms:
            competence_id = self.terms.get(fold(term))
            if competence_id is None:
                unknown.append(term)
                competence_id = f"term:{fold(term)}"
                self.terms[fold(term)] = competence_id
                self.names[competence_id] = term
            if competence_id not in ids:
                ids.append(competence_id)
        return ids, unknown

    def name(self, competence_id: str) -> str:
        return self.names.get(competence_id, competence_id)

    def covered(self, competence_id: str) -> set[str]:
        """The competence and everything it is narrower than, up to BROADER_DEPTH steps."""
        reached, frontier = {competence_id}, {competence_id}
        for _ in range(BROADER_DEPTH):
            frontier = {b for c in frontier for b in self.broader.get(c, ())} - reached
            reached |= frontier
        return reached


@dataclass(frozen=True)
class PartyProfile:
    """A cluster or organisation of the graph as a job's party sees it: who and where it is, what it offers and seeks."""

    id: str
    name: str | None
    country: str | None
    category: str | None  # the cohesion category of its region
    kind: str | None  # an organisation's kind (sme, large, research, ...); None for a cluster
    offers: tuple[str, ...]  # competence ids
    seeks: tuple[str, ...]


def graph_profiles(store: GraphStore, label: str, ids: list[str]) -> dict[str, PartyProfile]:
    """Offers, seeks, name, country, region category and kind of graph nodes, by id (missing ids are left out)."""
    if not ids:
        return {}
    rows = queries.run(store, "party_profiles", {"ids": sorted(set(ids))}, labels={"label": label}).rows
    return {
        row["id"]: PartyProfile(
            id=row["id"],
            name=row["name"],
            country=row["country"],
            category=row["category"],
            kind=row["kind"],
            offers=tuple(row["offers"] or ()),
            seeks=tuple(row["seeks"] or ()),
        )
        for row in rows
    }


@dataclass
class PairScores:
    """Directed complementarity terms for every ordered pair of profiles."""

    profiles: list[Profile]
    need: np.ndarray  # int, [i, j] = competences i seeks that j offers
    value_chain: np.ndarray
    overlap: np.ndarray
    weights: Weights

    def directed(self) -> np.ndarray:
        w = self.weights
        return (
            w.need * self.need
            + w.reciprocity * self.need.T
            + w.value_chain * self.value_chain
            - w.overlap * self.overlap
        )

    def mutual(self) -> np.ndarray:
        """The symmetric score of a meeting: the mean of both directions."""
        directed = self.directed()
        mutual: np.ndarray = (directed + directed.T) / 2.0
        return mutual


def score_pairs(profiles: list[Profile], taxonomy: Taxonomy, weights: Weights = Weights()) -> PairScores:
    """Score every profile against every other (dense n x n: fine for the few thousand parties of a job)."""
    rows = profiles
    competences = sorted(
        {c for p in rows for c in p.offers | p.seeks} | {b for p in rows for c in p.offers for b in taxonomy.covered(c)}
    )
    index = {c: i for i, c in enumerate(competences)}

    def incidence(sets: list[Iterable[str]]) -> sparse.csr_matrix:
        r = [i for i, s in enumerate(sets) for _ in s]
        c = [index[x] for s in sets for x in s]
        matrix = sparse.csr_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(len(sets), len(competences)))
        matrix.data[:] = 1.0
        return matrix

    offers = incidence([p.offers for p in rows])
    covers = incidence([{b for c in p.offers for b in taxonomy.covered(c)} for p in rows])
    seeks = incidence([p.seeks for p in rows])
    need = (seeks @ covers.T).toarray()  # [i, j] = seeks of i covered by offers of j
    shared = (offers @ offers.T).toarray()
    counts = np.asarray(offers.sum(axis=1)).ravel()
    union = counts[:, None] + counts[None, :] - shared
    overlap = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)

    value_chain = np.zeros_like(shared)
    for chain, (_, stage_names) in taxonomy.chains.items():
        size = len(stage_names)
        placements = [
            {stage for c in p.offers for ch, stage in taxonomy.stages.get(c, ()) if ch == chain} for p in rows
        ]
        if sum(1 for s in placements if s) < 2:
            continue
        presence = sparse.csr_matrix(
            (
                np.ones(sum(map(len, placements))),
                ([i for i, s in enumerate(placements) for _ in s], [x for s in placements for x in s]),
            ),
            shape=(len(rows), size),
        )
        different = np.ones((size, size)) - np.eye(size)
        adjacent = np.eye(size, k=1) + np.eye(size, k=-1)
        has_different = (presence @ different @ presence.T) > 0
        has_adjacent = (presence @ adjacent @ presence.T) > 0
        value_chain += np.where(has_adjacent, 1.0, np.where(has_different, 0.5, 0.0))
    np.fill_diagonal(value_chain, 0.0)
    return PairScores(rows, need, value_chain, overlap, weights)


@dataclass(frozen=True)
class SharedChain:
    value_chain: str
    a_stages: list[str]
    b_stages: list[str]
    adjacent: bool


@dataclass(frozen=True)
class PairExplanation:
    """Why two parties fit: (sought, offered) competence names each way, and the value chains they share at different stages."""

    a_needs_met: list[tuple[str, str]]
    b_needs_met: list[tuple[str, str]]
    value_chains: list[SharedChain]


def explain_pair(a: Profile, b: Profile, taxonomy: Taxonomy) -> PairExplanation:
    """Why a and b fit: which needs of each the other's offers meet, and the value chains they share at different stages."""

    def met(seeker: Profile, offerer: Profile) -> list[tuple[str, str]]:
        pairs = []
        for sought in sorted(seeker.seeks):
            for offered in sorted(offerer.offers):
                if sought in taxonomy.covered(offered):
                    pairs.append((taxonomy.name(sought), taxonomy.name(offered)))
                    break
        return pairs

    chains = []
    for chain, (chain_name, stage_names) in sorted(taxonomy.chains.items()):
        stages_a = {s for c in a.offers for ch, s in taxonomy.stages.get(c, ()) if ch == chain}
        stages_b = {s for c in b.offers for ch, s in taxonomy.stages.get(c, ()) if ch == chain}
        if stages_a and stages_b and any(x != y for x in stages_a for y in stages_b):
            adjacent = any(abs(x - y) == 1 for x in stages_a for y in stages_b)
            chains.append(
                SharedChain(
                    chain_name,
                    [stage_names[s] for s in sorted(stages_a)],
                    [stage_names[s] for s in sorted(stages_b)],
                    adjacent,
                )
            )
    return PairExplanation(met(a, b), met(b, a), chains)


def reasons_text(explanation: PairExplanation, a_name: str, b_name: str) -> str:
    """One line a person reads at a glance: what each side gets, and the shared value chains."""
    parts = []
    for seeker, offerer, pairs in (
        (a_name, b_name, explanation.a_needs_met),
        (b_name, a_name, explanation.b_needs_met),
    ):
        for sought, offered in pairs:
            parts.append(
                f"{seeker} seeks {sought}: {offerer} offers {offered}"
                if sought != offered
                else f"{seeker} seeks {sought}: {offerer} offers it"
            )
    for chain in explanation.value_chains:
        how = "adjacent stages" if chain.adjacent else "different stages"
        parts.append(f"{chain.value_chain}: {', '.join(chain.a_stages)} / {', '.join(chain.b_stages)} ({how})")
    return "; ".join(parts)
