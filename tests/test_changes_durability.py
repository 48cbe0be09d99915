"""kill -9 of the engine in the middle of a stream of edits: after the restart every cluster is at a whole change.

The embedded FalkorDB runs with appendfsync always here, so no acknowledged
change may be lost; and since a change is one query (the properties, the
relationships, the Change node and both revisions), the restarted graph must
hold, for the edited cluster, exactly as many published changes as its
revision, with the values of the change that revision names: never a mix.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from clusterkg.graph.embedded import EmbeddedServer
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.loaders.pipeline import load_directory
from clusterkg.loaders.reference import build_reference, load_reference
from clusterkg.loaders.synthetic import generate

CLUSTER = "syn-c000003"

WRITER = textwrap.dedent(
    """
    import sys
    from clusterkg.accounts.principal import Account, Principal
    from clusterkg.changes import service
    from clusterkg.graph.falkordb_store import FalkorDBStore

    port, password = int(sys.argv[1]), sys.argv[2]
    store = FalkorDBStore(host="127.0.0.1", port=port, password=password, graph="clusterkg")
    moderator = Principal(Account("acc-mod", "mo@eccp.example", None, frozenset({"moderator"})))
    revision = service.read_current(store, sys.argv[3]).revision
    n = 0
    while True:
        n += 1
        text = f"edit-{n}"
        edit = service.Edit("profile", profile={"acronym": text, "contactName": text, "description": text * 20})
        record = service.edit_cluster(store, moderator, sys.argv[3], edit, revision)
        revision = record.revision
        print(revision, text, flush=True)
    """
)


def _store(info) -> FalkorDBStore:
    return FalkorDBStore(host=info.host, port=info.port, password=info.password, graph="clusterkg")


def test_a_killed_engine_restarts_with_every_acknowledged_change_whole(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = EmbeddedServer(data_dir, appendfsync="always")
    info = server.ensure_running()
    store = _store(info)
    load_reference(store, build_reference())
    generate("xs", 42, tmp_path / "xs")
    load_directory(store, tmp_path / "xs")
    store.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(info.port), info.password, CLUSTER],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[tuple[int, str]] = []
    assert writer.stdout is not None
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        assert line, f"the writer stopped: {writer.stderr.read() if writer.stderr else ''}"
        revision, text = line.split()
        acknowledged.append((int(revision), text))
    os.kill(info.pid, signal.SIGKILL)  # the engine dies with writes in flight
    writer.wait(timeout=30)
    assert writer.returncode != 0, "the writer noticed the engine was gone"

    restarted = EmbeddedServer(data_dir, appendfsync="always").ensure_running()
    assert restarted.pid != info.pid
    store = _store(restarted)
    try:
        node = store.read(
            "MATCH (c:Cluster {id: $id}) RETURN c.revision AS revision, c.acronym AS acronym, c.contact_name AS contact, c.description AS description",
            {"id": CLUSTER},
        ).rows[0]
        changes = store.read(
            "MATCH (ch:Change)-[:CHANGES]->(:Cluster {id: $id}) WHERE ch.status = 'PUBLISHED' RETURN ch.revision AS revision, ch.fields AS fields",
            {"id": CLUSTER},
        ).rows
    finally:
        store.close()
        EmbeddedServer(data_dir).stop()
    last_acknowledged = acknowledged[-1][0]
    assert node["revision"] >= last_acknowledged, "no acknowledged change was lost"
    assert sorted(c["revision"] for c in changes) == list(range(1, node["revision"] + 1)), "one change per revision"
    at_revision = next(c for c in changes if c["revision"] == node["revision"])
    after = {f["field"]: f["after"] for f in json.loads(at_revision["fields"])}
    assert (node["acronym"], node["contact"], node["description"]) == (
        after["acronym"],
        after["contactName"],
        after["description"],
    ), "the cluster holds the whole change its revision names"
