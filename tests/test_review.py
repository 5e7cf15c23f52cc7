"""Review workflow: decisions kept beside the report, surviving re-runs and crashes."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from factcheck import review
from factcheck.cli.review import review_app
from factcheck.errors import FactcheckError, InputError, OutputError
from factcheck.models import Evidence, Finding, Report
from factcheck.report import write_report
from factcheck.review import apply_reviews, decide, list_findings, load_store, reopen, reviews_path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _ev(article: str, text: str) -> Evidence:
    return Evidence(article_id=article, path=f"{article}.txt", start=0, end=len(text), text=text, line=1)


def _finding(fid: str, kind: str = "quote_altered", severity: str = "high") -> Finding:
    return Finding(
        id=fid,
        kind=kind,
        severity=severity,
        summary=f"summary of {fid}",
        evidence=(_ev("a", f"text {fid} a"), _ev("b", f"text {fid} b")),
    )


def _report(*ids: str) -> Report:
    return Report(name="r", articles=(), findings=tuple(_finding(i) for i in ids), agreements=(), single_source=())


def _run_check(report: Report, out: Path) -> tuple[Report, list[str]]:
    """What `factcheck check` does with a fresh report: carry decisions over, then write it."""
    annotated, lines = apply_reviews(report, out)
    write_report(annotated, out)
    return annotated, lines


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "reports" / "r"


@pytest.fixture(autouse=True)
def _reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_REVIEWER", "desk-tester")


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(review_app, name="review")

    @app.command("noop", hidden=True)
    def _noop() -> None:  # a second command keeps "review" a sub-command group
        pass

    return app


# ----------------------------------------------------------------- unit level


@pytest.mark.parametrize(
    "given, expected",
    [
        ("reports/seeds", "reports/seeds.reviews.json"),
        ("reports/seeds.json", "reports/seeds.reviews.json"),
        ("reports/seeds.md", "reports/seeds.reviews.json"),
        ("out/x.v2", "out/x.v2.reviews.json"),
    ],
)
def test_review_store_path_sits_next_to_the_report(given: str, expected: str) -> None:
    assert reviews_path(given) == Path(expected)


def test_review_first_run_marks_everything_open_and_writes_no_store(out: Path) -> None:
    annotated, lines = _run_check(_report("F-1111111111", "F-2222222222"), out)
    assert [f.review_status for f in annotated.findings] == ["open", "open"]
    assert lines == []  # nothing to compare with on a first run
    assert not reviews_path(out).exists()


def test_review_decisions_survive_a_rerun_and_disappeared_become_resolved(out: Path) -> None:
    _run_check(_report("F-1111111111", "F-2222222222"), out)
    decide(out, "F-1111111111", "confirmed", note="checked with the wire")
    decide(out, "F-2222", "dismissed")  # unique prefix
    annotated, lines = _run_check(_report("F-1111111111", "F-3333333333"), out)
    by_id = {f.id: f for f in annotated.findings}
    assert by_id["F-1111111111"].review_status == "confirmed"
    assert by_id["F-1111111111"].review_note == "checked with the wire"
    assert by_id["F-3333333333"].review_status == "open"
    assert "new since last run: F-3333333333 (quote_altered)" in lines
    assert any(line.startswith("no longer found: F-2222222222") and "resolved" in line for line in lines)
    store = load_store(out)
    assert store.current("F-2222222222").status == "resolved"
    assert [d.status for d in store.findings["F-2222222222"]] == ["dismissed", "resolved"]  # trail kept
    md = out.with_suffix(".md").read_text()
    assert "review: **confirmed**" in md and "checked with the wire" in md


def test_review_resolved_finding_that_returns_gets_its_decision_back(out: Path) -> None:
    _run_check(_report("F-1111111111"), out)
    decide(out, "F-1111111111", "accepted", note="known wire wording")
    _run_check(_report(), out)
    annotated, lines = _run_check(_report("F-1111111111"), out)
    assert annotated.findings[0].review_status == "accepted"
    assert any("found again" in line for line in lines)


def test_review_unchanged_rerun_is_byte_identical_and_leaves_store_alone(out: Path) -> None:
    _run_check(_report("F-1111111111"), out)
    decide(out, "F-1111111111", "confirmed")
    _run_check(_report("F-1111111111"), out)
    first = (
        out.with_suffix(".json").read_bytes(),
        out.with_suffix(".md").read_bytes(),
        reviews_path(out).read_bytes(),
        reviews_path(out).stat().st_mtime_ns,
    )
    _, lines = _run_check(_report("F-1111111111"), out)
    second = (
        out.with_suffix(".json").read_bytes(),
        out.with_suffix(".md").read_bytes(),
        reviews_path(out).read_bytes(),
        reviews_path(out).stat().st_mtime_ns,
    )
    assert first == second
    assert lines == []


def test_review_reopen_keeps_history(out: Path) -> None:
    _run_check(_report("F-1111111111"), out)
    decide(out, "F-1111111111", "dismissed", reviewer="ann")
    reopen(out, "F-1111111111", reviewer="bob", note="second look")
    history = load_store(out).findings["F-1111111111"]
    assert [(d.status, d.reviewer) for d in history] == [("dismissed", "ann"), ("open", "bob")]
    assert all(d.at.endswith("+00:00") for d in history)


@pytest.mark.parametrize("bad_id, problem", [("F-9999", "no finding"), ("F-", "matches 2"), ("", "no finding")])
def test_review_unknown_or_ambiguous_id_is_input_error(out: Path, bad_id: str, problem: str) -> None:
    _run_check(_report("F-1111111111", "F-1122222222"), out)
    with pytest.raises(InputError) as err:
        decide(out, bad_id, "confirmed")
    assert problem in str(err.value)
    if problem == "no finding":
        assert "factcheck review list" in str(err.value) and "r.json" in str(err.value)


def test_review_missing_report_names_it_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        list_findings(tmp_path / "nothing")
    assert "nothing.json" in str(err.value) and "factcheck check" in str(err.value)


def test_review_file_is_never_half_written(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run_check(_report("F-1111111111", "F-2222222222"), out)
    decide(out, "F-1111111111", "confirmed")
    before = reviews_path(out).read_bytes()

    def boom(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="reviews.json: cannot be written \\(no space left on the device\\)"):
        decide(out, "F-2222222222", "dismissed")
    monkeypatch.undo()
    assert reviews_path(out).read_bytes() == before
    assert load_store(out).status_of("F-1111111111") == "confirmed"
    assert not [p for p in reviews_path(out).parent.iterdir() if p.name.endswith(".tmp")]  # temp file cleaned up


def test_review_corrupt_store_is_an_error_and_never_overwritten(out: Path) -> None:
    _run_check(_report("F-1111111111"), out)
    reviews_path(out).write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as err:
        _run_check(_report("F-1111111111"), out)
    assert "reviews.json" in str(err.value)
    assert reviews_path(out).read_text() == "{not json"


@pytest.mark.parametrize(
    "by, env, expected",
    [
        ("ann", {"FACTCHECK_REVIEWER": "bob", "USER": "carl"}, "ann"),
        (None, {"FACTCHECK_REVIEWER": "bob", "USER": "carl"}, "bob"),
        (None, {"USER": "carl"}, "carl"),
    ],
)
def test_review_reviewer_comes_from_by_then_env(monkeypatch: pytest.MonkeyPatch, by, env, expected) -> None:
    monkeypatch.delenv("FACTCHECK_REVIEWER", raising=False)
    monkeypatch.delenv("USER", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert review.default_reviewer(by) == expected


# ------------------------------------------------------------------- the CLI


def test_review_cli_confirm_list_show(out: Path) -> None:
    _run_check(_report("F-1111111111", "F-2222222222"), out)
    runner = CliRunner()
    res = runner.invoke(_app(), ["review", "confirm", "F-1111", "--report", str(out), "--note", "real", "--by", "ann"])
    assert res.exit_code == 0, res.output
    assert "F-1111111111: confirmed by ann" in res.output
    res = runner.invoke(_app(), ["review", "list", "--report", str(out), "--status", "open"])
    assert res.exit_code == 0
    assert "F-2222222222" in res.output and "F-1111111111" not in res.output
    res = runner.invoke(_app(), ["review", "show", "F-1111111111", "--report", str(out)])
    assert "review: confirmed" in res.output and "a.txt:1" in res.output and "real" in res.output
    res = runner.invoke(_app(), ["review", "dismiss", "F-9", "--report", str(out)])
    assert res.exit_code == 2 and "factcheck review list" in res.output


def test_review_cli_missing_report_exits_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(_app(), ["review", "list", "--report", str(tmp_path / "none")])
    assert res.exit_code == 2
    assert "none.json" in res.output and "factcheck check" in res.output


def test_review_cli_interactive_needs_a_terminal(out: Path) -> None:
    _run_check(_report("F-1111111111"), out)
    res = CliRunner().invoke(_app(), ["review", "--report", str(out)], input="c")
    assert res.exit_code == 2
    assert "use the sub-commands" in res.output


def test_review_cli_interactive_walks_open_findings(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run_check(_report("F-1111111111", "F-2222222222", "F-3333333333"), out)
    monkeypatch.setattr("factcheck.cli.review._stdin_is_tty", lambda: True)
    # first: note then confirm; second: skip; third: quit
    res = CliRunner().invoke(_app(), ["review", "--report", str(out), "--by", "ann"], input="nlooks right\ncsq")
    assert res.exit_code == 0, res.output
    store = load_store(out)
    assert store.current("F-1111111111").status == "confirmed"
    assert store.current("F-1111111111").note == "looks right"
    assert "F-2222222222" not in store.findings and "F-3333333333" not in store.findings
    assert "text F-1111111111 a" in res.output and "text F-1111111111 b" in res.output  # evidence side by side


# ------------------------------------------- through `factcheck check` (real pipeline)


def _check_app() -> typer.Typer:
    from factcheck.cli.check import check

    app = typer.Typer()
    app.command("check")(check)
    app.add_typer(review_app, name="review")
    return app


@pytest.mark.model
@pytest.mark.skipif(not SEEDS.exists(), reason="seeds/ not present")
def test_review_decisions_survive_a_rerun_of_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_embedder
) -> None:
    monkeypatch.setattr("factcheck.cli.check._embedder", lambda *a, **k: fake_embedder)
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    out = tmp_path / "reports" / "seeds"
    runner = CliRunner()
    args = ["check", str(src), "--out", str(out), "--claims-dir", str(tmp_path / "claims")]

    def findings() -> dict[str, dict]:
        return {f["id"]: f for f in json.loads(out.with_suffix(".json").read_text())["findings"]}

    assert runner.invoke(_check_app(), args).exit_code == 0
    first = findings()
    # The seeds quote one Pentagon statement in two wordings (000 and 003).
    altered = [fid for fid, f in first.items() if f["kind"] == "quote_altered"]
    assert altered, "expected the seeds' altered Pentagon quote to be flagged"
    others = [fid for fid in first if fid not in altered]
    res = runner.invoke(
        _check_app(), ["review", "confirm", altered[0], "--report", str(out), "--note", "re-translated"]
    )
    assert res.exit_code == 0, res.output
    if others:
        assert runner.invoke(_check_app(), ["review", "dismiss", others[0], "--report", str(out)]).exit_code == 0

    # 1. unchanged re-run: decisions kept, nothing new
    res = runner.invoke(_check_app(), args)
    assert res.exit_code == 0, res.output
    assert findings()[altered[0]]["review_status"] == "confirmed"
    assert "new since last run" not in res.output and "no longer found" not in res.output
    assert "review: **confirmed**" in out.with_suffix(".md").read_text()

    # 2. 003 now quotes the statement as 000 does: that finding disappears -> resolved.
    #    A new article alters another Pentagon quote: its findings are new.
    quote_000 = [e["text"] for e in first[altered[0]]["evidence"] if e["article_id"].startswith("000")][0]
    quote_003 = [e["text"] for e in first[altered[0]]["evidence"] if e["article_id"].startswith("003")][0]
    p003 = next(src.glob("003_*.txt"))
    p003.write_text(p003.read_text(encoding="utf-8").replace(quote_003, quote_000), encoding="utf-8")
    shutil.copy(ROOT / "tests" / "fixtures" / "drafts" / "altered_quote.txt", src / "altered_quote.txt")
    res = runner.invoke(_check_app(), args)
    assert res.exit_code == 0, res.output
    after = findings()
    assert altered[0] not in after
    assert load_store(out).current(altered[0]).status == "resolved"
    assert f"no longer found: {altered[0]}" in res.output
    new = [fid for fid, f in after.items() if f["kind"] == "quote_altered"]
    assert new and all(f"new since last run: {fid} (quote_altered)" in res.output for fid in new)
    if others and others[0] in after:
        assert after[others[0]]["review_status"] == "dismissed"


# ------------------------------ issue 12, case 1: concurrent reviews lose nothing


def _decide_in_child(args: list[str], barrier, results) -> None:
    """One `factcheck review ...` command, started with the others at the barrier."""
    from factcheck.cli import app

    barrier.wait()
    res = CliRunner().invoke(app, args)
    results.put((args[2], res.exit_code, res.output))


def test_review_concurrent_decisions_all_kept(tmp_path: Path) -> None:
    """20 reports, two reviewers each deciding a different finding at the same moment: 40 processes at once."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")  # the children share the parent's imports: starting is instant
    pairs = 20
    outs = [tmp_path / f"r{i}" / "report" for i in range(pairs)]
    jobs = []
    for i, out in enumerate(outs):
        a, b = f"F-{i:02d}aaaaaaaa", f"F-{i:02d}bbbbbbbb"
        _run_check(_report(a, b), out)
        jobs.append(["review", "confirm", a, "--report", str(out), "--by", "ann", "--note", f"ann on {i}"])
        jobs.append(["review", "dismiss", b, "--report", str(out), "--by", "bob", "--note", f"bob on {i}"])
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    procs = [ctx.Process(target=_decide_in_child, args=(job, barrier, results)) for job in jobs]
    for p in procs:
        p.start()
    done = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(code == 0 for _, code, _ in done), [d for d in done if d[1] != 0]
    for i, out in enumerate(outs):
        store = load_store(out)
        a, b = f"F-{i:02d}aaaaaaaa", f"F-{i:02d}bbbbbbbb"
        kept = {fid: (d.status, d.reviewer) for fid in (a, b) if (d := store.current(fid)) is not None}
        assert kept == {a: ("confirmed", "ann"), b: ("dismissed", "bob")}, f"pair {i}: a decision was lost"
        md = out.with_suffix(".md").read_text(encoding="utf-8")
        assert f"#### {a} · Quote wording differs · high · review: **confirmed**" in md
        assert f"#### {b} · Quote wording differs · high · review: **dismissed**" in md
        data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        assert {f["id"]: f["review_status"] for f in data["findings"]} == {a: "confirmed", b: "dismissed"}
        assert not list(out.parent.glob(".*.tmp"))


def test_review_lock_held_too_long_is_one_line_error_exit_2(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    _run_check(_report("F-1111111111"), out)
    before = (out.with_suffix(".md").read_bytes(), reviews_path(out).exists())
    monkeypatch.setattr(review, "LOCK_TIMEOUT_S", 0.3)
    holder = FileLock(str(review.lock_path(out)))  # another holder: its own open file, as another process has
    with holder:
        res = CliRunner().invoke(_app(), ["review", "confirm", "F-1111", "--report", str(out)])
    assert res.exit_code == 2, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "held this report's lock" in lines[0] and "nothing was written" in lines[0]
    assert (out.with_suffix(".md").read_bytes(), reviews_path(out).exists()) == before
    # Once the lock is free the same command goes through.
    res = CliRunner().invoke(_app(), ["review", "confirm", "F-1111", "--report", str(out)])
    assert res.exit_code == 0 and load_store(out).status_of("F-1111111111") == "confirmed"


def test_review_check_waits_for_a_decision_in_progress(out: Path) -> None:
    """`check` re-renders under the same lock: it cannot slip between a decision's two writes."""
    from filelock import FileLock, Timeout

    _run_check(_report("F-1111111111"), out)
    with FileLock(str(review.lock_path(out))):
        with pytest.raises(FactcheckError, match="held this report's lock"):
            with review.review_lock(out, timeout=0.2):
                pass
    with review.review_lock(out), review.review_lock(out):  # re-entrant within one process
        pass
    assert Timeout  # imported: the lock library is what the project depends on


# ------------------------ issue 12, case 7: kill -9 mid-review leaves nothing behind

_DIE_AT_MARKDOWN = """
import os, signal, sys
real = os.replace
def replace(src, dst):
    if str(dst).endswith(".md"):
        os.kill(os.getpid(), signal.SIGKILL)  # the reviews file is written, the Markdown's temp file too
    return real(src, dst)
os.replace = replace
from factcheck.cli import app
app(sys.argv[1:])
"""


def test_review_killed_mid_write_leaves_no_temp_and_next_command_agrees(out: Path) -> None:
    import subprocess
    import sys

    _run_check(_report("F-1111111111", "F-2222222222"), out)
    decide(out, "F-1111111111", "confirmed", reviewer="ann")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _DIE_AT_MARKDOWN,
            "review",
            "dismiss",
            "F-1111111111",
            "--report",
            str(out),
            "--by",
            "bob",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == -9, proc.stderr
    # The window the issue saw: reviews file says dismissed, the page still says confirmed, a temp file left.
    assert load_store(out).status_of("F-1111111111") == "dismissed"
    assert "review: **confirmed**" in out.with_suffix(".md").read_text(encoding="utf-8")
    assert list(out.parent.glob(".r.md.*.tmp"))
    # The next review command of any kind brings the page back in line and removes the temp file.
    res = CliRunner().invoke(_app(), ["review", "list", "--report", str(out)])
    assert res.exit_code == 0, res.output
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "#### F-1111111111 · Quote wording differs · high · review: **dismissed**" in md
    assert not list(out.parent.glob(".*.tmp"))
    assert json.loads(out.with_suffix(".json").read_text())["findings"][0]["review_status"] == "dismissed"


def test_review_stale_temp_files_are_removed_on_the_next_write(out: Path) -> None:
    _run_check(_report("F-1111111111"), out)
    stale = [out.parent / ".r.md.abc123.tmp", out.parent / ".r.reviews.json.x.tmp", out.parent / ".r.json.q.tmp"]
    other = out.parent / ".notes.md.x.tmp"  # not one of this report's files: left alone
    for p in [*stale, other]:
        p.write_text("half", encoding="utf-8")
    decide(out, "F-1111111111", "accepted")
    assert not any(p.exists() for p in stale) and other.exists()


# --------------------------------------------------- issue 12, case 8 (review)


def test_review_restored_decision_keeps_its_reviewer(out: Path) -> None:
    _run_check(_report("F-1111111111"), out)
    decide(out, "F-1111111111", "accepted", reviewer="ann", note="known wire wording")
    _run_check(_report(), out)
    annotated, lines = _run_check(_report("F-1111111111"), out)
    current = load_store(out).current("F-1111111111")
    assert (current.status, current.reviewer, current.note) == ("accepted", "ann", "known wire wording")
    assert "found again: F-1111111111 (quote_altered; back to accepted by ann)" in lines
    assert annotated.findings[0].review_note == "known wire wording"
    show = CliRunner().invoke(_app(), ["review", "show", "F-1111", "--report", str(out)])
    assert "factcheck" not in show.output.split("review: accepted", 1)[1]


def test_review_history_does_not_grow_when_finding_flaps(out: Path) -> None:
    _run_check(_report("F-1111111111"), out)
    decide(out, "F-1111111111", "confirmed", reviewer="ann")
    before = reviews_path(out).read_bytes()
    for _ in range(3):
        _run_check(_report(), out)
        assert [d.status for d in load_store(out).findings["F-1111111111"]] == ["confirmed", "resolved"]
        _run_check(_report("F-1111111111"), out)
        assert reviews_path(out).read_bytes() == before  # exactly as before it went away


def test_review_old_store_restore_entry_credits_the_person(out: Path) -> None:
    """Stores written before issue 12 hold a copy credited to `factcheck`; the person's decision is current."""
    _run_check(_report("F-1111111111"), out)
    entries = [
        ("confirmed", "ann", "real"),
        ("resolved", "factcheck", "no longer found by factcheck check"),
        ("confirmed", "factcheck", "real"),
    ]
    store = {
        "schema_version": 1,
        "report": "r",
        "findings": {
            "F-1111111111": [
                {"finding_id": "F-1111111111", "status": s, "reviewer": r, "note": n, "at": "2026-01-01T00:00:00+00:00"}
                for s, r, n in entries
            ]
        },
    }
    reviews_path(out).write_text(json.dumps(store), encoding="utf-8")
    assert load_store(out).current("F-1111111111").reviewer == "ann"
    assert review.review_statuses(out) == {"F-1111111111": "confirmed"}


def test_review_cli_list_bogus_status_exits_2(out: Path) -> None:
    _run_check(_report("F-1111111111"), out)
    res = CliRunner().invoke(_app(), ["review", "list", "--report", str(out), "--status", "bogus"])
    assert res.exit_code == 2, res.output
    assert "--status bogus: not a review status" in res.output and "confirmed" in res.output
    res = CliRunner().invoke(_app(), ["review", "list", "--report", str(out), "--status", "resolved"])
    assert res.exit_code == 0


# ------------------------------------------ issue 12, case 6 (review): I/O errors


def test_review_unwritable_report_folder_is_one_line_error(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    _run_check(_report("F-1111111111"), out)
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == out.parent:
            raise PermissionError(errno.EACCES, "Permission denied", str(dir))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    res = CliRunner().invoke(_app(), ["review", "confirm", "F-1111", "--report", str(out)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "r.reviews.json: cannot be written (permission denied)" in res.output
