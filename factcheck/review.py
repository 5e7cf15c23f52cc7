"""Review stage: a person's decisions on flagged findings, kept beside the report.

The decisions live in ``<out>.reviews.json`` next to ``<out>.json`` and
``<out>.md``. JSON rather than SQLite because the file is small, diffs line by
line in git (a desk can commit it beside the report and see who decided what),
and needs no tool to read.

Guarantees (issue 12):

* **Nothing lost.** Every change to the files beside a report (a decision,
  a ``check`` re-run) is a read-modify-write under one exclusive lock,
  ``.<name>.lock`` beside the report (``filelock``: an OS lock, released by
  the kernel when a process dies, so a killed command never leaves it held).
  Two reviewers deciding at the same moment both get their decision in; a
  lock held longer than ``LOCK_TIMEOUT_S`` ends the waiting command with a
  one-line error, never with a write that overwrites another.
* **One truth.** The reviews file is the record; the review status in
  ``<out>.md`` and ``<out>.json`` is always rendered from it (and from the
  report's findings) by ``decide`` and by ``check``. Each file is written
  atomically (temp file + rename). A process killed between the two writes
  leaves the Markdown one decision behind until the next review command
  (``list`` and ``show`` included) or ``check`` re-renders it; temp files a
  killed write left beside the report are removed under the lock.

Each finding keeps its history of human decisions; the last one is the
current status. ``check`` marks a decided finding that disappeared
"resolved"; when it comes back that mark is taken off again, so the person's
own decision is current again (credited to them) and a finding that comes and
goes does not grow its history. Finding ids are content hashes
(``compare.finding_id``), so a decision follows its finding across re-runs.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Literal, Sequence, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import FactcheckError, InputError
from .io import output_error, read_bytes, write_json_atomic
from .models import Finding, Report

if TYPE_CHECKING:  # filelock is imported when a lock is taken
    from filelock import BaseFileLock

ReviewStatus = Literal["open", "confirmed", "dismissed", "accepted", "resolved"]
HUMAN_STATUSES: tuple[str, ...] = ("confirmed", "dismissed", "accepted")
# Statuses under which the gate lets a finding pass (policy accepted_findings_pass):
# "accepted" = real but fine to publish, "dismissed" = a false alarm.
PASSING_STATUSES: frozenset[str] = frozenset({"accepted", "dismissed"})
SYSTEM_REVIEWER = "factcheck"
STATUSES: tuple[str, ...] = get_args(ReviewStatus)
# A decision reads two small JSON files and writes three: well under a second.
# Waiting half a minute covers a slow disk or a long `check` re-render; a lock
# held longer than that is stuck (a hung process on a network share), and
# waiting on in silence would look like a hang.
LOCK_TIMEOUT_S = 30.0


class Decision(BaseModel):
    """One decision on one finding; the history of a finding is a list of these."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    finding_id: str
    status: ReviewStatus
    reviewer: str
    note: str | None = None
    at: str  # ISO 8601, UTC, to the second
    # Copied from the finding so the file reads on its own, even after the
    # finding has disappeared from the report.
    kind: str | None = None
    summary: str | None = None


class ReviewStore(BaseModel):
    """The contents of ``<out>.reviews.json``."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = 1
    report: str = ""
    findings: dict[str, list[Decision]] = Field(default_factory=dict)

    def current(self, finding_id: str) -> Decision | None:
        """The decision in force: the last one, with one exception for old files.

        Stores written before issue 12 appended a copy of the person's decision,
        credited to ``factcheck``, when a resolved finding came back; such a
        copy stands for the decision it restored, so that is what is current.
        """
        history = self.findings.get(finding_id)
        if not history:
            return None
        last = history[-1]
        if (
            len(history) >= 2
            and last.reviewer == SYSTEM_REVIEWER
            and last.status != "resolved"
            and history[-2].status == "resolved"
        ):
            human = [d for d in history[:-2] if d.reviewer != SYSTEM_REVIEWER]
            if human and human[-1].status == last.status:
                return human[-1]
        return last

    def status_of(self, finding_id: str) -> str | None:
        d = self.current(finding_id)
        return d.status if d else None


# ------------------------------------------------------------------ paths, io


def _base(out: Path | str) -> Path:
    """``reports/seeds`` for ``reports/seeds``, ``reports/seeds.json`` or ``.md`` (as report.py does)."""
    out = Path(out)
    return out.with_suffix("") if out.suffix in {".json", ".md", ".html"} else out


def reviews_path(out: Path | str) -> Path:
    """Where the decisions for the report ``out`` are kept: ``<out>.reviews.json``."""
    base = _base(out)
    return base.with_name(base.name + ".reviews.json")


def report_json_path(out: Path | str) -> Path:
    base = _base(out)
    return base.with_name(base.name + ".json")


def lock_path(out: Path | str) -> Path:
    """The lock file of report ``out``: ``.<name>.lock`` beside it (hidden; safe to ignore in git)."""
    base = _base(out)
    return base.with_name(f".{base.name}.lock")


_locks: dict[tuple[int, str], BaseFileLock] = {}


def _remove_stale_temps(out: Path | str) -> None:
    """Delete temp files that a killed write left beside the report.

    Only called with the lock held: every writer of these files holds it,
    so no temp file of a live write can be there.
    """
    base = _base(out)
    names = (base.name + ".md", base.name + ".json", base.name + ".html", reviews_path(out).name)
    try:
        entries = list(base.parent.iterdir())
    except OSError:
        return
    for p in entries:
        if p.name.endswith(".tmp") and any(p.name.startswith(f".{n}.") for n in names):
            try:
                p.unlink()
            except OSError:
                pass  # it costs disk space, not correctness; the next write tries again


@contextmanager
def review_lock(out: Path | str, timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of report ``out`` (re-entrant within a process).

    Every read-modify-write of the report, its JSON and its reviews file
    happens inside. Waits up to ``timeout`` (default ``LOCK_TIMEOUT_S``)
    seconds, then raises a ``FactcheckError`` (exit 2) naming the report.
    """
    from filelock import FileLock, Timeout

    path = lock_path(out)
    key = (os.getpid(), os.path.abspath(path))  # a forked child must not reuse its parent's lock
    lock = _locks.get(key)
    if lock is None:
        lock = _locks[key] = FileLock(str(path), thread_local=False)
    wait = LOCK_TIMEOUT_S if timeout is None else timeout
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=wait)
    except Timeout:
        raise FactcheckError(
            str(_base(out)),
            f"another factcheck command has held this report's lock ({path.name}) for over {wait:g} s",
            "wait for that command to finish and run this one again; nothing was written",
        ) from None
    except OSError as exc:
        raise output_error(path, exc) from None
    try:
        if lock.lock_counter == 1:
            _remove_stale_temps(out)
        yield
    finally:
        lock.release()


def now_utc() -> str:
    """The current time as ISO 8601 UTC (a function so tests can pin it)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def default_reviewer(by: str | None = None) -> str:
    """``--by``, else $FACTCHECK_REVIEWER, else $USER, else the login name, else "unknown"."""
    for candidate in (by, os.environ.get("FACTCHECK_REVIEWER"), os.environ.get("USER")):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no passwd entry in a bare container: not worth failing a review over
        return "unknown"


def load_store(out: Path | str) -> ReviewStore:
    """The review store of report ``out``; an empty one when there is none yet.

    A store that cannot be read is an error, never silently replaced: that
    would lose every decision in it.
    """
    path = reviews_path(out)
    if not path.exists():
        return ReviewStore(report=_base(out).name)
    try:
        return ReviewStore.model_validate_json(read_bytes(path, "review file"))
    except (ValidationError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(
            str(path),
            f"review file cannot be read ({exc.__class__.__name__})",
            "restore it from version control (git checkout -- FILE) or fix the JSON; "
            "it is never overwritten while unreadable",
        ) from None


def save_store(out: Path | str, store: ReviewStore) -> Path:
    """Write the store atomically, findings sorted by id so git diffs stay small."""
    path = reviews_path(out)
    data = json.loads(store.model_dump_json())
    data["findings"] = {k: data["findings"][k] for k in sorted(data["findings"])}
    write_json_atomic(path, data)
    return path


def load_report(out: Path | str) -> Report:
    """The report JSON ``<out>.json`` written by ``factcheck check``."""
    path = report_json_path(out)
    fix = f"run factcheck check ARTICLES... --out {_base(out)} first"
    if not path.exists():
        raise InputError(str(path), "no report found", fix)
    try:
        return Report.model_validate_json(read_bytes(path, "report"))
    except (ValidationError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"report cannot be read ({exc.__class__.__name__})", fix) from None


# ------------------------------------------------------------- check re-runs


def _annotate(report: Report, store: ReviewStore) -> Report:
    """Copy each finding's current review status and note into the report.

    Findings nobody has decided on read "open". Only the status and note go
    in, never the time, so an unchanged run gives a byte-identical report.
    """
    findings = []
    for f in report.findings:
        d = store.current(f.id)
        status = d.status if d else "open"
        note = d.note if d else None
        findings.append(f.model_copy(update={"review_status": status, "review_note": note}))
    return report.model_copy(update={"findings": tuple(findings)})


def _previous_ids(out: Path | str) -> set[str] | None:
    """Finding ids of the report the last run wrote, or None when there is none to compare with."""
    path = report_json_path(out)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {f["id"] for f in data.get("findings", [])}
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None  # an unreadable old report only costs the "new since last run" lines


def _decision(
    finding_id: str, status: str, reviewer: str, note: str | None, kind: str | None, summary: str | None
) -> Decision:
    return Decision(
        finding_id=finding_id, status=status, reviewer=reviewer, note=note, at=now_utc(), kind=kind, summary=summary
    )


def apply_reviews(report: Report, out: Path) -> tuple[Report, list[str]]:
    """Carry review decisions over to a fresh report; say what changed since the last run.

    - findings still present keep their decision (status and note appear in the report);
    - a decided finding that is gone gets a "resolved" mark appended (persisted);
    - a resolved finding that comes back loses that mark, so the person's last
      decision is current again, in their name (the history is as before it left);
    - findings not in the previous report are listed as new.

    Runs under the report's lock; the store is written only when it changed.
    Returns the annotated report and human-readable lines for the terminal.
    Use ``publish`` to also write the report under the same lock.
    """
    with review_lock(out):
        store = load_store(out)
        previous = _previous_ids(out)
        current = {f.id: f for f in report.findings}
        lines: list[str] = []
        changed = False

        if previous is not None:
            for f in report.findings:
                if f.id not in previous:
                    lines.append(f"new since last run: {f.id} ({f.kind})")

        for fid in sorted(store.findings):
            last = store.current(fid)
            if last is None:
                continue
            if fid not in current and last.status != "resolved":
                store.findings[fid].append(
                    _decision(
                        fid, "resolved", SYSTEM_REVIEWER, "no longer found by factcheck check", last.kind, last.summary
                    )
                )
                lines.append(f"no longer found: {fid} ({last.kind or 'finding'}; was {last.status}, marked resolved)")
                changed = True
            elif fid in current and last.status == "resolved":
                history = store.findings[fid]
                while history and history[-1].status == "resolved" and history[-1].reviewer == SYSTEM_REVIEWER:
                    history.pop()
                back = store.current(fid)
                if back is None:
                    del store.findings[fid]
                    lines.append(f"found again: {fid} ({current[fid].kind}; back to open)")
                else:
                    lines.append(f"found again: {fid} ({current[fid].kind}; back to {back.status} by {back.reviewer})")
                changed = True

        if previous is not None:
            for fid in sorted(previous - set(current)):
                if fid not in store.findings:
                    lines.append(f"no longer found: {fid}")

        if changed:
            save_store(out, store)
    return _annotate(report, store), lines


def publish(report: Report, out: Path) -> tuple[Report, list[str], Path, Path]:
    """What ``check`` does with a fresh report: carry decisions over and write
    ``<out>.md`` and ``<out>.json``, all under the report's lock, so the page
    shows exactly what the reviews file says. Returns the annotated report,
    the change lines and the two paths.
    """
    from .report import write_report

    with review_lock(out):
        annotated, lines = apply_reviews(report, out)
        md, js = write_report(annotated, _base(out))
    return annotated, lines, md, js


# ----------------------------------------------------------- review commands


def resolve_id(report: Report, finding_id: str, out: Path | str, store: ReviewStore | None = None) -> str:
    """The full finding id for ``finding_id`` or a unique prefix of it ("F-" optional)."""
    wanted = finding_id.strip()
    known = [f.id for f in report.findings]
    if store is not None:
        known += [fid for fid in store.findings if fid not in known]
    if wanted in known:
        return wanted
    prefixes = {wanted, "F-" + wanted} if not wanted.startswith("F-") else {wanted}
    hits = sorted({k for k in known for p in prefixes if k.startswith(p)})
    where = str(report_json_path(out))
    if len(hits) == 1:
        return hits[0]
    if not hits or not wanted:
        raise InputError(
            where,
            f"no finding with id {finding_id!r}",
            f"run factcheck review list --report {_base(out)} to see the ids",
        )
    raise InputError(
        where,
        f"id prefix {finding_id!r} matches {len(hits)} findings ({', '.join(hits[:5])})",
        "give more characters of the id",
    )


class FindingView(BaseModel):
    """A finding with its review state, for listing and showing."""

    model_config = ConfigDict(frozen=True)

    finding: Finding
    status: str  # "open" when nobody decided yet
    history: tuple[Decision, ...] = ()


def _sync(out: Path | str, report: Report, store: ReviewStore) -> None:
    """Re-render the report when its Markdown no longer shows what the reviews file says.

    That happens only when a command was killed between writing the reviews
    file and the report. Best effort: a read-only folder or a busy lock
    leaves it to the next write, and the listing reads the reviews file anyway.
    """
    from .report import to_markdown, write_report

    md = _base(out).with_name(_base(out).name + ".md")
    page = _base(out).with_name(_base(out).name + ".html")
    try:
        if md.read_text(encoding="utf-8") == to_markdown(_annotate(report, store)) and page.exists():
            return
        with review_lock(out, timeout=2.0):
            report, store = load_report(out), load_store(out)
            write_report(_annotate(report, store), _base(out))
    except (OSError, UnicodeDecodeError, FactcheckError):
        return


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise InputError(f"--status {status}", "not a review status", f"use one of {', '.join(STATUSES)}")


def list_findings(out: Path | str, status: str | None = None) -> list[FindingView]:
    """Findings of report ``out`` with their current status; only ``status`` ones when given.

    An unknown ``status`` is an InputError (a typo must not list nothing and pass).
    """
    _check_status(status)
    report = load_report(out)
    store = load_store(out)
    _sync(out, report, store)
    views = [
        FindingView(finding=f, status=store.status_of(f.id) or "open", history=tuple(store.findings.get(f.id, ())))
        for f in report.findings
    ]
    return [v for v in views if status is None or v.status == status]


def show_finding(out: Path | str, finding_id: str) -> FindingView:
    """One finding of report ``out`` (id or unique prefix) with its decision history."""
    report = load_report(out)
    store = load_store(out)
    _sync(out, report, store)
    fid = resolve_id(report, finding_id, out)
    f = next(f for f in report.findings if f.id == fid)
    return FindingView(finding=f, status=store.status_of(fid) or "open", history=tuple(store.findings.get(fid, ())))


def decide(
    out: Path | str, finding_id: str, status: ReviewStatus, reviewer: str | None = None, note: str | None = None
) -> Decision:
    """Record a decision on a finding of report ``out``; returns it.

    Under the report's lock: read the report and the reviews file, append the
    decision, write the reviews file (atomically; this is the commit), then
    re-render ``<out>.json`` and ``<out>.md`` from both. A concurrent decision
    waits for the lock and then sees this one. If the re-render fails (or the
    process dies before it), the decision is kept and the next review command
    or ``check`` brings the report up to date.
    """
    if status not in ("open",) + HUMAN_STATUSES:
        raise InputError(
            f"status {status!r}",
            "not a status a reviewer can set",
            "use confirmed, dismissed, accepted or open (reopen)",
        )
    from .report import write_report

    with review_lock(out):
        report = load_report(out)
        store = load_store(out)
        fid = resolve_id(report, finding_id, out)
        f = next(f for f in report.findings if f.id == fid)
        d = _decision(fid, status, default_reviewer(reviewer), note or None, f.kind, f.summary)
        store.findings.setdefault(fid, []).append(d)
        if not store.report:
            store.report = _base(out).name
        save_store(out, store)
        write_report(_annotate(report, store), _base(out))
    return d


def reopen(out: Path | str, finding_id: str, reviewer: str | None = None, note: str | None = None) -> Decision:
    """Set a finding back to open; its earlier decisions stay in the history."""
    return decide(out, finding_id, "open", reviewer, note)


def review_statuses(out: Path | str, require: bool = False) -> dict[str, str]:
    """finding id -> current status, for the gate (empty when nobody decided yet).

    With ``require``, a path with neither a report nor a reviews file is an
    InputError: a mistyped ``--reviews`` must not pass without a word.
    """
    if require and not reviews_path(out).exists() and not report_json_path(out).exists():
        raise InputError(
            str(out),
            f"no report or review file here ({reviews_path(out).name} not found)",
            "give the path used as check --out (e.g. reports/draft), or leave out --reviews",
        )
    store = load_store(out)
    return {fid: d.status for fid in store.findings if (d := store.current(fid)) is not None}


__all__: Sequence[str] = (
    "Decision",
    "ReviewStore",
    "FindingView",
    "apply_reviews",
    "publish",
    "decide",
    "reopen",
    "list_findings",
    "show_finding",
    "load_store",
    "save_store",
    "load_report",
    "reviews_path",
    "lock_path",
    "review_lock",
    "review_statuses",
    "default_reviewer",
    "PASSING_STATUSES",
    "STATUSES",
    "LOCK_TIMEOUT_S",
)
