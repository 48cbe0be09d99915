"""Background matching jobs (clusterkg.runner.jobs) and their GraphQL fields, on the real embedded engine."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clusterkg.errors import ClusterKGError, NotFound
from clusterkg.events.model import EventSettings
from clusterkg.exchanges.model import ExchangeSettings
from clusterkg.jobs.inputs import InvalidInput
from clusterkg.runner.jobs import JobStore, Upload
from clusterkg.settings import Settings, WebSettings
from clusterkg.web.app import create_app

MATCHING = Path(__file__).resolve().parent.parent / "docs" / "examples" / "matching"


@pytest.fixture(scope="module")
def graph(server, reference_data, tmp_path_factory):
    from clusterkg.loaders.pipeline import load_directory
    from tests.conftest import drop, synthetic_graph

    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("jobs-xs"), "xs", "jobs")
    load_directory(store, MATCHING.parent)
    yield store
    drop(store)


def upload(name: str) -> Upload:
    return Upload(name, (MATCHING / name).read_bytes())


def wait(jobs: JobStore, job_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = jobs.get(job_id)
        if job.status not in ("queued", "running"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.status} after {timeout} s")


def test_an_event_job_runs_in_the_background_and_outlives_its_store(graph, tmp_path):
    jobs = JobStore(tmp_path / "jobs", graph)
    started = jobs.submit_event(upload("attendees.csv"), EventSettings(slots=4, tables=2, time_limit_s=5), "Demo day")
    assert started.status == "queued" and started.inputs == ["attendees.csv"]
    done = wait(jobs, started.id)
    assert done.status == "done", done.message
    assert set(done.files) == {"agendas.zip", "meetings.csv", "pairs.csv", "report.json", "schedule.xlsx"}
    meetings = (tmp_path / "jobs" / done.id / "files" / "meetings.csv").read_text(encoding="utf-8").splitlines()
    assert len(done.result["meetings"]) == len(meetings) - 1 > 0
    assert done.solver["bound"] >= done.solver["objective"] and done.progress == 1.0
    jobs.close()
    reopened = JobStore(tmp_path / "jobs", graph)  # another server start: the job and its files are still there
    assert [j.id for j in reopened.list()] == [done.id] and reopened.get(done.id).result == done.result
    assert oct((tmp_path / "jobs").stat().st_mode & 0o777) == "0o700"
    reopened.close()


def test_bad_files_are_refused_before_anything_is_queued(graph, tmp_path):
    jobs = JobStore(tmp_path / "jobs", graph)
    bad = Upload("attendees.csv", b"attendee_id,name,available_slots,wants\na-1,Ann,1-2,a-9\na-2,Bob,1,\n")
    with pytest.raises(InvalidInput) as refused:  # a want naming nobody: found against the other rows, before any solve
        jobs.submit_event(bad, EventSettings(slots=4, tables=2), "x")
    assert [(i.file, i.row, i.field, i.value) for i in refused.value.issues] == [("attendees.csv", 2, "wants", "a-9")]
    with pytest.raises(InvalidInput) as unknown:
        jobs.submit_exchanges(
            Upload("applicants.csv", (MATCHING / "applicants.csv").read_bytes().replace(b"ex-c-1", b"no-such-cluster")),
            upload("hosts.csv"),
            ExchangeSettings(),
        )
    assert any(i.field == "sending_cluster_id" and i.value == "no-such-cluster" for i in unknown.value.issues)
    with pytest.raises(ClusterKGError, match="unsupported file type '.exe'"):
        jobs.submit_event(Upload("attendees.exe", b"x"), EventSettings(slots=4, tables=2), "x")
    assert jobs.list() == [] and list((tmp_path / "jobs").iterdir()) == []


def test_files_are_only_those_a_job_lists(graph, tmp_path):
    jobs = JobStore(tmp_path / "jobs", graph)
    done = wait(
        jobs, jobs.submit_exchanges(upload("applicants.csv"), upload("hosts.csv"), ExchangeSettings(time_limit_s=5)).id
    )
    assert done.status == "done", done.message
    assert jobs.file(done.id, "assignments.csv").is_file()
    for name in ("../job.json", "job.json", "/etc/passwd", "..", "inputs/applicants.csv"):
        with pytest.raises(NotFound):
            jobs.file(done.id, name)
    for job_id in ("../jobs", "..", "x" * 65, "A/B"):
        with pytest.raises(NotFound):
            jobs.get(job_id)
    jobs.delete(done.id)
    assert jobs.list() == []


def test_a_job_whose_server_died_is_interrupted_but_not_another_live_servers(graph, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = tmp_path / "jobs"
    for job_id, pid in (("20260101-000000-event-aaaaaa", dead.pid), ("20260101-000001-event-bbbbbb", os.getppid())):
        (folder / job_id).mkdir(parents=True)
        (folder / job_id / "job.json").write_text(
            json.dumps(
                {
                    "id": job_id,
                    "kind": "event",
                    "title": "t",
                    "status": "running",
                    "created": "2026-01-01T00:00:00+00:00",
                    "parameters": {},
                    "inputs": [],
                    "expected_s": 10,
                    "owner_pid": pid,
                    "started": "2026-01-01T00:00:00+00:00",
                }
            ),
            encoding="utf-8",
        )
    jobs = JobStore(folder, graph)
    assert jobs.get("20260101-000000-event-aaaaaa").status == "interrupted"
    assert "start it again" in jobs.get("20260101-000000-event-aaaaaa").message
    assert jobs.get("20260101-000001-event-bbbbbb").status == "running"  # its server (our parent) still runs


# ---------------------------------------------------------------- over GraphQL

START = """mutation($input: EventJobInput!) { startEventJob(input: $input) { job { id status } issues { source row field reason } } }"""
JOB = """query($id: ID!) { job(id: $id) { status files { name } file(name: "meetings.csv") { filename mediaType base64 } } }"""


def _attendees() -> dict:
    return {"filename": "attendees.csv", "base64": base64.b64encode((MATCHING / "attendees.csv").read_bytes()).decode()}


def test_jobs_over_graphql_start_follow_and_download(graph, tmp_path):
    with TestClient(create_app(settings=Settings(data_dir=tmp_path), store=graph)) as client:
        body = client.post(
            "/graphql",
            json={
                "query": START,
                "variables": {"input": {"attendees": _attendees(), "slots": 4, "tables": 2, "timeLimitSeconds": 5}},
            },
        ).json()
        assert body["data"]["startEventJob"]["issues"] == []
        job_id = body["data"]["startEventJob"]["job"]["id"]
        for _ in range(300):
            found = client.post(
                "/graphql", json={"query": "query($id: ID!) { job(id: $id) { status } }", "variables": {"id": job_id}}
            ).json()["data"]["job"]
            if found["status"] not in ("QUEUED", "RUNNING"):
                break
            time.sleep(0.1)
        job = client.post("/graphql", json={"query": JOB, "variables": {"id": job_id}}).json()["data"]["job"]
        assert job["status"] == "DONE"
        assert (
            base64.b64decode(job["file"]["base64"])
            == (tmp_path / "jobs" / job_id / "files" / "meetings.csv").read_bytes()
        )
        bad = {
            "filename": "attendees.csv",
            "base64": base64.b64encode(b"attendee_id,name,max_meetings\na,A,-1\n").decode(),
        }
        refused = client.post(
            "/graphql", json={"query": START, "variables": {"input": {"attendees": bad, "slots": 4, "tables": 2}}}
        ).json()["data"]["startEventJob"]
        assert (
            refused["job"] is None
            and refused["issues"][0]["field"] == "max_meetings"
            and refused["issues"][0]["row"] == 2
        )
        not_base64 = client.post(
            "/graphql",
            json={
                "query": START,
                "variables": {"input": {"attendees": {"filename": "a.csv", "base64": "%%%"}, "slots": 4, "tables": 2}},
            },
        ).json()
        assert "not base64" in not_base64["errors"][0]["message"]
        too_long = client.post(
            "/graphql",
            json={
                "query": START,
                "variables": {
                    "input": {"attendees": _attendees(), "slots": 4, "tables": 2, "timeLimitSeconds": 100000}
                },
            },
        ).json()
        assert too_long["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


def test_jobs_need_an_analyst_token_when_public(graph, tmp_path):
    public = WebSettings(bind_host="0.0.0.0", analyst_tokens=("job-token",), allowed_hosts=("testserver",))
    with TestClient(create_app(settings=Settings(data_dir=tmp_path), store=graph, web_settings=public)) as client:
        for query, variables in (
            ("{ jobs { id } }", {}),
            (START, {"input": {"attendees": _attendees(), "slots": 4, "tables": 2}}),
        ):
            refused = client.post("/graphql", json={"query": query, "variables": variables}).json()
            assert refused["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"
        allowed = client.post(
            "/graphql", json={"query": "{ jobs { id } }"}, headers={"Authorization": "Bearer job-token"}
        ).json()
        assert allowed == {"data": {"jobs": []}}
        assert not (tmp_path / "jobs").exists()  # nothing was written for the refused start
