"""Settings read from the environment, overridable by CLI options.

One setting picks the engine (DESIGN.md §3):
  CLUSTERKG_GRAPH_URL   falkordb+embedded://[DIR]   (default; DIR defaults to CLUSTERKG_DATA_DIR)
                        redis://[:password@]host:port[?graph=name]
                        neo4j://user:pass@host:7687[/database]  (also bolt://, neo4j+s://, bolt+s://)
  CLUSTERKG_DATA_DIR    data directory of the embedded engine (default ./data)
  CLUSTERKG_APPENDFSYNC everysec (default) or always: how often the embedded AOF is fsynced
  CLUSTERKG_QUERY_TIMEOUT_MS  time limit of a read query (default 30000)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_GRAPH_URL = "falkordb+embedded://"
DEFAULT_DATA_DIR = "./data"
DEFAULT_GRAPH_NAME = "clusterkg"


@dataclass(frozen=True)
class Settings:
    graph_url: str = DEFAULT_GRAPH_URL
    data_dir: Path = field(default_factory=lambda: Path(DEFAULT_DATA_DIR))
    appendfsync: str = "everysec"
    query_timeout_ms: int = 30_000
    # FalkorDB's TIMEOUT_DEFAULT also bounds writes (ENGINES.md §2); a load
    # batch of 5,000 rows takes well under a second, so minutes is generous.
    write_timeout_ms: int = 300_000
    max_timeout_ms: int = 600_000

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        env = os.environ
        base = cls(
            graph_url=env.get("CLUSTERKG_GRAPH_URL", DEFAULT_GRAPH_URL),
            data_dir=Path(env.get("CLUSTERKG_DATA_DIR", DEFAULT_DATA_DIR)),
            appendfsync=env.get("CLUSTERKG_APPENDFSYNC", "everysec"),
            query_timeout_ms=int(env.get("CLUSTERKG_QUERY_TIMEOUT_MS", "30000")),
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **given) if given else base
