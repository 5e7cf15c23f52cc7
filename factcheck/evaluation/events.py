"""Whole findings on the annotated breaking-news events in ``../shared/events`` (the dev set).

Each event folder holds 12-13 outlets' texts and a hand-made ``gold.json``
(discrepancies a careful editor marks, and look-alike traps). Only the
``.txt`` files are copied for the run, so the checker never sees the gold,
and each report is scored by the project-independent scorer that ships
beside the data (``../shared/tools/score_events.py``): recall, recall with
the right kind, trap alarms and findings raised. Nothing of the data is
copied into the repository.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

_LAST = re.compile(r"recall (\d+)/(\d+), right kind (\d+)/(\d+), trap alarms (\d+)/(\d+), findings raised (\d+)")


def events_dir(data_dir: Path) -> Path:
    """``../shared/events`` next to ``../shared/data``."""
    return Path(data_dir).resolve().parent / "events"


def _scorer(events: Path):
    path = events.parent / "tools" / "score_events.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("score_events", path)
    assert spec is not None and spec.loader is not None  # a .py path always gets a spec with a source loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score_report(scorer, gold: Path, report: Path) -> dict[str, Any]:
    """The scorer's verdict on one report, read from its own output."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        scorer.main(str(gold), str(report))
    lines = buf.getvalue().splitlines()
    m = _LAST.search(lines[-1]) if lines else None
    if m is None:
        raise ValueError(f"{gold}: the scorer printed no summary line")
    found, n, kind_ok, _, alarms, traps, raised = map(int, m.groups())
    return {
        "discrepancies": n,
        "found": found,
        "right_kind": kind_ok,
        "traps": traps,
        "trap_alarms": alarms,
        "findings": raised,
        "recall": round(found / n, 3) if n else None,
        "recall_right_kind": round(kind_ok / n, 3) if n else None,
        "missed": [ln.split()[-2] for ln in lines if ln.startswith("missed")],
        "wrong_kind": [ln.split()[1] for ln in lines if ln.startswith("FOUND ") and "kind-ok" not in ln],
        "alarms": [ln.split()[2].rstrip(":") for ln in lines if ln.startswith("ALARM")],
    }


REPRINT_OUTLETS = 20


def _with_reprints(scorer, folder: Path, work: Path, embedder, outlets: int) -> dict[str, Any]:
    """The event grown to ``outlets`` articles by wire reprints: the same texts under other mastheads.

    A reprint keeps the body word for word; its headline gets the reprinting
    site's prefix and its end a credit line, as syndication does. One finding
    per disputed fact means the number of findings barely moves.
    """
    from ..pipeline import check
    from ..report import to_json

    work.mkdir()
    texts = sorted(folder.glob("*.txt"))
    for txt in texts:
        shutil.copy(txt, work / txt.name)
    for i in range(outlets - len(texts)):
        src = texts[i % len(texts)]
        head, _, body = src.read_text(encoding="utf-8").partition("\n")
        (work / f"reprint{i:02d}-{src.name}").write_text(
            f"Syndicated story: {head}\n{body.rstrip()}\n\nThis story was republished from a news agency feed.\n",
            encoding="utf-8",
        )
    report, _ = check([work], name=work.name, embedder=embedder)
    path = work.with_suffix(".json")
    path.write_text(to_json(report), encoding="utf-8")
    scored = score_report(scorer, folder / "gold.json", path)
    return {
        "outlets": outlets,
        "findings": scored["findings"],
        "found": scored["found"],
        "findings_per_found": round(scored["findings"] / scored["found"], 3) if scored["found"] else None,
    }


def run(data_dir: Path, embedder=None, limit: int | None = None, reprints: int = REPRINT_OUTLETS) -> dict[str, Any]:
    """Check and score every event; ``limit`` keeps the first N events (a quick look).

    With ``reprints`` (default 20), each event is also run grown to that many
    outlets by wire reprints, to show that findings stay one per disputed fact.
    """
    from ..pipeline import check, make_embedder
    from ..report import to_json

    events = events_dir(data_dir)
    scorer = _scorer(events)
    if not events.is_dir() or scorer is None:
        return {
            "skipped": f"{events} (or its tools/score_events.py) is not there: the annotated events "
            "ship in ../shared, beside ../shared/data"
        }
    embedder = embedder or make_embedder()
    out: dict[str, Any] = {"events": {}}
    folders = sorted(p.parent for p in events.glob("*/gold.json"))[: limit or None]
    with tempfile.TemporaryDirectory() as tmp:
        for folder in folders:
            work = Path(tmp) / folder.name
            work.mkdir()
            for txt in sorted(folder.glob("*.txt")):
                shutil.copy(txt, work / txt.name)
            report, _ = check([work], name=folder.name, embedder=embedder)
            path = Path(tmp) / f"{folder.name}.json"
            path.write_text(to_json(report), encoding="utf-8")
            out["events"][folder.name] = score_report(scorer, folder / "gold.json", path)
            if reprints:
                out["events"][folder.name]["with_reprints"] = _with_reprints(
                    scorer, folder, Path(tmp) / f"{folder.name}-reprints", embedder, reprints
                )
    totals = {
        k: sum(e[k] for e in out["events"].values())
        for k in ("discrepancies", "found", "right_kind", "traps", "trap_alarms", "findings")
    }
    n = totals["discrepancies"]
    totals["recall"] = round(totals["found"] / n, 3) if n else None
    totals["recall_right_kind"] = round(totals["right_kind"] / n, 3) if n else None
    totals["trap_alarm_rate"] = round(totals["trap_alarms"] / totals["traps"], 3) if totals["traps"] else None
    totals["findings_per_discrepancy"] = round(totals["findings"] / n, 3) if n else None
    out["all"] = totals
    return out
