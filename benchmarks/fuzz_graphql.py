"""Fuzz the served API: GraphQL documents from the schema (hypothesis-graphql) and Cypher texts from a grammar.

    .venv/bin/python benchmarks/fuzz_graphql.py --count 10000

On a scratch embedded server with the reference data and the xs SYNTHETIC
graph, posts `--count` GraphQL documents (valid and invalid) to /graphql and
as many Cypher texts to /cypher/run, and counts what must never happen: a
5xx, an error without `extensions.code`, an INTERNAL error, a traceback in an
answer. Prints the first few of each with the input, then `RESULT {json}`
(goal: every count 0).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_support import scratch_server  # noqa: E402

from clusterkg.graphql.context import ApiSettings  # noqa: E402
from clusterkg.graphql.schema import schema_sdl  # noqa: E402
from clusterkg.loaders.pipeline import load_directory  # noqa: E402
from clusterkg.loaders.reference import load_reference  # noqa: E402
from clusterkg.loaders.synthetic import generate  # noqa: E402
from clusterkg.settings import WebSettings  # noqa: E402
from clusterkg.web.app import create_app  # noqa: E402
from tests.fuzzing import ANALYST_CODES, custom_scalars, cypher_texts, graphql_problems  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000, help="documents of each kind")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    problems: Counter = Counter()
    examples: dict[str, list[str]] = {}

    def note(kind: str, detail: str) -> None:
        problems[kind] += 1
        if len(examples.setdefault(kind, [])) < 3:
            examples[kind].append(detail[:300])

    with scratch_server() as scratch:
        store = scratch.store("fuzz")
        load_reference(store)
        load_directory(store, generate("xs", 42, scratch.work / "xs").directory)
        api = ApiSettings(max_solver_seconds=0.5, max_matching_parties=20, timeout_ms=2_000, analyst_timeout_ms=2_000)
        app = create_app(store=store, api_settings=api, web_settings=WebSettings(allowed_hosts=("testserver",)))
        with TestClient(app) as client:
            started = time.perf_counter()
            documents = st.one_of(
                *(
                    from_schema(schema_sdl(), mode=m, custom_scalars=custom_scalars())
                    for m in (Mode.POSITIVE, Mode.NEGATIVE)
                )
            )

            @settings(
                max_examples=args.count,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                derandomize=args.seed == 0,
            )
            @given(query=documents)
            def graphql_round(query: str) -> None:
                response = client.post("/graphql", json={"query": query})
                problems["graphql requests"] += 1
                for problem in graphql_problems(response):
                    note("graphql " + problem.split(":")[0], f"{problem} <- {query}")

            @settings(
                max_examples=args.count,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                derandomize=args.seed == 0,
            )
            @given(text=cypher_texts())
            def cypher_round(text: str) -> None:
                response = client.post("/cypher/run", json={"query": text, "timeoutMs": 1000})
                problems["cypher requests"] += 1
                if response.status_code >= 500:
                    note("cypher 5xx", f"{response.status_code} <- {text!r}")
                elif response.status_code != 200:
                    code = response.json().get("error", {}).get("code")
                    if code is None:
                        note("cypher error without a code", f"{response.text} <- {text!r}")
                    elif code not in ANALYST_CODES:
                        note("cypher unknown code", f"{code} <- {text!r}")
                if "Traceback" in response.text:
                    note("cypher traceback", text)

            graphql_round()
            cypher_round()
            seconds = time.perf_counter() - started
    for kind, found in examples.items():
        print(f"{kind}: {problems[kind]}")
        for example in found:
            print(f"   {example}")
    result = {
        "count": args.count,
        "graphql_requests": problems["graphql requests"],
        "cypher_requests": problems["cypher requests"],
        "graphql_5xx": sum(n for k, n in problems.items() if k.startswith("graphql status")),
        "graphql_internal": problems["graphql INTERNAL"],
        "graphql_missing_code": problems["graphql error without a code"],
        "graphql_tracebacks": problems["graphql traceback in the answer"],
        "cypher_5xx": problems["cypher 5xx"],
        "cypher_missing_code": problems["cypher error without a code"],
        "cypher_tracebacks": problems["cypher traceback"],
        "seconds": round(seconds, 1),
    }
    print(f"{result['graphql_requests']} GraphQL and {result['cypher_requests']} Cypher requests in {seconds:.0f} s")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
