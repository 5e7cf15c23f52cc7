"""How much the cleaner keeps, and what it drops.

Two measurements, both through the real ``load``/``clean`` code paths:

* the seed articles in ``seeds/`` (web-page copies with share buttons, forum
  comments, teasers): paragraph lines kept and dropped, by reason;
* the real articles in ``multisource_news/clusters.jsonl`` (NewsWCL50, BASIL,
  AllSides excerpts: mostly clean publisher text, so nearly every drop there is
  a line a reviewer should look at): the fraction of sentences kept and the drop
  reasons, plus a fixed random sample of drops for judging by hand.

Sentences are counted with a simple punctuation splitter, not spaCy: the
figure compares raw and cleaned text of the same article, so a consistent
splitter is enough and keeps the run to seconds.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from factcheck.clean import clean
from factcheck.errors import InputError
from factcheck.evaluation import default_data_dir
from factcheck.load import load_paths, record_to_raw

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
SAMPLE_SIZE = 20


def _sentences(text: str) -> list[str]:
    return [s for para in text.split("\n") for s in _SENTENCE_END.split(para) if s.strip()]


def _reason(note: str) -> str:
    """'line 3: share buttons ('...')' -> 'share buttons'."""
    return note.split(": ", 1)[1].split(" (", 1)[0] if ": " in note else note


def seeds_report(seeds_dir: Path = SEEDS) -> dict[str, Any]:
    """Lines kept and dropped per seed article, with drop reasons."""
    out: dict[str, Any] = {}
    for raw in load_paths([seeds_dir]):
        article = clean(raw)
        lines = [ln for ln in raw.text.split("\n") if ln.strip()]
        kept = article.text.count("\n\n") + 1
        out[raw.id] = {
            "lines": len(lines),
            "kept": kept,
            "dropped": len(lines) - kept,
            "reasons": dict(Counter(_reason(n) for n in article.removed)),
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "outlet": article.outlet,
            "dateline": article.dateline,
        }
    return out


def multisource_report(path: Path, sample_size: int = SAMPLE_SIZE, seed: int = 0) -> dict[str, Any]:
    """Sentence keep rate and drop reasons on real publisher text (JSON records)."""
    raw_sentences = kept_sentences = articles = failed = 0
    reasons: Counter[str] = Counter()
    per_source: dict[str, list[int]] = {}
    dropped_notes: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            cluster = json.loads(line)
            for k, record in enumerate(cluster["articles"]):
                doc_id = f"{cluster['cluster_id']}-{k}"
                raw = record_to_raw(record, doc_id=doc_id, path=str(path), where=f"{path} line {line_no}")
                articles += 1
                try:
                    article = clean(raw)
                except InputError:
                    failed += 1
                    continue
                n_raw, n_kept = len(_sentences(raw.text)), len(_sentences(article.text))
                raw_sentences += n_raw
                kept_sentences += n_kept
                counts = per_source.setdefault(cluster["source"], [0, 0])
                counts[0] += n_raw
                counts[1] += n_kept
                for note in article.removed:
                    reasons[_reason(note)] += 1
                    dropped_notes.append((doc_id, note))
    sample = random.Random(seed).sample(dropped_notes, min(sample_size, len(dropped_notes)))
    return {
        "articles": articles,
        "articles_failed": failed,
        "sentences_raw": raw_sentences,
        "sentences_kept": kept_sentences,
        "kept_fraction": round(kept_sentences / raw_sentences, 4) if raw_sentences else None,
        "kept_fraction_by_source": {s: round(k / r, 4) if r else None for s, (r, k) in per_source.items()},
        "drop_reasons": dict(reasons.most_common()),
        "sample_for_hand_review": [f"{doc}: {note}" for doc, note in sorted(sample)],
    }


def run(data_dir: Path) -> dict[str, Any]:
    """Cleaner figures on the seeds and, when present, the multi-source news set."""
    result: dict[str, Any] = {"seeds": seeds_report() if SEEDS.exists() else None}
    clusters = Path(data_dir) / "multisource_news" / "clusters.jsonl"
    result["multisource_news"] = multisource_report(clusters) if clusters.exists() else None
    return result


if __name__ == "__main__":
    import sys

    print(json.dumps(run(Path(sys.argv[1]) if len(sys.argv) > 1 else default_data_dir()), indent=2, ensure_ascii=False))
