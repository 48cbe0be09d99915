"""The embedded engine's data dir as files: who may read them, and how far a start has read them.

Everything under the data dir is the owner's alone (folders 0700, files
0600); older data dirs are tightened at the next start, and `db status`
lists what is still exposed. While a server replays its append-only file,
how far it got is read from /proc (the file it has open and the offset), so
progress shows even while the server is too busy to answer.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def replay_position(pid: int, aof_dir: Path) -> int:
    """Bytes of the AOF dir a starting server has read: files before the open one, plus its offset.

    Read from /proc (the file the process has open and its position), so it
    moves even while the server is too busy to answer. -1 when unknown.
    """
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return -1
    for fd in fds:
        try:
            target = Path(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            continue
        if target.parent != aof_dir or target.suffix not in (".rdb", ".aof"):
            continue
        try:
            with open(f"/proc/{pid}/fdinfo/{fd}") as handle:
                position = int(next(line for line in handle if line.startswith("pos:")).split()[1])
        except (OSError, StopIteration, ValueError):
            return -1
        before = sum(f.stat().st_size for f in _manifest_files(aof_dir)[: _index_of(aof_dir, target.name)])
        return before + position
    return -1


def _manifest_files(aof_dir: Path) -> list[Path]:
    try:
        lines = (aof_dir / "appendonly.aof.manifest").read_text().splitlines()
    except OSError:
        return []
    return [aof_dir / line.split()[1] for line in lines if line.startswith("file ")]


def _index_of(aof_dir: Path, name: str) -> int:
    names = [p.name for p in _manifest_files(aof_dir)]
    return names.index(name) if name in names else 0


def dir_size(folder: Path) -> int:
    try:
        return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    except OSError:
        return 0


def make_private(data_dir: Path) -> None:
    """Folders 0700 and files 0600 under the data dir (older data dirs were 0755/0644)."""
    for path in [data_dir, *data_dir.rglob("*")]:
        with contextlib.suppress(OSError):
            if path.is_symlink():
                continue
            wanted = PRIVATE_DIR if path.is_dir() else PRIVATE_FILE
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, stat.S_IMODE(path.stat().st_mode) & wanted)


def exposed_paths(data_dir: Path) -> list[Path]:
    """Files and folders of the data dir that group or others may read, write or enter."""
    if not data_dir.exists():
        return []
    found = []
    for path in [data_dir, *data_dir.rglob("*")]:
        with contextlib.suppress(OSError):
            if not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) & 0o077:
                found.append(path)
    return found
