"""The whole run, stage after stage: load -> clean -> extract -> embed -> cluster -> compare -> report.

Commands in ``factcheck.cli`` only forward here, so everything is importable and
testable without a shell.
"""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence, cast

import numpy as np

from .clean import clean_with_cut
from .config import DEFAULT, Config
from .errors import InputError, OutputError
from .extract import extract_articles
from .extract import parse as _parse_module
from .io import write_text_atomic
from .load import load_paths
from .models import Article, ArticleClaims, RawDocument, Report

Progress = Callable[[str, int, int], None]  # (stage, items just done, the stage's items; 0 done: it starts)


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
                raise InputError(
                    art.path,
                    "no article text left after removing page furniture",
                    "check that the file holds the article itself, not only a page shell",
                )
            digest = hashlib.sha1(" ".join(art.text.split()).encode()).hexdigest()
            if digest in seen:
                warnings.append(f"{art.path} has the same text as {seen[digest]}: counted once")
                continue
            seen[digest] = art.path
            articles.append(art)
            kept_raws.append(raw)
    return Prepared(raws=kept_raws, articles=articles, warnings=warnings)


def line_lookup(raws: Sequence[RawDocument], articles: Sequence[Article]) -> Callable[[str, int], int | None]:
    """article id, cleaned offset -> 1-based line in the original file, or None (see ``LineOf``)."""
    from .engine.stages import LineOf

    return LineOf.from_raws(raws, articles)


def extract(
    paths: Sequence[Path | str],
    config: Config = DEFAULT,
    timings: Timings | None = None,
    on_progress: Callable[[int], None] | None = None,
    cache: bool = False,
    n_process: int = 0,
) -> tuple[Prepared, list[ArticleClaims]]:
    timings = timings or Timings()
    prep = prepare(paths, timings)
    cache_dir = _extract_cache_dir() if cache else None
    with timings.stage("extract"):
        results = extract_articles(
            prep.articles,
            min_words=config.min_claim_words,
            on_progress=on_progress,
            cache_dir=cache_dir,
            n_process=n_process,
        )
    return prep, results


def _extract_cache_dir() -> Path | None:
    """The extraction cache folder, or None when it cannot be used (a warning says why)."""
    from .cache import default_cache_dir, usable_dir

    return usable_dir(default_cache_dir() / "extract", "extraction", root=default_cache_dir())


def make_embedder(backend: str = "onnx", model_path: str | None = None, cache: bool = True):
    """The run's embedder: ONNX int8 by default, behind the content-hash cache."""
    from .cache import default_cache_dir
    from .embed import get_embedder

    # backend is the user's --backend string: get_embedder rejects an unknown one with a ModelError
    return get_embedder(
        backend=backend,  # type: ignore[arg-type]
        model_path=model_path,
        cache_dir=default_cache_dir() if cache else None,
    )


def _embed(embedder, results: Sequence[ArticleClaims], config: Config = DEFAULT) -> tuple[dict, dict]:
    """Claim and quote vectors of ``results``, embedded in this process (see ``EmbedPlan``)."""
    from .engine.stages import embedding_texts, split_vectors

    plan = embedding_texts(results, config)
    vecs = embedder.embed(list(plan.texts)) if plan.texts else np.zeros((0, 1), dtype=np.float32)
    return split_vectors(vecs, plan)


ENGINES = ("local", "dask")


def _extract_with(
    runner,
    articles: Sequence[Article],
    min_words: int,
    cache_dir: Path | None,
    on_progress: Callable[[int], None] | None,
) -> tuple[list[ArticleClaims], dict[str, str]]:
    """Extraction cache first (read and written here, never by workers), then
    the runner parses the misses in batches. Also returns the JSON workers
    sent, by article id, to ship on without dumping it again."""
    from .cache import cache_key, cached_result
    from .engine.stages import EXTRACT_BATCH, batches

    _parse_module.check_lengths(articles)
    results: dict[int, ArticleClaims] = {}
    todo: list[int] = []
    keys: dict[int, Path] = {}
    for i, art in enumerate(articles):
        if cache_dir is not None:
            keys[i] = Path(cache_dir) / f"{cache_key(art, min_words)}.json"
            hit = cached_result(keys[i], art)
            if hit is not None:
                results[i] = hit
                if on_progress:
                    on_progress(1)
                continue
        todo.append(i)
    chunks = batches(todo, EXTRACT_BATCH)
    wire: dict[str, str] = {}
    for b, acs in runner.extract([[articles[i] for i in chunk] for chunk in chunks], min_words):
        for i, ac in zip(chunks[b], acs):
            text = ac if isinstance(ac, str) else None
            results[i] = ArticleClaims.model_validate_json(text) if text is not None else ac
            if text is not None:
                wire[articles[i].id] = text
            if i in keys and cache_dir is not None:
                try:
                    write_text_atomic(keys[i], text if text is not None else ac.model_dump_json())
                except OutputError as exc:
                    from .cache import warn

                    warn(f"extraction cache {cache_dir}: an entry {exc.problem}; running without it")
                    cache_dir = None
            if on_progress:
                on_progress(1)
    return [results[i] for i in range(len(articles))], wire


def _n_todo(articles: Sequence[Article], min_words: int, cache_dir: Path | None) -> int:
    """How many articles the extraction cache does not hold (decides local workers)."""
    if cache_dir is None:
        return len(articles)
    from .cache import cache_key

    return sum(not (Path(cache_dir) / f"{cache_key(a, min_words)}.json").exists() for a in articles)


def _stage(on_progress: Progress | None, stage: str, total: int) -> Callable[[int], None]:
    """Announce ``stage`` of ``total`` items to ``on_progress``; returns what counts items done."""
    if on_progress is None:

        def ignore(n: int = 1) -> None:
            return None

        return ignore
    report = on_progress
    report(stage, 0, total)

    def done(n: int = 1) -> None:
        report(stage, n, total)

    return done


def check(
    paths: Sequence[Path | str],
    name: str = "report",
    config: Config = DEFAULT,
    embedder=None,
    timings: Timings | None = None,
    on_progress: Progress | None = None,
    cache: bool = False,
    n_process: int = 0,
    engine: str = "local",
    scheduler: str | None = None,
) -> tuple[Report, list[ArticleClaims]]:
    """Run the checker over articles; returns the report and the extracted claims.

    ``engine="local"`` runs in this process or a local worker pool
    (``n_process``); ``engine="dask"`` on a Dask cluster (``scheduler``
    address, or a local cluster sized to the machine). Both run the same
    stage functions (``factcheck.engine.stages``) and give the same report.
    """
    from .cache import EventCache
    from .engine import stages

    if engine not in ENGINES:
        raise InputError(f"--engine {engine}", "unknown engine", "use --engine local or --engine dask")
    timings = timings or Timings()
    prep = prepare(paths, timings)
    if len(prep.articles) < 2:
        only = prep.articles[0].path if prep.articles else ", ".join(map(str, paths))
        raise InputError(
            only,
            "only one distinct article: there is nothing to compare it with",
            "pass a folder with two or more reports of the same event",
        )
    if embedder is None:
        embedder = make_embedder()
    cache_dir = _extract_cache_dir() if cache else None
    if engine == "dask":
        from .engine.dask import DaskRunner

        runner = DaskRunner(embedder, scheduler=scheduler, n_workers=n_process or None)
    else:
        from .engine.local import open_runner

        runner = open_runner(_n_todo(prep.articles, config.min_claim_words, cache_dir), n_process, embedder)
    try:
        with timings.stage("extract"):
            results, wire = _extract_with(
                runner,
                prep.articles,
                config.min_claim_words,
                cache_dir,
                _stage(on_progress, "extract", len(prep.articles)),
            )
        with timings.stage("embed"):
            plan = stages.embedding_texts(results, config)
            embedded = _stage(on_progress, "embed", len(plan.texts))
            vecs = runner.embed(embedder, list(plan.texts)) if plan.texts else np.zeros((0, 1), dtype=np.float32)
            claim_vecs, quote_vecs = stages.split_vectors(vecs, plan)
            embedded(len(plan.texts))
        with timings.stage("events"):
            grouped = _stage(on_progress, "events", len(results))
            groups = [[results[i] for i in members] for members in stages.event_groups(results, claim_vecs, config)]
            grouped(len(results))
        lines = stages.LineOf.from_raws(prep.raws, prep.articles)
        event_cache = EventCache(config, getattr(embedder, "model_id", "?")) if cache else None
        done: list[stages.EventResult | None] = [event_cache.get(g) if event_cache else None for g in groups]
        todo = [k for k, hit in enumerate(done) if hit is None]
        tasks = [stages.event_task(groups[k], claim_vecs, quote_vecs, config, lines, wire) for k in todo]
        compared = _stage(on_progress, "compare", len(groups))
        compared(len(groups) - len(todo))  # from the event cache
        # In this process the runner times clustering and comparison apart;
        # on workers only their wall time is seen here.
        with timings.stage("compare") if runner.remote else nullcontext():
            for k, res in zip(todo, runner.compare(tasks, timings)):
                done[k] = res
                if event_cache is not None:
                    event_cache.put(groups[k], res)
                compared(1)
    finally:
        runner.close()
    with timings.stage("report"):
        # runner.compare gives one result per task: every None in done is filled in above
        report = stages.merge(
            name, results, cast("list[stages.EventResult]", done), prep.warnings, config, claim_vecs, groups
        )
    return report, results
