"""``factcheck bench``: speed and scale of the whole pipeline on real news.

Corpora of N articles are cut from the public multi-outlet coverage in
``../shared/data/multisource_news/clusters.jsonl`` (full NewsWCL50 and BASIL
articles mixed with AllSides opening paragraphs, so lengths are those of a
real day of copy). Each size runs in a fresh Python process, so the peak
memory measured (``ru_maxrss``) belongs to that size alone, with a fresh
cache folder; then the same input runs again in a new process on the now
warm cache. The one-off ONNX export is made (or found) once, timed on its
own, and shared by every run, so it never counts as pipeline time.

The worker side is ``python -m factcheck.bench --one ...``; it prints
nothing and writes its measurements as JSON.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .errors import FactcheckError, InputError

if TYPE_CHECKING:
    import numpy as np

DEFAULT_SIZES = (10, 100, 1000, 10000)
CORPUS_FILE = "multisource_news/clusters.jsonl"
# Sources are interleaved event by event in this order so that every size
# mixes long full articles with short snippets (a real day of copy does).
SOURCE_ORDER = ("NewsWCL50", "BASIL", "AllSides")
REPO = Path(__file__).resolve().parents[1]
# Targets of issue 5, on the 2-core reference machine.
TARGETS = {
    "seconds_1000": 120.0,
    "pipeline_vs_bare": 0.75,
    "rerun_speedup": 10.0,
    "peak_rss_mb_1000": 2048.0,
    "rss_growth_exponent": 2.0,
    "help_seconds": 0.5,
    "cold_check_seeds_seconds": 10.0,
    # Issue 13.
    "pipeline_vs_floor_1000": 0.85,
    "seconds_10000": 1200.0,
    "peak_rss_mb_10000": 3072.0,
    "seconds_growth_exponent_1000_10000": 1.0,
    "grouping_100000_seconds": 60.0,
    "dask_vs_local_1000": 0.9,
}


from .evaluation import default_data_dir  # noqa: E402  (one default for every data reader)

# --- corpus -------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    """``"10,100,1000"`` -> ``[10, 100, 1000]``; InputError unless all are positive integers."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        sizes = []
    if not sizes or any(n < 2 for n in sizes):
        raise InputError(
            f"--sizes {text}",
            "not a comma-separated list of article counts of at least 2",
            "write e.g. --sizes 10,100,1000",
        )
    return sorted(set(sizes))


def _source_key(source: str) -> str:
    for name in SOURCE_ORDER:
        if source.startswith(name):
            return name
    return source


def _events(data_dir: Path) -> list[dict[str, Any]]:
    path = Path(data_dir) / CORPUS_FILE
    if not path.is_file():
        raise InputError(
            str(path),
            "the benchmark corpus (public multi-outlet news) is missing",
            "pass --data PATH to the folder holding multisource_news/ (see ../shared/data/README.md)",
        )
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _interleaved(events: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Events round-robin over the sources, each source in file order."""
    queues: dict[str, list[dict[str, Any]]] = {}
    for ev in events:
        queues.setdefault(_source_key(ev.get("source", "")), []).append(ev)
    order = [s for s in SOURCE_ORDER if s in queues] + sorted(s for s in queues if s not in SOURCE_ORDER)
    for rank in range(max((len(q) for q in queues.values()), default=0)):
        for source in order:
            if rank < len(queues[source]):
                yield queues[source][rank]


def _halves(text: str) -> tuple[str, str]:
    """``text`` cut at the paragraph (else sentence) break nearest its middle."""
    mid = len(text) // 2
    for sep in ("\n", ". "):
        cuts = [i + len(sep) for i in range(len(text)) if text.startswith(sep, i)]
        cuts = [c for c in cuts if 0 < c < len(text)]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - mid))
            return text[:cut], text[cut:]
    return text[:mid], text[mid:]


# Repeat k of event e takes its second halves from event e + k * REPEAT_STRIDE.
REPEAT_STRIDE = 37


def _repeats(events: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Past the real articles: repeat k of each event, recombined so it is a new event.

    Article j of repeat k keeps the first half of article j of its event and
    takes the second half of article j of another event (``REPEAT_STRIDE``
    events on), so a repeat is made of real sentences, has the lengths of
    real copy, and its articles form an event of the same size as the
    original (the halves agree across its outlets), instead of a duplicate
    that would pile every repeat into one ever larger event.
    """
    for k in range(1, 10**6):
        for e, ev in enumerate(events):
            other = events[(e + k * REPEAT_STRIDE) % len(events)]
            arts = [a for a in ev.get("articles", []) if (a.get("text") or "").strip()]
            partners = [a for a in other.get("articles", []) if (a.get("text") or "").strip()]
            if not arts or not partners or other is ev:
                continue
            yield {
                "cluster_id": f"{ev['cluster_id']}-r{k}",
                "articles": [
                    {
                        **a,
                        "title": f"{a.get('title') or ''} (repeat {k})".strip(),
                        "text": _halves(a["text"])[0] + _halves(partners[j % len(partners)]["text"])[1],
                    }
                    for j, a in enumerate(arts)
                ],
            }


def corpus_records(data_dir: Path, n: int, repeat: bool = False) -> list[dict[str, Any]]:
    """The first ``n`` articles of the benchmark stream, as article records
    ``{"id", "title", "outlet", "published", "text"}``. Deterministic: the
    same data and ``n`` always give the same records, and a larger ``n``
    extends a smaller one. With ``repeat``, sizes past the real articles
    (1,829) continue with recombined repeats (see ``_repeats``)."""
    records: list[dict[str, Any]] = []
    stream = list(_interleaved(_events(data_dir)))
    source = itertools.chain(stream, _repeats(stream)) if repeat else stream
    for ev in source:
        for k, art in enumerate(ev.get("articles", [])):
            text = art.get("text") or ""
            if not text.strip():
                continue
            records.append(
                {
                    "id": f"{ev['cluster_id']}-{k}",
                    "title": art.get("title"),
                    "outlet": art.get("outlet"),
                    "published": art.get("date"),
                    "text": text,
                }
            )
            if len(records) == n:
                return records
    raise InputError(
        f"--sizes {n}",
        f"the benchmark corpus has only {len(records)} articles",
        f"use sizes up to {len(records)}, or repeats (factcheck bench makes them past that)",
    )


def real_article_count(data_dir: Path) -> int:
    return sum(1 for ev in _events(data_dir) for a in ev.get("articles", []) if (a.get("text") or "").strip())


def synthetic_article_vectors(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    """``n`` unit vectors in events of 1-5 articles, shaped like news article vectors.

    Every event centre shares one common direction (unrelated news articles
    sit at cosine ~0.25, as mean-of-sentence vectors of news do) and members
    scatter around their centre at cosine ~0.85 to each other: well above
    the 0.75 event threshold within an event, far below it across events.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    common = rng.normal(size=dim)
    common /= np.linalg.norm(common)
    rows, total = [], 0
    while total < n:
        size = int(rng.integers(1, 6))
        centre = rng.normal(size=dim)
        centre = 0.65 * common + centre / np.linalg.norm(centre)
        centre /= np.linalg.norm(centre)
        rows.append(centre + 0.42 * rng.normal(size=(size, dim)) / np.sqrt(dim))
        total += size
    v = np.concatenate(rows)[:n].astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def write_corpus(records: Sequence[dict[str, Any]], path: Path) -> Path:
    """One JSON record per line, in order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


# --- worker (runs in its own process) -----------------------------------------


def _rss_mb(who: int) -> float:
    import resource

    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # KiB on Linux


def run_one(
    corpus: Path, backend: str, n_process: int, work: Path, bare: bool, engine: str = "local", floor: bool = False
) -> dict[str, Any]:
    """Check ``corpus`` (a folder) like ``factcheck check`` would, writing the
    report and claims under ``work``; measure time per stage, peak memory and,
    with ``bare``, the bare embedding throughput on the same claim texts;
    with ``floor``, the models' own floor on the same texts (``measure_floor``)."""
    import resource

    from .extract import write_claims
    from .nlp import get_nlp
    from .pipeline import Timings, check, make_embedder
    from .report import write_report

    timings = Timings()
    started = time.perf_counter()
    embedder = make_embedder(backend, cache=True)
    report, results = check(
        [corpus], name="bench", embedder=embedder, cache=True, timings=timings, n_process=n_process, engine=engine
    )
    with timings.stage("write"):
        write_claims(results, work / "claims")
        write_report(report, work / "bench")
    seconds = time.perf_counter() - started
    claims = [c.text for ac in results for c in ac.claims]
    out: dict[str, Any] = {
        "articles": len(results),
        "sentences": len(claims),
        "quotes": sum(len(ac.quotes) for ac in results),
        "findings": len(report.findings),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(results) / seconds, 1),
        "pipeline_sentences_per_s": round(len(claims) / seconds, 1),
        "characters": sum(len(ac.article.text) for ac in results),
        "peak_rss_mb": _rss_mb(resource.RUSAGE_SELF),
        # The largest of the worker processes (local pool), each a copy of the models.
        "peak_rss_children_mb": _rss_mb(resource.RUSAGE_CHILDREN),
        "stages": {k: round(v, 2) for k, v in timings.stages.items()},
        "embed_cache_hits": getattr(embedder, "hits", None),
        "embed_cache_misses": getattr(embedder, "misses", None),
        "spacy_loaded": get_nlp.cache_info().currsize > 0,
    }
    if bare and claims:
        # The pipeline's own uncached model, already loaded: the model's floor.
        inner = getattr(embedder, "inner", embedder)
        inner.embed(claims[:16])
        t0 = time.perf_counter()
        inner.embed(claims)
        bare_s = time.perf_counter() - t0
        out["bare_embed_seconds"] = round(bare_s, 2)
        out["bare_embed_sentences_per_s"] = round(len(claims) / bare_s, 1)
        out["pipeline_vs_bare"] = round(out["pipeline_sentences_per_s"] / out["bare_embed_sentences_per_s"], 3)
    if floor:
        out["floor"] = measure_floor(results, embedder, n_process)
        out["pipeline_vs_floor"] = round(out["floor"]["seconds"] / seconds, 3)
    return out


def measure_floor(results, embedder, n_process: int) -> dict[str, Any]:
    """The models alone on the pipeline's own texts: what no pipeline can beat.

    Parse: the cleaned article texts through the same spaCy model with the
    same process count as the pipeline used (``nlp.pipe``, batches of 32, its
    documents consumed). Embed: every distinct text the pipeline embedded
    (claims, then quotes) through the same ONNX int8 model in one session
    with a thread per core, uncached. Both with the models already loaded.
    """
    from .engine.stages import embedding_texts
    from .extract import parse_processes
    from .nlp import get_nlp

    texts = [ac.article.text for ac in results]
    procs = n_process or parse_processes(len(texts))
    nlp = get_nlp()
    list(nlp.pipe(texts[:2]))  # warm, outside the timing
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32, n_process=procs):
        pass
    parse_s = time.perf_counter() - t0
    from .config import DEFAULT

    unique = list(embedding_texts(results, DEFAULT).texts)  # already one per distinct text
    inner = getattr(embedder, "inner", embedder)
    inner.embed(unique[:16])
    t0 = time.perf_counter()
    inner.embed(unique)
    embed_s = time.perf_counter() - t0
    return {
        "parse_seconds": round(parse_s, 2),
        "parse_processes": procs,
        "embed_seconds": round(embed_s, 2),
        "embedded_texts": len(unique),
        "seconds": round(parse_s + embed_s, 2),
        "articles_per_s": round(len(texts) / (parse_s + embed_s), 2),
    }


def measure_grouping(n: int, threshold: float | None = None) -> dict[str, Any]:
    """Event grouping alone (``cluster.group_events``) on ``n`` synthetic article vectors."""
    import resource

    from .cluster import EXACT_MAX, group_events
    from .config import DEFAULT

    threshold = DEFAULT.event_threshold if threshold is None else threshold
    vectors = synthetic_article_vectors(n)
    t0 = time.perf_counter()
    groups = group_events(vectors, threshold)
    seconds = time.perf_counter() - t0
    sizes = [len(g) for g in groups]
    return {
        "vectors": n,
        "seconds": round(seconds, 2),
        "events": len(groups),
        "largest_event": max(sizes),
        "search": "exact" if n <= EXACT_MAX else "faiss IVF (approximate)",
        "peak_rss_mb": _rss_mb(resource.RUSAGE_SELF),
    }


def _worker_main(argv: Sequence[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m factcheck.bench")
    ap.add_argument("--one", type=Path, help="corpus folder to check")
    ap.add_argument("--export", action="store_true", help="make (or find) the ONNX export; print its folder")
    ap.add_argument("--backend", default="onnx")
    ap.add_argument("--n-process", type=int, default=0)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--result", type=Path, required=True)
    ap.add_argument("--no-bare", action="store_true")
    ap.add_argument("--floor", action="store_true", help="also measure the models' floor")
    ap.add_argument("--engine", default="local")
    ap.add_argument("--grouping", type=int, default=0, help="only time event grouping on N synthetic vectors")
    args = ap.parse_args(argv)
    try:
        if args.grouping:
            result = measure_grouping(args.grouping)
        elif args.export:
            from .embed import OnnxEmbedder

            emb = OnnxEmbedder()
            existed = (emb.export_dir / "manifest.json").is_file()
            t0 = time.perf_counter()
            folder = emb.ensure_export()
            result = {
                "folder": str(folder),
                "reused": existed,
                "seconds": round(time.perf_counter() - t0, 2),
                "manifest": json.loads((folder / "manifest.json").read_text(encoding="utf-8")),
            }
        else:
            result = run_one(
                args.one,
                args.backend,
                args.n_process,
                args.work,
                bare=not args.no_bare,
                engine=args.engine,
                floor=args.floor,
            )
    except FactcheckError as exc:
        result = {"error": str(exc)}
    args.result.write_text(json.dumps(result), encoding="utf-8")
    return 0 if "error" not in result else 2


# --- driver -------------------------------------------------------------------


def _env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "FACTCHECK_CACHE_DIR": str(cache_dir),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
        }
    )
    return env


def _spawn(args: list[str], cache_dir: Path, result: Path) -> tuple[dict[str, Any], float]:
    """Run a worker in a fresh interpreter; its JSON result and wall seconds."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "factcheck.bench", *args, "--result", str(result)],
        env=_env(cache_dir),
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    if not result.is_file():
        raise FactcheckError(
            "factcheck.bench worker",
            f"crashed (exit {proc.returncode}): {proc.stderr.strip()[-800:]}",
            "run the worker command by hand to see the traceback",
        )
    data = json.loads(result.read_text(encoding="utf-8"))
    if "error" in data:
        raise FactcheckError("factcheck.bench worker", data["error"], "see the message above")
    return data, wall


def _fresh_cache(tmp: Path, name: str, export_root: Path | None) -> Path:
    """An empty cache folder that shares the one ONNX export (no re-export)."""
    cache = tmp / name
    cache.mkdir(parents=True)
    if export_root is not None:
        (cache / "onnx").symlink_to(export_root, target_is_directory=True)
    return cache


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "factcheck"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "factcheck.cli"]


def _time_cmd(cmd: list[str], cache_dir: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=_env(cache_dir), cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):  # 1: a gate finding, still a complete run
        raise FactcheckError(" ".join(cmd), f"exit {proc.returncode}: {proc.stderr.strip()[-500:]}", "run it by hand")
    return round(wall, 2)


def measure_cli(tmp: Path, export_root: Path | None, backend: str, seeds: Path) -> dict[str, Any]:
    """``factcheck --help`` (best of 3) and a cold, then warm, ``factcheck check seeds/``."""
    out: dict[str, Any] = {"help_seconds": min(_time_cmd([*_cli(), "--help"], tmp) for _ in range(3))}
    if seeds.is_dir():
        cache = _fresh_cache(tmp, "cache-seeds", export_root)
        cmd = [
            *_cli(),
            "check",
            str(seeds),
            "--backend",
            backend,
            "--quiet",
            "--out",
            str(tmp / "seeds-report" / "seeds"),
            "--claims-dir",
            str(tmp / "seeds-claims"),
        ]
        out["cold_check_seeds_seconds"] = _time_cmd(cmd, cache)
        out["warm_check_seeds_seconds"] = _time_cmd(cmd, cache)
    return out


def run_bench(
    sizes: Sequence[int],
    backend: str = "onnx",
    data_dir: Path | None = None,
    n_process: int = 0,
    export_cache: Path | None = None,
    cli_timings: bool = True,
    add_one_at: int = 100,
    on_step=None,
    dask_sizes: Sequence[int] = (),
    grouping: int = 0,
    detail_max: int = 1000,
) -> dict[str, Any]:
    """Benchmark each size in a fresh process; returns the JSON-ready results.

    ``export_cache``: the cache folder whose ``onnx/`` export is made once and
    shared by every run (default: the user's ``factcheck`` cache, where
    ``factcheck check`` keeps it anyway). Sizes up to ``detail_max`` also get
    the models' floor and a re-run; ``dask_sizes`` run again with
    ``--engine dask``; ``grouping`` times event grouping alone on that many
    synthetic article vectors.
    """
    from .cache import default_cache_dir

    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    if not (data_dir / CORPUS_FILE).is_file():
        raise InputError(
            str(data_dir / CORPUS_FILE),
            "the benchmark corpus (public multi-outlet news) is missing",
            "pass --data PATH to the folder holding multisource_news/ (see ../shared/data/README.md)",
        )
    step = on_step or (lambda msg: None)
    wanted = max([*sizes, *dask_sizes])
    records = corpus_records(data_dir, wanted, repeat=True)
    real = real_article_count(data_dir)
    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    result: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": sys.platform,
            "backend": backend,
            "n_process": n_process,
            # Other work on the machine slows every figure: recorded so a
            # reader can tell a loaded run from a quiet one.
            "load_avg_1min_start": round(os.getloadavg()[0], 2),
        },
        "corpus": str(data_dir / CORPUS_FILE),
        "corpus_note": (
            f"{real} real articles; sizes past that continue with recombined repeats (article j of "
            f"repeat k = first half of its own text + second half of article j of the event "
            f"{REPEAT_STRIDE}*k further on), so they are new events of real sentences"
        )
        if wanted > real
        else f"{real} real articles, no repeats needed",
        "sizes": {},
    }
    try:
        export_root = None
        if backend == "onnx":
            step("ONNX export (once, not timed in the runs)")
            base = Path(export_cache) if export_cache is not None else default_cache_dir()
            exp, _ = _spawn(["--export"], base, tmp / "export.json")
            export_root = Path(exp["folder"]).parent
            result["onnx_export"] = {
                "reused": exp["reused"],
                "seconds": exp["seconds"],
                "export_seconds": exp["manifest"].get("seconds"),
            }
        for n in sizes:
            folder = tmp / f"corpus-{n}"
            write_corpus(records[:n], folder / "articles.jsonl")
            cache = _fresh_cache(tmp, f"cache-{n}", export_root)
            common = ["--one", str(folder), "--backend", backend, "--n-process", str(n_process)]
            detail = n <= detail_max
            step(f"{n} articles: first run" + (" and the models' floor" if detail else ""))
            load = round(os.getloadavg()[0], 2)
            first, wall = _spawn(
                [*common, "--work", str(tmp / f"work-{n}"), *(["--floor"] if detail else ["--no-bare"])],
                cache,
                tmp / f"r{n}.json",
            )
            first["load_avg_1min_start"] = load
            first["load_avg_1min_end"] = round(os.getloadavg()[0], 2)
            first["process_seconds"] = round(wall, 2)
            if not detail:
                result["sizes"][str(n)] = first
                continue
            step(f"{n} articles: re-run on unchanged input")
            again, wall2 = _spawn([*common, "--work", str(tmp / f"work-{n}b"), "--no-bare"], cache, tmp / f"r{n}b.json")
            first["rerun_seconds"] = again["seconds"]
            first["rerun_process_seconds"] = round(wall2, 2)
            first["rerun_speedup"] = round(first["seconds"] / max(again["seconds"], 1e-3), 1)
            first["rerun_stages"] = again["stages"]
            first["rerun_embed_misses"] = again["embed_cache_misses"]
            first["rerun_spacy_loaded"] = again["spacy_loaded"]
            first["rerun_findings_identical"] = again["findings"] == first["findings"]
            if n == add_one_at:
                step(f"{n} articles: one more article added")
                write_corpus(corpus_records(data_dir, n + 1)[n:], folder / "added.jsonl")
                added, _ = _spawn([*common, "--work", str(tmp / f"work-{n}c"), "--no-bare"], cache, tmp / f"r{n}c.json")
                first["add_one_seconds"] = added["seconds"]
                first["add_one_embed_misses"] = added["embed_cache_misses"]
                first["add_one_stages"] = added["stages"]
            result["sizes"][str(n)] = first
        for n in dask_sizes:
            folder = tmp / f"corpus-{n}"
            if not folder.is_dir():
                write_corpus(records[:n], folder / "articles.jsonl")
            cache = _fresh_cache(tmp, f"cache-dask-{n}", export_root)
            step(f"{n} articles: --engine dask (a local cluster, one worker per core)")
            load = round(os.getloadavg()[0], 2)
            run, wall = _spawn(
                [
                    "--one",
                    str(folder),
                    "--backend",
                    backend,
                    "--n-process",
                    str(n_process),
                    "--engine",
                    "dask",
                    "--no-bare",
                    "--work",
                    str(tmp / f"work-dask-{n}"),
                ],
                cache,
                tmp / f"d{n}.json",
            )
            run.update(
                load_avg_1min_start=load, load_avg_1min_end=round(os.getloadavg()[0], 2), process_seconds=round(wall, 2)
            )
            local = result["sizes"].get(str(n))
            if local:
                run["vs_local"] = round(local["seconds"] / run["seconds"], 3)
                run["findings_identical"] = run["findings"] == local["findings"]
            result.setdefault("dask", {})[str(n)] = run
        if grouping:
            step(f"event grouping alone on {grouping:,} synthetic article vectors")
            load = round(os.getloadavg()[0], 2)
            result["grouping"], _ = _spawn(["--grouping", str(grouping)], tmp, tmp / "grouping.json")
            result["grouping"]["load_avg_1min_start"] = load
        if cli_timings:
            step("CLI: --help and a cold check of seeds/")
            result["cli"] = measure_cli(tmp, export_root, backend, REPO / "seeds")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result["machine"]["load_avg_1min_end"] = round(os.getloadavg()[0], 2)
    result["targets"] = evaluate_targets(result)
    return result


def _growth_exponent(sizes: dict[str, dict[str, Any]], key: str, lo: int = 100, hi: int = 1000) -> float | None:
    a, b = sizes.get(str(lo)), sizes.get(str(hi))
    if not a or not b or not a.get(key) or not b.get(key):
        return None
    return round(math.log(b[key] / a[key]) / math.log(hi / lo), 2)


def total_rss_mb(row: dict[str, Any]) -> float:
    """Main process plus every local worker at the largest worker's peak (an upper
    bound: forked workers share the pages they did not write)."""
    from .extract import parse_processes

    workers = parse_processes(row.get("articles", 0)) if row.get("peak_rss_children_mb") else 0
    return round(row.get("peak_rss_mb", 0) + workers * row.get("peak_rss_children_mb", 0), 1)


def evaluate_targets(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target (issues 5 and 13) that the results let us judge: value, target, met."""
    sizes = result.get("sizes", {})
    big = sizes.get("1000", {})
    checks: list[tuple[str, Any, float, bool]] = []  # name, value, target, higher is better

    def add(name: str, value: Any, higher: bool) -> None:
        if value is not None:
            checks.append((name, value, TARGETS[name], higher))

    add("seconds_1000", big.get("seconds"), False)
    add("peak_rss_mb_1000", big.get("peak_rss_mb"), False)
    ratios = [s["pipeline_vs_bare"] for s in sizes.values() if "pipeline_vs_bare" in s]
    add("pipeline_vs_bare", (big or {}).get("pipeline_vs_bare", min(ratios) if ratios else None), True)
    speedups = [s["rerun_speedup"] for s in sizes.values() if "rerun_speedup" in s]
    add("rerun_speedup", min(speedups) if speedups else None, True)
    add("rss_growth_exponent", _growth_exponent(sizes, "peak_rss_mb"), False)
    cli = result.get("cli", {})
    add("help_seconds", cli.get("help_seconds"), False)
    add("cold_check_seeds_seconds", cli.get("cold_check_seeds_seconds"), False)
    add("pipeline_vs_floor_1000", big.get("pipeline_vs_floor"), True)
    huge = sizes.get("10000", {})
    add("seconds_10000", huge.get("seconds"), False)
    add("peak_rss_mb_10000", total_rss_mb(huge) if huge else None, False)
    add("seconds_growth_exponent_1000_10000", _growth_exponent(sizes, "seconds", 1000, 10000), False)
    if result.get("grouping", {}).get("vectors") == 100_000:
        add("grouping_100000_seconds", result["grouping"]["seconds"], False)
    add("dask_vs_local_1000", result.get("dask", {}).get("1000", {}).get("vs_local"), True)
    return {name: {"value": v, "target": t, "met": (v >= t) if hi else (v < t)} for name, v, t, hi in checks}


# --- output -------------------------------------------------------------------


def print_tables(result: dict[str, Any]) -> None:
    """The per-size table, the stage table and the targets, with rich."""
    from rich.console import Console
    from rich.table import Table

    # Wide enough for every column when piped to a file or a CI log.
    console = Console(width=None if sys.stdout.isatty() else 160)
    sizes = result["sizes"]
    main = Table(title=f"factcheck bench ({result['machine']['backend']}, {result['machine']['cores']} cores)")
    cols = [
        ("articles", "articles"),
        ("sentences", "sentences"),
        ("seconds", "s"),
        ("articles_per_s", "art/s"),
        ("pipeline_sentences_per_s", "sent/s"),
        ("bare_embed_sentences_per_s", "bare sent/s"),
        ("pipeline_vs_bare", "pipe/bare"),
        ("peak_rss_mb", "peak MB"),
        ("rerun_seconds", "rerun s"),
        ("rerun_speedup", "rerun x"),
    ]
    for _, head in cols:
        main.add_column(head, justify="right")
    for row in sizes.values():
        main.add_row(*(str(row.get(k, "-")) for k, _ in cols))
    console.print(main)
    order = ("load", "clean", "extract", "embed", "events", "cluster", "compare", "report", "write")
    stages = sorted(
        {s for row in sizes.values() for s in row["stages"]}, key=lambda s: order.index(s) if s in order else len(order)
    )
    st = Table(title="seconds per stage")
    st.add_column("articles", justify="right")
    for s in stages:
        st.add_column(s, justify="right")
    for row in sizes.values():
        st.add_row(str(row["articles"]), *(f"{row['stages'].get(s, 0):.2f}" for s in stages))
    console.print(st)
    for row in sizes.values():
        if "add_one_seconds" in row:
            console.print(
                f"add one article to {row['articles']}: {row['add_one_seconds']} s "
                f"({row['add_one_embed_misses']} new sentences embedded)"
            )
    if "onnx_export" in result:
        e = result["onnx_export"]
        console.print(f"ONNX export: {'reused' if e['reused'] else 'made now'}, {e['export_seconds']} s when made")
    for k, v in result.get("cli", {}).items():
        console.print(f"{k}: {v}")
    for row in sizes.values():
        if "floor" in row:
            f = row["floor"]
            console.print(
                f"{row['articles']} articles: floor {f['seconds']} s (parse {f['parse_seconds']} s in "
                f"{f['parse_processes']} processes + embed {f['embed_seconds']} s of {f['embedded_texts']} "
                f"texts); pipeline_vs_floor {row['pipeline_vs_floor']}"
            )
    for n, row in result.get("dask", {}).items():
        console.print(
            f"--engine dask, {n} articles: {row['seconds']} s ({row['articles_per_s']} art/s), "
            f"{row.get('vs_local', '-')}x the local engine, same findings count: {row.get('findings_identical', '-')}"
        )
    if "grouping" in result:
        g = result["grouping"]
        console.print(
            f"event grouping alone, {g['vectors']:,} synthetic vectors: {g['seconds']} s, {g['events']:,} events "
            f"({g['search']}), peak {g['peak_rss_mb']} MB"
        )
    if "corpus_note" in result:
        console.print(f"corpus: {result['corpus_note']}")
    tg = Table(title="targets")
    for head in ("target", "value", "limit", "met"):
        tg.add_column(head)
    for name, t in result["targets"].items():
        tg.add_row(name, str(t["value"]), str(t["target"]), "yes" if t["met"] else "[red]no[/red]")
    console.print(tg)


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
