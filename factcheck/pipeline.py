"""The whole run, stage after stage: load -> clean -> extract -> embed -> cluster -> compare -> report.

Commands in ``cli.py`` only forward here, so everything is importable and
testable without a shell.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from .clean import clean_with_cut
from .compare import Event, compare_event
from .compare.statements import quote_segments
from .config import DEFAULT, Config
from .digest import single_outlet
from .errors import InputError, OutputError
from .extract import extract_articles
from .io import write_text_atomic
from .load import load_paths
from .models import (
    Article,
    ArticleClaims,
    ArticleSummary,
    Comparison,
    RawDocument,
    Report,
    Span,
)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t0


@dataclass
class Prepared:
    raws: list[RawDocument]
    articles: list[Article]
    warnings: list[str]


def _display_path(p: str) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:
        return p
    return p if rel.startswith("..") else rel


def prepare(paths: Sequence[Path | str], timings: Timings | None = None) -> Prepared:
    """Load and clean; drop exact duplicates with a warning; reject empty articles."""
    timings = timings or Timings()
    with timings.stage("load"):
        raws = load_paths(paths)
    warnings: list[str] = []
    with timings.stage("clean"):
        articles: list[Article] = []
        kept_raws: list[RawDocument] = []
        seen: dict[str, str] = {}
        for raw in raws:
            art, cut = clean_with_cut(raw)
            art = art.model_copy(update={"path": _display_path(art.path)})
            if cut is not None:  # nothing dropped in silence: the report and stderr say how much
                warnings.append(cut.warning(art.path))
            if not art.text.strip():
                raise InputError(art.path, "no article text left after removing page furniture",
                                 "check that the file holds the article itself, not only a page shell")
            digest = hashlib.sha1(" ".join(art.text.split()).encode()).hexdigest()
            if digest in seen:
                warnings.append(f"{art.path} has the same text as {seen[digest]}: counted once")
                continue
            seen[digest] = art.path
            articles.append(art)
            kept_raws.append(raw)
    return Prepared(raws=kept_raws, articles=articles, warnings=warnings)


def _metadata_title(article: Article) -> Span | None:
    """The headline's span when it came from metadata and is not in the file's text."""
    h = article.headline
    if h is None or article.orig_offset(h.start) is not None:
        return None
    return h


def line_lookup(raws: Sequence[RawDocument], articles: Sequence[Article]) -> Callable[[str, int], int | None]:
    """article id, cleaned offset -> 1-based line in the original file, or None.

    Text and Markdown files: the line itself. HTML: the page-source line the
    extracted text was found on (``htmlmap``), the ``<title>`` line for a
    headline taken from it; None where it cannot be mapped. JSONL: the
    record's line (the report adds the field). A single JSON file: None.
    """
    starts: dict[str, list[int]] = {}
    maps: dict[str, RawDocument] = {}
    by_id = {a.id: a for a in articles}
    for raw in raws:
        if raw.text_is_file or raw.line_map:
            starts[raw.id] = [0] + [m.end() for m in re.finditer("\n", raw.text)]
        if raw.line_map or raw.title_line or raw.record is not None:
            maps[raw.id] = raw

    def line_of(article_id: str, offset: int) -> int | None:
        raw = maps.get(article_id)
        if raw is not None and raw.record is not None:
            return raw.record
        orig = by_id[article_id].orig_offset(offset) if article_id in by_id else None
        if orig is None:
            headline = by_id[article_id].headline if article_id in by_id else None
            if raw is not None and headline is not None and headline.start <= offset < headline.end:
                return raw.title_line
            return None
        if article_id not in starts:
            return None
        line = bisect.bisect_right(starts[article_id], orig)
        if raw is not None and raw.line_map:
            mapped = raw.line_map[line - 1] if line - 1 < len(raw.line_map) else 0
            return mapped or None
        return line

    return line_of


def extract(paths: Sequence[Path | str], config: Config = DEFAULT, timings: Timings | None = None,
            on_progress: Callable[[int], None] | None = None, cache: bool = False,
            n_process: int = 0) -> tuple[Prepared, list[ArticleClaims]]:
    timings = timings or Timings()
    prep = prepare(paths, timings)
    cache_dir = None
    if cache:
        from .cache import usable_dir
        from .embed import default_cache_dir

        cache_dir = usable_dir(default_cache_dir() / "extract", "extraction", root=default_cache_dir())
    with timings.stage("extract"):
        results = extract_articles(prep.articles, min_words=config.min_claim_words, on_progress=on_progress,
                                   cache_dir=cache_dir, n_process=n_process)
    return prep, results


def make_embedder(backend: str = "onnx", model_path: str | None = None, cache: bool = True):
    """The run's embedder: ONNX int8 by default, behind the content-hash cache."""
    from .embed import default_cache_dir, get_embedder

    return get_embedder(backend=backend, model_path=model_path, cache_dir=default_cache_dir() if cache else None)


def _embed(embedder, results: Sequence[ArticleClaims], config: Config = DEFAULT) -> tuple[dict[str, np.ndarray], dict[tuple, np.ndarray]]:
    """Vectors of every claim, every quote and every sentence of a multi-sentence quote.

    Quote vectors are keyed ``(article id, start)``; quote sentences
    ``(article id, start, end)`` (statement families compare sentences). A
    one-sentence quote's sentence shares the quote's vector, and a text met
    twice is embedded once.
    """
    keys: list[tuple] = []
    index: dict[str, int] = {}
    texts: list[str] = []

    def add(key: tuple, text: str) -> None:
        if text not in index:
            index[text] = len(texts)
            texts.append(text)
        keys.append((key, index[text]))

    for ac in results:
        for c in ac.claims:
            add(("claim", c.id), c.text)
    aliases: list[tuple[tuple, tuple]] = []
    for ac in results:
        for q in ac.quotes:
            qkey = (ac.article.id, q.span.start)
            add(("quote", qkey), q.text)
            segs = quote_segments(ac.article.id, q, config.quote_min_words)
            if len(segs) == 1:
                aliases.append(((ac.article.id, segs[0].start, segs[0].end), qkey))
                continue
            for sg in segs:
                add(("quote", (ac.article.id, sg.start, sg.end)), sg.text)
    vecs = embedder.embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    claim_vecs = {k[1]: vecs[i] for k, i in keys if k[0] == "claim"}
    quote_vecs: dict[tuple, np.ndarray] = {k[1]: vecs[i] for k, i in keys if k[0] == "quote"}
    for seg_key, qkey in aliases:
        quote_vecs[seg_key] = quote_vecs[qkey]
    return claim_vecs, quote_vecs


def _events(results: Sequence[ArticleClaims], claim_vecs, config: Config) -> list[list[int]]:
    """Group articles into events so clustering and comparison stay near-linear."""
    if len(results) <= config.single_event_max_articles:
        return [list(range(len(results)))]
    from .cluster import group_events

    dim = next(iter(claim_vecs.values())).shape[0] if claim_vecs else 1
    mat = np.zeros((len(results), dim), dtype=np.float32)
    for i, ac in enumerate(results):
        vs = [claim_vecs[c.id] for c in ac.claims]
        if vs:
            v = np.mean(vs, axis=0)
            n = np.linalg.norm(v)
            mat[i] = v / n if n else v
    return group_events(mat, config.event_threshold)


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's own source: any code change invalidates cached results."""
    h = hashlib.sha1()
    root = Path(__file__).resolve().parent
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.toml")]):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


class _EventCache:
    """Findings of one event, memoised by everything they depend on.

    The key covers the code, the thresholds, the embedding model and, per
    article, its id, path, raw-file hash and cleaned text (so evidence paths
    and line numbers are right too). An unchanged event costs no clustering or
    comparison on a re-run; adding an article recomputes only its event.
    """

    def __init__(self, config: Config, embedder) -> None:
        from .cache import usable_dir
        from .embed import default_cache_dir

        self.dir = usable_dir(default_cache_dir() / "events", "event", root=default_cache_dir())
        self.base = f"{code_version()}\x1f{config.model_dump_json()}\x1f{getattr(embedder, 'model_id', '?')}"

    def _path(self, group: Sequence[ArticleClaims]) -> Path:
        h = hashlib.sha1(self.base.encode())
        for ac in sorted(group, key=lambda x: x.article.id):
            art = ac.article
            # The outlet names articles in the findings' summaries: a manifest
            # that names an outlet changes the event's result.
            h.update(f"\x1e{art.id}\x1f{art.path}\x1f{art.raw_sha1}\x1f{art.published}\x1f{art.outlet}\x1f".encode())
            h.update(hashlib.sha1(art.text.encode()).digest())
        return Path(self.dir or ".") / f"{h.hexdigest()}.json"  # get/put return early without a folder

    def get(self, group) -> Comparison | None:
        if self.dir is None:
            return None
        path = self._path(group)
        if not os.path.lexists(path):
            return None
        try:
            return Comparison.model_validate_json(path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # Written atomically by us, so unreadable means damaged: set aside, recompute.
            from .cache import set_aside

            set_aside(path, "event cache entry", exc.__class__.__name__)
            return None

    def put(self, group, comparison: Comparison) -> None:
        if self.dir is None:
            return
        try:
            write_text_atomic(self._path(group), comparison.model_dump_json())
        except OutputError as exc:
            from .cache import warn

            warn(f"event cache {self.dir}: an entry {exc.problem}; running without it")
            self.dir = None


def check(
    paths: Sequence[Path | str],
    name: str = "report",
    config: Config = DEFAULT,
    embedder=None,
    timings: Timings | None = None,
    on_progress: Progress | None = None,
    cache: bool = False,
    n_process: int = 0,
) -> tuple[Report, list[ArticleClaims]]:
    """Run the checker over articles; returns the report and the extracted claims."""
    from .cluster import cluster_claims

    timings = timings or Timings()
    tick = (lambda stage: (lambda n: on_progress(stage, n, 0))) if on_progress else (lambda stage: None)
    prep, results = extract(paths, config, timings, on_progress=tick("extract"), cache=cache, n_process=n_process)
    if len(results) < 2:
        only = results[0].article.path if results else ", ".join(map(str, paths))
        raise InputError(only, "only one distinct article: there is nothing to compare it with",
                         "pass a folder with two or more reports of the same event")
    if embedder is None:
        embedder = make_embedder()
    with timings.stage("embed"):
        claim_vecs, quote_vecs = _embed(embedder, results, config)
    line_of = line_lookup(prep.raws, prep.articles)
    findings, agreements, singles, facts = [], [], [], []
    copies_of: dict[str, tuple[str, ...]] = {}
    event_cache = _EventCache(config, embedder) if cache else None
    for members in _events(results, claim_vecs, config):
        group = [results[i] for i in members]
        comparison = event_cache.get(group) if event_cache is not None else None
        if comparison is None:
            claims = [c for ac in group for c in ac.claims]
            with timings.stage("cluster"):
                vecs = np.stack([claim_vecs[c.id] for c in claims]) if claims else np.zeros((0, 1), np.float32)
                clusters = cluster_claims(claims, vecs, config.cluster_threshold)
            with timings.stage("compare"):
                ev = Event(
                    articles={ac.article.id: ac for ac in group},
                    claim_vecs=claim_vecs,
                    quote_vecs=quote_vecs,
                    config=config,
                    line_of=line_of,
                )
                comparison = compare_event(ev, clusters)
            if event_cache is not None:
                event_cache.put(group, comparison)
        facts += comparison.facts
        findings += comparison.findings
        agreements += comparison.agreements
        singles += comparison.single_source
        copies_of.update(comparison.copies)
    with timings.stage("report"):
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
        singles = single_outlet(singles, results, claim_vecs, config)
        report = Report(
            name=name,
            articles=summaries,
            facts=tuple(facts),
            findings=tuple(findings),
            agreements=tuple(sorted(agreements, key=lambda a: (a.article_ids[0], a.cluster_id))),
            single_source=tuple(sorted(singles, key=lambda s: (s.article_id, s.evidence.start))),
            warnings=tuple(prep.warnings),
            config=config.as_dict(),
        )
    return report, results
