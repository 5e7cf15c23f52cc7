"""Every command's --help, found by walking the command tree: it renders, flags
show no value type, and help texts print as written (no rich markup eaten)."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from factcheck.cli import app

runner = CliRunner()
BRACKETED = re.compile(r"\[[^\[\]]+\]")


def _tree(cmd, path=()):
    """(path, command) for the app and every command and sub-command under it."""
    yield path, cmd
    for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
        yield from _tree(sub, (*path, name))


COMMANDS = list(_tree(typer.main.get_command(app)))


def _help(path) -> str:
    # Wide, so no bracketed phrase is wrapped across two lines of a panel.
    res = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "400"})
    assert res.exit_code == 0, (path, res.output)
    return res.output


def _flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def test_help_tree_holds_every_command():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"", "check", "extract", "gate", "review", "review list", "review confirm", "eval", "bench"} <= names


@pytest.mark.parametrize("path, cmd", COMMANDS, ids=[" ".join(p) or "factcheck" for p, _ in COMMANDS])
def test_help_renders_as_written(path, cmd):
    out = _help(path)
    assert len(out.strip()) > 40
    assert "<bool>" not in out
    assert "Show this message and exit." in out
    texts = [cmd.help or "", cmd.short_help or ""] + [getattr(p, "help", None) or "" for p in cmd.params]
    for sub in (getattr(cmd, "commands", None) or {}).values():
        texts.append((sub.short_help or sub.help or "").split("\n\n")[0])
    for text in texts:
        for bracketed in BRACKETED.findall(text):
            assert _flat(bracketed) in _flat(out), (path, bracketed)


def test_help_gate_policy_keeps_its_table_name():
    assert "TOML policy file ([gate] table)" in _flat(_help(["gate"]))


def test_help_flags_take_no_value():
    out = _help(["check"])
    line = next(ln for ln in out.splitlines() if "--quiet" in ln)
    assert "-q" in line and "<" not in line


def test_help_review_tells_of_the_interactive_walk():
    out = _flat(_help(["review"]))
    assert "Without a sub-command" in out and "open findings" in out and "c=confirm" in out


def test_help_developer_commands_stand_apart():
    out = _help([])
    desk, _, dev = out.partition("Developer commands")
    assert dev, out
    for name in ("check", "extract", "gate", "review"):
        assert re.search(rf"│ {name} ", desk) and not re.search(rf"│ {name} ", dev), name
    for name in ("eval", "bench"):
        assert re.search(rf"│ {name} ", dev) and not re.search(rf"│ {name} ", desk), name


def test_version():
    from importlib.metadata import version

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0, res.output
    assert res.output == f"factcheck {version('factcheck')}\n"


def test_version_without_installed_metadata(monkeypatch):
    import importlib.metadata

    import factcheck

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output == f"factcheck {factcheck.__version__}\n"


def test_help_is_fast_to_import():
    import subprocess
    import sys

    # --help must not import torch, spaCy, sentence-transformers or onnxruntime.
    code = (
        "import sys\nfrom factcheck.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'spacy', 'sentence_transformers', 'onnxruntime') if m in sys.modules]\n"
        "print(','.join(heavy), file=sys.stderr)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Developer commands" in res.stdout
    assert res.stderr.strip() == ""


def test_version_of_the_source_is_the_package_version():
    import tomllib
    from pathlib import Path

    import factcheck

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert factcheck.__version__ == pyproject["project"]["version"]
