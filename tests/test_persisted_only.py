"""A persisted-only server (CLUSTERKG_PERSISTED_ONLY=1): the published operations are answered, by name, by hash or
by their exact text; anything else is refused with a clear code; and the explorer's own pages still work."""

from __future__ import annotations

import hashlib
import threading
import time

import httpx
import pytest
import uvicorn

from clusterkg.graph.process import free_port
from clusterkg.graphql.context import ApiSettings
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.test_explorer import Watch, open_page

PROFILE = (
    __import__("pathlib").Path(__file__).resolve().parent.parent
    / "clusterkg"
    / "graphql"
    / "operations"
    / "cluster_profile.graphql"
).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def url(xs_graph, tmp_path_factory):
    port = free_port()
    app = create_app(
        settings=Settings(data_dir=tmp_path_factory.mktemp("persisted")),
        api_settings=ApiSettings(persisted_only=True),
        store=xs_graph,
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True


def test_only_published_operations_are_answered(url):
    api = f"{url}/graphql"
    free = httpx.post(api, json={"query": "{ clusters(first: 1) { totalCount } }"})
    assert free.status_code == 400 and free.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_ONLY"
    variables = {"id": "syn-c000000"}
    by_name = httpx.post(api, json={"id": "cluster_profile", "variables": variables}).json()
    assert by_name["data"]["cluster"]["id"] == "syn-c000000"
    digest = hashlib.sha256(PROFILE.encode("utf-8")).hexdigest()
    by_hash = httpx.get(api, params={"id": digest, "variables": '{"id": "syn-c000000"}'}).json()
    assert by_hash["data"] == by_name["data"]
    by_text = httpx.post(api, json={"query": PROFILE, "variables": variables}).json()
    assert by_text["data"] == by_name["data"]
    text = "{ stats { nodes { label count } } }"
    register = httpx.post(
        api,
        json={
            "query": text,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(text.encode()).hexdigest()}},
        },
    )
    assert register.status_code == 400 and register.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_ONLY"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/directory",
        "/cluster/syn-c000000?find=1",
        "/postings",
        "/posting/syn-post-000000",
        "/call/COS-CLUSTER-2020-3-03",
        "/event/syn-e0000",
        "/jobs",
        "/about",
    ],
)
def test_the_explorer_pages_work_on_a_persisted_only_server(browser, url, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch(page, url)
    page.base = url
    try:
        open_page(page, path)
        errors = page.locator("p.error[role=alert]").all_text_contents()
        assert errors == [], errors
    finally:
        context.close()
    assert watch.problems == []
