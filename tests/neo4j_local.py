"""A real Neo4j 5 for the tests: testcontainers where a Docker engine runs, else tools/neo4j-local in a JVM.

The launcher (a Maven project) starts Neo4j Community in-process with Bolt on
a free loopback port and prints its URL; it stops when its standard input
closes, so a test run that dies leaves no Neo4j behind. Skipped only when
neither Docker nor Java with Maven is there, saying so.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent.parent / "tools" / "neo4j-local"
START_TIMEOUT_S = 180


def _docker_reason() -> str | None:
    try:
        import docker

        docker.from_env().ping()
    except Exception as exc:  # any failure means: no engine to start Neo4j in
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"no Docker engine ({first_line})"
    return None


def unavailable() -> str | None:
    """Why no Neo4j can be started here, or None."""
    if _docker_reason() is None:
        return None
    if shutil.which("java") and ((LAUNCHER / "target" / "classpath.txt").exists() or shutil.which("mvn")):
        return None
    return f"neither a Docker engine nor Java with Maven to start Neo4j 5 ({_docker_reason()}; java: {shutil.which('java')}, mvn: {shutil.which('mvn')})"


def build_launcher() -> None:
    if (LAUNCHER / "target" / "classpath.txt").exists():
        return
    subprocess.run(["mvn", "-q", "-B", "compile"], cwd=LAUNCHER, check=True, timeout=900)


@contextlib.contextmanager
def neo4j_url() -> Iterator[str]:
    """A neo4j:// URL with credentials, valid while the block runs."""
    if _docker_reason() is None:
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer("neo4j:5") as container:
            url = container.get_connection_url().replace(
                "bolt://", f"neo4j://{container.username}:{container.password}@"
            )
            yield url
        return
    build_launcher()
    home = Path(tempfile.mkdtemp(prefix="neo4j-local-"))
    classpath = f"{LAUNCHER / 'target' / 'classes'}:{(LAUNCHER / 'target' / 'classpath.txt').read_text().strip()}"
    process = subprocess.Popen(
        ["java", "-Xmx1g", "-cp", classpath, "org.clusterkg.neo4jlocal.Launcher", str(home)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ},
    )
    try:
        url, lines, deadline = None, [], time.monotonic() + START_TIMEOUT_S
        while url is None:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("tools/neo4j-local exited before it was ready:\n" + "".join(lines[-30:]))
            lines.append(line)
            if line.startswith("NEO4J_URL="):
                url = line.strip().split("=", 1)[1]
            if time.monotonic() > deadline:
                raise RuntimeError(f"tools/neo4j-local was not ready in {START_TIMEOUT_S} s")
        yield url
    finally:
        process.stdin.close()  # the launcher stops when its input closes
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(home, ignore_errors=True)
