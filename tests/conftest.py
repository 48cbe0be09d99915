"""Fixtures: one real embedded FalkorDB server per test session.

Tests get their own graph on it (a fresh graph name each), so they are
isolated without paying a server start each; tests about the server's own
lifecycle start servers of their own in temporary data dirs.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

from clusterkg.graph import embedded_server
from clusterkg.graph.embedded import ServerInfo
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.loaders.reference import ReferenceData, build_reference, load_reference
from clusterkg.settings import Settings


def pytest_configure(config) -> None:
    # starlette's TestClient sends `Host: testserver`; the apps under test answer to it (and still refuse any other host)
    os.environ.setdefault("CLUSTERKG_ALLOWED_HOSTS", "testserver")
    # apps made without settings keep their background jobs here, not in the checkout's ./data
    os.environ.setdefault("CLUSTERKG_DATA_DIR", tempfile.mkdtemp(prefix="clusterkg-test-data-"))


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> ServerInfo:
    # the server clusterkg starts in production, settings and all (effects-logged AOF, memory cap per query)
    embedded = embedded_server(Settings(data_dir=tmp_path_factory.mktemp("falkordb-session")))
    info = embedded.ensure_running()
    yield info
    embedded.stop()


def _store(info: ServerInfo, graph: str) -> FalkorDBStore:
    return FalkorDBStore(host=info.host, port=info.port, password=info.password, graph=graph)


@pytest.fixture()
def store(server: ServerInfo):
    """An empty graph of its own on the session server."""
    s = _store(server, f"test_{uuid.uuid4().hex[:12]}")
    yield s
    drop(s)


@pytest.fixture(scope="session")
def reference_data() -> ReferenceData:
    return build_reference()


def reference_graph(server: ServerInfo, reference: ReferenceData, prefix: str) -> FalkorDBStore:
    """A new graph with the schema, reference data and taxonomy; delete it after use.

    Loaded afresh each time (0.35 s). GRAPH.COPY would be quicker, but it forks
    from a FalkorDB worker thread, and a copy made while another thread held the
    allocator hung the CI run for its 90 minutes: never copy graphs in tests.
    """
    store = _store(server, f"{prefix}_{uuid.uuid4().hex[:12]}")
    load_reference(store, reference)
    return store


def drop(store: FalkorDBStore) -> None:
    """Delete a test graph and close its connection."""
    if store.connection.exists(store.graph_name):
        store.connection.execute_command("GRAPH.DELETE", store.graph_name)
    store.close()


@pytest.fixture()
def reference_copy(server: ServerInfo, reference_data: ReferenceData):
    """A private graph with the reference data, for tests that write."""
    store = reference_graph(server, reference_data, "ref")
    yield store
    drop(store)


def synthetic_graph(server: ServerInfo, reference: ReferenceData, directory, scale: str, prefix: str) -> FalkorDBStore:
    """A graph with the reference data and SYNTHETIC data of `scale` (seed 42); delete it after use."""
    from clusterkg.loaders.pipeline import load_directory
    from clusterkg.loaders.synthetic import generate

    store = reference_graph(server, reference, prefix)
    generate(scale, 42, directory)
    load_directory(store, directory)
    return store


@pytest.fixture(scope="module")
def xs_graph(server: ServerInfo, reference_data: ReferenceData, tmp_path_factory):
    """Reference data + the xs synthetic data, shared by a module (read-only use)."""
    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("xs"), "xs", "xs")
    yield store
    drop(store)


@pytest.fixture(scope="module")
def reference_store(server: ServerInfo, reference_data: ReferenceData):
    """A graph with the schema and the reference data loaded, shared by a module (read-only use)."""
    store = reference_graph(server, reference_data, "refmod")
    yield store
    drop(store)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright (never Playwright's own browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (.ci/run installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
