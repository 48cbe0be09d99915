"""Sign-in to the explorer through the deployment's OpenID Connect provider (EU Login speaks OIDC), with Authlib.

    CLUSTERKG_OIDC_ISSUER         the provider's issuer URL (its /.well-known/openid-configuration is read)
    CLUSTERKG_OIDC_CLIENT_ID      this deployment's client id at the provider
    CLUSTERKG_OIDC_CLIENT_SECRET  and its secret
    CLUSTERKG_OIDC_NAME           what the sign-in button says (default "your organisation's sign-in")

The authorisation code flow with PKCE: /auth/login sends the browser to the
provider, /auth/callback takes the code back, checks the ID token (Authlib:
signature, issuer, audience, nonce) and maps its subject to an account. An
account is made by an admin (`clusterkg users add EMAIL`): the first sign-in
of an e-mail address the provider says is verified binds the provider's
subject to that account, and later sign-ins go by the subject alone. Nobody
gets an account by signing in. The state and the PKCE verifier travel in a
signed cookie session (starlette's SessionMiddleware, key in the data dir).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from anyio import to_thread
from authlib.integrations.starlette_client import OAuth, OAuthError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from clusterkg.accounts.principal import Account
from clusterkg.accounts.store import AccountStore
from clusterkg.errors import ConfigError
from clusterkg.web.auth import SESSION_HOURS, start_session
from clusterkg.web.security import SESSION_COOKIE

SESSION_KEY_FILE = "session.key"


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    name: str = "your organisation's sign-in"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OidcSettings | None:
        env = os.environ if env is None else env
        issuer = env.get("CLUSTERKG_OIDC_ISSUER", "").strip().rstrip("/")
        if not issuer:
            return None
        client_id = env.get("CLUSTERKG_OIDC_CLIENT_ID", "").strip()
        client_secret = env.get("CLUSTERKG_OIDC_CLIENT_SECRET", "").strip()
        if not client_id or not client_secret:
            raise ConfigError(
                "CLUSTERKG_OIDC_ISSUER is set: CLUSTERKG_OIDC_CLIENT_ID and CLUSTERKG_OIDC_CLIENT_SECRET are needed too"
            )
        if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ConfigError(f"CLUSTERKG_OIDC_ISSUER must be an https URL (or on this machine), not '{issuer}'")
        name = env.get("CLUSTERKG_OIDC_NAME", "").strip() or cls.name
        return cls(issuer, client_id, client_secret, name)


def session_secret(data_dir: Path) -> str:
    """The key that signs the sign-in's cookie session: made once per data dir (owner-only), shared by the workers."""
    path = data_dir / SESSION_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class OidcSignIn:
    """The provider as Authlib's client, and what a verified identity maps to."""

    def __init__(self, settings: OidcSettings) -> None:
        self.name = settings.name
        self.oauth = OAuth()
        self.oauth.register(
            name="provider",
            server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            client_kwargs={
                "scope": "openid email",
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_post",
            },
        )

    @property
    def client(self) -> Any:
        return self.oauth.create_client("provider")


def account_for(accounts: AccountStore, claims: Mapping[str, Any]) -> Account | None:
    """The account a verified identity signs in as: by its subject, or by a verified e-mail the first time."""
    subject = str(claims.get("sub") or "")
    if not subject:
        return None
    found = accounts.by_subject(subject)
    if found is None:
        email = str(claims.get("email") or "")
        if not email or claims.get("email_verified") is False:
            return None
        found = accounts.by_email(email)
        if found is None or (found.oidc_subject and found.oidc_subject != subject):
            return None
        accounts.bind_subject(found.id, subject)
    return found if found.active else None


def _back_to_signin(**params: str) -> RedirectResponse:
    return RedirectResponse("/signin?" + urlencode(params), status_code=303)


async def login(request: Request) -> Response:
    sign_in: OidcSignIn | None = getattr(request.app.state, "oidc", None)
    if sign_in is None:
        return _back_to_signin(error="This server has no identity provider: sign in with a token.")
    redirect: Response = await sign_in.client.authorize_redirect(request, str(request.url_for("oidc_callback")))
    return redirect


async def callback(request: Request) -> Response:
    sign_in: OidcSignIn | None = getattr(request.app.state, "oidc", None)
    if sign_in is None:
        return _back_to_signin(error="This server has no identity provider: sign in with a token.")
    try:
        token = await sign_in.client.authorize_access_token(request)
    except OAuthError as exc:
        return _back_to_signin(error=f"The sign-in did not complete: {exc.description or exc.error}")
    claims = dict(token.get("userinfo") or {})  # the ID token's claims, checked by Authlib
    if "email" not in claims:  # many providers put the e-mail in the userinfo answer only
        try:
            extra = await sign_in.client.userinfo(token=token)
        except (OAuthError, ValueError) as exc:
            return _back_to_signin(error=f"The provider did not say who you are: {exc}")
        if str(extra.get("sub")) == str(claims.get("sub")):  # the same person, or nothing from it
            claims.update({k: v for k, v in extra.items() if k in ("email", "email_verified")})
    accounts: AccountStore = request.app.state.accounts
    account = await to_thread.run_sync(account_for, accounts, claims)
    if account is None:
        who = claims.get("email") or claims.get("sub") or "this identity"
        return _back_to_signin(
            error=f"No clusterkg account for {who}: ask an admin to run `clusterkg users add {who}`."
        )
    session = await to_thread.run_sync(start_session, accounts, account.id)
    response = RedirectResponse("/signin", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session,
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",  # the provider's redirect back is a cross-site navigation: Strict would drop it
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


def oidc_routes() -> list[Route]:
    return [Route("/auth/login", login), Route("/auth/callback", callback, name="oidc_callback")]
