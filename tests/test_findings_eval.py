"""Whole-findings evaluation on hand-annotated real events (factcheck.evaluation.findings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.evaluation import findings as fe
from factcheck.models import Evidence, Finding

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
NO_DATA = not (DATA / fe.CORPUS_FILE).exists()
DATA_REASON = "../shared/data not present (public eval data lives outside the repo)"

# dev: the three BASIL events, whose false positives were studied and fixed: precision 0.174 (4/23) at first,
# 1.0 (4/4) after the fixes; recall 0.6 (3/5).
# test: three NewsWCL50 events annotated blind, never tuned on; first measured 2026-11-23 18:00 UTC:
# precision 0.211 (4/19), recall 0.30 (3/10).
# Floors sit a little below, as regression guards; raise them when the comparator improves.
DEV_PRECISION_FLOOR = 0.75  # measured 1.00 (4/4) after the alias/length/pairing fixes; 0.17 before
DEV_RECALL_FLOOR = 0.4  # measured 0.60 (3/5)
TEST_PRECISION_FLOOR = 0.15  # measured 0.211 (4/19)
TEST_RECALL_FLOOR = 0.2  # measured 0.30 (3/10)


def _finding(kind: str, *evidence: tuple[str, str]) -> Finding:
    ev = tuple(Evidence(article_id=a, path=f"{a}.json", start=0, end=len(t), text=t) for a, t in evidence)
    return Finding(id="F-test", kind=kind, severity="high", summary="", evidence=ev)


ALTERED = {
    "kind": "quote_altered",
    "anchors": [
        {"outlet": "HuffPost", "phrase": "and it destroyed his life", "side": "a"},
        {"outlet": "Fox News", "phrase": "they destroyed his life", "side": "b"},
        {"outlet": "New York Times", "phrase": "they destroyed his life", "side": "b"},
    ],
    "note": "",
}


@pytest.mark.parametrize(
    "finding, check_kind, expected",
    [
        # the odd outlet against either agreeing outlet: a match
        (
            _finding(
                "quote_altered",
                ("huffpost", "Flynn lied, and it destroyed his life"),
                ("fox-news", "Flynn lied and they destroyed his life"),
            ),
            True,
            True,
        ),
        (
            _finding(
                "quote_altered",
                ("huffpost", "Flynn lied, and it destroyed his life"),
                ("new-york-times", "Flynn lied and they destroyed his life."),
            ),
            True,
            True,
        ),
        # the two agreeing outlets (same side): no match
        (
            _finding(
                "quote_altered",
                ("fox-news", "Flynn lied and they destroyed his life"),
                ("new-york-times", "Flynn lied and they destroyed his life."),
            ),
            True,
            False,
        ),
        # wrong kind for a discrepancy: no match; traps ignore the kind
        (
            _finding(
                "quote_attribution", ("huffpost", "and it destroyed his life"), ("fox-news", "they destroyed his life")
            ),
            True,
            False,
        ),
        (
            _finding(
                "quote_attribution", ("huffpost", "and it destroyed his life"), ("fox-news", "they destroyed his life")
            ),
            False,
            True,
        ),
        # anchor found in the wrong outlet's evidence: no match
        (
            _finding(
                "quote_altered",
                ("fox-news", "and it destroyed his life"),
                ("new-york-times", "they destroyed his life"),
            ),
            True,
            False,
        ),
        # curly vs straight marks and spacing do not matter
        (
            _finding(
                "quote_altered", ("huffpost", "and  it DESTROYED his life"), ("fox-news", "they destroyed his life")
            ),
            True,
            True,
        ),
    ],
)
def test_findings_eval_matches(finding: Finding, check_kind: bool, expected: bool) -> None:
    assert fe.matches(ALTERED, finding, check_kind=check_kind) is expected


@pytest.mark.parametrize(
    "kind, texts, expected",
    [
        ("name_inconsistency", {"003_x": "His refusal to meet with Lloyd was seen"}, True),
        ("name_inconsistency", {"003_x": "a meeting with Minister Lloyd Austin"}, False),
        ("name_inconsistency", {}, False),  # no context available: the bare name is all there is
    ],
)
def test_findings_eval_single_article_name(kind: str, texts: dict[str, str], expected: bool) -> None:
    item = {"kind": "name_inconsistency", "anchors": [{"outlet": "003", "phrase": "refusal to meet with Lloyd"}]}
    text = next(iter(texts.values()), "Lloyd")
    start = text.find("Lloyd")
    ev = Evidence(article_id="003_x", path="003_x.txt", start=start, end=start + 5, text="Lloyd")
    f = Finding(id="F-n", kind=kind, severity="low", summary="", evidence=(ev,))
    assert fe.matches(item, f, check_kind=True, texts=texts) is expected


def test_findings_eval_judge_and_score() -> None:
    ann = {
        "cluster_id": "x",
        "source": "t",
        "articles": [],
        "discrepancies": [ALTERED],
        "traps": [
            {
                "kind": "quote_altered",
                "anchors": [
                    {"outlet": "Fox News", "phrase": "lied many times to the FBI"},
                    {"outlet": "New York Times", "phrase": "lied many times to the F.B.I."},
                ],
                "note": "trap",
            }
        ],
    }
    fs = [
        _finding("quote_altered", ("huffpost", "and it destroyed his life"), ("fox-news", "they destroyed his life")),
        _finding(
            "quote_altered", ("huffpost", "and it destroyed his life"), ("new-york-times", "they destroyed his life")
        ),
        _finding(
            "quote_altered",
            ("fox-news", "lied many times to the FBI"),
            ("new-york-times", "lied many times to the F.B.I."),
        ),
        _finding("date_conflict", ("fox-news", "Monday"), ("huffpost", "Tuesday")),
    ]
    j = fe.judge(ann, fs)
    assert [x["verdict"] for x in j["findings"]] == ["tp", "tp", "trap", "fp"]
    assert [x["duplicate"] for x in j["findings"]] == [False, True, False, False]
    s = fe.score([{**j, "discrepancies": ann["discrepancies"]}])
    assert (s["tp"], s["fp"], s["trap_hits"], s["found"], s["fn"]) == (2, 2, 1, 1, 0)
    assert s["precision"] == 0.5 and s["recall"] == 1.0
    assert fe.score([])["precision"] is None  # nothing flagged: undefined, not 0 or 1


def test_findings_eval_fixtures_are_well_formed() -> None:
    anns = fe.load_annotations()
    assert {a["source"] for a in anns} >= {"seeds", "BASIL", "NewsWCL50"}
    assert sum(a["source"] != "seeds" for a in anns) >= 2
    for a in anns:
        for item in a["discrepancies"] + a["traps"]:
            for anchor in item["anchors"]:
                assert len(anchor["phrase"].split()) <= fe.MAX_ANCHOR_WORDS
    splits = [fe.split_of(a) for a in anns]
    assert splits.count("dev") >= 2 and splits.count("test") >= 3 and splits.count("seeds") == 1
    # the held-out split is annotated blind, before the checker ever ran on it
    assert all(a["annotated_blind"] for a in anns if fe.split_of(a) == "test")


@pytest.mark.parametrize(
    "ann, expected",
    [
        ({"source": "BASIL"}, "dev"),  # no split field: dev (tuned on)
        ({"source": "BASIL", "split": "dev"}, "dev"),
        ({"source": "NewsWCL50", "split": "test"}, "test"),
        ({"source": "seeds", "split": "test"}, "seeds"),  # seeds were visible: never test
    ],
)
def test_findings_eval_split_of(ann: dict, expected: str) -> None:
    assert fe.split_of(ann) == expected


@pytest.mark.parametrize(
    "split, ok", [("test", True), ("dev", True), (None, True), ("holdout", False), ("Test", False)]
)
def test_findings_eval_load_rejects_unknown_split(tmp_path: Path, split: str | None, ok: bool) -> None:
    ann = {"cluster_id": "x", "source": "NewsWCL50", "articles": [], "discrepancies": [], "traps": []}
    if split is not None:
        ann["split"] = split
    (tmp_path / "x.json").write_text(json.dumps(ann), encoding="utf-8")
    if ok:
        assert [a["cluster_id"] for a in fe.load_annotations(tmp_path)] == ["x"]
    else:
        with pytest.raises(ValueError, match="split"):
            fe.load_annotations(tmp_path)


@pytest.fixture(scope="module")
def evaluation(onnx_embedder):
    return fe.run(DATA, embedder=onnx_embedder)


@pytest.mark.model
@pytest.mark.skipif(NO_DATA, reason=DATA_REASON)
def test_findings_eval_anchors_occur_in_the_articles(evaluation) -> None:
    assert not evaluation["skipped"]
    errors = [e for ev in evaluation["events"].values() for e in ev["anchor_errors"]]
    assert errors == []


@pytest.mark.model
@pytest.mark.skipif(NO_DATA, reason=DATA_REASON)
def test_findings_eval_seeds(evaluation) -> None:
    seeds = evaluation["events"]["seeds"]
    found_kinds = {seeds["discrepancies"][i]["kind"] for i in seeds["found"]}
    assert {"quote_altered", "stance"} <= found_kinds  # the two sample discrepancies
    assert seeds["trap_hits"] == []


@pytest.mark.model
@pytest.mark.skipif(NO_DATA, reason=DATA_REASON)
def test_findings_eval_splits_are_scored_apart(evaluation) -> None:
    by_split = {
        part: sorted(c for c, e in evaluation["events"].items() if e["split"] == part)
        for part in ("dev", "test", "seeds")
    }
    assert by_split["seeds"] == ["seeds"]
    assert all(c.startswith("basil-") for c in by_split["dev"])
    assert all(c.startswith("newswcl50-") for c in by_split["test"])
    for part, cids in by_split.items():
        assert evaluation[part]["events"] == len(cids)
    # unseen = dev + test, counted the same way
    for key in ("events", "findings", "tp", "fp", "discrepancies", "found"):
        assert evaluation["unseen"][key] == evaluation["dev"][key] + evaluation["test"][key]


@pytest.mark.model
@pytest.mark.skipif(NO_DATA, reason=DATA_REASON)
@pytest.mark.parametrize(
    "part, min_events, precision_floor, recall_floor",
    [
        ("dev", 2, DEV_PRECISION_FLOOR, DEV_RECALL_FLOOR),
        ("test", 3, TEST_PRECISION_FLOOR, TEST_RECALL_FLOOR),
    ],
)
def test_findings_eval_floors(
    evaluation, part: str, min_events: int, precision_floor: float, recall_floor: float
) -> None:
    scores = evaluation[part]
    assert scores["events"] >= min_events
    assert scores["precision"] is not None and scores["precision"] >= precision_floor
    assert scores["recall"] >= recall_floor
