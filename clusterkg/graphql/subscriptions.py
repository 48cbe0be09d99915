"""Live updates over WebSocket (the graphql-transport-ws protocol): a job's progress to its end, new interests in
your postings, and the changes of a posting you follow.

The same schema, limits and roles as queries. A connection speaks for the account whose token it sends in
`connection_init` (`{"Authorization": "Bearer ckg_…"}`), and for the public without one; a browser's
session cookie is not taken, so a page of another site cannot subscribe in a visitor's name. Updates are
read from the stores every POLL_S (jobs run in other threads or processes, postings change through any
worker); an update is sent only when something changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from clusterkg.errors import ClusterKGError
from clusterkg.graphql import jobs as job_api
from clusterkg.graphql.errors import coded
from clusterkg.graphql.permissions import AnalystOnly
from clusterkg.graphql.postings import Interest, Posting, _private
from clusterkg.graphql.types import ctx
from clusterkg.postings import interests as interest_flow
from clusterkg.postings import service

POLL_S = 0.25
FINISHED = ("done", "failed", "interrupted")


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="A background job's status and progress, each time they change, until it has finished (analysts).",
        permission_classes=[AnalystOnly],
    )
    async def job_progress(self, info: Info, id: strawberry.ID) -> AsyncGenerator[job_api.Job, None]:
        last = None
        while True:
            try:
                job = await job_api.get_job(info, str(id))
            except ClusterKGError as exc:
                raise coded(exc) from None
            state = (job.status, job.progress, job.message)
            if state != last:
                last = state
                yield job
            if job.status.value in FINISHED:
                return
            await asyncio.sleep(POLL_S)

    @strawberry.subscription(description="Each new interest in the postings of the clusters you edit (signed in).")
    async def new_interests(self, info: Info) -> AsyncGenerator[Interest, None]:
        context = ctx(info)
        try:
            context.principal.require()
        except ClusterKGError as exc:
            raise coded(exc) from None
        private = _private(info)
        seen = {
            i.id for i, _ in await context.call(lambda: interest_flow.inbox(context.store, private, context.principal))
        }
        while True:
            await asyncio.sleep(POLL_S)
            found = await context.call(lambda: interest_flow.inbox(context.store, private, context.principal))
            for interest, title in reversed(found):  # oldest first
                if interest.id not in seen:
                    seen.add(interest.id)
                    yield Interest.of(interest, title)

    @strawberry.subscription(description="A posting each time it changes (its revision), until it is closed.")
    async def posting_changes(self, info: Info, id: strawberry.ID) -> AsyncGenerator[Posting, None]:
        context = ctx(info)
        try:
            current = await context.call(lambda: service.get_posting(context.store, str(id), context.principal))
        except ClusterKGError as exc:
            raise coded(exc) from None
        revision = current.revision
        while current.status != "CLOSED":
            await asyncio.sleep(POLL_S)
            current = await context.call(lambda: service.get_posting(context.store, str(id), context.principal))
            if current.revision != revision:
                revision = current.revision
                yield Posting.of(current)
