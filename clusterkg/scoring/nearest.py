"""Organisation partners through their score profiles: fewer candidates, the same page.

The exact query (partner_search.cypher) visits every organisation that shares
a competence with the seeker: at scale m about a hundred thousand records
for a cluster seeker, at l ten times that. Organisations with the same
offers and seeks share one score profile (clusterkg.queries.vectors): 494,444
organisations have 5,079 at m. partner_profiles.cypher finds the profiles
that share a competence with the seeker through their derived links, scores
each once from its precomputed lists, opens the best until they hold `reach`
organisations, and scores in full only the first `take` members that pass
the filters. A profile is opened by the first member ids it keeps in id order
(at l the best profiles hold tens of thousands of organisations): the lists
of the opened profiles, merged in score and id order, are looked up to
`LOOK_PER_TAKE * take` (then `LOOK_MORE_PER_TAKE * take`), and the profiles
are opened whole only when one cut short could still hold a member before the
last one taken (a very strict filter). The members taken are scored in full
with those a profile cannot rank (open requests the seeker answers; work
together when its weight counts). For non-negative weights
with existing partners left out (the defaults) that is partner_search's
page: every organisation left out scores below the page, and a round with a
short page opens eight times more. Otherwise the exact query answers.

`exact=False` asks the engine's vector index for the profiles instead (the
reciprocal part of the score as an inner product): approximate, each match
says exact=False, and benchmarks/partner_search.py measures its recall. On
these profiles (binary, a handful of competences each) it is both slower
and weaker than the links: most profiles are equally far from a query, and
an HNSW search has no gradient to follow across them.

Profiles are used only when none is stale (a load is changing offers or
seeks: it refreshes them when it commits, and meanwhile the exact query
answers). A search never refreshes them itself: in the middle of a load it
would compute them from half-written data.
"""

from __future__ import annotations

from typing import Any

from clusterkg import queries
from clusterkg.graph.store import GraphStore
from clusterkg.queries import vectors

K_MIN = 400  # profiles asked of the vector index at least (exact=False)
REACH_PER_RESULT = 10  # organisations the opened profiles hold, per result the page needs (filters drop some)
TAKE_PER_RESULT, TAKE_SPARE = 2, 20  # members scored in full beyond the seeker's existing partners
LOOK_PER_TAKE = 4  # ids looked up from the profiles' first members per member taken (filters drop some; at m 2 was too few, 8 slower)
LOOK_MORE_PER_TAKE = 32  # and when those are not enough (a strict filter), before the profiles are opened whole
ROUNDS = 4  # each round 8x the profiles and organisations, before the exact query answers


def profile_path(store: GraphStore, exact: bool | None, params: dict[str, Any]) -> vectors.VectorState | None:
    """The profiles' state when they should answer, else None (the exact query)."""
    if exact:
        return None
    weights = [value for name, value in params.items() if name.startswith("w_")]
    if exact is None and not (params["exclude_ties"] and min(weights) >= 0):
        return None  # the profiles' page is partner_search's only for these: the exact query answers the others
    found = vectors.state(store)
    return found if found.ready else None


def profile_rows(
    store: GraphStore,
    found: vectors.VectorState,
    params: dict[str, Any],
    labels: dict[str, str],
    *,
    approximate: bool,
    timeout_ms: int | None = None,
) -> list[dict[str, Any]] | None:
    """The page from the best profiles (more of them when the filters leave too few); None: ask the exact query."""
    wanted = params["skip"] + params["limit"]
    k, reach, take = K_MIN, REACH_PER_RESULT * wanted, TAKE_PER_RESULT * wanted + TAKE_SPARE
    for _ in range(ROUNDS):
        profile_ids = None
        if approximate:
            nearest = {"seeker_id": params["seeker_id"], "slots": found.slots, "k": min(k, max(found.profiles, 1))}
            nearest |= {"w_need": params["w_need"], "w_reciprocity": params["w_reciprocity"]}
            profile_ids = [
                r["id"]
                for r in queries.run(
                    store, "score_profiles_nearest", nearest, labels={"seeker": labels["seeker"]}, timeout_ms=timeout_ms
                ).rows
            ]
        rows = queries.run(
            store,
            "partner_profiles",
            {
                **params,
                "profile_ids": profile_ids,
                "reach": reach,
                "take": take,
                "look": LOOK_PER_TAKE * take,
                "look_more": LOOK_MORE_PER_TAKE * take,
            },
            labels={"seeker": labels["seeker"]},
            timeout_ms=timeout_ms,
        ).rows
        if len(rows) == params["limit"] or (k >= found.profiles and reach >= found.organisations):
            return rows
        k, reach, take = k * 8, reach * 8, take * 8
    return None
