"""What every command shares: how a user error ends a command."""

from __future__ import annotations

import typer

from .errors import FactcheckError


def fail(exc: FactcheckError) -> None:
    """Print the one-line error (input, problem, fix) and exit with its code; no traceback."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)
