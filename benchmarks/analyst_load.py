"""Runaway analyst queries against the API's responsiveness: /health and GraphQL while Cypher burns.

    .venv/bin/python benchmarks/analyst_load.py --scale s --runaways 4 --seconds 20

Serves the app (`clusterkg serve`, one worker) over a scratch embedded
server with the reference data and the SYNTHETIC graph of the scale. Then
`--runaways` clients post Cypher that runs until the 10 s time limit, again
and again, while one client asks /health and another partnerSearch in a
loop. Prints p50/p99 of each, and how the analyst requests fared (run, or
BUSY: one analyst query at a time per worker keeps an engine thread free).
Goal: /health p99 < 200 ms with 4 runaway queries.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from collections import Counter

import httpx
from bench_support import scratch_server

RUNAWAY = "MATCH (a), (b), (c) RETURN count(*)"  # CPU until the time limit, no memory


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m"))
    parser.add_argument("--runaways", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with scratch_server() as scratch:
        store = scratch.demo("load", args.scale)
        seeker = store.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 1").scalar()
        with scratch.served("load") as base:
            stop = time.monotonic() + args.seconds
            health, partners, analyst = [], [], Counter()

            def runaway() -> None:
                with httpx.Client(timeout=30) as client:
                    while time.monotonic() < stop:
                        answer = client.post(f"{base}/cypher/run", json={"query": RUNAWAY, "timeoutMs": 10_000})
                        analyst[answer.json().get("error", {}).get("code", "rows")] += 1

            def timed(url: str, sink: list[float], **kwargs) -> None:
                with httpx.Client(timeout=30) as client:
                    while time.monotonic() < stop:
                        started = time.perf_counter()
                        answer = client.request("POST" if "json" in kwargs else "GET", url, **kwargs)
                        answer.raise_for_status()
                        sink.append((time.perf_counter() - started) * 1000)
                        time.sleep(0.05)

            query = {"query": f'{{ partnerSearch(input: {{seekerId: "{seeker}", first: 10}}) {{ score }} }}'}
            threads = [threading.Thread(target=runaway) for _ in range(args.runaways)]
            threads += [
                threading.Thread(target=timed, args=(f"{base}/health", health)),
                threading.Thread(target=timed, args=(f"{base}/graphql", partners), kwargs={"json": query}),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    result = {
        "scale": args.scale,
        "runaways": args.runaways,
        "seconds": args.seconds,
        "health_requests": len(health),
        "health_p50_ms": round(statistics.median(health), 1),
        "health_p99_ms": round(percentile(health, 0.99), 1),
        "graphql_requests": len(partners),
        "graphql_p50_ms": round(statistics.median(partners), 1),
        "graphql_p99_ms": round(percentile(partners, 0.99), 1),
        "analyst_answers": dict(analyst),
    }
    print(f"scale {args.scale}, {args.runaways} runaway analyst clients for {args.seconds:g} s:")
    print(
        f"  /health        p50 {result['health_p50_ms']} ms, p99 {result['health_p99_ms']} ms ({len(health)} requests)"
    )
    print(
        f"  partnerSearch  p50 {result['graphql_p50_ms']} ms, p99 {result['graphql_p99_ms']} ms ({len(partners)} requests)"
    )
    print(f"  analyst answers: {dict(analyst)}")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
