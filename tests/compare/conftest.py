"""Build a small event from hand-written texts with the real parse and a fake embedder."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.compare import Event, compare_event
from factcheck.compare.statements import quote_segments
from factcheck.config import DEFAULT
from factcheck.extract import extract_doc
from factcheck.models import Article, Comparison


def parsed(aid: str, text: str, published: dt.date | None = None, outlet: str | None = None):
    """One article's claims from ``text`` (first line a headline when followed by a blank line)."""
    from factcheck.nlp import get_nlp

    headline = None
    if "\n\n" in text:
        from factcheck.models import Span

        first = text.split("\n\n", 1)[0]
        headline = Span(start=0, end=len(first))
    art = Article(id=aid, path=f"{aid}.txt", text=text, published=published, outlet=outlet, headline=headline)
    return extract_doc(art, get_nlp()(text), min_words=3)


def make_event(texts: dict[str, str], embedder, published: dict[str, dt.date] | None = None) -> Event:
    """An ``Event`` over ``{article id: text}``; claim and quote vectors from ``embedder``."""
    published = published or {}
    acs = {aid: parsed(aid, t, published.get(aid)) for aid, t in texts.items()}
    claim_vecs, quote_vecs = {}, {}
    for aid, ac in acs.items():
        for c in ac.claims:
            claim_vecs[c.id] = embedder.vector(c.text)
        for q in ac.quotes:
            quote_vecs[(aid, q.span.start)] = embedder.vector(q.text)
            for sg in quote_segments(aid, q):
                quote_vecs[(aid, sg.start, sg.end)] = embedder.vector(sg.text)
    return Event(articles=acs, claim_vecs=claim_vecs, quote_vecs=quote_vecs, config=DEFAULT)


@pytest.fixture
def compare(fake_embedder):
    """The whole comparator over hand-written articles (no clusters: the event-wide rules)."""

    def run(texts: dict[str, str], published: dict[str, dt.date] | None = None) -> Comparison:
        return compare_event(make_event(texts, fake_embedder, published), clusters=[])

    return run
