"""``factcheck gate``: the publication gate as a command for a desk, a CMS hook or CI.

Exit codes: 0 may publish, 1 blocked (one line per reason, with evidence),
2 the gate could not run. It fails closed: *any* error inside the gate,
including a bug or a mistyped option, ends in exit 2, never 0; with
``--format json`` that error is a JSON object on stdout too, so a CMS that
parses stdout never has to scrape a usage box.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from ..errors import FactcheckError, InputError
from .common import Backend, Choice, Command, click_errors, show_warnings

EXIT_PUBLISH, EXIT_BLOCKED, EXIT_ERROR = 0, 1, 2
STDIN = "-"


def _places(reason, most: int = 4) -> str:
    """Where to look: the draft first, then the sources, at most ``most`` of them (JSON has all)."""
    evs = ([reason.draft] if reason.draft is not None else []) + list(reason.sources)
    seen = list(dict.fromkeys(e.place() for e in evs)) or ["no evidence span"]
    more = f"; {len(seen) - most} more in --format json" if len(seen) > most else ""
    return "; ".join(seen[:most]) + more


def render_text(result) -> str:
    """The gate's answer for a terminal: decision, blocking reasons one line each, then what was assumed."""
    lines: list[str] = []
    n_src = len(result.sources)
    against = f"({result.draft} against {n_src} source{'s' * (n_src != 1)})"
    blocking = [r for r in result.reasons if r.blocks]
    if blocking:
        lines.append(f"BLOCKED: {len(blocking)} reason{'s' * (len(blocking) != 1)} {against}")
        for r in blocking:
            diff = f" Word diff: {r.detail['diff']}" if "diff" in r.detail else ""
            short = r.draft is not None and 0 < len(r.draft.text) < 120  # a figure, a date, a name; not a sentence
            draft = f" Draft: “{r.draft.text}”" if short else ""
            review = ""
            if r.review is not None and r.review.why_not:
                review = f" (review not honoured: {r.review.why_not})"
            lines.append(f"  [{r.severity}] {r.kind} {r.finding_id}: {r.summary}{draft}{diff}{review} [{_places(r)}]")
    else:
        lines.append(f"PUBLISH: no blocking reason {against}")
    passed = [r for r in result.reasons if not r.blocks and r.review is not None and r.review.honoured]
    for r in passed:
        lines.append(
            f"  passed after review ({r.review.status} by {r.review.reviewer}: {r.review.note or 'no note'}): "
            f"{r.kind} {r.finding_id} [{_places(r)}]"
        )
    notes = [r for r in result.reasons if not r.blocks and r not in passed]
    if notes:
        counts: dict[str, int] = {}
        for r in notes:
            counts[r.kind] = counts.get(r.kind, 0) + 1
        lines.append(
            "  not blocking under this policy: "
            + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
            + " (--format json lists them)"
        )
    tally: dict[str, int] = {}
    for c in result.claims:
        tally[c.status] = tally.get(c.status, 0) + 1
    facts: dict[str, int] = {}
    for f in result.facts:
        facts[f.verdict] = facts.get(f.verdict, 0) + 1
    lines.append(
        "  claims: "
        + ", ".join(
            f"{tally.get(s, 0)} {s.replace('_', ' ')}"
            for s in ("supported", "partly_supported", "contradicted", "unsupported")
        )
        + f"; quotes: {len(result.quotes)} checked"
        + f"; figures, dates, names: {len(result.facts)} checked"
        + (f" ({', '.join(f'{n} {v}' for v, n in sorted(facts.items()))})" if facts else "")
    )
    for a in result.assumptions:
        lines.append(f"  assumed: {a}")
    for u in result.unchecked:
        lines.append(f"  not fully checked ({u.check}): {u.detail}")
    for w in result.warnings:
        lines.append(f"  warning: {w}")
    return "\n".join(lines)


def _error_out(fmt: str, message: str, exc: FactcheckError | None = None) -> None:
    """The error on stderr; with --format json also one JSON object on stdout."""
    if fmt == "json":
        from ..gate import SCHEMA_VERSION

        data = {"schema_version": SCHEMA_VERSION, "decision": "error", "exit_code": EXIT_ERROR, "error": message}
        if exc is not None:
            data.update({"where": exc.where, "problem": exc.problem, "fix": exc.fix})
        typer.echo(json.dumps(data, ensure_ascii=False))
    typer.echo(f"error: {message}", err=True)


def _wants_json(args: list[str]) -> bool:
    for i, a in enumerate(args):
        if a == "--format" and i + 1 < len(args) and args[i + 1] == "json":
            return True
        if a == "--format=json":
            return True
    return False


class GateFormat(Choice):
    text = "text"
    json = "json"

    @classmethod
    def problem(cls) -> str:
        return "unknown format"


class GateCommand(Command):
    """The gate's click command: a usage error (unknown option, missing draft) honours --format json.

    Click reports usage errors before the command runs, as a box on stderr;
    a CMS asking for JSON gets the same one-object answer as every other error.
    """

    def make_context(self, info_name, args, parent=None, **extra):
        raw = list(args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click_errors("UsageError") as exc:
            if not _wants_json(raw):
                raise
            err = InputError("factcheck gate", exc.format_message().rstrip("."), "see factcheck gate --help")
            _error_out("json", str(err), err)
            raise typer.Exit(EXIT_ERROR) from None

    def input_error(self, err: FactcheckError, args: list[str]) -> NoReturn:
        """A bad option value (``--format xml``, ``--backend tf``): exit 2, in JSON too when asked."""
        _error_out("json" if _wants_json(args) else "text", str(err), err)
        raise typer.Exit(EXIT_ERROR)


def gate_command(
    draft: Annotated[
        str,
        typer.Argument(
            help="The draft article to check (.txt .md .markdown .html .json), or - to read "
            "it from standard input (text, or one JSON article object)."
        ),
    ],
    sources: Annotated[
        list[Path] | None, typer.Option("--sources", "-s", help="Folder (or file) of source articles; repeatable.")
    ] = None,
    policy: Annotated[
        Path | None, typer.Option("--policy", help="TOML policy file ([gate] table); defaults without it.")
    ] = None,
    fmt: Annotated[
        GateFormat, typer.Option("--format", help="text for a person, json for a CMS or CI (one object on stdout).")
    ] = GateFormat.text,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="The draft's publication day, YYYY-MM-DD (default: the draft's own date line, "
            "else today). Anchors the draft's relative dates.",
        ),
    ] = None,
    reviews: Annotated[
        Path | None,
        typer.Option(
            "--reviews",
            help="Report path (as given to check --out) whose review decisions apply: "
            "accepted/dismissed findings with a note pass.",
        ),
    ] = None,
    backend: Annotated[Backend, typer.Option(help="Embedding backend: onnx (int8, fast) or torch.")] = Backend.onnx,
    model: Annotated[str | None, typer.Option(help="Path of another local sentence-transformers model.")] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the embedding and extraction caches.")
    ] = False,
) -> None:
    """May the draft be published? Checks it against the sources: exit 0 publish, 1 blocked, 2 error.

    Its figures, dates, names, quotes and claims are each checked against the
    source articles; a blocked draft gets one line per reason, with where to
    look. With --format json the answer (or the error) is one JSON object on
    stdout, for a CMS or CI.
    """
    show_warnings()
    code = run_gate(
        draft, sources or [], policy, fmt.value, reviews, backend.value, model, published=published, cache=not no_cache
    )
    raise typer.Exit(code)


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    return data


def run_gate(
    draft: str | Path,
    sources: list[Path],
    policy: Path | None,
    fmt: str,
    reviews: Path | None,
    backend: str = "onnx",
    model: str | None = None,
    embedder=None,
    published: str | None = None,
    cache: bool = True,
) -> int:
    """Run the gate, print its answer, return the exit code. Never returns 0 on an error."""
    if fmt not in ("text", "json"):
        _error_out("text", f"--format {fmt}: unknown format. Fix: use --format text or --format json")
        return EXIT_ERROR
    try:
        from ..gate import (
            check_inputs,
            draft_from_bytes,
            gate,
            load_policy,
            parse_published,
        )

        pol = load_policy(policy)
        day = parse_published(published)
        the_draft = draft_from_bytes(_read_stdin()) if str(draft) == STDIN else Path(draft)
        check_inputs(the_draft, sources)
        if embedder is None:
            from ..pipeline import make_embedder

            embedder = make_embedder(backend=backend, model_path=model, cache=cache)
        result = gate(the_draft, sources, pol, embedder=embedder, reviews_for=reviews, published=day, cache=cache)
        if result.decision not in ("publish", "blocked"):  # defensive: an unknown answer never publishes
            raise RuntimeError(f"gate returned {result.decision!r}")
        code = EXIT_BLOCKED if result.decision == "blocked" else EXIT_PUBLISH
        if fmt == "json":
            typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        else:
            typer.echo(render_text(result))
        return code
    except FactcheckError as exc:
        _error_out(fmt, str(exc), exc)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - fail closed: a bug must not let a draft through
        _error_out(
            fmt,
            f"the gate could not run ({exc.__class__.__name__}: {exc}); not publishing. "
            "Fix: report this with the command line that failed",
        )
        return EXIT_ERROR
