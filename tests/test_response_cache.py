"""Persisted queries, the response cache and ETags (clusterkg.graphql.cache) on a real graph: what a load changes, it invalidates."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clusterkg.loaders import journal
from clusterkg.loaders.pipeline import load_files
from clusterkg.settings import WebSettings
from clusterkg.web.app import create_app

OPERATIONS = Path(__file__).resolve().parent.parent / "clusterkg" / "graphql" / "operations"
CLUSTER = "query Clusters($country: String!) { clusters(filter: {countries: [$country]}, first: 5) { totalCount edges { node { id name } } } }"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture()
def api(reference_copy):
    with TestClient(create_app(store=reference_copy)) as client:
        yield client, reference_copy


def get(client, headers: dict | None = None, **params):
    encoded = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return client.get("/graphql", params=encoded, headers={"accept": "application/json", **(headers or {})})


def test_a_load_invalidates_cached_answers_and_their_etags(api, tmp_path):
    client, store = api
    client.post(
        "/graphql",
        json={"query": CLUSTER, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest(CLUSTER)}}},
    )
    first = get(client, id=digest(CLUSTER), variables={"country": "IT"})
    assert first.status_code == 200 and first.json() == {"data": {"clusters": {"totalCount": 0, "edges": []}}}
    assert first.headers["x-cache"] == "miss" and first.headers["cache-control"].startswith(
        "private"
    )  # loopback: an analyst
    again = get(client, id=digest(CLUSTER), variables={"country": "IT"})
    assert (
        again.headers["x-cache"] == "hit"
        and again.content == first.content
        and again.headers["etag"] == first.headers["etag"]
    )
    # the same request written otherwise (spacing, comments) is the same entry
    respaced = client.post(
        "/graphql", json={"query": CLUSTER.replace(" ", "  ") + "\n# a comment", "variables": {"country": "IT"}}
    )
    assert respaced.headers["x-cache"] == "hit" and respaced.headers["etag"] == first.headers["etag"]
    unchanged = get(
        client, id=digest(CLUSTER), variables={"country": "IT"}, headers={"if-none-match": first.headers["etag"]}
    )
    assert unchanged.status_code == 304 and unchanged.content == b""

    (tmp_path / "clusters.csv").write_text("id,name,nuts\ncache-1,Cache Test Cluster,ITF51\n", encoding="utf-8")
    assert load_files(store, "clusters", [tmp_path / "clusters.csv"]).written

    after = get(
        client, id=digest(CLUSTER), variables={"country": "IT"}, headers={"if-none-match": first.headers["etag"]}
    )
    assert (
        after.status_code == 200
        and after.headers["x-cache"] == "miss"
        and after.headers["etag"] != first.headers["etag"]
    )
    assert after.json() == {
        "data": {"clusters": {"totalCount": 1, "edges": [{"node": {"id": "cache-1", "name": "Cache Test Cluster"}}]}}
    }


def test_the_public_and_analysts_never_share_an_answer(reference_copy):
    settings = WebSettings(bind_host="0.0.0.0", analyst_tokens=("cache-token",), allowed_hosts=("testserver",))
    with TestClient(create_app(store=reference_copy, web_settings=settings)) as client:
        public = client.post("/graphql", json={"query": "{ calls { id } }"})
        analyst = client.post(
            "/graphql", json={"query": "{ calls { id } }"}, headers={"authorization": "Bearer cache-token"}
        )
        assert (
            public.headers["x-cache"] == analyst.headers["x-cache"] == "miss"
            and public.headers["etag"] != analyst.headers["etag"]
        )
        cached = get(client, query="{ calls { id } }")
        assert cached.headers["x-cache"] == "hit" and cached.headers["cache-control"].startswith("public")


def test_shipped_operations_are_persisted_and_clients_may_register_theirs(api):
    client, _ = api
    text = (OPERATIONS / "search.graphql").read_text(encoding="utf-8")
    shipped = get(client, id=digest(text), variables={"text": "hydrogen"})
    assert shipped.status_code == 200 and "errors" not in shipped.json(), shipped.text
    query = "query Calls { calls { id } }"
    unknown = get(client, extensions={"persistedQuery": {"version": 1, "sha256Hash": digest(query)}})
    assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    wrong = client.post(
        "/graphql", json={"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    )
    assert wrong.status_code == 400 and "not the sha256" in wrong.json()["errors"][0]["message"]
    registered = client.post(
        "/graphql", json={"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest(query)}}}
    )
    assert registered.status_code == 200 and registered.json()["data"]["calls"]
    by_hash = get(client, extensions={"persistedQuery": {"version": 1, "sha256Hash": digest(query)}})
    assert by_hash.json() == registered.json()


def test_get_is_for_queries_and_jobs_are_never_cached(api):
    client, _ = api
    mutation = get(client, query='mutation { deleteJob(id: "x") }')
    assert mutation.status_code == 405 and mutation.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    nothing = get(client)
    assert nothing.status_code == 400 and "?id=" in nothing.json()["errors"][0]["message"]
    for _ in range(2):
        jobs = client.post("/graphql", json={"query": "{ jobs { id } }"})
        assert jobs.status_code == 200 and "x-cache" not in jobs.headers and "etag" not in jobs.headers
    failing = client.post("/graphql", json={"query": "{ cluster(id: 5) { id } }"})
    assert "errors" in failing.json() and "etag" not in failing.headers


def test_workers_share_answers_through_the_data_dir_and_a_new_revision_clears_them(tmp_path):
    from clusterkg.graphql.cache import ResponseCache

    folder = tmp_path / "cache"
    first, second = ResponseCache(10_000, folder), ResponseCache(10_000, folder)  # two workers of one server
    first.put("k1", b'{"data": 1}', "rev-a")
    assert second.get("k1", "rev-a") == b'{"data": 1}' and second.hits == 1
    assert ResponseCache(10_000, folder).get("k1", "rev-b") is None  # files are per revision (real keys include it too)
    assert oct(folder.stat().st_mode & 0o777) == "0o700" and all(
        oct(p.stat().st_mode & 0o777) == "0o600" for p in folder.iterdir()
    )
    second.put("k2", b'{"data": 2}', "rev-b")  # a load happened: the old revision's files go
    assert sorted(p.name.split("-", 2)[1] for p in folder.glob("*.json")) == ["b"]
    assert first.get("k2", "rev-b") == b'{"data": 2}'
    for number in range(40):  # bounded: the oldest files go first
        second.put(f"n{number}", b"x" * 1000, "rev-b")
    second.prune()
    assert sum(p.stat().st_size for p in folder.glob("*.json")) <= 10_000 and (folder / "rev-b-n39.json").exists()


def test_regions_are_read_once_per_revision_and_again_after_a_load(api):
    client, store = api
    ask = lambda alias: client.post(
        "/graphql", json={"query": f'{{ {alias}: region(nuts: "ITF5") {{ name }} }}'}
    ).json()["data"][alias]["name"]  # noqa: E731
    before = ask("first")
    store.write("MATCH (r:Region {nuts: 'ITF5'}) SET r.name = $name", {"name": "Renamed behind the server's back"})
    # another request (a new answer, not the response cache's): the region comes from this process's region cache
    assert ask("second") == before
    journal.renew_revision(store)  # what every committed load does
    assert ask("third") == "Renamed behind the server's back"
