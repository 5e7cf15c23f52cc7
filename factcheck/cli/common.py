"""What every command shares: how a user error ends a command, the core's
warnings and the progress of a long run on stderr, closed sets of option
values (``Choice``), and help drawn as written (``App``, ``Command``, ``Group``)."""

from __future__ import annotations

import inspect
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, NoReturn, Self

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from rich.progress import TaskID

from ..errors import FactcheckError, InputError


def fail(exc: FactcheckError) -> NoReturn:
    """Print the one-line error (input, problem, fix) and exit with its code; no traceback."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


class _Warnings(logging.Handler):
    """``warning: ...`` on the stderr of the moment (CliRunner swaps it per call)."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"warning: {record.getMessage()}", err=True)


def show_warnings() -> None:
    """Print the core's warnings (a healed cache, a cut file) on stderr, --quiet or not."""
    log = logging.getLogger("factcheck")
    handler = next((h for h in log.handlers if isinstance(h, _Warnings)), None)
    if handler is None:
        handler = _Warnings()
        log.addHandler(handler)
    handler.setLevel(logging.WARNING)
    log.setLevel(logging.WARNING)


# --- progress -------------------------------------------------------------------

# The stages the core reports (``factcheck.pipeline.check``), as a person reads them.
STAGES = {"extract": "extracting claims", "embed": "embedding", "events": "grouping events", "compare": "comparing"}


class Progress:
    """The core's ``on_progress(stage, n, total)`` drawn on stderr, one row per stage:
    what it is doing, a bar, items done of the stage's items, time taken, time left.

    Only for a person at a terminal: nothing with --quiet, nothing when stderr
    is a log, a pipe or CI. Rows go when the run ends.
    """

    def __init__(self, quiet: bool) -> None:
        self._bar = None
        self._rows: dict[str, TaskID] = {}
        if not quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bars

            width = max(map(len, STAGES.values()))
            self._bar = Bars(
                TextColumn(f"{{task.description:<{width}}}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )

    def __enter__(self) -> Self:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stage: str, n: int, total: int = 0) -> None:
        """``n`` more of ``stage``'s ``total`` items done (0 items: it starts; total 0: not known)."""
        if self._bar is None:
            return
        row = self._rows.get(stage)
        if row is None:
            row = self._rows[stage] = self._bar.add_task(STAGES.get(stage, stage), total=total or None)
        self._bar.update(row, advance=n, total=total or None)


# --- closed sets of option values ----------------------------------------------


class Choice(StrEnum):
    """The values an option takes: typer checks them and ``--help`` lists them.

    A value outside the set is a one-line input error, like every other
    (``error: --backend tf: unknown embedding backend. Fix: use --backend onnx
    or --backend torch``), not a usage box. A subclass names its problem.
    """

    @classmethod
    def problem(cls) -> str:
        return "unknown value"

    @classmethod
    def error(cls, option: str, value: str) -> InputError:
        values = [m.value for m in cls]
        fix = (
            f"use {option} {values[0]} or {option} {values[1]}"
            if len(values) == 2
            else f"use one of {', '.join(values)}"
        )
        return InputError(f"{option} {value}", cls.problem(), fix)


class Backend(Choice):
    onnx = "onnx"
    torch = "torch"

    @classmethod
    def problem(cls) -> str:
        return "unknown embedding backend"


def click_errors(name: str) -> tuple[type[Exception], ...]:
    """Click's exception class ``name`` (``BadParameter``, ``UsageError``): typer vendors click
    from 0.2x on (``typer._click``), older typers use click itself; both where both exist."""
    import importlib

    found: list[type[Exception]] = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            pass
    return tuple(found)


def _choice_of(param) -> type[Choice] | None:
    """The ``Choice`` an option is declared with, if any."""
    desc = getattr(param, "type_descriptor", None)
    annotation = getattr(desc, "annotation", None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, Choice) else None


# --- help -----------------------------------------------------------------------


def plain(text: str) -> str:
    """A help text as rich should draw it: paragraphs rewrapped, markup characters literal."""
    from rich.markup import escape

    paragraphs = inspect.cleandoc(text).split("\n\n")
    return escape("\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs))


@contextmanager
def _plain_help(cmd, ctx) -> Iterator[None]:
    """While help is drawn: help texts are plain text, and flags show no value type.

    typer renders help strings as rich markup, so ``TOML policy file ([gate]
    table)`` lost its ``[gate]``, and keeps a docstring's line breaks; our help
    texts are plain paragraphs, so they go through ``plain`` here (the strings
    themselves stay as written). And typer 0.29's rich panel asks every option
    for its type (``TyperOption.display_type_rich``), flags included, so
    ``--quiet`` and ``--help`` read ``<bool>`` as if they took a value; the
    plain formatter skips flags, and an empty metavar does the same here.
    """
    saved: list[tuple[object, str, object]] = []

    def swap(obj: object, attr: str, value: object) -> None:
        saved.append((obj, attr, getattr(obj, attr)))
        setattr(obj, attr, value)

    listed = [cmd.get_command(ctx, n) for n in cmd.list_commands(ctx)] if isinstance(cmd, TyperGroup) else []
    for obj in [cmd, *listed]:
        for attr in ("help", "short_help"):
            if getattr(obj, attr, None):
                swap(obj, attr, plain(getattr(obj, attr)))
    for param in cmd.get_params(ctx):
        if getattr(param, "help", None):
            swap(param, "help", plain(param.help))
        if getattr(param, "is_flag", False) and param.metavar is None:
            swap(param, "metavar", "")
    try:
        yield
    finally:
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)


class Group(TyperGroup):
    """A factcheck command group (the app, ``review``): help drawn as written."""

    def format_help(self, ctx, formatter) -> None:
        with _plain_help(self, ctx):
            super().format_help(ctx, formatter)


class Command(TyperCommand):
    """A factcheck command: help drawn as written; a value outside an option's ``Choice`` is a one-line input error."""

    def format_help(self, ctx, formatter) -> None:
        with _plain_help(self, ctx):
            super().format_help(ctx, formatter)

    def parse_args(self, ctx, args):
        raw = list(args)
        try:
            return super().parse_args(ctx, args)
        except click_errors("BadParameter") as exc:
            param = getattr(exc, "param", None)
            choice = _choice_of(param)
            if choice is None:
                raise
            # The value as typed: click's own parser, run again on the raw arguments.
            opts, _, _ = self.make_parser(ctx).parse_args(args=list(raw))
            value = opts.get(param.name)
            if not isinstance(value, str):
                raise
            option = next((o for o in param.opts if o.startswith("--")), param.opts[0])
            self.input_error(choice.error(option, value), raw)

    def input_error(self, err: FactcheckError, args: list[str]) -> NoReturn:
        """How this command reports a bad option value (the gate answers in JSON when asked)."""
        fail(err)


class App(typer.Typer):
    """A typer app of factcheck ``Command``s in a ``Group``; no shell-completion options, no pretty tracebacks."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cls", Group)
        kwargs.setdefault("rich_markup_mode", "rich")  # for rich_help_panel; texts are escaped (see _plain_help)
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("pretty_exceptions_enable", False)
        super().__init__(**kwargs)

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs):
        return super().command(name, cls=cls or Command, **kwargs)
