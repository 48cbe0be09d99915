"""The clusterkg command line, one module per command group: `load`, `query`, `serve`, `db`, `match`, with `support` for what they share.

Every command works on the engine named by --graph-url / CLUSTERKG_GRAPH_URL
(default: the embedded FalkorDB in --data-dir / CLUSTERKG_DATA_DIR, started
on first use and shared by later commands until `clusterkg db stop`).
Errors a user can cause print one line and exit non-zero; never a traceback.
It is the top floor: it may import every layer, and nothing imports it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from clusterkg.cli.db import db_app
from clusterkg.cli.load import demo_command, generate_command, load_app
from clusterkg.cli.match import consortium_command, match_app
from clusterkg.cli.outbox import outbox_command
from clusterkg.cli.query import export_command, export_schema_command, query_command, region_command, stats_command
from clusterkg.cli.serve import serve_command
from clusterkg.cli.support import err
from clusterkg.cli.users import users_app
from clusterkg.errors import ClusterKGError
from clusterkg.settings import Settings

app = typer.Typer(
    help="clusterkg: a knowledge graph of the European cluster ecosystem.\n\n"
    "Start with `clusterkg db init` and `clusterkg load reference`, then ask with `clusterkg query`.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.add_typer(db_app, name="db")
app.add_typer(load_app, name="load")
app.add_typer(match_app, name="match")
app.add_typer(users_app, name="users")
_COMMANDS: dict[str, Callable[..., Any]] = {
    "generate": generate_command,
    "demo": demo_command,
    "region": region_command,
    "query": query_command,
    "stats": stats_command,
    "export": export_command,
    "serve": serve_command,
    "export-schema": export_schema_command,
    "consortium": consortium_command,
    "outbox": outbox_command,
}
for _name, _command in _COMMANDS.items():
    app.command(_name)(_command)


@app.callback()
def configure(
    ctx: typer.Context,
    graph_url: str | None = typer.Option(
        None,
        "--graph-url",
        help="Engine: falkordb+embedded://[DIR] (default), redis://host:port, neo4j://user:pass@host:7687. Env: CLUSTERKG_GRAPH_URL.",
    ),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Data dir of the embedded engine (default ./data). Env: CLUSTERKG_DATA_DIR."
    ),
) -> None:
    ctx.obj = Settings.from_env(graph_url=graph_url, data_dir=data_dir)


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit code 1."""
    try:
        app()
    except ClusterKGError as exc:
        err.print(
            f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True
        )  # commands in messages stay on one line, to copy
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
