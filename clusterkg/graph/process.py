"""The embedded server as a process: free ports, is it alive, signals."""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import time


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.errno != errno.EADDRINUSE
        return True


def pid_running(pid: object) -> bool:
    """Whether a process with this pid exists (on this machine; one we may not signal counts)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_alive(pid: int) -> bool:
    """True if `pid` is a live (not zombie) redis-server."""
    if pid <= 0:
        return False
    _reap(pid)
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat_line = handle.read().decode("utf-8", "replace")
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            cmdline = handle.read().decode("utf-8", "replace")
    except OSError:
        return False
    state = stat_line.rsplit(")", 1)[-1].split()[0]
    return state not in ("Z", "X") and "redis-server" in cmdline


def _reap(pid: int) -> None:
    # A server we spawned in this process becomes a zombie when it dies;
    # reap it so it does not look alive. Not our child: nothing to do.
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def send_signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.05)
    return False
