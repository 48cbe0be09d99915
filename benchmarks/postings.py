"""Postings: the board's search and partner search with postings, on the SYNTHETIC graph of a scale.

    python benchmarks/postings.py --scale s --queries 40
    python benchmarks/postings.py --scale m --queries 40

1. The SYNTHETIC graph of `--scale` (the generator gives about three clusters in ten a posting).
2. The postings board (`posting_list` + `postings_by_id`, as the API runs them) for
   `--queries` filters drawn from the graph: open requests by competence (its
   broader and narrower ones count), by region category and country, by words;
   p50/p95 and the counts found.
3. Partner search of `--queries` clusters with the posting weight at its default
   (1.0) and at 0 (the posting branch still runs: it is one traversal from the
   seeker's offers), and with a posting as the seeker; p50/p95, and how many
   first pages the postings changed.

Prints figures with their scale and `RESULT {json}`. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_support import scratch_server  # noqa: E402
from clusterkg.accounts.principal import PUBLIC  # noqa: E402
from clusterkg.postings.search import PostingFilter, find_postings  # noqa: E402
from clusterkg.postings.service import today  # noqa: E402
from clusterkg.scoring.complementarity import Weights, partner_search  # noqa: E402


def p(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    found = fn()
    return (time.perf_counter() - started) * 1000, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m", "l"))
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--data-dir", type=Path, default=None, help="reuse the server (and graphs) of this data dir")
    args = parser.parse_args()
    rng = random.Random(7)
    with scratch_server(args.data_dir) as scratch:
        store = scratch.demo(f"postings-{args.scale}", args.scale)
        counts = store.read(
            "MATCH (p:Posting) RETURN count(p) AS postings, sum(CASE WHEN p.kind <> 'OFFER' THEN 1 ELSE 0 END) AS requests"
        ).rows[0]
        clusters = store.read("MATCH (c:Cluster) RETURN count(c) AS n").scalar()
        competences = [
            r["id"]
            for r in store.read(
                "MATCH (:Posting)-[:SEEKS|OFFERS]->(k:Competence) RETURN DISTINCT k.id AS id ORDER BY id"
            ).rows
        ]
        countries = [r["c"] for r in store.read("MATCH (c:Cluster) RETURN DISTINCT c.country AS c ORDER BY c").rows]
        day = today()
        filters = []
        for i in range(args.queries):
            kind = i % 4
            if kind == 0:
                filters.append(PostingFilter(competences=(rng.choice(competences),)))
            elif kind == 1:
                filters.append(PostingFilter(kinds=("REQUEST", "RD_REQUEST"), categories=("less_developed",)))
            elif kind == 2:
                filters.append(PostingFilter(countries=(rng.choice(countries),)))
            else:
                filters.append(PostingFilter(text="partner"))
        board, found = [], []
        for search in filters:
            ms, result = timed(lambda search=search: find_postings(store, PUBLIC, search, first=20, day=day))
            board.append(ms)
            found.append(result[0])  # type: ignore[index]
        seekers = rng.sample(
            [r["id"] for r in store.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id").rows], args.queries
        )
        with_postings, without, changed = [], [], 0
        for seeker in seekers:
            ms, on = timed(lambda seeker=seeker: partner_search(store, seeker, first=20, explain=False))
            with_postings.append(ms)
            ms, off = timed(
                lambda seeker=seeker: partner_search(
                    store, seeker, weights=Weights(posting=0.0), first=20, explain=False
                )
            )
            without.append(ms)
            changed += [m.id for m in on] != [m.id for m in off]  # type: ignore[attr-defined]
        requests = [
            r["id"]
            for r in store.read(
                "MATCH (p:Posting) WHERE p.kind <> 'OFFER' AND p.status = 'PUBLISHED' AND p.deadline >= $d "
                "RETURN p.id AS id ORDER BY id",
                {"d": day.isoformat()},
            ).rows
        ]
        as_seeker = [
            timed(lambda pid=pid: partner_search(store, pid, first=10))[0]
            for pid in rng.sample(requests, min(len(requests), args.queries))
        ]
    result = {
        "scale": args.scale,
        "clusters": clusters,
        "postings": counts["postings"],
        "requests": int(counts["requests"]),
        "board_p50_ms": round(statistics.median(board), 2),
        "board_p95_ms": round(p(board, 0.95), 2),
        "board_found_median": statistics.median(found),
        "partner_search_p50_ms": round(statistics.median(with_postings), 2),
        "partner_search_p95_ms": round(p(with_postings, 0.95), 2),
        "partner_search_weight0_p50_ms": round(statistics.median(without), 2),
        "first_pages_changed_by_postings": f"{changed}/{len(seekers)}",
        "posting_as_seeker_p50_ms": round(statistics.median(as_seeker), 2) if as_seeker else None,
    }
    print(
        f"scale {args.scale}: {clusters:,} clusters, {counts['postings']:,} postings ({int(counts['requests']):,} requests)"
    )
    print(
        f"board (20 a page): p50 {result['board_p50_ms']} ms, p95 {result['board_p95_ms']} ms over {len(board)} filters"
    )
    print(
        f"partner search: p50 {result['partner_search_p50_ms']} ms (posting weight 1.0), "
        f"{result['partner_search_weight0_p50_ms']} ms (0); first pages changed by postings {result['first_pages_changed_by_postings']}"
    )
    print(f"a posting as seeker (with explanations): p50 {result['posting_as_seeker_p50_ms']} ms")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
