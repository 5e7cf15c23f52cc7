"""Report stage: a Markdown page and an HTML page a desk editor reads, and the same as JSON.

``write_report`` writes ``<out>.md``, ``<out>.html`` and ``<out>.json``, each
atomically, from one ``Report``; the review commands call it again after each
decision, so the verdict, the scorecard and every finding's status on all
three follow the reviews file. ``finalise`` counts the verdict and scorecard.
"""

from __future__ import annotations

from pathlib import Path

from ..io import write_text_atomic
from ..models import Report
from .html import to_html
from .markdown import to_markdown
from .view import KIND_TITLES, finalise, locate

SUFFIXES = (".md", ".json", ".html")


def to_json(report: Report) -> str:
    """The report as indented JSON. pydantic writes it (in Rust): the json module's
    indented encoder is pure Python and took 15 s of a 1,000-article report."""
    return finalise(report).model_dump_json(indent=2) + "\n"


def report_paths(out: Path | str) -> tuple[Path, Path, Path]:
    """``<out>.md``, ``<out>.json``, ``<out>.html``; ``out`` may end in one of those suffixes."""
    out = Path(out)
    if out.suffix in SUFFIXES:
        out = out.with_suffix("")
    return (out.with_name(out.name + ".md"), out.with_name(out.name + ".json"), out.with_name(out.name + ".html"))


def write_report(report: Report, out: Path) -> tuple[Path, Path]:
    """``<out>.md``, ``<out>.json`` and ``<out>.html``, each written atomically; returns the Markdown and JSON paths.

    Any other suffix is part of the name (``out/x.v2`` -> ``out/x.v2.md``),
    as the review files beside it are. Links to the source files are made
    relative to ``out``'s folder (once: a re-render keeps them).
    """
    md, js, page = report_paths(out)
    if any(a.link is None for a in report.articles):
        report = locate(report, md)
    report = finalise(report)
    write_text_atomic(js, to_json(report))
    write_text_atomic(page, to_html(report))
    write_text_atomic(md, to_markdown(report))
    return md, js


__all__ = ["to_json", "to_markdown", "to_html", "write_report", "report_paths", "finalise", "locate", "KIND_TITLES"]
