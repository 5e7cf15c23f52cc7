"""``factcheck gate``: the publication gate as a command for a desk, a CMS hook or CI.

Exit codes: 0 may publish, 1 blocked (one line per reason, with evidence),
2 the gate could not run. It fails closed: *any* error inside the gate,
including a bug, ends in exit 2, never 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .errors import FactcheckError

EXIT_PUBLISH, EXIT_BLOCKED, EXIT_ERROR = 0, 1, 2


def _where(e) -> str:
    return f"{e.path}:{e.line}" if e.line else f"{e.path} (chars {e.start}-{e.end})"


def render_text(result) -> str:
    """The gate's answer for a terminal: decision, blocking reasons one line each, then a tally."""
    lines: list[str] = []
    blocking = [r for r in result.reasons if r.blocks]
    if blocking:
        lines.append(f"BLOCKED: {len(blocking)} reason{'s' * (len(blocking) != 1)} "
                     f"({result.draft} against {len(result.sources)} source{'s' * (len(result.sources) != 1)})")
        for r in blocking:
            diff = f" Word diff: {r.detail['diff']}" if "diff" in r.detail else ""
            lines.append(f"  [{r.severity}] {r.kind} {r.finding_id}: {r.summary}{diff} "
                         f"[{'; '.join(_where(e) for e in r.evidence)}]")
    else:
        lines.append(f"PUBLISH: no blocking reason ({result.draft} against {len(result.sources)} "
                     f"source{'s' * (len(result.sources) != 1)})")
    passed = [r for r in result.reasons if not r.blocks and r.review_status in ("accepted", "dismissed")]
    for r in passed:
        lines.append(f"  passed after review ({r.review_status}): {r.kind} {r.finding_id} "
                     f"[{'; '.join(_where(e) for e in r.evidence)}]")
    notes = [r for r in result.reasons if not r.blocks and r not in passed]
    if notes:
        counts: dict[str, int] = {}
        for r in notes:
            counts[r.kind] = counts.get(r.kind, 0) + 1
        lines.append("  not blocking under this policy: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
                     + " (--format json lists them)")
    tally: dict[str, int] = {}
    for c in result.claims:
        tally[c.status] = tally.get(c.status, 0) + 1
    lines.append("  claims: " + ", ".join(f"{tally.get(s, 0)} {s}" for s in ("supported", "contradicted", "unsupported"))
                 + f"; quotes: {len(result.quotes)} checked")
    for w in result.warnings:
        lines.append(f"  warning: {w}")
    return "\n".join(lines)


def _error_out(fmt: str, message: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps({"decision": "error", "exit_code": EXIT_ERROR, "error": message}))
    typer.echo(f"error: {message}", err=True)


def gate_command(
    draft: Path = typer.Argument(..., help="The draft article to check (.txt .md .html .json)."),
    sources: List[Path] = typer.Option(..., "--sources", "-s", help="Folder (or file) of source articles; repeatable."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="TOML policy file ([gate] table); defaults without it."),
    fmt: str = typer.Option("text", "--format", help="text|json (json: one object on stdout for a CMS or CI)."),
    reviews: Optional[Path] = typer.Option(
        None, "--reviews",
        help="Report path (as given to check --out) whose review decisions apply: accepted/dismissed findings pass."),
    backend: str = typer.Option("onnx", help="Embedding backend: onnx (int8, fast) or torch."),
    model: Optional[str] = typer.Option(None, help="Path of another local sentence-transformers model."),
) -> None:
    """May the draft be published? Checks its claims and quotes against the sources (exit 0 publish, 1 blocked, 2 error)."""
    from .cliutil import show_warnings

    show_warnings()
    code = run_gate(draft, sources, policy, fmt, reviews, backend, model)
    raise typer.Exit(code)


def run_gate(draft: Path, sources: List[Path], policy: Optional[Path], fmt: str, reviews: Optional[Path],
             backend: str = "onnx", model: Optional[str] = None, embedder=None) -> int:
    """Run the gate, print its answer, return the exit code. Never returns 0 on an error."""
    if fmt not in ("text", "json"):
        _error_out("text", f"--format {fmt}: unknown format. Fix: use --format text or --format json")
        return EXIT_ERROR
    try:
        from .gate import check_inputs, gate, load_policy

        pol = load_policy(policy)
        check_inputs(draft, sources)
        if embedder is None:
            from .pipeline import make_embedder

            embedder = make_embedder(backend=backend, model_path=model)
        result = gate(draft, sources, pol, embedder=embedder, reviews_for=reviews)
        code = EXIT_BLOCKED if result.decision == "blocked" else EXIT_PUBLISH
        if result.decision not in ("publish", "blocked"):  # defensive: an unknown answer never publishes
            raise RuntimeError(f"gate returned {result.decision!r}")
        if fmt == "json":
            data = result.model_dump(mode="json")
            data["exit_code"] = code
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            typer.echo(render_text(result))
        return code
    except FactcheckError as exc:
        _error_out(fmt, str(exc))
        return EXIT_ERROR
    except Exception as exc:  # fail closed: a bug must not let a draft through
        _error_out(fmt, f"the gate could not run ({exc.__class__.__name__}: {exc}); not publishing. "
                        "Fix: report this with the command line that failed")
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    app = typer.Typer(add_completion=False)
    app.command()(gate_command)
    sys.exit(app())
