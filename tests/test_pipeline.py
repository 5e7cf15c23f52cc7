"""The whole pipeline on a small hand-written event (fake embedder: fast, deterministic)."""

import os
import shutil
from pathlib import Path

import pytest

from factcheck.pipeline import check
from factcheck.report import to_json, to_markdown

ROOT = Path(__file__).resolve().parents[1]
EVENT = ROOT / "tests" / "fixtures" / "event"
GOLDEN = ROOT / "tests" / "golden" / "event.md"


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch):
    # Report paths are relative to the working directory: pin it.
    monkeypatch.chdir(ROOT)


def _run(fake_embedder, paths=("tests/fixtures/event",)):
    return check(list(paths), name="event", embedder=fake_embedder)


def test_pipeline_flags_each_planted_discrepancy(fake_embedder):
    report, _ = _run(fake_embedder)
    kinds = sorted(f.kind for f in report.findings)
    assert kinds == ["date_conflict", "date_conflict", "number_conflict", "quote_altered", "quote_altered"]
    dates = [f for f in report.findings if f.kind == "date_conflict"]
    # "Monday" (published Tue 14 March) and "March 13" are the same day: they
    # never appear together in a date conflict; only "Tuesday" (the 14th) conflicts.
    for f in dates:
        texts = " ".join(e.role or "" for e in f.evidence)
        assert "2023-03-14" in texts
        assert not ("Monday" in texts and "March 13" in texts)
    # The verbatim quote (a vs c, "U.S." inside the quote aside) is not flagged.
    altered = [f for f in report.findings if f.kind == "quote_altered"]
    assert all({e.article_id for e in f.evidence} != {"a_harbour", "c_daily"} for f in altered)


def test_pipeline_evidence_cites_cleaned_text_and_file_line(fake_embedder):
    report, results = _run(fake_embedder)
    texts = {ac.article.id: ac.article.text for ac in results}
    for f in report.findings:
        for e in f.evidence:
            assert texts[e.article_id][e.start : e.end] == e.text
            assert e.line is not None
            original = (ROOT / e.path).read_text(encoding="utf-8").splitlines()[e.line - 1]
            assert e.text.split()[0] in original


def test_pipeline_every_item_span_slices_back(fake_embedder):
    _, results = _run(fake_embedder)
    for ac in results:
        text = ac.article.text
        for c in ac.claims:
            assert text[c.span.start : c.span.end] == c.text
            for item in (*c.quotes, *c.dates, *c.numbers, *c.entities):
                assert text[item.span.start : item.span.end] == item.text


def test_pipeline_is_deterministic_and_order_independent(fake_embedder, tmp_path):
    first, _ = _run(fake_embedder)
    # Same files, given in another order and from another folder name.
    for name in ("c_daily.txt", "a_harbour.txt", "b_coastal.txt"):
        shutil.copy(EVENT / name, tmp_path / name)
    second, _ = check([tmp_path / "c_daily.txt", tmp_path / "b_coastal.txt", tmp_path / "a_harbour.txt"],
                      name="event", embedder=fake_embedder)
    assert [f.id for f in first.findings] == [f.id for f in second.findings]
    again, _ = _run(fake_embedder)
    assert to_json(first) == to_json(again)


def test_pipeline_golden_markdown(fake_embedder):
    report, _ = _run(fake_embedder)
    md = to_markdown(report)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(md, encoding="utf-8")
    assert md == GOLDEN.read_text(encoding="utf-8"), "report changed: rerun with UPDATE_GOLDEN=1 and review the diff"


def test_pipeline_duplicate_article_warns_and_counts_once(fake_embedder, tmp_path):
    for name in ("a_harbour.txt", "b_coastal.txt"):
        shutil.copy(EVENT / name, tmp_path / name)
    shutil.copy(EVENT / "a_harbour.txt", tmp_path / "a_copy.txt")
    report, _ = check([tmp_path], name="dup", embedder=fake_embedder)
    assert len(report.articles) == 2
    assert any("same text" in w for w in report.warnings)


def test_pipeline_rerun_reuses_cached_events(fake_embedder, tmp_path, monkeypatch):
    """An unchanged event is not clustered or compared again; the report is identical."""
    import factcheck.compare as compare

    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    first, _ = check(["tests/fixtures/event"], name="event", embedder=fake_embedder, cache=True)

    def no_compare(*args, **kwargs):
        raise AssertionError("compare ran on an unchanged event")

    monkeypatch.setattr(compare, "compare_event", no_compare)
    again, _ = check(["tests/fixtures/event"], name="event", embedder=fake_embedder, cache=True)
    assert to_json(again) == to_json(first)

    # A changed article is a changed event: compared again, not served stale.
    changed = tmp_path / "changed"
    shutil.copytree(EVENT, changed)
    path = changed / "b_coastal.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Fifteen", "Twelve"), encoding="utf-8")
    with pytest.raises(AssertionError, match="compare ran"):
        check([changed], name="event", embedder=fake_embedder, cache=True)
