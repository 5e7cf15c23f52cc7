"""What an editor needs from the single-outlet claims: the ones worth a call, and none that others carry.

The comparator lists every claim no cluster shares with another outlet. Read
as "claims only one outlet makes" that list misleads: clustering is tuned for
precision (a finding must never rest on a loose cluster), so a fact five
outlets word five ways can land in five one-outlet clusters. Here each such
claim gets

* ``echoed_by``: the other articles with a sentence at least
  ``Config.single_source_echo_cosine`` close to it. Saying a claim is *not*
  one outlet's alone needs recall, not precision, hence a looser threshold
  than clustering's;
* ``why``: what makes it worth checking: a figure, a date, a direct quote or
  a named source. A claim with none of these (analysis, background) is kept
  in the JSON but not listed for the editor.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

import numpy as np

from .config import Config
from .models import ArticleClaims, Claim, SingleSource

_NAMED = re.compile(r"\b[A-Z][a-z]")


def why_notable(claim: Claim, figures: Sequence) -> tuple[str, ...]:
    """The reasons a claim is worth an editor's check, in a fixed order."""
    out = []
    # A quantity with a known measure (a toll, a magnitude) or a unit; "two
    # countries" is a number but no figure to check.
    has_figure = any(claim.span.start <= f.span.start < claim.span.end for f in figures) or any(
        not n.is_year and n.unit for n in claim.numbers
    )
    if has_figure:
        out.append("figure")
    if claim.dates:
        out.append("date")
    if claim.quotes:
        out.append("quote")
    if claim.attribution and _NAMED.search(claim.attribution):
        out.append("named source")
    return tuple(out)


def single_outlet(
    singles: Sequence[SingleSource],
    results: Sequence[ArticleClaims],
    claim_vecs: Mapping[str, np.ndarray],
    config: Config,
    event_of: Mapping[str, int] | None = None,
) -> list[SingleSource]:
    """``singles`` with ``why`` and ``echoed_by`` filled in (same order).

    With ``event_of`` (article id -> event), a claim's echoes are looked for
    in the articles of its own event only: other events are other stories,
    and comparing every single claim with every claim of the corpus grew as
    the square of the corpus (10,000 articles: 650 s). Without it, all
    articles form one event.
    """
    claims = {c.id: c for ac in results for c in ac.claims}
    figures = {ac.article.id: ac.figures for ac in results}
    members: dict[int, list[Claim]] = {}
    for ac in results:
        k = event_of.get(ac.article.id, -1) if event_of is not None else 0
        members.setdefault(k, []).extend(c for c in ac.claims if c.id in claim_vecs)
    # One matrix per event, made when a single claim of that event first needs it.
    mats: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def matrix(k: int) -> tuple[np.ndarray, np.ndarray] | None:
        others = members.get(k)
        if not others:
            return None
        if k not in mats:
            mats[k] = (np.stack([claim_vecs[c.id] for c in others]), np.array([c.article_id for c in others]))
        return mats[k]

    out = []
    for s in singles:
        c = claims.get(s.claim_id)
        if c is None:
            out.append(s)
            continue
        echoed: tuple[str, ...] = ()
        k = event_of.get(c.article_id, -1) if event_of is not None else 0
        found = matrix(k) if c.id in claim_vecs else None
        if found is not None:
            mat, owners = found
            sims = mat @ claim_vecs[c.id]
            hit = (sims >= config.single_source_echo_cosine) & (owners != c.article_id)
            echoed = tuple(sorted(set(owners[hit].tolist())))
        out.append(s.model_copy(update={"why": why_notable(c, figures.get(c.article_id, ())), "echoed_by": echoed}))
    return out
