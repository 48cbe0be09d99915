"""Graph engines behind one protocol; `open_store` picks one from the settings.

The `GraphStore` protocol and its two engines (FalkorDB embedded or remote,
Neo4j), the embedded server's process, data dir, compaction and backups.
Every engine difference lives here or in a `.neo4j.cypher` variant, never in
a caller. It imports only the shared vocabulary (errors, settings), never
schema/, queries/ or anything above.
"""

from __future__ import annotations

from clusterkg.errors import ConfigError
from clusterkg.graph.embedded import EmbeddedServer, ReplayCallback
from clusterkg.graph.store import GraphStore, IndexInfo, Plan, QueryResult, WriteStats, split_plan_prefix
from clusterkg.graph.url import GraphTarget, parse_graph_url, redact
from clusterkg.settings import Settings

__all__ = [
    "GraphStore",
    "GraphTarget",
    "IndexInfo",
    "Plan",
    "QueryResult",
    "WriteStats",
    "embedded_server",
    "open_store",
    "resolve_target",
    "split_plan_prefix",
]


def resolve_target(settings: Settings) -> GraphTarget:
    return parse_graph_url(settings.graph_url, settings.data_dir)


def embedded_server(settings: Settings, target: GraphTarget | None = None) -> EmbeddedServer:
    target = target or resolve_target(settings)
    return EmbeddedServer(
        target.data_dir or settings.data_dir,
        appendfsync=target.appendfsync or settings.appendfsync,
        timeout_default_ms=settings.write_timeout_ms,
        timeout_max_ms=settings.max_timeout_ms,
        # an engine-side cap on one query's working memory (UNWIND range(1, 30000000) took ~1 GB)
        module_args=("QUERY_MEM_CAPACITY", str(settings.query_memory_mb * 1024 * 1024))
        if settings.query_memory_mb > 0
        else (),
    )


def open_store(settings: Settings, on_replay: ReplayCallback | None = None) -> GraphStore:
    """Connect to the engine the settings name, starting the embedded one if needed.

    `on_replay` hears the progress of an embedded server that replays its files.
    """
    target = resolve_target(settings)
    if target.kind == "neo4j":
        from clusterkg.graph.neo4j_store import Neo4jStore

        return Neo4jStore(
            uri=target.uri or "",
            username=target.username or "neo4j",
            password=target.password,
            database=target.database,
            query_timeout_ms=settings.query_timeout_ms,
        )
    from clusterkg.graph.falkordb_store import FalkorDBStore

    if target.kind == "embedded":
        info = embedded_server(settings, target).ensure_running(on_replay)
        primary = FalkorDBStore(
            host=info.host,
            port=info.port,
            password=info.password,
            graph=target.graph,
            query_timeout_ms=settings.query_timeout_ms,
            owns_files=True,
        )
    else:
        primary = FalkorDBStore(
            host=target.host,
            port=target.port,
            password=target.password,
            username=target.username,
            graph=target.graph,
            query_timeout_ms=settings.query_timeout_ms,
        )
    if not settings.read_replicas:
        return primary
    from clusterkg.graph.replicas import ReplicatedStore

    replicas = []
    for url in settings.read_replicas:
        replica = parse_graph_url(
            url if "graph=" in url else f"{url}{'&' if '?' in url else '?'}graph={target.graph}", settings.data_dir
        )
        if replica.kind != "falkordb":
            raise ConfigError(
                f"CLUSTERKG_READ_REPLICAS lists FalkorDB replicas (redis://:password@host:port), not '{redact(url)}';"
                " for Neo4j give a neo4j:// graph URL: its driver sends reads to the secondaries"
            )
        replicas.append(
            FalkorDBStore(
                host=replica.host,
                port=replica.port,
                password=replica.password,
                username=replica.username,
                graph=replica.graph,
                query_timeout_ms=settings.query_timeout_ms,
            )
        )
    return ReplicatedStore(primary, replicas)
