"""The local engine: the stages in this process, or in a pool of worker processes.

Small inputs run in this process (starting workers costs more than it
saves). From ``PARALLEL_MIN_ARTICLES`` articles to parse on, a pool of
processes (one per core, at most 2 by default) each loads spaCy and the ONNX
session once and runs the same stage functions as a Dask worker would:
parse + extract per batch of articles and the planned model batches (events
are compared in this process: see ``Pool``). Extraction runs next to the
parse, so parsed documents never cross a process boundary (only the
extracted records do), and the model batches run in single-threaded
sessions side by side, which uses two cores better than one session with
two threads.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TYPE_CHECKING, Iterator, Sequence

import numpy as np

from . import stages

if TYPE_CHECKING:
    from ..models import Article, ArticleClaims
    from ..pipeline import Timings

# Model batches per pool task: big enough that pickling feeds is noise,
# small enough that both workers finish together.
FEEDS_PER_TASK = 4


def onnx_inner(embedder):
    """The OnnxEmbedder behind ``embedder`` (cached or not), or None for other backends."""
    from ..embed import CachedEmbedder, OnnxEmbedder

    inner = embedder.inner if isinstance(embedder, CachedEmbedder) else embedder
    return inner if isinstance(inner, OnnxEmbedder) else None


def embed_with(embedder, texts: Sequence[str], run_feeds) -> np.ndarray:
    """Vectors for ``texts``: cache first, then the model batches on ``run_feeds``
    (a function from a list of feeds to their pooled rows). Other backends
    (torch, a test's fake) embed in this process."""
    from ..embed import CachedEmbedder

    inner = onnx_inner(embedder)
    if run_feeds is None or inner is None:
        return embedder.embed(texts)

    def compute(missing: list[str]) -> np.ndarray:
        return inner.embed_planned(missing, run_feeds)

    return embedder.embed(texts, compute=compute) if isinstance(embedder, CachedEmbedder) else compute(list(texts))


class InProcess:
    """Every stage in this process, one after the other."""

    remote = False

    def extract(
        self, batches: Sequence[Sequence["Article"]], min_words: int
    ) -> Iterator[tuple[int, list["ArticleClaims"]]]:
        """Yields (batch index, its results); a worker runner yields results as JSON strings."""
        for b, arts in enumerate(batches):
            yield b, stages.extract_batch(arts, min_words)

    def embed(self, embedder, texts: Sequence[str]) -> np.ndarray:
        return embedder.embed(texts)

    def compare(self, tasks: Sequence[stages.EventTask], timings: "Timings") -> Iterator[stages.EventResult]:
        for t in tasks:
            yield stages.run_event_task(t, timings)

    def close(self) -> None:
        pass


class Pool:
    """Parse, extract and embed on ``processes`` forked workers, each holding its own models.

    Events are compared in this process: a worker would need every event's
    articles shipped to it and back and its own import of the comparator,
    which measured slower on 2 cores (1,000 articles: 15.7 s on the pool
    against 8.9 s here). On Dask, with many cores, events go to the workers.
    """

    remote = False

    def __init__(self, processes: int, embedder) -> None:
        inner = onnx_inner(embedder)
        graph = str(inner.model_file) if inner is not None else None
        # fork: workers start in well under a second and share this process's
        # imported modules; no model is loaded here before the fork.
        self.pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("fork"),
            initializer=stages.load_worker_models,
            initargs=(graph, True),
        )
        self.has_onnx = graph is not None

    def extract(self, batches, min_words):
        # Longest batches first, so both workers run out of work together;
        # the batches themselves (and so every parse) stay as they are.
        order = sorted(range(len(batches)), key=lambda b: -sum(len(a.text) for a in batches[b]))
        futures = {
            self.pool.submit(stages.extract_task, [a.model_dump_json() for a in batches[b]], min_words): b
            for b in order
        }
        threading.Thread(target=_warm_parent, daemon=True).start()
        for fut in as_completed(futures):
            yield futures[fut], fut.result()

    def _run_feeds(self, feeds):
        chunks = stages.batches(feeds, FEEDS_PER_TASK)
        # The plan sorts by length: the last chunks are the longest, so they go first.
        futures = {k: self.pool.submit(stages.pool_feeds, chunks[k]) for k in reversed(range(len(chunks)))}
        for k in range(len(chunks)):
            yield from futures[k].result()

    def embed(self, embedder, texts):
        return embed_with(embedder, texts, self._run_feeds if self.has_onnx else None)

    def compare(self, tasks, timings):
        return InProcess().compare(tasks, timings)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _warm_parent() -> None:
    """Import what this process needs after extraction (event grouping, the
    tokenizer) while the workers parse, instead of after them."""
    import scipy.cluster.hierarchy  # noqa: F401
    import sklearn.neighbors  # noqa: F401
    import tokenizers  # noqa: F401

    from .. import compare  # noqa: F401


def open_runner(n_todo: int, n_process: int, embedder):
    """In this process for small inputs (or ``n_process=1``), else a worker pool."""
    from ..extract import parse_processes

    procs = n_process or parse_processes(n_todo)
    return Pool(procs, embedder) if procs > 1 else InProcess()
