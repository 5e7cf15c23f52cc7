"""Dates of happenings: the same event dated differently by two outlets."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable

from ..extract.dates import WEEKDAYS, date_relation
from ..identity import speaker_keys
from ..models import Claim, Cluster, DateMention, Fact, FactVersion, Finding
from .event import Event, content_id, make_finding
from .registry import Output, comparator


def _pairs(ev: Event, cluster: Cluster) -> Iterable[tuple[Claim, Claim]]:
    claims = [ev.claims[c] for c in cluster.claim_ids]
    for a, b in combinations(claims, 2):
        if a.article_id != b.article_id:
            yield (a, b) if a.article_id < b.article_id else (b, a)


def _source_keys(ev: Event, attribution: str | None) -> frozenset[str]:
    """Identity keys of a claim's reported-speech source (empty when unknown or unresolvable)."""
    if not attribution:
        return frozenset()
    keys, _ = speaker_keys(attribution, ev.alias.resolve(attribution))
    return keys


def different_sources(ev: Event, a: Claim, b: Claim) -> bool:
    """Both claims credit a known source, and the two sources are not the same person or body.

    "The Pentagon said Monday" and "the State Department said Tuesday" date two
    statements, not one; an unknown or pronoun source is never "different".
    """
    ka, kb = _source_keys(ev, a.attribution), _source_keys(ev, b.attribution)
    return bool(ka and kb and not ka & kb)


@comparator(
    "statement_dates",
    scope="cluster",
    rules=(
        ("date_conflict", "medium", "one statement dated to disjoint days by two outlets (same source, same cluster)"),
    ),
)
def compare_dates(ev: Event, cluster: Cluster) -> list[Finding]:
    """Dates of one statement that cannot both hold, inside a cluster of claims telling the same fact.

    Every reporting verb shares the one "statement" role, so statement dates
    are compared only when the two claims do not credit different sources.
    Dates of happenings are compared across the whole event by
    ``compare_happenings``.
    """
    clashes: list[tuple[Claim, DateMention, Claim, DateMention]] = []
    for a, b in _pairs(ev, cluster):
        for da in a.dates:
            for db in b.dates:
                if da.role != "statement" or db.role != "statement":
                    continue
                if different_sources(ev, a, b):
                    continue
                if date_relation(da, db) == "conflict":
                    clashes.append((a, da, b, db))
    if not clashes:
        return []
    # One finding per statement: every outlet's date for it.
    involved: dict[tuple[str, int], tuple[Claim, DateMention]] = {}
    for a, da, b, db in clashes:
        involved.setdefault((a.id, da.span.start), (a, da))
        involved.setdefault((b.id, db.span.start), (b, db))
    items = sorted(involved.values(), key=lambda x: (x[0].article_id, x[1].span.start))
    versions = "; ".join(f"{ev.name(c.article_id)} says “{d.text}” ({d.value})" for c, d in items)
    return [
        make_finding(
            "date_conflict",
            "medium",
            f"The same statement dated differently: {versions}.",
            [ev.claim_evidence(c, f"date: {d.text} = {d.value}") for c, d in items],
            cluster_id=cluster.id,
            key="statement-date",
        )
    ]


# ------------------------------------------------------------------ happenings across the event

# Parts of a day as hour ranges (24 h; night runs past midnight).
DAY_PARTS: dict[str, tuple[int, int]] = {
    "morning": (5, 12),
    "afternoon": (12, 18),
    "evening": (17, 23),
    "night": (20, 29),
    "tonight": (18, 29),
    "midday": (11, 14),
    "noon": (11, 14),
    "dawn": (4, 7),
    "midnight": (23, 25),
    "overnight": (20, 31),
}
_LATE = (18, 29)
_EARLY = (0, 10)
# Verbs of no happening of their own: their dates say nothing comparable.
_NO_HAPPENING = frozenset(
    {
        "statement",
        "be",
        "have",
        "do",
        "make",
        "take",
        "get",
        "go",
        "come",
        "continue",
        "begin",
        "become",
        "remain",
        "see",
        "expect",
    }
)


def day_part(text: str, d: DateMention) -> tuple[int, int] | None:
    """The hours a date mention allows from the words in and around it ("late on Tuesday", "Tuesday afternoon")."""
    window = text[max(0, d.span.start - 12) : d.span.end + 14].lower()
    inner = d.text.lower()
    hours = None
    for word, rng in DAY_PARTS.items():
        if re.search(rf"\b{word}\b", inner) or re.search(rf"{re.escape(inner)}\s+{word}\b", window):
            hours = rng
            break
    if re.search(r"\blate\b(?:\s+on)?\s*$", text[max(0, d.span.start - 9) : d.span.start].lower()) or inner.startswith(
        "late "
    ):
        hours = _LATE if hours is None else (max(hours[0], _LATE[0]), hours[1])
    elif re.search(
        r"\bearly\b(?:\s+on)?\s*$", text[max(0, d.span.start - 10) : d.span.start].lower()
    ) or inner.startswith("early "):
        hours = _EARLY if hours is None else (hours[0], min(hours[1], max(_EARLY[1], hours[0] + 1)))
    return hours


def _weekday(d: DateMention) -> str | None:
    names = [w for w in WEEKDAYS if re.search(rf"\b{w}\b", d.text.lower())]
    return names[0] if len(names) == 1 else None


@dataclass(frozen=True)
class _Dated:
    claim: Claim
    date: DateMention
    subject: frozenset[str]
    hours: tuple[int, int] | None


def _subject(claim: Claim, verb: str) -> frozenset[str]:
    """The participants of a claim: its content nouns and verbs, the happening's verb left out.

    Subject alone would miss the passive ("the boat was spotted by a plane" /
    "a plane spotted the boat"); the claim's content words catch both.
    """
    if claim.syntax is None:
        return frozenset()
    return frozenset(claim.syntax.content) - {verb}


def _conflict(a: _Dated, b: _Dated) -> str | None:
    """Why two dates of one happening cannot both hold, or None."""
    rel = date_relation(a.date, b.date)
    if rel == "conflict":
        return f"“{a.date.text}” ({a.date.value}) against “{b.date.text}” ({b.date.value})"
    same_day = rel == "same" or (rel == "unknown" and _weekday(a.date) and _weekday(a.date) == _weekday(b.date))
    if same_day and a.hours and b.hours and (a.hours[1] <= b.hours[0] or b.hours[1] <= a.hours[0]):
        return f"“{_phrase(a)}” against “{_phrase(b)}”: the same day, different times of day"
    return None


def _phrase(x: _Dated) -> str:
    return x.date.text


@comparator(
    "happenings",
    rules=(
        (
            "date_conflict",
            "medium",
            "one happening (same verb, same participants) dated to disjoint days across the event",
        ),
        (
            "date_conflict",
            "low",
            'one happening put at different times of the same day ("late on Tuesday" vs "Tuesday afternoon")',
        ),
    ),
)
def compare_happenings(ev: Event) -> Output:
    """Dates of happenings compared across the whole event, one finding per happening.

    A happening is a verb with its participants ("the boat was spotted",
    "the quake struck"): two dates belong to one happening when they hang off
    the same verb and the verbs' subjects share a word (or one has none). Dates
    are compared after normalising each against its article's publication
    date; undated articles' weekdays stay unresolved, and then only the same
    weekday at disjoint times of day is a conflict. Statement dates are left
    to ``compare_dates`` (they need the same source).
    """
    out = Output()
    by_role: dict[str, list[_Dated]] = defaultdict(list)
    for cid in sorted(ev.claims):
        c = ev.claims[cid]
        text = ev.articles[c.article_id].article.text
        for d in c.dates:
            if (
                not d.role
                or d.role in _NO_HAPPENING
                or d.granularity == "unknown"
                and d.value is None
                and not _weekday(d)
            ):
                continue
            if d.granularity in {"year", "range"}:
                continue  # "in 1961", "since 1959": background history, not the event's own happenings
            by_role[d.role].append(_Dated(c, d, _subject(c, d.role), day_part(text, d)))
    for role in sorted(by_role):
        items = by_role[role]
        clashes = []
        for a, b in combinations(items, 2):
            if a.claim.article_id == b.claim.article_id:
                continue
            if a.subject and b.subject and len(a.subject & b.subject) < ev.config.happening_min_shared_words:
                continue  # the same verb for two different happenings
            why = _conflict(a, b)
            if why:
                clashes.append((a, b, why))
        versions = [
            FactVersion(
                article_id=x.claim.article_id,
                evidence=ev.claim_evidence(x.claim, f"date: {x.date.text}"),
                text=x.date.text,
                relation="date",
                time=x.date.value,
                published=ev.articles[x.claim.article_id].article.published,
            )
            for x in items
        ]
        key = f"happening:{role}"
        fact_id = content_id("K", "happening", (v.evidence.text for v in versions), key)
        finding_ids = []
        if clashes:
            involved: dict[tuple[str, int], _Dated] = {}
            for a, b, _ in clashes:
                for x in (a, b):
                    involved.setdefault((x.claim.id, x.date.span.start), x)
            low = all("time of day" in w or "times of day" in w for _, _, w in clashes)
            f = make_finding(
                "date_conflict",
                "low" if low else "medium",
                f"When did it happen ({role})? "
                + "; ".join(f"{ev.name(x.claim.article_id)}: “{x.date.text}”" for x in involved.values())
                + f" — {clashes[0][2]}.",
                [ev.claim_evidence(x.claim, f"date: {x.date.text}") for x in involved.values()],
                detail={"happening": role},
                key=key,
                fact_id=fact_id,
            )
            out.findings.append(f)
            finding_ids.append(f.id)
        articles = {x.claim.article_id for x in items}
        out.facts.append(
            Fact(
                id=fact_id,
                kind="happening",
                key=key,
                label=role,
                status="disputed" if finding_ids else ("agreed" if len(articles) > 1 else "single"),
                versions=tuple(versions),
                finding_ids=tuple(finding_ids),
            )
        )
    return out
