"""Partner search latency: Cypher, the in-memory reference, and GraphQL over HTTP, same run.

    .venv/bin/python benchmarks/partner_search.py --scale s
    .venv/bin/python benchmarks/partner_search.py --scale m --data-dir /tmp/bench-m
    .venv/bin/python benchmarks/partner_search.py --scale m --data-dir /tmp/bench-m --candidates Organisation --seekers 200 --requests 200

Builds a graph (reference data + SYNTHETIC data at the scale) in its own
embedded FalkorDB (or reuses the one kept in --data-dir), picks random
seekers (clusters; with --kind organisation, half organisations and half
clusters, reported apart), and times for each:
  cypher        the score, top 20, filter LESS_DEVELOPED|TRANSITION, as partner_search runs it: organisations
                through their score profiles (clusterkg.scoring.nearest), with recall@20 against the reference
  cypher exact  (organisations) partner_search.cypher alone: the exact query
  vector index  (organisations) exact: false, the engine's vector index proposing the profiles, and its recall@20
  cypher+why    the same plus partner_explain for the 20 (what partnerSearch runs)
  reference     the same score in memory (clusterkg.scoring.reference: numpy over the
                candidates' compressed rows only, in process): the floor to compare with
  graphql/http  partnerSearch with explanations through `clusterkg serve` (1 worker), one client
It checks that Cypher and the reference give the same top 20, then measures
throughput with 2 uvicorn workers and 32 concurrent loopback clients, without
and with the response cache (clusterkg.graphql.cache: a first pass, then the
same workload again on the filled cache, "warm"), on one workload that
mixes repeated and new seekers the way a public search page does: each
request's seeker is drawn from the --seekers with Zipf weights (rank r has
weight 1/r^--zipf, default 1.1), so a few profiles are asked for often and
most rarely. The last line is `RESULT {json}` with every figure.
Figures vary with the machine: compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from bench_support import scratch_server

from clusterkg import queries
from clusterkg.graph.process import free_port
from clusterkg.scoring.complementarity import Filters, Weights, partner_search, today
from clusterkg.scoring.reference import export_incidence, reference_search

FILTERS = Filters(categories=("less_developed", "transition"))
QUERY = """query($id: ID!, $kind: PartnerKind!) { partnerSearch(input: {seekerId: $id, candidates: $kind, regionCategories: [LESS_DEVELOPED, TRANSITION], first: 20}) {
  score exact partner { ... on Cluster { id name region { nuts category } } ... on Organisation { id name region { nuts category } } }
  explanation { needFit { sought { id } offered { id } } reciprocity { sought { id } } valueChains { valueChain { id } fit } ties } } }"""
LABELS = {"cluster": "Cluster", "organisation": "Organisation"}


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return statistics.median(ordered), pick(0.95), pick(0.99)


def report(name: str, samples: list[float], baseline: float | None = None) -> float:
    p50, p95, p99 = percentiles(samples)
    ratio = f"{p50 / baseline:6.2f}x" if baseline else "      "
    print(f"  {name:<14} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms   p99 {p99:8.2f} ms  {ratio}")
    return p50


def start_api(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "clusterkg.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("clusterkg serve did not start")


def zipf_workload(seekers: list[str], requests: int, exponent: float, seed: int = 11) -> list[str]:
    """`requests` seekers drawn with weight 1/rank^exponent: repeated and new seekers mixed as on a public page."""
    weights = [1 / (rank**exponent) for rank in range(1, len(seekers) + 1)]
    return random.Random(seed).choices(seekers, weights=weights, k=requests)


async def load_test(base: str, workload: list[str], concurrency: int, kind: str) -> tuple[list[float], float, int, int]:
    """Latencies (ms), seconds, errors and cache hits of the workload sent by `concurrency` clients."""
    latencies: list[float] = []
    errors = hits = 0
    queue = list(reversed(workload))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors, hits
        while queue:
            seeker = queue.pop()
            started = time.perf_counter()
            response = await client.post(
                f"{base}/graphql", json={"query": QUERY, "variables": {"id": seeker, "kind": kind.upper()}}
            )
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200 or response.json().get("errors"):
                errors += 1
            hits += response.headers.get("x-cache") == "hit"

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, elapsed, errors, hits


def recall_at(found: list[tuple[str, float]], expected: list[tuple[str, float]]) -> float:
    """Recall@n as ANN benchmarks count it when scores tie: the share of returned partners whose true score reaches
    the n-th best true score (any of several partners with that score is a right answer)."""
    if not expected:
        return 1.0
    threshold = expected[-1][1] - 1e-9
    true_score = dict(expected)
    hits = sum(1 for partner, score in found[: len(expected)] if true_score.get(partner, score) >= threshold)
    return hits / len(expected)


def engine_latency(store, data, seekers: list[tuple[str, str]], candidates: str) -> dict[str, list[float] | int]:
    """Per seeker: the score alone (the default path: for organisations at scale, their profiles), the exact query,
    the score with explanations (what partnerSearch runs), the reference; agreement and recall@20."""
    params = {**FILTERS.params(), **Weights().params(), "exclude_ties": True, "skip": 0, "limit": 20, "today": today()}
    cypher, exact, full, reference, recall, approximate, same = [], [], [], [], [], 0, 0
    index, index_recall = [], []
    for label, seeker in seekers:
        text = queries.get("partner_search").text_for("falkordb", {"seeker": label, "candidate": candidates})
        t0 = time.perf_counter()
        rows = store.read(text, {**params, "seeker_id": seeker}).rows
        exact.append((time.perf_counter() - t0) * 1000)
        if candidates == "Cluster":  # clusters are always exact: the query alone, as before
            cypher.append(exact[-1])
            found = [(r["id"], float(r["score"]), True) for r in rows]
        else:
            t0 = time.perf_counter()
            matches = partner_search(store, seeker, candidates=candidates, filters=FILTERS, first=20, explain=False)
            cypher.append((time.perf_counter() - t0) * 1000)
            found = [(m.id, m.score, m.exact) for m in matches]
            t0 = time.perf_counter()
            proposed = partner_search(
                store, seeker, candidates=candidates, filters=FILTERS, first=20, explain=False, exact=False
            )
            index.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        partner_search(store, seeker, candidates=candidates, filters=FILTERS, first=20, timeout_ms=120_000)
        full.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        expected = reference_search(data, (label, seeker), candidates=candidates, filters=FILTERS, first=20)
        reference.append((time.perf_counter() - t0) * 1000)
        same += [r["id"] for r in rows] == [m.id for m in expected] and all(
            abs(r["score"] - m.score) < 1e-9 for r, m in zip(rows, expected)
        )
        approximate += not all(is_exact for _, _, is_exact in found)
        recall.append(recall_at([(i, score) for i, score, _ in found], [(m.id, m.score) for m in expected]))
        if candidates == "Organisation":
            index_recall.append(recall_at([(m.id, m.score) for m in proposed], [(m.id, m.score) for m in expected]))
    return {
        "cypher": cypher,
        "exact": exact,
        "full": full,
        "reference": reference,
        "same": same,
        "recall": recall,
        "approximate": approximate,
        "index": index or cypher,
        "index_recall": index_recall or recall,
    }


def http_latency(base: str, seekers: list[tuple[str, str]], kind: str) -> list[float]:
    samples = []
    with httpx.Client(timeout=120) as client:
        for _, seeker in seekers:
            t0 = time.perf_counter()
            response = client.post(
                f"{base}/graphql", json={"query": QUERY, "variables": {"id": seeker, "kind": kind.upper()}}
            )
            samples.append((time.perf_counter() - t0) * 1000)
            assert not response.json().get("errors"), response.text
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m", "l"))
    parser.add_argument(
        "--candidates",
        choices=tuple(LABELS.values()),
        help="Cluster (default) or Organisation; with Organisation, half the seekers are organisations",
    )
    parser.add_argument(
        "--kind", default="cluster", choices=tuple(LABELS), help="the same as --candidates (older name)"
    )
    parser.add_argument("--seekers", type=int, default=100)
    parser.add_argument("--requests", type=int, default=1000, help="requests in the throughput test (0: skip it)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--zipf", type=float, default=1.1, help="exponent of the seekers' Zipf weights in the throughput test"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the graph in this data dir and reuse it next time (m and l take minutes to build)",
    )
    parser.add_argument(
        "--graph",
        default="clusterkg",
        help="the graph's name on the server (benchmarks/load_memory.py loads `load_memory`)",
    )
    args = parser.parse_args()
    if args.candidates:
        args.kind = {label: kind for kind, label in LABELS.items()}[args.candidates]
    candidates = LABELS[args.kind]

    processes: list[subprocess.Popen] = []
    with scratch_server(args.data_dir) as scratch:
        info = scratch.info
        try:
            started = time.perf_counter()
            store = scratch.demo(args.graph, args.scale, query_timeout_ms=120_000)
            print(
                f"scale {args.scale} (SYNTHETIC), candidates {candidates}; graph ready in {time.perf_counter() - started:.0f} s"
            )

            started = time.perf_counter()
            data = export_incidence(store)
            print(f"incidence export for the reference: {time.perf_counter() - started:.1f} s")
            rng = random.Random(7)
            clusters = [("Cluster", i) for i in data.sides["Cluster"].ids]
            if candidates == "Cluster":
                seekers = rng.sample(clusters, min(args.seekers, len(clusters)))
            else:
                organisations = [("Organisation", i) for i in data.sides["Organisation"].ids]
                seekers = rng.sample(organisations, args.seekers // 2) + rng.sample(
                    clusters, args.seekers - args.seekers // 2
                )
            engine = engine_latency(store, data, seekers, candidates)

            env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
            env["CLUSTERKG_GRAPH_URL"] = f"redis://:{info.password}@127.0.0.1:{info.port}?graph={args.graph}"
            api, base = start_api({**env, "CLUSTERKG_RESPONSE_CACHE_MB": "0"}, workers=1)
            processes.append(api)
            http = http_latency(base, seekers, args.kind)
            api.terminate()
            api.wait(timeout=10)

            result: dict[str, object] = {"scale": args.scale, "kind": args.kind, "seekers": len(seekers)}
            groups = [("", range(len(seekers)))]
            if candidates == "Organisation":
                groups += [
                    (
                        f"{label.lower()}_seeker_",
                        [i for i, (seeker_label, _) in enumerate(seekers) if seeker_label == label],
                    )
                    for label in ("Organisation", "Cluster")
                ]
            for prefix, picked in groups:
                pick = lambda samples, picked=picked: [samples[i] for i in picked]  # noqa: E731
                reference, cypher, exact, full, http_picked = (
                    pick(engine["reference"]),
                    pick(engine["cypher"]),
                    pick(engine["exact"]),
                    pick(engine["full"]),
                    pick(http),
                )
                print(
                    f"\npartner search of {candidates.lower()}s, {len(picked)} {prefix.replace('_', ' ') or 'all '}seekers, top 20, "
                    "filter LESS_DEVELOPED|TRANSITION (ratio: p50 against the reference)"
                )
                base_p50 = report("reference", reference, statistics.median(reference))
                cypher_p50 = report("cypher", cypher, base_p50)
                exact_p50 = report("cypher exact", exact, base_p50) if candidates == "Organisation" else cypher_p50
                index_p50 = (
                    report("vector index", pick(engine["index"]), base_p50) if candidates == "Organisation" else 0.0
                )
                recall = statistics.mean(pick(engine["recall"]))
                index_recall = statistics.mean(pick(engine["index_recall"]))
                full_p50 = report("cypher+why", full, base_p50)
                http_p50 = report("graphql/http", http_picked, base_p50)
                print(
                    f"  graphql/http over cypher+why: {http_p50 / full_p50:.2f}x; cypher+why over cypher: {full_p50 / cypher_p50:.2f}x"
                )
                print(f"  recall@20 against the reference (ties counted as ANN benchmarks do): {recall:.4f}")
                if candidates == "Organisation":
                    print(f"  recall@20 of the vector index (exact: false): {index_recall:.4f}")
                result.update(
                    {
                        f"{prefix}reference_p50_ms": base_p50,
                        f"{prefix}reference_p99_ms": percentiles(reference)[2],
                        f"{prefix}cypher_p50_ms": cypher_p50,
                        f"{prefix}cypher_p99_ms": percentiles(cypher)[2],
                        f"{prefix}cypher_exact_p50_ms": exact_p50,
                        f"{prefix}recall_at_20": recall,
                        f"{prefix}vector_index_p50_ms": index_p50,
                        f"{prefix}vector_index_recall_at_20": index_recall,
                        f"{prefix}cypher_explain_p50_ms": full_p50,
                        f"{prefix}cypher_explain_p99_ms": percentiles(full)[2],
                        f"{prefix}http_p50_ms": http_p50,
                        f"{prefix}http_p99_ms": percentiles(http_picked)[2],
                        f"{prefix}cypher_over_reference": cypher_p50 / base_p50,
                        f"{prefix}cypher_explain_over_reference": full_p50 / base_p50,
                        f"{prefix}http_over_cypher_explain": http_p50 / full_p50,
                    }
                )
            print(f"  identical top 20, exact query (ids, order, scores to 1e-9): {engine['same']}/{len(seekers)}")
            print(f"  answered approximately (exact: false) by default: {engine['approximate']}/{len(seekers)}")
            result["identical_top20"] = f"{engine['same']}/{len(seekers)}"
            result["approximate_answers"] = f"{engine['approximate']}/{len(seekers)}"

            if args.requests:
                workload = zipf_workload([seeker for _, seeker in seekers], args.requests, args.zipf)
                print(
                    f"\nthroughput: 2 uvicorn workers, {args.concurrency} concurrent loopback clients, {args.requests} requests, "
                    f"{len(set(workload))} distinct seekers (Zipf {args.zipf} over {len(seekers)})"
                )
                throughput: dict[str, dict[str, float]] = {}
                for _label, cache_mb, passes in (
                    ("uncached", "0", ("uncached",)),
                    ("cached", "64", ("cached", "warm")),
                ):
                    api, base = start_api({**env, "CLUSTERKG_RESPONSE_CACHE_MB": cache_mb}, workers=2)
                    processes.append(api)
                    for phase in passes:  # warm: the same workload again, the cache filled by the first pass
                        latencies, elapsed, errors, hits = asyncio.run(
                            load_test(base, workload, args.concurrency, args.kind)
                        )
                        p50, _, p99 = percentiles(latencies)
                        throughput[phase] = {
                            "rps": args.requests / elapsed,
                            "p50": p50,
                            "p99": p99,
                            "hits": hits / len(workload),
                        }
                        print(
                            f"  {phase:<9} {args.requests / elapsed:7.0f} requests/s over {elapsed:5.1f} s, {errors} errors, cache hits {hits / len(workload):.0%}"
                        )
                        report("latency", latencies)
                    api.terminate()
                    api.wait(timeout=10)
                print(
                    f"  over uncached: cached {throughput['cached']['rps'] / throughput['uncached']['rps']:.1f}x, warm {throughput['warm']['rps'] / throughput['uncached']['rps']:.1f}x the requests per second"
                )
                result.update(
                    {
                        "zipf": args.zipf,
                        "requests": args.requests,
                        "concurrency": args.concurrency,
                        "workers": 2,
                        "throughput_uncached_rps": throughput["uncached"]["rps"],
                        "throughput_uncached_p99_ms": throughput["uncached"]["p99"],
                        "throughput_cached_rps": throughput["cached"]["rps"],
                        "throughput_cached_p99_ms": throughput["cached"]["p99"],
                        "cache_hit_share": throughput["cached"]["hits"],
                        "throughput_warm_rps": throughput["warm"]["rps"],
                        "throughput_warm_p99_ms": throughput["warm"]["p99"],
                    }
                )
            memory = store.connection.info("memory")
            print(f"\nserver memory: used {memory['used_memory_human']}")
            result["server_memory"] = memory["used_memory_human"]
            print("RESULT " + json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}))
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
                    process.wait(timeout=10)


if __name__ == "__main__":
    main()
