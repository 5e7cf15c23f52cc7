"""Direct-quote extraction and speaker attribution scored on PolNeAR (test split).

Gold: PolNeAR attributions flagged ``is_direct_quote``. Their content spans
cover the attributed content, which for partial quotes includes unquoted words
("remained “tight,” with ..."), and may or may not include the marks. Each
content span is reduced to the stretches *inside* its double quotation marks
(the same unit ``extract_quotes`` returns); a span with no mark in it yields
no unit. Units are compared after trimming whitespace and punctuation at both
ends.

Speaker accuracy is measured on matched quotes: a predicted speaker is right
when its span overlaps a gold speaker span of an attribution containing the
quote, or its canonical name occurs in a gold speaker text ("Ana Cruz" in
"Ana Cruz, former head of ..."). PolNeAR speakers
are spans, not resolved names: a pronoun speaker ("he said") is right when it
overlaps the gold "he", or when its resolved name occurs in the gold speaker
text (gold "Mook" for our "he" resolved to "Mook"); a missing speaker is wrong.

PolNeAR here is a test split only. Rules were tuned on the ``dev`` half
(documents at even positions in sorted id order) and are reported on the
``heldout`` half (odd positions) as well as on all documents.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..extract.quotes import extract_quotes
from ..models import Quote
from ..nlp import get_nlp
from . import default_data_dir, scoring

_DOUBLE_OPEN = "\u201c\u201e"
_DOUBLE_CLOSE = "\u201d"
_MARKS = _DOUBLE_OPEN + _DOUBLE_CLOSE + '"'
_EDGE = " \t\n,.;:!?\"'\u201c\u201d\u2018\u2019()[]\u2014\u2013-"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def gold_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches inside double quotation marks within one gold content span (untrimmed)."""
    lo = start - 1 if start > 0 and text[start - 1] in _MARKS else start
    hi = end + 1 if end < len(text) and text[end] in _MARKS else end
    units: list[tuple[int, int]] = []
    open_at: int | None = None
    for i in range(lo, hi):
        ch = text[i]
        if ch not in _MARKS:
            continue
        if ch in _DOUBLE_OPEN:
            role = "open"
        elif ch in _DOUBLE_CLOSE:
            role = "close"
        else:  # straight: alternate, starting with an opener
            role = "close" if open_at is not None else "open"
        if role == "open":
            open_at = i
        else:
            units.append((open_at + 1 if open_at is not None else start, i))
            open_at = None
    if open_at is not None:
        units.append((open_at + 1, end))
    return units


def _load(data_dir: Path) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    folder = data_dir / "polnear"
    docs_path, quotes_path = folder / "documents.jsonl", folder / "quotes.jsonl"
    for p in (docs_path, quotes_path):
        if not p.exists():
            raise InputError(str(p), "PolNeAR file not found", "point data_dir at ../shared/data")
    docs = [json.loads(line) for line in docs_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for line in quotes_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row.get("is_direct_quote"):
                by_doc.setdefault(row["doc"], []).append(row)
    return docs, by_doc


def _gold_for_doc(text: str, rows: list[dict[str, Any]]) -> dict[tuple[int, int], dict[str, Any]]:
    """Trimmed gold quote span -> {speaker spans, speaker texts}."""
    gold: dict[tuple[int, int], dict[str, Any]] = {}
    for row in rows:
        for s, e in row["content_spans"]:
            for us, ue in gold_units(text, s, e):
                key = _trim(text, us, ue)
                if key[0] >= key[1]:
                    continue
                g = gold.setdefault(key, {"speaker_spans": [], "speakers": set()})
                g["speaker_spans"].extend(tuple(x) for x in row.get("speaker_spans") or [])
                if row.get("speaker"):
                    g["speakers"].add(_canon(row["speaker"]))
    return gold


def _canon(s: str) -> str:
    s = s.strip().strip(",").casefold()
    return s[4:] if s.startswith("the ") else s


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _speaker_right(q: Quote, g: dict[str, Any]) -> bool:
    if q.speaker_span is not None:
        sp = (q.speaker_span.start, q.speaker_span.end)
        if any(_overlap(sp, tuple(gs)) > 0 for gs in g["speaker_spans"]):
            return True
    # A resolved name (pronouns included) is right when a gold speaker text names it.
    return q.speaker_canonical is not None and any(_canon(q.speaker_canonical) in gs for gs in g["speakers"])


def _score_doc(text: str, quotes: list[Quote], gold: dict[tuple[int, int], dict[str, Any]]) -> dict[str, Any]:
    pred = [(_trim(text, q.span.start, q.span.end), q) for q in quotes]
    pred = [(k, q) for k, q in pred if k[0] < k[1]]
    out: dict[str, Any] = {"pred": len(pred), "gold": len(gold), "errors": []}
    exact = [(k, q) for k, q in pred if k in gold]
    out["exact_tp"] = len(exact)
    # Relaxed: overlap >= 50% of the longer span, one-to-one, greedy by overlap.
    cand = []
    for i, (k, _) in enumerate(pred):
        for gk in gold:
            ov = _overlap(k, gk)
            if ov and ov >= 0.5 * max(k[1] - k[0], gk[1] - gk[0]):
                cand.append((ov, i, gk))
    used_p, used_g, matched = set(), set(), []
    for _ov, i, gk in sorted(cand, reverse=True):
        if i not in used_p and gk not in used_g:
            used_p.add(i)
            used_g.add(gk)
            matched.append((pred[i][1], gold[gk], gk))
    out["relaxed_tp"] = len(matched)
    out["speaker_n"] = len(matched)
    out["speaker_right"] = 0
    out["speaker_found"] = 0
    out["speaker_span_right"] = 0
    for q, g, gk in matched:
        ok = _speaker_right(q, g)
        out["speaker_span_right"] += q.speaker_span is not None and any(
            _overlap((q.speaker_span.start, q.speaker_span.end), tuple(gs)) > 0 for gs in g["speaker_spans"]
        )
        out["speaker_right"] += ok
        out["speaker_found"] += q.speaker is not None
        if not ok:
            gs = [text[a:b] for a, b in g["speaker_spans"]]
            out["errors"].append(("speaker", text[gk[0] : gk[1]][:60], q.speaker, gs))
    for i, (k, q) in enumerate(pred):
        if i not in used_p:
            out["errors"].append(("fp", text[k[0] : k[1]][:80], q.speaker, None))
    for gk in gold:
        if gk not in used_g:
            out["errors"].append(("fn", text[gk[0] : gk[1]][:80], None, None))
    return out


def _aggregate(results: list[dict[str, Any]]) -> dict[str, Any]:
    tot = {
        k: sum(r[k] for r in results)
        for k in (
            "pred",
            "gold",
            "exact_tp",
            "relaxed_tp",
            "speaker_n",
            "speaker_right",
            "speaker_found",
            "speaker_span_right",
        )
    }
    return {
        "documents": len(results),
        "predicted": tot["pred"],
        "gold": tot["gold"],
        "exact": scoring.prf(tot["exact_tp"], tot["pred"], tot["gold"]),
        "relaxed": scoring.prf(tot["relaxed_tp"], tot["pred"], tot["gold"]),
        "speaker_accuracy": round(tot["speaker_right"] / tot["speaker_n"], 4) if tot["speaker_n"] else 0.0,
        # Span overlap only (no credit for resolved names).
        "speaker_span_accuracy": round(tot["speaker_span_right"] / tot["speaker_n"], 4) if tot["speaker_n"] else 0.0,
        "speaker_found_rate": round(tot["speaker_found"] / tot["speaker_n"], 4) if tot["speaker_n"] else 0.0,
        "matched_quotes": tot["speaker_n"],
    }


def run(data_dir: Path, limit: int | None = None, with_errors: bool = False) -> dict[str, Any]:
    """Score ``extract_quotes`` on PolNeAR direct quotes: all, dev half, held-out half.

    ``limit`` scores only the first N documents in sorted id order (for quick
    regression tests). ``with_errors`` adds per-document error lists.
    """
    docs, by_doc = _load(Path(data_dir))
    docs = sorted(docs, key=lambda d: d["doc"])
    if limit is not None:
        docs = docs[:limit]
    nlp = get_nlp()
    results: list[dict[str, Any]] = []
    dev: list[dict[str, Any]] = []
    held: list[dict[str, Any]] = []
    errors: dict[str, list[Any]] = {}
    for pos, d in enumerate(docs):
        text = d["text"]
        quotes = extract_quotes(nlp(text))
        r = _score_doc(text, quotes, _gold_for_doc(text, by_doc.get(d["doc"], [])))
        results.append(r)
        (dev if pos % 2 == 0 else held).append(r)
        errors[d["doc"]] = r["errors"]
    report: dict[str, Any] = {
        "dataset": "polnear (test split, direct quotes)",
        "all": _aggregate(results),
        "dev_even_docs": _aggregate(dev),
        "heldout_odd_docs": _aggregate(held),
    }
    if with_errors:
        report["errors"] = errors
    return report


if __name__ == "__main__":  # python -m factcheck.evaluation.quotes [data_dir]
    import sys

    default = default_data_dir()
    res = run(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
    print(json.dumps({k: v for k, v in res.items() if k != "errors"}, indent=2))
