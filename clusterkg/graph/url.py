"""Parse CLUSTERKG_GRAPH_URL into what an engine needs to connect."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from clusterkg.errors import ConfigError
from clusterkg.settings import DEFAULT_GRAPH_NAME, AppendFsync, appendfsync_of

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


@dataclass(frozen=True)
class GraphTarget:
    kind: str  # "embedded" | "falkordb" | "neo4j"
    graph: str = DEFAULT_GRAPH_NAME
    data_dir: Path | None = None
    host: str = "127.0.0.1"
    port: int = 6379
    username: str | None = None
    password: str | None = None
    uri: str | None = None  # neo4j: the URI without credentials
    database: str | None = None
    appendfsync: AppendFsync | None = None

    def describe(self) -> str:
        """Where the graph is, without secrets."""
        if self.kind == "embedded":
            return f"embedded FalkorDB in {self.data_dir} (graph '{self.graph}')"
        if self.kind == "falkordb":
            return f"FalkorDB at redis://{self.host}:{self.port} (graph '{self.graph}')"
        return f"Neo4j at {self.uri}" + (f" (database '{self.database}')" if self.database else "")


def parse_graph_url(url: str, default_data_dir: Path) -> GraphTarget:
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigError(
            f"graph URL '{url}' has no scheme: use falkordb+embedded://DIR, redis://host:port or neo4j://host:7687"
        )
    scheme = scheme.lower()
    body, _, query_text = rest.partition("?")
    query = {k: v[-1] for k, v in parse_qs(query_text).items()}
    graph = query.get("graph", DEFAULT_GRAPH_NAME)
    if scheme == "falkordb+embedded":
        data_dir = Path(unquote(body)) if body else default_data_dir
        fsync = appendfsync_of(query["appendfsync"]) if "appendfsync" in query else None
        return GraphTarget(kind="embedded", graph=graph, data_dir=data_dir, appendfsync=fsync)
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"graph URL '{redact(url)}' has a bad port: {exc}") from None
    if scheme in ("redis", "rediss", "falkordb"):
        return GraphTarget(
            kind="falkordb",
            graph=graph,
            host=parts.hostname or "127.0.0.1",
            port=port or 6379,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )
    if scheme in NEO4J_SCHEMES:
        host = parts.hostname or "localhost"
        netloc = f"{host}:{port or 7687}"
        return GraphTarget(
            kind="neo4j",
            host=host,
            port=port or 7687,
            username=unquote(parts.username) if parts.username else "neo4j",
            password=unquote(parts.password) if parts.password else None,
            uri=f"{scheme}://{netloc}",
            database=parts.path.strip("/") or None,
        )
    raise ConfigError(
        f"unknown graph URL scheme '{scheme}': use falkordb+embedded://DIR, redis://host:port or neo4j://user:pass@host:7687"
    )


def redact(url: str) -> str:
    """The URL with its password replaced by ***: fit for a log or a message."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(parts.password, "***")
    return url
