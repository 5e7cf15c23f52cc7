"""Developer commands: ``factcheck eval`` (accuracy on public annotated news) and
``factcheck bench`` (speed and memory); the work is in ``factcheck.evaluation`` and
``factcheck.bench``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from ..bench import DEFAULT_SIZES
from ..errors import FactcheckError, InputError
from .common import fail

PARTS = ("clean", "quotes", "dates", "entities", "clustering", "contradiction", "findings", "events")


def _default_data_dir() -> Path:
    return Path(os.environ.get("FACTCHECK_DATA", "../shared/data"))


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
        out[prefix] = value


def eval_cmd(
    data: Path = typer.Option(None, help="Public annotated data (default ../shared/data or $FACTCHECK_DATA)."),
    parts: str = typer.Option(",".join(PARTS), help=f"Comma-separated parts: {', '.join(PARTS)}."),
    out: Path = typer.Option(Path("reports/eval.json"), help="Where the scores are written as JSON."),
    quick: bool = typer.Option(False, help="Score a subset of each data set (for a fast look, not for reporting)."),
) -> None:
    """Score extraction, clustering and contradiction detection on public annotated news."""
    import importlib

    from ..io import write_json_atomic

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
        mod = importlib.import_module(f"factcheck.evaluation.{part}")
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


def bench_command(
    sizes: str = typer.Option(",".join(map(str, DEFAULT_SIZES)), help="Corpus sizes in articles, comma-separated."),
    backend: str = typer.Option("onnx", help="Embedding backend: onnx (int8) or torch."),
    data: Optional[Path] = typer.Option(None, help="Public data folder (default ../shared/data or $FACTCHECK_DATA)."),
    out: Path = typer.Option(Path("reports/bench.json"), help="Where the results are written as JSON."),
    n_process: int = typer.Option(0, help="spaCy processes for parsing (0: automatic, as in check)."),
    skip_cli: bool = typer.Option(False, "--skip-cli", help="Do not time `factcheck --help` and `check seeds/`."),
    dask_sizes: str = typer.Option("1000", "--dask-sizes", help="Sizes to run again with --engine dask ('' for none)."),
    grouping: int = typer.Option(100_000, help="Time event grouping alone on this many synthetic vectors (0: skip)."),
) -> None:
    """Benchmark speed and memory on 10 to 10,000 news articles, the models' floor, --engine dask and
    event grouping alone; write reports/bench.json."""
    from ..bench import parse_sizes, print_tables, run_bench
    from ..io import write_json_atomic

    try:
        if backend not in ("onnx", "torch"):
            raise InputError(f"--backend {backend}", "unknown embedding backend", "use --backend onnx or --backend torch")
        result = run_bench(parse_sizes(sizes), backend=backend, data_dir=data, n_process=n_process,
                           cli_timings=not skip_cli, on_step=lambda m: typer.echo(f"bench: {m}", err=True),
                           dask_sizes=parse_sizes(dask_sizes) if dask_sizes.strip() else (), grouping=grouping)
    except FactcheckError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code)
    write_json_atomic(out, result)
    print_tables(result)
    typer.echo(f"-> {out}")
