"""Partner postings: create, find (filters, the competence hierarchy), rank in partner search, interests with privacy,
expiry and renewal, and bad input that writes nothing.

Over HTTP with real tokens, on the real embedded FalkorDB with the reference data and the xs synthetic data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clusterkg.accounts.store import AccountStore
from clusterkg.postings.private import PrivateStore
from clusterkg.postings.service import expire_due
from clusterkg.schema.content import content_hash
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.conftest import drop, synthetic_graph

A, B, C = "syn-c000000", "syn-c000001", "syn-c000003"
TODAY = dt.datetime.now(dt.UTC).date()
AHEAD = (TODAY + dt.timedelta(days=60)).isoformat()

CREATE = """mutation($cluster: ID!, $input: PostingInput!, $publish: Boolean! = true) {
  createPosting(clusterId: $cluster, input: $input, publish: $publish) {
    id kind title status deadline revision competences { id } cluster { id } } }"""
POSTING = """query($id: ID!) { posting(id: $id) { id status revision deadline
  interests { id clusterId message status } myInterests { id status } following } }"""
POSTINGS = """query($filter: PostingFilter, $sort: PostingSort) {
  postings(filter: $filter, sort: $sort, first: 100) { totalCount edges { node { id kind status deadline } } } }"""
SEARCH = """query($seeker: ID!, $weights: ScoreWeights, $exclude: Boolean!) {
  partnerSearch(input: {seekerId: $seeker, first: 100, weights: $weights, excludeExistingPartners: $exclude}) {
    partner { ... on Cluster { id } } score
    explanation { sentences ties components { requests posting } postings { id title competences { sought { id } offered { id } } } } } }"""
INTEREST = """mutation($posting: ID!, $cluster: ID!, $message: String) {
  expressInterest(postingId: $posting, clusterId: $cluster, message: $message) { id status clusterId message } }"""
ACCEPT = "mutation($id: ID!) { acceptInterest(id: $id) { id status } }"
DECLINE = "mutation($id: ID!, $reason: String) { declineInterest(id: $id, reason: $reason) { id status reason } }"
INBOX = "{ inbox { id postingId postingTitle clusterId status message } }"
UPDATE = """mutation($id: ID!, $changes: PostingInput!, $revision: Int!) {
  updatePosting(id: $id, changes: $changes, revision: $revision) { id title status revision } }"""
CLOSE = "mutation($id: ID!) { closePosting(id: $id) { id status } }"
RENEW = "mutation($id: ID!, $deadline: Date!) { renewPosting(id: $id, deadline: $deadline) { id status deadline } }"
OFFERS = "query($id: ID!) { cluster(id: $id) { offers { id } } }"


@pytest.fixture(scope="module")
def graph(server, reference_data, tmp_path_factory):
    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("postings"), "xs", "postings")
    yield store
    drop(store)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("postings-data")


@pytest.fixture(scope="module")
def tokens(data_dir):
    accounts = AccountStore(data_dir)
    return {
        "a": accounts.add("ana@cluster-a.example", ["editor"], [A])[1].text,
        "b": accounts.add("bo@cluster-b.example", ["editor"], [B])[1].text,
        "c": accounts.add("cy@cluster-c.example", ["editor"], [C])[1].text,
    }


@pytest.fixture(scope="module")
def client(graph, data_dir, tokens):
    with TestClient(create_app(store=graph, settings=Settings(data_dir=data_dir))) as test_client:
        yield test_client


def gql(client: TestClient, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code in (200, 400), response.text
    return response.json()


def code(answer: dict) -> str | None:
    errors = answer.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


def request_input(competences: list[str], **more) -> dict:
    return {
        "kind": "REQUEST",
        "title": "Partner sought",
        "text": "We look for a partner to build a pilot line with us.",
        "competences": competences,
        "deadline": AHEAD,
        **more,
    }


def matches_of(client, seeker: str, token=None, exclude: bool = False, weights: dict | None = None) -> dict:
    answer = gql(client, SEARCH, {"seeker": seeker, "weights": weights, "exclude": exclude}, token)
    assert "errors" not in answer, answer
    return {m["partner"]["id"]: m for m in answer["data"]["partnerSearch"]}


def test_bad_input_is_refused_and_writes_nothing(client, graph, tokens):
    before = content_hash(graph)
    good = request_input(["c-cell-chemistry"])
    assert code(gql(client, CREATE, {"cluster": A, "input": good})) == "UNAUTHENTICATED"
    assert code(gql(client, CREATE, {"cluster": A, "input": good}, tokens["b"])) == "FORBIDDEN"
    bad = gql(
        client,
        CREATE,
        {
            "cluster": A,
            "input": {
                **good,
                "deadline": (TODAY - dt.timedelta(days=1)).isoformat(),
                "competences": ["no-such-competence"],
                "title": " ",
            },
        },
        tokens["a"],
    )
    assert code(bad) == "BAD_USER_INPUT"
    assert set(bad["errors"][0]["extensions"]["fields"]) == {"deadline", "title"}, "values first, then ids"
    unknown = gql(client, CREATE, {"cluster": A, "input": {**good, "competences": ["no-such-competence"]}}, tokens["a"])
    assert code(unknown) == "BAD_USER_INPUT"
    assert "no-such-competence" in unknown["errors"][0]["extensions"]["fields"]["competences"]
    too_far = gql(client, CREATE, {"cluster": A, "input": {**good, "deadline": "2099-01-01"}}, tokens["a"])
    assert "deadline" in too_far["errors"][0]["extensions"]["fields"]
    assert content_hash(graph) == before


def test_postings_are_found_by_filter_and_by_the_competence_hierarchy(client, tokens):
    created = gql(client, CREATE, {"cluster": A, "input": request_input(["c-cell-chemistry"])}, tokens["a"])
    posting = created["data"]["createPosting"]
    assert posting["status"] == "PUBLISHED" and posting["cluster"]["id"] == A and posting["revision"] == 0

    def found(filter: dict) -> set[str]:
        answer = gql(client, POSTINGS, {"filter": filter})
        return {e["node"]["id"] for e in answer["data"]["postings"]["edges"]}

    assert posting["id"] in found({"competences": ["c-cell-chemistry"]})
    assert posting["id"] in found({"competences": ["ket-advanced-materials"]}), "a search for the parent finds it"
    assert posting["id"] in found({"competences": ["c-solid-state-batteries"]}), "a child matches the parent's posting"
    assert posting["id"] not in found({"competences": ["c-critical-minerals"]})
    assert posting["id"] in found({"kinds": ["REQUEST"], "clusterIds": [A]})
    assert posting["id"] not in found({"kinds": ["OFFER"]})
    assert posting["id"] in found({"text": "PILOT line"})
    assert posting["id"] not in found({"text": "nothing like this"})
    country = gql(client, "query($id: ID!) { cluster(id: $id) { country { code } } }", {"id": A})["data"]["cluster"][
        "country"
    ]["code"]
    assert posting["id"] in found({"countries": [country]})
    assert posting["id"] not in found({"countries": ["XX"]})
    synthetic = found({"synthetic": True})
    assert synthetic and posting["id"] not in synthetic, "the generator's postings are labelled synthetic, ours not"

    draft = gql(
        client, CREATE, {"cluster": A, "input": request_input(["c-cell-chemistry"]), "publish": False}, tokens["a"]
    )["data"]["createPosting"]
    assert draft["status"] == "DRAFT"
    assert code(gql(client, POSTING, {"id": draft["id"]})) == "NOT_FOUND", "a draft is its editors' alone"
    assert draft["id"] in {
        e["node"]["id"]
        for e in gql(client, POSTINGS, {"filter": {"statuses": ["DRAFT"]}}, tokens["a"])["data"]["postings"]["edges"]
    }
    assert gql(client, POSTINGS, {"filter": {"statuses": ["DRAFT"]}}, tokens["b"])["data"]["postings"]["edges"] == []


def test_a_matching_request_lifts_a_candidate_and_is_named(client, tokens):
    offers = [o["id"] for o in gql(client, OFFERS, {"id": B})["data"]["cluster"]["offers"]]
    assert offers
    before = matches_of(client, B)
    without = matches_of(client, B, weights={"posting": 0.0})
    posting = gql(client, CREATE, {"cluster": A, "input": request_input(offers[:1])}, tokens["a"])["data"][
        "createPosting"
    ]
    after = matches_of(client, B)
    assert A in after
    match = after[A]
    assert match["explanation"]["components"] == {"requests": 1, "posting": 1.0}
    named = match["explanation"]["postings"]
    assert [p["id"] for p in named] == [posting["id"]] and named[0]["competences"][0]["sought"]["id"] == offers[0]
    assert any("open request" in s for s in match["explanation"]["sentences"])
    if A in before:
        assert match["score"] == pytest.approx(before[A]["score"] + 1.0), "the posting weight (1.0) is added"
    weightless = matches_of(client, B, weights={"posting": 0.0})
    assert match["score"] == pytest.approx(weightless[A]["score"] + 1.0), "the posting term is its weight"
    if A in without:
        assert weightless[A]["score"] == pytest.approx(without[A]["score"]), "at weight 0 the profile decides"
    # the posting as seeker: clusters that could answer it, its own cluster left out
    answerers = matches_of(client, posting["id"])
    assert B in answerers and A not in answerers


def test_interests_flow_with_privacy(client, graph, data_dir, tokens):
    offers = [o["id"] for o in gql(client, OFFERS, {"id": C})["data"]["cluster"]["offers"]]
    posting = gql(client, CREATE, {"cluster": A, "input": request_input(offers[:1])}, tokens["a"])["data"][
        "createPosting"
    ]
    pid = posting["id"]
    before = content_hash(graph)
    own = gql(client, INTEREST, {"posting": pid, "cluster": A, "message": "us"}, tokens["a"])
    assert code(own) == "BAD_USER_INPUT" and "clusterId" in own["errors"][0]["extensions"]["fields"]
    long = gql(client, INTEREST, {"posting": pid, "cluster": C, "message": "x" * 2001}, tokens["c"])
    assert code(long) == "BAD_USER_INPUT" and "message" in long["errors"][0]["extensions"]["fields"]
    assert code(gql(client, INTEREST, {"posting": pid, "cluster": C}, tokens["b"])) == "FORBIDDEN"
    assert PrivateStore(data_dir).interests_in([pid]) == [], "refused interests write nothing"

    first = gql(client, INTEREST, {"posting": pid, "cluster": C, "message": "We make these."}, tokens["c"])
    interest = first["data"]["expressInterest"]
    assert interest["status"] == "PENDING" and interest["clusterId"] == C
    twice = gql(client, INTEREST, {"posting": pid, "cluster": C, "message": "again"}, tokens["c"])
    assert code(twice) == "CONFLICT" and twice["errors"][0]["extensions"]["current"] == "PENDING"
    assert content_hash(graph) == before, "an interest is private: it is not in the graph"

    owner = gql(client, POSTING, {"id": pid}, tokens["a"])["data"]["posting"]
    assert [(i["clusterId"], i["message"]) for i in owner["interests"]] == [(C, "We make these.")]
    assert gql(client, POSTING, {"id": pid}, tokens["b"])["data"]["posting"]["interests"] is None, "a third cluster"
    assert gql(client, POSTING, {"id": pid})["data"]["posting"]["interests"] is None, "the public"
    interested = gql(client, POSTING, {"id": pid}, tokens["c"])["data"]["posting"]
    assert interested["interests"] is None and [i["id"] for i in interested["myInterests"]] == [interest["id"]]
    inbox = gql(client, INBOX, {}, tokens["a"])["data"]["inbox"]
    assert [(i["id"], i["postingTitle"]) for i in inbox if i["postingId"] == pid] == [
        (interest["id"], "Partner sought")
    ]
    assert all(i["postingId"] != pid for i in gql(client, INBOX, {}, tokens["b"])["data"]["inbox"])

    assert code(gql(client, ACCEPT, {"id": interest["id"]}, tokens["c"])) == "FORBIDDEN", "not the owner"
    accepted = gql(client, ACCEPT, {"id": interest["id"]}, tokens["a"])["data"]["acceptInterest"]
    assert accepted["status"] == "ACCEPTED"
    again = gql(client, DECLINE, {"id": interest["id"]}, tokens["a"])
    assert code(again) == "CONFLICT" and again["errors"][0]["extensions"]["current"] == "ACCEPTED"
    # the accepted interest is a tie: excluded by default, named when ties are shown
    assert A not in matches_of(client, C, exclude=True)
    shown = matches_of(client, C, exclude=False)
    assert A in shown and any("connected through the posting" in t for t in shown[A]["explanation"]["ties"])


def test_expiry_renewal_closing_and_stale_revisions(client, graph, tokens):
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    posting = gql(
        client, CREATE, {"cluster": A, "input": request_input(["c-cell-chemistry"], deadline=tomorrow)}, tokens["a"]
    )["data"]["createPosting"]
    pid = posting["id"]
    assert expire_due(graph, day=TODAY + dt.timedelta(days=2)) == [pid] or pid in expire_due(graph)
    shown = gql(client, POSTING, {"id": pid})["data"]["posting"]
    assert shown["status"] == "EXPIRED", "expired postings stay visible"
    assert pid in {
        e["node"]["id"]
        for e in gql(client, POSTINGS, {"filter": {"statuses": ["EXPIRED"]}})["data"]["postings"]["edges"]
    }
    late = gql(client, INTEREST, {"posting": pid, "cluster": C}, tokens["c"])
    assert code(late) == "CONFLICT" and late["errors"][0]["extensions"]["current"] == "EXPIRED"
    renewed = gql(client, RENEW, {"id": pid, "deadline": AHEAD}, tokens["a"])["data"]["renewPosting"]
    assert renewed == {"id": pid, "status": "PUBLISHED", "deadline": AHEAD}
    revision = gql(client, POSTING, {"id": pid})["data"]["posting"]["revision"]
    stale = gql(client, UPDATE, {"id": pid, "changes": {"title": "New title"}, "revision": revision - 1}, tokens["a"])
    assert code(stale) == "CONFLICT" and stale["errors"][0]["extensions"]["current"] == revision
    updated = gql(client, UPDATE, {"id": pid, "changes": {"title": "New title"}, "revision": revision}, tokens["a"])
    assert updated["data"]["updatePosting"]["revision"] == revision + 1
    assert gql(client, CLOSE, {"id": pid}, tokens["a"])["data"]["closePosting"]["status"] == "CLOSED"
    closed = gql(client, UPDATE, {"id": pid, "changes": {"title": "x"}, "revision": revision + 2}, tokens["a"])
    assert code(closed) == "CONFLICT" and closed["errors"][0]["extensions"]["current"] == "CLOSED"


POSTINGS_CONTENT = """MATCH (p:Posting)-[:POSTED_BY]->(c:Cluster)
OPTIONAL MATCH (p)-[r:SEEKS|OFFERS]->(k:Competence)
WITH p, c, collect([type(r), k.id]) AS competences
RETURN p.id AS id, c.id AS cluster, properties(p) AS properties, competences ORDER BY id"""


def test_postings_round_trip_through_export_and_load_dir(graph, server, reference_data, tmp_path):
    from clusterkg.loaders.export import export
    from clusterkg.loaders.pipeline import load_directory
    from tests.conftest import reference_graph

    export(graph, tmp_path / "out")
    assert "Partner sought" in (tmp_path / "out" / "postings.csv").read_text(encoding="utf-8")
    copy = reference_graph(server, reference_data, "postings-copy")
    try:
        reports = load_directory(copy, tmp_path / "out")
        assert all(not r.errors for r in reports), [i.as_dict() for r in reports for i in r.errors]

        def content(store) -> list[dict]:
            rows = store.read(POSTINGS_CONTENT).rows
            for row in rows:
                row["competences"] = sorted(row["competences"])
                row["properties"].pop("source", None)  # "edit" for the API's postings, the file's name after a load
            return rows

        original = content(graph)
        assert any(r["properties"].get("by") for r in original) and any(r["id"].startswith("syn-") for r in original)
        assert content(copy) == original
    finally:
        drop(copy)


def test_an_accepted_interest_whose_tie_a_crash_lost_gets_it_when_the_server_starts(graph, tmp_path, tokens, data_dir):
    """The private store says ACCEPTED but the graph has no tie: the state a kill -9 between the two writes leaves."""
    from clusterkg.accounts.principal import Account, Principal
    from clusterkg.postings import service
    from clusterkg.postings.fields import PostingDraft

    owner = Principal(Account("acc-x", "x@a.example", None, frozenset({"editor"}), frozenset({A})))
    posting = service.create_posting(
        graph, owner, A, PostingDraft("REQUEST", "Crash test", "Text.", ["c-cell-chemistry"], deadline=AHEAD)
    )
    private = PrivateStore(tmp_path)
    interest = private.add_interest(posting.id, C, None, "acc-c", "cy@cluster-c.example")
    assert interest is not None and private.decide(interest.id, "ACCEPTED", "acc-x", None)
    tie = "MATCH (:Cluster {id: $a})-[t:CONNECTED {posting_id: $p}]->(:Cluster {id: $b}) RETURN count(t) AS n"
    assert graph.read(tie, {"a": A, "b": C, "p": posting.id}).scalar() == 0
    with TestClient(create_app(store=graph, settings=Settings(data_dir=tmp_path))):
        pass  # the server's start repairs it
    assert graph.read(tie, {"a": A, "b": C, "p": posting.id}).scalar() == 1
    assert private.accepted_without_tie() == []
    with TestClient(create_app(store=graph, settings=Settings(data_dir=tmp_path))):
        pass
    assert graph.read(tie, {"a": A, "b": C, "p": posting.id}).scalar() == 1, "writing it again changes nothing"


def test_every_posting_mutation_needs_a_signed_in_account_and_writes_nothing_without(client, graph, data_dir):
    posting = "syn-post-000000"
    before = content_hash(graph)
    private = PrivateStore(data_dir)
    interests_before = private.interests_in([posting])
    calls = [
        (CREATE, {"cluster": A, "input": request_input(["c-cell-chemistry"])}),
        (UPDATE, {"id": posting, "changes": {"title": "x"}, "revision": 0}),
        (CLOSE, {"id": posting}),
        (RENEW, {"id": posting, "deadline": AHEAD}),
        ("mutation($id: ID!) { publishPosting(id: $id) { id } }", {"id": posting}),
        (INTEREST, {"posting": posting, "cluster": C}),
        ("mutation($id: ID!) { followPosting(id: $id) { id } }", {"id": posting}),
        ('mutation { savePostingSearch(name: "x", filter: {}) { id } }', {}),
        ('mutation { deletePostingSearch(id: "ss-x") }', {}),
        (INBOX, {}),
    ]
    for query, variables in calls:
        assert code(gql(client, query, variables)) == "UNAUTHENTICATED", query
    assert content_hash(graph) == before and private.interests_in([posting]) == interests_before
