"""Settings read from the environment, overridable by CLI options.

One setting picks the engine (DESIGN.md §3):
  CLUSTERKG_GRAPH_URL   falkordb+embedded://[DIR]   (default; DIR defaults to CLUSTERKG_DATA_DIR)
                        redis://[:password@]host:port[?graph=name]
                        neo4j://user:pass@host:7687[/database]  (also bolt://, neo4j+s://, bolt+s://)
  CLUSTERKG_DATA_DIR    data directory of the embedded engine (default ./data)
  CLUSTERKG_APPENDFSYNC everysec (default) or always: how often the embedded AOF is fsynced
  CLUSTERKG_QUERY_TIMEOUT_MS  time limit of a read query (default 30000)
  CLUSTERKG_QUERY_MEMORY_MB   the embedded engine's memory limit per query (default 1024; 0: none)

Serving (WebSettings; README "Security"):
  CLUSTERKG_ANALYST_TOKENS    comma-separated bearer tokens for the Cypher page and the matching jobs
                              (needed when served beyond loopback; on loopback everything is open)
  CLUSTERKG_ALLOWED_HOSTS     Host names the server answers to (default: localhost, 127.0.0.1, ::1 and the bind host)
  CLUSTERKG_CORS_ORIGINS      comma-separated origins of front-ends allowed to call /graphql from a browser
  CLUSTERKG_GRAPHQL_RATE      GraphQL requests per minute per client (default: 600 when public, 0 = off on loopback)
  CLUSTERKG_TRUSTED_PROXIES   addresses of reverse proxies whose X-Forwarded-For names the client
  CLUSTERKG_MAX_BODY_BYTES    largest POST body (default 2000000)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from clusterkg.errors import ConfigError

DEFAULT_GRAPH_URL = "falkordb+embedded://"
DEFAULT_DATA_DIR = "./data"
DEFAULT_GRAPH_NAME = "clusterkg"
AppendFsync = Literal["everysec", "always"]  # how often the embedded engine fsyncs its append-only file
APPENDFSYNC_CHOICES: tuple[AppendFsync, ...] = ("everysec", "always")


def appendfsync_of(text: str) -> AppendFsync:
    """The setting named by `text`, or a ConfigError naming the choices."""
    if text not in APPENDFSYNC_CHOICES:
        raise ConfigError(f"appendfsync must be 'everysec' or 'always', not '{text}'")
    return text


@dataclass(frozen=True)
class Settings:
    graph_url: str = DEFAULT_GRAPH_URL
    data_dir: Path = field(default_factory=lambda: Path(DEFAULT_DATA_DIR))
    appendfsync: AppendFsync = "everysec"
    query_timeout_ms: int = 30_000
    # FalkorDB's TIMEOUT_DEFAULT also bounds writes (ENGINES.md §2); a load
    # batch of 5,000 rows takes well under a second, so minutes is generous.
    write_timeout_ms: int = 300_000
    max_timeout_ms: int = 600_000
    query_memory_mb: int = 1024
    # FalkorDB replicas `serve` reads from (redis://:password@host:port URLs); writes go to graph_url
    read_replicas: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        env = os.environ
        base = cls(
            graph_url=env.get("CLUSTERKG_GRAPH_URL", DEFAULT_GRAPH_URL),
            data_dir=Path(env.get("CLUSTERKG_DATA_DIR", DEFAULT_DATA_DIR)),
            appendfsync=appendfsync_of(env.get("CLUSTERKG_APPENDFSYNC", "everysec")),
            query_timeout_ms=_int(env, "CLUSTERKG_QUERY_TIMEOUT_MS", 30_000),
            query_memory_mb=_int(env, "CLUSTERKG_QUERY_MEMORY_MB", 1024),
            read_replicas=_list(env, "CLUSTERKG_READ_REPLICAS"),
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **given) if given else base


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class WebSettings:
    """Who may use what when serving (clusterkg.web.security)."""

    bind_host: str = "127.0.0.1"
    analyst_tokens: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()  # besides loopback and the bind host
    cors_origins: tuple[str, ...] = ()
    graphql_rate_per_minute: int | None = None  # None: 600 when public, off on loopback
    trusted_proxies: tuple[str, ...] = ()
    max_body_bytes: int = 2_000_000
    analyst_concurrency: int = 1  # Cypher queries at once per worker: one engine thread stays free for the API
    open_access: bool = False  # `serve --open`: beyond loopback without tokens, everything open (an explicit choice)

    @property
    def public(self) -> bool:
        """Served beyond this machine (and not --open): the Cypher page and the jobs need a token."""
        return self.bind_host not in LOOPBACK_HOSTS and not self.open_access

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*LOOPBACK_HOSTS, self.bind_host, *self.allowed_hosts)))

    @property
    def rate_per_minute(self) -> int:
        if self.graphql_rate_per_minute is not None:
            return self.graphql_rate_per_minute
        return 600 if self.public else 0

    @classmethod
    def from_env(cls, **overrides: Any) -> WebSettings:
        env = os.environ
        rate = env.get("CLUSTERKG_GRAPHQL_RATE")
        base = cls(
            bind_host=env.get("CLUSTERKG_BIND_HOST", "127.0.0.1"),
            analyst_tokens=_list(env, "CLUSTERKG_ANALYST_TOKENS"),
            allowed_hosts=_list(env, "CLUSTERKG_ALLOWED_HOSTS"),
            cors_origins=tuple(o.rstrip("/") for o in _list(env, "CLUSTERKG_CORS_ORIGINS")),
            graphql_rate_per_minute=_int(env, "CLUSTERKG_GRAPHQL_RATE", 0) if rate else None,
            trusted_proxies=_list(env, "CLUSTERKG_TRUSTED_PROXIES"),
            max_body_bytes=_int(env, "CLUSTERKG_MAX_BODY_BYTES", 2_000_000),
            open_access=env.get("CLUSTERKG_OPEN", "") == "1",
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **given) if given else base


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name)
    if text is None or not text.strip():
        return default
    try:
        return int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not '{text}'") from None
