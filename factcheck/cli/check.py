"""``factcheck check`` and ``factcheck extract``: articles in, report and claims out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import FactcheckError
from .common import Backend, Choice, Progress, fail, show_warnings


def _embedder(backend: str, model: str | None, cache: bool):
    from ..pipeline import make_embedder

    return make_embedder(backend=backend, model_path=model, cache=cache)


class Engine(Choice):
    local = "local"
    dask = "dask"

    @classmethod
    def problem(cls) -> str:
        return "unknown engine"


Paths = Annotated[list[Path], typer.Argument(help="Article files or folders (.txt .md .markdown .html .json .jsonl).")]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress and no summary; warnings and errors still go to stderr.")
]


def check(
    paths: Paths,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Report path without suffix: writes OUT.md and OUT.json.")
    ] = Path("reports/report"),
    claims_dir: Annotated[Path, typer.Option(help="Where claims/<article-id>.json are written.")] = Path("claims"),
    backend: Annotated[Backend, typer.Option(help="Embedding backend: onnx (int8, fast) or torch.")] = Backend.onnx,
    model: Annotated[str | None, typer.Option(help="Path of another local sentence-transformers model.")] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the embedding and extraction caches.")
    ] = False,
    n_process: Annotated[
        int,
        typer.Option(
            "--n-process", help="Worker processes (0: automatic; local: 2 for 40+ articles, dask: one per core)."
        ),
    ] = 0,
    engine: Annotated[
        Engine, typer.Option(help="Where the stages run: local (this machine) or dask (a Dask cluster).")
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="With --engine dask: join the cluster at tcp://HOST:PORT "
            "(default: start a local cluster sized to the machine)."
        ),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Compare reports of one event: write a consistency report (Markdown + JSON) and the claims."""
    from ..extract import write_claims
    from ..pipeline import check as run_check
    from ..review import load_store, publish

    show_warnings()
    try:
        if scheduler and engine is not Engine.dask:
            raise FactcheckError(
                f"--scheduler {scheduler}",
                "a scheduler address needs the Dask engine",
                "add --engine dask, or drop --scheduler",
            )
        with Progress(quiet) as progress:
            report, results = run_check(
                paths,
                name=out.name,
                embedder=_embedder(backend.value, model, not no_cache),
                on_progress=progress,
                cache=not no_cache,
                n_process=n_process,
                engine=engine.value,
                scheduler=scheduler,
            )
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
        typer.echo(
            f"{len(report.articles)} articles, {sum(a.claims for a in report.articles)} claims, "
            f"{n} finding{'s' * (n != 1)} -> {md} and {js}"
        )
        for line in changes:
            typer.echo(line)
    for w in report.warnings:
        typer.echo(f"warning: {w}", err=True)


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
    claims_dir: Annotated[Path, typer.Option(help="Output folder for <article-id>.json.")] = Path("claims"),
    quiet: Quiet = False,
) -> None:
    """Extract claims, quotes, dates, numbers and entities to claims/<article-id>.json (no comparison)."""
    from ..extract import write_claims
    from ..pipeline import extract as run_extract

    show_warnings()
    try:
        with Progress(quiet) as progress:
            prep, results = run_extract(paths, on_progress=lambda n: progress("extract", n))
        written = write_claims(results, claims_dir)
    except FactcheckError as exc:
        fail(exc)
    for w in prep.warnings:
        typer.echo(f"warning: {w}", err=True)
    if not quiet:
        for ac, p in zip(results, written):
            typer.echo(f"{ac.article.id}: {len(ac.claims)} claims, {len(ac.quotes)} quotes -> {p}")
