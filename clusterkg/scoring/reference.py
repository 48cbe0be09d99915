"""The complementarity score in memory (numpy over sparse rows): the check on the Cypher, and its speed limit.

`export_incidence` reads the incidence data once (who offers and seeks what,
the BROADER closure, value-chain stages, ties, filter properties) into one
compressed-row side per label; `reference_search` then scores one seeker.
It touches only what the question needs: the postings of the competences the
seeker seeks (who covers them) and covers (who seeks them) among the
candidate label, the filters on those rows alone, and the stages and offers
of the rows that pass. So its cost follows the candidates that can match,
not the size of the graph: the floor a graph query can be measured against.

Tests require the same candidates, the same scores (to 1e-9) and the same
order as the Cypher query; benchmarks time both. It follows Cypher's null
semantics in filters: a candidate whose filtered property is missing never
passes the filter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from clusterkg import queries
from clusterkg.defaults import default
from clusterkg.graph.store import GraphStore
from clusterkg.scoring.complementarity import KINDS, Filters, Match, Weights, partner_search, today

BROADER_DEPTH = 3
EXPORT_TIMEOUT_MS = 600_000
NULL = -1  # the code of a missing property


class Vocabulary(dict[str, int]):
    """Codes for the values of one property (countries, categories, labels); -1 is null."""

    def code(self, value: str | None) -> int:
        if value is None:
            return NULL
        return self.setdefault(value, len(self))

    def codes(self, values: tuple[str, ...]) -> np.ndarray:
        return np.array([self[v] for v in values if v in self], dtype=np.int32)


@dataclass
class Side:
    """The entities of one label: ids in id order, filter properties as arrays, incidence in both directions."""

    label: str
    ids: list[str]
    row: dict[str, int]
    country: np.ndarray
    category: np.ndarray
    excellence: np.ndarray
    nuts: list[str | None]
    ecosystems: list[list[str] | None]
    offers: sparse.csr_matrix  # entity x competence
    seeks: sparse.csr_matrix
    covers: sparse.csr_matrix  # offers the competence or a narrower one (<= 3 BROADER steps)
    stages: sparse.csr_matrix  # entity x (chain, stage) column: offers something at that stage
    offers_count: np.ndarray
    covered_by: sparse.csr_matrix  # competence x entity (postings of covers)
    sought_by: sparse.csr_matrix  # competence x entity (postings of seeks)


@dataclass
class Incidence:
    sides: dict[str, Side]
    competences: list[str]
    column_chain: np.ndarray  # per stage column: the chain's number
    column_stage: np.ndarray  # per stage column: the stage's index in its chain
    countries: Vocabulary = field(default_factory=Vocabulary)
    categories: Vocabulary = field(default_factory=Vocabulary)
    excellence: Vocabulary = field(default_factory=Vocabulary)
    groups: dict[tuple[str, str], list[tuple[str, int]]] = field(default_factory=dict)  # tie group -> (label, row)
    groups_of: dict[tuple[str, int], list[tuple[str, str]]] = field(default_factory=dict)
    worked: dict[tuple[str, int], dict[tuple[str, int], int]] = field(default_factory=dict)  # both ways: projects
    requests: dict[str, list[Request]] = field(default_factory=dict)  # label -> open requests of its entities
    today: str = ""  # the day the open requests were read for


@dataclass(frozen=True)
class Request:
    """An open request (a posting): its owner's row, the competences it asks for, and whom it is open to."""

    owner: int
    competences: np.ndarray
    categories: frozenset[str]
    countries: frozenset[str]


def export_incidence(store: GraphStore) -> Incidence:
    """Read everything the score needs, once (seconds at s, minutes at l); open requests as of today."""
    competences = [r["id"] for r in queries.run(store, "taxonomy_competences").rows]
    comp_index = {c: i for i, c in enumerate(competences)}
    closure = _broader_closure(store, comp_index)
    columns: dict[tuple[str, int], int] = {}
    chain_numbers: dict[str, int] = {}
    placements: list[tuple[int, int]] = []  # (competence, column)
    for r in queries.run(store, "taxonomy_stages").rows:
        for stage in range(r["n"]):
            columns.setdefault((r["v"], stage), len(columns))
        chain_numbers.setdefault(r["v"], len(chain_numbers))
        placements.append((comp_index[r["c"]], columns[(r["v"], r["stage"])]))
    stage_map = sparse.csr_matrix(
        (np.ones(len(placements), dtype=np.int32), ([c for c, _ in placements], [s for _, s in placements])),
        shape=(len(competences), len(columns)),
    )
    data = Incidence(
        sides={},
        competences=competences,
        column_chain=np.array([chain_numbers[chain] for chain, _ in columns], dtype=np.int64),
        column_stage=np.array([stage for _, stage in columns], dtype=np.int64),
    )
    for label in KINDS:
        data.sides[label] = _read_side(store, data, label, comp_index, closure, stage_map)
    for label in KINDS:
        side = data.sides[label]
        for r in queries.run(store, "reference_ties", labels={"label": label}, timeout_ms=EXPORT_TIMEOUT_MS).rows:
            row = side.row.get(r["m"])
            if row is not None:
                data.groups.setdefault((r["kind"], r["g"]), []).append((label, row))
                data.groups_of.setdefault((label, row), []).append((r["kind"], r["g"]))
    data.today = today()
    for label in KINDS:
        side = data.sides[label]
        data.requests[label] = [
            Request(
                side.row[r["owner"]],
                np.array(sorted(comp_index[c] for c in r["competences"]), dtype=np.int64),
                frozenset(r["categories"]),
                frozenset(r["countries"]),
            )
            for r in queries.run(
                store,
                "reference_requests",
                {"today": data.today},
                labels={"label": label},
                timeout_ms=EXPORT_TIMEOUT_MS,
            ).rows
            if r["owner"] in side.row
        ]
    for r in queries.run(store, "reference_worked_with", timeout_ms=EXPORT_TIMEOUT_MS).rows:
        a_row, b_row = data.sides[r["a_label"]].row.get(r["a"]), data.sides[r["b_label"]].row.get(r["b"])
        if a_row is not None and b_row is not None:
            one, other = (r["a_label"], a_row), (r["b_label"], b_row)
            data.worked.setdefault(one, {})[other] = int(r["projects"])
            data.worked.setdefault(other, {})[one] = int(r["projects"])
    return data


def _broader_closure(store: GraphStore, comp_index: dict[str, int]) -> sparse.csr_matrix:
    """closure[d, c] = 1 when d == c or d reaches c in 1..3 BROADER steps."""
    n = len(comp_index)
    pairs = [(comp_index[r["d"]], comp_index[r["c"]]) for r in queries.run(store, "taxonomy_broader").rows]
    step = sparse.csr_matrix(
        (np.ones(len(pairs), dtype=np.int32), ([d for d, _ in pairs], [c for _, c in pairs])), shape=(n, n)
    )
    closure = power = sparse.identity(n, dtype=np.int32, format="csr")
    for _ in range(BROADER_DEPTH):
        power = power @ step
        closure = closure + power
    return _binary(closure)


def _binary(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(matrix)
    matrix.sum_duplicates()
    matrix.data[:] = 1
    matrix.sort_indices()
    return matrix


def _read_side(
    store: GraphStore,
    data: Incidence,
    label: str,
    comp_index: dict[str, int],
    closure: sparse.csr_matrix,
    stage_map: sparse.csr_matrix,
) -> Side:
    rows = queries.run(store, "reference_entities", labels={"label": label}, timeout_ms=EXPORT_TIMEOUT_MS).rows
    ids = [r["id"] for r in rows]
    row_of = {entity: i for i, entity in enumerate(ids)}
    country = np.array([data.countries.code(r["country"]) for r in rows], dtype=np.int32)
    category = np.array([data.categories.code(r["category"]) for r in rows], dtype=np.int32)
    excellence = np.array([data.excellence.code(r["excellence_label"]) for r in rows], dtype=np.int32)
    nuts = [r["nuts"] for r in rows]
    ecosystems = [r["ecosystems"] for r in rows]
    del rows

    def incidence(rel: str) -> sparse.csr_matrix:
        pairs = queries.run(
            store, "reference_incidence", labels={"label": label, "rel": rel}, timeout_ms=EXPORT_TIMEOUT_MS
        ).rows
        entity = np.fromiter((row_of[r["n"]] for r in pairs), dtype=np.int64, count=len(pairs))
        competence = np.fromiter((comp_index[r["c"]] for r in pairs), dtype=np.int64, count=len(pairs))
        return _binary(
            sparse.csr_matrix(
                (np.ones(len(pairs), dtype=np.int32), (entity, competence)), shape=(len(ids), len(comp_index))
            )
        )

    offers, seeks = incidence("OFFERS"), incidence("SEEKS")
    covers = _binary(offers @ closure)
    return Side(
        label=label,
        ids=ids,
        row=row_of,
        country=country,
        category=category,
        excellence=excellence,
        nuts=nuts,
        ecosystems=ecosystems,
        offers=offers,
        seeks=seeks,
        covers=covers,
        stages=_binary(offers @ stage_map),
        offers_count=np.diff(offers.indptr).astype(np.int64),
        covered_by=_binary(covers.T),
        sought_by=_binary(seeks.T),
    )


def _row(matrix: sparse.csr_matrix, row: int) -> np.ndarray:
    """The column indices of one row, without scipy's slicing overhead."""
    columns: np.ndarray = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
    return columns


def _gather(matrix: sparse.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position in `rows`, column) of every entry of those rows."""
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    position = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return position, matrix.indices[np.repeat(starts, lengths) + offsets]


def _postings(matrix: sparse.csr_matrix, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct entities listed under any of `keys` (competences) and under how many of them."""
    if len(keys) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    _, entities = _gather(matrix, keys)
    return np.unique(entities, return_counts=True)


def _passing(data: Incidence, side: Side, rows: np.ndarray, filters: Filters, seeker_country: int) -> np.ndarray:
    """Which of `rows` pass the filters (Cypher's three-valued logic: a missing property fails its filter)."""
    keep = np.ones(len(rows), dtype=bool)
    country = side.country[rows]
    if filters.categories is not None:
        keep &= np.isin(side.category[rows], data.categories.codes(filters.categories))
    if filters.countries is not None:
        keep &= np.isin(country, data.countries.codes(filters.countries))
    if filters.exclude_countries is not None:
        keep &= (country != NULL) & ~np.isin(country, data.countries.codes(filters.exclude_countries))
    if filters.excellence_labels is not None:
        keep &= np.isin(side.excellence[rows], data.excellence.codes(filters.excellence_labels))
    if filters.exclude_own_country:
        keep &= (country != NULL) & (seeker_country != NULL) & (country != seeker_country)
    if filters.ecosystems is not None:
        wanted = set(filters.ecosystems)
        for i in np.flatnonzero(keep):
            keep[i] = any(e in wanted for e in side.ecosystems[rows[i]] or ())
    if filters.nuts_prefix is not None:
        for i in np.flatnonzero(keep):
            keep[i] = (side.nuts[rows[i]] or "\0").startswith(filters.nuts_prefix)
    if filters.exclude_ids is not None:
        excluded = set(filters.exclude_ids)
        keep &= np.fromiter((side.ids[r] not in excluded for r in rows), dtype=bool, count=len(rows))
    return keep


def _requests(data: Incidence, seeker_side: Side, a: int, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows of `label` with open requests the seeker answers (it covers what they ask, they are open to it), and how many."""
    covered = _row(seeker_side.covers, a)
    category = _decode(data.categories, int(seeker_side.category[a]))
    country = _decode(data.countries, int(seeker_side.country[a]))
    counts: dict[int, int] = defaultdict(int)
    for request in data.requests.get(label, []):
        if (seeker_side.label, a) == (label, request.owner):
            continue
        if request.categories and category not in request.categories:
            continue
        if request.countries and country not in request.countries:
            continue
        if np.intersect1d(covered, request.competences, assume_unique=True).size:
            counts[request.owner] += 1
    rows = np.array(sorted(counts), dtype=np.int64)
    return rows, np.array([counts[r] for r in rows], dtype=np.int64)


def _decode(vocabulary: Vocabulary, code: int) -> str | None:
    for value, found in vocabulary.items():
        if found == code:
            return value
    return None


def _value_chain(data: Incidence, seeker_side: Side, a: int, side: Side, rows: np.ndarray) -> np.ndarray:
    """Per row: sum over chains both are in at different stages of 1.0 (some stages adjacent) or 0.5."""
    value = np.zeros(len(rows))
    seeker_columns = _row(seeker_side.stages, a)
    if len(seeker_columns) == 0 or len(rows) == 0:
        return value
    adjacent = np.zeros(len(data.column_chain), dtype=bool)
    different = np.zeros(len(data.column_chain), dtype=bool)
    for column in seeker_columns:
        same_chain = data.column_chain == data.column_chain[column]
        adjacent |= same_chain & (np.abs(data.column_stage - data.column_stage[column]) == 1)
        different |= same_chain & (data.column_stage != data.column_stage[column])
    position, columns = _gather(side.stages, rows)
    chains = len(data.column_chain)
    key = position * chains + data.column_chain[columns]
    adjacent_keys = np.unique(key[adjacent[columns]])
    different_keys = np.setdiff1d(np.unique(key[different[columns]]), adjacent_keys, assume_unique=True)
    value += np.bincount(adjacent_keys // chains, minlength=len(rows)) * 1.0
    value += np.bincount(different_keys // chains, minlength=len(rows)) * 0.5
    return value


def _ties(data: Incidence, seeker: tuple[str, int], label: str) -> dict[int, int]:
    """Candidate row -> number of tie groups (partnerships, exchanges, clusters, meetings) shared with the seeker."""
    counts: dict[int, int] = defaultdict(int)
    for group in data.groups_of.get(seeker, []):
        for member_label, member in set(data.groups[group]):
            if member_label == label and (member_label, member) != seeker:
                counts[member] += 1
    return counts


def _collaboration(
    data: Incidence, seeker: tuple[str, int], label: str, rows: np.ndarray, weight: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: projects worked on with the seeker, and the term (1.0 together, 0.5 a partner's partner, else 0)."""
    partners = data.worked.get(seeker, {})
    together = np.fromiter((partners.get((label, int(r)), 0) for r in rows), dtype=np.int64, count=len(rows))
    apart = np.zeros(len(rows), dtype=bool)
    if weight != 0 and partners:  # as in Cypher: the two-hop search only when its weight counts
        second = {q for p in partners for q in data.worked.get(p, {}) if q != seeker}
        apart = np.fromiter(((label, int(r)) in second for r in rows), dtype=bool, count=len(rows))
    return together, np.where(together > 0, 1.0, np.where(apart, 0.5, 0.0))


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
    seeker_side, side = data.sides[seeker[0]], data.sides[candidates]
    a = seeker_side.row[seeker[1]]
    need_rows, need_counts = _postings(side.covered_by, _row(seeker_side.seeks, a))  # b covers what a seeks
    reciprocity_rows, reciprocity_counts = _postings(
        side.sought_by, _row(seeker_side.covers, a)
    )  # b seeks what a covers
    request_rows, request_counts = _requests(data, seeker_side, a, candidates)
    rows = np.union1d(np.union1d(need_rows, reciprocity_rows), request_rows)
    if seeker_side is side:
        rows = rows[rows != a]
    rows = rows[_passing(data, side, rows, filters, int(seeker_side.country[a]))]
    tie_of = _ties(data, (seeker[0], a), candidates)
    tie_count = (
        np.fromiter((tie_of.get(int(r), 0) for r in rows), dtype=np.int64, count=len(rows))
        if tie_of
        else np.zeros(len(rows), dtype=np.int64)
    )
    if exclude_ties:
        rows, tie_count = rows[tie_count == 0], tie_count[tie_count == 0]

    need = np.zeros(len(rows), dtype=np.int64)
    found = np.searchsorted(need_rows, rows)
    hit = (
        (found < len(need_rows)) & (need_rows[np.minimum(found, len(need_rows) - 1)] == rows)
        if len(need_rows)
        else np.zeros(len(rows), dtype=bool)
    )
    need[hit] = need_counts[found[hit]]
    reciprocity = np.zeros(len(rows), dtype=np.int64)
    found = np.searchsorted(reciprocity_rows, rows)
    hit = (
        (found < len(reciprocity_rows)) & (reciprocity_rows[np.minimum(found, len(reciprocity_rows) - 1)] == rows)
        if len(reciprocity_rows)
        else np.zeros(len(rows), dtype=bool)
    )
    reciprocity[hit] = reciprocity_counts[found[hit]]

    value_chain = _value_chain(data, seeker_side, a, side, rows)
    seeker_offers = np.zeros(len(data.competences))
    seeker_offers[_row(seeker_side.offers, a)] = 1
    position, columns = _gather(side.offers, rows)
    shared = np.bincount(position, weights=seeker_offers[columns], minlength=len(rows)).astype(np.int64)
    union = seeker_side.offers_count[a] + side.offers_count[rows] - shared
    overlap = np.where(union == 0, 0.0, shared / np.maximum(union, 1))
    # the same expression, in the same order, as partner_search.cypher
    score = (
        weights.need * need
        + weights.reciprocity * reciprocity
        + weights.value_chain * value_chain
        - weights.overlap * overlap
    )
    score = score - np.where(tie_count > 0, weights.tie, 0.0)
    together, collaboration = _collaboration(data, (seeker[0], a), candidates, rows, weights.collaboration)
    score = score + weights.collaboration * collaboration
    requests = np.zeros(len(rows), dtype=np.int64)
    found = np.searchsorted(request_rows, rows)
    hit = (
        (found < len(request_rows)) & (request_rows[np.minimum(found, len(request_rows) - 1)] == rows)
        if len(request_rows)
        else np.zeros(len(rows), dtype=bool)
    )
    requests[hit] = request_counts[found[hit]]
    posting = np.where(requests > 0, 1.0, 0.0)
    score = score + weights.posting * posting

    wanted = skip + first
    order = np.arange(len(rows))
    if (
        len(rows) > wanted
    ):  # only scores at or above the wanted-th can be on the page (ties at it kept, ordered by id below)
        threshold = np.partition(score, len(rows) - wanted)[len(rows) - wanted]
        order = np.flatnonzero(score >= threshold)
    ranked = order[np.lexsort((rows[order], -score[order]))][skip:wanted]  # rows are in id order
    return [
        Match(
            side.ids[rows[i]],
            float(score[i]),
            int(need[i]),
            int(reciprocity[i]),
            float(value_chain[i]),
            float(overlap[i]),
            int(tie_count[i]),
            int(together[i]),
            float(collaboration[i]),
            int(requests[i]),
            float(posting[i]),
        )
        for i in ranked
    ]
