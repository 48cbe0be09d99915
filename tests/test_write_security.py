"""The write side's doors: sign-in refusals, cross-site requests riding on a session cookie, revoked accounts,
answers that are one account's alone never cached for another, tokens never stored or shown."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from clusterkg.accounts.store import AccountStore
from clusterkg.graphql.context import ApiSettings
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.conftest import drop, synthetic_graph

CLUSTER = "syn-c000006"
PENDING = '{ cluster(id: "syn-c000006") { revision pendingChanges { id } } }'
EDIT = 'mutation { updateCluster(id: "syn-c000006", changes: {city: "Nowhere"}, revision: 0) { status } }'


@pytest.fixture(scope="module")
def world(server, reference_data, tmp_path_factory):
    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("doors"), "xs", "doors")
    data_dir = tmp_path_factory.mktemp("doors-data")
    accounts = AccountStore(data_dir)
    editor = accounts.add("door@cluster.example", ["editor"], [CLUSTER])[1].text
    app = create_app(store=store, settings=Settings(data_dir=data_dir), api_settings=ApiSettings(review="always"))
    with TestClient(app) as client:
        yield client, accounts, editor
    drop(store)


def _code(response) -> str:
    body = response.json()
    return body["errors"][0]["extensions"]["code"] if body.get("errors") else body["error"]["code"]


def test_sign_in_takes_json_only_and_a_bad_token_gets_no_cookie(world):
    client, _, editor = world
    form = client.post(
        "/auth/session", content=f"token={editor}", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert form.status_code == 415 and "set-cookie" not in form.headers, "a cross-site form cannot sign anyone in"
    wrong = client.post("/auth/session", json={"token": editor[:-2] + "xx"})
    assert wrong.status_code == 401 and _code(wrong) == "UNAUTHENTICATED" and "set-cookie" not in wrong.headers
    assert client.post("/auth/session", json={}).status_code == 400


def test_a_session_cookie_does_not_write_for_another_site(world):
    client, _, editor = world
    signed = client.post("/auth/session", json={"token": editor})
    cookie = signed.cookies["clusterkg_session"]
    assert (
        "httponly" in signed.headers["set-cookie"].lower() and "samesite=strict" in signed.headers["set-cookie"].lower()
    )
    client.cookies.clear()
    evil = client.post(
        "/graphql",
        json={"query": EDIT},
        headers={"origin": "https://evil.example"},
        cookies={"clusterkg_session": cookie},
    )
    assert evil.status_code == 403 and _code(evil) == "FORBIDDEN_ORIGIN"
    own = client.post(
        "/graphql", json={"query": EDIT}, headers={"origin": "http://testserver"}, cookies={"clusterkg_session": cookie}
    )
    assert own.json()["data"]["updateCluster"]["status"] == "PENDING_REVIEW"
    client.post("/auth/logout", json={}, cookies={"clusterkg_session": cookie})
    after = client.post("/graphql", json={"query": EDIT}, cookies={"clusterkg_session": cookie})
    assert _code(after) == "UNAUTHENTICATED", "sign-out revokes the session, it does not only forget it"


def test_one_accounts_answers_are_never_served_to_the_public(world):
    client, _, editor = world
    mine = client.post("/graphql", json={"query": PENDING}, headers={"Authorization": f"Bearer {editor}"})
    assert mine.json()["data"]["cluster"]["pendingChanges"], "the editor sees its pending change"
    assert "x-cache" not in mine.headers, "a signed-in answer is not kept"
    for _ in range(2):  # the second public answer may come from the cache: it must be the public one
        public = client.post("/graphql", json={"query": PENDING})
        assert public.json()["data"]["cluster"]["pendingChanges"] == []


def test_a_revoked_account_writes_nothing_and_tokens_are_never_stored(world):
    client, accounts, _ = world
    account, token = accounts.add("leaver@cluster.example", ["editor"], [CLUSTER])
    assert client.post(
        "/graphql", json={"query": "{ me { email } }"}, headers={"Authorization": f"Bearer {token.text}"}
    ).json()["data"]["me"]
    accounts.revoke(account.email)
    refused = client.post("/graphql", json={"query": EDIT}, headers={"Authorization": f"Bearer {token.text}"})
    assert _code(refused) == "UNAUTHENTICATED"
    stored = accounts.path.read_bytes()
    assert token.text.encode() not in stored and token.text.split("_", 2)[2].encode() not in stored
    assert oct(accounts.path.stat().st_mode & 0o777) == "0o600"
    mutation_over_get = client.get(
        "/graphql", params={"query": EDIT}, headers={"Authorization": f"Bearer {token.text}"}
    )
    assert mutation_over_get.status_code == 405
