"""The stage functions both engines call: picklable inputs, one event in, one EventResult out, one merge."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from factcheck.cache import EventCache
from factcheck.config import DEFAULT
from factcheck.engine import stages
from factcheck.pipeline import _embed, check, extract
from factcheck.report import to_json

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def event():
    prep, results = extract(["tests/fixtures/event"])
    return prep, results


@pytest.mark.model
def test_engine_line_of_is_data_and_survives_pickle(event):
    prep, results = event
    lines = stages.LineOf.from_raws(prep.raws, prep.articles)
    again = pickle.loads(pickle.dumps(lines))
    for ac in results:
        for c in ac.claims:
            assert again(ac.article.id, c.span.start) == lines(ac.article.id, c.span.start) is not None
    assert again("no-such-article", 0) is None


@pytest.mark.model
def test_engine_compare_group_and_merge_give_the_report(event, fake_embedder):
    """compare_group over the one event, then merge: the report check writes."""
    prep, results = event
    claim_vecs, quote_vecs = _embed(fake_embedder, results)
    task = stages.event_task(
        results, claim_vecs, quote_vecs, DEFAULT, stages.LineOf.from_raws(prep.raws, prep.articles)
    )
    shipped = pickle.loads(pickle.dumps(task))  # what a worker receives
    result = stages.EventResult.model_validate_json(stages.event_task_json(shipped))
    assert isinstance(result, stages.EventResult) and result.findings
    merged = stages.merge("event", results, [result], prep.warnings, DEFAULT, claim_vecs, [results])
    report, _ = check(["tests/fixtures/event"], name="event", embedder=fake_embedder)
    assert to_json(merged) == to_json(report)


@pytest.mark.model
def test_engine_event_task_holds_only_its_event(event, fake_embedder):
    prep, results = event
    claim_vecs, quote_vecs = _embed(fake_embedder, results)
    claim_vecs["elsewhere:1"] = np.ones(64, dtype=np.float32)
    task = stages.event_task(
        results[:2], claim_vecs, quote_vecs, DEFAULT, stages.LineOf.from_raws(prep.raws, prep.articles)
    )
    assert set(task.claim_vecs) == {c.id for ac in results[:2] for c in ac.claims}
    assert set(task.lines.starts) <= {ac.article.id for ac in results[:2]}
    assert {k[0] for k in task.quote_vecs} <= {ac.article.id for ac in results[:2]}


@pytest.mark.model
def test_engine_event_cache_round_trips_a_result(event, fake_embedder, tmp_path):
    prep, results = event
    claim_vecs, quote_vecs = _embed(fake_embedder, results)
    task = stages.event_task(
        results, claim_vecs, quote_vecs, DEFAULT, stages.LineOf.from_raws(prep.raws, prep.articles)
    )
    result = stages.run_event_task(task)
    cache = EventCache(DEFAULT, "fake", folder=tmp_path)
    assert cache.get(results) is None
    cache.put(results, result)
    assert cache.get(results) == result
    (next(p for p in tmp_path.iterdir() if p.suffix == ".json")).write_text("{not json", encoding="utf-8")
    assert cache.get(results) is None  # a corrupt entry is set aside and recomputed, never trusted


@pytest.mark.parametrize(
    "engine, scheduler, where",
    [
        ("spark", None, "--engine spark"),
    ],
)
def test_engine_unknown_engine_is_an_input_error(engine, scheduler, where, fake_embedder):
    from factcheck.errors import InputError

    with pytest.raises(InputError, match=where):
        check(["tests/fixtures/event"], embedder=fake_embedder, engine=engine, scheduler=scheduler)


def test_engine_cli_scheduler_needs_the_dask_engine():
    from typer.testing import CliRunner

    from factcheck.cli import app

    result = CliRunner().invoke(app, ["check", "tests/fixtures/event", "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2
    assert "--engine dask" in result.output
