"""Background matching jobs over GraphQL: start with uploaded files, follow, preview, download.

The organisers' pages of the explorer use these fields and nothing else: a
file goes up as base64 in a variable (`UploadedFile`), is checked at once with
the loaders' row-level report (`JobStarted.issues`, nothing queued when any is
an error), and the job's files come back as `FileDownload`s. Jobs are for
analysts, like the synchronous matching fields (clusterkg.web.security).
"""

from __future__ import annotations

import base64
import binascii
import enum
from collections.abc import Callable
from typing import cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from clusterkg.defaults import default
from clusterkg.errors import ClusterKGError
from clusterkg.exchanges.model import ExchangeSettings
from clusterkg.graphql.consortia import ConsortiumInput, consortium_request
from clusterkg.graphql.explorer import FileDownload
from clusterkg.graphql.matching import EventOptions, InputIssue, SolveSummary, event_settings, solver_seconds
from clusterkg.graphql.permissions import AnalystOnly
from clusterkg.graphql.types import ctx
from clusterkg.jobs.inputs import InvalidInput
from clusterkg.jobs.solver import SolveReport
from clusterkg.runner.jobs import Job as JobRecord
from clusterkg.runner.jobs import JobStore, Upload, media_type
from clusterkg.validation import Issue


@strawberry.enum(description="What a background job does.")
class JobKind(enum.Enum):
    EVENT = "event"
    EXCHANGES = "exchanges"
    CONSORTIUM = "consortium"


@strawberry.enum(
    description="Where a job is: QUEUED, RUNNING, DONE, FAILED, or INTERRUPTED (the server stopped while it ran)."
)
class JobStatus(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@strawberry.input(
    description="A file from the user's machine: its name (the suffix picks the reader: .csv, .xlsx, .json) and its bytes in base64."
)
class UploadedFile:
    filename: str
    base64: str

    def upload(self) -> Upload:
        try:
            return Upload(self.filename, base64.b64decode(self.base64, validate=True))
        except (binascii.Error, ValueError):
            raise ClusterKGError(f"{self.filename}: the content is not base64") from None


@strawberry.type(description="A file a job handed out.")
class JobFile:
    name: str
    media_type: str


@strawberry.type(description="A background matching job and, when done, its results.")
class Job:
    id: strawberry.ID
    kind: JobKind
    title: str
    status: JobStatus
    progress: float = strawberry.field(description="0 to 1; while running, estimated from the solver's time limit.")
    message: str
    created: str
    started: str | None
    finished: str | None
    synthetic: bool
    inputs: list[str]
    parameters: JSON
    summary: JSON = strawberry.field(description="The job's figures (as in the CLI's report.json).")
    solver: SolveSummary | None
    issues: list[InputIssue] = strawberry.field(description="Warnings of a finished job; the errors of a failed one.")
    files: list[JobFile]
    result: JSON = strawberry.field(
        description="What the page previews: meetings and attendees (event), assigned, unassigned and quotas "
        "(exchanges), or the proposals (consortium, as consortia.json)."
    )

    @strawberry.field(description="One of `files`, to download.", permission_classes=[AnalystOnly])
    async def file(self, info: Info, name: str) -> FileDownload:
        path = _jobs(info).file(str(self.id), name)
        content = await ctx(info).call(path.read_bytes)
        rows = content.count(b"\n") - 1 if name.endswith(".csv") else 0
        return FileDownload(
            filename=name, media_type=media_type(name), rows=max(rows, 0), base64=base64.b64encode(content).decode()
        )

    @classmethod
    def of(cls, job: JobRecord) -> Job:
        solver = (
            SolveSummary.of(SolveReport(**{k: v for k, v in job.solver.items() if k not in ("gap", "greedy_gap")}))
            if job.solver
            else None
        )
        return cls(
            id=strawberry.ID(job.id),
            kind=JobKind(job.kind),
            title=job.title,
            status=JobStatus(job.status),
            progress=job.progress,
            message=job.message,
            created=job.created,
            started=job.started,
            finished=job.finished,
            synthetic=job.synthetic,
            inputs=job.inputs,
            parameters=cast(JSON, job.parameters),
            summary=cast(JSON, job.summary),
            solver=solver,
            issues=[InputIssue.of(Issue(**i)) for i in job.issues],
            files=[JobFile(name=name, media_type=media_type(name)) for name in job.files],
            result=cast(JSON, job.result),
        )


@strawberry.type(description="A job queued, or the issues that stopped it before anything ran.")
class JobStarted:
    job: Job | None
    issues: list[InputIssue]


@strawberry.input(description="A B2B meeting schedule from an uploaded attendee file (docs/formats.md).")
class EventJobInput(EventOptions):
    attendees: UploadedFile
    name: str = "B2B meetings"


@strawberry.input(description="A ClusterXchange assignment from uploaded applicant and host files (docs/formats.md).")
class ExchangeJobInput:
    applicants: UploadedFile
    hosts: UploadedFile
    sme_share: float = default(ExchangeSettings, "sme_share")
    outside_share: float = default(ExchangeSettings, "outside_share")
    time_limit_seconds: float = default(ExchangeSettings, "time_limit_s")


def _jobs(info: Info) -> JobStore:
    jobs = ctx(info).jobs
    if jobs is None:
        raise ClusterKGError("this server keeps no background jobs (it was started without a data dir for them)")
    return jobs


async def _start(info: Info, submit: Callable[[], JobRecord]) -> JobStarted:
    try:
        job = await ctx(info).call(submit)
    except InvalidInput as exc:
        return JobStarted(job=None, issues=[InputIssue.of(i) for i in exc.issues])
    return JobStarted(job=Job.of(job), issues=[])


async def start_event_job(info: Info, input: EventJobInput) -> JobStarted:
    jobs = _jobs(info)
    settings = event_settings(info, input, ctx(info).settings.max_job_seconds)
    upload = input.attendees.upload()
    return await _start(info, lambda: jobs.submit_event(upload, settings, input.name.strip() or "B2B meetings"))


async def start_exchange_job(info: Info, input: ExchangeJobInput) -> JobStarted:
    jobs = _jobs(info)
    settings = ExchangeSettings(
        sme_share=input.sme_share,
        outside_share=input.outside_share,
        time_limit_s=solver_seconds(info, input.time_limit_seconds, ctx(info).settings.max_job_seconds),
    )
    applicants, hosts = input.applicants.upload(), input.hosts.upload()
    return await _start(info, lambda: jobs.submit_exchanges(applicants, hosts, settings))


async def start_consortium_job(info: Info, input: ConsortiumInput) -> JobStarted:
    jobs = _jobs(info)
    request = consortium_request(info, input, ctx(info).settings.max_job_seconds)
    return await _start(info, lambda: jobs.submit_consortium(request))


async def list_jobs(info: Info) -> list[Job]:
    jobs = _jobs(info)
    return [Job.of(j) for j in await ctx(info).call(jobs.list)]


async def get_job(info: Info, job_id: str) -> Job:
    jobs = _jobs(info)
    return Job.of(await ctx(info).call(lambda: jobs.get(job_id)))


async def delete_job(info: Info, job_id: str) -> bool:
    jobs = _jobs(info)
    await ctx(info).call(lambda: jobs.delete(job_id))
    return True
