"""What the report shows, once, for both renderers (Markdown and HTML).

Everything here is plain text as it came from the input or from the
comparator: escaping is the renderer's job (``markup.py`` for Markdown,
Jinja2 autoescaping for HTML). ``finalise`` fills the verdict and the
scorecard from the findings' review status, so both follow every decision.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..models import ArticleSummary, Evidence, Fact, Finding, OutletScore, Report, SingleSource, Verdict
from ..severity import ORDER

KIND_TITLES = {
    "quote_altered": "Quote wording differs",
    "quote_attribution": "Quote credited to different speakers",
    "contradiction": "Contradiction",
    "date_conflict": "Date conflict",
    "number_conflict": "Number conflict",
    "name_inconsistency": "Name or title inconsistency",
}
# Statuses under which a finding no longer counts as a discrepancy to act on.
SETTLED = ("dismissed", "resolved")

# Caps that keep a 20-outlet story readable; what is cut is counted on the page and kept in the JSON.
MAX_DETAILED_FINDINGS = 10  # in full, evidence side by side; the rest one line each
MAX_LISTED_FINDINGS = 40
MAX_FIGURE_COLUMNS = 6
MAX_SINGLE_FIGURES = 8
MAX_PEOPLE_ROWS = 8
MAX_STATEMENTS = 10
MAX_ABSENT_NAMES = 4  # "not carried" lists names up to this many, else a count
MAX_SINGLE_PEOPLE = 12
MAX_TIMELINE_ROWS = 10
MAX_AGREEMENTS = 8
MAX_SINGLE_CLAIMS = 20
SNIPPET_CHARS = 160

THRESHOLD_WORDS = {
    "cluster_threshold": "Sentences of different outlets are taken to tell the same fact when their meaning "
    "similarity (MiniLM cosine, 0 to 1) is at least {v}.",
    "quote_same_statement_cosine": "Two quotes are taken as one statement when their meaning similarity is at "
    "least {v}, or when at least {overlap} of their words are shared.",
    "wire_copy_run_words": "Outlets sharing {runs} or more runs of {v} words outside quotes count as one source "
    "(wire copy).",
    "approx_tolerance": "“About N” agrees with any value within {pct} of N; “at least” and “up to” are bounds.",
    "min_claim_words": "Sentences shorter than {v} words are not a claim's only support.",
    "polarity_min_cosine": "Negations and opposites are compared only between sentences at least {v} similar.",
    "news_cycle_days": "Articles published more than {v} days apart are not checked against each other for "
    "contradictions (the story moves on).",
    "single_event_max_articles": "Up to {v} articles are compared as one story; more are first grouped into "
    "stories whose articles are at least {event} similar.",
    "single_source_echo_cosine": "A claim is not listed as one outlet's alone when another outlet has a sentence "
    "at least {v} similar to it.",
}
_SHOWN_WITH = {"quote_same_statement_overlap", "wire_copy_min_runs", "event_threshold"}

CITATIONS = (
    "Each citation links to the line of the source file, relative to this report's folder. "
    "Text and Markdown files: the line of the file. HTML pages: the line of the page source where the "
    "sentence is found (cited without a line when the extracted text cannot be found there). "
    "JSON Lines: the record (its line in the file) and the field. "
    "Character offsets (chars) refer to the cleaned article text in claims/<article>.json."
)


def status_of(f: Finding) -> str:
    return f.review_status or "open"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + " …"


# --------------------------------------------------------------------- names


def file_name(a: ArticleSummary) -> str:
    return Path(a.path).name


def names(report: Report) -> dict[str, str]:
    """article id -> how the page names it: the outlet, else the file name.

    Two articles of one outlet get their file name after it, so every name on
    the page points at one article.
    """
    counts = Counter(a.outlet for a in report.articles if a.outlet)
    out = {}
    for a in report.articles:
        if a.outlet and counts[a.outlet] == 1:
            out[a.id] = a.outlet
        elif a.outlet:
            out[a.id] = f"{a.outlet} ({file_name(a)})"
        else:
            out[a.id] = file_name(a)
    return out


# A run of id characters: article ids are made of [A-Za-z0-9._-] (load._safe_id).
_ID_RUN = re.compile(r"[\w.-]+")


def rename(text: str | None, name_of: dict[str, str]) -> str:
    """``text`` (a summary written by the comparator) with bare article ids replaced by names.

    An id counts where it stands alone: a whole run of word characters, dots
    and hyphens, or such a run cut before a dot (an id ending a sentence);
    the longest id wins. Each run is looked up in ``name_of`` instead of
    matching one pattern of every id, which cost the number of articles per
    character of every summary (10,000 articles: most of the report's time).
    """
    if not text:
        return ""

    def one(m: re.Match[str]) -> str:
        run = m.group(0)
        cuts = [len(run)] + [i for i in range(len(run) - 1, 0, -1) if run[i] == "."]
        for cut in cuts:
            name = name_of.get(run[:cut])
            if name is not None and name != run[:cut]:
                return name + run[cut:]
        return run

    return _ID_RUN.sub(one, text)


# ----------------------------------------------------------------- citations


@dataclass(frozen=True)
class Cite:
    label: str  # "seeds/a.txt:33", "feed.jsonl:4, record 4, field text"
    href: str | None  # relative link to the file (with #L<line>)
    url: str | None  # the article's address, from the manifest or front matter
    chars: str  # "chars 3040-3240"


def cite(e: Evidence, art: ArticleSummary | None) -> Cite:
    fmt = art.format if art else "txt"
    chars = f"chars {e.start}-{e.end}"
    in_title = bool(art and art.title_span and art.title_span.start <= e.start < art.title_span.end)
    if fmt == "json" and art is not None and art.record is not None:
        label = f"{e.path}:{art.record}, record {art.record}, field {'title' if in_title else 'text'}"
        line = art.record
    elif fmt == "json":
        label = f"{e.path}, field {'title' if in_title else 'text'}"
        line = None
    elif fmt == "html":
        label = f"{e.path}:{e.line}" + (" (page title)" if in_title else "") if e.line else f"{e.path} (extracted text)"
        line = e.line
    else:
        label = f"{e.path}:{e.line}" if e.line else e.path
        line = e.line
    href = None
    if art is not None and art.link:
        href = art.link + (f"#L{line}" if line else "")
    return Cite(label=label, href=href, url=art.url if art else None, chars=chars)


def locate(report: Report, out: Path | str) -> Report:
    """Set each article's ``link``: its file relative to the folder the report is written to.

    Paths in the report are as the run saw them (relative to its working
    folder); links must work from the report's folder whoever re-renders it,
    so they are fixed here once, when ``check`` writes the report.
    """
    folder = Path(out).resolve().parent
    arts = []
    for a in report.articles:
        try:
            link = Path(os.path.relpath(Path(a.path).resolve(), folder)).as_posix()
        except ValueError:  # another drive (Windows): no relative link
            link = None
        arts.append(a.model_copy(update={"link": link}))
    return report.model_copy(update={"articles": tuple(arts)})


# -------------------------------------------------------------- single claims


def notable_singles(report: Report) -> list[SingleSource]:
    """Single-outlet claims worth an editor's check that no other outlet echoes,
    the most checkable first (most reasons: a quote with a figure and a date
    before a bare date), then in article order."""
    order = {a.id: i for i, a in enumerate(report.articles)}
    keep = [s for s in report.single_source if s.why and not s.echoed_by]
    return sorted(keep, key=lambda s: (-len(s.why), order.get(s.article_id, 0), s.evidence.start))


# ------------------------------------------------------- verdict, scorecard


def verdict(report: Report) -> Verdict:
    open_: Counter = Counter()
    confirmed: Counter = Counter()
    other: Counter = Counter()
    for f in report.findings:
        st = status_of(f)
        if st == "open":
            open_[f.severity] += 1
        elif st == "confirmed":
            confirmed[f.severity] += 1
        else:
            other[st] += 1
    singles = len(notable_singles(report))
    parts: list[str] = []
    if not report.findings:
        parts.append("No discrepancies found")
    else:
        high = open_.get("high", 0)
        lower = sum(n for s, n in open_.items() if s != "high")
        first = (
            f"{plural(high, 'high-severity discrepancy', 'high-severity discrepancies')} open"
            if high
            else "no high-severity discrepancy open"
        )
        if lower:
            detail = ", ".join(f"{open_[s]} {s}" for s in sorted(open_, key=ORDER.__getitem__) if s != "high")
            first += f", plus {detail}" if high else f"; {detail} open"
        parts.append(first[0].upper() + first[1:])
        settled = []
        if confirmed:
            settled.append(f"{sum(confirmed.values())} confirmed")
        for st, label in (
            ("accepted", "accepted for publication"),
            ("dismissed", "dismissed as false alarms"),
            ("resolved", "resolved"),
        ):
            if other.get(st):
                settled.append(
                    f"{other[st]} {label if other[st] > 1 or st != 'dismissed' else 'dismissed as a false alarm'}"
                )
        if settled:
            parts[-1] += ", " + ", ".join(settled)
    parts.append(
        f"{plural(singles, 'claim')} with figures, dates, quotes or named sources "
        f"{'rests' if singles == 1 else 'rest'} on a single outlet"
    )
    return Verdict(
        text="; ".join(parts) + ".",
        open=dict(open_),
        confirmed=dict(confirmed),
        accepted=other.get("accepted", 0),
        dismissed=other.get("dismissed", 0),
        resolved=other.get("resolved", 0),
        single_outlet_claims=singles,
    )


def scorecard(report: Report) -> tuple[OutletScore, ...]:
    """Per article: facts other outlets support, facts in dispute, notable claims it alone makes.

    *supported*: corroborated agreements it is part of, plus agreed figure,
    statement and date facts it carries that those agreements do not already
    cover. *contradicted*: disputed facts (findings not dismissed) citing it.
    *alone*: its single-outlet claims with figures, dates, quotes or named
    sources that no other outlet echoes.
    """
    name_of = names(report)
    supported: dict[str, int] = defaultdict(int)
    covered: dict[str, set[int]] = defaultdict(set)
    for a in report.agreements:
        if a.verdict != "corroborated":
            continue
        for aid, how in a.per_outlet.items():
            if how == "supports":
                supported[aid] += 1
        for e in a.evidence:
            covered[e.article_id].add(e.start)
    for fact in report.facts:
        if fact.status != "agreed" or fact.kind == "person":
            continue
        for aid in sorted({v.article_id for v in fact.versions}):
            starts = {v.evidence.start for v in fact.versions if v.article_id == aid}
            if not starts & covered[aid]:
                supported[aid] += 1
    disputed: dict[str, set[str]] = defaultdict(set)
    for f in report.findings:
        if status_of(f) in SETTLED:
            continue
        for e in f.evidence:
            disputed[e.article_id].add(f.fact_id or f.id)
    alone = Counter(s.article_id for s in notable_singles(report))
    return tuple(
        OutletScore(
            article_id=a.id,
            name=name_of[a.id],
            supported=supported[a.id],
            contradicted=len(disputed[a.id]),
            alone=alone[a.id],
        )
        for a in report.articles
    )


def finalise(report: Report) -> Report:
    """The report with its verdict and scorecard counted from the findings as they stand now."""
    return report.model_copy(update={"verdict": verdict(report), "scorecard": scorecard(report)})


# ---------------------------------------------------------------- fact sheet


@dataclass
class FigureTable:
    facts: list[Fact]
    rows: list[tuple[str, list[str]]]  # outlet name, one cell per fact
    more: list[Fact] = field(default_factory=list)  # multi-outlet figures beyond the columns
    singles: list[tuple[str, str]] = field(default_factory=list)  # (label: value, outlet)
    singles_more: int = 0


def _version_text(v, with_context: bool = True) -> str:
    t = " ".join(v.text.split())
    ctx = [x for x in (v.source, v.time) if x]
    if v.relation in ("earlier", "retracted"):
        t = f"earlier {t}" if v.relation == "earlier" else f"not {t}"
    elif v.relation == "increment":
        t = f"+{t}"
    if with_context and ctx:
        t += " (" + ", ".join(" ".join(c.split()) for c in ctx) + ")"
    return t


def figure_table(report: Report, name_of: dict[str, str]) -> FigureTable:
    multi = [f for f in report.facts if f.kind == "figure" and f.status != "single"]
    multi.sort(key=lambda f: (-len({v.article_id for v in f.versions}), f.status != "disputed", f.label))
    cols, more = multi[:MAX_FIGURE_COLUMNS], multi[MAX_FIGURE_COLUMNS:]
    order = [a.id for a in report.articles]
    rows = []
    for aid in order:
        cells = []
        for fact in cols:
            seen: list[str] = []
            for v in fact.versions:
                if v.article_id == aid:
                    t = _version_text(v)
                    if t not in seen:
                        seen.append(t)
            cells.append("; ".join(seen))
        if any(cells):
            rows.append((name_of[aid], cells))
    single = [f for f in report.facts if f.kind == "figure" and f.status == "single"]
    singles = [
        (f"{f.label}: {_version_text(f.versions[0], False)}", name_of.get(f.versions[0].article_id, "")) for f in single
    ]
    return FigureTable(
        facts=cols,
        rows=rows,
        more=more,
        singles=singles[:MAX_SINGLE_FIGURES],
        singles_more=max(0, len(singles) - MAX_SINGLE_FIGURES),
    )


@dataclass
class StatementRow:
    fact: Fact
    verbatim: list[str]
    trimmed: list[str]
    altered: list[str]
    absent: list[str]


def statement_rows(report: Report, name_of: dict[str, str]) -> list[StatementRow]:
    rows = []
    all_ids = [a.id for a in report.articles]
    event_of = {a.id: a.event for a in report.articles}
    by_event: dict[int | None, list[str]] = defaultdict(list)
    for a in report.articles:
        by_event[a.event].append(a.id)
    for fact in report.facts:
        if fact.kind != "statement":
            continue
        # Who does not carry it: the other articles of its event (of the run,
        # in a report made before articles knew their event).
        events = {event_of.get(v.article_id) for v in fact.versions}
        known = sorted(k for k in events if k is not None)
        peers = all_ids if None in events else [a for k in known for a in by_event[k]]
        by: dict[str, set[str]] = defaultdict(set)
        for v in fact.versions:
            rel = "verbatim" if v.relation in ("canonical", "verbatim") else v.relation
            by[rel].add(v.article_id)
        # An outlet with a verbatim and an altered version is listed under both: the page says what it prints.
        carried = {a for ids in by.values() for a in ids}
        pick = lambda rel: [name_of[a] for a in peers if a in by.get(rel, ())]  # noqa: E731
        rows.append(
            StatementRow(
                fact,
                pick("verbatim"),
                pick("trimmed"),
                pick("altered"),
                [name_of[a] for a in peers if a not in carried],
            )
        )
    rows.sort(key=lambda r: (r.fact.status != "disputed", -(len(r.verbatim) + len(r.trimmed) + len(r.altered))))
    return rows


@dataclass
class PersonRow:
    fact: Fact
    forms: list[tuple[str, list[str]]]  # how it is written, by which outlets


def people(report: Report, name_of: dict[str, str]) -> tuple[list[PersonRow], list[tuple[str, str]], int, int]:
    """(rows for people named by 2+ outlets or disputed, singles (name, outlet), singles left out, rows left out)."""
    rows, singles = [], []
    order = {a.id: i for i, a in enumerate(report.articles)}
    for fact in report.facts:
        if fact.kind != "person":
            continue
        # every version cites one of report.articles, so order.get never gives None here
        outlets = sorted({v.article_id for v in fact.versions}, key=order.get)  # type: ignore[arg-type]
        if len(outlets) < 2 and fact.status != "disputed":
            singles.append((fact.label, name_of[outlets[0]] if outlets else ""))
            continue
        # The bare name or one word of it says nothing about how an outlet
        # names the person, unless the name itself is disputed.
        plain = {fact.label.lower(), *(w.lower() for w in fact.label.split())}
        forms: dict[str, list[str]] = {}
        for v in sorted(fact.versions, key=lambda v: order.get(v.article_id, 0)):
            t = " ".join(v.text.split())
            if v.relation == "spelling" and t.lower() in plain and fact.status != "disputed":
                continue
            who = forms.setdefault(t, [])
            if name_of[v.article_id] not in who:
                who.append(name_of[v.article_id])
        if forms:  # every outlet writes the bare name: nothing to show
            rows.append(PersonRow(fact, list(forms.items())))
    rows.sort(key=lambda r: (r.fact.status != "disputed", -len({v.article_id for v in r.fact.versions}), r.fact.label))
    return (
        rows[:MAX_PEOPLE_ROWS],
        singles[:MAX_SINGLE_PEOPLE],
        max(0, len(singles) - MAX_SINGLE_PEOPLE),
        max(0, len(rows) - MAX_PEOPLE_ROWS),
    )


@dataclass
class TimelineRow:
    when: str  # ISO value: "2023-05-29", "2023-W22", "2023-05"
    what: str  # the sentence, shortened
    written: str  # the date as written ("Monday")
    outlets: list[str]
    evidence: Evidence
    disputed: bool


def timeline(report: Report, name_of: dict[str, str]) -> tuple[list[TimelineRow], int, int]:
    """(dated happenings in calendar order, rows left out, dates that could not be placed)."""
    rows: dict[tuple[str, str], TimelineRow] = {}
    unplaced = 0
    for fact in report.facts:
        if fact.kind != "happening":
            continue
        for v in fact.versions:
            if not v.time:
                unplaced += 1
                continue
            key = (v.time, fact.label)
            row = rows.get(key)
            if row is None:
                rows[key] = TimelineRow(
                    v.time,
                    snippet(v.evidence.text, 110),
                    " ".join(v.text.split()),
                    [name_of[v.article_id]],
                    v.evidence,
                    fact.status == "disputed",
                )
            elif name_of[v.article_id] not in row.outlets:
                row.outlets.append(name_of[v.article_id])
    ordered = sorted(rows.values(), key=lambda r: (r.when, r.what))
    return ordered[:MAX_TIMELINE_ROWS], max(0, len(ordered) - MAX_TIMELINE_ROWS), unplaced


def agreements(report: Report, name_of: dict[str, str]) -> tuple[list[tuple[str, list[str], str]], int]:
    """(summary, outlets, verdict) of sentence-level facts several outlets tell, and how many were left out."""
    rows: list[tuple[str, list[str], str]] = []
    for a in sorted(report.agreements, key=lambda a: (a.verdict != "corroborated", -a.independent_sources)):
        if a.verdict == "disputed":
            continue  # shown as a discrepancy
        rows.append((snippet(a.summary), [name_of[x] for x in a.article_ids], a.verdict))
    return rows[:MAX_AGREEMENTS], max(0, len(rows) - MAX_AGREEMENTS)


# ------------------------------------------------------------------ warnings


def unknowns(report: Report) -> list[str]:
    """What stayed unknown about the sources, and which checks that switched off."""
    name_of = names(report)
    out = []
    undated = [name_of[a.id] for a in report.articles if a.published is None]
    if undated:
        out.append(
            f"No publication date for {', '.join(undated)}: relative dates in them (“Monday”, "
            "“last week”) are left unresolved and not compared, and their figures are not ordered in "
            "time in revision sequences. Give its published date in sources.toml beside the articles."
        )
    no_outlet = [file_name(a) for a in report.articles if not a.outlet]
    if no_outlet:
        out.append(
            f"No outlet known for {', '.join(no_outlet)}: named by file name here. Give its outlet in sources.toml."
        )
    return out


def thresholds(config: dict) -> list[str]:
    out = []
    for key in sorted(config):
        if key in _SHOWN_WITH:
            continue
        v = config[key]
        words = THRESHOLD_WORDS.get(key)
        if words is None:
            out.append(f"{key} = {v}")
            continue
        out.append(
            words.format(
                v=v,
                overlap=f"{config.get('quote_same_statement_overlap', 0):.0%}",
                runs=config.get("wire_copy_min_runs", "?"),
                pct=f"{v:.0%}" if isinstance(v, float) else v,
                event=config.get("event_threshold", "?"),
            )
        )
    return out


def findings_ranked(report: Report) -> list[Finding]:
    """Most severe first; within a severity, open before decided, then the most outlets involved."""
    rank = {"open": 0, "confirmed": 1, "accepted": 2, "dismissed": 3, "resolved": 4}
    return sorted(
        report.findings,
        key=lambda f: (ORDER[f.severity], rank.get(status_of(f), 5), -len({e.article_id for e in f.evidence})),
    )


def outlets_of(f: Finding) -> list[str]:
    seen: list[str] = []
    for e in f.evidence:
        if e.article_id not in seen:
            seen.append(e.article_id)
    return seen


def by_article(items: Iterable[SingleSource]) -> dict[str, list[SingleSource]]:
    out: dict[str, list[SingleSource]] = defaultdict(list)
    for s in items:
        out[s.article_id].append(s)
    return out
