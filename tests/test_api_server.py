"""The API through a real `clusterkg serve` (uvicorn) process and an HTTP client."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from clusterkg.graph.process import free_port
from clusterkg.scoring.complementarity import Filters, partner_search


@pytest.fixture(scope="module")
def served(server, xs_graph):
    store, graph = xs_graph, xs_graph.graph_name
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
    env["CLUSTERKG_GRAPH_URL"] = f"redis://:{server.password}@127.0.0.1:{server.port}?graph={graph}"
    process = subprocess.Popen(
        [sys.executable, "-m", "clusterkg.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"clusterkg serve did not come up: {process.stdout.read()}")
    yield base, store
    process.terminate()
    output = process.communicate(timeout=10)[0]
    assert "Traceback" not in output, output


def test_partner_search_over_http_matches_the_library(served):
    base, store = served
    query = """query($id: ID!) { partnerSearch(input: {seekerId: $id, regionCategories: [MORE_DEVELOPED, TRANSITION], first: 10}) {
        score partner { ... on Cluster { id region { category } } } explanation { needFit { sought { id } } } } }"""
    response = httpx.post(f"{base}/graphql", json={"query": query, "variables": {"id": "syn-c000000"}}, timeout=30)
    assert response.status_code == 200
    matches = response.json()["data"]["partnerSearch"]
    expected = partner_search(
        store, "syn-c000000", filters=Filters(categories=("more_developed", "transition")), first=10, explain=False
    )
    assert [m["partner"]["id"] for m in matches] == [m.id for m in expected] and matches
    assert all(m["partner"]["region"]["category"] in ("MORE_DEVELOPED", "TRANSITION") for m in matches)


def test_graphiql_health_and_errors_over_http(served):
    base, _ = served
    assert "graphiql" in httpx.get(f"{base}/graphql", headers={"accept": "text/html"}).text.lower()
    assert httpx.get(f"{base}/health").json()["nodes"]["Cluster"] == 60
    result = httpx.post(f"{base}/graphql", json={"query": '{ cluster(id: "missing") { name } }'}).json()
    assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_only_a_served_process_settles_its_heap(xs_graph):
    """`clusterkg serve` freezes start-up objects and collects less often; an app inside someone else's process leaves the collector alone."""
    import gc

    from starlette.testclient import TestClient

    from clusterkg.web import app as web_app

    before = gc.get_threshold()
    try:
        with TestClient(web_app.create_app(store=xs_graph)) as client:
            assert client.get("/health").status_code == 200
            assert gc.get_threshold() == before
        with TestClient(web_app.create_app(store=xs_graph, settle_heap_at_start=True)) as client:
            assert client.get("/health").status_code == 200
            assert gc.get_threshold()[0] == web_app.GC_YOUNG_THRESHOLD
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
