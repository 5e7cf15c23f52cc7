"""Command line: thin typer commands over the importable core.

One module per command family: ``check`` (check, extract), ``review``,
``gate``, ``dev`` (eval, bench); ``common`` holds what they share.
Heavy libraries (torch, spaCy, sentence-transformers) are imported inside the
commands, never at module import, so ``factcheck --help`` is instant.
Exit codes: 0 ok, 1 a gate blocked publication, 2 bad input or a model that
could not load (the error names the file and the fix; no traceback).
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from . import check, dev, gate, review
from .common import App

# Before any command loads a model: offline, and no tokenizer thread warnings.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

USER = "Commands"
DEVELOPER = "Developer commands"

app = App(
    help="factcheck: cross-source fact-consistency checker for news desks. "
    "Where do reports of one event agree, where do they differ, may the draft go out?",
    no_args_is_help=True,
)


def version() -> str:
    """The installed package's version; the source's own when it is not installed."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("factcheck")
    except PackageNotFoundError:
        from .. import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {version()}")
        raise typer.Exit()


@app.callback()
def _factcheck(
    _version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_print_version, help="Print factcheck's version and exit."),
    ] = False,
) -> None:
    pass


# For a desk: check articles, review the findings, gate a draft.
app.command("check", rich_help_panel=USER)(check.check)
app.command("extract", rich_help_panel=USER)(check.extract)
app.add_typer(review.review_app, name="review", rich_help_panel=USER)
app.command("gate", cls=gate.GateCommand, rich_help_panel=USER)(gate.gate_command)  # usage errors answer in JSON too
# For whoever works on factcheck: accuracy and speed.
app.command("eval", rich_help_panel=DEVELOPER)(dev.eval_cmd)
app.command("bench", rich_help_panel=DEVELOPER)(dev.bench_command)


def main() -> None:  # pragma: no cover - console entry
    app()
