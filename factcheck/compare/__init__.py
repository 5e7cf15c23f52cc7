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
from . import contradiction, figures, happenings, people, statements  # noqa: F401  (registers comparators)
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
from .statements import compare_statements, is_news_outlet, quote_relation, quote_segments, render_diff, speakers_compatible

__all__ = [
    "Event", "compare_event", "finding_id", "content_id", "make_finding", "legend_rows",
    "compare_figures", "compare_numbers", "compare_dates", "compare_names", "compare_polarity",
    "compare_nominal_negation", "compare_stances", "corroborate", "independent_count", "wire_copies",
    "quote_relation", "render_diff", "speakers_compatible", "is_news_outlet", "negated_nominals",
    "affirmed_events", "text_syntax", "different_sources",
]


def _as_output(result) -> Output:
    if isinstance(result, Output):
        return result
    return Output(findings=list(result))


def compare_event(ev: Event, clusters: Sequence[Cluster]) -> Comparison:
    """Every registered comparator over one event; findings deduplicated and ordered.

    Returns a new record and leaves ``ev`` as it was, except ``ev.copies``
    (the wire-copy map the comparators read), which is also in the result.
    """
    ev.copies = wire_copies(ev.articles, ev.config.wire_copy_run_words, ev.config.wire_copy_min_runs)
    out = Output()
    for comp in COMPARATORS:
        if comp.scope == "event":
            out += _as_output(comp.fn(ev))
        else:
            for cl in clusters:
                out += _as_output(comp.fn(ev, cl))
    unique: dict[str, Finding] = {}
    for f in out.findings:
        unique.setdefault(f.id, f)
    ordered = sorted(unique.values(), key=lambda f: (ORDER[f.severity], f.kind, f.id))
    agreements, singles = corroborate(ev, clusters, ordered)
    facts = {f.id: f for f in out.facts}
    return Comparison(
        facts=tuple(sorted(facts.values(), key=lambda f: (f.kind, f.status != "disputed", f.key))),
        findings=tuple(ordered),
        agreements=tuple(agreements),
        single_source=tuple(singles),
        copies={k: tuple(sorted(v)) for k, v in sorted(ev.copies.items())},
    )
