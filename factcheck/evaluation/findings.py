"""Whole findings scored against hand-annotated real multi-outlet events.

Each fixture in ``tests/fixtures/annotated_events/<cluster_id>.json`` names a
real event (a cluster of ``../shared/data/multisource_news/clusters.jsonl``,
or the repository's ``seeds/``) and lists, without copying article text:

- ``discrepancies``: what a careful desk editor would flag, each with a kind,
  the expected severity and short anchors (``{"outlet", "phrase"}``, at most
  8 words each) that occur in that outlet's text;
- ``traps``: things that look like conflicts but are not.

The event's folder is rebuilt from the data at run time and checked with
``factcheck.pipeline.check`` (the code path of ``factcheck check``). A finding
*matches* an annotation when its evidence texts contain the anchor phrases of
at least two sides (one for a single-article name finding). An anchor's side
is its ``side`` field when given (so a finding between the two outlets that
*agree* on a quote does not count as finding the third outlet's alteration),
else its outlet. Discrepancies also need the finding's kind to be the
annotated kind or an accepted alias; traps match whatever the kind, since
flagging a trap in any way is a false alarm.

Every finding is judged: ``tp`` (matches a discrepancy; a second pairwise
finding of the same discrepancy is a ``tp`` too, reported as a duplicate),
``trap`` (matches a trap: a false positive that is listed) or ``fp``.

Events are scored in three parts (``split_of``): ``seeds`` (visible during
development), ``dev`` (fixtures without a ``split`` field, or ``"split":
"dev"``: annotated events whose false positives were studied and fixed) and
``test`` (``"split": "test"``: annotated blind and never tuned on; quote these
figures). ``unseen`` is ``dev`` and ``test`` together.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..models import Finding
from . import default_data_dir

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "annotated_events"
SEEDS = REPO / "seeds"
CORPUS_FILE = "multisource_news/clusters.jsonl"
MAX_ANCHOR_WORDS = 8

# Finding kinds accepted for an annotated kind. A stance discrepancy ("neither
# confirmed nor denied" vs "blamed") is reported as a contradiction; a date or
# number conflict phrased as opposite statements may be too.
ACCEPTED_KINDS: dict[str, frozenset[str]] = {
    "quote_altered": frozenset({"quote_altered"}),
    "quote_attribution": frozenset({"quote_attribution"}),
    "date_conflict": frozenset({"date_conflict", "contradiction"}),
    "number_conflict": frozenset({"number_conflict", "contradiction"}),
    "name_inconsistency": frozenset({"name_inconsistency"}),
    "contradiction": frozenset({"contradiction"}),
    "stance": frozenset({"contradiction"}),
}

# Fixture splits; a fixture without a "split" field is dev (tuned on).
SPLITS = ("dev", "test")
DEFAULT_SPLIT = "dev"

# Per-kind tables count an annotated kind under the finding kind it expects.
CANONICAL_KIND = {"stance": "contradiction"}
# Name findings cite just the name ("Lloyd"); anchors are matched against the
# name with this many characters of article text either side.
NAME_CONTEXT = 60

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2015": "-"}
)


def normalise(text: str) -> str:
    """Lower case, straight quote marks and dashes, single spaces: anchors survive re-cleaning."""
    return " ".join(text.translate(_QUOTES).lower().split())


def slug(name: str) -> str:
    """File-name id for an outlet ("New York Times" -> "new-york-times")."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_annotations(fixtures_dir: Path = FIXTURES) -> list[dict[str, Any]]:
    """All annotated events, sorted by cluster id; raises ValueError on a malformed fixture."""
    events = []
    for path in sorted(fixtures_dir.glob("*.json")):
        ann = json.loads(path.read_text(encoding="utf-8"))
        for key in ("cluster_id", "source", "articles", "discrepancies", "traps"):
            if key not in ann:
                raise ValueError(f"{path.name}: missing '{key}'")
        for item in ann["discrepancies"] + ann["traps"]:
            if not item.get("anchors"):
                raise ValueError(f"{path.name}: an annotation without anchors ({item.get('note', '')[:40]})")
            for a in item["anchors"]:
                if len(a["phrase"].split()) > MAX_ANCHOR_WORDS:
                    raise ValueError(f"{path.name}: anchor longer than {MAX_ANCHOR_WORDS} words: {a['phrase']!r}")
        if ann.get("split", DEFAULT_SPLIT) not in SPLITS:
            raise ValueError(f"{path.name}: split must be one of {SPLITS}, not {ann['split']!r}")
        for item in ann["discrepancies"]:
            if item["kind"] not in ACCEPTED_KINDS:
                raise ValueError(f"{path.name}: unknown kind {item['kind']!r}")
        events.append(ann)
    return events


def split_of(ann: Mapping[str, Any]) -> str:
    """Scoring part of an annotated event: "seeds", else its "split" ("dev" when absent)."""
    if ann["source"] == "seeds":
        return "seeds"
    return ann.get("split", DEFAULT_SPLIT)


def _cluster_records(data_dir: Path, cluster_ids: set[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    corpus = data_dir / CORPUS_FILE
    if not corpus.exists() or not cluster_ids:
        return found
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec["cluster_id"] in cluster_ids:
                found[rec["cluster_id"]] = rec
    return found


def write_event(record: Mapping[str, Any], folder: Path) -> list[Path]:
    """One ``<outlet-slug>.json`` article file per outlet of a corpus cluster."""
    paths = []
    for art in record["articles"]:
        path = folder / f"{slug(art['outlet'])}.json"
        path.write_text(
            json.dumps(
                {
                    "id": slug(art["outlet"]),
                    "title": art.get("title"),
                    "outlet": art["outlet"],
                    "published": art.get("date"),
                    "text": art["text"],
                }
            ),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _outlet_matches(outlet: str, article_id: str) -> bool:
    """Anchor outlet -> article id: the outlet's slug, or a seed's number prefix ("000")."""
    return article_id == slug(outlet) or article_id.split("_")[0] == outlet


def _evidence_text(ev, kind: str, texts: Mapping[str, str]) -> str:
    if kind == "name_inconsistency" and ev.article_id in texts:
        full = texts[ev.article_id]
        return full[max(0, ev.start - NAME_CONTEXT) : ev.end + NAME_CONTEXT]
    return ev.text


def anchor_sides(
    anchors: Sequence[Mapping[str, str]], finding: Finding, texts: Mapping[str, str] | None = None
) -> set[str]:
    """Sides whose anchor phrase occurs in the finding's evidence from that outlet."""
    sides: set[str] = set()
    for ev in finding.evidence:
        text = normalise(_evidence_text(ev, finding.kind, texts or {}))
        for a in anchors:
            if _outlet_matches(a["outlet"], ev.article_id) and normalise(a["phrase"]) in text:
                sides.add(a.get("side") or a["outlet"])
    return sides


def matches(
    item: Mapping[str, Any], finding: Finding, check_kind: bool, texts: Mapping[str, str] | None = None
) -> bool:
    """Does ``finding`` flag the annotated ``item`` (discrepancy or trap)?"""
    if check_kind and finding.kind not in ACCEPTED_KINDS[item["kind"]]:
        return False
    sides = anchor_sides(item["anchors"], finding, texts)
    single_article = len({e.article_id for e in finding.evidence}) == 1
    need = 1 if finding.kind == "name_inconsistency" and single_article else 2
    return len(sides) >= need


def anchor_errors(ann: Mapping[str, Any], texts: Mapping[str, str]) -> list[str]:
    """Anchors that do not occur in their outlet's article text (article id -> text)."""
    errors = []
    for item in ann["discrepancies"] + ann["traps"]:
        for a in item["anchors"]:
            ids = [aid for aid in texts if _outlet_matches(a["outlet"], aid)]
            if not ids:
                errors.append(f"{ann['cluster_id']}: no article for outlet {a['outlet']!r}")
            elif not any(normalise(a["phrase"]) in normalise(texts[i]) for i in ids):
                errors.append(f"{ann['cluster_id']}: {a['outlet']!r} lacks {a['phrase']!r}")
    return errors


def judge(
    ann: Mapping[str, Any], findings: Iterable[Finding], texts: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Each finding judged tp / trap / fp; discrepancies found or missed."""
    judged, found = [], defaultdict(list)
    for f in findings:
        verdict, ref = "fp", None
        for i, d in enumerate(ann["discrepancies"]):
            if matches(d, f, check_kind=True, texts=texts):
                verdict, ref = "tp", i
                break
        if verdict == "fp":
            for i, t in enumerate(ann["traps"]):
                if matches(t, f, check_kind=False, texts=texts):
                    verdict, ref = "trap", i
                    break
        if verdict == "tp":
            found[ref].append(f.id)
        judged.append(
            {
                "id": f.id,
                "kind": f.kind,
                "severity": f.severity,
                "summary": f.summary,
                "evidence": [e.article_id for e in f.evidence],
                "verdict": verdict,
                "annotation": ref,
                "duplicate": verdict == "tp" and len(found[ref]) > 1,
                "note": (
                    ann["discrepancies"][ref]["note"]
                    if verdict == "tp"
                    else ann["traps"][ref]["note"]
                    if verdict == "trap"
                    else None
                ),
            }
        )
    missed = [
        {"index": i, "kind": d["kind"], "note": d["note"]} for i, d in enumerate(ann["discrepancies"]) if i not in found
    ]
    return {"findings": judged, "found": {i: ids for i, ids in found.items()}, "missed": missed}


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def score(events: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Precision over findings, recall over annotated discrepancies, overall and per kind."""
    tp = fp = traps = 0
    n_disc = n_found = 0
    per_kind: dict[str, dict[str, int]] = defaultdict(lambda: {"findings": 0, "tp": 0, "annotated": 0, "found": 0})
    for ev in events:
        for j in ev["findings"]:
            per_kind[j["kind"]]["findings"] += 1
            if j["verdict"] == "tp":
                tp += 1
                per_kind[j["kind"]]["tp"] += 1
            else:
                fp += 1
                traps += j["verdict"] == "trap"
        for i, d in enumerate(ev["discrepancies"]):
            kind = CANONICAL_KIND.get(d["kind"], d["kind"])
            per_kind[kind]["annotated"] += 1
            n_disc += 1
            if i in ev["found"]:
                per_kind[kind]["found"] += 1
                n_found += 1
    return {
        "events": len(events),
        "findings": tp + fp,
        "tp": tp,
        "fp": fp,
        "trap_hits": traps,
        "discrepancies": n_disc,
        "found": n_found,
        "fn": n_disc - n_found,
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(n_found, n_disc),
        "per_kind": {
            k: {**v, "precision": _ratio(v["tp"], v["findings"]), "recall": _ratio(v["found"], v["annotated"])}
            for k, v in sorted(per_kind.items())
        },
    }


def evaluate_event(ann: Mapping[str, Any], paths: Sequence[Path], embedder) -> dict[str, Any]:
    """Run the checker on one event's files and judge its findings."""
    from ..pipeline import check

    report, results = check(paths, name=ann["cluster_id"], embedder=embedder)
    texts = {ac.article.id: ac.article.text for ac in results}
    out = judge(ann, report.findings, texts)
    out.update(
        {
            "cluster_id": ann["cluster_id"],
            "source": ann["source"],
            "split": split_of(ann),
            "discrepancies": ann["discrepancies"],
            "anchor_errors": anchor_errors(ann, texts),
            "trap_hits": [j for j in out["findings"] if j["verdict"] == "trap"],
        }
    )
    return out


def run(data_dir: Path, embedder=None, fixtures_dir: Path = FIXTURES, seeds_dir: Path = SEEDS) -> dict[str, Any]:
    """Evaluate every annotated event; ``dev``, ``test`` and ``seeds`` are scored separately.

    ``unseen`` scores ``dev`` and ``test`` together (non-seed events), as before
    the split existed.
    """
    from ..pipeline import make_embedder

    anns = load_annotations(fixtures_dir)
    records = _cluster_records(Path(data_dir), {a["cluster_id"] for a in anns if a["source"] != "seeds"})
    if embedder is None:
        embedder = make_embedder()
    events: list[dict[str, Any]] = []
    skipped: list[str] = []
    for ann in anns:
        if ann["source"] == "seeds":
            if not seeds_dir.exists():
                skipped.append(ann["cluster_id"])
                continue
            events.append(evaluate_event(ann, [seeds_dir], embedder))
            continue
        rec = records.get(ann["cluster_id"])
        if rec is None:
            skipped.append(ann["cluster_id"])
            continue
        with tempfile.TemporaryDirectory(prefix="factcheck-eval-") as tmp:
            events.append(evaluate_event(ann, write_event(rec, Path(tmp)), embedder))
    parts = {part: [e for e in events if e["split"] == part] for part in ("seeds", *SPLITS)}
    return {
        "events": {e["cluster_id"]: e for e in events},
        **{part: score(evs) for part, evs in parts.items()},
        "unseen": score([e for e in events if e["split"] != "seeds"]),
        "skipped": skipped,
    }


def main() -> None:  # pragma: no cover - manual use: python -m factcheck.evaluation.findings
    import sys

    data = Path(sys.argv[1]) if len(sys.argv) > 1 else default_data_dir()
    result = run(data)
    for cid, ev in result["events"].items():
        print(f"\n== {cid} ({ev['source']}, {ev['split']})")
        for j in ev["findings"]:
            tag = j["verdict"].upper() + (" dup" if j["duplicate"] else "")
            print(f"  [{tag}] {j['kind']} {j['severity']}: {j['summary'][:160]}")
        for m in ev["missed"]:
            print(f"  [MISSED] {m['kind']}: {m['note'][:160]}")
        for e in ev["anchor_errors"]:
            print(f"  [ANCHOR] {e}")
    for part in ("dev", "test", "unseen", "seeds"):
        s = {k: v for k, v in result[part].items() if k != "per_kind"}
        print(f"\n{part}: {s}")
        for k, v in result[part]["per_kind"].items():
            print(f"   {k}: {v}")


if __name__ == "__main__":  # pragma: no cover
    main()
