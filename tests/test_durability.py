"""The graph survives restarts, crashes and interrupted loads at scale s, and round-trips through backups and exports.

Scale s (1,100 clusters, ~50,000 members) on purpose: the first restart bug
(an AOF replayed query by query) hid at xs, where every replay is instant.
Everything runs through the real command line in subprocesses, each test on
its own data dir and embedded server.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clusterkg.accounts.store import AccountStore
from clusterkg.graph.embedded import EmbeddedServer
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.loaders.synthetic import generate
from clusterkg.schema.content import content_hash
from tests.helpers import run_cli

# Minutes at scale s (loads killed half-way, restarts, backups): `make test-slow`, which CI runs after `make test`.
pytestmark = pytest.mark.slow


def _store(data_dir: Path) -> FalkorDBStore:
    info = EmbeddedServer(data_dir).ensure_running()
    return FalkorDBStore(host=info.host, port=info.port, password=info.password, graph="clusterkg", owns_files=True)


def _hash(data_dir: Path) -> str:
    store = _store(data_dir)
    try:
        return content_hash(store).hexdigest
    finally:
        store.close()


def _server_pid(data_dir: Path) -> int:
    return json.loads((data_dir / "falkordb" / "server.json").read_text())["pid"]


def _loader(data_dir: Path, *args: str, chunk_rows: int | None = None) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
    environment.update(CLUSTERKG_DATA_DIR=str(data_dir), COLUMNS="200")
    if chunk_rows:
        environment["CLUSTERKG_LOAD_CHUNK_ROWS"] = str(chunk_rows)
    return subprocess.Popen(
        [sys.executable, "-m", "clusterkg.cli", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_members(data_dir: Path, at_least: int, loader: subprocess.Popen) -> None:
    """Block until the load is in the middle of writing members (or fail if it ended first)."""
    store = _store(data_dir)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert loader.poll() is None, "the load ended before it could be interrupted"
            if (store.read("MATCH (o:Organisation) RETURN count(o) AS c").scalar() or 0) >= at_least:
                return
            time.sleep(0.05)
        raise AssertionError("the load never reached the members")
    finally:
        store.close()


def _stop(data_dir: Path) -> None:
    EmbeddedServer(data_dir).stop()


@pytest.fixture(scope="module")
def s_files(tmp_path_factory) -> Path:
    return generate("s", 42, tmp_path_factory.mktemp("s") / "files").directory


@pytest.fixture(scope="module")
def clean_s(tmp_path_factory, s_files):
    """A data dir with the reference data and the s files loaded cleanly, and its content hash."""
    data_dir = tmp_path_factory.mktemp("clean") / "data"
    run_cli("load", "reference", data_dir=data_dir, check=True)
    run_cli("load", "dir", str(s_files), data_dir=data_dir, check=True)
    yield data_dir, _hash(data_dir)
    _stop(data_dir)


def test_restart_after_an_s_load(clean_s):
    data_dir, expected = clean_s
    run_cli("db", "stop", data_dir=data_dir, check=True)
    aof = data_dir / "falkordb" / "appendonlydir"
    incremental = sum(p.stat().st_size for p in aof.glob("*.incr.aof"))
    assert incremental < 256 * 1024, f"the AOF was not compacted: {incremental} bytes to replay"
    result = run_cli("db", "start", data_dir=data_dir)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert _hash(data_dir) == expected


def test_kill_9_of_the_server_during_a_load(tmp_path, clean_s, s_files):
    _, expected = clean_s
    data_dir = tmp_path / "data"
    run_cli("load", "reference", data_dir=data_dir, check=True)
    loader = _loader(data_dir, "load", "dir", str(s_files))
    _wait_for_members(data_dir, 10_000, loader)
    os.kill(_server_pid(data_dir), signal.SIGKILL)
    out, err = loader.communicate(timeout=120)
    assert loader.returncode == 1 and "Traceback" not in err + out
    assert "recorded as incomplete" in err and f"clusterkg load dir {s_files}" in err, err

    # any command brings the server back, with every acknowledged write, and names the load to finish
    stats = run_cli("stats", data_dir=data_dir)
    assert stats.returncode == 0, stats.stderr
    assert "incomplete load: load of dir" in stats.stderr and "interrupted" in stats.stderr
    assert f"clusterkg load dir {s_files}" in stats.stderr.replace("\n", "")
    status = run_cli("db", "status", data_dir=data_dir)
    assert "incomplete load" in status.stderr and "private" in status.stdout

    rerun = run_cli("load", "dir", str(s_files), data_dir=data_dir)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert _hash(data_dir) == expected
    assert "incomplete" not in run_cli("stats", data_dir=data_dir).stderr
    _stop(data_dir)


def test_kill_9_of_the_loader_is_reported_everywhere_and_recoverable(tmp_path, clean_s, s_files):
    from clusterkg.queries import vectors
    from clusterkg.scoring.complementarity import partner_search
    from clusterkg.web.app import create_app

    _, expected = clean_s
    data_dir = tmp_path / "data"
    run_cli("load", "reference", data_dir=data_dir, check=True)
    # members in chunks of 10,000: killed after the first chunk, its undo image spilled and the next under way
    loader = _loader(data_dir, "load", "dir", str(s_files), chunk_rows=10_000)
    _wait_for_members(data_dir, 15_000, loader)
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=30)
    store = _store(data_dir)
    try:
        written = store.read("MATCH (o:Organisation) RETURN count(o) AS n").scalar()
    finally:
        store.close()
    rows = sum(1 for _ in (s_files / "members.csv").open(encoding="utf-8")) - 1
    assert 10_000 <= written < rows  # a load cut in the middle of its members, after a chunk or more

    stats = run_cli("stats", "--format", "json", data_dir=data_dir)
    incomplete = json.loads(stats.stdout)["incomplete_loads"]
    assert [(load["kind"], load["running"]) for load in incomplete] == [("dir", False)]
    store = _store(data_dir)
    try:
        # the organisations' profiles were marked stale before their offers were written: searches stay exact
        assert vectors.state(store).stale
        seeker = store.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 1").scalar()
        found = partner_search(store, seeker, candidates="Organisation", exact=False, explain=False)
        assert all(m.exact for m in found)
        with TestClient(create_app(store=store)) as client:
            health = client.get("/health").json()
        assert [load["command"] for load in health["incomplete_loads"]] == [incomplete[0]["command"]]
        assert "to complete it run: clusterkg load dir" in health["incomplete_loads"][0]["message"]
    finally:
        store.close()

    rerun = run_cli(*shlex.split(incomplete[0]["command"])[1:], data_dir=data_dir)  # the command it names, as given
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert _hash(data_dir) == expected
    assert json.loads(run_cli("stats", "--format", "json", data_dir=data_dir).stdout)["incomplete_loads"] == []
    store = _store(data_dir)
    try:  # the load's refresh brought every profile up to date: the profiles' page is the exact query's again
        assert vectors.state(store).ready
        seekers = [r["id"] for r in store.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 5").rows]
        for seeker in seekers:
            exact = partner_search(store, seeker, candidates="Organisation", exact=True, explain=False)
            profiles = partner_search(store, seeker, candidates="Organisation", explain=False)
            assert [(m.id, round(m.score, 9)) for m in profiles] == [(m.id, round(m.score, 9)) for m in exact]
    finally:
        store.close()
    _stop(data_dir)


def test_backup_while_serving_then_restore(tmp_path, clean_s):
    data_dir, expected = clean_s
    backup = tmp_path / "s.rdb"
    AccountStore(data_dir).add("keeper@cluster.example", ["editor"], ["syn-c000000"])
    reader = _store(data_dir)
    try:
        nodes = reader.read("MATCH (n) RETURN count(n) AS c").scalar()
        result = run_cli("db", "backup", str(backup), data_dir=data_dir)
        assert result.returncode == 0, result.stderr
        assert reader.read("MATCH (n) RETURN count(n) AS c").scalar() == nodes  # served throughout
    finally:
        reader.close()
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    accounts_copy = tmp_path / "s.rdb.accounts.sqlite3"
    assert oct(accounts_copy.stat().st_mode & 0o777) == "0o600", "the accounts travel beside the graph, owner-only"

    target = tmp_path / "restored"
    assert run_cli("db", "restore", str(backup), data_dir=target).returncode == 0
    assert _hash(target) == expected
    refused = run_cli("db", "restore", str(backup), data_dir=target)
    assert refused.returncode == 1 and "--force" in refused.stderr
    forced = run_cli("db", "restore", str(backup), "--force", data_dir=target)
    assert forced.returncode == 0 and f"restored {backup}: {nodes} nodes" in forced.stdout.replace("\n", ""), (
        forced.stdout + forced.stderr
    )
    assert not list((target / "falkordb").glob("appendonlydir.*")), "the replaced files were left behind"
    restored = AccountStore(target).by_email("keeper@cluster.example")
    assert restored is not None and restored.clusters == frozenset({"syn-c000000"})
    _stop(target)


def test_export_then_load_into_an_empty_graph(tmp_path, clean_s):
    data_dir, expected = clean_s
    exported = tmp_path / "export"
    assert run_cli("export", str(exported), data_dir=data_dir).returncode == 0
    assert sorted(p.name for p in exported.iterdir()) == [
        "attendance.csv",
        "changes.csv",
        "clusters.csv",
        "competences.csv",
        "events.csv",
        "exchanges.csv",
        "meetings.csv",
        "members.csv",
        "partnerships.csv",
        "postings.csv",
        "value-chains.csv",
    ]
    target = tmp_path / "imported"
    run_cli("load", "reference", data_dir=target, check=True)
    result = run_cli("load", "dir", str(exported), data_dir=target)
    assert result.returncode == 0 and "rejected rows" not in result.stdout, result.stdout
    assert _hash(target) == expected
    _stop(target)
