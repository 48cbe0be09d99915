"""The read position a client carries between requests, when `serve` reads from replicas (clusterkg.graph.replicas).

Each answer says how new a graph it was read from or written to
(`X-Clusterkg-Position`, a Redis replication offset); a client that sends it
back is never answered from an older copy, whichever worker or replica takes
the next request. Without replicas the header is neither read nor written.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clusterkg.graph.replicas import ReplicatedStore, required_position

HEADER = "x-clusterkg-position"


class ReadPosition:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        store = getattr(scope["app"].state, "store", None) if scope["type"] == "http" else None
        if not isinstance(store, ReplicatedStore):
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(HEADER.encode(), b"").decode("latin-1").strip()
        token = required_position.set(int(given) if given.isdigit() else 0)

        async def send_with_position(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = str(store.position())
            await send(message)

        try:
            await self.app(scope, receive, send_with_position)
        finally:
            required_position.reset(token)
