"""Compare stage: the extracted articles of one event -> a ``Comparison``.

The comparator builds the event's **facts** (figures, statements, people,
dates of happenings), each with every outlet's version, and raises **one
finding per disputed fact**. Embedding clusters still choose candidates for
the sentence-level rules (polarity, "no X" against the verb) and make the
agreements; they are no longer the only place conflicts are looked for.

Precision first: a finding is raised only where extracted facts (values with
their qualifiers, quote wording, speaker identity, normalised dates, names and
titles) differ *about the same thing*. Embedding similarity decides "the same
thing" for sentences; it never decides "different facts" on its own (MiniLM
puts "on Monday" and "on Tuesday" at cosine 0.94).

Each rule is one function registered with ``@comparator`` (``registry.py``)
together with its severities, which the report prints as its legend. Modules:
``figures`` (tolls and other quantities), ``statements`` (quote families),
``people`` (names and titles), ``happenings`` (dates), ``contradiction``
(stance, negation, antonyms), ``corroboration`` (wire copies, agreements).
"""

from __future__ import annotations

from typing import Sequence

from ..models import Cluster, Comparison, Finding
from ..severity import ORDER

# Importing a rule module registers its comparators; this order is the order they
# run in and the order of the legend's rows within a severity (kept by hand).
# isort: off
from . import happenings  # noqa: F401
from . import contradiction  # noqa: F401
from . import figures  # noqa: F401
from . import people  # noqa: F401
from . import statements  # noqa: F401

# isort: on
from .contradiction import (
    affirmed_events,
    compare_nominal_negation,
    compare_polarity,
    compare_stances,
    negated_nominals,
    text_syntax,
)
from .corroboration import corroborate, independent_count, wire_copies
from .event import Event, content_id, finding_id, make_finding
from .figures import compare_figures, compare_numbers
from .happenings import compare_dates, compare_happenings, different_sources
from .people import compare_names
from .registry import COMPARATORS, Output, legend_rows
from .statements import (
    compare_statements,
    is_news_outlet,
    quote_relation,
    quote_segments,
    render_diff,
    speakers_compatible,
)

__all__ = [
    "Event",
    "compare_event",
    "finding_id",
    "content_id",
    "make_finding",
    "legend_rows",
    "compare_figures",
    "compare_numbers",
    "compare_dates",
    "compare_names",
    "compare_polarity",
    "compare_nominal_negation",
    "compare_stances",
    "corroborate",
    "independent_count",
    "wire_copies",
    "quote_relation",
    "render_diff",
    "speakers_compatible",
    "is_news_outlet",
    "negated_nominals",
    "affirmed_events",
    "text_syntax",
    "different_sources",
    "compare_happenings",
    "compare_statements",
    "quote_segments",
]


def _as_output(result, rule: str) -> Output:
    """A comparator's result as an ``Output``, each finding naming the rule that raised it (``detail["rule"]``)."""
    out = result if isinstance(result, Output) else Output(findings=list(result))
    out.findings = [
        f if f.detail.get("rule") else f.model_copy(update={"detail": {"rule": rule, **f.detail}}) for f in out.findings
    ]
    return out


def _link_name_findings(findings: list[Finding], facts: dict) -> tuple[list[Finding], dict]:
    """Attach each name finding to the person facts its evidence cites (same article, same sentence)."""
    persons = [f for f in facts.values() if f.kind == "person"]
    linked: list[Finding] = []
    for fd in findings:
        if fd.kind != "name_inconsistency" or fd.fact_id is not None:
            linked.append(fd)
            continue
        cites = {(e.article_id, e.start) for e in fd.evidence}
        hit = [p for p in persons if any((v.evidence.article_id, v.evidence.start) in cites for v in p.versions)]
        for p in hit:
            facts[p.id] = p.model_copy(update={"status": "disputed", "finding_ids": (*p.finding_ids, fd.id)})
        linked.append(fd.model_copy(update={"fact_id": hit[0].id}) if hit else fd)
    return linked, facts


def compare_event(ev: Event, clusters: Sequence[Cluster]) -> Comparison:
    """Every registered comparator over one event; findings deduplicated and ordered.

    Returns a new record and leaves ``ev`` as it was, except ``ev.copies``
    (the wire-copy map the comparators read), which is also in the result.
    """
    ev.copies = wire_copies(ev.articles, ev.config.wire_copy_run_words, ev.config.wire_copy_min_runs)
    out = Output()
    for comp in COMPARATORS:
        if comp.scope == "event":
            out += _as_output(comp.fn(ev), comp.name)
        else:
            for cl in clusters:
                out += _as_output(comp.fn(ev, cl), comp.name)
    unique: dict[str, Finding] = {}
    for f in out.findings:
        unique.setdefault(f.id, f)
    ordered = sorted(unique.values(), key=lambda f: (ORDER[f.severity], f.kind, f.id))
    ordered, facts = _link_name_findings(ordered, {f.id: f for f in out.facts})
    agreements, singles = corroborate(ev, clusters, ordered)
    return Comparison(
        facts=tuple(sorted(facts.values(), key=lambda f: (f.kind, f.status != "disputed", f.key))),
        findings=tuple(ordered),
        agreements=tuple(agreements),
        single_source=tuple(singles),
        copies={k: tuple(sorted(v)) for k, v in sorted(ev.copies.items())},
    )
