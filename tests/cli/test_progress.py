"""Progress on long runs: the core names each stage and its size, the CLI draws
one row per stage at a terminal, and nothing otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from factcheck.cli.common import STAGES, Progress

EVENT = Path(__file__).resolve().parents[1] / "fixtures" / "event"


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.model
def test_progress_check_reports_each_stage_with_its_size(fake_embedder):
    from factcheck.pipeline import check

    calls: list[tuple[str, int, int]] = []
    _, results = check([EVENT], embedder=fake_embedder, on_progress=lambda *c: calls.append(c))
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["extract", "embed", "events", "compare"] == list(STAGES)
    for stage in stages:
        mine = [c for c in calls if c[0] == stage]
        assert mine[0][1] == 0  # announced before any item is done
        total = mine[0][2]
        assert all(t == total for _, _, t in mine) and sum(n for _, n, _ in mine) == total, (stage, mine)
    assert next(c[2] for c in calls if c[0] == "extract") == len(results) == 3


def test_progress_rows_only_at_a_terminal(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert Progress(quiet=False)._bar is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert Progress(quiet=True)._bar is None
    with Progress(quiet=False) as progress:
        progress("extract", 0, 3)
        progress("extract", 2, 3)
        progress("embed", 0, 40)
        progress("embed", 40, 40)
        progress("unnamed", 5, 0)  # a stage of unknown size
        rows = {t.description: t for t in progress._bar.tasks}
    assert (rows["extracting claims"].completed, rows["extracting claims"].total) == (2, 3)
    assert rows["embedding"].finished
    assert rows["unnamed"].total is None and rows["unnamed"].completed == 5
