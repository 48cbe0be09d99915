"""`clusterkg serve`: the GraphQL API, the explorer, the analyst page and /health over the graph."""

from __future__ import annotations

import typer

from clusterkg.cli.support import out, replay_progress
from clusterkg.errors import ConfigError
from clusterkg.graph import embedded_server, resolve_target
from clusterkg.settings import Settings


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Interface to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface, which needs analyst tokens or --open).",
    ),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    workers: int = typer.Option(1, "--workers", help="Worker processes (each opens its own engine connection)."),
    open_access: bool = typer.Option(
        False,
        "--open",
        help="Beyond loopback without CLUSTERKG_ANALYST_TOKENS: leave the Cypher page and the jobs open to everyone who can reach the server.",
    ),
    cache_mb: int | None = typer.Option(
        None,
        "--cache-mb",
        min=0,
        help="GraphQL answers kept per worker until a load changes the graph (default 64; 0: no cache). Env CLUSTERKG_RESPONSE_CACHE_MB.",
    ),
    cache_max_age: int | None = typer.Option(
        None,
        "--cache-max-age",
        min=0,
        help="Cache-Control max-age (s) of cacheable GET answers (default 0: clients revalidate with the ETag). Env CLUSTERKG_CACHE_MAX_AGE.",
    ),
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql), the analyst page (/cypher) and /health over the graph (README: Security)."""
    import os

    import uvicorn

    from clusterkg.graphql.context import ApiSettings
    from clusterkg.settings import WebSettings
    from clusterkg.web.security import describe

    settings: Settings = ctx.obj
    web = WebSettings.from_env(bind_host=host, open_access=open_access or None)
    if web.public and not web.analyst_tokens:
        raise ConfigError(
            f"--host {host} serves beyond this machine: set CLUSTERKG_ANALYST_TOKENS (tokens for the Cypher page and the matching jobs), "
            "or pass --open to leave them open to everyone who can reach the server"
        )
    # workers are separate processes: the settings travel in the environment
    os.environ["CLUSTERKG_GRAPH_URL"] = settings.graph_url
    os.environ["CLUSTERKG_DATA_DIR"] = str(settings.data_dir.resolve())
    os.environ["CLUSTERKG_BIND_HOST"] = host
    os.environ["CLUSTERKG_OPEN"] = "1" if web.open_access else ""
    if cache_mb is not None:
        os.environ["CLUSTERKG_RESPONSE_CACHE_MB"] = str(cache_mb)
    if cache_max_age is not None:
        os.environ["CLUSTERKG_CACHE_MAX_AGE"] = str(cache_max_age)
    os.environ["CLUSTERKG_SHARED_CACHE"] = "1" if workers > 1 else ""
    ApiSettings.from_env()  # a bad value in the environment stops here, not in every worker
    target = resolve_target(settings)
    if target.kind == "embedded":
        with replay_progress() as on_replay:
            embedded_server(settings, target).ensure_running(on_replay)  # once, before the workers start
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    out.print(f"clusterkg API on {target.describe()}")
    out.print(f"  explorer (map, directory, partners): http://{shown}:{port}/")
    out.print(f"  analyst page (Cypher, read-only):  http://{shown}:{port}/cypher")
    out.print(f"  GraphQL (GraphiQL in a browser):   http://{shown}:{port}/graphql")
    out.print(f"  health:                            http://{shown}:{port}/health")
    for line in describe(web):
        out.print(f"  {line}")
    uvicorn.run(
        "clusterkg.web.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=bool(web.trusted_proxies),
        forwarded_allow_ips=",".join(web.trusted_proxies) or None,
    )
