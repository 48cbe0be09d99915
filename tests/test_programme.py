"""Running the programme: the ClusterXchange path from application to exchange, meeting requests and marks at an
event, ratings, and progress against targets, over HTTP with real tokens on the real embedded FalkorDB.

The progress figures are checked against independent counts written in this test's own Cypher.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from starlette.testclient import TestClient

from clusterkg.accounts.store import AccountStore
from clusterkg.loaders.pipeline import load_files
from clusterkg.schema.content import content_hash
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.conftest import drop, synthetic_graph
from tests.test_postings import code, gql

CALL = "COS-CLUSTER-2020-3-03"
TODAY = dt.datetime.now(dt.UTC).date()
APPLY = (
    """mutation($input: ApplicationInput!) { applyForExchange(input: $input) { id status callId participantKind } }"""
)
VALIDATE = "mutation($id: ID!, $accept: Boolean!) { validateApplication(id: $id, accept: $accept) { id status } }"
OFFER = "mutation($input: HostOfferInput!) { offerHosting(input: $input) { id capacity } }"
RUN = "mutation($call: ID!) { runExchangeMatching(callId: $call) { kept superseded proposed applications hosts } }"
MATCHES = """query($call: ID!) { exchangeMatches(callId: $call) { id applicationId hostClusterId sendingClusterId status
  hostAcceptedAt visitorAcceptedAt exchangeId } }"""
ACCEPT = "mutation($id: ID!, $side: MatchSide) { acceptExchangeMatch(id: $id, side: $side) { id status exchangeId } }"
DECLINE = "mutation($id: ID!, $reason: String) { declineExchangeMatch(id: $id, reason: $reason) { id status } }"
COMPLETE = "mutation($id: ID!, $report: String!) { completeExchange(id: $id, report: $report) { id status report } }"
CANCEL = 'mutation($id: ID!) { cancelExchange(id: $id, reason: "no longer possible") { id status } }'
PROGRESS = """query($id: ID!) { call(id: $id) { progress { exchanges target sme smeShare smeShareMin outside outsideShare
  outsideShareMin byCountry { country exchanges } byCategory { category exchanges } } } }"""


@pytest.fixture(scope="module")
def graph(server, reference_data, tmp_path_factory):
    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("programme"), "xs", "programme")
    yield store
    drop(store)


@pytest.fixture(scope="module")
def world(graph, tmp_path_factory):
    """Who is who: the partnership's coordinator, two senders outside the community, two hosts abroad."""
    data_dir = tmp_path_factory.mktemp("programme-data")
    partnership = graph.read(
        "MATCH (c:Cluster)-[r:PARTNER_IN]->(p:Partnership)-[:FUNDED_BY]->(:Call {id: $call}) WHERE r.role = 'coordinator' "
        "RETURN p.id AS p, c.id AS c ORDER BY p LIMIT 1",
        {"call": CALL},
    ).rows[0]
    community = {
        r["id"]
        for r in graph.read(
            "MATCH (c:Cluster)-[:PARTNER_IN]->(:Partnership)-[:FUNDED_BY]->(:Call {id: $call}) RETURN c.id AS id",
            {"call": CALL},
        ).rows
    }
    clusters = graph.read("MATCH (c:Cluster) RETURN c.id AS id, c.country AS country ORDER BY id").rows
    outside = [c for c in clusters if c["id"] not in community]
    senders = [c for c in outside if c["country"] == outside[0]["country"]][:2]
    if len(senders) < 2:
        senders = outside[:2]
    hosts = [
        c for c in clusters if c["country"] not in {s["country"] for s in senders} and c["id"] != partnership["c"]
    ][:2]
    accounts = AccountStore(data_dir)

    def editor(email: str, cluster: str) -> str:
        return accounts.add(email, ["editor"], [cluster])[1].text

    return {
        "data_dir": data_dir,
        "partnership": partnership["p"],
        "senders": [s["id"] for s in senders],
        "hosts": [h["id"] for h in hosts],
        "tokens": {
            "coordinator": editor("coord@partnership.example", partnership["c"]),
            "s0": editor("s0@send.example", senders[0]["id"]),
            "s1": editor("s1@send.example", senders[1]["id"]),
            "h0": editor("h0@host.example", hosts[0]["id"]),
            "h1": editor("h1@host.example", hosts[1]["id"]),
            "moderator": accounts.add("officer@eismea.example", ["moderator"])[1].text,
        },
    }


@pytest.fixture(scope="module")
def client(graph, world):
    with TestClient(create_app(store=graph, settings=Settings(data_dir=world["data_dir"]))) as test_client:
        yield test_client


def application(world: dict, sender: int, topic: str) -> dict:
    start = TODAY + dt.timedelta(days=30)
    return {
        "partnershipId": world["partnership"],
        "sendingClusterId": world["senders"][sender],
        "topics": [topic],
        "earliest": start.isoformat(),
        "latest": (start + dt.timedelta(days=60)).isoformat(),
        "days": 5,
        "participantName": f"Visitor SME {sender}",
        "participantKind": "sme",
    }


def test_the_whole_clusterxchange_path(client, graph, world):
    tokens, topic = world["tokens"], "c-cell-chemistry"
    before = content_hash(graph)
    assert code(gql(client, APPLY, {"input": application(world, 0, topic)})) == "UNAUTHENTICATED"
    assert code(gql(client, APPLY, {"input": application(world, 0, topic)}, tokens["s1"])) == "FORBIDDEN"
    bad = gql(client, APPLY, {"input": {**application(world, 0, topic), "days": 90, "topics": ["nope"]}}, tokens["s0"])
    assert code(bad) == "BAD_USER_INPUT" and {"days", "topics"} <= set(bad["errors"][0]["extensions"]["fields"])
    assert content_hash(graph) == before, "refused applications write nothing"

    first = gql(client, APPLY, {"input": application(world, 0, topic)}, tokens["s0"])["data"]["applyForExchange"]
    second = gql(client, APPLY, {"input": application(world, 1, topic)}, tokens["s1"])["data"]["applyForExchange"]
    assert first["status"] == "SUBMITTED" and first["callId"] == CALL and first["participantKind"] == "sme"
    assert code(gql(client, VALIDATE, {"id": first["id"], "accept": True}, tokens["s0"])) == "FORBIDDEN", (
        "not the coordinator"
    )
    for app in (first, second):
        assert (
            gql(client, VALIDATE, {"id": app["id"], "accept": True}, tokens["coordinator"])["data"][
                "validateApplication"
            ]["status"]
            == "VALIDATED"
        )
    twice = gql(client, VALIDATE, {"id": first["id"], "accept": False}, tokens["coordinator"])
    assert code(twice) == "CONFLICT" and twice["errors"][0]["extensions"]["current"] == "VALIDATED"

    window = {"availableFrom": TODAY.isoformat(), "availableTo": (TODAY + dt.timedelta(days=120)).isoformat()}
    for side in ("h0", "h1"):
        cluster = world["hosts"][int(side[1])]
        offer = {"callId": CALL, "clusterId": cluster, "capacity": 1, "offers": [topic], **window}
        assert gql(client, OFFER, {"input": offer}, tokens[side])["data"]["offerHosting"]["capacity"] == 1

    run = gql(client, RUN, {"call": CALL}, tokens["moderator"])["data"]["runExchangeMatching"]
    assert run["proposed"] == 2 and run["kept"] == 0
    assert code(gql(client, RUN, {"call": CALL}, tokens["coordinator"])) == "FORBIDDEN"
    matches = {
        m["applicationId"]: m
        for m in gql(client, MATCHES, {"call": CALL}, tokens["moderator"])["data"]["exchangeMatches"]
        if m["status"] == "PROPOSED"
    }
    kept, declined = matches[second["id"]], matches[first["id"]]
    host_token = {world["hosts"][0]: tokens["h0"], world["hosts"][1]: tokens["h1"]}

    # the visitor of the second accepts; the host of the first declines
    assert gql(client, ACCEPT, {"id": kept["id"]}, tokens["s1"])["data"]["acceptExchangeMatch"]["status"] == "PROPOSED"
    again = gql(client, ACCEPT, {"id": kept["id"]}, tokens["s1"])
    assert (
        code(again) == "CONFLICT" and "accepted by the visitor already" in again["errors"][0]["extensions"]["current"]
    )
    assert code(gql(client, ACCEPT, {"id": kept["id"]}, tokens["s0"])) == "FORBIDDEN", "someone else's match"
    gql(client, DECLINE, {"id": declined["id"], "reason": "full that week"}, host_token[declined["hostClusterId"]])

    # a new run keeps what was accepted, and does not propose the declined pair again
    rerun = gql(client, RUN, {"call": CALL}, tokens["moderator"])["data"]["runExchangeMatching"]
    assert rerun["kept"] == 1 and rerun["applications"] == 1
    after = gql(client, MATCHES, {"call": CALL}, tokens["moderator"])["data"]["exchangeMatches"]
    assert [m["id"] for m in after if m["applicationId"] == second["id"] and m["status"] == "PROPOSED"] == [kept["id"]]
    retried = [m for m in after if m["applicationId"] == first["id"] and m["status"] == "PROPOSED"]
    assert all(m["hostClusterId"] != declined["hostClusterId"] for m in retried)

    done = gql(client, ACCEPT, {"id": kept["id"]}, host_token[kept["hostClusterId"]])["data"]["acceptExchangeMatch"]
    assert done["status"] == "ACCEPTED" and done["exchangeId"] == f"cx-{kept['id']}"
    exchange = graph.read(
        "MATCH (x:Exchange {id: $id})-[:SENT_BY]->(s:Cluster) MATCH (x)-[:HOSTED_BY]->(h:Cluster) "
        "MATCH (x)-[:PARTICIPANT]->(o:Organisation) MATCH (x)-[:UNDER]->(p:Partnership) "
        "RETURN x.status AS status, s.id AS s, h.id AS h, o.kind AS kind, p.id AS p",
        {"id": done["exchangeId"]},
    ).rows
    assert exchange == [
        {
            "status": "planned",
            "s": world["senders"][1],
            "h": kept["hostClusterId"],
            "kind": "sme",
            "p": world["partnership"],
        }
    ]
    assert code(gql(client, ACCEPT, {"id": kept["id"]}, host_token[kept["hostClusterId"]])) == "CONFLICT"

    report = gql(client, COMPLETE, {"id": done["exchangeId"], "report": "Two days at the pilot line."}, tokens["s1"])
    assert report["data"]["completeExchange"] == {
        "id": done["exchangeId"],
        "status": "completed",
        "report": "Two days at the pilot line.",
    }
    late = gql(client, CANCEL, {"id": done["exchangeId"]}, tokens["s1"])
    assert code(late) == "CONFLICT" and late["errors"][0]["extensions"]["current"] == "completed"


def test_a_report_on_a_cancelled_exchange_is_refused(client, graph, world):
    exchange = graph.read(
        "MATCH (x:Exchange {status: 'planned'})-[:SENT_BY]->(s:Cluster) RETURN x.id AS id, s.id AS s ORDER BY id LIMIT 1"
    ).rows[0]
    token = AccountStore(world["data_dir"]).add("canceller@send.example", ["editor"], [exchange["s"]])[1].text
    assert gql(client, CANCEL, {"id": exchange["id"]}, token)["data"]["cancelExchange"]["status"] == "cancelled"
    refused = gql(client, COMPLETE, {"id": exchange["id"], "report": "It went well."}, token)
    assert code(refused) == "CONFLICT" and refused["errors"][0]["extensions"]["current"] == "cancelled"
    empty = gql(client, COMPLETE, {"id": exchange["id"], "report": " "}, token)
    assert code(empty) == "BAD_USER_INPUT"


INDEPENDENT = """
MATCH (call:Call {id: $call})
OPTIONAL MATCH (k:Cluster)-[:PARTNER_IN]->(:Partnership)-[:FUNDED_BY]->(call)
WITH call, collect(DISTINCT k.id) AS community
MATCH (x:Exchange)
WHERE x.status <> 'cancelled'
MATCH (x)-[:SENT_BY]->(s:Cluster)
MATCH (x)-[:HOSTED_BY]->(h:Cluster)
OPTIONAL MATCH (x)-[:UNDER]->(p:Partnership)-[:FUNDED_BY]->(call)
WITH community, x, s, h, p
WHERE x.call_id = $call OR p IS NOT NULL OR h.id IN community
WITH DISTINCT community, x, s
OPTIONAL MATCH (x)-[:PARTICIPANT]->(o:Organisation {kind: 'sme'})
RETURN x.id AS id, s.country AS country, o IS NOT NULL AS sme, NOT s.id IN community AS outside
"""


def test_call_progress_equals_an_independent_count(client, graph):
    rows = graph.read(INDEPENDENT, {"call": CALL}).rows
    ids = {r["id"] for r in rows}
    assert len(ids) == len(rows), "one row per exchange"
    progress = gql(client, PROGRESS, {"id": CALL})["data"]["call"]["progress"]
    assert progress["exchanges"] == len(rows) > 0
    assert progress["sme"] == sum(r["sme"] for r in rows)
    assert progress["outside"] == sum(r["outside"] for r in rows)
    assert progress["smeShare"] == pytest.approx(progress["sme"] / len(rows))
    assert (progress["target"], progress["smeShareMin"], progress["outsideShareMin"]) == (1000, 0.5, 0.25)
    by_country = {}
    for r in rows:
        by_country[r["country"]] = by_country.get(r["country"], 0) + 1
    assert {c["country"]: c["exchanges"] for c in progress["byCountry"]} == by_country
    assert sum(c["exchanges"] for c in progress["byCategory"]) == len(rows)
    csv_file = gql(
        client, "query($id: ID!) { callProgressFile(callId: $id, format: CSV) { filename rows } }", {"id": CALL}
    )
    assert csv_file["data"]["callProgressFile"]["rows"] == 3 + len(progress["byCountry"]) + len(progress["byCategory"])


# ---------------------------------------------------------------- events as a process


REQUEST = """mutation($event: ID!, $from: ID!, $to: ID!) { requestMeeting(eventId: $event, fromId: $from, toId: $to) { id status } }"""
ANSWER = "mutation($id: ID!, $accept: Boolean!) { answerMeetingRequest(id: $id, accept: $accept) { id status } }"
MARK = "mutation($event: ID!, $from: ID!, $to: ID!, $mark: AttendeeMark) { markAttendee(eventId: $event, fromId: $from, toId: $to, mark: $mark) }"
SCHEDULE = """mutation($event: ID!) { scheduleEvent(eventId: $event, slots: 6, tables: 4, timeLimitS: 5) {
  meetings made kept mustMeetScheduled noThanksScheduled acceptedUnscheduled status } }"""
RATE = "mutation($m: ID!, $p: ID!, $r: Int!) { rateMeeting(meetingId: $m, partyId: $p, rating: $r, followUp: true) { rating } }"
EVENT = """query($id: ID!) { eventProgress(eventId: $id) { byKind { kind attendees requested accepted scheduled held rated
  averageRating followUps } total { attendees requested accepted scheduled held rated followUps } } }"""


@pytest.fixture(scope="module")
def event(graph, world, tmp_path_factory):
    """A brokerage day next month attended by eight clusters, and an editor for each."""
    folder = tmp_path_factory.mktemp("event")
    day = (TODAY + dt.timedelta(days=40)).isoformat()
    clusters = [r["id"] for r in graph.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id SKIP 20 LIMIT 8").rows]
    with open(folder / "events.csv", "w", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["id", "name", "start", "end", "country", "organiser"],
                ["ev-next", "Next Brokerage Day", day, day, "PT", "Test"],
            ]
        )
    with open(folder / "attendance.csv", "w", newline="") as handle:
        csv.writer(handle).writerows(
            [["event_id", "participant_id", "role"], *[["ev-next", c, "attendee"] for c in clusters]]
        )
    assert load_files(graph, "events", [folder / "events.csv"]).ok
    assert load_files(graph, "attendance", [folder / "attendance.csv"]).ok
    accounts = AccountStore(world["data_dir"])
    return {
        "id": "ev-next",
        "parties": clusters,
        "tokens": [accounts.add(f"p{i}@event.example", ["editor"], [c])[1].text for i, c in enumerate(clusters)],
    }


def test_meeting_requests_and_marks_shape_the_schedule_and_accepted_meetings_stay(client, graph, world, event):
    p, t, ev = event["parties"], event["tokens"], event["id"]
    assert code(gql(client, REQUEST, {"event": ev, "from": p[0], "to": p[1]}, t[1])) == "FORBIDDEN"
    accepted = gql(client, REQUEST, {"event": ev, "from": p[0], "to": p[1]}, t[0])["data"]["requestMeeting"]
    assert code(gql(client, REQUEST, {"event": ev, "from": p[0], "to": p[1]}, t[0])) == "CONFLICT", "asked already"
    assert code(gql(client, ANSWER, {"id": accepted["id"], "accept": True}, t[0])) == "FORBIDDEN", "only the one asked"
    assert (
        gql(client, ANSWER, {"id": accepted["id"], "accept": True}, t[1])["data"]["answerMeetingRequest"]["status"]
        == "ACCEPTED"
    )
    twice = gql(client, ANSWER, {"id": accepted["id"], "accept": False}, t[1])
    assert code(twice) == "CONFLICT" and twice["errors"][0]["extensions"]["current"] == "ACCEPTED"
    declined = gql(client, REQUEST, {"event": ev, "from": p[2], "to": p[3]}, t[2])["data"]["requestMeeting"]
    gql(client, ANSWER, {"id": declined["id"], "accept": False}, t[3])
    for a in range(8):  # everyone says no to p[4]: it must not meet anyone
        if a != 4:
            assert gql(client, MARK, {"event": ev, "from": p[a], "to": p[4], "mark": "NO_THANKS"}, t[a])["data"][
                "markAttendee"
            ]
    gql(client, MARK, {"event": ev, "from": p[5], "to": p[6], "mark": "MUST_MEET"}, t[5])

    assert code(gql(client, SCHEDULE, {"event": ev}, t[0])) == "FORBIDDEN"
    result = gql(client, SCHEDULE, {"event": ev}, world["tokens"]["moderator"])["data"]["scheduleEvent"]
    assert result["noThanksScheduled"] == 0 and result["mustMeetScheduled"] == 1 and result["acceptedUnscheduled"] == []
    meetings = graph.read(
        "MATCH (m:Meeting {event_id: $ev})-[:BETWEEN]->(a) MATCH (m)-[:BETWEEN]->(b) WHERE a.id < b.id "
        "RETURN m.id AS id, a.id AS a, b.id AS b, m.slot AS slot, m.table AS t, m.fixed AS fixed",
        {"ev": ev},
    ).rows
    pairs = {(m["a"], m["b"]): m for m in meetings}
    first = pairs[tuple(sorted((p[0], p[1])))]
    assert first["fixed"] is True
    assert tuple(sorted((p[2], p[3]))) not in pairs, "a declined request is never scheduled"
    assert not [m for m in meetings if p[4] in (m["a"], m["b"])], "NO_THANKS pairs never meet"
    assert len({(m["slot"], m["t"]) for m in meetings}) == len(meetings), "one meeting per table and slot"

    again = gql(client, SCHEDULE, {"event": ev}, world["tokens"]["moderator"])["data"]["scheduleEvent"]
    assert again["kept"] == 1
    kept = graph.read("MATCH (m:Meeting {id: $id}) RETURN m.slot AS slot, m.table AS t", {"id": first["id"]}).rows
    assert kept == [{"slot": first["slot"], "t": first["t"]}], "the accepted meeting stays where it was"

    rate = gql(client, RATE, {"m": first["id"], "p": p[0], "r": 5}, t[0])
    assert code(rate) == "CONFLICT", "the event has not taken place yet"


def test_ratings_after_an_event_and_its_figures(client, graph, world):
    meeting = graph.read(
        "MATCH (m:Meeting)-[:AT]->(e:Event) WHERE e.id STARTS WITH 'syn-e' MATCH (m)-[:BETWEEN]->(a:Cluster) "
        "RETURN m.id AS m, a.id AS a, e.id AS e ORDER BY m LIMIT 1"
    ).rows[0]
    token = AccountStore(world["data_dir"]).add("rater@event.example", ["editor"], [meeting["a"]])[1].text
    out_of_range = gql(client, RATE, {"m": meeting["m"], "p": meeting["a"], "r": 6}, token)
    assert code(out_of_range) == "BAD_USER_INPUT"
    assert (
        gql(client, RATE, {"m": meeting["m"], "p": meeting["a"], "r": 4}, token)["data"]["rateMeeting"]["rating"] == 4
    )
    assert code(gql(client, RATE, {"m": meeting["m"], "p": meeting["a"], "r": 5}, token)) == "CONFLICT", "rated already"
    # the rating becomes part of the history partner search reads: the "met at" tie says it
    from clusterkg.scoring.complementarity import explain_matches, seeker_kind

    other = graph.read(
        "MATCH (m:Meeting {id: $m})-[:BETWEEN]->(b) WHERE b.id <> $a RETURN b.id AS b",
        {"m": meeting["m"], "a": meeting["a"]},
    ).scalar()
    labels = {"seeker": "Cluster", "candidate": seeker_kind(graph, other)}
    ties = explain_matches(graph, meeting["a"], [other], labels)[other].ties
    assert any("rated 4.0/5, a follow-up planned" in tie for tie in ties), ties
    figures = gql(client, EVENT, {"id": meeting["e"]})["data"]["eventProgress"]
    independent = graph.read(
        "MATCH (e:Event {id: $e})<-[:ATTENDS]-(p) WITH count(p) AS attendees "
        "MATCH (m:Meeting {event_id: $e}) WITH attendees, count(m) AS meetings "
        "OPTIONAL MATCH (:Meeting {event_id: $e})<-[r:RATED]-() RETURN attendees, meetings, count(r) AS rated",
        {"e": meeting["e"]},
    ).rows[0]
    assert figures["total"]["attendees"] == independent["attendees"]
    assert figures["total"]["rated"] == independent["rated"] == 1 and figures["total"]["followUps"] == 1
    cluster_row = [k for k in figures["byKind"] if k["kind"] == "cluster"][0]
    assert cluster_row["averageRating"] == 4.0
    # every meeting of a past event was held; each is counted once per kind of its two parties
    assert (
        max(k["held"] for k in figures["byKind"]) <= independent["meetings"]
        and figures["total"]["held"] >= independent["meetings"]
    )


def test_every_programme_mutation_needs_a_signed_in_account_and_writes_nothing_without(client, graph, world):
    before = content_hash(graph)
    start = TODAY.isoformat()
    calls = [
        (APPLY, {"input": application(world, 0, "c-cell-chemistry")}),
        (VALIDATE, {"id": "app-x", "accept": True}),
        ('mutation { withdrawApplication(id: "app-x") { id } }', {}),
        (
            OFFER,
            {
                "input": {
                    "callId": CALL,
                    "clusterId": world["hosts"][0],
                    "capacity": 1,
                    "availableFrom": start,
                    "availableTo": start,
                }
            },
        ),
        (RUN, {"call": CALL}),
        (ACCEPT, {"id": "match-x"}),
        (DECLINE, {"id": "match-x"}),
        (COMPLETE, {"id": "syn-x000000", "report": "x"}),
        (CANCEL, {"id": "syn-x000000"}),
        (REQUEST, {"event": "syn-e0000", "from": "a", "to": "b"}),
        (ANSWER, {"id": "req-x", "accept": True}),
        (MARK, {"event": "syn-e0000", "from": "a", "to": "b", "mark": "NO_THANKS"}),
        (SCHEDULE, {"event": "syn-e0000"}),
        (RATE, {"m": "m-x", "p": "a", "r": 3}),
        ('query { exchangeMatches(callId: "COS-CLUSTER-2020-3-03") { id } }', {}),
    ]
    for query, variables in calls:
        assert code(gql(client, query, variables)) in ("UNAUTHENTICATED", "NOT_FOUND"), query
    unauthenticated = [q for q, v in calls if code(gql(client, q, v)) == "UNAUTHENTICATED"]
    assert len(unauthenticated) >= 11, (
        "an unknown id may be NOT_FOUND before the account is asked for; the rest say who"
    )
    assert content_hash(graph) == before
