"""What every comparator reads about one event, and how findings and facts get their ids."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np

from ..config import Config
from ..identity import AliasIndex
from ..models import ArticleClaims, Claim, Evidence, Finding

LineLookup = Callable[[str, int], "int | None"]
# A quote vector's key: a quote's (article id, start) or a quote segment's (article id, start, end).
QuoteKey = tuple[str, int] | tuple[str, int, int]


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def content_id(prefix: str, kind: str, texts: Iterable[str], key: str = "") -> str:
    """A stable id from content only: the kind, the fact's key and the normalised texts.

    Article ids (file names), offsets and input order are left out on
    purpose: renaming a file, re-cleaning that shifts a paragraph or a new
    order of inputs keeps every id, so review decisions stay attached.
    """
    parts = sorted(_norm(t) for t in texts)
    payload = "\x1e".join([kind, key, *parts])
    return f"{prefix}-" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:10]


def finding_id(kind: str, evidence: Iterable[Evidence], key: str = "") -> str:
    """``F-`` + hash of the kind, the fact key and the evidence texts (never the file names)."""
    return content_id("F", kind, (e.text for e in evidence), key)


@dataclass
class Event:
    """Everything the comparators need about one group of articles."""

    articles: dict[str, ArticleClaims]
    claim_vecs: dict[str, np.ndarray]
    quote_vecs: dict[QuoteKey, np.ndarray]
    config: Config
    line_of: LineLookup = lambda article_id, offset: None
    copies: dict[str, set[str]] = field(default_factory=dict)
    # Intermediate results several comparators read (e.g. the figure slots).
    memo: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.claims: dict[str, Claim] = {c.id: c for ac in self.articles.values() for c in ac.claims}
        # Headlines are title-cased: the small model's entities there are
        # unreliable ("Trump Says" as a person), so names come from the body.
        self.alias = AliasIndex.build(
            e for ac in self.articles.values() for c in ac.claims if not c.headline for e in c.entities
        )

    def name(self, article_id: str) -> str:
        """How the report names an article: its outlet when known, else its id."""
        art = self.articles[article_id].article
        return art.outlet or article_id

    def evidence(self, article_id: str, start: int, end: int, role: str | None = None) -> Evidence:
        ac = self.articles[article_id]
        return Evidence(
            article_id=article_id,
            path=ac.article.path,
            start=start,
            end=end,
            text=ac.article.text[start:end],
            line=self.line_of(article_id, start),
            role=role,
        )

    def claim_evidence(self, claim: Claim, role: str | None = None) -> Evidence:
        return self.evidence(claim.article_id, claim.span.start, claim.span.end, role)

    def claim_of(self, article_id: str, offset: int) -> Claim | None:
        for c in self.articles[article_id].claims:
            if c.span.start <= offset < c.span.end:
                return c
        return None

    def same_news_cycle(self, a: str, b: str) -> bool:
        """False when both articles are dated and far apart: facts change over time."""
        pa = self.articles[a].article.published
        pb = self.articles[b].article.published
        return pa is None or pb is None or abs((pa - pb).days) <= self.config.news_cycle_days

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.claim_vecs.get(a), self.claim_vecs.get(b)
        if va is None or vb is None:
            return 0.0
        return float(np.dot(va, vb))


def make_finding(
    kind, severity, summary, evidence, cluster_id=None, detail=None, key: str = "", fact_id: str | None = None
) -> Finding:
    ev = tuple(evidence)
    return Finding(
        id=finding_id(kind, ev, key),
        kind=kind,
        severity=severity,
        summary=summary,
        evidence=ev,
        cluster_id=cluster_id,
        fact_id=fact_id,
        detail=detail or {},
    )
