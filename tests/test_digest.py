"""Single-outlet claims: echoes are other articles of the same event with a close sentence."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.config import DEFAULT
from factcheck.digest import single_outlet
from factcheck.models import Article, ArticleClaims, Claim, Evidence, SingleSource, Span


def _ac(aid: str, text: str) -> ArticleClaims:
    art = Article(id=aid, path=f"{aid}.txt", text=text)
    return ArticleClaims(
        article=art,
        claims=(Claim(id=f"{aid}:1", article_id=aid, index=1, span=Span(start=0, end=len(text)), text=text),),
    )


def _single(ac: ArticleClaims) -> SingleSource:
    c = ac.claims[0]
    return SingleSource(
        claim_id=c.id,
        article_id=c.article_id,
        evidence=Evidence(article_id=c.article_id, path=ac.article.path, start=0, end=len(c.text), text=c.text),
    )


SAME = np.array([1.0, 0.0], dtype=np.float32)
OTHER = np.array([0.0, 1.0], dtype=np.float32)


@pytest.mark.parametrize(
    "event_of, echoed",
    [
        # one event: the close sentence in b echoes a's claim; c says something else
        ({"a": 0, "b": 0, "c": 0}, ("b",)),
        # b is another event (another story): its close sentence is no echo
        ({"a": 0, "b": 1, "c": 0}, ()),
        # no events given: all articles are one event, as before
        (None, ("b",)),
    ],
)
def test_digest_echoes_stay_inside_the_event(event_of, echoed):
    acs = [
        _ac("a", "The ferry sank on Monday."),
        _ac("b", "The ferry went down on Monday."),
        _ac("c", "Rescuers searched the coast."),
    ]
    vecs = {"a:1": SAME, "b:1": SAME, "c:1": OTHER}
    (got,) = single_outlet([_single(acs[0])], acs, vecs, DEFAULT, event_of)
    assert got.echoed_by == echoed
