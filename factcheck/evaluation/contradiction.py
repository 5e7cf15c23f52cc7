"""Score the comparator's contradiction detection on public NLI pairs.

Each pair becomes two one-sentence articles that are put in one cluster (NLI
pairs are about the same thing by construction); the comparator runs exactly
as in ``factcheck check``. A pair is predicted "contradiction" when the
comparator raises a contradiction, date conflict or number conflict.
Breaking NLI is 87% contradiction, so accuracy alone says little: we report
contradiction precision/recall per source and focus.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from ..compare import Event, compare_event
from ..config import DEFAULT
from ..extract import extract_doc
from ..models import Article, Cluster
from .scoring import confusion_scores

CONFLICT_KINDS = {"contradiction", "date_conflict", "number_conflict"}


def predict_pairs(pairs: list[tuple[str, str]], embedder) -> list[bool]:
    """True where the comparator flags a conflict between premise and hypothesis."""
    from ..nlp import get_nlp

    nlp = get_nlp()
    texts = [t for pair in pairs for t in pair]
    docs = list(nlp.pipe(texts, batch_size=256))
    vecs = embedder.embed(texts)
    out = []
    for i, _ in enumerate(pairs):
        acs = {}
        claim_vecs = {}
        for j, aid in enumerate(("premise", "hypothesis")):
            doc = docs[2 * i + j]
            art = Article(id=aid, path=aid, text=doc.text)
            # min_words=1: NLI sentences are short but are full claims.
            ac = extract_doc(art, doc, min_words=1)
            acs[aid] = ac
            for c in ac.claims:
                claim_vecs[c.id] = vecs[2 * i + j]
        claims = [c for ac in acs.values() for c in ac.claims]
        if len(acs["premise"].claims) == 0 or len(acs["hypothesis"].claims) == 0:
            out.append(False)
            continue
        cluster = Cluster(id="pair", claim_ids=tuple(c.id for c in claims), article_ids=("hypothesis", "premise"))
        ev = Event(articles=acs, claim_vecs=claim_vecs, quote_vecs={}, config=DEFAULT)
        findings = compare_event(ev, [cluster]).findings
        out.append(any(f.kind in CONFLICT_KINDS for f in findings))
    return out


def run(data_dir: Path, embedder=None, limit: int | None = None) -> dict:
    path = Path(data_dir) / "nli_contradiction" / "pairs_all.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    if limit:
        rows = rows[:limit]
    if embedder is None:
        from ..pipeline import make_embedder

        embedder = make_embedder()
    preds = predict_pairs([(r["premise"], r["hypothesis"]) for r in rows], embedder)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r, pred in zip(rows, preds):
        gold = r["label"] == "contradiction"
        idx = 0 if gold and pred else 1 if pred else 2 if gold else 3
        for key in ("all", r["source"], f"{r['source']}/{r.get('focus', 'other')}"):
            counts[key][idx] += 1
    return {key: confusion_scores(*c) for key, c in sorted(counts.items())}
