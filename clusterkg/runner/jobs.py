"""Matching jobs in the background, each a folder under the data dir that outlives the page and the server.

    <data dir>/jobs/<id>/job.json   what was asked, status, times, summary, warnings, files, a preview
    <data dir>/jobs/<id>/inputs/    the uploaded files, under their own names
    <data dir>/jobs/<id>/files/     what the job hands out: the same files as `clusterkg match …`

Inputs are validated before a job is queued, against the files' rules and the
graph (ids that must exist), so a bad file is refused with the loaders'
row-level report and nothing runs. Jobs run one at a time in a worker thread:
the solver already uses the machine's cores. A job that was queued or running
when the server stopped is marked interrupted at the next start, never left
"running" for ever. Progress is an estimate from the solver's time limit (the
solve is the long part and reports nothing finer through the engine-neutral
code), and says so.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from clusterkg import queries
from clusterkg.consortium.exports import write_consortium_files
from clusterkg.consortium.model import ConsortiumRequest
from clusterkg.consortium.pool import call_rules, check_request
from clusterkg.consortium.propose import propose_consortia
from clusterkg.errors import ClusterKGError, NotFound
from clusterkg.events.attendees import build_attendees
from clusterkg.events.exports import MEETING_COLUMNS, meeting_rows, write_event_files
from clusterkg.events.model import EventSettings
from clusterkg.events.plan import plan_event
from clusterkg.exchanges.assignment import assign_exchanges, build_parties
from clusterkg.exchanges.exports import ASSIGNMENT_COLUMNS, assignment_rows, write_exchange_files
from clusterkg.exchanges.model import ExchangeSettings
from clusterkg.graph.process import pid_running
from clusterkg.graph.store import GraphStore
from clusterkg.jobs.inputs import InvalidInput, Row, read_records
from clusterkg.jobs.records import ApplicantRecord, AttendeeRecord, HostRecord
from clusterkg.scoring.profiles import Taxonomy
from clusterkg.validation import Issue

log = logging.getLogger("clusterkg.jobs")

KINDS = ("event", "exchanges", "consortium")
UPLOAD_SUFFIXES = (".csv", ".xlsx", ".json")
OVERHEAD_S = 2.0  # reading the graph and writing files, around the solver's time limit (for the progress estimate)
KEEP_JOBS = 200  # the oldest finished jobs beyond this are removed when a new one starts
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".md": "text/markdown",
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Upload:
    """A file as a browser sends it: its name (for messages and the suffix) and its bytes."""

    filename: str
    content: bytes


@dataclass
class Job:
    id: str
    kind: str
    title: str
    status: str  # queued, running, done, failed, interrupted
    created: str
    parameters: dict[str, Any]
    inputs: list[str]
    expected_s: float  # the time limit plus overhead: the basis of the progress estimate
    owner_pid: int = 0  # the server process that runs it: another worker's job is not a leftover
    started: str | None = None
    finished: str | None = None
    message: str = ""
    synthetic: bool = False
    summary: dict[str, Any] = field(default_factory=dict)
    solver: dict[str, Any] | None = None
    issues: list[dict[str, Any]] = field(default_factory=list)  # warnings, or the errors that failed it
    files: list[str] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)  # what the page previews

    @property
    def progress(self) -> float:
        """0..1; while running, the share of the expected time spent (at most 0.95)."""
        if self.status in ("done", "failed", "interrupted"):
            return 1.0
        if self.status != "running" or not self.started:
            return 0.0
        spent = (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(self.started)).total_seconds()
        return round(min(0.95, spent / self.expected_s), 3)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _safe_name(filename: str) -> str:
    """The upload's base name with only portable characters: it becomes a path under the job's folder."""
    base = re.sub(r"[^A-Za-z0-9._-]", "_", Path(filename.replace("\\", "/")).name).lstrip(".") or "upload"
    suffix = Path(base).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ClusterKGError(f"{filename}: unsupported file type '{suffix or '(none)'}' (use .csv, .xlsx or .json)")
    return base


class JobStore:
    """The jobs of one data dir; `close()` stops taking work (a running job finishes or is interrupted with the process)."""

    def __init__(self, root: Path, store: GraphStore, *, keep: int = KEEP_JOBS) -> None:
        self.root = Path(root)
        self.store = store
        self.keep = keep
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clusterkg-job")
        self._interrupt_leftovers()  # the folder is made with the first job: serving alone writes nothing

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -------------------------------------------------------------- reading

    def list(self) -> list[Job]:
        jobs = []
        for path in self.root.glob("*/job.json"):
            try:
                jobs.append(self._read(path.parent.name))
            except (OSError, ValueError, TypeError) as exc:
                log.warning("skipping unreadable job %s: %s", path.parent.name, exc)
        return sorted(jobs, key=lambda j: (j.created, j.id), reverse=True)

    def get(self, job_id: str) -> Job:
        if not re.fullmatch(r"[a-z0-9-]{1,64}", job_id) or not (self.root / job_id / "job.json").is_file():
            raise NotFound(f"no job has the id '{job_id}'")
        return self._read(job_id)

    def file(self, job_id: str, name: str) -> Path:
        """A file the job handed out; only names it lists (no path reaches outside its folder)."""
        job = self.get(job_id)
        if name not in job.files:
            raise NotFound(f"job {job_id} has no file '{name}' (it has: {', '.join(job.files) or 'none yet'})")
        return self.root / job_id / "files" / name

    def delete(self, job_id: str) -> None:
        job = self.get(job_id)
        if job.status in ("queued", "running"):
            raise ClusterKGError(f"job {job_id} is {job.status}: delete it when it has finished")
        shutil.rmtree(self.root / job_id)

    # -------------------------------------------------------------- submitting

    def submit_event(self, attendees: Upload, settings: EventSettings, event_name: str) -> Job:
        settings.validate()
        parameters = {
            "name": event_name,
            **{
                k: v.isoformat() if isinstance(v, dt.time) else v for k, v in asdict(settings).items() if k != "weights"
            },
        }

        def check(folder: Path) -> Callable[[], dict[str, Any]]:
            rows, warnings = read_records(
                folder / "inputs" / _safe_name(attendees.filename), AttendeeRecord, "attendee_id"
            )
            build_attendees(
                self.store, rows, settings, Taxonomy.from_graph(self.store)
            )  # unknown ids in wants/avoids, slots beyond the event
            return lambda: self._run_event(rows, warnings, settings, event_name, folder)

        return self._submit(
            "event",
            f"{event_name}: {settings.slots} slots, {settings.tables} tables",
            parameters,
            [attendees],
            settings.time_limit_s,
            check,
        )

    def submit_exchanges(self, applicants: Upload, hosts: Upload, settings: ExchangeSettings) -> Job:
        settings.validate()
        parameters = {k: v for k, v in asdict(settings).items() if k != "weights"}

        def check(folder: Path) -> Callable[[], dict[str, Any]]:
            applicant_rows, applicant_warnings = read_records(
                folder / "inputs" / _safe_name(applicants.filename), ApplicantRecord, "applicant_id"
            )
            host_rows, host_warnings = read_records(
                folder / "inputs" / _safe_name(hosts.filename), HostRecord, "cluster_id"
            )
            build_parties(
                self.store, applicant_rows, host_rows, Taxonomy.from_graph(self.store)
            )  # clusters the graph must have
            return lambda: self._run_exchanges(
                applicant_rows, host_rows, applicant_warnings + host_warnings, settings, folder
            )

        title = f"ClusterXchange: SME share {settings.sme_share:.0%}, outside share {settings.outside_share:.0%}"
        return self._submit("exchanges", title, parameters, [applicants, hosts], settings.time_limit_s, check)

    def submit_consortium(self, request: ConsortiumRequest) -> Job:
        check_request(request, call_rules(self.store, request))
        if not queries.run(
            self.store, "existing_ids", {"ids": [request.lead, *request.must_include]}, labels={"label": "Cluster"}
        ).rows:
            raise NotFound(f"no cluster has the id '{request.lead}'")
        parameters = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(request).items() if k != "weights"}

        def check(folder: Path) -> Callable[[], dict[str, Any]]:
            return lambda: self._run_consortium(request, folder)

        return self._submit(
            "consortium",
            f"Consortium around {request.lead} for {request.call}",
            parameters,
            [],
            request.time_limit_s,
            check,
        )

    def _submit(
        self,
        kind: str,
        title: str,
        parameters: dict[str, Any],
        uploads: builtins.list[Upload],
        time_limit_s: float,
        check: Callable[[Path], Callable[[], dict[str, Any]]],
    ) -> Job:
        """Save the inputs, validate them (InvalidInput: the folder is removed, nothing runs), queue the run."""
        job_id = f"{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}-{kind}-{secrets.token_hex(3)}"
        folder = self.root / job_id
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)  # uploads may be personal data (attendee lists)
        (folder / "inputs").mkdir(parents=True)
        try:
            names = []
            for upload in uploads:
                name = _safe_name(upload.filename)
                if name in names:
                    raise ClusterKGError(f"two uploads are called '{name}': give each file its own name")
                (folder / "inputs" / name).write_bytes(upload.content)
                names.append(name)
            run = check(folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        job = Job(
            id=job_id,
            kind=kind,
            title=title,
            status="queued",
            created=_now(),
            parameters=parameters,
            inputs=names,
            expected_s=time_limit_s + OVERHEAD_S,
            owner_pid=os.getpid(),
            message="waiting for the job before it",
        )
        self._write(job)
        self._prune()
        self._executor.submit(self._execute, job_id, run)
        return job

    # -------------------------------------------------------------- running

    def _execute(self, job_id: str, run: Callable[[], dict[str, Any]]) -> None:
        self._update(
            job_id,
            status="running",
            started=_now(),
            message="scoring and solving (progress estimated from the time limit)",
        )
        started = time.perf_counter()
        try:
            updates = run()
        except InvalidInput as exc:
            self._update(
                job_id,
                status="failed",
                finished=_now(),
                message=str(exc).splitlines()[0],
                issues=[i.as_dict() for i in exc.issues],
            )
        except ClusterKGError as exc:
            self._update(job_id, status="failed", finished=_now(), message=str(exc))
        except Exception as exc:  # a bug must not leave the job "running" for ever
            log.exception("job %s failed", job_id)
            self._update(job_id, status="failed", finished=_now(), message=f"internal error: {type(exc).__name__}")
        else:
            files = sorted(p.name for p in (self.root / job_id / "files").iterdir() if p.is_file())
            self._update(
                job_id,
                status="done",
                finished=_now(),
                message=f"done in {time.perf_counter() - started:.1f} s",
                files=files,
                **updates,
            )

    @staticmethod
    def _finish(plan: Any, warnings: builtins.list[Issue], result: dict[str, Any]) -> dict[str, Any]:
        return {
            "synthetic": plan.synthetic,
            "summary": plan.summary() if hasattr(plan, "summary") else {},
            "solver": plan.report.as_dict(),
            "issues": [i.as_dict() for i in warnings],
            "result": result,
        }

    def _run_event(
        self,
        rows: builtins.list[Row[AttendeeRecord]],
        warnings: builtins.list[Issue],
        settings: EventSettings,
        event_name: str,
        folder: Path,
    ) -> dict[str, Any]:
        plan = plan_event(self.store, rows, settings, warnings=warnings)
        files = write_event_files(plan, folder / "files", event_name)
        agendas = files["agendas"]
        with zipfile.ZipFile(folder / "files" / "agendas.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for page in sorted(agendas.iterdir()):
                archive.write(page, f"agendas/{page.name}")
        shutil.rmtree(agendas)
        met: dict[str, int] = {}
        for meeting in plan.meetings:
            for index in (meeting.pair.a, meeting.pair.b):
                met[plan.attendees[index].id] = met.get(plan.attendees[index].id, 0) + 1
        result = {
            "meetings": [dict(zip(MEETING_COLUMNS, row)) for row in meeting_rows(plan)],
            "attendees": [
                {
                    "id": a.id,
                    "name": a.name,
                    "organisation": a.organisation,
                    "country": a.country,
                    "meetings": met.get(a.id, 0),
                }
                for a in plan.attendees
            ],
        }
        return self._finish(plan, plan.warnings, result)

    def _run_exchanges(
        self,
        applicant_rows: builtins.list[Row[ApplicantRecord]],
        host_rows: builtins.list[Row[HostRecord]],
        warnings: builtins.list[Issue],
        settings: ExchangeSettings,
        folder: Path,
    ) -> dict[str, Any]:
        plan = assign_exchanges(self.store, applicant_rows, host_rows, settings)
        plan.warnings[:0] = warnings
        write_exchange_files(plan, folder / "files")
        result = {
            "assigned": [dict(zip(ASSIGNMENT_COLUMNS, row)) for row in assignment_rows(plan)],
            "unassigned": [{"applicant_id": a.id, "name": a.name, "reason": reason} for a, reason in plan.unassigned],
            "quotas": [asdict(q) for q in plan.quotas],
            "quotas_met": plan.quotas_met,
            "totals": plan.totals(),
        }
        return self._finish(plan, plan.warnings, result)

    def _run_consortium(self, request: ConsortiumRequest, folder: Path) -> dict[str, Any]:
        plan = propose_consortia(self.store, request)
        write_consortium_files(plan, folder / "files")
        finished = self._finish(plan, [], plan.as_dict())
        finished["summary"] = {"proposals": len(plan.proposals), "shortlist": plan.shortlist, **plan.report.as_dict()}
        return finished

    # -------------------------------------------------------------- storage

    def _read(self, job_id: str) -> Job:
        return Job(**json.loads((self.root / job_id / "job.json").read_text(encoding="utf-8")))

    def _write(self, job: Job) -> None:
        path = self.root / job.id / "job.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(job), default=str), encoding="utf-8")
        os.replace(temporary, path)  # a reader never sees half a file

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            job = self._read(job_id)
            for key, value in changes.items():
                setattr(job, key, value)
            self._write(job)

    def _interrupt_leftovers(self) -> None:
        for job in self.list():
            if job.status in ("queued", "running") and not _alive(job.owner_pid):
                self._update(
                    job.id,
                    status="interrupted",
                    finished=_now(),
                    message="the server stopped before this job finished: start it again",
                )

    def _prune(self) -> None:
        finished = [j for j in self.list() if j.status not in ("queued", "running")]
        for job in finished[self.keep :]:
            shutil.rmtree(self.root / job.id, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Whether the process that owns a job still runs (this process, just started, owns none yet: a reused pid)."""
    return pid != os.getpid() and pid_running(pid)


def media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
