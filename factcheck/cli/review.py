"""``factcheck review``: list, show and decide on a report's findings.

Sub-commands are plain and scriptable; with no sub-command, an interactive walk
through the open findings (a terminal is required for that).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import FactcheckError
from .common import App, Choice, fail

DEFAULT_REPORT = Path("reports/report")
Report = Annotated[
    Path,
    typer.Option(
        "--report",
        "-r",
        help="Report path as given to check --out (reads REPORT.json, keeps decisions in REPORT.reviews.json).",
    ),
]
FindingId = Annotated[str, typer.Argument(help="Finding id or a unique prefix of it.")]


class Status(Choice):
    """Review statuses (``factcheck.review.STATUSES``; a test keeps the two equal)."""

    open = "open"
    confirmed = "confirmed"
    dismissed = "dismissed"
    accepted = "accepted"
    resolved = "resolved"

    @classmethod
    def problem(cls) -> str:
        return "not a review status"


review_app = App(
    help="Review flagged findings: confirm (real), dismiss (false alarm), accept (real, fine to publish), reopen."
    "\n\nWithout a sub-command, factcheck review [--report REPORT] walks through the report's open findings one "
    "by one, evidence side by side, in a terminal: c=confirm d=dismiss a=accept n=note s=skip q=quit. "
    "The sub-commands do the same from a script.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


@review_app.callback()
def review_main(
    ctx: typer.Context,
    report: Report = DEFAULT_REPORT,
    by: Annotated[
        str | None, typer.Option("--by", help="Reviewer name (default: $FACTCHECK_REVIEWER, then $USER).")
    ] = None,
) -> None:
    """Without a sub-command: walk through open findings one by one (c=confirm d=dismiss a=accept n=note s=skip q=quit)."""
    if ctx.invoked_subcommand is not None:
        return
    if not _stdin_is_tty():
        typer.echo(
            "error: interactive review needs a terminal. Fix: use the sub-commands "
            "(factcheck review list | show ID | confirm ID | dismiss ID | accept ID | reopen ID)",
            err=True,
        )
        raise typer.Exit(2)
    try:
        _interactive(report, by)
    except FactcheckError as exc:
        fail(exc)


def _render(view, position: str) -> None:
    from rich.columns import Columns
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    console = Console()
    f = view.finding
    console.rule(f"{position}  {f.id} · {f.kind} · {f.severity} · {view.status}")
    console.print(f.summary)
    # Side by side when the terminal is wide enough, stacked otherwise.
    n = max(1, len(f.evidence))
    width = console.width // n - 1 if console.width // n >= 50 else None
    panels = [
        Panel(
            Text(e.text),
            title=f"{e.article_id}" + (f" — {e.role}" if e.role else ""),
            subtitle=e.place(),
            width=width,
            expand=width is None,
        )
        for e in f.evidence
    ]
    console.print(Columns(panels, equal=True, expand=width is None))
    if "diff" in f.detail:
        console.print(Text("word diff: " + f.detail["diff"]))
    if view.history:
        last = view.history[-1]
        console.print(
            f"last decision: {last.status} by {last.reviewer} at {last.at}" + (f" — {last.note}" if last.note else "")
        )


def _interactive(report: Path, by: str | None) -> None:
    from ..review import decide, list_findings

    views = list_findings(report, status="open")
    if not views:
        typer.echo(f"no open findings in {report} (factcheck review list --report {report} shows all)")
        return
    keys = {"c": "confirmed", "d": "dismissed", "a": "accepted"}
    done = 0
    for i, view in enumerate(views, 1):
        _render(view, f"[{i}/{len(views)}]")
        note: str | None = None
        while True:
            typer.echo("[c]onfirm  [d]ismiss  [a]ccept  [n]ote  [s]kip  [q]uit ? ", nl=False)
            key = typer.getchar().lower()
            typer.echo(key)
            if key in keys:
                d = decide(report, view.finding.id, keys[key], by, note)  # type: ignore[arg-type]
                typer.echo(f"{d.finding_id}: {d.status} by {d.reviewer}")
                done += 1
                break
            if key == "n":
                note = typer.prompt("note", default="", show_default=False) or None
                continue
            if key == "s":
                break
            if key == "q":
                typer.echo(f"{done} decided; stopped at {view.finding.id}")
                return
            typer.echo("answer with one of c d a n s q")
    typer.echo(f"{done} decided, {len(views) - done} still open")


@review_app.command("list")
def list_cmd(
    report: Report = DEFAULT_REPORT,
    status: Annotated[
        Status | None,
        typer.Option(
            "--status",
            metavar="<status>",  # five choices do not fit the type column; the help lists them
            help=f"Only findings with this status: {', '.join(Status)}.",
        ),
    ] = None,
) -> None:
    """List the report's findings with their review status, one per line."""
    from ..review import list_findings

    wanted = status.value if status is not None else None
    try:
        views = list_findings(report, wanted)
    except FactcheckError as exc:
        fail(exc)
    for v in views:
        f = v.finding
        typer.echo(f"{f.id}  {v.status:<9}  {f.severity:<6}  {f.kind:<18}  {f.summary}")
    if not views:
        typer.echo("no findings" + (f" with status {wanted}" if wanted else ""), err=True)


@review_app.command("show")
def show_cmd(finding_id: FindingId, report: Report = DEFAULT_REPORT) -> None:
    """Show one finding: summary, evidence with file:line, word diff, decision history."""
    from ..review import show_finding

    try:
        v = show_finding(report, finding_id)
    except FactcheckError as exc:
        fail(exc)
    f = v.finding
    typer.echo(f"{f.id} · {f.kind} · {f.severity} · review: {v.status}")
    typer.echo(f.summary)
    for e in f.evidence:
        typer.echo(f"  {e.article_id}{' — ' + e.role if e.role else ''} [{e.place()}]: {e.text}")
    if "diff" in f.detail:
        typer.echo(f"  word diff: {f.detail['diff']}")
    for d in v.history:
        typer.echo(f"  {d.at}  {d.status:<9} by {d.reviewer}" + (f": {d.note}" if d.note else ""))


def _decide_cmd(status: str, finding_id: str, report: Path, note: str | None, by: str | None) -> None:
    from ..review import decide

    try:
        d = decide(report, finding_id, status, by, note)  # type: ignore[arg-type]
    except FactcheckError as exc:
        fail(exc)
    typer.echo(f"{d.finding_id}: {d.status} by {d.reviewer}" + (f" ({d.note})" if d.note else ""))


def _make(status: str, verb: str, help_text: str):
    def command(
        finding_id: FindingId,
        report: Report = DEFAULT_REPORT,
        note: Annotated[str | None, typer.Option("--note", "-m", help="Why (kept with the decision).")] = None,
        by: Annotated[
            str | None, typer.Option("--by", help="Reviewer (default: $FACTCHECK_REVIEWER, then $USER).")
        ] = None,
    ) -> None:
        _decide_cmd(status, finding_id, report, note, by)

    command.__doc__ = help_text
    review_app.command(verb)(command)


_make("confirmed", "confirm", "Mark a finding as a real discrepancy (it keeps blocking the gate).")
_make("dismissed", "dismiss", "Mark a finding as a false alarm (the gate lets it pass).")
_make("accepted", "accept", "Mark a finding as real but acceptable for publication (the gate lets it pass).")
_make("open", "reopen", "Set a finding back to open; earlier decisions stay in its history.")
