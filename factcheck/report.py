"""Report stage: a Markdown page a desk editor reads top-down, and the same as JSON.

The Markdown is deterministic (no timestamps, sorted everywhere) so the seeds'
report can be committed and checked against a golden file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .io import write_text_atomic
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


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _where(e: Evidence) -> str:
    loc = f"{e.path}:{e.line}" if e.line else e.path
    return f"`{loc}` (chars {e.start}-{e.end})"


def _quote_block(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() or [""])


def _finding_md(f: Finding) -> list[str]:
    status = f" · review: **{f.review_status}**" if f.review_status else ""
    lines = [f"#### {f.id} · {KIND_TITLES.get(f.kind, f.kind)} · {f.severity}{status}", "", f.summary, ""]
    if f.review_note:
        lines += [f"*Reviewer note:* {f.review_note}", ""]
    for e in f.evidence:
        role = f" — {e.role}" if e.role else ""
        lines += [f"**{e.article_id}**{role}, {_where(e)}", "", _quote_block(e.text), ""]
    if "diff" in f.detail:
        lines += ["Word diff (first → second; `[-removed-]`, `{+added+}`):", "", "```diff", f.detail["diff"], "```", ""]
    return lines


def to_markdown(report: Report) -> str:
    counts = Counter(f.severity for f in report.findings)
    kinds = Counter(f.kind for f in report.findings)
    verdicts = Counter(a.verdict for a in report.agreements)
    out: list[str] = [f"# Consistency report: {report.name}", ""]
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
        out += ["**Warnings**", ""] + [f"- {w}" for w in report.warnings] + [""]

    out += ["## Sources", "", "| article | outlet | title | published | claims | quotes | shares wire text with |",
            "|---|---|---|---|---|---|---|"]
    for a in report.articles:
        out.append(
            f"| {a.id} | {_md_escape(a.outlet or 'unknown')} | {_md_escape(a.title or '')} | "
            f"{a.published.isoformat() if a.published else 'unknown'} | {a.claims} | {a.quotes} | "
            f"{', '.join(a.copies_of) or '—'} |"
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
        outlets = ", ".join(a.article_ids)
        note = f" — {a.note}" if a.note else ""
        out.append(f"- **{a.verdict}** ({a.independent_sources} independent; {outlets}){note}: "
                   f"{_md_escape(a.summary)}")
        if a.verdict == "disputed":
            groups = {v: [aid for aid, x in sorted(a.per_outlet.items()) if x == v]
                      for v in ("contradicts", "supports", "silent")}
            parts = [f"{label}: {', '.join(groups[v])}" for v, label in
                     (("contradicts", "in conflict"), ("supports", "agree without conflict"), ("silent", "silent"))
                     if groups[v]]
            out.append(f"  - outlets {' · '.join(parts)}")
        for e in a.evidence:
            if e.article_id != a.article_ids[0] or e.text != a.summary:
                out.append(f"  - {e.article_id} {_where(e)}: {_md_escape(e.text)}")
    out.append("")

    out += ["## Claims only one outlet makes", ""]
    if not report.single_source:
        out += ["None.", ""]
    by_article: dict[str, list] = {}
    for s in report.single_source:
        by_article.setdefault(s.article_id, []).append(s)
    for aid in sorted(by_article):
        out += [f"### {aid}", ""]
        for s in by_article[aid]:
            out.append(f"- {_where(s.evidence)}: {_md_escape(s.evidence.text)}")
        out.append("")

    out += ["## Severity legend", "", "| severity | kind | when |", "|---|---|---|"]
    for sev, kind, why in legend_rows():
        out.append(f"| {sev} | {kind} | {why} |")
    out += ["", "Thresholds: " + ", ".join(f"{k}={v}" for k, v in sorted(report.config.items())), ""]
    return "\n".join(out)


def to_json(report: Report) -> str:
    return json.dumps(json.loads(report.model_dump_json()), indent=2, ensure_ascii=False) + "\n"


def write_report(report: Report, out: Path) -> tuple[Path, Path]:
    """``<out>.md`` and ``<out>.json``, each written atomically."""
    out = Path(out)
    md, js = out.with_suffix(".md"), out.with_suffix(".json")
    write_text_atomic(js, to_json(report))
    write_text_atomic(md, to_markdown(report))
    return md, js
