"""Entity identity resolution scored as coreference on hand-annotated real events.

Each fixture in ``tests/fixtures/aliases/<cluster_id>.json`` names an event of
``../shared/data/multisource_news/clusters.jsonl`` and lists person,
organisation and government mentions by anchor only (no article text):
``{"outlet", "phrase", "occurrence", "label", "identity"}``, where
``occurrence`` is the 0-based index of ``phrase`` among its substring
occurrences in the outlet's text as stored in the corpus, and ``identity`` is
the annotator's name for who or what is meant ("donald trump", "us department
of defense"). ``"nominal": true`` marks a description without a name ("the
Pentagon chief"), which the entity extractor cannot find by design.

The event is rebuilt and run through ``factcheck.pipeline.extract`` (the code
path of ``factcheck check``); the alias index is built over the claims'
entities as ``compare.Event`` builds it. A gold mention is *detected* when a
kept entity covers its last character (the head of "Mr. Mattis" or "the
Pentagon"; not the "Pentagon" inside "the Pentagon chief"). Its system
identity is, for a PERSON entity, ``AliasIndex.resolve`` or else the name as
written (what the comparator falls back to); for other labels the institution
or country key, else the normalised name. Undetected mentions are singletons.

Scores: pairwise coreference precision/recall/F1 over mention pairs within an
article and across articles, B-cubed, resolution accuracy of one-word person
mentions ("Austin" -> the right full name), and detection recall.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..identity import AliasIndex, norm_name
from ..models import Article, EntityMention
from . import scoring
from .findings import CORPUS_FILE, _cluster_records, slug, write_event

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "aliases"
LABELS = ("PERSON", "ORG", "GPE")
MENTION_KEYS = ("outlet", "phrase", "occurrence", "label", "identity")
MAX_EXAMPLES = 12


def load_annotations(fixtures_dir: Path = FIXTURES) -> list[dict[str, Any]]:
    """All annotated events, sorted by cluster id; raises ValueError on a malformed fixture."""
    events = []
    for path in sorted(fixtures_dir.glob("*.json")):
        ann = json.loads(path.read_text(encoding="utf-8"))
        for key in ("cluster_id", "source", "mentions"):
            if key not in ann:
                raise ValueError(f"{path.name}: missing '{key}'")
        for i, m in enumerate(ann["mentions"]):
            missing = [k for k in MENTION_KEYS if k not in m]
            if missing:
                raise ValueError(f"{path.name}: mention {i} lacks {missing}")
            if m["label"] not in LABELS:
                raise ValueError(f"{path.name}: mention {i} has unknown label {m['label']!r}")
        events.append(ann)
    return events


def nth_offset(text: str, phrase: str, occurrence: int) -> int | None:
    """Start of the ``occurrence``-th (0-based) substring occurrence of ``phrase``."""
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(phrase, pos + 1)
        if pos < 0:
            return None
    return pos


def clean_offset(article: Article, raw_text: str, phrase: str, occurrence: int) -> int | None:
    """Where an anchor into the corpus text lies in the cleaned article (None if cleaned away)."""
    raw = nth_offset(raw_text, phrase, occurrence)
    if raw is None:
        return None
    # Cleaning mostly keeps text in place or shifts it: try the same offset
    # first, then every occurrence of the phrase in the cleaned text.
    pos = article.text.find(phrase)
    while pos >= 0:
        if article.orig_offset(pos) == raw:
            return pos
        pos = article.text.find(phrase, pos + 1)
    return None


def anchor_errors(
    ann: Mapping[str, Any], raw_texts: Mapping[str, str], articles: Mapping[str, Article] | None = None
) -> list[str]:
    """Anchors that do not occur in their outlet's corpus text (or, given articles, its cleaned text)."""
    errors = []
    for m in ann["mentions"]:
        where = f"{ann['cluster_id']}: {m['outlet']} {m['phrase']!r}#{m['occurrence']}"
        raw = raw_texts.get(m["outlet"])
        if raw is None:
            errors.append(f"{where}: no article for this outlet")
        elif nth_offset(raw, m["phrase"], m["occurrence"]) is None:
            errors.append(f"{where}: not in the corpus text")
        elif articles is not None and clean_offset(articles[m["outlet"]], raw, m["phrase"], m["occurrence"]) is None:
            errors.append(f"{where}: removed by cleaning")
    return errors


def covering_entity(entities: Sequence[EntityMention], start: int, end: int) -> EntityMention | None:
    """The kept entity that covers the mention's last character (its head word)."""
    head = end - 1
    for e in entities:
        if e.span.start <= head < e.span.end and e.span.end > start:
            return e
    return None


def system_identity(entity: EntityMention, alias: AliasIndex) -> str:
    """What the checker takes the entity to be: resolved person, institution, country or name."""
    return alias.identity(entity)


def resolve_event(
    ann: Mapping[str, Any],
    articles: Mapping[str, Article],
    raw_texts: Mapping[str, str],
    entities: Mapping[str, Sequence[EntityMention]],
) -> list[dict[str, Any]]:
    """Each gold mention with its system entity (or None) and system identity."""
    alias = AliasIndex.build(e for ents in entities.values() for e in ents)
    out = []
    for i, m in enumerate(ann["mentions"]):
        art = articles[m["outlet"]]
        start = clean_offset(art, raw_texts[m["outlet"]], m["phrase"], m["occurrence"])
        ent = None if start is None else covering_entity(entities[m["outlet"]], start, start + len(m["phrase"]))
        sys_id = system_identity(ent, alias) if ent else f"<undetected {i}>"
        resolved = alias.resolve(ent.text) if ent is not None and ent.label == "PERSON" else None
        out.append(
            {
                **m,
                "index": i,
                "found": ent is not None,
                "sys_label": ent.label if ent else None,
                "sys_text": ent.text if ent else None,
                "sys_id": sys_id,
                "resolved": resolved,
            }
        )
    return out


def pair_counts(rows: Sequence[Mapping[str, Any]]) -> dict[str, Counter]:
    """Coreference pair counts (gold, system, both) within and across articles, by gold label."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for a, b in combinations(rows, 2):
        scope = "within" if a["outlet"] == b["outlet"] else "across"
        gold = a["identity"] == b["identity"]
        sys = a["sys_id"] == b["sys_id"]
        keys = [scope, "all"]
        if a["label"] == b["label"]:
            keys += [f"{scope}:{a['label']}", f"all:{a['label']}"]
        for k in keys:
            counts[k]["gold"] += gold
            counts[k]["sys"] += sys
            counts[k]["both"] += gold and sys
    return counts


def prf(both: int, n_sys: int, n_gold: int) -> dict[str, float]:
    """Precision, recall, F1; an empty side scores 1.0 (nothing claimed, nothing missed)."""
    return scoring.prf(both, n_sys, n_gold, empty=1.0)


def bcubed(rows: Sequence[Mapping[str, Any]]) -> tuple[float, float, int]:
    """Summed B-cubed precision and recall over the mentions of one event, and the mention count."""
    gold = Counter(r["identity"] for r in rows)
    sys = Counter(r["sys_id"] for r in rows)
    both = Counter((r["identity"], r["sys_id"]) for r in rows)
    p = sum(both[(r["identity"], r["sys_id"])] / sys[r["sys_id"]] for r in rows)
    rc = sum(both[(r["identity"], r["sys_id"])] / gold[r["identity"]] for r in rows)
    return p, rc, len(rows)


def is_short_form(row: Mapping[str, Any]) -> bool:
    """A one-word named person mention: surname ("Mattis") or first name ("Patrick")."""
    return row["label"] == "PERSON" and not row.get("nominal") and len(row["phrase"].split()) == 1


def short_form_verdict(row: Mapping[str, Any], full_names: Mapping[str, set[str]]) -> str:
    """correct / wrong / unresolved / label / missed for a one-word person mention."""
    if not row["found"]:
        return "missed"
    if row["sys_label"] != "PERSON":
        return "label"
    if row["resolved"] is None:
        return "unresolved"
    return "correct" if norm_name(row["resolved"]) in full_names.get(row["identity"], set()) else "wrong"


def error_class(row: Mapping[str, Any], dominant: str) -> str | None:
    """Why a mention's system identity differs from its gold cluster's usual one (None: it agrees)."""
    if row["sys_id"] == dominant:
        return None
    if not row["found"]:
        return "nominal (no name)" if row.get("nominal") else "not detected"
    if (row["label"] == "PERSON") != (row["sys_label"] == "PERSON"):
        return "wrong entity label"
    if row["label"] == "PERSON" and row["resolved"] is None and len(row["sys_text"].split()) == 1:
        return "short form unresolved"
    if row["label"] == "PERSON" and norm_name(row["sys_text"]) != norm_name(row["phrase"]):
        return "entity span differs from name"
    return "other name variant"


def _errors(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    by_gold: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        by_gold[r["identity"]].append(r)
    out = []
    for ident, members in by_gold.items():
        # The cluster's expected system identity is what its full names
        # resolve to; a cluster without one ("Congress") takes its usual one.
        full = [m["sys_id"] for m in members if m["found"] and len(m["phrase"].split()) > 1 and not m.get("nominal")]
        found = full or [m["sys_id"] for m in members if m["found"]]
        dominant = Counter(found).most_common(1)[0][0] if found else ""
        for m in members:
            cls = error_class(m, dominant)
            if cls:
                out.append(
                    {
                        "class": cls,
                        "identity": ident,
                        "outlet": m["outlet"],
                        "phrase": m["phrase"],
                        "sys_label": m["sys_label"],
                        "sys_id": m["sys_id"],
                        "expected_sys_id": dominant,
                    }
                )
    # Merges: one system identity holding several gold identities.
    by_sys: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        by_sys[r["sys_id"]].add(r["identity"])
    for sid, golds in by_sys.items():
        if len(golds) > 1:
            out.append({"class": "merged identities", "identity": " + ".join(sorted(golds)), "sys_id": sid})
    return out


def score_events(resolved: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """Pairwise, B-cubed, short-form and detection scores over resolved events (cluster id -> rows)."""
    pairs: dict[str, Counter] = defaultdict(Counter)
    b_p = b_r = 0.0
    n = 0
    short: Counter = Counter()
    detect: Counter = Counter()
    errors: list[dict[str, Any]] = []
    per_event = {}
    for cid, rows in resolved.items():
        ev_pairs = pair_counts(rows)
        for k, c in ev_pairs.items():
            pairs[k].update(c)
        p, r, m = bcubed(rows)
        b_p, b_r, n = b_p + p, b_r + r, n + m
        full_names: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if row["label"] == "PERSON" and len(row["phrase"].split()) > 1 and not row.get("nominal"):
                full_names[row["identity"]].add(norm_name(row["phrase"]))
        for row in rows:
            if is_short_form(row):
                short[short_form_verdict(row, full_names)] += 1
            kind = "nominal" if row.get("nominal") else "named"
            detect[f"{kind}:gold"] += 1
            detect[f"{kind}:found"] += row["found"]
            detect[f"{kind}:label_ok"] += row["found"] and row["sys_label"] == row["label"]
        ev_errors = _errors(rows)
        errors += [{"cluster_id": cid, **e} for e in ev_errors]
        per_event[cid] = {
            "mentions": len(rows),
            "identities": len({r["identity"] for r in rows}),
            "pairwise_all": prf(ev_pairs["all"]["both"], ev_pairs["all"]["sys"], ev_pairs["all"]["gold"]),
            "bcubed_f1": round(_f(p / m, r / m), 4) if m else 1.0,
        }
    short_total = sum(short.values())
    named = detect["named:gold"]
    return {
        "mentions": n,
        "pairwise": {
            k: {**prf(c["both"], c["sys"], c["gold"]), "gold_pairs": c["gold"], "system_pairs": c["sys"]}
            for k, c in sorted(pairs.items())
        },
        "bcubed": {
            "precision": round(b_p / n, 4) if n else 1.0,
            "recall": round(b_r / n, 4) if n else 1.0,
            "f1": round(_f(b_p / n, b_r / n), 4) if n else 1.0,
        },
        "short_form_resolution": {
            "accuracy": round(short["correct"] / short_total, 4) if short_total else None,
            "n": short_total,
            **dict(sorted(short.items())),
        },
        "detection": {
            "named_recall": round(detect["named:found"] / named, 4) if named else None,
            "named_label_accuracy": round(detect["named:label_ok"] / detect["named:found"], 4)
            if detect["named:found"]
            else None,
            "named": named,
            "nominal": detect["nominal:gold"],
            "nominal_found": detect["nominal:found"],
        },
        "error_classes": dict(Counter(e["class"] for e in errors).most_common()),
        "error_examples": _examples(errors),
        "per_event": per_event,
    }


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _examples(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for e in errors:
        line = f"{e['identity']}: {e.get('outlet', '')} {e.get('phrase', '')!r} -> {e['sys_id']!r}" + (
            f" (cluster mostly {e['expected_sys_id']!r})" if e.get("expected_sys_id") else ""
        )
        key = (e["class"], line)
        if key in seen or len(out[e["class"]]) >= MAX_EXAMPLES:
            continue
        seen.add(key)
        out[e["class"]].append(line)
    return dict(out)


def rebuild(record: Mapping[str, Any]) -> tuple[dict[str, Article], dict[str, list[EntityMention]]]:
    """Run an event through ``pipeline.extract``: cleaned articles and kept entities, by outlet."""
    from ..pipeline import extract

    with tempfile.TemporaryDirectory() as tmp:
        _, results = extract(write_event(record, Path(tmp)))
    by_id = {slug(a["outlet"]): a["outlet"] for a in record["articles"]}
    articles = {by_id[ac.article.id]: ac.article for ac in results}
    entities = {by_id[ac.article.id]: [e for c in ac.claims for e in c.entities] for ac in results}
    return articles, entities


def run(data_dir: Path, fixtures_dir: Path = FIXTURES) -> dict[str, Any]:
    """Score entity identity resolution on every annotated event whose cluster is in ``data_dir``."""
    anns = load_annotations(fixtures_dir)
    records = _cluster_records(Path(data_dir), {a["cluster_id"] for a in anns})
    if not records:
        return {"skipped": f"{Path(data_dir) / CORPUS_FILE} not found or holds none of the annotated events"}
    resolved: dict[str, list[dict[str, Any]]] = {}
    anchor_problems: list[str] = []
    for ann in anns:
        rec = records.get(ann["cluster_id"])
        if rec is None:
            continue
        raw_texts = {a["outlet"]: a["text"] for a in rec["articles"]}
        articles, entities = rebuild(rec)
        anchor_problems += anchor_errors(ann, raw_texts, articles)
        resolved[ann["cluster_id"]] = resolve_event(ann, articles, raw_texts, entities)
    out = score_events(resolved)
    out["events"] = len(resolved)
    out["anchor_errors"] = anchor_problems
    return out


__all__ = [
    "run",
    "load_annotations",
    "resolve_event",
    "score_events",
    "anchor_errors",
    "nth_offset",
    "clean_offset",
    "covering_entity",
    "system_identity",
    "pair_counts",
    "bcubed",
    "prf",
    "short_form_verdict",
    "error_class",
]
