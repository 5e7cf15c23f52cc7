"""The stage functions both engines run: per batch of articles, per model batch, per event.

Everything here is a plain function of picklable records, so the local
engine can call it in this process or in a worker pool and the Dask engine on
a cluster worker, and all three give the same output:

* ``extract_batch``: parse and extract a batch of articles (spaCy loaded once
  per process, see ``load_worker_models``);
* ``pool_feeds``: run model batches planned by ``OnnxEmbedder.plan`` on this
  process's ONNX session;
* ``event_groups``: the one global step, articles -> events;
* ``compare_group``: cluster and compare one event -> ``EventResult``;
* ``merge``: event results -> the ``Report`` (the only place that knows what
  an event result holds).
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np
from pydantic import Field

from ..config import Config
from ..models import (
    Agreement,
    Article,
    ArticleClaims,
    ArticleSummary,
    Finding,
    RawDocument,
    Record,
    Report,
    SingleSource,
)

if TYPE_CHECKING:
    from ..pipeline import Timings

# Articles per extraction task: spaCy's own batch size (``nlp.pipe`` in
# batches of 32), so a task parses exactly the batches a single process would.
EXTRACT_BATCH = 32


# ------------------------------------------------------------------ lines


class LineOf:
    """Article id and cleaned offset -> 1-based line in the original file.

    Data, not a closure, so it travels with an event's task: per article, the
    offsets where lines of its original file start, and the article's segment
    map (cleaned -> original offsets). Articles whose text is not the file's
    bytes (HTML, JSON) have no line numbers.
    """

    __slots__ = ("starts", "articles")

    def __init__(self, starts: Mapping[str, Sequence[int]], articles: Mapping[str, Article]):
        self.starts = dict(starts)
        self.articles = dict(articles)

    def __call__(self, article_id: str, offset: int) -> int | None:
        starts = self.starts.get(article_id)
        if starts is None:
            return None
        orig = self.articles[article_id].orig_offset(offset)
        if orig is None:
            return None
        return bisect.bisect_right(starts, orig)

    def __getstate__(self):
        return self.starts, self.articles

    def __setstate__(self, state) -> None:
        self.starts, self.articles = state

    def subset(self, group: Sequence[ArticleClaims]) -> "LineOf":
        """Only what one event's articles need."""
        ids = [ac.article.id for ac in group]
        return LineOf({i: self.starts[i] for i in ids if i in self.starts},
                      {ac.article.id: ac.article for ac in group})


def line_starts(raws: Sequence[RawDocument]) -> dict[str, tuple[int, ...]]:
    """Per plain-text file, the offsets where its lines start."""
    return {raw.id: (0, *(i + 1 for i, ch in enumerate(raw.text) if ch == "\n"))
            for raw in raws if raw.text_is_file}


# ------------------------------------------------------------ worker models


class _WorkerModels:
    """The models one worker process holds: loaded once, used by every task."""

    session = None  # onnxruntime session for pool_feeds


_MODELS = _WorkerModels()


def load_worker_models(onnx_graph: bytes | str | Path | None = None, parse: bool = True) -> None:
    """Load spaCy (``parse``) and, given its graph, the ONNX session (one thread:
    a worker is one core) into this process. Called once per worker by the
    pool initializer or the Dask worker plugin."""
    if parse:
        import sys

        from ..extract import _known_verbs
        from ..nlp import get_nlp

        # thinc imports torch when it is installed, only to offer it as a
        # backend; the small English model runs on numpy. A worker that only
        # parses and runs ONNX skips it: spaCy loads in 3.9 s instead of 7.0 s
        # and the worker holds 150 MB instead of 330 MB (same parses: the
        # pool and in-process runs are compared in tests/test_engine_dask.py).
        if "torch" not in sys.modules and "thinc" not in sys.modules:
            sys.modules["torch"] = None  # type: ignore[assignment]

        get_nlp()
        _known_verbs()  # read once, not on the first task
    if onnx_graph is not None:
        from ..embed import onnx_session

        _MODELS.session = onnx_session(onnx_graph, threads=1)


def extract_batch(articles: Sequence[Article], min_words: int) -> list[ArticleClaims]:
    """Parse ``articles`` (one ``nlp.pipe`` batch) and extract their claims."""
    from ..extract import extract_doc
    from ..nlp import get_nlp

    nlp = get_nlp()
    docs = nlp.pipe([a.text for a in articles], batch_size=EXTRACT_BATCH)
    return [extract_doc(a, doc, min_words=min_words) for a, doc in zip(articles, docs)]


# Records cross process boundaries as JSON: pydantic validates JSON in Rust
# about 4x faster than it unpickles (40 real articles: 0.10 s against 0.42 s),
# and the round trip is the one the extraction cache already makes.


def extract_task(articles: Sequence[str], min_words: int) -> list[str]:
    """``extract_batch`` on JSON articles, JSON results: what a worker runs."""
    arts = [Article.model_validate_json(a) for a in articles]
    return [ac.model_dump_json() for ac in extract_batch(arts, min_words)]


def pool_feeds(feeds: Sequence[dict[str, np.ndarray]]) -> list[np.ndarray]:
    """Mean-pooled rows of planned model batches, on this worker's ONNX session."""
    from ..embed import pool_batch

    if _MODELS.session is None:
        raise RuntimeError("no ONNX session in this worker: load_worker_models was not called with the graph")
    return [pool_batch(_MODELS.session, f) for f in feeds]


def batches(items: Sequence, size: int) -> list[list]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


# --------------------------------------------------------------- embedding


def embedding_texts(results: Sequence[ArticleClaims]) -> tuple[list[str], list[tuple[str, int]], list[str]]:
    """Claim ids, quote keys (article id, start) and the texts to embed: every
    claim, then every quote, in article order."""
    claim_ids = [c.id for ac in results for c in ac.claims]
    quote_keys = [(ac.article.id, q.span.start) for ac in results for q in ac.quotes]
    texts = [c.text for ac in results for c in ac.claims] + [q.text for ac in results for q in ac.quotes]
    return claim_ids, quote_keys, texts


def split_vectors(vecs: np.ndarray, claim_ids: Sequence[str], quote_keys: Sequence[tuple[str, int]]):
    claim_vecs = {cid: vecs[i] for i, cid in enumerate(claim_ids)}
    quote_vecs = {k: vecs[len(claim_ids) + i] for i, k in enumerate(quote_keys)}
    return claim_vecs, quote_vecs


# ------------------------------------------------------------------ events


def article_vectors(results: Sequence[ArticleClaims], claim_vecs: Mapping[str, np.ndarray]) -> np.ndarray:
    """One unit row per article: the normalised mean of its claim vectors (zeros if it has none)."""
    dim = next(iter(claim_vecs.values())).shape[0] if claim_vecs else 1
    mat = np.zeros((len(results), dim), dtype=np.float32)
    for i, ac in enumerate(results):
        vs = [claim_vecs[c.id] for c in ac.claims]
        if vs:
            v = np.mean(vs, axis=0)
            n = np.linalg.norm(v)
            mat[i] = v / n if n else v
    return mat


def event_groups(results: Sequence[ArticleClaims], claim_vecs: Mapping[str, np.ndarray], config: Config) -> list[list[int]]:
    """Group articles into events so clustering and comparison stay near-linear.

    The one global step of a run: it reads one vector per article, nothing else.
    """
    if len(results) <= config.single_event_max_articles:
        return [list(range(len(results)))]
    from ..cluster import group_events

    return group_events(article_vectors(results, claim_vecs), config.event_threshold)


@dataclass(frozen=True)
class EventTask:
    """What comparing one event needs, and nothing more (it is shipped to a
    worker): the event's articles (as JSON), their claim and quote vectors,
    the thresholds and the line tables of their files."""

    group: tuple[str, ...]
    claim_vecs: dict[str, np.ndarray]
    quote_vecs: dict[tuple[str, int], np.ndarray]
    config: Config
    starts: dict[str, tuple[int, ...]]


def event_task(group: Sequence[ArticleClaims], claim_vecs, quote_vecs, config: Config,
               starts: Mapping[str, tuple[int, ...]], wire: Mapping[str, str] | None = None) -> EventTask:
    """The task for ``group``; ``wire`` holds JSON already made for some articles."""
    ids = {ac.article.id for ac in group}
    wire = wire or {}
    return EventTask(
        group=tuple(wire.get(ac.article.id) or ac.model_dump_json() for ac in group),
        claim_vecs={c.id: claim_vecs[c.id] for ac in group for c in ac.claims},
        quote_vecs={(ac.article.id, q.span.start): quote_vecs[(ac.article.id, q.span.start)]
                    for ac in group for q in ac.quotes},
        config=config,
        starts={i: starts[i] for i in ids if i in starts},
    )


class EventResult(Record):
    """What comparing one event gives: the part of the report it owns."""

    findings: tuple[Finding, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    single_source: tuple[SingleSource, ...] = ()
    # article id -> ids of the articles in this event it shares wire text with
    copies: dict[str, tuple[str, ...]] = Field(default_factory=dict)


def compare_group(group: Sequence[ArticleClaims], claim_vecs: Mapping[str, np.ndarray],
                  quote_vecs: Mapping[tuple[str, int], np.ndarray], config: Config,
                  lines: LineOf, timings: "Timings | None" = None) -> EventResult:
    """Cluster the claims of one event and run every comparator over it.

    ``claim_vecs`` / ``quote_vecs`` need to hold (at least) this event's claims
    and quotes; ``lines`` gives evidence its file lines. The only call into
    the comparator, so a change to what it returns is made here and in ``merge``.
    """
    from contextlib import nullcontext

    from ..cluster import cluster_claims
    from ..compare import Event, compare_event

    stage = timings.stage if timings is not None else (lambda name: nullcontext())
    claims = [c for ac in group for c in ac.claims]
    with stage("cluster"):
        vecs = np.stack([claim_vecs[c.id] for c in claims]) if claims else np.zeros((0, 1), np.float32)
        clusters = cluster_claims(claims, vecs, config.cluster_threshold)
    with stage("compare"):
        ev = Event(articles={ac.article.id: ac for ac in group}, claim_vecs=dict(claim_vecs),
                   quote_vecs=dict(quote_vecs), config=config, line_of=lines)
        findings, agreements, singles = compare_event(ev, clusters)
    return EventResult(findings=tuple(findings), agreements=tuple(agreements), single_source=tuple(singles),
                       copies={k: tuple(sorted(v)) for k, v in ev.copies.items()})


def run_event_task(task: EventTask, timings: "Timings | None" = None) -> EventResult:
    """``compare_group`` on a shipped task."""
    group = [ArticleClaims.model_validate_json(g) for g in task.group]
    lines = LineOf(task.starts, {ac.article.id: ac.article for ac in group})
    return compare_group(group, task.claim_vecs, task.quote_vecs, task.config, lines, timings)


def event_task_json(task: EventTask) -> str:
    """``run_event_task`` with a JSON result: what a worker runs."""
    return run_event_task(task).model_dump_json()


def merge(name: str, results: Sequence[ArticleClaims], events: Sequence[EventResult], warnings: Sequence[str],
          config: Config) -> Report:
    """The report from every event's result, events in order."""
    findings: list[Finding] = []
    agreements: list[Agreement] = []
    singles: list[SingleSource] = []
    copies_of: dict[str, tuple[str, ...]] = {}
    for ev in events:
        findings += ev.findings
        agreements += ev.agreements
        singles += ev.single_source
        copies_of.update(ev.copies)
    summaries = tuple(
        ArticleSummary(
            id=ac.article.id,
            path=ac.article.path,
            outlet=ac.article.outlet,
            title=ac.article.title,
            published=ac.article.published,
            claims=len(ac.claims),
            quotes=len(ac.quotes),
            copies_of=tuple(sorted(copies_of.get(ac.article.id, ()))),
        )
        for ac in results
    )
    return Report(
        name=name,
        articles=summaries,
        findings=tuple(findings),
        agreements=tuple(sorted(agreements, key=lambda a: (a.article_ids[0], a.cluster_id))),
        single_source=tuple(sorted(singles, key=lambda s: (s.article_id, s.evidence.start))),
        warnings=tuple(warnings),
        config=config.as_dict(),
    )


# ------------------------------------------------------------- event cache


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's own source (sub-packages included): any code change
    invalidates cached results."""
    h = hashlib.sha1()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


class EventCache:
    """Results of one event, memoised by everything they depend on.

    The key covers the code, the thresholds, the embedding model and, per
    article, its id, path, raw-file hash and cleaned text (so evidence paths
    and line numbers are right too). An unchanged event costs no clustering or
    comparison on a re-run; adding an article recomputes only its event.
    Read and written by the process that drives the run, never by workers.
    """

    def __init__(self, config: Config, model_id: str, folder: Path | None = None) -> None:
        from ..embed import default_cache_dir

        self.dir = folder or default_cache_dir() / "events"
        self.base = f"{code_version()}\x1f{config.model_dump_json()}\x1f{model_id}"

    def _path(self, group: Sequence[ArticleClaims]) -> Path:
        h = hashlib.sha1(self.base.encode())
        for ac in sorted(group, key=lambda x: x.article.id):
            art = ac.article
            h.update(f"\x1e{art.id}\x1f{art.path}\x1f{art.raw_sha1}\x1f{art.published}\x1f".encode())
            h.update(hashlib.sha1(art.text.encode()).digest())
        return self.dir / f"{h.hexdigest()}.json"

    def get(self, group: Sequence[ArticleClaims]) -> EventResult | None:
        path = self._path(group)
        if not path.exists():
            return None
        try:
            return EventResult.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a corrupt entry is recomputed

    def put(self, group: Sequence[ArticleClaims], result: EventResult) -> None:
        from ..io import write_text_atomic

        write_text_atomic(self._path(group), result.model_dump_json())


__all__ = [
    "EXTRACT_BATCH", "EventCache", "EventResult", "EventTask", "LineOf", "article_vectors", "compare_group",
    "embedding_texts", "event_groups", "event_task", "event_task_json", "extract_batch", "extract_task", "line_starts", "load_worker_models",
    "merge", "pool_feeds", "run_event_task", "split_vectors",
]
