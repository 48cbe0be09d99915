"""GraphQL subscriptions over a real WebSocket (graphql-transport-ws) to a real server: a job's progress to its end,
a new interest reaching the posting's owner, a followed posting's change; the token of connection_init, never a
cookie; and a subscription the role does not allow refused."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
import websockets

from clusterkg.accounts.store import AccountStore
from clusterkg.graph.process import free_port
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.conftest import drop, synthetic_graph
from tests.test_postings import CREATE, INTEREST, UPDATE, request_input

A, B = "syn-c000000", "syn-c000001"
PROTOCOL = "graphql-transport-ws"


def run(coroutine):
    """asyncio.run in a thread of its own: the suite's Playwright keeps an event loop in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def graph(server, reference_data, tmp_path_factory):
    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("subscriptions"), "xs", "subscriptions")
    yield store
    drop(store)


@pytest.fixture(scope="module")
def site(graph, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("subscriptions-data")
    accounts = AccountStore(data_dir)
    tokens = {
        "a": accounts.add("ana@cluster-a.example", ["editor"], [A])[1].text,
        "b": accounts.add("bo@cluster-b.example", ["editor"], [B])[1].text,
    }
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings=Settings(data_dir=data_dir), store=graph),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    yield port, tokens
    server.should_exit = True


def post(port: int, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(
        f"http://127.0.0.1:{port}/graphql", json={"query": query, "variables": variables}, headers=headers, timeout=60
    ).json()


async def subscribe(
    port: int, query: str, variables: dict, token: str | None, count: int, action=None, cookie: str | None = None
) -> list[dict]:
    """Connect, subscribe, run `action` once subscribed, and collect `count` messages (next, error or complete)."""
    headers = {"Cookie": cookie} if cookie else None
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/graphql", subprotocols=[PROTOCOL], additional_headers=headers, open_timeout=10
    ) as socket:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"} if token else {}}
        await socket.send(json.dumps(init))
        assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "connection_ack"
        await socket.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
        )
        if action is not None:
            await asyncio.sleep(0.5)
            await asyncio.to_thread(action)
        found = []
        while len(found) < count:
            message = json.loads(await asyncio.wait_for(socket.recv(), 30))
            if message["type"] in ("next", "error", "complete"):
                found.append(message)
        return found


def test_a_new_interest_reaches_the_owner_and_a_change_reaches_a_follower(site):
    port, tokens = site
    posting = post(port, CREATE, {"cluster": A, "input": request_input(["c-cell-chemistry"])}, tokens["a"])["data"][
        "createPosting"
    ]

    def interest() -> None:
        post(port, INTEREST, {"posting": posting["id"], "cluster": B, "message": "live"}, tokens["b"])

    got = run(
        subscribe(
            port, "subscription { newInterests { clusterId message postingTitle } }", {}, tokens["a"], 1, interest
        )
    )
    assert got[0]["type"] == "next" and got[0]["payload"]["data"]["newInterests"] == {
        "clusterId": B,
        "message": "live",
        "postingTitle": "Partner sought",
    }

    def update() -> None:
        post(port, UPDATE, {"id": posting["id"], "changes": {"title": "Cell chemists"}, "revision": 0}, tokens["a"])

    query = "subscription($id: ID!) { postingChanges(id: $id) { title revision } }"
    got = run(subscribe(port, query, {"id": posting["id"]}, None, 1, update))
    assert got[0]["payload"]["data"]["postingChanges"] == {"title": "Cell chemists", "revision": 1}


def test_a_cookie_is_not_a_sign_in_and_a_bad_token_is_refused(site):
    port, tokens = site
    session = httpx.post(f"http://127.0.0.1:{port}/auth/session", json={"token": tokens["a"]})
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    got = run(subscribe(port, "subscription { newInterests { clusterId } }", {}, None, 1, cookie=cookie))
    assert got[0]["type"] == "next" and got[0]["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    async def bad() -> int:
        async with websockets.connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=[PROTOCOL]) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer ckg_nope"}}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), 10)
            return closed.value.rcvd.code

    assert run(bad()) == 4403


def test_a_job_reports_its_progress_to_its_end(site):
    port, _ = site
    started = post(
        port,
        "mutation($input: ConsortiumInput!) { startConsortiumJob(input: $input) { job { id } issues { reason } } }",
        {"input": {"lead": "syn-c000000", "proposals": 1, "maxSize": 4}},
    )
    assert "errors" not in started, started
    job_id = started["data"]["startConsortiumJob"]["job"]["id"]
    query = "subscription($id: ID!) { jobProgress(id: $id) { status progress } }"

    async def until_complete() -> list[tuple[str, float]]:
        seen = []
        async with websockets.connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=[PROTOCOL]) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            subscribe = {"id": "j", "type": "subscribe", "payload": {"query": query, "variables": {"id": job_id}}}
            await socket.send(json.dumps(subscribe))
            while True:
                message = json.loads(await asyncio.wait_for(socket.recv(), 120))
                if message["type"] == "complete":
                    return seen
                found = message["payload"]["data"]["jobProgress"]
                seen.append((found["status"], found["progress"]))

    seen = run(until_complete())
    assert seen and seen[-1][0] == "DONE" and seen[-1][1] == 1.0, seen
    assert all(a != b for a, b in zip(seen, seen[1:])), "an update only when something changed"
