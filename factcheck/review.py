"""Review stage: a person's decisions on flagged findings, kept beside the report.

The decisions live in ``<out>.reviews.json`` next to ``<out>.json`` and
``<out>.md``. JSON rather than SQLite because the file is small, diffs line by
line in git (a desk can commit it beside the report and see who decided what),
and needs no tool to read. Every write goes through a temp file and a rename
(``factcheck.io.write_json_atomic``), so a crash mid-write leaves the previous
file whole: decisions are never half-written.

Each finding keeps an append-only history of decisions; the last one is the
current status. Finding ids are content hashes (``compare.finding_id``), so a
decision follows its finding across re-runs of ``factcheck check``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from pathlib import Path
from typing import Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import InputError
from .io import read_bytes, write_json_atomic
from .models import Finding, Report

ReviewStatus = Literal["open", "confirmed", "dismissed", "accepted", "resolved"]
HUMAN_STATUSES: tuple[str, ...] = ("confirmed", "dismissed", "accepted")
# Statuses under which the gate lets a finding pass (policy accepted_findings_pass):
# "accepted" = real but fine to publish, "dismissed" = a false alarm.
PASSING_STATUSES: frozenset[str] = frozenset({"accepted", "dismissed"})
SYSTEM_REVIEWER = "factcheck"


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
        history = self.findings.get(finding_id)
        return history[-1] if history else None

    def status_of(self, finding_id: str) -> str | None:
        d = self.current(finding_id)
        return d.status if d else None


# ------------------------------------------------------------------ paths, io

def _base(out: Path | str) -> Path:
    """``reports/seeds`` for ``reports/seeds``, ``reports/seeds.json`` or ``.md`` (as report.py does)."""
    out = Path(out)
    return out.with_suffix("") if out.suffix in {".json", ".md"} else out


def reviews_path(out: Path | str) -> Path:
    """Where the decisions for the report ``out`` are kept: ``<out>.reviews.json``."""
    base = _base(out)
    return base.with_name(base.name + ".reviews.json")


def report_json_path(out: Path | str) -> Path:
    base = _base(out)
    return base.with_name(base.name + ".json")


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


def _decision(finding_id: str, status: str, reviewer: str, note: str | None, kind: str | None,
              summary: str | None) -> Decision:
    return Decision(finding_id=finding_id, status=status, reviewer=reviewer, note=note, at=now_utc(),
                    kind=kind, summary=summary)


def apply_reviews(report: Report, out: Path) -> tuple[Report, list[str]]:
    """Carry review decisions over to a fresh report; say what changed since the last run.

    - findings still present keep their decision (status and note appear in the report);
    - a decided finding that is gone gets a "resolved" decision appended (persisted);
    - a resolved finding that comes back gets its last human decision back;
    - findings not in the previous report are listed as new.

    The store is written only when a decision was added. Returns the
    annotated report and human-readable lines for the terminal.
    """
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
                _decision(fid, "resolved", SYSTEM_REVIEWER, "no longer found by factcheck check",
                          last.kind, last.summary)
            )
            lines.append(f"no longer found: {fid} ({last.kind or 'finding'}; was {last.status}, marked resolved)")
            changed = True
        elif fid in current and last.status == "resolved":
            human = [d for d in store.findings[fid] if d.status != "resolved"]
            back = human[-1] if human else None
            status = back.status if back else "open"
            f = current[fid]
            store.findings[fid].append(
                _decision(fid, status, SYSTEM_REVIEWER, back.note if back else "found again", f.kind, f.summary)
            )
            lines.append(f"found again: {fid} ({f.kind}; back to {status})")
            changed = True

    if previous is not None:
        for fid in sorted(previous - set(current)):
            if fid not in store.findings:
                lines.append(f"no longer found: {fid}")

    if changed:
        save_store(out, store)
    return _annotate(report, store), lines


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
        raise InputError(where, f"no finding with id {finding_id!r}",
                         f"run factcheck review list --report {_base(out)} to see the ids")
    raise InputError(where, f"id prefix {finding_id!r} matches {len(hits)} findings ({', '.join(hits[:5])})",
                     "give more characters of the id")


class FindingView(BaseModel):
    """A finding with its review state, for listing and showing."""

    model_config = ConfigDict(frozen=True)

    finding: Finding
    status: str  # "open" when nobody decided yet
    history: tuple[Decision, ...] = ()


def list_findings(out: Path | str, status: str | None = None) -> list[FindingView]:
    """Findings of report ``out`` with their current status; only ``status`` ones when given."""
    report = load_report(out)
    store = load_store(out)
    views = [
        FindingView(finding=f, status=store.status_of(f.id) or "open", history=tuple(store.findings.get(f.id, ())))
        for f in report.findings
    ]
    return [v for v in views if status is None or v.status == status]


def show_finding(out: Path | str, finding_id: str) -> FindingView:
    """One finding of report ``out`` (id or unique prefix) with its decision history."""
    report = load_report(out)
    store = load_store(out)
    fid = resolve_id(report, finding_id, out)
    f = next(f for f in report.findings if f.id == fid)
    return FindingView(finding=f, status=store.status_of(fid) or "open", history=tuple(store.findings.get(fid, ())))


def _rewrite_report(out: Path | str, report: Report, store: ReviewStore) -> None:
    """Refresh ``<out>.md``/``<out>.json`` so the Markdown shows the new status at once."""
    from .report import write_report

    write_report(_annotate(report, store), _base(out))


def decide(out: Path | str, finding_id: str, status: ReviewStatus, reviewer: str | None = None,
           note: str | None = None) -> Decision:
    """Record a decision on a finding of report ``out``; returns it.

    The store is written first (atomically), then the report is re-rendered
    with the new status; if the second step fails the decision is still kept
    and the next ``factcheck check`` brings the report up to date.
    """
    if status not in ("open",) + HUMAN_STATUSES:
        raise InputError(f"status {status!r}", "not a status a reviewer can set",
                         "use confirmed, dismissed, accepted or open (reopen)")
    report = load_report(out)
    store = load_store(out)
    fid = resolve_id(report, finding_id, out)
    f = next(f for f in report.findings if f.id == fid)
    d = _decision(fid, status, default_reviewer(reviewer), note or None, f.kind, f.summary)
    store.findings.setdefault(fid, []).append(d)
    if not store.report:
        store.report = _base(out).name
    save_store(out, store)
    _rewrite_report(out, report, store)
    return d


def reopen(out: Path | str, finding_id: str, reviewer: str | None = None, note: str | None = None) -> Decision:
    """Set a finding back to open; its earlier decisions stay in the history."""
    return decide(out, finding_id, "open", reviewer, note)


def review_statuses(out: Path | str) -> dict[str, str]:
    """finding id -> current status, for the gate (empty when there is no store)."""
    store = load_store(out)
    return {fid: h[-1].status for fid, h in store.findings.items() if h}


__all__: Sequence[str] = (
    "Decision", "ReviewStore", "FindingView", "apply_reviews", "decide", "reopen", "list_findings",
    "show_finding", "load_store", "save_store", "load_report", "reviews_path", "review_statuses",
    "default_reviewer", "PASSING_STATUSES",
)
