"""Where a partnerSearch request's time goes: the engine, and graphql-core and strawberry per resolved field.

    .venv/bin/python benchmarks/graphql_fields.py --scale s

In process (starlette's TestClient, no network), against a graph of the
scale built in a scratch server: for each of --seekers seekers, one
partnerSearch of 20 clusters with explanations (the query of
benchmarks/partner_search.py). A timing store wraps the real one and adds up
the engine round trips; the fields resolved are counted in each answer (every
key of the JSON is one resolved field). The rest of a request's time, over
its fields, is the API's cost per field: graphql-core's execution, strawberry's
type conversion, the resolvers, and the in-process transport. The last line
is `RESULT {json}`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from typing import Any

from bench_support import scratch_server
from partner_search import QUERY
from starlette.testclient import TestClient

from clusterkg.web.app import create_app


class TimingStore:
    """The real store, adding up the time of its reads."""

    def __init__(self, store: Any) -> None:
        self._store, self.seconds, self.reads = store, 0.0, 0
        self.engine = store.engine

    def read(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self._store.read(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started
            self.reads += 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def fields_in(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(fields_in(v) for v in value.values())
    if isinstance(value, list):
        return sum(fields_in(v) for v in value)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m"))
    parser.add_argument("--seekers", type=int, default=100)
    args = parser.parse_args()
    with scratch_server() as scratch:
        store = TimingStore(scratch.demo("clusterkg", args.scale))
        seekers = [r["id"] for r in store.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id").rows]
        seekers = random.Random(7).sample(seekers, min(args.seekers, len(seekers)))
        app = create_app(store=store)  # type: ignore[arg-type]
        with TestClient(app, base_url="http://127.0.0.1") as client:
            app.state.profiles_catch_up.join(60)

            def ask(seeker: str) -> dict[str, Any]:
                body = {"query": QUERY, "variables": {"id": seeker, "kind": "CLUSTER"}}
                response = client.post("/graphql", json=body, headers={"cache-control": "no-cache"})
                assert response.status_code == 200 and not response.json().get("errors"), response.text
                data: dict[str, Any] = response.json()["data"]
                return data

            for seeker in seekers[:10]:  # plans, caches, imports
                ask(seeker)
            totals, engines, per_field, fields = [], [], [], []
            for seeker in seekers:
                before, started = store.seconds, time.perf_counter()
                data = ask(seeker)
                total = time.perf_counter() - started
                engine = store.seconds - before
                count = fields_in(data)
                totals.append(total * 1000)
                engines.append(engine * 1000)
                fields.append(count)
                per_field.append((total - engine) / max(count, 1) * 1e6)
        total_p50, engine_p50 = statistics.median(totals), statistics.median(engines)
        print(f"scale {args.scale} (SYNTHETIC), {len(seekers)} seekers, partnerSearch of 20 clusters with explanations")
        print(f"  request p50 {total_p50:.2f} ms: engine {engine_p50:.2f} ms, the rest {total_p50 - engine_p50:.2f} ms")
        print(f"  fields resolved a request, median {statistics.median(fields):.0f}")
        print(f"  API time per field (request minus engine, over fields), median {statistics.median(per_field):.1f} us")
        print(f"  request over engine: {total_p50 / engine_p50:.2f}x")
        result = {
            "scale": args.scale,
            "seekers": len(seekers),
            "request_p50_ms": round(total_p50, 2),
            "engine_p50_ms": round(engine_p50, 2),
            "fields_median": statistics.median(fields),
            "us_per_field_median": round(statistics.median(per_field), 1),
            "request_over_engine": round(total_p50 / engine_p50, 2),
        }
        print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
