"""Sign-in to the explorer through a real OpenID Connect provider (npm oidc-provider, started here on loopback).

The browser goes to the provider, signs in on its login screen, consents, and
comes back signed in as the account whose verified e-mail the provider gave;
an identity with no account is told so, and gets nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from clusterkg.accounts.store import AccountStore
from clusterkg.graph.process import free_port
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from clusterkg.web.oidc import OidcSettings
from tests.conftest import drop, reference_graph

PROVIDER = Path(__file__).resolve().parent.parent / "tools" / "oidc-provider"
READY = "body[data-ready=true]"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (PROVIDER / "node_modules" / "oidc-provider").is_dir(),
    reason="node or tools/oidc-provider/node_modules is missing: `make test` runs npm ci there",
)


@pytest.fixture(scope="module")
def deployment(server, reference_data, tmp_path_factory):
    """The app on one port, the provider on another, each knowing the other's address."""
    app_port, provider_port = free_port(), free_port()
    redirect = f"http://127.0.0.1:{app_port}/auth/callback"
    provider = subprocess.Popen(
        ["node", "server.mjs", str(provider_port), redirect, "clusterkg-test", "test-secret"],
        cwd=PROVIDER,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    issuer = f"http://127.0.0.1:{provider_port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert provider.poll() is None and time.monotonic() < deadline, (
            provider.stderr.read() if provider.stderr else ""
        )
        time.sleep(0.1)
    store = reference_graph(server, reference_data, "oidc")
    data_dir = tmp_path_factory.mktemp("oidc-data")
    app = create_app(
        settings=Settings(data_dir=data_dir),
        store=store,
        oidc_settings=OidcSettings(issuer, "clusterkg-test", "test-secret", "the test provider"),
    )
    web = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=app_port, log_level="warning"))
    threading.Thread(target=web.run, daemon=True).start()
    while not web.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{app_port}", data_dir
    web.should_exit = True
    provider.terminate()
    provider.wait(timeout=10)
    drop(store)


def _sign_in_at_the_provider(page, base: str, login: str) -> None:
    page.goto(base + "/signin")
    page.wait_for_selector(READY)
    page.click("#oidc-login")
    page.wait_for_selector("input[name=login]", timeout=30_000)  # the provider's own login screen
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password: the development screen takes any")
    page.click("button[type=submit]")
    page.wait_for_selector("button[type=submit]", timeout=30_000)  # its consent screen
    page.click("button[type=submit]")
    page.wait_for_url(base + "/signin*", timeout=30_000)
    page.wait_for_selector(READY)


def test_a_verified_identity_signs_in_as_its_account_and_binds_its_subject(browser, deployment):
    base, data_dir = deployment
    accounts = AccountStore(data_dir)
    account, _ = accounts.add("manager@example.org", ["editor"], ["syn-c000000"])
    context = browser.new_context()
    try:
        page = context.new_page()
        _sign_in_at_the_provider(page, base, "manager")  # the provider says manager@example.org, verified
        assert "Signed in as manager@example.org" in page.text_content("#signed-in")
        assert page.text_content("#account") == "manager@example.org"
        cookie = next(c for c in context.cookies() if c["name"] == "clusterkg_session")
        assert cookie["httpOnly"] and cookie["value"].startswith("ckg_")
        me = httpx.post(
            base + "/graphql", json={"query": "{ me { email roles } }"}, cookies={"clusterkg_session": cookie["value"]}
        ).json()
        assert me["data"]["me"] == {"email": "manager@example.org", "roles": ["editor"]}
    finally:
        context.close()
    assert accounts.get(account.id).oidc_subject == "manager", "the provider's subject is bound to the account"


def test_an_identity_without_an_account_is_told_and_gets_nothing(browser, deployment):
    base, _ = deployment
    context = browser.new_context()
    try:
        page = context.new_page()
        _sign_in_at_the_provider(page, base, "stranger")
        assert "No clusterkg account for stranger@example.org" in page.text_content("#signin-error")
        assert page.text_content("#account") == "Sign in"
        assert not [c for c in context.cookies() if c["name"] == "clusterkg_session"]
    finally:
        context.close()
