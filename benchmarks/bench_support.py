"""What every benchmark needs: a throw-away embedded FalkorDB in a temporary folder.

    with scratch_server() as scratch:
        store = scratch.store("bench")
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from clusterkg.graph import embedded_server
from clusterkg.graph.embedded import ServerInfo
from clusterkg.settings import Settings
from clusterkg.graph.falkordb_store import FalkorDBStore


@dataclass(frozen=True)
class ScratchServer:
    work: Path  # a temporary folder for generated files
    info: ServerInfo

    def store(self, graph: str, **options: Any) -> FalkorDBStore:
        """A store on one graph of this server."""
        return FalkorDBStore(host=self.info.host, port=self.info.port, password=self.info.password, graph=graph, **options)


@contextmanager
def scratch_server() -> Iterator[ScratchServer]:
    """Start a server in a new temporary folder; stop it at the end, whatever happened."""
    work = Path(tempfile.mkdtemp(prefix="clusterkg-bench-"))
    server = embedded_server(Settings(data_dir=work / "data"))
    info = server.ensure_running()
    try:
        yield ScratchServer(work, info)
    finally:
        server.stop()
