"""Every organisation id, a page at a time, for passes over millions of organisations.

An export, or marking every score profile stale, used to page in id order:
each page found the organisations after the previous page's last id and
sorted all that remained, so a pass cost the square of the graph (at l,
marking every organisation stale broke the engine's memory cap per query).

Neo4j reads its id index in order, so a page there is the next ids after the
last one. FalkorDB 4.16 sorts instead, and its string range index is no way
out: with both bounds, it ignored the upper one for ids such as `syn-o103`
(measured; ENGINES.md-worthy). So FalkorDB pages by internal node id, which
it seeks by range: each organisation is visited once, each page sorted on
its own (the pages follow node ids, not organisation ids).
"""

from __future__ import annotations

from collections.abc import Iterator

from clusterkg import queries
from clusterkg.graph.store import GraphStore

TIMEOUT_MS = 600_000


def organisation_id_pages(store: GraphStore, per_page: int) -> Iterator[list[str]]:
    """Every organisation id once, in pages of at most `per_page` (each page in id order; some may be empty)."""
    if store.engine == "falkordb":
        top = queries.run(store, "organisation_node_top", timeout_ms=TIMEOUT_MS).scalar()
        for low in range(0, -1 if top is None else int(top) + 1, per_page):
            by_node: dict[str, object] = {"low": low, "high": low + per_page}
            yield [r["id"] for r in queries.run(store, "organisation_ids_by_node", by_node, timeout_ms=TIMEOUT_MS).rows]
        return
    after = ""
    while True:
        by_id: dict[str, object] = {"after": after, "limit": per_page}
        ids = [r["id"] for r in queries.run(store, "organisation_ids_after", by_id, timeout_ms=TIMEOUT_MS).rows]
        yield ids
        if len(ids) < per_page:
            return
        after = ids[-1]
