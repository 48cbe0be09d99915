"""The same data, queries and API on Neo4j 5 (testcontainers), compared with the embedded FalkorDB.

Runs wherever a Docker engine is reachable; elsewhere (as on the project's
build machines) the whole module is skipped with the reason. The Neo4j side
of every text is also checked offline in test_cypher_dialects.py, which runs
everywhere.
"""

from __future__ import annotations

import json

import pytest

from clusterkg import queries
from clusterkg.errors import QueryError, ReadOnlyViolation
from clusterkg.loaders.pipeline import load_directory
from clusterkg.loaders.reference import load_reference
from clusterkg.loaders.synthetic import generate
from clusterkg.schema import NODE_TYPES, apply_schema, schema_version
from tests.conftest import drop, reference_graph

SCORE_DEPENDS_ON_ENGINE = {"search_fulltext"}  # full-text scores are engine-specific (ENGINES.md §2)


def _docker_unavailable() -> str | None:
    try:
        import docker

        docker.from_env().ping()
    except Exception as exc:  # any failure means: no engine to start Neo4j in
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"no Docker engine reachable to start Neo4j 5 with testcontainers ({first_line})"
    return None


REASON = _docker_unavailable()
pytestmark = [pytest.mark.neo4j, pytest.mark.skipif(REASON is not None, reason=REASON or "")]


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("xs")
    generate("xs", 42, directory)
    return directory


@pytest.fixture(scope="module")
def neo4j_store(reference_data, synthetic_dir):
    from testcontainers.neo4j import Neo4jContainer

    from clusterkg.graph.neo4j_store import Neo4jStore

    with Neo4jContainer("neo4j:5") as container:
        store = Neo4jStore(uri=container.get_connection_url(), username=container.username, password=container.password)
        load_reference(store, reference_data)
        reports = load_directory(store, synthetic_dir)
        assert all(r.written and not r.errors for r in reports)
        yield store
        store.close()


@pytest.fixture(scope="module")
def falkordb_twin(server, reference_data, synthetic_dir):
    store = reference_graph(server, reference_data, "twin")
    load_directory(store, synthetic_dir)
    yield store
    drop(store)


def _label_counts(store) -> dict[str, int]:
    return {r["label"]: r["count"] for r in queries.run(store, "count_nodes_by_label").rows}


def _canonical(rows: list[dict]) -> list[str]:
    """Rows as sorted JSON: engines may order unordered results differently, and return 2 or 2.0."""

    def normal(value):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, float):
            return round(value, 9)
        if isinstance(value, dict):
            return {k: normal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [normal(v) for v in value]
        return value

    return sorted(json.dumps(normal(r), sort_keys=True, default=str) for r in rows)


def test_schema_is_applied_idempotently(neo4j_store):
    found = {(i.label, i.properties, i.kind) for i in neo4j_store.indexes()}
    for node_type in NODE_TYPES:
        assert (node_type.label, (node_type.key,), "unique") in found
    assert apply_schema(neo4j_store).created == []
    assert schema_version(neo4j_store) is not None


def test_loads_match_falkordb_and_reload_changes_nothing(neo4j_store, falkordb_twin, reference_data, synthetic_dir):
    assert _label_counts(neo4j_store) == _label_counts(falkordb_twin)
    stats = load_reference(neo4j_store, reference_data).stats
    reports = load_directory(neo4j_store, synthetic_dir)
    assert stats.nodes_created == stats.relationships_created == 0
    assert sum(r.stats.nodes_created + r.stats.relationships_created for r in reports) == 0


def test_every_library_query_gives_the_same_rows_on_both_engines(neo4j_store, falkordb_twin):
    for query in queries.library().values():
        for labels in query.label_combinations():
            on_neo4j = queries.run(neo4j_store, query.name, query.example, labels=labels).rows
            on_falkordb = queries.run(falkordb_twin, query.name, query.example, labels=labels).rows
            if query.name in SCORE_DEPENDS_ON_ENGINE:
                assert {r["id"] for r in on_neo4j} and {r["id"] for r in on_falkordb}, query.name
                continue
            assert _canonical(on_neo4j) == _canonical(on_falkordb), (query.name, labels)


def test_partner_search_through_graphql_is_the_same_on_both_engines(neo4j_store, falkordb_twin):
    from starlette.testclient import TestClient

    from clusterkg.web.app import create_app

    query = """query($id: ID!) { partnerSearch(input: {seekerId: $id, first: 20}) {
        score partner { ... on Cluster { id } } explanation { needFit { sought { id } offered { id } } ties } } }"""
    seekers = [r["id"] for r in falkordb_twin.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 10").rows]
    results = {}
    for name, store in (("neo4j", neo4j_store), ("falkordb", falkordb_twin)):
        with TestClient(create_app(store=store)) as client:
            results[name] = [client.post("/graphql", json={"query": query, "variables": {"id": s}}).json() for s in seekers]
    for on_neo4j, on_falkordb in zip(results["neo4j"], results["falkordb"]):
        assert "errors" not in on_neo4j, on_neo4j
        neo4j_matches, falkordb_matches = on_neo4j["data"]["partnerSearch"], on_falkordb["data"]["partnerSearch"]
        assert [m["partner"]["id"] for m in neo4j_matches] == [m["partner"]["id"] for m in falkordb_matches]
        for a, b in zip(neo4j_matches, falkordb_matches):
            assert abs(a["score"] - b["score"]) < 1e-9 and a["explanation"] == b["explanation"]


def test_reads_are_read_only_and_plan_prefixes_refused(neo4j_store):
    with pytest.raises(ReadOnlyViolation):
        neo4j_store.read("CREATE (:ShouldNotExist)")
    with pytest.raises(QueryError):
        neo4j_store.read("EXPLAIN MATCH (n) RETURN n")
    assert neo4j_store.explain("EXPLAIN MATCH (n) RETURN n").lines
    assert neo4j_store.read("MATCH (n:ShouldNotExist) RETURN count(n) AS c").scalar() == 0
