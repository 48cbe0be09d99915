"""Fixtures: one real embedded FalkorDB server per test session.

Tests get their own graph on it (a fresh graph name each), so they are
isolated without paying a server start each; tests about the server's own
lifecycle start servers of their own in temporary data dirs.
"""

from __future__ import annotations

import uuid

import redis

import pytest

from clusterkg.graph.embedded import EmbeddedServer, ServerInfo
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.loaders.reference import ReferenceData, build_reference, load_reference
from clusterkg.schema import apply_schema


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> ServerInfo:
    embedded = EmbeddedServer(tmp_path_factory.mktemp("falkordb-session"))
    info = embedded.ensure_running()
    # The tests copy graphs with GRAPH.COPY, which forks; FalkorDB 4.16 cannot fork
    # while an AOF rewrite child runs ("Can't fork for module: File exists") and the
    # copy then never returns. No automatic rewrites on this throw-away server.
    redis.Redis(host=info.host, port=info.port, password=info.password).config_set("auto-aof-rewrite-percentage", 0)
    yield info
    embedded.stop()


def _store(info: ServerInfo, graph: str) -> FalkorDBStore:
    return FalkorDBStore(host=info.host, port=info.port, password=info.password, graph=graph)


@pytest.fixture()
def store(server: ServerInfo):
    """An empty graph of its own on the session server."""
    graph = f"test_{uuid.uuid4().hex[:12]}"
    s = _store(server, graph)
    yield s
    s.connection.execute_command("GRAPH.DELETE", graph) if s.connection.exists(graph) else None
    s.close()


@pytest.fixture(scope="session")
def reference_data() -> ReferenceData:
    return build_reference()


@pytest.fixture(scope="session")
def reference_template(server: ServerInfo, reference_data: ReferenceData):
    """A graph with schema, reference data and taxonomy, loaded once; tests copy it."""
    s = _store(server, f"template_{uuid.uuid4().hex[:12]}")
    load_reference(s, reference_data)
    yield s
    s.connection.execute_command("GRAPH.DELETE", s.graph_name)


@pytest.fixture()
def reference_copy(server: ServerInfo, reference_template):
    """A private copy of the reference graph (GRAPH.COPY: 0.14 s against 1.5 s to load it)."""
    graph = f"copy_{uuid.uuid4().hex[:12]}"
    reference_template.connection.execute_command("GRAPH.COPY", reference_template.graph_name, graph)
    s = _store(server, graph)
    yield s
    s.connection.execute_command("GRAPH.DELETE", graph)
    s.close()


def synthetic_graph(server: ServerInfo, template, directory, scale: str, prefix: str) -> FalkorDBStore:
    """A copy of the reference template with SYNTHETIC data of `scale` (seed 42) loaded; delete it after use."""
    from clusterkg.loaders.pipeline import load_directory
    from clusterkg.loaders.synthetic import generate

    store = _store(server, f"{prefix}_{uuid.uuid4().hex[:12]}")
    template.connection.execute_command("GRAPH.COPY", template.graph_name, store.graph_name)
    generate(scale, 42, directory)
    load_directory(store, directory)
    return store


@pytest.fixture(scope="module")
def xs_graph(server: ServerInfo, reference_template, tmp_path_factory):
    """Reference data + the xs synthetic data, shared by a module (read-only use)."""
    store = synthetic_graph(server, reference_template, tmp_path_factory.mktemp("xs"), "xs", "xs")
    yield store
    store.connection.execute_command("GRAPH.DELETE", store.graph_name)


@pytest.fixture(scope="module")
def reference_store(server: ServerInfo, reference_data: ReferenceData):
    """A graph with the schema and the reference data loaded, shared by a module (read-only use)."""
    graph = f"ref_{uuid.uuid4().hex[:12]}"
    s = _store(server, graph)
    apply_schema(s)
    load_reference(s, reference_data)
    yield s
    s.connection.execute_command("GRAPH.DELETE", graph)
    s.close()
