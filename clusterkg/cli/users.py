"""`clusterkg users …`: the accounts that may write (editors, moderators, admins, analysts), kept in the data dir.

A token is printed once, when it is made, and stored only as its argon2 hash:
lost, it cannot be shown again; `users token EMAIL` makes a new one.
"""

from __future__ import annotations

import typer
from rich.table import Table

from clusterkg.accounts.principal import ROLES
from clusterkg.accounts.store import AccountStore
from clusterkg.cli.support import out
from clusterkg.errors import NotFound
from clusterkg.settings import Settings

users_app = typer.Typer(
    help="Accounts that may write: editors of clusters, moderators, admins, analysts (tokens shown once).",
    no_args_is_help=True,
)


def _accounts(ctx: typer.Context) -> AccountStore:
    settings: Settings = ctx.obj
    return AccountStore(settings.data_dir)


def _print_token(email: str, text: str) -> None:
    out.print(f"token for {email} (shown this once; send it as Authorization: Bearer <token>, or paste it to sign in):")
    out.print(text, highlight=False, soft_wrap=True)


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The person's e-mail address (their sign-in name)."),
    role: list[str] = typer.Option(
        ["editor"], "--role", help=f"One of {', '.join(ROLES)}; repeat for several (default editor)."
    ),
    cluster: list[str] = typer.Option([], "--cluster", help="A cluster id the editor edits; repeat for several."),
    name: str | None = typer.Option(None, "--name", help="The person's name, as history shows it."),
) -> None:
    """Add an account and print its first token (once)."""
    account, token = _accounts(ctx).add(email, role, cluster, name=name)
    out.print(
        f"added {account.email}: {', '.join(sorted(account.roles))}"
        + (f" of {', '.join(sorted(account.clusters))}" if account.clusters else "")
    )
    _print_token(account.email, token.text)


@users_app.command("list")
def users_list(ctx: typer.Context) -> None:
    """Every account with its roles and clusters (never a token)."""
    table = Table(show_edge=False)
    for column in ("email", "roles", "clusters", "created", "revoked"):
        table.add_column(column)
    for account in _accounts(ctx).all():
        table.add_row(
            account.email,
            ", ".join(sorted(account.roles)),
            ", ".join(sorted(account.clusters)),
            account.created_at,
            account.revoked_at or "",
        )
    out.print(table)


@users_app.command("revoke")
def users_revoke(ctx: typer.Context, email: str = typer.Argument(..., help="The account to revoke.")) -> None:
    """Revoke an account and all its tokens at once (its history keeps its name)."""
    account = _accounts(ctx).revoke(email)
    out.print(f"revoked {account.email} and every token it had ({account.revoked_at})")


@users_app.command("token")
def users_token(ctx: typer.Context, email: str = typer.Argument(..., help="The account to give a new token.")) -> None:
    """Make a new token for an account (the old ones keep working until the account is revoked)."""
    accounts = _accounts(ctx)
    account = accounts.by_email(email)
    if account is None or not account.active:
        raise NotFound(f"no active account for {email}: `clusterkg users list` shows them")
    _print_token(account.email, accounts.new_token(account.id).text)
