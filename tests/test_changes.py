"""Cluster managers keep their own profiles: accounts, edits with revisions, review, history, revert.

Over HTTP with real tokens (argon2-hashed in the data dir's SQLite), on the
real embedded FalkorDB with the reference data and the xs synthetic data.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clusterkg.accounts.store import AccountStore
from clusterkg.graphql.context import ApiSettings
from clusterkg.schema.content import content_hash
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.conftest import drop, synthetic_graph
from tests.helpers import run_cli

A, B = "syn-c000000", "syn-c000001"

PROFILE = """query($id: ID!) { cluster(id: $id) { revision website description managementFte
  history(first: 50) { cursor changeId at by field before after status reviewedBy }
  pendingChanges { id status fields { field before after } unmetRules } } }"""
UPDATE = """mutation($id: ID!, $changes: ClusterChanges!, $revision: Int!) {
  updateCluster(id: $id, changes: $changes, revision: $revision) {
    status revision change { id status by fields { field before after } unmetRules } cluster { revision website } } }"""
REVIEW = """mutation($id: ID!, $decision: ReviewDecision!, $comment: String) {
  reviewChange(id: $id, decision: $decision, comment: $comment) { status revision change { id reviewedBy comment } } }"""
REVERT = """mutation($id: ID!) { revertChange(id: $id) { status revision change { id reverts fields { field before after } } } }"""


@pytest.fixture(scope="module")
def graph(server, reference_data, tmp_path_factory):
    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("edits"), "xs", "edits")
    yield store
    drop(store)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("accounts")


@pytest.fixture(scope="module")
def tokens(data_dir):
    accounts = AccountStore(data_dir)
    return {
        "editor_a": accounts.add("ana@cluster-a.example", ["editor"], [A])[1].text,
        "editor_b": accounts.add("bo@cluster-b.example", ["editor"], [B])[1].text,
        "moderator": accounts.add("mo@eccp.example", ["moderator"])[1].text,
    }


def app_client(graph, data_dir, review: str = "auto") -> TestClient:
    return TestClient(
        create_app(store=graph, settings=Settings(data_dir=data_dir), api_settings=ApiSettings(review=review))
    )


@pytest.fixture(scope="module")
def client(graph, data_dir, tokens):
    with app_client(graph, data_dir) as test_client:
        yield test_client


def gql(client: TestClient, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code in (200, 400), response.text
    return response.json()


def code(answer: dict) -> str | None:
    errors = answer.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


def profile(client, cluster_id: str, token: str | None = None) -> dict:
    return gql(client, PROFILE, {"id": cluster_id}, token)["data"]["cluster"]


def test_the_whole_flow_of_an_edit(client, graph, tokens):
    before = content_hash(graph)
    refused = gql(client, UPDATE, {"id": A, "changes": {"website": "https://a.example"}, "revision": 0})
    assert code(refused) == "UNAUTHENTICATED"
    forbidden = gql(
        client, UPDATE, {"id": B, "changes": {"website": "https://b.example"}, "revision": 0}, tokens["editor_a"]
    )
    assert code(forbidden) == "FORBIDDEN"
    stale = gql(
        client, UPDATE, {"id": A, "changes": {"website": "https://a.example"}, "revision": 7}, tokens["editor_a"]
    )
    assert code(stale) == "CONFLICT" and stale["errors"][0]["extensions"]["current"] == 0
    bad = gql(
        client,
        UPDATE,
        {"id": A, "changes": {"website": "ftp://a.example", "membersTotal": -3, "name": "x" * 300}, "revision": 0},
        tokens["editor_a"],
    )
    assert code(bad) == "BAD_USER_INPUT"
    assert set(bad["errors"][0]["extensions"]["fields"]) == {"website", "membersTotal", "name"}
    assert content_hash(graph) == before, "a refused edit writes nothing"

    # a synthetic profile has no management staff on record: outside the ECCP rules, so the edit waits
    submitted = gql(
        client, UPDATE, {"id": A, "changes": {"website": "https://a.example"}, "revision": 0}, tokens["editor_a"]
    )
    result = submitted["data"]["updateCluster"]
    assert (
        result["status"] == "PENDING_REVIEW"
        and result["revision"] == 0
        and result["cluster"]["website"] != "https://a.example"
    )
    assert any("full-time equivalent" in rule for rule in result["change"]["unmetRules"])
    change_id = result["change"]["id"]
    assert profile(client, A)["pendingChanges"] == [] and profile(client, A)["history"] == [], (
        "the public sees no pending"
    )
    assert profile(client, A, tokens["editor_b"])["pendingChanges"] == [], "nor does another cluster's editor"
    assert [c["id"] for c in profile(client, A, tokens["editor_a"])["pendingChanges"]] == [change_id]
    assert code(gql(client, REVIEW, {"id": change_id, "decision": "APPROVE"}, tokens["editor_a"])) == "FORBIDDEN"

    approved = gql(client, REVIEW, {"id": change_id, "decision": "APPROVE", "comment": "checked"}, tokens["moderator"])
    assert (
        approved["data"]["reviewChange"]["status"] == "PUBLISHED" and approved["data"]["reviewChange"]["revision"] == 1
    )
    again = gql(client, REVIEW, {"id": change_id, "decision": "APPROVE"}, tokens["moderator"])
    assert code(again) == "CONFLICT" and again["errors"][0]["extensions"]["current"] == "PUBLISHED"
    shown = profile(client, A)
    assert shown["revision"] == 1 and shown["website"] == "https://a.example"
    entry = shown["history"][0]
    assert (entry["by"], entry["field"], entry["after"], entry["status"]) == (
        "ana@cluster-a.example",
        "website",
        "https://a.example",
        "PUBLISHED",
    )
    assert entry["reviewedBy"] is not None and "ckg_" not in json.dumps(shown)

    # the moderator brings the profile within the rules; then an editor's edit publishes at once
    fixed = gql(client, UPDATE, {"id": A, "changes": {"managementFte": 1.5}, "revision": 1}, tokens["moderator"])
    assert fixed["data"]["updateCluster"]["status"] == "PUBLISHED"
    direct = gql(
        client,
        UPDATE,
        {"id": A, "changes": {"description": "Batteries, from cells to recycling."}, "revision": 2},
        tokens["editor_a"],
    )
    assert direct["data"]["updateCluster"]["status"] == "PUBLISHED" and direct["data"]["updateCluster"]["revision"] == 3

    # revert restores the field and says so in the history
    description_change = direct["data"]["updateCluster"]["change"]["id"]
    reverted = gql(client, REVERT, {"id": description_change}, tokens["moderator"])["data"]["revertChange"]
    assert reverted["status"] == "PUBLISHED" and reverted["change"]["reverts"] == description_change
    after_revert = profile(client, A)
    assert after_revert["revision"] == 4 and after_revert["description"] == reverted["change"]["fields"][0]["after"]
    statuses = {(e["changeId"], e["status"]) for e in after_revert["history"]}
    assert (description_change, "REVERTED") in statuses and (reverted["change"]["id"], "PUBLISHED") in statuses
    stored = graph.read("MATCH (ch:Change)-[:CHANGES]->(:Cluster {id: $id}) RETURN count(ch) AS n", {"id": A}).scalar()
    assert stored == 4  # submitted+approved, the moderator's, the editor's, the revert


def test_competences_ecosystems_and_members(client, graph, tokens):
    current = profile(client, B)["revision"]
    unknown = gql(
        client,
        'mutation($id: ID!, $r: Int!) { updateClusterCompetences(id: $id, revision: $r, offers: ["no-such-competence"]) { status } }',
        {"id": B, "r": current},
        tokens["editor_b"],
    )
    assert code(unknown) == "BAD_USER_INPUT" and "offers" in unknown["errors"][0]["extensions"]["fields"]
    competence = graph.read("MATCH (k:Competence) RETURN k.id AS id ORDER BY k.id LIMIT 1").scalar()
    moved = gql(
        client,
        "mutation($id: ID!, $r: Int!, $o: [ID!]) { updateClusterCompetences(id: $id, revision: $r, offers: $o) { status change { id fields { field after } } } }",
        {"id": B, "r": current, "o": [competence]},
        tokens["moderator"],
    )["data"]["updateClusterCompetences"]
    assert moved["status"] == "PUBLISHED" and moved["change"]["fields"] == [{"field": "offers", "after": [competence]}]
    offers = graph.read("MATCH (:Cluster {id: $id})-[:OFFERS]->(k) RETURN collect(k.id) AS ids", {"id": B}).scalar()
    assert offers == [competence]
    member = gql(
        client,
        """mutation($id: ID!, $r: Int!) { updateClusterMembers(id: $id, revision: $r, add: [{name: "Università di Prova", kind: "university"}]) { status change { fields { field before after } } } }""",
        {"id": B, "r": current + 1},
        tokens["moderator"],
    )["data"]["updateClusterMembers"]
    added = set(member["change"]["fields"][0]["after"]) - set(member["change"]["fields"][0]["before"])
    assert len(added) == 1
    kinds = graph.read(
        "MATCH (o:Organisation {id: $o})-[:MEMBER_OF]->(:Cluster {id: $c}) RETURN o.kind AS kind, o.name AS name",
        {"o": added.pop(), "c": B},
    ).rows
    assert kinds == [{"kind": "university", "name": "Università di Prova"}]


def test_review_always_holds_every_editors_change(graph, data_dir, tokens):
    with app_client(graph, data_dir, review="always") as strict:
        revision = profile(strict, A)["revision"]
        held = gql(strict, UPDATE, {"id": A, "changes": {"city": "Prova"}, "revision": revision}, tokens["editor_a"])
        assert held["data"]["updateCluster"]["status"] == "PENDING_REVIEW"
        rejected = gql(
            strict,
            REVIEW,
            {"id": held["data"]["updateCluster"]["change"]["id"], "decision": "REJECT"},
            tokens["moderator"],
        )
        assert rejected["data"]["reviewChange"]["status"] == "REJECTED" and profile(strict, A)["revision"] == revision


def test_an_editor_adds_a_co_editor_who_can_then_edit(client, tokens):
    added = gql(
        client,
        'mutation { addClusterEditor(clusterId: "syn-c000001", email: "colleague@cluster-b.example") { email token } }',
        {},
        tokens["editor_b"],
    )["data"]["addClusterEditor"]
    assert added["token"].startswith("ckg_")
    me = gql(client, "{ me { email roles clusters } }", {}, added["token"])["data"]["me"]
    assert me == {"email": "colleague@cluster-b.example", "roles": ["editor"], "clusters": ["syn-c000001"]}
    assert (
        code(
            gql(
                client,
                'mutation { addClusterEditor(clusterId: "syn-c000000", email: "x@y.example") { email } }',
                {},
                tokens["editor_b"],
            )
        )
        == "FORBIDDEN"
    )


def test_two_editors_at_once_lose_no_change_and_never_publish_a_mix(graph, data_dir, tokens):
    """A burst from two editors on one cluster: each retries on CONFLICT; every publish is a whole change, in order."""
    accounts = AccountStore(data_dir)
    second = accounts.add("second@cluster-a.example", ["editor"], [A])[1].text
    attempts = 60
    published: dict[str, list[tuple[int, str]]] = {"first": [], "second": []}
    with app_client(graph, data_dir) as burst:
        gql(
            burst,
            UPDATE,
            {"id": A, "changes": {"clusterProgramme": "Programme régional"}, "revision": profile(burst, A)["revision"]},
            tokens["moderator"],
        )

        def editor(name: str, token: str) -> None:
            for n in range(attempts):
                text = f"{name}-{n}"
                while True:
                    revision = profile(burst, A)["revision"]
                    answer = gql(
                        burst,
                        UPDATE,
                        {"id": A, "changes": {"acronym": text[:40], "contactName": text}, "revision": revision},
                        token,
                    )
                    if code(answer) == "CONFLICT":
                        continue
                    result = answer["data"]["updateCluster"]
                    assert result["status"] == "PUBLISHED", result
                    published[name].append((result["revision"], text))
                    break

        threads = [
            threading.Thread(target=editor, args=("first", tokens["editor_a"])),
            threading.Thread(target=editor, args=("second", second)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=240)
        revisions = sorted(r for found in published.values() for r, _ in found)
        assert len(revisions) == 2 * attempts and len(set(revisions)) == len(revisions), (
            "no two changes got one revision"
        )
        assert revisions == list(range(revisions[0], revisions[0] + len(revisions))), "no revision skipped"
        last = max((r, t) for found in published.values() for r, t in found)[1]
        node = graph.read(
            "MATCH (c:Cluster {id: $id}) RETURN c.acronym AS acronym, c.contact_name AS contact, c.revision AS revision",
            {"id": A},
        ).rows[0]
        assert node == {"acronym": last[:40], "contact": last, "revision": revisions[-1]}, "the last change, whole"
        history = profile(burst, A, tokens["moderator"])
        assert history["revision"] == revisions[-1]


def test_users_cli_prints_a_token_once_and_stores_only_its_hash(tmp_path):
    env = {"CLUSTERKG_DATA_DIR": str(tmp_path)}
    made = run_cli("users", "add", "cli@cluster.example", "--role", "editor", "--cluster", A, env=env, check=True)
    token = next(w for w in made.stdout.split() if w.startswith("ckg_"))
    raw = (tmp_path / "accounts.sqlite3").read_bytes()
    assert token.encode() not in raw and token.split("_", 2)[2].encode() not in raw
    listed = run_cli("users", "list", env=env, check=True).stdout
    assert "cli@cluster.example" in listed and "ckg_" not in listed and A in listed
    twice = run_cli("users", "add", "cli@cluster.example", "--role", "editor", "--cluster", A, env=env)
    assert twice.returncode == 1 and "exists already" in twice.stderr and "Traceback" not in twice.stderr
    revoked = run_cli("users", "revoke", "cli@cluster.example", env=env, check=True)
    assert "revoked" in revoked.stdout
    assert AccountStore(tmp_path).principal(token) is None


def test_a_reload_keeps_edits_unless_told_and_an_export_carries_them(graph, server, reference_data, tmp_path):
    from clusterkg.loaders.export import export
    from clusterkg.loaders.pipeline import load_directory, load_files
    from clusterkg.loaders.synthetic import generate
    from tests.conftest import reference_graph

    generated = generate("xs", 42, tmp_path / "xs").directory
    edited = graph.read(
        "MATCH (c:Cluster {id: $id}) RETURN c.website AS website, c.edited_fields AS edited", {"id": A}
    ).rows[0]
    assert edited["website"] == "https://a.example" and "website" in edited["edited"]
    kept = load_files(graph, "clusters", [generated / "clusters.csv"])
    assert kept.written and any(i.field == "website" and "edit is kept" in i.reason for i in kept.warnings)
    assert graph.read("MATCH (c:Cluster {id: $id}) RETURN c.website AS w", {"id": A}).scalar() == "https://a.example"

    copy_dir = tmp_path / "export"
    export(graph, copy_dir)
    assert (copy_dir / "changes.csv").read_text().count("\n") - 1 == graph.read(
        "MATCH (ch:Change) RETURN count(ch) AS n"
    ).scalar()
    copy = reference_graph(server, reference_data, "edits-copy")
    try:
        reports = load_directory(copy, copy_dir)
        assert all(r.written and not r.errors for r in reports), [i.as_dict() for r in reports for i in r.errors]
        assert content_hash(copy).hexdigest == content_hash(graph).hexdigest, "edits, history and revisions round trip"
    finally:
        drop(copy)

    replaced = load_files(graph, "clusters", [generated / "clusters.csv"], overwrite_edits=True)
    assert replaced.written and not [i for i in replaced.warnings if "edit is kept" in i.reason]
    after = graph.read(
        "MATCH (c:Cluster {id: $id}) RETURN c.website AS website, c.edited_fields AS edited", {"id": A}
    ).rows[0]
    assert after["website"] == "https://syn-c000000.example" and "website" not in (after["edited"] or [])
