"""Report stage: a Markdown page a desk editor reads top-down, and the same as JSON.

The Markdown is deterministic (no timestamps, sorted everywhere) so the seeds'
report can be committed and checked against a golden file. Every piece of
text that came from an input (titles, outlets, article text, speakers, paths,
ids, notes, warnings) goes through ``factcheck.markup``, so a hostile article
or file name cannot add HTML, links, headings or fences to the page; only the
page's own words and numbers are written raw.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .io import write_text_atomic
from .markup import md_blockquote, md_code, md_fence, md_text
from .models import Evidence, Finding, Report
from .severity import ORDER, legend_rows

KIND_TITLES = {
    "quote_altered": "Quote wording differs",
    "quote_attribution": "Quote credited to different speakers",
    "contradiction": "Contradiction",
    "date_conflict": "Date conflict",
    "number_conflict": "Number conflict",
    "name_inconsistency": "Name or title inconsistency",
}


def _ids(ids) -> str:
    return ", ".join(md_text(i) for i in ids)


def _where(e: Evidence) -> str:
    loc = f"{e.path}:{e.line}" if e.line else e.path
    return f"{md_code(loc)} (chars {e.start}-{e.end})"


def _finding_md(f: Finding) -> list[str]:
    status = f" · review: **{md_text(f.review_status)}**" if f.review_status else ""
    kind = md_text(KIND_TITLES.get(f.kind, f.kind))
    lines = [f"#### {md_text(f.id)} · {kind} · {md_text(f.severity)}{status}", "", md_text(f.summary), ""]
    if f.review_note and md_text(f.review_note):
        lines += [f"*Reviewer note:* {md_text(f.review_note)}", ""]
    for e in f.evidence:
        role = f" — {md_text(e.role)}" if e.role else ""
        lines += [f"**{md_text(e.article_id)}**{role}, {_where(e)}", "", md_blockquote(e.text), ""]
    if "diff" in f.detail:
        lines += ["Word diff (first → second; `[-removed-]`, `{+added+}`):", "", md_fence(f.detail["diff"], "diff"), ""]
    return lines


def to_markdown(report: Report) -> str:
    counts = Counter(f.severity for f in report.findings)
    kinds = Counter(f.kind for f in report.findings)
    verdicts = Counter(a.verdict for a in report.agreements)
    out: list[str] = [f"# Consistency report: {md_text(report.name)}", ""]
    out += [
        "## Summary",
        "",
        f"- Articles: {len(report.articles)}; claims: {sum(a.claims for a in report.articles)}; "
        f"direct quotes: {sum(a.quotes for a in report.articles)}",
        f"- Discrepancies: {len(report.findings)} "
        f"(high {counts.get('high', 0)}, medium {counts.get('medium', 0)}, low {counts.get('low', 0)})"
        + ("".join(f"; {KIND_TITLES[k].lower()}: {n}" for k, n in sorted(kinds.items())) if kinds else ""),
        f"- Facts told by 2+ outlets: {len(report.agreements)} "
        f"(corroborated {verdicts.get('corroborated', 0)}, disputed {verdicts.get('disputed', 0)}, "
        f"single independent source {verdicts.get('single-source', 0)})",
        f"- Claims only one outlet makes: {len(report.single_source)}",
        "",
    ]
    if report.warnings:
        out += ["**Warnings**", ""] + [f"- {md_text(w)}" for w in report.warnings] + [""]

    out += ["## Sources", "", "| article | outlet | title | published | claims | quotes | shares wire text with |",
            "|---|---|---|---|---|---|---|"]
    for a in report.articles:
        out.append(
            f"| {md_text(a.id)} | {md_text(a.outlet or 'unknown')} | {md_text(a.title)} | "
            f"{a.published.isoformat() if a.published else 'unknown'} | {a.claims} | {a.quotes} | "
            f"{_ids(a.copies_of) or '—'} |"
        )
    out += ["", "Paths are cited as `file:line` in the original file; character offsets refer to the cleaned text "
            "stored in `claims/<article>.json`.", ""]

    out += ["## Discrepancies", ""]
    if not report.findings:
        out += ["No discrepancies found.", ""]
    for sev in sorted({f.severity for f in report.findings}, key=ORDER.__getitem__):
        out += [f"### Severity: {sev}", ""]
        for f in report.findings:
            if f.severity == sev:
                out += _finding_md(f)

    out += ["## Agreements", "", "Facts stated by two or more outlets. Wire copies (long shared word runs) "
            "count as one independent source.", ""]
    if not report.agreements:
        out += ["None.", ""]
    for a in report.agreements:
        note = f" — {md_text(a.note)}" if a.note else ""
        out.append(f"- **{md_text(a.verdict)}** ({a.independent_sources} independent; {_ids(a.article_ids)}){note}: "
                   f"{md_text(a.summary)}")
        if a.verdict == "disputed":
            groups = {v: [aid for aid, x in sorted(a.per_outlet.items()) if x == v]
                      for v in ("contradicts", "supports", "silent")}
            parts = [f"{label}: {_ids(groups[v])}" for v, label in
                     (("contradicts", "in conflict"), ("supports", "agree without conflict"), ("silent", "silent"))
                     if groups[v]]
            out.append(f"  - outlets {' · '.join(parts)}")
        for e in a.evidence:
            if e.article_id != a.article_ids[0] or e.text != a.summary:
                out.append(f"  - {md_text(e.article_id)} {_where(e)}: {md_text(e.text)}")
    out.append("")

    out += ["## Claims only one outlet makes", ""]
    if not report.single_source:
        out += ["None.", ""]
    by_article: dict[str, list] = {}
    for s in report.single_source:
        by_article.setdefault(s.article_id, []).append(s)
    for aid in sorted(by_article):
        out += [f"### {md_text(aid)}", ""]
        for s in by_article[aid]:
            out.append(f"- {_where(s.evidence)}: {md_text(s.evidence.text)}")
        out.append("")

    out += ["## Severity legend", "", "| severity | kind | when |", "|---|---|---|"]
    for sev, kind, why in legend_rows():
        out.append(f"| {sev} | {kind} | {why} |")
    out += ["", "Thresholds: " + ", ".join(f"{k}={v}" for k, v in sorted(report.config.items())), ""]
    return "\n".join(out)


def to_json(report: Report) -> str:
    return json.dumps(json.loads(report.model_dump_json()), indent=2, ensure_ascii=False) + "\n"


def write_report(report: Report, out: Path) -> tuple[Path, Path]:
    """``<out>.md`` and ``<out>.json``, each written atomically.

    ``out`` may end in ``.md`` or ``.json``; any other suffix is part of the
    name (``out/x.v2`` -> ``out/x.v2.md``), as the review files beside it are.
    """
    out = Path(out)
    if out.suffix in (".md", ".json"):
        out = out.with_suffix("")
    md, js = out.with_name(out.name + ".md"), out.with_name(out.name + ".json")
    write_text_atomic(js, to_json(report))
    write_text_atomic(md, to_markdown(report))
    return md, js
