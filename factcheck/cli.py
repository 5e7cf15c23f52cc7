"""Command line: thin typer commands over the importable core.

Heavy libraries (torch, spaCy, sentence-transformers) are imported inside the
commands, never at module import, so ``factcheck --help`` is instant.
Exit codes: 0 ok, 1 a gate blocked publication, 2 bad input or a model that
could not load (the error names the file and the fix; no traceback).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .cliutil import fail, show_warnings
from .errors import FactcheckError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

app = typer.Typer(
    help="factcheck: cross-source fact-consistency checker for news desks. "
    "Where do reports of one event agree, where do they differ, may the draft go out?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)




class _Progress:
    """A rich progress bar on stderr; silent with --quiet or when not a terminal."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)

    def __enter__(self):
        if self.bar:
            self.bar.__enter__()
            self.task = self.bar.add_task("extracting claims", total=None)
        return self

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)

    def __call__(self, stage: str, n: int, total: int) -> None:
        if self.bar:
            self.bar.update(self.task, advance=n, description=stage)

    def log(self, msg: str) -> None:
        if not self.quiet:
            typer.echo(msg, err=True)


def _embedder(backend: str, model: Optional[str], cache: bool):
    from .pipeline import make_embedder

    return make_embedder(backend=backend, model_path=model, cache=cache)


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="Article files or folders (.txt .md .html .json .jsonl)."),
    out: Path = typer.Option(Path("reports/report"), "--out", "-o",
                             help="Report path without suffix: writes OUT.md and OUT.json."),
    claims_dir: Path = typer.Option(Path("claims"), help="Where claims/<article-id>.json are written."),
    backend: str = typer.Option("onnx", help="Embedding backend: onnx (int8, fast) or torch."),
    model: Optional[str] = typer.Option(None, help="Path of another local sentence-transformers model."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the embedding and extraction caches."),
    n_process: int = typer.Option(0, "--n-process",
                                  help="Worker processes (0: automatic; local: 2 for 40+ articles, dask: one per core)."),
    engine: str = typer.Option("local", help="Where the stages run: local (this machine) or dask (a Dask cluster)."),
    scheduler: Optional[str] = typer.Option(None, help="With --engine dask: join the cluster at tcp://HOST:PORT "
                                                       "(default: start a local cluster sized to the machine)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Compare reports of one event: write a consistency report (Markdown + JSON) and the claims."""
    from .extract import write_claims
    from .pipeline import check as run_check
    from .review import load_store, publish

    show_warnings(quiet)
    try:
        if scheduler and engine != "dask":
            raise FactcheckError(f"--scheduler {scheduler}", "a scheduler address needs the Dask engine",
                                 "add --engine dask, or drop --scheduler")
        with _Progress(quiet) as progress:
            report, results = run_check(paths, name=out.name, embedder=_embedder(backend, model, not no_cache),
                                        on_progress=progress, cache=not no_cache, n_process=n_process,
                                        engine=engine, scheduler=scheduler)
        # An unreadable reviews file stops the run before anything is written;
        # then claims, so a claims folder that cannot be written fails the run
        # before the reviews file is touched. The report is rendered from the
        # reviews file under its lock, so it shows what the reviews file says.
        load_store(out)
        write_claims(results, claims_dir)
        report, changes, md, js = publish(report, out)
    except FactcheckError as exc:
        fail(exc)
    if not quiet:
        n = len(report.findings)
        typer.echo(f"{len(report.articles)} articles, {sum(a.claims for a in report.articles)} claims, "
                   f"{n} finding{'s' * (n != 1)} -> {md} and {js}")
        for line in changes:
            typer.echo(line)
        for w in report.warnings:
            typer.echo(f"warning: {w}", err=True)


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Article files or folders."),
    claims_dir: Path = typer.Option(Path("claims"), help="Output folder for <article-id>.json."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Extract claims, quotes, dates, numbers and entities to claims/<article-id>.json (no comparison)."""
    from .extract import write_claims
    from .pipeline import extract as run_extract

    show_warnings(quiet)
    try:
        prep, results = run_extract(paths)
        written = write_claims(results, claims_dir)
    except FactcheckError as exc:
        fail(exc)
    if not quiet:
        for w in prep.warnings:
            typer.echo(f"warning: {w}", err=True)
        for ac, p in zip(results, written):
            typer.echo(f"{ac.article.id}: {len(ac.claims)} claims, {len(ac.quotes)} quotes -> {p}")


PARTS = ("clean", "quotes", "dates", "entities", "clustering", "contradiction", "findings", "events")


def _default_data_dir() -> Path:
    return Path(os.environ.get("FACTCHECK_DATA", "../shared/data"))


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
        out[prefix] = value


@app.command("eval")
def eval_cmd(
    data: Path = typer.Option(None, help="Public annotated data (default ../shared/data or $FACTCHECK_DATA)."),
    parts: str = typer.Option(",".join(PARTS), help=f"Comma-separated parts: {', '.join(PARTS)}."),
    out: Path = typer.Option(Path("reports/eval.json"), help="Where the scores are written as JSON."),
    quick: bool = typer.Option(False, help="Score a subset of each data set (for a fast look, not for reporting)."),
) -> None:
    """Score extraction, clustering and contradiction detection on public annotated news."""
    import importlib

    from .io import write_json_atomic

    data = data or _default_data_dir()
    if not data.is_dir():
        fail(FactcheckError(str(data), "the public evaluation data folder does not exist",
                             "pass --data PATH or set FACTCHECK_DATA (see ../shared/data/README.md)"))
    chosen = [p.strip() for p in parts.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        fail(FactcheckError(f"--parts {','.join(unknown)}", "unknown part", f"choose from {', '.join(PARTS)}"))
    results: dict = {}
    for part in chosen:
        mod = importlib.import_module(f".evaluation.{part}", __package__)
        kwargs = {}
        if quick:
            import inspect

            params = inspect.signature(mod.run).parameters
            if "limit" in params:
                kwargs["limit"] = {"contradiction": 600}.get(part, 10)
        typer.echo(f"scoring {part} ...", err=True)
        results[part] = mod.run(data, **kwargs)
    try:
        write_json_atomic(out, results)
    except FactcheckError as exc:
        fail(exc)
    flat: dict = {}
    _flatten("", results, flat)
    width = max((len(k) for k in flat), default=10)
    for k, v in flat.items():
        typer.echo(f"{k:<{width}}  {v:.4f}" if isinstance(v, float) else f"{k:<{width}}  {v}")
    typer.echo(f"-> {out}")


# Sub-commands living in their own modules; each imports heavy libraries lazily.
from .bench import bench_command  # noqa: E402
from .gate_cli import GateCommand, gate_command  # noqa: E402
from .review_cli import review_app  # noqa: E402

app.add_typer(review_app, name="review")
app.command("gate", cls=GateCommand)(gate_command)  # usage errors answer in JSON too
app.command("bench")(bench_command)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
