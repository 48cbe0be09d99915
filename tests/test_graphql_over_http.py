"""GraphQL over HTTP as its spec says: the spec's own server audit (npm graphql-http) against a real server, with no
MUST and no SHOULD failing; and the two media types side by side (legacy JSON clients see what they always saw)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from clusterkg.graph.process import free_port
from clusterkg.settings import Settings
from clusterkg.web.app import create_app

AUDIT = Path(__file__).resolve().parent.parent / "tools" / "graphql-http-audit"
MEDIA = "application/graphql-response+json"


@pytest.fixture(scope="module")
def url(xs_graph, tmp_path_factory):
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings=Settings(data_dir=tmp_path_factory.mktemp("http")), store=xs_graph),
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


def test_the_spec_audit_finds_no_must_or_should_failing(url):
    if shutil.which("node") is None or not (AUDIT / "node_modules" / "graphql-http").exists():
        pytest.skip("node and tools/graphql-http-audit (make test installs it) are needed")
    done = subprocess.run(["node", str(AUDIT / "audit.mjs"), url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(results) > 40, "the audit ran its checks"
    failing = [r for r in results if r["name"].startswith(("MUST", "SHOULD")) and r["status"] != "ok"]
    assert failing == []
    assert sum(r["name"].startswith("MUST") for r in results) >= 10


def test_request_errors_are_400_without_data_for_the_new_media_type_and_unchanged_for_json(url):
    broken = {"query": "{ clusters(first: 1 { totalCount } }"}
    new = httpx.post(url, json=broken, headers={"Accept": MEDIA})
    assert new.status_code == 400 and new.headers["content-type"].startswith(MEDIA)
    assert "data" not in new.json() and new.json()["errors"]
    legacy = httpx.post(url, json=broken, headers={"Accept": "application/json"})
    assert legacy.headers["content-type"].startswith("application/json") and legacy.json()["data"] is None
    invalid = httpx.post(url, json={"query": "{ noSuchField }"}, headers={"Accept": MEDIA})
    assert invalid.status_code == 400 and "data" not in invalid.json()
    # an execution error keeps its data entry and its 200: the document was fine
    missing = httpx.post(url, json={"query": '{ cluster(id: "no-such") { id } }'}, headers={"Accept": MEDIA})
    assert (
        missing.status_code == 200 and "data" in missing.json() and missing.json()["errors"][0]["path"] == ["cluster"]
    )
    ok = httpx.post(url, json={"query": "{ clusters(first: 1) { totalCount } }"}, headers={"Accept": MEDIA})
    assert ok.status_code == 200 and ok.json()["data"]["clusters"]["totalCount"] > 0 and "Accept" in ok.headers["vary"]
