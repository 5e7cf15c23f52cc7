"""The committed worked example (reports/seeds.md, .html, .json, claims/*.json) must match a fresh run.

Uses the real models (offline), so it is marked ``model``. If it fails after a
deliberate change, regenerate with ``make report`` (``factcheck check seeds/ --out reports/seeds --no-cache``) and review the diff.
"""

import json
from pathlib import Path

import pytest

from factcheck.pipeline import check
from factcheck.report import locate, to_html, to_json, to_markdown
from factcheck.review import apply_reviews

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def fresh(onnx_embedder, tmp_path_factory):
    import os

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        report, results = check(["seeds/"], name="seeds", embedder=onnx_embedder)
        # Links to the source lines from reports/, as check --out reports/seeds makes them.
        report = locate(report, ROOT / "reports" / "seeds")
    finally:
        os.chdir(old)
    # No review store in a temp place: every finding is "open", as in the commit.
    report, _ = apply_reviews(report, tmp_path_factory.mktemp("r") / "seeds")
    return report, results


def test_seeds_report_is_not_stale(fresh):
    report, _ = fresh
    assert to_markdown(report) == (ROOT / "reports" / "seeds.md").read_text(encoding="utf-8"), (
        "reports/seeds.md is stale: run `make report` and commit the result"
    )
    assert json.loads(to_json(report)) == json.loads((ROOT / "reports" / "seeds.json").read_text(encoding="utf-8"))
    assert to_html(report) == (ROOT / "reports" / "seeds.html").read_text(encoding="utf-8"), (
        "reports/seeds.html is stale: run `make report` and commit the result"
    )


def test_seeds_manifest_names_what_the_texts_support(fresh):
    """seeds/sources.toml: the outlet and dates the texts give are named; the rest is listed as not checked."""
    report, _ = fresh
    by = {a.id[:3]: a for a in report.articles}
    assert by["002"].outlet == "Bloomberg News" and str(by["002"].published) == "2023-05-04"
    assert str(by["001"].published) == "2023-05-30"
    md = (ROOT / "reports" / "seeds.md").read_text(encoding="utf-8")
    head = md.split("## Claims only one outlet makes")[0]
    assert len(head.splitlines()) <= 120  # two screens above the single-outlet claims
    assert "No publication date for 000_efbc0abb699715ea.txt, 003_e4a4e7593f88bf5b.txt, 004_f095c6312b9e0c86.txt" in md
    assert (ROOT / "reports" / "seeds.html").exists()


def test_seeds_claims_are_not_stale(fresh):
    _, results = fresh
    for ac in results:
        committed = json.loads((ROOT / "claims" / f"{ac.article.id}.json").read_text(encoding="utf-8"))
        assert json.loads(ac.model_dump_json()) == committed, f"claims/{ac.article.id}.json is stale"
    # claims/ holds the seeds' claims and nothing else: claims of another run
    # (an event from ../shared, whose texts may not be copied) never get committed.
    extra = {p.stem for p in (ROOT / "claims").glob("*.json")} - {ac.article.id for ac in results}
    assert not extra, f"claims/ holds claims of articles that are not in seeds/: {sorted(extra)}"


def test_seeds_sample_findings_and_no_traps(fresh):
    """The editor's sample (examples/seeds-findings.md): both discrepancies, none of the traps."""
    report, _ = fresh
    kinds = {f.kind for f in report.findings}
    assert "quote_altered" in kinds and "contradiction" in kinds
    altered = next(f for f in report.findings if f.kind == "quote_altered")
    assert "diff" in altered.detail
    assert {e.article_id[:3] for e in altered.evidence} == {"000", "003"}
    contra = next(f for f in report.findings if f.kind == "contradiction")
    assert {e.article_id[:3] for e in contra.evidence} == {"001", "004"}
    # Traps: no date conflict at all; "U.S." vs "US" inside the Pentagon quote is the same wording.
    assert "date_conflict" not in kinds
    for f in report.findings:
        if f.kind == "quote_altered":
            assert not any("Overnight" in e.text for e in f.evidence)
    # Reader comments and forum usernames never become claims.
    texts = " ".join(e.text for s in report.single_source for e in [s.evidence])
    assert "beijingwalker" not in texts and "Very funny" not in texts


def test_seeds_findings_identical_across_backends_and_cache(fresh, torch_embedder, onnx_embedder, tmp_path):
    """Same findings (ids) with torch or ONNX int8, and with a cold or warm cache."""
    import os

    from factcheck.embed import CachedEmbedder

    report, _ = fresh
    ids = [f.id for f in report.findings]
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        torch_report, _ = check(["seeds/"], name="seeds", embedder=torch_embedder)
        cached = CachedEmbedder(onnx_embedder, tmp_path)
        cold, _ = check(["seeds/"], name="seeds", embedder=cached)
        misses = cached.misses
        warm, _ = check(["seeds/"], name="seeds", embedder=cached, cache=True)
    finally:
        os.chdir(old)
    assert [f.id for f in torch_report.findings] == ids
    assert [f.id for f in cold.findings] == ids
    assert [f.id for f in warm.findings] == ids
    assert misses > 0 and cached.misses == misses  # the warm run did no model work
