"""The whole pipeline on a small hand-written event (fake embedder: fast, deterministic)."""

import os
import shutil
from pathlib import Path

import pytest

from factcheck.pipeline import check
from factcheck.report import locate, to_json, to_markdown

ROOT = Path(__file__).resolve().parents[1]
EVENT = ROOT / "tests" / "fixtures" / "event"
GOLDEN = ROOT / "tests" / "golden" / "event.md"


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch):
    # Report paths are relative to the working directory: pin it.
    monkeypatch.chdir(ROOT)


def _run(fake_embedder, paths=("tests/fixtures/event",)):
    return check(list(paths), name="event", embedder=fake_embedder)


@pytest.mark.model
def test_pipeline_flags_each_planted_discrepancy(fake_embedder):
    report, _ = _run(fake_embedder)
    # One finding per disputed fact, never one per pair of outlets.
    kinds = sorted(f.kind for f in report.findings)
    assert kinds == ["date_conflict", "number_conflict", "quote_altered"]
    (dates,) = [f for f in report.findings if f.kind == "date_conflict"]
    # "Monday" (published Tue 14 March) and "March 13" are the same day; only
    # "Tuesday" (the 14th, in c) disagrees: one finding with all three versions.
    roles = [e.role or "" for e in dates.evidence]
    assert sum("2023-03-14" in r for r in roles) == 1 and sum("2023-03-13" in r for r in roles) == 2
    # The quote: a and c carry it verbatim ("U.S." inside the quote aside), b
    # rewords it: one finding, a's (or c's) wording against b's.
    (altered,) = [f for f in report.findings if f.kind == "quote_altered"]
    assert "b_coastal" in {e.article_id for e in altered.evidence}
    assert altered.detail["verbatim_outlets"] == 2 and altered.detail["outlets"] == 3


@pytest.mark.model
def test_pipeline_evidence_cites_cleaned_text_and_file_line(fake_embedder):
    report, results = _run(fake_embedder)
    texts = {ac.article.id: ac.article.text for ac in results}
    for f in report.findings:
        for e in f.evidence:
            assert texts[e.article_id][e.start : e.end] == e.text
            assert e.line is not None
            original = (ROOT / e.path).read_text(encoding="utf-8").splitlines()[e.line - 1]
            assert e.text.split()[0] in original


@pytest.mark.model
def test_pipeline_every_item_span_slices_back(fake_embedder):
    _, results = _run(fake_embedder)
    for ac in results:
        text = ac.article.text
        for c in ac.claims:
            assert text[c.span.start : c.span.end] == c.text
            for item in (*c.quotes, *c.dates, *c.numbers, *c.entities):
                assert text[item.span.start : item.span.end] == item.text


@pytest.mark.model
def test_pipeline_is_deterministic_and_order_independent(fake_embedder, tmp_path):
    first, _ = _run(fake_embedder)
    # Same files, given in another order and from another folder name.
    for name in ("c_daily.txt", "a_harbour.txt", "b_coastal.txt"):
        shutil.copy(EVENT / name, tmp_path / name)
    second, _ = check(
        [tmp_path / "c_daily.txt", tmp_path / "b_coastal.txt", tmp_path / "a_harbour.txt"],
        name="event",
        embedder=fake_embedder,
    )
    assert [f.id for f in first.findings] == [f.id for f in second.findings]
    again, _ = _run(fake_embedder)
    assert to_json(first) == to_json(again)


@pytest.mark.model
def test_pipeline_golden_markdown(fake_embedder):
    report, _ = _run(fake_embedder)
    # Links to the source lines as from a report written to reports/ (as check --out reports/event would).
    md = to_markdown(locate(report, ROOT / "reports" / "event"))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(md, encoding="utf-8")
    assert md == GOLDEN.read_text(encoding="utf-8"), "report changed: rerun with UPDATE_GOLDEN=1 and review the diff"


@pytest.mark.model
def test_pipeline_duplicate_article_warns_and_counts_once(fake_embedder, tmp_path):
    for name in ("a_harbour.txt", "b_coastal.txt"):
        shutil.copy(EVENT / name, tmp_path / name)
    shutil.copy(EVENT / "a_harbour.txt", tmp_path / "a_copy.txt")
    report, _ = check([tmp_path], name="dup", embedder=fake_embedder)
    assert len(report.articles) == 2
    assert any("same text" in w for w in report.warnings)


@pytest.mark.model
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


@pytest.mark.model
def test_pipeline_event_cache_damaged_entry_is_set_aside(fake_embedder, tmp_path, monkeypatch, caplog):
    """Issue 12, case 4: an unreadable event-cache entry is set aside and the event compared again."""
    import logging

    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    first, _ = check(["tests/fixtures/event"], name="event", embedder=fake_embedder, cache=True)
    (entry,) = (tmp_path / "cache" / "events").glob("*.json")
    for junk in (b"\x00\x01", b'{"findings": 3}', b"[]"):
        entry.write_bytes(junk)
        with caplog.at_level(logging.WARNING, logger="factcheck"):
            again, _ = check(["tests/fixtures/event"], name="event", embedder=fake_embedder, cache=True)
        assert to_json(again) == to_json(first)
        assert "event cache entry" in caplog.text and "moved aside" in caplog.text
        caplog.clear()
    assert len(list((tmp_path / "cache" / "events").glob("*.damaged-*"))) == 3


PLACES = (
    "museum",
    "library",
    "bakery",
    "school",
    "market",
    "theatre",
    "hospital",
    "garage",
    "chapel",
    "hotel",
    "cinema",
    "pharmacy",
    "stadium",
    "bank",
    "gallery",
    "brewery",
    "clinic",
    "warehouse",
    "bookshop",
    "gym",
)
PEOPLE = (
    "Nora Quist",
    "Felix Brandt",
    "Amara Osei",
    "Jonas Lind",
    "Priya Nair",
    "Tomas Ek",
    "Lena Vogt",
    "Omar Haddad",
    "Ines Costa",
    "Kai Moreau",
    "Sara Bloom",
    "Ivan Petrov",
    "Mei Tanaka",
    "Luis Ortega",
    "Hana Novak",
    "Erik Dahl",
    "Zoe Marsh",
    "Adam Kral",
    "Rita Sousa",
    "Paul Weber",
)


@pytest.mark.model
def test_pipeline_twenty_outlets_stay_under_400_lines(fake_embedder, tmp_path):
    """Issue 10: a 20-outlet story gives a report an editor can read, not ~2,000 lines.

    Twenty articles built from the event's three: each reworded a little
    (its own injured count, its own extra sentences with figures, dates and
    quotes, its own outlet in a manifest), so every part of the page fills.
    """
    lines = []
    for i in range(20):
        src = (EVENT / ("a_harbour.txt", "b_coastal.txt", "c_daily.txt")[i % 3]).read_text(encoding="utf-8")
        src = src.replace("Leave a Comment", "").replace("Share this article", "")
        src = src.replace("Twelve people", f"{12 + i % 4} people").replace("Fifteen people", f"{13 + i % 5} people")
        place, person = PLACES[i], PEOPLE[i]
        extra = (
            f"\n\nThe {place} near the harbour was flooded during the storm, the {place} manager said."
            f"\n\n“We lost everything in the {place},” {person} told reporters on Wednesday."
        )
        (tmp_path / f"outlet{i:02d}.txt").write_text(src.rstrip() + extra + "\n", encoding="utf-8")
        lines.append(f'["outlet{i:02d}.txt"]\noutlet = "Outlet {i}"\n')
    (tmp_path / "sources.toml").write_text("\n".join(lines), encoding="utf-8")
    report, _ = check([tmp_path], name="twenty", embedder=fake_embedder)
    assert len(report.articles) == 20 and report.findings
    md = to_markdown(report)
    assert len(md.splitlines()) < 400, len(md.splitlines())
    # Named by outlet everywhere, never by the file's id: ids appear only in citations (file paths).
    assert "**outlet" not in md and "(outlet0" not in md and "**Outlet " in md
