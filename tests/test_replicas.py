"""Read replicas: a real FalkorDB replica started locally, reads routed to it, and no stale read.

The primary and the replica are two embedded servers of their own (two data
dirs), the replica started by the real command line (`clusterkg db start
--replica-of URL`); the graph the API reads is the reference data, loaded on
the primary.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clusterkg.errors import ClusterKGError
from clusterkg.graph.embedded import EmbeddedServer, ServerInfo
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.graph.replicas import ReplicatedStore, offset_of, on_primary, required_position
from clusterkg.loaders.reference import load_reference
from clusterkg.web.app import create_app
from tests.helpers import run_cli

GRAPH = "replicated"


def store_of(info: ServerInfo) -> FalkorDBStore:
    return FalkorDBStore(host=info.host, port=info.port, password=info.password, graph=GRAPH)


def caught_up(primary: FalkorDBStore, replica: FalkorDBStore, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while offset_of(replica) < max(offset_of(primary), 0) or offset_of(replica) < 0:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def pair(tmp_path_factory, reference_data):
    """(primary, replica) stores on two servers of their own; the primary holds the reference data."""
    primary_server = EmbeddedServer(tmp_path_factory.mktemp("primary"))
    primary_info = primary_server.ensure_running()
    primary = store_of(primary_info)
    load_reference(primary, reference_data)
    replica_dir: Path = tmp_path_factory.mktemp("replica") / "data"
    url = f"redis://:{primary_info.password}@127.0.0.1:{primary_info.port}"
    started = run_cli("db", "start", "--replica-of", url, data_dir=replica_dir)
    assert started.returncode == 0, started.stderr
    assert (
        "read-only replica of redis://:***@127.0.0.1" in started.stdout and primary_info.password not in started.stdout
    )
    replica_server = EmbeddedServer(replica_dir)
    replica = store_of(replica_server.ensure_running())
    caught_up(primary, replica)
    yield primary, replica, replica_server
    for store in (primary, replica):
        store.close()
    replica_server.stop(compact=False)
    primary_server.stop(compact=False)


def test_the_replica_holds_the_primary_s_graph_and_refuses_writes(pair):
    primary, replica, _ = pair
    assert replica.connection.info("replication")["role"] == "slave"
    count = "MATCH (r:Region) RETURN count(r) AS n"
    assert replica.read(count).scalar() == primary.read(count).scalar() > 200
    primary.write("MERGE (c:Counter {id: 'follow'}) SET c.n = 7")
    caught_up(primary, replica)
    assert replica.read("MATCH (c:Counter {id: 'follow'}) RETURN c.n AS n").scalar() == 7
    with pytest.raises(ClusterKGError):
        replica.write("MERGE (c:Counter {id: 'follow'}) SET c.n = 8")


def test_no_read_is_older_than_the_reader_s_last_write(pair):
    primary, replica, _ = pair
    store = ReplicatedStore(primary, [replica])
    stale = 0
    for n in range(300):
        store.write("MERGE (c:Counter {id: 'own'}) SET c.n = $n", {"n": n})
        stale += store.read("MATCH (c:Counter {id: 'own'}) RETURN c.n AS n").scalar() != n
    assert stale == 0
    assert store.reads_on_replicas >= 250  # the replica answered, having waited for the write


def test_a_position_carried_between_workers_is_honoured(pair):
    primary, replica, _ = pair
    writer, reader = ReplicatedStore(primary, [replica]), ReplicatedStore(primary, [replica], wait_ms=2000)
    stale = 0
    for n in range(100):
        writer.write("MERGE (c:Counter {id: 'shared'}) SET c.n = $n", {"n": n})
        token = required_position.set(writer.position())  # what the client's header carries to another worker
        try:
            stale += reader.read("MATCH (c:Counter {id: 'shared'}) RETURN c.n AS n").scalar() != n
        finally:
            required_position.reset(token)
    assert stale == 0 and reader.reads_on_replicas >= 90


def test_a_position_no_replica_reaches_is_read_on_the_primary_after_the_wait(pair):
    primary, replica, _ = pair
    store = ReplicatedStore(primary, [replica], wait_ms=50)
    token = required_position.set(offset_of(primary) + 10**12)
    try:
        started = time.monotonic()
        assert store.read("MATCH (r:Region) RETURN count(r) AS n").scalar() > 200
        waited = time.monotonic() - started
    finally:
        required_position.reset(token)
    assert store.reads_on_primary == 1 and store.reads_on_replicas == 0 and waited >= 0.05
    with on_primary():
        store.read("RETURN 1 AS one")
    assert store.reads_on_primary == 2  # a mutation's reads


def test_serve_reads_graphql_on_the_replica_and_says_the_position(pair):
    primary, replica, _ = pair
    store = ReplicatedStore(primary, [replica])
    query = {"query": '{ region(nuts: "ITF4") { nuts name category } }'}
    with TestClient(create_app(store=store)) as client:
        first = client.post("/graphql", json=query)
        assert first.status_code == 200 and first.json()["data"]["region"]["category"], first.text
        position = int(first.headers["x-clusterkg-position"])
        assert position > 0
        again = client.post("/graphql", json=query, headers={"x-clusterkg-position": str(position)})
        assert again.status_code == 200 and int(again.headers["x-clusterkg-position"]) >= position
    assert store.reads_on_replicas > 0


def test_a_replica_that_stops_leaves_reads_to_the_primary(tmp_path, pair):
    primary, _, _ = pair
    gone = EmbeddedServer(tmp_path / "short-lived")
    short = store_of(gone.ensure_running())
    gone.stop(compact=False)
    store = ReplicatedStore(primary, [short], wait_ms=20)
    assert store.read("MATCH (r:Region) RETURN count(r) AS n").scalar() > 200
    assert store.reads_on_primary == 1


def test_the_replica_role_is_remembered_and_can_be_dropped(pair):
    primary, replica, replica_server = pair
    assert replica_server.replica_of() is not None
    replica_server.stop(compact=False)
    info = replica_server.ensure_running()  # restarted: still a replica, from its config
    again = store_of(info)
    try:
        caught_up(primary, again)
        assert again.connection.info("replication")["role"] == "slave"
        promoted = run_cli("db", "start", "--replica-of", "none", data_dir=replica_server.data_dir)
        assert promoted.returncode == 0 and "read-only replica" not in promoted.stdout, (
            promoted.stdout + promoted.stderr
        )
        assert again.connection.info("replication")["role"] == "master" and replica_server.replica_of() is None
        again.write("MERGE (c:Counter {id: 'promoted'}) SET c.n = 1")  # a primary of its own now
    finally:
        again.close()
