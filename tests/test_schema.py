"""`db init` applies the declared model idempotently and records its version."""

from __future__ import annotations

from clusterkg.schema import NODE_TYPES, SCHEMA_VERSION, apply_schema, schema_version


def test_init_creates_every_declared_key_index_and_fulltext(store):
    assert schema_version(store) is None
    report = apply_schema(store)
    assert report.changed
    found = {(i.label, i.properties, i.kind) for i in store.indexes()}
    for node_type in NODE_TYPES:
        assert (node_type.label, (node_type.key,), "unique") in found
        for prop in node_type.indexed:
            assert (node_type.label, (prop,), "range") in found
        for prop in node_type.fulltext:
            assert (node_type.label, (prop,), "fulltext") in found
    assert all(i.status == "OPERATIONAL" for i in store.indexes())
    assert schema_version(store) == SCHEMA_VERSION


def test_init_twice_changes_nothing(store):
    apply_schema(store)
    indexes_before = sorted(store.indexes(), key=repr)
    nodes_before = store.read("MATCH (n) RETURN count(n) AS c").scalar()
    second = apply_schema(store)
    assert second.created == []
    assert sorted(store.indexes(), key=repr) == indexes_before
    assert store.read("MATCH (n) RETURN count(n) AS c").scalar() == nodes_before


def test_unique_key_is_enforced_by_the_engine(store):
    apply_schema(store)
    store.write("CREATE (:Cluster {id: 'c1'})")
    import pytest

    from clusterkg.errors import QueryError

    with pytest.raises(QueryError):
        store.write("UNWIND [1, 2] AS i CREATE (:Cluster {id: 'c2'})")
    assert store.read("MATCH (c:Cluster) RETURN count(c) AS c").scalar() == 1
