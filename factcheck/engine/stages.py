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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from ..config import Config
from ..models import (
    Agreement,
    Article,
    ArticleClaims,
    ArticleSummary,
    Comparison,
    Fact,
    Finding,
    RawDocument,
    Report,
    SingleSource,
    Span,
)

if TYPE_CHECKING:
    from ..compare.event import QuoteKey
    from ..pipeline import Timings

# Articles per extraction task: spaCy's own batch size (``nlp.pipe`` in
# batches of 32), so a task parses exactly the batches a single process would.
EXTRACT_BATCH = 32


# ------------------------------------------------------------------ lines


class LineOf:
    """Article id and cleaned offset -> 1-based line in the original file, or None.

    Data, not a closure, so it travels with an event's task. Text and
    Markdown files: the line itself. HTML: the page-source line the extracted
    text was found on (``RawDocument.line_map``), the ``<title>`` line for a
    headline taken from it. JSONL: the record's line (the report adds the
    field). A single JSON file: None.
    """

    __slots__ = ("starts", "articles", "maps")

    def __init__(
        self,
        starts: Mapping[str, Sequence[int]],
        articles: Mapping[str, Article],
        maps: Mapping[str, tuple[tuple[int, ...], int | None, int | None]] | None = None,
    ):
        self.starts = dict(starts)
        self.articles = dict(articles)
        self.maps = dict(maps or {})  # id -> (line_map, title_line, record)

    @classmethod
    def from_raws(cls, raws: Sequence[RawDocument], articles: Sequence[Article]) -> "LineOf":
        maps = {
            raw.id: (tuple(raw.line_map), raw.title_line, raw.record)
            for raw in raws
            if raw.line_map or raw.title_line or raw.record is not None
        }
        return cls(line_starts(raws), {a.id: a for a in articles}, maps)

    def __call__(self, article_id: str, offset: int) -> int | None:
        line_map, title_line, record = self.maps.get(article_id, ((), None, None))
        if record is not None:
            return record
        art = self.articles.get(article_id)
        orig = art.orig_offset(offset) if art is not None else None
        if orig is None:
            headline = art.headline if art is not None else None
            if title_line is not None and headline is not None and headline.start <= offset < headline.end:
                return title_line
            return None
        starts = self.starts.get(article_id)
        if starts is None:
            return None
        line = bisect.bisect_right(starts, orig)
        if line_map:
            mapped = line_map[line - 1] if line - 1 < len(line_map) else 0
            return mapped or None
        return line

    def __getstate__(self):
        return self.starts, self.articles, self.maps

    def __setstate__(self, state) -> None:
        self.starts, self.articles, self.maps = state

    def subset(self, group: Sequence[ArticleClaims]) -> "LineOf":
        """Only what one event's articles need."""
        ids = [ac.article.id for ac in group]
        return LineOf(
            {i: self.starts[i] for i in ids if i in self.starts},
            {ac.article.id: ac.article for ac in group},
            {i: self.maps[i] for i in ids if i in self.maps},
        )


def line_starts(raws: Sequence[RawDocument]) -> dict[str, tuple[int, ...]]:
    """Per file whose lines can be cited, the offsets where its lines start."""
    return {
        raw.id: (0, *(i + 1 for i, ch in enumerate(raw.text) if ch == "\n"))
        for raw in raws
        if raw.text_is_file or raw.line_map
    }


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

        from ..extract.roles import known_verbs
        from ..nlp import get_nlp

        # thinc imports torch when it is installed, only to offer it as a
        # backend; the small English model runs on numpy. A worker that only
        # parses and runs ONNX skips it: spaCy loads in 3.9 s instead of 7.0 s
        # and the worker holds 150 MB instead of 330 MB (same parses: the
        # pool and in-process runs are compared in tests/test_engine_dask.py).
        if "torch" not in sys.modules and "thinc" not in sys.modules:
            sys.modules["torch"] = None  # type: ignore[assignment]  # None in sys.modules makes "import torch" fail

        get_nlp()
        known_verbs()  # read once, not on the first task
    if onnx_graph is not None:
        from ..embed import onnx_session

        _MODELS.session = onnx_session(onnx_graph, threads=1)


def extract_batch(articles: Sequence[Article], min_words: int) -> list[ArticleClaims]:
    """Parse ``articles`` (one ``nlp.pipe`` batch) and extract their claims."""
    from ..extract import extract_doc
    from ..extract.parse import parse_all
    from ..nlp import get_nlp

    nlp = get_nlp()
    # articles over spaCy's limit are parsed in pieces, offsets kept
    docs = dict(parse_all(nlp, articles, range(len(articles)), 1))
    return [extract_doc(a, docs[i], min_words=min_words) for i, a in enumerate(articles)]


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


@dataclass(frozen=True)
class EmbedPlan:
    """What to embed and where each vector goes.

    Every claim, every quote and every sentence of a multi-sentence quote
    (statement families compare sentences); a text met twice is embedded
    once, and a one-sentence quote's sentence shares the quote's vector.
    Claim vectors are keyed by claim id, quote vectors ``(article id, start)``,
    quote sentences ``(article id, start, end)``.
    """

    texts: tuple[str, ...]
    keys: tuple[tuple[str, object, int], ...]  # ("claim" | "quote", key, row in texts)
    aliases: tuple[tuple[tuple, tuple], ...]  # (sentence key, quote key)


def embedding_texts(results: Sequence[ArticleClaims], config: Config) -> EmbedPlan:
    """The plan of what ``results`` need embedded (see ``EmbedPlan``)."""
    from ..compare.statements import quote_segments

    keys: list[tuple[str, object, int]] = []
    index: dict[str, int] = {}
    texts: list[str] = []

    def add(kind: str, key: object, text: str) -> None:
        if text not in index:
            index[text] = len(texts)
            texts.append(text)
        keys.append((kind, key, index[text]))

    for ac in results:
        for c in ac.claims:
            add("claim", c.id, c.text)
    aliases: list[tuple[tuple, tuple]] = []
    for ac in results:
        for q in ac.quotes:
            qkey = (ac.article.id, q.span.start)
            add("quote", qkey, q.text)
            segs = quote_segments(ac.article.id, q, config.quote_min_words)
            if len(segs) == 1:
                aliases.append(((ac.article.id, segs[0].start, segs[0].end), qkey))
                continue
            for sg in segs:
                add("quote", (ac.article.id, sg.start, sg.end), sg.text)
    return EmbedPlan(tuple(texts), tuple(keys), tuple(aliases))


def split_vectors(vecs: np.ndarray, plan: EmbedPlan) -> tuple[dict[str, np.ndarray], dict[tuple, np.ndarray]]:
    """Claim and quote vectors from the rows ``plan.texts`` were embedded in."""
    claim_vecs = {key: vecs[i] for kind, key, i in plan.keys if kind == "claim"}
    quote_vecs = {key: vecs[i] for kind, key, i in plan.keys if kind == "quote"}
    for seg_key, qkey in plan.aliases:
        quote_vecs[seg_key] = quote_vecs[qkey]
    return claim_vecs, quote_vecs  # type: ignore[return-value]  # plan.keys types keys as object; a claim's is its id (str)


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


def event_groups(
    results: Sequence[ArticleClaims], claim_vecs: Mapping[str, np.ndarray], config: Config
) -> list[list[int]]:
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
    quote_vecs: dict[tuple, np.ndarray]
    config: Config
    lines: LineOf


def event_task(
    group: Sequence[ArticleClaims],
    claim_vecs,
    quote_vecs,
    config: Config,
    lines: LineOf,
    wire: Mapping[str, str] | None = None,
) -> EventTask:
    """The task for ``group``; ``wire`` holds JSON already made for some articles."""
    ids = {ac.article.id for ac in group}
    wire = wire or {}
    return EventTask(
        group=tuple(wire.get(ac.article.id) or ac.model_dump_json() for ac in group),
        claim_vecs={c.id: claim_vecs[c.id] for ac in group for c in ac.claims},
        quote_vecs={k: v for k, v in quote_vecs.items() if k[0] in ids},
        config=config,
        lines=lines.subset(group),
    )


# What comparing one event gives, the part of the report it owns: its facts,
# findings, agreements, single-outlet claims and wire copies.
EventResult = Comparison


def compare_group(
    group: Sequence[ArticleClaims],
    claim_vecs: Mapping[str, np.ndarray],
    quote_vecs: Mapping[QuoteKey, np.ndarray],
    config: Config,
    lines: LineOf,
    timings: "Timings | None" = None,
) -> EventResult:
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
        ev = Event(
            articles={ac.article.id: ac for ac in group},
            claim_vecs=dict(claim_vecs),
            quote_vecs=dict(quote_vecs),
            config=config,
            line_of=lines,
        )
        return compare_event(ev, clusters)


def run_event_task(task: EventTask, timings: "Timings | None" = None) -> EventResult:
    """``compare_group`` on a shipped task."""
    group = [ArticleClaims.model_validate_json(g) for g in task.group]
    return compare_group(group, task.claim_vecs, task.quote_vecs, task.config, task.lines, timings)


def event_task_json(task: EventTask) -> str:
    """``run_event_task`` with a JSON result: what a worker runs."""
    return run_event_task(task).model_dump_json()


def _metadata_title(article: Article) -> Span | None:
    """The headline's span when it came from metadata and is not in the file's text."""
    h = article.headline
    if h is None or article.orig_offset(h.start) is not None:
        return None
    return h


def merge(
    name: str,
    results: Sequence[ArticleClaims],
    events: Sequence[EventResult],
    warnings: Sequence[str],
    config: Config,
    claim_vecs: Mapping[str, np.ndarray],
    groups: Sequence[Sequence[ArticleClaims]] | None = None,
) -> Report:
    """The report from every event's result, events in order (the only place that knows what one holds).

    ``groups`` are the events' articles, in the order of ``events``: a
    single-outlet claim's echoes are looked for inside its own event.
    """
    from ..digest import single_outlet

    facts: list[Fact] = []
    findings: list[Finding] = []
    agreements: list[Agreement] = []
    singles: list[SingleSource] = []
    copies_of: dict[str, tuple[str, ...]] = {}
    for ev in events:
        facts += ev.facts
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
            published_at=ac.article.published_at,
            url=ac.article.url,
            origin=ac.article.origin,
            byline=ac.article.byline,
            format=ac.article.format,
            record=ac.article.record,
            title_span=_metadata_title(ac.article),
        )
        for ac in results
    )
    event_of = {ac.article.id: k for k, group in enumerate(groups) for ac in group} if groups is not None else None
    if event_of is not None:
        summaries = tuple(s.model_copy(update={"event": event_of.get(s.id)}) for s in summaries)
    singles = single_outlet(singles, results, claim_vecs, config, event_of)
    return Report(
        name=name,
        articles=summaries,
        facts=tuple(facts),
        findings=tuple(findings),
        agreements=tuple(sorted(agreements, key=lambda a: (a.article_ids[0], a.cluster_id))),
        single_source=tuple(sorted(singles, key=lambda s: (s.article_id, s.evidence.start))),
        warnings=tuple(warnings),
        config=config.as_dict(),
    )


__all__ = [
    "EXTRACT_BATCH",
    "EmbedPlan",
    "EventResult",
    "EventTask",
    "LineOf",
    "article_vectors",
    "compare_group",
    "embedding_texts",
    "event_groups",
    "event_task",
    "event_task_json",
    "extract_batch",
    "extract_task",
    "line_starts",
    "load_worker_models",
    "merge",
    "pool_feeds",
    "run_event_task",
    "split_vectors",
]
