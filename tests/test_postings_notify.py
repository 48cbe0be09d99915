"""Who hears of a posting's events, by e-mail through a real SMTP server (aiosmtpd) the test starts.

The owners hear of a new interest, the followers of a change, the holders of a saved search of a matching new
posting; a send to a server that is down is retried later and never holds up the request; with no server
configured the messages wait in the outbox, which `clusterkg outbox` lists.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from starlette.testclient import TestClient

from clusterkg.accounts.store import AccountStore
from clusterkg.notify.outbox import Outbox
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.conftest import drop, synthetic_graph
from tests.helpers import run_cli
from tests.test_postings import CREATE, INTEREST, UPDATE, gql, request_input

A, B, C = "syn-c000000", "syn-c000001", "syn-c000003"
FOLLOW = "mutation($id: ID!) { followPosting(id: $id) { id following } }"
SAVE = (
    "mutation($name: String!, $filter: PostingFilter!) { savePostingSearch(name: $name, filter: $filter) { id name } }"
)


class Inbox:
    """aiosmtpd's handler: every message it accepts, as (recipients, text)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 15.0) -> list[tuple[list[str], str]]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def graph(server, reference_data, tmp_path_factory):
    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("notify"), "xs", "notify")
    yield store
    drop(store)


def accounts_in(data_dir: Path) -> dict[str, str]:
    accounts = AccountStore(data_dir)
    return {
        "a": accounts.add("ana@cluster-a.example", ["editor"], [A])[1].text,
        "b": accounts.add("bo@cluster-b.example", ["editor"], [B])[1].text,
        "c": accounts.add("cy@cluster-c.example", ["editor"], [C])[1].text,
    }


def test_owners_followers_and_saved_searches_hear_by_smtp(graph, tmp_path, monkeypatch):
    inbox = Inbox()
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    monkeypatch.setenv("CLUSTERKG_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("CLUSTERKG_MAIL_FROM", "clusterkg@eccp.example")
    monkeypatch.setenv("CLUSTERKG_PUBLIC_URL", "https://clusters.example")
    tokens = accounts_in(tmp_path)
    try:
        with TestClient(create_app(store=graph, settings=Settings(data_dir=tmp_path))) as client:
            saved = gql(
                client,
                SAVE,
                {"name": "Cell chemistry", "filter": {"competences": ["ket-advanced-materials"]}},
                tokens["c"],
            )
            assert saved["data"]["savePostingSearch"]["name"] == "Cell chemistry"
            posting = gql(client, CREATE, {"cluster": A, "input": request_input(["c-cell-chemistry"])}, tokens["a"])[
                "data"
            ]["createPosting"]
            found = inbox.wait_for(1)
            assert [r for r, _ in found] == [["cy@cluster-c.example"]], (
                "the saved search matched (through the hierarchy)"
            )
            assert (
                "Cell chemistry" in found[0][1] and f"https://clusters.example/posting/{posting['id']}" in found[0][1]
            )

            assert gql(client, FOLLOW, {"id": posting["id"]}, tokens["b"])["data"]["followPosting"]["following"]
            interest = gql(
                client, INTEREST, {"posting": posting["id"], "cluster": C, "message": "We make cells."}, tokens["c"]
            )
            assert interest["data"]["expressInterest"]["status"] == "PENDING"
            found = inbox.wait_for(2)
            assert found[1][0] == ["ana@cluster-a.example"] and "We make cells." in found[1][1]
            assert "bo@cluster-b.example" not in found[1][0], "a follower hears of changes, not of who is interested"

            gql(
                client,
                UPDATE,
                {"id": posting["id"], "changes": {"title": "Cell chemists sought"}, "revision": 0},
                tokens["a"],
            )
            found = inbox.wait_for(3)
            assert found[2][0] == ["bo@cluster-b.example"] and "was updated" in found[2][1]
            # an unrelated new posting matches no saved search: nobody hears
            gql(client, CREATE, {"cluster": A, "input": request_input(["c-critical-minerals"])}, tokens["a"])
            time.sleep(0.5)
            assert len(inbox.messages) == 3
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and any(m.status != "sent" for m in Outbox(tmp_path).list()):
                time.sleep(0.05)
            assert [m.status for m in Outbox(tmp_path).list()] == ["sent"] * 3
    finally:
        smtp.stop()


def test_a_send_to_a_server_that_is_down_is_retried_and_never_blocks(graph, tmp_path, monkeypatch):
    port = free_port()  # nothing listens here yet
    monkeypatch.setenv("CLUSTERKG_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("CLUSTERKG_SMTP_RETRY_S", "0.2")
    tokens = accounts_in(tmp_path)
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    with TestClient(create_app(store=graph, settings=Settings(data_dir=tmp_path))) as client:
        posting = gql(client, CREATE, {"cluster": A, "input": request_input(["c-cell-chemistry"])}, tokens["a"])[
            "data"
        ]["createPosting"]
        started = time.monotonic()
        answer = gql(client, INTEREST, {"posting": posting["id"], "cluster": B}, tokens["b"])
        assert answer["data"]["expressInterest"]["status"] == "PENDING"
        assert time.monotonic() - started < 5, "the request does not wait for the mail server"
        outbox = Outbox(tmp_path)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(m.attempts for m in outbox.list()):
            time.sleep(0.05)
        waiting = outbox.list()
        assert len(waiting) == 1 and waiting[0].status == "pending" and waiting[0].attempts >= 1
        assert "Connect" in (waiting[0].last_error or "") or "refused" in (waiting[0].last_error or "").lower()
        smtp.start()  # the server comes back: the next attempt goes through
        try:
            assert inbox.wait_for(1, timeout=30) and inbox.messages[0][0] == ["ana@cluster-a.example"]
            deadline = time.monotonic() + 10  # the server has it; the courier marks it sent just after
            while time.monotonic() < deadline and outbox.list()[0].status != "sent":
                time.sleep(0.05)
            assert outbox.list()[0].status == "sent" and outbox.list()[0].attempts >= 2
        finally:
            smtp.stop()


def test_without_smtp_the_messages_wait_in_the_outbox_and_the_cli_lists_them(graph, tmp_path, monkeypatch):
    monkeypatch.delenv("CLUSTERKG_SMTP_URL", raising=False)
    tokens = accounts_in(tmp_path)
    with TestClient(create_app(store=graph, settings=Settings(data_dir=tmp_path))) as client:
        posting = gql(client, CREATE, {"cluster": A, "input": request_input(["c-cell-chemistry"])}, tokens["a"])[
            "data"
        ]["createPosting"]
        gql(client, INTEREST, {"posting": posting["id"], "cluster": B, "message": "Count us in."}, tokens["b"])
    listed = run_cli("outbox", "--body", data_dir=tmp_path, check=True).stdout
    assert "1 pending" in listed and "ana@cluster-a.example" in listed and "Count us in." in listed
    assert "no SMTP server configured" in listed
    refused = run_cli("outbox", "--send", data_dir=tmp_path)
    assert refused.returncode != 0 and "CLUSTERKG_SMTP_URL" in refused.stdout + refused.stderr
    assert [m.status for m in Outbox(tmp_path).list()] == ["pending"]
