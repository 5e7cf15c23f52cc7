"""What every command shares: how a user error ends a command."""

from __future__ import annotations

import logging

import typer

from ..errors import FactcheckError


def fail(exc: FactcheckError) -> None:
    """Print the one-line error (input, problem, fix) and exit with its code; no traceback."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


class _Warnings(logging.Handler):
    """``warning: ...`` on the stderr of the moment (CliRunner swaps it per call)."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"warning: {record.getMessage()}", err=True)


def show_warnings(quiet: bool = False) -> None:
    """Print the core's warnings (a healed cache, a cut file) on stderr; none with --quiet."""
    log = logging.getLogger("factcheck")
    handler = next((h for h in log.handlers if isinstance(h, _Warnings)), None)
    if handler is None:
        handler = _Warnings()
        log.addHandler(handler)
    handler.setLevel(logging.ERROR if quiet else logging.WARNING)
    log.setLevel(logging.WARNING)
