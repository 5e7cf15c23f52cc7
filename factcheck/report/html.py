"""The HTML report: one self-contained page (inline CSS and script, nothing fetched).

Rendered with Jinja2 with autoescaping on for every value, from the same
``view`` the Markdown uses. Three layers keep article text inert:

1. autoescaping: every value from an input is text, never markup;
2. links only to http(s), mailto or relative paths (``markup.safe_url``);
   anything else (``javascript:``, ``data:``) is shown as text;
3. a Content-Security-Policy that lets only this page's own script and
   style run, by their SHA-256 hashes: even a tag that slipped through
   could not execute.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources

from ..markup import safe_url
from ..models import Report
from ..severity import legend_rows
from . import view
from .view import KIND_TITLES


def _asset(name: str) -> str:
    return resources.files("factcheck.report").joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("factcheck.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    return env


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _evidence(e, name_of, arts) -> dict:
    c = view.cite(e, arts.get(e.article_id))
    return {
        "article_id": e.article_id,
        "outlet": name_of.get(e.article_id, e.article_id),
        "role": view.rename(e.role, name_of) if e.role else "",
        "text": e.text,
        "label": c.label,
        "href": safe_url(c.href),
        "url": safe_url(c.url),
        "chars": c.chars,
    }


def context(report: Report) -> dict:
    report = view.finalise(report)
    assert report.verdict is not None  # finalise sets it
    name_of = view.names(report)
    arts = {a.id: a for a in report.articles}
    findings = []
    for n, f in enumerate(view.findings_ranked(report), 1):
        findings.append(
            {
                "n": n,
                "id": f.id,
                "kind": f.kind,
                "kind_title": KIND_TITLES.get(f.kind, f.kind),
                "severity": f.severity,
                "status": view.status_of(f),
                "note": f.review_note or "",
                "summary": view.rename(f.summary, name_of),
                "fact_id": f.fact_id or "",
                "outlets": view.outlets_of(f),
                "evidence": [_evidence(e, name_of, arts) for e in f.evidence],
                "diff": view.rename(str(f.detail["diff"]), name_of) if "diff" in f.detail else "",
            }
        )
    score = {s.article_id: s for s in report.scorecard}
    outlets = [
        {
            "id": a.id,
            "name": name_of[a.id],
            "url": safe_url(a.url),
            "origin": a.origin or "",
            "published": (
                a.published_at.isoformat() if a.published_at else a.published.isoformat() if a.published else "unknown"
            ),
            "title": a.title or "",
            "path": a.path,
            "href": safe_url(a.link),
            "copies": [name_of.get(i, i) for i in a.copies_of],
            "score": score[a.id],
        }
        for a in report.articles
    ]
    notable = view.notable_singles(report)
    singles = [
        {
            "article_id": s.article_id,
            "outlet": name_of[s.article_id],
            "text": s.evidence.text,
            "why": ", ".join(s.why),
            **{k: v for k, v in _evidence(s.evidence, name_of, arts).items() if k in ("label", "href", "url")},
        }
        for s in notable
    ]
    prows, psingles, psingles_more, prows_more = view.people(report, name_of)
    trows, tmore, unplaced = view.timeline(report, name_of)
    agreed, amore = view.agreements(report, name_of)
    figs = view.figure_table(report, name_of)
    return {
        "report": report,
        "verdict": report.verdict.text,
        "names": name_of,
        "findings": findings,
        "outlets": outlets,
        "singles": singles,
        "echoed": sum(1 for s in report.single_source if s.echoed_by),
        "warnings": view.unknowns(report) + list(report.warnings),
        "figures": figs,
        "fig_summaries": [
            (f.label, list(f.finding_ids), view.rename(f.summary, name_of)) for f in figs.facts + figs.more if f.summary
        ],
        "statements": [(view.rename(r.fact.label, name_of), r) for r in view.statement_rows(report, name_of)],
        "people": prows,
        "people_singles": psingles,
        "people_singles_more": psingles_more,
        "people_more": prows_more,
        "timeline": trows,
        "timeline_more": tmore,
        "unplaced": unplaced,
        "agreements": agreed,
        "agreements_more": amore,
        "severities": [s for s in ("high", "medium", "low", "info") if any(f["severity"] == s for f in findings)],
        "kinds": sorted({(f["kind"], f["kind_title"]) for f in findings}),
        "statuses": sorted({f["status"] for f in findings}),
        "claims": sum(a.claims for a in report.articles),
        "quotes": sum(a.quotes for a in report.articles),
        "named": sum(1 for a in report.articles if a.outlet),
        "citations": view.CITATIONS,
        "thresholds": view.thresholds(report.config),
        "legend": [(s, KIND_TITLES.get(k, k), w) for s, k, w in legend_rows()],
    }


def to_html(report: Report) -> str:
    css, js = _asset("report.css"), _asset("report.js")
    csp = (
        f"default-src 'none'; script-src '{_sha256(js)}'; style-src '{_sha256(css)}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    return _env().get_template("report.html.j2").render(css=css, js=js, csp=csp, **context(report))
