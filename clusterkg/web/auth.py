"""Who a web request speaks for: a bearer token (`Authorization: Bearer ckg_…`) or the explorer's session cookie.

The explorer signs in with a token pasted once, or through the deployment's
identity provider (clusterkg.web.oidc); either way the browser then holds an
HttpOnly session cookie, never the token itself in script-readable storage.
A cookie can ride along on a cross-site request, so the routes that write
with it are JSON POSTs (a cross-site form cannot send one; another origin
needs a CORS preflight that only CLUSTERKG_CORS_ORIGINS pass) and the sign-in
form checks the Origin header.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clusterkg.accounts.principal import PUBLIC, Principal
from clusterkg.accounts.store import AccountStore
from clusterkg.validation import load_json
from clusterkg.web.security import SESSION_COOKIE, bearer_token


def principal_of(request: Request) -> Principal:
    """The account behind the request's token or session cookie; the public when there is none (or it is not valid)."""
    accounts: AccountStore | None = getattr(request.app.state, "accounts", None)
    if accounts is None:
        return PUBLIC
    token = bearer_token(request.headers)
    if token is not None and token.startswith("ckg_"):
        return accounts.principal(token) or PUBLIC
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return accounts.principal(session, via="session") or PUBLIC
    return PUBLIC


SESSION_HOURS = 8


def _session_response(body: dict[str, Any], token: str | None, *, secure: bool) -> JSONResponse:
    response = JSONResponse(body)
    if token is None:
        response.delete_cookie(SESSION_COOKIE, path="/")
    else:
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=SESSION_HOURS * 3600,
            httponly=True,
            samesite="strict",
            secure=secure,
            path="/",
        )
    return response


def start_session(accounts: AccountStore, account_id: str) -> str:
    """A session token for the explorer (expires in SESSION_HOURS; revoked by sign-out)."""
    return accounts.new_token(account_id, kind="session", hours=SESSION_HOURS).text


async def session(request: Request) -> JSONResponse:
    """POST /auth/session {"token": "ckg_…"}: sign the explorer in with an account's token (kept as an HttpOnly cookie)."""
    accounts: AccountStore = request.app.state.accounts
    try:
        body = load_json(await request.body() or b"{}")
    except ValueError as exc:
        return JSONResponse({"error": {"code": "BAD_REQUEST", "message": str(exc)}}, status_code=400)
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token.strip():
        return JSONResponse({"error": {"code": "BAD_REQUEST", "message": 'send {"token": "ckg_…"}'}}, status_code=400)
    principal = await to_thread.run_sync(accounts.principal, token.strip())
    if principal is None or principal.account is None:
        return JSONResponse(
            {"error": {"code": "UNAUTHENTICATED", "message": "that token is not valid (unknown, revoked or mistyped)"}},
            status_code=401,
        )
    account = principal.account
    text = await to_thread.run_sync(start_session, accounts, account.id)
    return _session_response({"email": account.email}, text, secure=request.url.scheme == "https")


async def sign_out(request: Request) -> JSONResponse:
    """POST /auth/logout: end the explorer's session (its token is revoked, not only forgotten)."""
    accounts: AccountStore = request.app.state.accounts
    current = request.cookies.get(SESSION_COOKIE)
    if current:
        await to_thread.run_sync(accounts.end_session, current)
    return _session_response({"signed_out": True}, None, secure=request.url.scheme == "https")


async def providers(request: Request) -> JSONResponse:
    """GET /auth/providers: the identity provider the sign-in page offers, if the deployment has one."""
    oidc = getattr(request.app.state, "oidc", None)
    return JSONResponse({"oidc": oidc.name if oidc is not None else None})


def auth_routes() -> list[Route]:
    return [
        Route("/auth/session", session, methods=["POST"]),
        Route("/auth/logout", sign_out, methods=["POST"]),
        Route("/auth/providers", providers),
    ]
