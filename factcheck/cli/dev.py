"""Developer commands: ``factcheck eval`` (accuracy on public annotated news) and
``factcheck bench`` (speed and memory); the work is in ``factcheck.evaluation`` and
``factcheck.bench``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..bench import DEFAULT_SIZES
from ..errors import FactcheckError
from .common import Backend, fail

PARTS = ("clean", "quotes", "dates", "entities", "clustering", "contradiction", "findings", "events")


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
        out[prefix] = value


def eval_cmd(
    data: Annotated[
        Path | None, typer.Option(help="Public annotated data (default ../shared/data or $FACTCHECK_DATA).")
    ] = None,
    parts: Annotated[str, typer.Option(help=f"Comma-separated parts: {', '.join(PARTS)}.")] = ",".join(PARTS),
    out: Annotated[Path, typer.Option(help="Where the scores are written as JSON.")] = Path("reports/eval.json"),
    quick: Annotated[
        bool, typer.Option(help="Score a subset of each data set (for a fast look, not for reporting).")
    ] = False,
) -> None:
    """Score extraction, clustering and contradiction detection on public annotated news."""
    import importlib

    from ..evaluation import default_data_dir
    from ..io import write_json_atomic

    data = data or default_data_dir()
    if not data.is_dir():
        fail(
            FactcheckError(
                str(data),
                "the public evaluation data folder does not exist",
                "pass --data PATH or set FACTCHECK_DATA (see ../shared/data/README.md)",
            )
        )
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
    sizes: Annotated[str, typer.Option(help="Corpus sizes in articles, comma-separated.")] = ",".join(
        map(str, DEFAULT_SIZES)
    ),
    backend: Annotated[Backend, typer.Option(help="Embedding backend: onnx (int8) or torch.")] = Backend.onnx,
    data: Annotated[
        Path | None, typer.Option(help="Public data folder (default ../shared/data or $FACTCHECK_DATA).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Where the results are written as JSON.")] = Path("reports/bench.json"),
    n_process: Annotated[int, typer.Option(help="spaCy processes for parsing (0: automatic, as in check).")] = 0,
    skip_cli: Annotated[
        bool, typer.Option("--skip-cli", help="Do not time `factcheck --help` and `check seeds/`.")
    ] = False,
    dask_sizes: Annotated[
        str, typer.Option("--dask-sizes", help="Sizes to run again with --engine dask ('' for none).")
    ] = "1000",
    grouping: Annotated[
        int, typer.Option(help="Time event grouping alone on this many synthetic vectors (0: skip).")
    ] = 100_000,
) -> None:
    """Benchmark speed and memory on 10 to 10,000 news articles; write reports/bench.json.

    Each size runs in a fresh process, cold and then on a warm cache; also
    measured: the models' floor, --engine dask and event grouping alone.
    """
    from ..bench import parse_sizes, print_tables, run_bench
    from ..io import write_json_atomic

    try:
        result = run_bench(
            parse_sizes(sizes),
            backend=backend.value,
            data_dir=data,
            n_process=n_process,
            cli_timings=not skip_cli,
            on_step=lambda m: typer.echo(f"bench: {m}", err=True),
            dask_sizes=parse_sizes(dask_sizes) if dask_sizes.strip() else (),
            grouping=grouping,
        )
    except FactcheckError as exc:
        fail(exc)
    write_json_atomic(out, result)
    print_tables(result)
    typer.echo(f"-> {out}")
