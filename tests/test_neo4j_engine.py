"""The same schema, reference-load and query tests on Neo4j 5, via testcontainers.

Runs wherever a Docker engine is reachable; elsewhere (as on the project's
build machines) the whole module is skipped with the reason.
"""

from __future__ import annotations

import pytest

from clusterkg import queries
from clusterkg.errors import QueryError, ReadOnlyViolation
from clusterkg.loaders.reference import load_reference
from clusterkg.schema import NODE_TYPES, apply_schema, schema_version


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
def neo4j_store():
    from testcontainers.neo4j import Neo4jContainer

    from clusterkg.graph.neo4j_store import Neo4jStore

    with Neo4jContainer("neo4j:5") as container:
        store = Neo4jStore(uri=container.get_connection_url(), username=container.username, password=container.password)
        yield store
        store.close()


def _label_counts(store) -> dict[str, int]:
    return {r["label"]: r["count"] for r in queries.run(store, "count_nodes_by_label").rows}


def test_schema_is_applied_idempotently(neo4j_store):
    apply_schema(neo4j_store)
    found = {(i.label, i.properties, i.kind) for i in neo4j_store.indexes()}
    for node_type in NODE_TYPES:
        assert (node_type.label, (node_type.key,), "unique") in found
    assert apply_schema(neo4j_store).created == []
    assert schema_version(neo4j_store) is not None


def test_reference_load_matches_falkordb(neo4j_store, reference_store, reference_data):
    load_reference(neo4j_store, reference_data)
    first = _label_counts(neo4j_store)
    assert first == _label_counts(reference_store)
    stats = load_reference(neo4j_store, reference_data).stats
    assert stats.nodes_created == 0 and stats.relationships_created == 0
    assert _label_counts(neo4j_store) == first


def test_every_library_query_gives_the_same_rows_on_both_engines(neo4j_store, reference_store, reference_data):
    load_reference(neo4j_store, reference_data)
    for query in queries.library().values():
        if query.mode != "read":
            continue
        on_neo4j = queries.run(neo4j_store, query.name, query.example).rows
        on_falkordb = queries.run(reference_store, query.name, query.example).rows
        assert on_neo4j == on_falkordb, query.name


def test_reads_are_read_only_and_plan_prefixes_refused(neo4j_store):
    with pytest.raises(ReadOnlyViolation):
        neo4j_store.read("CREATE (:ShouldNotExist)")
    with pytest.raises(QueryError):
        neo4j_store.read("EXPLAIN MATCH (n) RETURN n")
    assert neo4j_store.explain("EXPLAIN MATCH (n) RETURN n").lines
    assert neo4j_store.read("MATCH (n:ShouldNotExist) RETURN count(n) AS c").scalar() == 0
