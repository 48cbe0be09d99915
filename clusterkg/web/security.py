"""Who may use what, and what every request must look like before it reaches a handler.

One ASGI middleware, `Guard`, runs its checks in this order, one method each,
and answers every refusal as JSON with a code (never a 500, never a plain-text page):

1. `check_host`: the Host header names this server (WebSettings.hosts): a DNS
   rebinding page on another name gets 400 BAD_HOST.
2. `check_origin`: the Cypher endpoints take requests from their own origin only
   (403 FORBIDDEN_ORIGIN), whatever the CORS setting; so does any POST that
   carries the explorer's session cookie (a cross-site write riding on it).
3. `check_role`: served beyond loopback, the Cypher endpoints need an analyst token
   (`Authorization: Bearer …`, 401 UNAUTHORIZED); GraphQL stays public, and its
   analyst-only fields check the same token (clusterkg.graphql.permissions).
4. `check_rate`: GraphQL requests per minute per client (429 RATE_LIMITED with Retry-After).
5. `check_body`: POST bodies are JSON for /graphql and /cypher/run (415
   UNSUPPORTED_MEDIA_TYPE): a cross-site form or `text/plain` POST cannot reach
   them, and a JSON POST from another origin needs a CORS preflight, which only
   CLUSTERKG_CORS_ORIGINS pass; and at most `max_body_bytes` (413 TOO_LARGE),
   counted again as the body streams in (a chunked request has no length to check).
"""

from __future__ import annotations

import hmac
import json
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clusterkg.settings import WebSettings

JSON_PATHS = ("/graphql", "/cypher/run", "/auth/session", "/auth/logout")  # POST bodies must be JSON
ANALYST_PREFIX = "/cypher"
SESSION_COOKIE = "clusterkg_session"  # the explorer's sign-in (clusterkg.web.auth)
RATE_LIMITED_PATHS = ("/graphql",)
MAX_CLIENTS_TRACKED = 10_000


def error_body(code: str, message: str, *, graphql: bool = False) -> bytes:
    """The JSON of a refusal: GraphQL's error shape on /graphql, {"error": {...}} elsewhere."""
    if graphql:
        return json.dumps({"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    return json.dumps({"error": {"code": code, "message": message}}).encode()


async def send_error(
    send: Send, status: int, code: str, message: str, *, graphql: bool = False, headers: dict[str, str] | None = None
) -> None:
    body = error_body(code, message, graphql=graphql)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def bearer_token(headers: Headers) -> str | None:
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def is_analyst(settings: WebSettings, headers: Headers) -> bool:
    """On loopback everyone is; beyond it, a request with one of the analyst tokens."""
    if not settings.public:
        return True
    token = bearer_token(headers)
    return token is not None and any(hmac.compare_digest(token, known) for known in settings.analyst_tokens)


class RateLimiter:
    """A token bucket per client: `per_minute` requests, refilled continuously, bursts up to a tenth of it."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(5.0, per_minute / 10.0)
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str, now: float | None = None) -> float:
        """0 if the request may go ahead, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        tokens, at = self.buckets.pop(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
        self.buckets[client] = (tokens - 1 if tokens >= 1 else tokens, now)
        while len(self.buckets) > MAX_CLIENTS_TRACKED:
            self.buckets.popitem(last=False)
        return wait


class Guard:
    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings
        self.hosts = {h.lower() for h in settings.hosts}
        self.limiter = RateLimiter(settings.rate_per_minute) if settings.rate_per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # a WebSocket answers to the same Host names (DNS rebinding); it never takes a cookie (subscriptions.py)
            if self.check_host(Checked(scope, Headers(scope=scope), scope["path"])) is not None:
                await send({"type": "websocket.close", "code": 1008})
                return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Checked(scope, Headers(scope=scope), scope["path"])
        refuse = _refusal(send, request.path == "/graphql")
        for check in (self.check_host, self.check_origin, self.check_role, self.check_rate, self.check_body):
            refusal = check(request)
            if refusal is not None:
                await refuse(refusal.status, refusal.code, refusal.message, refusal.headers)
                return
        if scope["method"] == "POST":
            receive = _limited(receive, self.settings.max_body_bytes)
        try:
            await self.app(scope, receive, send)
        except BodyTooLarge:
            await refuse(413, "TOO_LARGE", self._too_large())

    def check_host(self, request: Checked) -> Refusal | None:
        host = _hostname(request.headers.get("host", ""))
        if host not in self.hosts:
            return Refusal(
                400, "BAD_HOST", f"this server does not answer to the host '{host}' (CLUSTERKG_ALLOWED_HOSTS)"
            )
        return None

    def check_origin(self, request: Checked) -> Refusal | None:
        origin = request.headers.get("origin")
        own = f"{request.scope.get('scheme', 'http')}://{request.headers.get('host', '')}"
        if origin is None or origin.rstrip("/") == own:
            return None
        if request.analyst_path:
            return Refusal(403, "FORBIDDEN_ORIGIN", "the Cypher endpoints answer requests from their own pages only")
        if request.scope["method"] == "POST" and f"{SESSION_COOKIE}=" in request.headers.get("cookie", ""):
            # the cookie is SameSite=Strict already; this holds where a browser or a proxy does not honour it
            return Refusal(
                403,
                "FORBIDDEN_ORIGIN",
                "a request signed in with this site's session cookie is answered for this site's own pages only",
            )
        return None

    def check_role(self, request: Checked) -> Refusal | None:
        if request.analyst_path and request.path != ANALYST_PREFIX and not is_analyst(self.settings, request.headers):
            return Refusal(
                401,
                "UNAUTHORIZED",
                "this server needs an analyst token for Cypher: send Authorization: Bearer <token>",
                {"WWW-Authenticate": 'Bearer realm="clusterkg analyst"'},
            )
        return None

    def check_rate(self, request: Checked) -> Refusal | None:
        if self.limiter is None or request.path not in RATE_LIMITED_PATHS or request.scope["method"] == "OPTIONS":
            return None
        client = (request.scope.get("client") or ("unknown", 0))[0]
        wait = self.limiter.take(client)
        if wait > 0:
            return Refusal(
                429,
                "RATE_LIMITED",
                f"too many requests from {client}: at most {self.settings.rate_per_minute} a minute",
                {"Retry-After": str(math.ceil(wait))},
            )
        return None

    def check_body(self, request: Checked) -> Refusal | None:
        if request.scope["method"] != "POST":
            return None
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.path in JSON_PATHS and media_type != "application/json":
            return Refusal(415, "UNSUPPORTED_MEDIA_TYPE", "send the request as JSON (Content-Type: application/json)")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.settings.max_body_bytes):
            return Refusal(413, "TOO_LARGE", self._too_large())
        return None

    def _too_large(self) -> str:
        return f"the request body is larger than {self.settings.max_body_bytes:,} bytes"


@dataclass(frozen=True)
class Checked:
    """The parts of a request the checks read."""

    scope: Scope
    headers: Headers
    path: str

    @property
    def analyst_path(self) -> bool:
        return self.path == ANALYST_PREFIX or self.path.startswith(ANALYST_PREFIX + "/")


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str
    headers: dict[str, str] | None = None


class BodyTooLarge(Exception):
    pass


def _limited(receive: Receive, limit: int) -> Receive:
    """Count the body as it streams in (a chunked request has no Content-Length to check)."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
        return message

    return counted


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _refusal(send: Send, graphql: bool) -> Callable[..., Awaitable[None]]:
    async def refuse(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        await send_error(send, status, code, message, graphql=graphql, headers=headers)

    return refuse


def describe(settings: WebSettings) -> list[str]:
    """What the serve command prints about access."""
    lines = []
    if settings.public:
        lines.append(
            f"served beyond this machine ({settings.bind_host}): GraphQL public and read-only; /cypher and the matching jobs need one of "
            f"{len(settings.analyst_tokens)} analyst token(s)"
        )
    else:
        lines.append("served on loopback: everything open to this machine")
    if settings.cors_origins:
        lines.append(f"CORS: /graphql may be called from {', '.join(settings.cors_origins)}")
    if settings.rate_per_minute:
        lines.append(f"rate limit: {settings.rate_per_minute} GraphQL requests a minute per client")
    return lines
