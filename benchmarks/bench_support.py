"""What every benchmark needs: a throw-away embedded FalkorDB in a temporary folder.

with scratch_server() as scratch:
    store = scratch.store("bench")
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from clusterkg.graph import embedded_server
from clusterkg.graph.embedded import ServerInfo
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.graph.process import free_port
from clusterkg.loaders.pipeline import load_directory
from clusterkg.loaders.reference import load_reference
from clusterkg.loaders.synthetic import SCALES, generate
from clusterkg.settings import Settings


@dataclass(frozen=True)
class ScratchServer:
    work: Path  # a temporary folder for generated files
    info: ServerInfo

    def store(self, graph: str, **options: Any) -> FalkorDBStore:
        """A store on one graph of this server."""
        return FalkorDBStore(
            host=self.info.host, port=self.info.port, password=self.info.password, graph=graph, **options
        )

    def demo(self, graph: str, scale: str, **options: Any) -> FalkorDBStore:
        """A graph with the reference data and the SYNTHETIC data of `scale` (seed 42); kept as it is when it was built before."""
        store = self.store(graph, **options)
        if store.read("MATCH (c:Cluster) RETURN count(c) AS n").scalar() != SCALES[scale][0]:
            load_reference(store)
            load_directory(store, generate(scale, 42, self.work / scale).directory)
        return store

    @contextmanager
    def served(self, graph: str) -> Iterator[str]:
        """`clusterkg serve` (a process of its own, as in production) over one graph; yields its base URL once /health answers."""
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
        env["CLUSTERKG_GRAPH_URL"] = f"redis://:{self.info.password}@127.0.0.1:{self.info.port}?graph={graph}"
        env["CLUSTERKG_DATA_DIR"] = str(self.work / "serve-data")
        server = subprocess.Popen(
            [sys.executable, "-m", "clusterkg.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


@contextmanager
def scratch_server(data_dir: Path | None = None) -> Iterator[ScratchServer]:
    """Start a server in a new temporary folder; stop it at the end, whatever happened.

    With `data_dir` (a benchmark's `--data-dir`), the server of that data dir is used
    and left as it was found: graphs built there are kept for the next run (the larger
    scales take minutes to build). A server started here takes the engine settings of
    the environment (CLUSTERKG_QUERY_MEMORY_MB=0 lifts the per-query memory cap that
    the reference's export of l passes).
    """
    if data_dir is not None:
        server = embedded_server(Settings.from_env(data_dir=data_dir))
        was_running = server.status().running
        info = server.ensure_running()
        try:
            yield ScratchServer(data_dir.parent, info)
        finally:
            if not was_running:
                server.stop()
        return
    work = Path(tempfile.mkdtemp(prefix="clusterkg-bench-"))
    server = embedded_server(Settings.from_env(data_dir=work / "data"))
    info = server.ensure_running()
    try:
        yield ScratchServer(work, info)
    finally:
        server.stop()
