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

from starlette.requests import Request

from clusterkg.accounts.principal import PUBLIC, Principal
from clusterkg.accounts.store import AccountStore
from clusterkg.web.security import bearer_token

SESSION_COOKIE = "clusterkg_session"


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
