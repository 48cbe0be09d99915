"""Events, attendance and meetings in the graph: loads, the schedule committed back, and meetings as partner-search ties."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from clusterkg.loaders.pipeline import load_directory, load_files
from clusterkg.loaders.synthetic import generate
from clusterkg.scoring.complementarity import partner_search
from tests.helpers import run_cli


@pytest.fixture()
def graph(reference_copy, tmp_path):
    files = generate("xs", 42, tmp_path / "xs").directory
    assert all(r.written and not r.errors for r in load_directory(reference_copy, files))
    return reference_copy, files


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(open(path, encoding="utf-8")))


def test_events_attendance_and_meetings_load_as_their_files_say(graph):
    store, files = graph
    events, attendance, meetings = (_rows(files / f"{k}.csv") for k in ("events", "attendance", "meetings"))
    found = {
        r["id"]: r
        for r in store.read(
            "MATCH (e:Event)-[:LOCATED_IN]->(r:Region) RETURN e.id AS id, e.nuts AS nuts, e.category AS category, r.category AS region_category"
        ).rows
    }
    assert set(found) == {e["id"] for e in events}
    assert all(
        found[e["id"]]["nuts"] == e["nuts"] and found[e["id"]]["category"] == found[e["id"]]["region_category"]
        for e in events
    )
    attends = store.read(
        "MATCH (p)-[a:ATTENDS]->(e:Event) RETURN e.id AS event, p.id AS participant, a.role AS role"
    ).rows
    assert sorted((r["event"], r["participant"], r["role"]) for r in attends) == sorted(
        (a["event_id"], a["participant_id"], a["role"]) for a in attendance
    )
    between = store.read("MATCH (m:Meeting)-[:BETWEEN]->(p) RETURN m.id AS id, collect(p.id) AS parties").rows
    assert {r["id"]: sorted(r["parties"]) for r in between} == {
        m["id"]: sorted((m["participant_a"], m["participant_b"])) for m in meetings
    }


def test_attendance_rows_that_name_nothing_are_row_errors(graph, tmp_path):
    store, _ = graph
    before = store.read("MATCH ()-[a:ATTENDS]->() RETURN count(a) AS n").scalar()
    path = tmp_path / "attendance.csv"
    path.write_text(
        "event_id,participant_id,role,available_slots\nsyn-e0000,nobody,attendee,\nno-event,syn-c000001,attendee,\nsyn-e0000,syn-c000002,juggler,\nsyn-e0000,syn-c000003,,1-x\n",
        encoding="utf-8",
    )
    report = load_files(store, "attendance", [path])
    assert not report.written
    errors = {(i.row, i.field) for i in report.errors}
    assert errors == {(2, "participant_id"), (3, "event_id"), (4, "role"), (5, "available_slots")}
    assert store.read("MATCH ()-[a:ATTENDS]->() RETURN count(a) AS n").scalar() == before


def test_a_committed_schedule_becomes_meetings_that_partner_search_counts_as_ties(graph, server, tmp_path):
    store, _ = graph
    event = "syn-e0001"
    env = {"CLUSTERKG_GRAPH_URL": f"redis://:{server.password}@127.0.0.1:{server.port}?graph={store.graph_name}"}
    store.write("MATCH (m:Meeting) DETACH DELETE m")  # only the meetings this schedule makes
    result = run_cli(
        "match",
        "event",
        "--event",
        event,
        "--slots",
        "4",
        "--tables",
        "6",
        "--time-limit",
        "5",
        "--commit",
        "--out",
        str(tmp_path / "out"),
        env=env,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    scheduled = _rows(tmp_path / "out" / "meetings.csv")
    recorded = store.read(
        "MATCH (m:Meeting)-[:AT]->(e:Event {id: $e}) MATCH (m)-[:BETWEEN]->(p) RETURN m.slot AS slot, m.table AS table, collect(p.id) AS parties",
        {"e": event},
    ).rows
    assert scheduled and sorted((r["slot"], r["table"], frozenset(r["parties"])) for r in recorded) == sorted(
        (int(m["slot"]), int(m["table"]), frozenset((m["attendee_a"], m["attendee_b"]))) for m in scheduled
    )
    event_name = store.read("MATCH (e:Event {id: $e}) RETURN e.name AS n", {"e": event}).scalar()
    labels = {
        r["id"]: r["label"]
        for r in store.read(
            "MATCH (p)-[:ATTENDS]->(:Event {id: $e}) RETURN p.id AS id, labels(p)[0] AS label", {"e": event}
        ).rows
    }
    checked = 0
    for meeting in scheduled:
        seeker, partner = meeting["attendee_a"], meeting["attendee_b"]
        found = {
            m.id: m for m in partner_search(store, seeker, candidates=labels[partner], exclude_ties=False, first=100)
        }
        if partner not in found:
            continue  # complementary at the event (its offers and seeks there), not in the graph's profiles
        assert found[partner].ties >= 1
        assert any(tie.startswith(f"met at {event_name}") for tie in found[partner].explanation.ties)
        assert partner not in {
            m.id for m in partner_search(store, seeker, candidates=labels[partner], exclude_ties=True, first=100)
        }
        checked += 1
    assert checked > 0
    # planned again, the event's own committed meetings are not "met before": the same candidates
    first_candidates = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["summary"][
        "candidate_pairs"
    ]
    same = run_cli(
        "match",
        "event",
        "--event",
        event,
        "--slots",
        "4",
        "--tables",
        "6",
        "--time-limit",
        "5",
        "--met-before",
        "avoid",
        "--out",
        str(tmp_path / "same"),
        env=env,
    )
    assert same.returncode == 0, same.stderr
    assert (
        json.loads((tmp_path / "same" / "report.json").read_text(encoding="utf-8"))["summary"]["candidate_pairs"]
        == first_candidates
    )
    # once those meetings belong to an earlier event, avoid keeps every pair that met apart
    store.write("CREATE (:Event {id: 'earlier', name: 'Earlier Days'})")
    store.write(
        "MATCH (m:Meeting)-[r:AT]->(:Event {id: $e}) MATCH (earlier:Event {id: 'earlier'}) DELETE r CREATE (m)-[:AT]->(earlier)",
        {"e": event},
    )
    again = run_cli(
        "match",
        "event",
        "--event",
        event,
        "--slots",
        "4",
        "--tables",
        "6",
        "--time-limit",
        "5",
        "--met-before",
        "avoid",
        "--out",
        str(tmp_path / "again"),
        env=env,
    )
    assert again.returncode == 0, again.stderr
    assert json.loads((tmp_path / "again" / "report.json").read_text(encoding="utf-8"))["summary"][
        "candidate_pairs"
    ] <= first_candidates - len(scheduled)
    repeated = {frozenset((m["attendee_a"], m["attendee_b"])) for m in _rows(tmp_path / "again" / "meetings.csv")} & {
        frozenset((m["attendee_a"], m["attendee_b"])) for m in scheduled
    }
    assert repeated == set()  # met before, avoided


def test_commit_needs_an_event_of_the_graph(graph, server, tmp_path):
    store, _ = graph
    env = {"CLUSTERKG_GRAPH_URL": f"redis://:{server.password}@127.0.0.1:{server.port}?graph={store.graph_name}"}
    attendees = Path(__file__).resolve().parent.parent / "docs" / "examples" / "matching" / "attendees.csv"
    result = run_cli(
        "match",
        "event",
        str(attendees),
        "--slots",
        "4",
        "--tables",
        "2",
        "--commit",
        "--out",
        str(tmp_path / "out"),
        env=env,
    )
    assert result.returncode != 0 and "use --event EVENT_ID" in result.stderr and "Traceback" not in result.stderr
