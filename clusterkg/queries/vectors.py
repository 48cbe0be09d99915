"""Score profiles: what partner search needs of organisations, precomputed once per distinct profile.

Organisations that offer and seek the same competences score the same
against any seeker in everything but their own ties, requests and work
together: at scale m, 494,444 organisations have a few thousand distinct
profiles. So each distinct profile is one `ScoreProfile` node (derived, not
content, never exported), linked from its members by HAS_PROFILE, holding
what the score needs: the competences offered, sought and covered (offered
or broader, up to 3 BROADER steps), the value-chain stages, and a vector
for the engine's vector index.

The vector makes the need and reciprocity part of the score an inner
product: slot i of the first half is 1 when the profile covers competence i,
slot i of the second half when it seeks it; a seeker's query vector puts
w_need on what it seeks and w_reciprocity on what it covers. A last slot
tops every vector's squared norm up to the same `norm`, so that cosine
similarity, which both engines' indexes offer, ranks by the inner product
(the usual reduction of maximum inner product to nearest neighbours). The
norm is the largest in the graph plus NORM_HEADROOM, not the largest
possible: with 2 * slots every vector would point along the last slot and
the index would find nothing (measured: recall 0.13 at xs).

Kept current without trusting any one writer: a load marks the organisations
whose offers or seeks it changes (`StaleProfile`) *before* it writes them,
so a crash in between leaves them stale, never wrong; a change of the
competence hierarchy or of the number of slots clears every profile; and
`refresh` assigns, computes and counts in Cypher from the graph itself
(each profile keeps its first FIRST_MEMBERS member ids in id order with its
count, so that a search opens a big profile without sorting its members),
after every load and at `serve` start. Partner search uses the profiles only
when nothing is stale (it answers exactly meanwhile). Competences keep their
slot for good; a new one takes the next, and only when the slots run out
does the index get a new dimension.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clusterkg import queries
from clusterkg.graph.store import GraphStore
from clusterkg.queries import ranges

LABEL, PROPERTY = "ScoreProfile", "vector"
SLOT_HEADROOM = 32  # slots come in multiples of this: a few custom competences do not change the dimension
BATCH = 5_000
RECOUNT_BATCH = 500  # profiles a recount: each keeps FIRST_MEMBERS ids until the write commits
FIRST_MEMBERS = 512  # member ids a profile keeps in id order (partner search opens big profiles by them)
MARK_BATCH = 20_000
NORM_START, NORM_HEADROOM = 8.0, 4.0  # squared norms: organisations cover and seek a handful of competences
TIMEOUT_MS = 600_000

ProgressFactory = Callable[[str, int], Callable[[int], None]]  # (description, total) -> advance(n)


@dataclass(frozen=True)
class VectorState:
    slots: int | None  # None before the first refresh
    norm: float | None
    signature: str | None
    organisations: int
    profiles: int
    stale: bool

    @property
    def ready(self) -> bool:
        return self.slots is not None and not self.stale


def state(store: GraphStore) -> VectorState:
    row = queries.run(store, "score_vectors_state").rows[0]
    return VectorState(
        row["slots"], row["norm"], row["signature"], int(row["organisations"]), int(row["profiles"]), bool(row["stale"])
    )


def dimension(slots: int) -> int:
    return 2 * slots + 1


def mark_stale(store: GraphStore, organisation_ids: list[str]) -> None:
    """Before their offers or seeks change: these organisations get their profile again at the next refresh."""
    for start in range(0, len(organisation_ids), MARK_BATCH):
        queries.write(store, "score_profiles_mark", {"ids": organisation_ids[start : start + MARK_BATCH]})


def refresh(store: GraphStore, progress: ProgressFactory | None = None) -> int:
    """Lay out the slots (once per hierarchy), make sure the index exists, bring every profile up to date.

    Returns the number of organisations assigned a profile again. Idempotent: a second call finds nothing to do.
    """
    slots, norm = _layout(store)
    store.ensure_vector_index(LABEL, PROPERTY, dimension(slots))
    pending = queries.run(store, "score_vectors_pending", timeout_ms=TIMEOUT_MS).rows[0]
    assigned = _batches(
        store, "score_profiles_assign", {"slots": slots}, progress, "partner-search profiles", pending["organisations"]
    )
    while True:
        computed = _computed(store, slots, norm, progress)
        if computed is None:
            break
        norm = computed  # a fuller profile than any before: every vector again with the larger norm
        queries.write(
            store,
            "score_vector_slots_write",
            {"rows": [], "slots": slots, "norm": norm, "signature": _signature(store)},
        )
        queries.write(store, "score_profiles_restale", {"norm": norm})
    _batches(store, "score_profiles_recount", {"first": FIRST_MEMBERS}, None, "", 0, batch=RECOUNT_BATCH)
    census = queries.run(store, "score_vectors_census", timeout_ms=TIMEOUT_MS).rows
    organisations, profiles = (census[0]["organisations"], census[0]["profiles"]) if census else (0, 0)
    queries.write(store, "score_vectors_counts", {"organisations": organisations, "profiles": profiles})
    return assigned


def _batches(
    store: GraphStore,
    name: str,
    params: dict[str, Any],
    progress: ProgressFactory | None,
    what: str,
    total: int,
    batch: int = BATCH,
) -> int:
    advance = progress(what, total) if progress and total else None
    done = 0
    while True:
        found = len(queries.write(store, name, {**params, "batch": batch}).returned)
        done += found
        if advance:
            advance(found)
        if found < batch:
            return done


def _computed(store: GraphStore, slots: int, norm: float, progress: ProgressFactory | None) -> float | None:
    """Compute the stale profiles' vectors; the larger norm needed when one outgrew it (then nothing is kept)."""
    total = queries.run(store, "score_vectors_pending", timeout_ms=TIMEOUT_MS).rows[0]["profiles"]
    advance = progress("partner-search vectors", total) if progress and total else None
    while True:
        found = queries.write(store, "score_profiles_compute", {"slots": slots, "norm": norm, "batch": BATCH}).returned
        largest = max((float(r["ones"]) for r in found), default=0.0)
        if largest > norm:
            return largest + NORM_HEADROOM
        if advance:
            advance(len(found))
        if len(found) < BATCH:
            return None


def _signature(store: GraphStore) -> str:
    return state(store).signature or ""


def _layout(store: GraphStore) -> tuple[int, float]:
    """The slots of the competences and the norm; when the hierarchy or the number of slots changed, every profile goes."""
    rows = queries.run(store, "score_vector_slots", timeout_ms=TIMEOUT_MS).rows
    taken = {r["slot"] for r in rows if r["slot"] is not None}
    next_slot = max(taken, default=-1) + 1
    new: list[dict[str, object]] = []
    for r in rows:
        if r["slot"] is None:
            new.append({"id": r["id"], "slot": next_slot})
            next_slot += 1
    slots = max(SLOT_HEADROOM, -(-next_slot // SLOT_HEADROOM) * SLOT_HEADROOM)
    slot_of = {r["id"]: r["slot"] for r in rows} | {str(n["id"]): n["slot"] for n in new}
    steps = sorted((slot_of[r["id"]], slot_of.get(b)) for r in rows for b in r["broader"] if b in slot_of)
    signature = hashlib.sha256(json.dumps([slots, steps]).encode()).hexdigest()[:16]
    current = state(store)
    norm = current.norm or NORM_START
    if current.signature == signature and not new:
        return slots, norm
    if current.slots is not None and current.slots != slots:
        store.drop_vector_index(LABEL, PROPERTY)  # a new dimension
    if current.signature != signature:
        _batches(store, "score_profiles_clear", {}, None, "", 0)
        _mark_all(store)
    # the layout is recorded last: a crash before this line repeats the clearing on the next refresh
    queries.write(
        store, "score_vector_slots_write", {"rows": new, "slots": slots, "norm": norm, "signature": signature}
    )
    return slots, norm


def _mark_all(store: GraphStore) -> None:
    for ids in ranges.organisation_id_pages(store, MARK_BATCH):
        if ids:
            queries.write(store, "score_profiles_mark", {"ids": ids})
