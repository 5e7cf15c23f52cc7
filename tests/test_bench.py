"""The benchmark: deterministic real-text corpora, a complete JSON per size, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from factcheck.bench import (
    CORPUS_FILE,
    corpus_records,
    evaluate_targets,
    parse_sizes,
    run_bench,
    write_corpus,
)
from factcheck.errors import InputError

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not (DATA / CORPUS_FILE).exists(), reason="../shared/data not present (public eval data lives outside the repo)"
)

PER_SIZE_KEYS = {
    "articles",
    "sentences",
    "seconds",
    "articles_per_s",
    "peak_rss_mb",
    "bare_embed_sentences_per_s",
    "pipeline_sentences_per_s",
    "stages",
    "rerun_seconds",
    "rerun_speedup",
}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10,100,1000", [10, 100, 1000]),
        ("1000, 10", [10, 1000]),
        ("5,5", [5]),
    ],
)
def test_bench_parse_sizes(text, expected):
    assert parse_sizes(text) == expected


@pytest.mark.parametrize("text", ["", "ten", "10,x", "0", "1", "-5", ","])
def test_bench_parse_sizes_rejects(text):
    with pytest.raises(InputError, match="--sizes"):
        parse_sizes(text)


def test_bench_missing_data_names_path_and_option(tmp_path):
    with pytest.raises(InputError) as info:
        run_bench([3], data_dir=tmp_path / "nowhere", cli_timings=False)
    assert "nowhere" in str(info.value) and "--data" in str(info.value)
    assert info.value.exit_code == 2


@needs_data
def test_bench_corpus_is_deterministic_real_text():
    a, b = corpus_records(DATA, 40), corpus_records(DATA, 40)
    assert a == b
    assert corpus_records(DATA, 10) == a[:10]  # a larger corpus extends a smaller one
    assert len({r["id"] for r in a}) == 40
    assert all(set(r) == {"id", "title", "outlet", "published", "text"} for r in a)
    source = (DATA / CORPUS_FILE).read_text(encoding="utf-8")
    # Every text is verbatim public news (as JSON-escaped in the data file), never generated.
    assert all(json.dumps(r["text"], ensure_ascii=False)[1:-1] in source for r in a)
    # Long full articles and short snippets are mixed even in a small corpus.
    lengths = sorted(len(r["text"]) for r in a)
    assert lengths[0] < 1000 < 3000 < lengths[-1]


@needs_data
def test_bench_corpus_too_large_is_an_input_error():
    with pytest.raises(InputError, match="only"):
        corpus_records(DATA, 10**6)


@needs_data
def test_bench_write_corpus_loads_back(tmp_path):
    from factcheck.load import load_paths

    recs = corpus_records(DATA, 5)
    path = write_corpus(recs, tmp_path / "c" / "articles.jsonl")
    docs = load_paths([path.parent])
    assert [d.id for d in docs] == [r["id"] for r in recs]
    assert [d.text for d in docs] == [r["text"] for r in recs]


@pytest.mark.parametrize(
    "result, met",
    [
        (
            {
                "sizes": {
                    "1000": {"seconds": 90.0, "peak_rss_mb": 900.0, "pipeline_vs_bare": 0.8, "rerun_speedup": 20.0}
                },
                "cli": {"help_seconds": 0.3, "cold_check_seeds_seconds": 6.0},
            },
            {
                "seconds_1000": True,
                "peak_rss_mb_1000": True,
                "pipeline_vs_bare": True,
                "rerun_speedup": True,
                "help_seconds": True,
                "cold_check_seeds_seconds": True,
            },
        ),
        (
            {
                "sizes": {
                    "1000": {"seconds": 150.0, "peak_rss_mb": 2500.0, "pipeline_vs_bare": 0.5, "rerun_speedup": 4.0}
                },
                "cli": {"help_seconds": 0.9, "cold_check_seeds_seconds": 12.0},
            },
            {
                "seconds_1000": False,
                "peak_rss_mb_1000": False,
                "pipeline_vs_bare": False,
                "rerun_speedup": False,
                "help_seconds": False,
                "cold_check_seeds_seconds": False,
            },
        ),
        ({"sizes": {}}, {}),  # nothing measured: nothing judged
    ],
)
def test_bench_evaluate_targets(result, met):
    assert {k: v["met"] for k, v in evaluate_targets(result).items()} == met


def test_bench_rss_growth_exponent_is_judged():
    sizes = {"100": {"peak_rss_mb": 500.0}, "1000": {"peak_rss_mb": 800.0}}
    got = evaluate_targets({"sizes": sizes})["rss_growth_exponent"]
    assert got["met"] and got["value"] == 0.2  # log(1.6) / log(10)


@needs_data
def test_bench_tiny_run_has_every_key(onnx_embedder, model_cache_dir):
    # Shares the session's ONNX export (conftest) so nothing is exported twice.
    result = run_bench([3], backend="onnx", data_dir=DATA, export_cache=model_cache_dir, cli_timings=False)
    assert result["machine"]["cores"] >= 1 and result["machine"]["backend"] == "onnx"
    row = result["sizes"]["3"]
    assert PER_SIZE_KEYS <= set(row)
    assert row["articles"] == 3 and row["sentences"] > 0
    assert {"extract", "embed"} <= set(row["stages"])
    assert row["rerun_embed_misses"] == 0  # unchanged input: no model work
    assert row["rerun_findings_identical"] is True
    assert json.loads(json.dumps(result)) == result  # JSON-ready as is


@needs_data
def test_bench_corpus_repeats_past_the_real_articles_are_new_real_sentences():
    from factcheck.bench import real_article_count

    real = real_article_count(DATA)
    recs = corpus_records(DATA, real + 50, repeat=True)
    assert recs[:real] == corpus_records(DATA, real)  # the real articles come first, unchanged
    extra = recs[real:]
    assert len({r["id"] for r in recs}) == len(recs) and len({r["text"] for r in recs}) == len(recs)
    assert all("(repeat 1)" in r["title"] for r in extra)
    originals = {r["id"]: r["text"] for r in recs[:real]}
    for r in extra[:10]:  # each repeat starts with the first half of its own article
        base = originals[r["id"].replace("-r1-", "-", 1)]
        assert r["text"] != base and base.startswith(r["text"][:50])
    assert corpus_records(DATA, real + 50, repeat=True) == recs


def test_bench_synthetic_vectors_are_unit_rows_in_events():
    from factcheck.bench import synthetic_article_vectors
    from factcheck.cluster import group_events

    v = synthetic_article_vectors(500, seed=3)
    assert v.shape == (500, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    groups = group_events(v, 0.75)
    assert 100 < len(groups) < 500 and max(len(g) for g in groups) <= 5


@pytest.mark.parametrize("value, met", [(0.9, True), (0.8, False)])
def test_bench_targets_judge_the_floor_ratio(value, met):
    result = {"sizes": {"1000": {"pipeline_vs_floor": value}}}
    assert evaluate_targets(result)["pipeline_vs_floor_1000"]["met"] is met
