"""The typed Python client in examples/ against a real server: the same answers as plain GraphQL, sent by hash first,
and the API's errors as ApiError with their codes and fields."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from clusterkg.graph.process import free_port
from clusterkg.settings import Settings
from clusterkg.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))

from clusterkg_client import ApiError, Client  # noqa: E402


@pytest.fixture(scope="module")
def url(xs_graph, tmp_path_factory):
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings=Settings(data_dir=tmp_path_factory.mktemp("client")), store=xs_graph),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/graphql"
    server.should_exit = True


def plain(url: str, query: str, variables: dict) -> dict:
    return httpx.post(url, json={"query": query, "variables": variables}).json()["data"]


def test_the_client_answers_as_plain_graphql_does(url):
    with Client(url) as api:
        matches = api.partner_search("syn-c000000", region_categories=["LESS_DEVELOPED", "TRANSITION"], first=5)
        total, postings = api.postings(first=5, kinds=["REQUEST"])
        progress = api.call_progress("COS-CLUSTER-2020-3-03")
    direct = plain(
        url,
        "query($i: PartnerSearchInput!) { partnerSearch(input: $i) { score partner { ... on Cluster { id } } } }",
        {"i": {"seekerId": "syn-c000000", "regionCategories": ["LESS_DEVELOPED", "TRANSITION"], "first": 5}},
    )["partnerSearch"]
    assert [(m.id, m.score) for m in matches] == [(m["partner"]["id"], m["score"]) for m in direct]
    assert matches and all(m.reasons for m in matches)
    assert total == plain(url, "{ postings(filter: {kinds: [REQUEST]}) { totalCount } }", {})["postings"]["totalCount"]
    assert all(p.kind == "REQUEST" and p.synthetic for p in postings)
    assert progress.target == 1000 and progress.exchanges > 0
    assert progress.on_target == (
        progress.exchanges >= 1000 and progress.sme_share >= 0.5 and progress.outside_share >= 0.25
    )


def test_the_client_sends_the_text_once_and_names_the_errors(url):
    with Client(url) as api:
        api.call_progress("COS-CLUSTER-2020-3-03")
        sent: list[dict] = []
        api.http.event_hooks["request"] = [lambda request: sent.append(__import__("json").loads(request.content))]
        api.call_progress("COS-CLUSTER-2020-3-03")
        assert len(sent) == 1 and "query" not in sent[0], "known to the server: the hash alone"
        with pytest.raises(ApiError) as missing:
            api.call_progress("NO-SUCH-CALL")
        assert missing.value.code == "NOT_FOUND"
        with pytest.raises(ApiError) as bad:
            api.postings(first=5, kinds=["NOT_A_KIND"])
        assert bad.value.code in ("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST")
