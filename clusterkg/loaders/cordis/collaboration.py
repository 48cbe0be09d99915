"""Who worked with whom: co-participation in EU projects as weighted ties.

Two participants (organisations, or clusters that took part themselves) that
took part in the same projects get one WORKED_WITH relationship with the
number of those projects. Two clusters worked together when the cluster or
one of its members and the other cluster or one of its members took part in
the same project. Ties are counted again for every node a load touched (and
their clusters): cleared first, then written, so a re-run gives the same
counts and a participation removed from the files stops counting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from clusterkg import queries
from clusterkg.graph.store import GraphStore, WriteStats, chunked

BATCH = 2000


def recount(
    store: GraphStore,
    touched: dict[str, set[str]],
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> tuple[int, int]:
    """Count the ties of the touched nodes (label -> ids) again; returns (participants, clusters) recounted."""
    everyone = sorted(set().union(*touched.values())) if touched else []
    clusters: set[str] = set()
    for batch in chunked(everyone, BATCH):
        clusters.update(r["id"] for r in queries.run(store, "clusters_of_participants", {"ids": list(batch)}).rows)
    total = sum(len(ids) for ids in touched.values())
    advance = progress("co-participation ties", 2 * total + 2 * len(clusters)) if progress else None
    for name in ("worked_with_clear", "worked_with_write"):
        for label, ids in touched.items():
            _run(store, name, sorted(ids), {"label": label}, advance)
    for name in ("cluster_ties_clear", "cluster_ties_write"):
        _run(store, name, sorted(clusters), None, advance)
    return total, len(clusters)


def _run(
    store: GraphStore,
    name: str,
    ids: Iterable[str],
    labels: dict[str, str] | None,
    advance: Callable[[int], None] | None,
) -> WriteStats:
    stats = WriteStats()
    for batch in chunked(list(ids), BATCH):
        stats += queries.write(store, name, {"ids": list(batch)}, labels=labels)
        if advance:
            advance(len(batch))
    return stats
