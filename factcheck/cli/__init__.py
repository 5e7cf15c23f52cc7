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

from . import check, dev, gate, review
from .common import App

# Before any command loads a model: offline, and no tokenizer thread warnings.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

app = App(
    help="factcheck: cross-source fact-consistency checker for news desks. "
    "Where do reports of one event agree, where do they differ, may the draft go out?",
    no_args_is_help=True,
)

app.command("check")(check.check)
app.command("extract")(check.extract)
app.command("eval")(dev.eval_cmd)
app.command("gate", cls=gate.GateCommand)(gate.gate_command)  # usage errors answer in JSON too
app.command("bench")(dev.bench_command)
app.add_typer(review.review_app, name="review")


def main() -> None:  # pragma: no cover - console entry
    app()
