"""Score date extraction and normalisation on TempEval-3 and MEANTIME.

Same code path as ``factcheck check``: ``get_nlp()`` on the document text, then
``extract_dates(doc, dct)``. Scored like TempEval-3:

* extraction: strict (exact span) and relaxed (overlapping span) P/R/F1;
* value: a prediction is correct when it overlaps a gold timex and its value,
  written in TIMEX3 form, equals the gold value; value P = correct/predicted,
  R = correct/gold, F1 their harmonic mean (this is TempEval-3's "value F1").

Two views: ``DATE`` (gold DATE timexes only; predictions that overlap a gold
TIME/DURATION/SET are left out of that view) and ``overall`` (every gold timex:
factcheck does not extract durations or sets, so those count as misses; TIME
gold is scored on its date part only if the values agree exactly, which they
rarely do). Gold timexes marking the creation time that are not in the text are
excluded. MEANTIME is scored on the sentences whose time expressions it
annotates (title and first five sentences).

TempEval-3 ``tbaq`` is the dev set (rules were tuned on it); ``platinum`` is the
test set (published reference: HeidelTime value F1 77.6, all types).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..models import DateMention
from . import default_data_dir
from .scoring import prf_split

_MEANTIME_TIMEX_SENTENCES = 5
_TOD_CODES = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


@dataclass
class EvalDoc:
    doc_id: str
    text: str
    dct: dt.date | None
    gold: list[GoldTimex]
    # Character ranges that were annotated (MEANTIME annotates some sentences only).
    scored: list[tuple[int, int]] | None = None


@dataclass
class _Counts:
    pred: int = 0
    gold: int = 0
    strict: int = 0
    relaxed_pred: int = 0
    relaxed_gold: int = 0
    value: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)


def timex_value(mention: DateMention) -> str | None:
    """``mention.value`` in TIMEX3 form ("2013-03-22TNI" for "Friday night")."""
    if mention.value is None or "/" in mention.value:
        return None
    if mention.granularity == "day":
        words = set(re.findall(r"[a-z]+", mention.text.lower()))
        for word, code in _TOD_CODES.items():
            if word in words:
                return f"{mention.value}T{code}"
    return mention.value


def _parse_dct(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        return None


def load_tempeval(path: Path) -> list[EvalDoc]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = [
            GoldTimex(t["start"], t["end"], t["type"], t["value"])
            for t in row["timexes"]
            if t.get("start") is not None and t.get("functionInDocument") not in ("CREATION_TIME", "PUBLICATION_TIME")
        ]
        docs.append(EvalDoc(row["doc_id"], row["text"], _parse_dct(row.get("dct")), gold))
    return docs


def _token_pattern(text: str) -> re.Pattern[str]:
    tokens = text.split()
    return re.compile(r"\s*".join(re.escape(t) for t in tokens))


def load_meantime(folder: Path) -> list[EvalDoc]:
    """Documents are their sentences joined by newlines; timexes are found by
    their (space-tokenised) text inside their sentence, left to right."""
    timexes: dict[str, list[dict]] = {}
    for line in (folder / "timexes.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        timexes.setdefault(row["doc_id"], []).append(row)
    docs = []
    for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        offsets: dict[int, int] = {}
        parts: list[str] = []
        pos = 0
        for sent in row["sentences"]:
            offsets[sent["sid"]] = pos
            parts.append(sent["text"])
            pos += len(sent["text"]) + 1
        text = "\n".join(parts)
        sent_text = {s["sid"]: s["text"] for s in row["sentences"]}
        used: dict[int, int] = {}
        gold = []
        for t in sorted(timexes.get(row["doc_id"], []), key=lambda t: (t["sent_id"], int(t["m_id"]))):
            sid = t["sent_id"]
            if sid not in sent_text:
                continue
            m = _token_pattern(t["text"]).search(sent_text[sid], used.get(sid, 0))
            if m is None:
                m = _token_pattern(t["text"]).search(sent_text[sid])
            if m is None:
                continue
            used[sid] = m.end()
            base = offsets[sid]
            gold.append(GoldTimex(base + m.start(), base + m.end(), t["type"], t["value"]))
        # MEANTIME annotates time expressions in the title and the first five
        # sentences only (sid 0-5); later sentences carry event links alone.
        scored = [
            (offsets[s], offsets[s] + len(sent_text[s]))
            for s in row.get("annotated_sentences", [])
            if s in offsets and s <= _MEANTIME_TIMEX_SENTENCES
        ]
        docs.append(EvalDoc(row["doc_id"], text, _parse_dct(row.get("dct")), gold, scored))
    return docs


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score_doc(doc: EvalDoc, preds: list[DateMention], types: set[str] | None, counts: _Counts) -> None:
    preds = [
        p for p in preds if doc.scored is None or any(_overlaps((p.span.start, p.span.end), r) for r in doc.scored)
    ]
    gold = [g for g in doc.gold if types is None or g.type in types]
    other = [g for g in doc.gold if types is not None and g.type not in types]
    # A prediction overlapping only excluded-type gold is outside this view.
    preds = [
        p
        for p in preds
        if not (
            any(_overlaps((p.span.start, p.span.end), (g.start, g.end)) for g in other)
            and not any(_overlaps((p.span.start, p.span.end), (g.start, g.end)) for g in gold)
        )
    ]
    counts.pred += len(preds)
    counts.gold += len(gold)
    matched_gold: set[int] = set()
    for p in preds:
        span = (p.span.start, p.span.end)
        hits = [i for i, g in enumerate(gold) if _overlaps(span, (g.start, g.end))]
        if not hits:
            counts.errors.append({"doc": doc.doc_id, "kind": "spurious", "text": p.text, "pred": str(p.value)})
            continue
        counts.relaxed_pred += 1
        best = max(hits, key=lambda i: min(span[1], gold[i].end) - max(span[0], gold[i].start))
        g = gold[best]
        if (g.start, g.end) == span:
            counts.strict += 1
        if best not in matched_gold:
            matched_gold.add(best)
            if timex_value(p) == g.value:
                counts.value += 1
            else:
                counts.errors.append(
                    {
                        "doc": doc.doc_id,
                        "kind": "value",
                        "text": p.text,
                        "gold_text": doc.text[g.start : g.end],
                        "pred": str(timex_value(p)),
                        "gold": g.value,
                        "dct": str(doc.dct),
                    }
                )
    counts.relaxed_gold += len(matched_gold)
    for i, g in enumerate(gold):
        if i not in matched_gold:
            counts.errors.append(
                {
                    "doc": doc.doc_id,
                    "kind": "missed",
                    "text": doc.text[g.start : g.end],
                    "gold": g.value,
                    "type": g.type,
                }
            )


def _summary(counts: _Counts) -> dict:
    return {
        "gold": counts.gold,
        "predicted": counts.pred,
        "strict": prf_split(counts.strict, counts.pred, counts.strict, counts.gold),
        "relaxed": prf_split(counts.relaxed_pred, counts.pred, counts.relaxed_gold, counts.gold),
        "value": prf_split(counts.value, counts.pred, counts.value, counts.gold),
        "value_accuracy_on_matches": round(100 * counts.value / counts.relaxed_gold, 1) if counts.relaxed_gold else 0.0,
    }


def score(docs: Iterable[EvalDoc], keep_errors: bool = False) -> dict:
    """Score ``extract_dates`` on ``docs``: DATE-only and overall views."""
    from ..extract.dates import extract_dates
    from ..nlp import get_nlp

    nlp = get_nlp()
    date_counts, all_counts = _Counts(), _Counts()
    docs = list(docs)
    for doc, parsed in zip(docs, nlp.pipe((d.text for d in docs), batch_size=16)):
        preds = extract_dates(parsed, doc.dct)
        _score_doc(doc, preds, {"DATE"}, date_counts)
        _score_doc(doc, preds, None, all_counts)
    result = {"documents": len(docs), "DATE": _summary(date_counts), "overall": _summary(all_counts)}
    if keep_errors:
        result["errors"] = date_counts.errors
    return result


def _sets(data_dir: Path) -> Iterator[tuple[str, list[EvalDoc]]]:
    te = data_dir / "tempeval3"
    if (te / "tbaq_documents.jsonl").exists():
        yield "tempeval3_dev_tbaq", load_tempeval(te / "tbaq_documents.jsonl")
    if (te / "platinum_documents.jsonl").exists():
        yield "tempeval3_test_platinum", load_tempeval(te / "platinum_documents.jsonl")
    if (data_dir / "meantime" / "documents.jsonl").exists():
        yield "meantime_test", load_meantime(data_dir / "meantime")


def run(data_dir: Path) -> dict:
    """Scores for every date set found under ``data_dir`` (dev and test)."""
    return {name: score(docs) for name, docs in _sets(Path(data_dir))}


if __name__ == "__main__":  # python -m factcheck.evaluation.dates [data_dir]
    import sys

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else default_data_dir()
    print(json.dumps(run(folder), indent=2))
