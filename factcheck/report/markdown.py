"""The Markdown report: what an editor reads top-down in a minute.

Order: the verdict, what was not checked, the fact sheet (key figures,
statements, people, timeline, what several outlets tell), the discrepancies
(most severe first, evidence side by side, each citation a link to its line),
the outlets with their scorecard, the single-outlet claims worth a call, and
last how to read it (citations, thresholds in words, the severity legend).

Deterministic (no timestamps, stable order) so the seeds' report can be
committed and checked against golden files. Every piece of text from an input
goes through ``factcheck.markup``; only the page's own words and numbers are
written raw.
"""

from __future__ import annotations

from ..markup import md_code, md_fence, md_link, md_text
from ..models import ArticleSummary, Finding, Report
from ..severity import legend_rows
from . import view
from .view import KIND_TITLES, plural


def _cell(text: str | None) -> str:
    return md_text(text) or "—"


def _names(items) -> str:
    return ", ".join(md_text(n) for n in items) or "—"


def _where(e, art: ArticleSummary | None) -> str:
    c = view.cite(e, art)
    where = md_link(c.label, c.href) if c.href else md_code(c.label, in_table=True)
    if c.url:
        where += " · " + md_link("online", c.url)
    return where


def _finding(f: Finding, n: int, name_of: dict, arts: dict) -> list[str]:
    status = view.status_of(f)
    kind = md_text(KIND_TITLES.get(f.kind, f.kind))
    lines = [
        f"#### {md_text(f.id)} · {kind} · {md_text(f.severity)} · review: **{md_text(status)}**",
        "",
        f"{n}\\. {md_text(view.rename(f.summary, name_of))}",
        "",
    ]
    if f.review_note and md_text(f.review_note):
        lines += [f"*Reviewer note:* {md_text(f.review_note)}", ""]
    lines += ["| outlet | what it says | where |", "|---|---|---|"]
    for e in f.evidence:
        role = f" — {md_text(view.rename(e.role, name_of))}" if e.role else ""
        lines.append(
            f"| **{md_text(name_of.get(e.article_id, e.article_id))}**{role} | {_cell(e.text)} | "
            f"{_where(e, arts.get(e.article_id))} |"
        )
    lines.append("")
    if "diff" in f.detail:
        lines += [
            "Word diff (`[-removed-]`, `{+added+}`):",
            "",
            md_fence(view.rename(str(f.detail["diff"]), name_of), "diff"),
            "",
        ]
    return lines


def _fact_sheet(report: Report, name_of: dict, arts: dict) -> list[str]:
    out = ["## Fact sheet", ""]
    figs = view.figure_table(report, name_of)
    out += ["### Key figures", ""]
    if figs.facts:
        out += [
            "| outlet | "
            + " | ".join(md_text(f.label) + (" (disputed)" if f.status == "disputed" else "") for f in figs.facts)
            + " |",
            "|---|" + "---|" * len(figs.facts),
        ]
        out += [f"| {md_text(name)} | " + " | ".join(_cell(c) for c in cells) + " |" for name, cells in figs.rows]
        out.append("")
        for f in figs.facts + figs.more:
            if f.summary:
                ids = f" ({_names(f.finding_ids)})" if f.finding_ids else ""
                out.append(f"- **{md_text(f.label)}**{ids}: {md_text(view.rename(f.summary, name_of))}")
        if any(f.summary for f in figs.facts + figs.more):
            out.append("")
    else:
        out += ["No figure is given by two or more outlets.", ""]
    if figs.singles:
        more = f"; and {figs.singles_more} more" if figs.singles_more else ""
        out += [
            "Given by one outlet only: "
            + "; ".join(f"{md_text(t)} ({md_text(o)})" for t, o in figs.singles)
            + more
            + ".",
            "",
        ]

    rows = view.statement_rows(report, name_of)
    out += ["### Statements", ""]
    if rows:
        out += ["| statement | verbatim | trimmed | altered | not carried |", "|---|---|---|---|---|"]
        for r in rows[: view.MAX_STATEMENTS]:
            absent = _names(r.absent) if len(r.absent) <= view.MAX_ABSENT_NAMES else plural(len(r.absent), "outlet")
            out.append(
                f"| {md_text(view.rename(r.fact.label, name_of))} | {_names(r.verbatim)} | "
                f"{_names(r.trimmed)} | {_names(r.altered)} | {absent} |"
            )
        out.append("")
        if len(rows) > view.MAX_STATEMENTS:
            out += [f"{plural(len(rows) - view.MAX_STATEMENTS, 'more statement')} in the JSON and the HTML report.", ""]
    else:
        out += ["No quoted statement is carried by two or more outlets.", ""]

    prows, singles, singles_more, rows_more = view.people(report, name_of)
    out += ["### People", ""]
    if prows:
        out += ["| person | as each outlet names them |", "|---|---|"]
        for pr in prows:
            forms = "; ".join(f"{md_text(t)} ({_names(who)})" for t, who in pr.forms) or "—"
            flag = " (disputed)" if pr.fact.status == "disputed" else ""
            out.append(f"| {md_text(pr.fact.label)}{flag} | {forms} |")
        out.append("")
        if rows_more:
            out += [f"{plural(rows_more, 'more person', 'more people')} named by several outlets: in the JSON.", ""]
    if singles:
        more = f"; and {singles_more} more" if singles_more else ""
        out += [
            "Named by one outlet only: " + "; ".join(f"{md_text(n)} ({md_text(o)})" for n, o in singles) + more + ".",
            "",
        ]
    if not prows and not singles:
        out += ["No people named.", ""]

    trows, tmore, unplaced = view.timeline(report, name_of)
    out += ["### Timeline", ""]
    if trows:
        out += ["| when | what happened | as written | outlets |", "|---|---|---|---|"]
        for tr in trows:
            flag = " (disputed)" if tr.disputed else ""
            out.append(
                f"| {md_text(tr.when)}{flag} | {md_text(tr.what)} | {md_text(tr.written)} | {_names(tr.outlets)} |"
            )
        out.append("")
    notes = []
    if tmore:
        notes.append(f"{plural(tmore, 'more dated happening')} in the JSON")
    if unplaced:
        notes.append(
            f"{plural(unplaced, 'date')} could not be placed on the calendar (relative dates in undated "
            "articles, or no year)"
        )
    if notes:
        text = "; ".join(notes)
        out += [text[0].upper() + text[1:] + ".", ""]
    elif not trows:
        out += ["No dated happenings.", ""]

    agreed, amore = view.agreements(report, name_of)
    out += ["### Told by several outlets", ""]
    if agreed:
        for summary, outlets, verdict in agreed:
            tag = "corroborated" if verdict == "corroborated" else "one independent source (wire copy)"
            out.append(f"- {md_text(summary)} — {_names(outlets)} ({tag})")
        if amore:
            out.append(f"- and {amore} more in the JSON")
        out.append("")
    else:
        out += ["No sentence is told by two or more outlets without a dispute.", ""]
    return out


def _outlets(report: Report, name_of: dict) -> list[str]:
    score = {s.article_id: s for s in (report.scorecard or view.scorecard(report))}
    out = [
        "## Outlets",
        "",
        "Supported: facts another outlet also gives. Contradicted: facts in dispute "
        "with another outlet. Alone: claims with figures, dates, quotes or named sources no other outlet makes.",
        "",
        "| outlet | published | title | supported | contradicted | alone | file |",
        "|---|---|---|---|---|---|---|",
    ]
    for a in report.articles:
        s = score[a.id]
        name = md_link(name_of[a.id], a.url) if a.url else md_text(name_of[a.id])
        if a.origin:
            name += f" ({md_text(a.origin)})"
        if a.copies_of:
            name += f"; shares wire text with {_names(name_of.get(i, i) for i in a.copies_of)}"
        when = a.published_at.isoformat() if a.published_at else a.published.isoformat() if a.published else "unknown"
        file = md_link(a.path, a.link) if a.link else md_code(a.path, in_table=True)
        out.append(f"| {name} | {when} | {_cell(a.title)} | {s.supported} | {s.contradicted} | {s.alone} | {file} |")
    out.append("")
    return out


def _singles(report: Report, name_of: dict, arts: dict) -> list[str]:
    notable = view.notable_singles(report)
    out = ["## Claims only one outlet makes", ""]
    if not notable:
        return out + ["None with a figure, date, quote or named source.", ""]
    echoed = sum(1 for s in report.single_source if s.echoed_by)
    shown = notable[: view.MAX_SINGLE_CLAIMS]
    out += [
        f"{plural(len(notable), 'claim')} with a figure, date, quote or named source that no other outlet "
        f"carries{f'; the {len(shown)} with the most of these here, all in the JSON and the HTML report' if len(shown) < len(notable) else ''}. "
        f"{plural(echoed, 'claim')} with a close sentence in another outlet "
        f"{'is' if echoed == 1 else 'are'} left out, and so are claims with none of these.",
        "",
    ]
    for s in shown:
        out.append(
            f"- **{md_text(name_of[s.article_id])}**: {md_text(view.snippet(s.evidence.text))} "
            f"({md_text(', '.join(s.why))}; {_where(s.evidence, arts.get(s.article_id))})"
        )
    if len(shown) < len(notable):
        per = view.by_article(notable[len(shown) :])
        out.append(
            "- not shown: "
            + ", ".join(f"{md_text(name_of[a.id])} {len(per[a.id])}" for a in report.articles if per.get(a.id))
        )
    out.append("")
    return out


def to_markdown(report: Report) -> str:
    report = view.finalise(report)
    assert report.verdict is not None  # finalise sets it
    name_of = view.names(report)
    arts = {a.id: a for a in report.articles}
    named = sum(1 for a in report.articles if a.outlet)
    out: list[str] = [
        f"# Consistency report: {md_text(report.name)}",
        "",
        f"**Verdict:** {md_text(report.verdict.text)}",
        "",
        f"{plural(len(report.articles), 'article')} ({named} with a known outlet), "
        f"{sum(a.claims for a in report.articles)} claims, "
        f"{sum(a.quotes for a in report.articles)} direct quotes.",
        "",
    ]
    warnings = view.unknowns(report) + list(report.warnings)
    if warnings:
        out += ["## Not checked", ""] + [f"- {md_text(w)}" for w in warnings] + [""]
    out += _fact_sheet(report, name_of, arts)
    out += ["## Discrepancies", ""]
    ranked = view.findings_ranked(report)
    if not ranked:
        out += ["No discrepancies found.", ""]
    for n, f in enumerate(ranked[: view.MAX_DETAILED_FINDINGS], 1):
        out += _finding(f, n, name_of, arts)
    rest = ranked[view.MAX_DETAILED_FINDINGS :]
    if rest:
        out += [
            f"{plural(len(rest), 'more discrepancy', 'more discrepancies')}, less severe or already decided "
            "(every one in full in the HTML report and the JSON):",
            "",
            "| id | kind | severity | review | outlets |",
            "|---|---|---|---|---|",
        ]
        for f in rest[: view.MAX_LISTED_FINDINGS]:
            out.append(
                f"| {md_text(f.id)} | {md_text(KIND_TITLES.get(f.kind, f.kind))} | {md_text(f.severity)} | "
                f"{md_text(view.status_of(f))} | {_names(name_of.get(a, a) for a in view.outlets_of(f))} |"
            )
        if len(rest) > view.MAX_LISTED_FINDINGS:
            out.append(f"| … | {len(rest) - view.MAX_LISTED_FINDINGS} more | | | |")
        out.append("")
    out += _outlets(report, name_of)
    out += _singles(report, name_of, arts)
    out += ["## How to read this report", "", md_text(view.CITATIONS), "", "Thresholds:", ""]
    out += [f"- {md_text(t)}" for t in view.thresholds(report.config)] + [""]
    out += ["| severity | kind | when |", "|---|---|---|"]
    for sev, kind, why in legend_rows():
        out.append(f"| {sev} | {md_text(KIND_TITLES.get(kind, kind))} | {md_text(why)} |")
    out.append("")
    return "\n".join(out)
