"""``--engine dask`` gives the local engine's report, byte for byte, also when a worker dies mid-run.

A 2-worker ``LocalCluster`` (processes, one thread each) is started once for
the module; the real models run (spaCy, ONNX int8), as in ``factcheck check``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from factcheck.pipeline import check
from factcheck.report import to_json

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed (pip install -e '.[dask]')")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
pytestmark = [pytest.mark.dask, pytest.mark.model]


class CrashOnce(distributed.WorkerPlugin):
    """Kills its worker (``os._exit``) when it starts the first extraction task of
    the run; the marker file makes it happen once, not again on the restarted worker."""

    name = "crash-once"

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and str(key).startswith("factcheck-extract") and not os.path.exists(self.marker):
            Path(self.marker).touch()
            os._exit(1)


@pytest.fixture(scope="module")
def cluster():
    import cloudpickle

    # Workers unpickle the test's plugin by value: they need not import this file.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def corpus40(tmp_path_factory):
    from factcheck.bench import CORPUS_FILE, corpus_records, write_corpus

    if not (DATA / CORPUS_FILE).exists():
        pytest.skip("../shared/data not present (the multi-outlet news corpus lives outside the repo)")
    folder = tmp_path_factory.mktemp("corpus40")
    write_corpus(corpus_records(DATA, 40), folder / "articles.jsonl")
    return folder


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch):
    monkeypatch.chdir(ROOT)  # report paths are relative to the working directory


def _json(paths, embedder, **kw) -> str:
    report, _ = check(paths, name="run", embedder=embedder, **kw)
    return to_json(report)


@pytest.fixture(scope="module")
def local40(corpus40, onnx_embedder):
    return _json([corpus40], onnx_embedder)  # 40 articles: the local worker pool


def test_dask_seeds_same_report_as_local(cluster, onnx_embedder):
    local = _json(["seeds/"], onnx_embedder)
    assert _json(["seeds/"], onnx_embedder, engine="dask", scheduler=cluster.scheduler_address) == local
    # not an empty report: the worked example's altered Pentagon quote is in it
    altered = [f for f in json.loads(local)["findings"] if f["kind"] == "quote_altered"]
    assert {e["article_id"][:3] for f in altered for e in f["evidence"]} == {"000", "003"}


def test_dask_corpus_same_report_as_local(cluster, corpus40, local40, onnx_embedder):
    assert _json([corpus40], onnx_embedder, engine="dask", scheduler=cluster.scheduler_address) == local40


def test_dask_worker_killed_mid_run_same_report(cluster, corpus40, local40, onnx_embedder, tmp_path):
    marker = tmp_path / "crashed"
    client = distributed.Client(cluster.scheduler_address)
    try:
        client.register_plugin(CrashOnce(str(marker)))
        out = _json([corpus40], onnx_embedder, engine="dask", scheduler=cluster.scheduler_address)
        client.unregister_worker_plugin("crash-once")
    finally:
        client.close()
    assert marker.exists(), "no worker was killed: the test did not test a failure"
    assert out == local40


def test_local_pool_same_report_as_one_process(corpus40, onnx_embedder, tmp_path):
    from factcheck.bench import corpus_records, write_corpus

    write_corpus(corpus_records(DATA, 12), tmp_path / "articles.jsonl")
    assert _json([tmp_path], onnx_embedder, n_process=2) == _json([tmp_path], onnx_embedder, n_process=1)
