"""The Dask engine: the same stage functions on ``dask.distributed`` workers.

With no address it starts a ``LocalCluster`` sized to the machine (one
single-threaded worker process per core); ``scheduler="tcp://HOST:PORT"``
joins an existing cluster. Each worker loads spaCy and the ONNX session once,
in a worker plugin (the int8 graph, 23 MB, travels inside the plugin, so
workers need the installed package but no cache and no export of their own).

The driving process (the client) keeps what is global: the input files, the
extraction, embedding and event caches, the embedding plan, the event
grouping and the merge. Workers run the per-batch and per-event tasks. Every
task's input is part of the task itself (nothing is scattered), so when a
worker dies the scheduler re-runs its tasks elsewhere and the run ends with
the same report.
"""

from __future__ import annotations

import logging
import os
import uuid
from typing import Sequence

import numpy as np

from ..errors import FactcheckError
from . import stages
from .local import embed_with, onnx_inner

# Planned model batches (64 sentences each) per task.
FEEDS_PER_TASK = 8
_INSTALL_FIX = "install the extra: pip install 'factcheck[dask]' (make venv does)"


def _distributed():
    try:
        import distributed
    except ImportError as exc:
        raise FactcheckError("--engine dask", "dask.distributed is not installed", _INSTALL_FIX) from exc
    return distributed


try:
    from distributed import WorkerPlugin
except ImportError:  # the extra is not installed: DaskRunner says how to fix it
    WorkerPlugin = object  # type: ignore[assignment,misc]  # a stand-in base class so this module still imports


class FactcheckModels(WorkerPlugin):
    """Loads spaCy and the ONNX session once per worker, before its first task."""

    name = "factcheck-models"

    def __init__(self, onnx_graph: bytes | None):
        self.onnx_graph = onnx_graph

    def setup(self, worker) -> None:
        stages.load_worker_models(self.onnx_graph, parse=True)


def worker_count() -> int:
    """Cores this process may use: the size of a local cluster."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class DaskRunner:
    """Runs the stages on a Dask cluster; ``close`` leaves a joined cluster running."""

    remote = True

    def __init__(self, embedder, scheduler: str | None = None, n_workers: int | None = None) -> None:
        distributed = _distributed()
        self.cluster = None
        try:
            if scheduler:
                self.client = distributed.Client(scheduler, timeout="30s")
            else:
                self.cluster = distributed.LocalCluster(
                    n_workers=n_workers or worker_count(),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = distributed.Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            raise FactcheckError(
                f"--scheduler {scheduler}" if scheduler else "--engine dask",
                f"could not reach the Dask scheduler ({exc})",
                "check the address (tcp://HOST:PORT) and that the scheduler is running",
            ) from exc
        inner = onnx_inner(embedder)
        self.has_onnx = inner is not None
        graph = inner.model_file.read_bytes() if inner is not None else None
        # Waits until every current worker has loaded its models; workers that
        # join later (or replace a dead one) run the plugin when they start.
        self.client.register_plugin(FactcheckModels(graph))
        self.run_id = uuid.uuid4().hex[:8]

    def _key(self, stage: str, i: int) -> str:
        # Readable and unique on a shared scheduler: factcheck-<stage>-<run>-<i>.
        return f"factcheck-{stage}-{self.run_id}-{i}"

    def extract(self, batches: Sequence[Sequence], min_words: int):
        from distributed import as_completed

        futures = {}
        for b, arts in enumerate(batches):
            fut = self.client.submit(
                stages.extract_task, [a.model_dump_json() for a in arts], min_words, key=self._key("extract", b)
            )
            futures[fut] = b
        for fut in as_completed(futures):
            yield futures[fut], fut.result()
            fut.release()

    def _run_feeds(self, feeds):
        chunks = stages.batches(feeds, FEEDS_PER_TASK)
        futures = [self.client.submit(stages.pool_feeds, c, key=self._key("embed", i)) for i, c in enumerate(chunks)]
        for fut in futures:
            yield from fut.result()
            fut.release()

    def embed(self, embedder, texts) -> np.ndarray:
        return embed_with(embedder, texts, self._run_feeds if self.has_onnx else None)

    def compare(self, tasks, timings):
        futures = [
            self.client.submit(stages.event_task_json, t, key=self._key("event", k)) for k, t in enumerate(tasks)
        ]
        for fut in futures:
            yield stages.EventResult.model_validate_json(fut.result())
            fut.release()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
