"""What the commands share: a value outside an option's closed set is a one-line
input error naming the choices (no usage box), in JSON too for the gate."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from factcheck.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    "args, line",
    [
        (
            ["check", "tests/fixtures/event", "--backend", "tf"],
            "error: --backend tf: unknown embedding backend. Fix: use --backend onnx or --backend torch",
        ),
        (
            ["check", "tests/fixtures/event", "--engine=spark"],
            "error: --engine spark: unknown engine. Fix: use --engine local or --engine dask",
        ),
        (
            ["gate", "draft.txt", "--format", "xml"],
            "error: --format xml: unknown format. Fix: use --format text or --format json",
        ),
        (
            ["review", "list", "--status", "bogus"],
            "error: --status bogus: not a review status. Fix: use one of open, confirmed, dismissed, accepted, resolved",
        ),
        (
            ["bench", "--backend", "tf"],
            "error: --backend tf: unknown embedding backend. Fix: use --backend onnx or --backend torch",
        ),
    ],
)
def test_common_bad_choice_is_one_line_exit_2(args, line):
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert res.output.splitlines() == [line]


def test_common_bad_choice_for_the_gate_in_json():
    res = runner.invoke(app, ["gate", "draft.txt", "--format", "json", "--backend", "tf"])
    assert res.exit_code == 2, res.output
    data = json.loads(res.stdout)
    assert data["decision"] == "error" and data["where"] == "--backend tf"
    assert data["problem"] == "unknown embedding backend" and data["fix"] == "use --backend onnx or --backend torch"


def test_common_review_statuses_are_the_cores():
    from factcheck.cli.review import Status
    from factcheck.review import STATUSES

    assert tuple(s.value for s in Status) == STATUSES
