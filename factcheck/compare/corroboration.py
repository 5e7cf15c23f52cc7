"""Corroboration: wire copies, agreements, single-outlet claims."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations
from typing import Iterable, Sequence

from ..models import Agreement, ArticleClaims, Cluster, Finding, SingleSource
from .event import Event


def _unquoted(ac: ArticleClaims) -> str:
    """Article text with direct quotes blanked out.

    Two outlets quoting the same statement verbatim is good reporting, not
    wire copy; only the reporters' own words count as copied text.
    """
    text = list(ac.article.text)
    for q in ac.quotes:
        text[q.span.start : q.span.end] = " " * (q.span.end - q.span.start)
    return "".join(text)


def wire_copies(articles: dict[str, ArticleClaims], run_words: int, min_runs: int) -> dict[str, set[str]]:
    """Articles sharing ``min_runs`` or more word runs of ``run_words`` words outside quotes.

    An inverted index over hashed n-grams keeps this linear in corpus size.
    ``min_runs`` counts shared n-grams, so it is a number of copied words
    beyond the first run: 20 means a copied passage of about 30 words.
    """
    index: dict[str, set[str]] = defaultdict(set)
    for aid, ac in articles.items():
        words = re.findall(r"\w+", _unquoted(ac).lower())
        for i in range(0, max(0, len(words) - run_words + 1)):
            index[" ".join(words[i : i + run_words])].add(aid)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for aids in index.values():
        if 1 < len(aids) <= 20:
            for a, b in combinations(sorted(aids), 2):
                shared[(a, b)] += 1
    copies: dict[str, set[str]] = defaultdict(set)
    for (a, b), n in shared.items():
        if n >= min_runs:
            copies[a].add(b)
            copies[b].add(a)
    return dict(copies)


def independent_count(article_ids: Iterable[str], copies: dict[str, set[str]]) -> int:
    """Number of independent sources: wire copies are merged into one."""
    ids = sorted(set(article_ids))
    parent = {a: a for a in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in ids:
        for b in copies.get(a, ()):
            if b in parent:
                parent[find(a)] = find(b)
    return len({find(a) for a in ids})


def corroborate(
    ev: Event, clusters: Sequence[Cluster], findings: Sequence[Finding]
) -> tuple[list[Agreement], list[SingleSource]]:
    disputed: dict[str, set[str]] = defaultdict(set)  # claim id -> articles in conflict
    for f in findings:
        if f.kind == "name_inconsistency":
            continue
        for e in f.evidence:
            c = ev.claim_of(e.article_id, e.start)
            if c:
                disputed[c.id].add(e.article_id)
    all_articles = sorted(ev.articles)
    agreements: list[Agreement] = []
    singles: list[SingleSource] = []
    for cl in clusters:
        claims = [ev.claims[c] for c in cl.claim_ids]
        arts = sorted({c.article_id for c in claims})
        if len(arts) == 1:
            for c in claims:
                if len(c.text.split()) >= ev.config.min_claim_words:
                    singles.append(SingleSource(claim_id=c.id, article_id=c.article_id, evidence=ev.claim_evidence(c)))
            continue
        contra = {a for c in claims for a in disputed.get(c.id, ())}
        indep = independent_count(arts, ev.copies)
        verdict = "disputed" if contra else ("corroborated" if indep >= 2 else "single-source")
        per_outlet = {
            a: ("contradicts" if a in contra else "supports" if a in arts else "silent") for a in all_articles
        }
        rep = min(claims, key=lambda c: (c.article_id, c.index))
        note = None
        if indep < len(arts):
            note = f"{len(arts)} outlets, {indep} independent: some share long word runs (wire copy)"
        agreements.append(
            Agreement(
                cluster_id=cl.id,
                summary=rep.text,
                article_ids=tuple(arts),
                independent_sources=indep,
                verdict=verdict,
                evidence=tuple(ev.claim_evidence(c) for c in sorted(claims, key=lambda c: c.id)),
                per_outlet=per_outlet,
                note=note,
            )
        )
    return agreements, singles
