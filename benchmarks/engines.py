"""Parity and performance: the same data on the embedded FalkorDB and a real Neo4j 5, in one run.

    .venv/bin/python benchmarks/engines.py --scale s

Neo4j comes from tools/neo4j-local (or testcontainers where Docker runs),
FalkorDB from a scratch embedded server. For each engine: load rows/s per
kind, partner search p50/p95 (the Cypher score alone, with explanations,
and over GraphQL/HTTP in process), each library query's time with its
example, and the engine's memory; then every library query whose rows differ
between the engines (must be none), and whether the content hashes agree.
Ends with `RESULT {json}`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_support import scratch_server  # noqa: E402

from clusterkg import queries  # noqa: E402
from clusterkg.graph import open_store  # noqa: E402
from clusterkg.loaders.pipeline import load_files  # noqa: E402
from clusterkg.loaders.reference import load_reference  # noqa: E402
from clusterkg.loaders.synthetic import generate  # noqa: E402
from clusterkg.schema.content import content_hash  # noqa: E402
from clusterkg.scoring.complementarity import Filters, partner_search  # noqa: E402
from clusterkg.settings import Settings, WebSettings  # noqa: E402
from clusterkg.web.app import create_app  # noqa: E402
from tests.neo4j_local import neo4j_url  # noqa: E402
from tests.test_neo4j_engine import STABLE_COLUMNS, _canonical  # noqa: E402

KINDS = ("competences", "clusters", "members", "partnerships", "exchanges")
GRAPHQL = "query($id: ID!) { partnerSearch(input: {seekerId: $id, first: 20, regionCategories: [LESS_DEVELOPED, TRANSITION]}) { score partner { ... on Cluster { id } } explanation { needFit { sought { id } } } } }"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(fn, repeat: int) -> list[float]:
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        found.append((time.perf_counter() - started) * 1000)
    return found


def neo4j_memory_mb() -> float | None:
    """Resident memory of the local Neo4j's JVM (None under testcontainers)."""
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"org.clusterkg.neo4jlocal.Launcher" in (proc / "cmdline").read_bytes():
                rss = next(line for line in (proc / "status").read_text().splitlines() if line.startswith("VmRSS"))
                return round(int(rss.split()[1]) / 1024, 1)
        except (OSError, StopIteration):
            continue
    return None


def measure(name: str, store, files: Path, seekers: list[str], repeat: int) -> dict:
    figures: dict = {"engine": name, "load_rows_per_s": {}}
    started = time.perf_counter()
    load_reference(store)
    figures["load_reference_s"] = round(time.perf_counter() - started, 1)
    for kind in KINDS:
        path = files / f"{kind}.csv"
        started = time.perf_counter()
        report = load_files(store, kind, [path])
        seconds = time.perf_counter() - started
        figures["load_rows_per_s"][kind] = round(sum(f.rows for f in report.files) / seconds)
    filters = Filters(categories=("less_developed", "transition"))
    score = [
        t for s in seekers for t in timed(lambda s=s: partner_search(store, s, filters=filters, explain=False), repeat)
    ]
    explained = [t for s in seekers for t in timed(lambda s=s: partner_search(store, s, filters=filters), repeat)]
    with TestClient(create_app(store=store, web_settings=WebSettings(allowed_hosts=("testserver",)))) as client:
        over_http = [
            t
            for s in seekers
            for t in timed(
                lambda s=s: client.post("/graphql", json={"query": GRAPHQL, "variables": {"id": s}}).raise_for_status(),
                repeat,
            )
        ]
    for label, values in (("cypher", score), ("cypher_explain", explained), ("graphql", over_http)):
        figures[f"{label}_p50_ms"] = round(statistics.median(values), 2)
        figures[f"{label}_p95_ms"] = round(percentile(values, 0.95), 2)
    figures["library_ms"] = {}
    for query in queries.library().values():
        figures["library_ms"][query.name] = round(
            statistics.median(timed(lambda q=query: queries.run(store, q.name, q.example), 3)), 2
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m"))
    parser.add_argument("--seekers", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with scratch_server() as scratch:
        files = generate(args.scale, 42, scratch.work / args.scale).directory
        falkordb = scratch.store("engines")
        with neo4j_url() as url:
            neo4j = open_store(Settings(graph_url=url))
            try:
                ids = [
                    line.split(",", 1)[0]
                    for line in (files / "clusters.csv").read_text(encoding="utf-8").splitlines()[1:]
                ]
                seekers = random.Random(7).sample(ids, min(args.seekers, len(ids)))
                results = [
                    measure("falkordb", falkordb, files, seekers, args.repeat),
                    measure("neo4j", neo4j, files, seekers, args.repeat),
                ]
                results[0]["memory_mb"] = round(int(falkordb.connection.info("memory")["used_memory"]) / 2**20, 1)
                results[1]["memory_mb"] = neo4j_memory_mb()
                differing = []
                for query in queries.library().values():
                    for labels in query.label_combinations():
                        rows = [
                            queries.run(
                                s,
                                query.name,
                                {**query.example, **({"limit": 10_000} if query.name == "search_fulltext" else {})},
                                labels=labels,
                            ).rows
                            for s in (falkordb, neo4j)
                        ]
                        if query.name in STABLE_COLUMNS:
                            rows = [[{k: r[k] for k in STABLE_COLUMNS[query.name]} for r in found] for found in rows]
                        if query.name == "search_fulltext":
                            rows = [
                                [{"id": r["id"]} for r in found] for found in rows
                            ]  # the ranking is each engine's own
                        if _canonical(rows[0]) != _canonical(rows[1]):
                            differing.append(f"{query.name} {labels}")
                hashes_equal = content_hash(falkordb).hexdigest == content_hash(neo4j).hexdigest
            finally:
                neo4j.close()
    for figures in results:
        print(
            f"{figures['engine']:9} reference {figures['load_reference_s']} s; rows/s "
            + ", ".join(f"{k} {v:,}" for k, v in figures["load_rows_per_s"].items())
        )
        print(
            f"{'':9} partner search p50/p95: Cypher {figures['cypher_p50_ms']}/{figures['cypher_p95_ms']} ms, with explanations "
            f"{figures['cypher_explain_p50_ms']}/{figures['cypher_explain_p95_ms']} ms, GraphQL {figures['graphql_p50_ms']}/{figures['graphql_p95_ms']} ms; memory {figures['memory_mb']} MB"
        )
    slowest = sorted(results[1]["library_ms"], key=lambda n: -results[1]["library_ms"][n])[:5]
    print(
        "library queries, slowest on Neo4j (ms, FalkorDB / Neo4j): "
        + ", ".join(f"{n} {results[0]['library_ms'][n]}/{results[1]['library_ms'][n]}" for n in slowest)
    )
    print(f"content hashes equal: {hashes_equal}; differing queries: {differing or 'none'}")
    print(
        "RESULT "
        + json.dumps(
            {
                "scale": args.scale,
                "engines": results,
                "content_hash_equal": hashes_equal,
                "differing_queries": differing,
            }
        )
    )


if __name__ == "__main__":
    main()
