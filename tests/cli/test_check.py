"""``factcheck check`` and ``extract``: bad input (exit 2, one line, no traceback), atomic outputs, healed caches."""

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app

ROOT = Path(__file__).resolve().parents[2]
EVENT = ROOT / "tests" / "fixtures" / "event"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch, tmp_path):
    # check and extract cache by default: keep each test's caches to itself, never ~/.cache.
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def fake_pipeline_embedder(monkeypatch, fake_embedder):
    import factcheck.pipeline

    monkeypatch.setattr(factcheck.pipeline, "make_embedder", lambda *a, **k: fake_embedder)
    return fake_embedder


def _bad_inputs(tmp_path):
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    empty_file = tmp_path / "empty.txt"
    empty_file.write_text("   \n", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 au lait was served.".encode("latin-1"))
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(EVENT / "a_harbour.txt", one / "a.txt")
    twins = tmp_path / "twins"
    twins.mkdir()
    shutil.copy(EVENT / "a_harbour.txt", twins / "a.txt")
    shutil.copy(EVENT / "a_harbour.txt", twins / "b.txt")
    return [
        ([str(tmp_path / "missing")], "missing"),
        ([str(empty_dir)], "empty"),
        ([str(empty_file), str(EVENT / "b_coastal.txt")], "empty.txt"),
        ([str(binary), str(EVENT / "b_coastal.txt")], "blob.txt"),
        ([str(latin), str(EVENT / "b_coastal.txt")], "latin.txt"),
        ([str(one)], "a.txt"),
        ([str(twins)], ".txt"),
    ]


@pytest.mark.parametrize("case", range(7))
def test_cli_bad_input_is_one_line_exit_2(case, tmp_path, fake_pipeline_embedder):
    args, name = _bad_inputs(tmp_path)[case]
    out = tmp_path / "reports" / "r"
    result = runner.invoke(app, ["check", *args, "--out", str(out), "--claims-dir", str(tmp_path / "claims"), "-q"])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert name in lines[0] and "Fix:" in lines[0]
    assert "Traceback" not in result.output
    assert not out.with_suffix(".md").exists()


@pytest.mark.model
def test_cli_check_writes_report_claims_and_keeps_them_on_a_failed_rerun(tmp_path, fake_pipeline_embedder):
    out = tmp_path / "reports" / "event"
    claims = tmp_path / "claims"
    result = runner.invoke(app, ["check", str(EVENT), "--out", str(out), "--claims-dir", str(claims)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.with_suffix(".json").read_text())
    assert {"articles", "findings", "agreements", "single_source"} <= set(data)
    for f in data["findings"]:
        assert {"id", "kind", "severity", "summary", "evidence"} <= set(f)
        for e in f["evidence"]:
            assert {"article_id", "path", "start", "end", "text"} <= set(e)
    assert sorted(p.name for p in claims.iterdir()) == ["a_harbour.json", "b_coastal.json", "c_daily.json"]
    before = out.with_suffix(".md").read_text()
    claims_before = (claims / "a_harbour.json").read_text()
    # A failed run (bad input) leaves the earlier report and claims intact.
    bad = runner.invoke(app, ["check", str(tmp_path / "nope"), "--out", str(out), "--claims-dir", str(claims)])
    assert bad.exit_code == 2
    assert out.with_suffix(".md").read_text() == before
    assert (claims / "a_harbour.json").read_text() == claims_before
    assert not list(out.parent.glob(".*.tmp"))


@pytest.mark.model
def test_cli_extract_writes_claims_only(tmp_path):
    claims = tmp_path / "claims"
    result = runner.invoke(app, ["extract", str(EVENT), "--claims-dir", str(claims)])
    assert result.exit_code == 0, result.output
    doc = json.loads((claims / "b_coastal.json").read_text())
    text = doc["article"]["text"]
    for c in doc["claims"]:
        assert text[c["span"]["start"] : c["span"]["end"]] == c["text"]
    assert any(d["value"] == "2023-03-13" for c in doc["claims"] for d in c["dates"])


# ------------------------------ issue 12, case 6: unreadable input, unwritable outputs


def _one_line_exit_2(result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "Fix:" in lines[0], result.output
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def test_cli_check_unreadable_input_is_one_line_exit_2(tmp_path, monkeypatch, fake_pipeline_embedder):
    src = tmp_path / "src"
    shutil.copytree(EVENT, src)
    victim = src / "b_coastal.txt"
    real = Path.read_bytes

    def read_bytes(self):
        if self == victim:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = runner.invoke(
        app, ["check", str(src), "--out", str(tmp_path / "r"), "--claims-dir", str(tmp_path / "claims"), "-q"]
    )
    _one_line_exit_2(result, "b_coastal.txt", "permission denied")


@pytest.mark.model
@pytest.mark.parametrize("blocked", ["out", "out-parent", "claims", "claims-parent"])
def test_cli_check_unwritable_out_or_claims_dir_is_one_line_exit_2(blocked, tmp_path, fake_pipeline_embedder):
    # A file where a folder should be: blocks writes even for root.
    wall = tmp_path / "wall"
    wall.write_text("not a folder", encoding="utf-8")
    out, claims = tmp_path / "reports" / "r", tmp_path / "claims"
    if blocked == "out":
        out = wall / "r"
    elif blocked == "out-parent":
        out = wall / "deeper" / "r"
    elif blocked == "claims":
        claims = wall
    else:
        claims = wall / "claims"
    result = runner.invoke(app, ["check", str(EVENT), "--out", str(out), "--claims-dir", str(claims), "-q"])
    _one_line_exit_2(result, "cannot be written", "a file is in the way", str(wall))
    assert wall.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.model
def test_cli_check_read_only_out_folder_is_one_line_exit_2(tmp_path, monkeypatch, fake_pipeline_embedder):
    import tempfile

    ro = tmp_path / "readonly"
    ro.mkdir()
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == ro:
            raise PermissionError(13, "Permission denied", str(Path(dir) / "x.tmp"))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    result = runner.invoke(
        app, ["check", str(EVENT), "--out", str(ro / "r"), "--claims-dir", str(tmp_path / "c"), "-q"]
    )
    _one_line_exit_2(result, "permission denied", f"make {ro} writable")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder; the monkeypatched test covers it")
def test_cli_check_read_only_out_folder_for_real(tmp_path, fake_pipeline_embedder):
    ro = tmp_path / "readonly"
    ro.mkdir()
    ro.chmod(0o555)
    result = runner.invoke(
        app, ["check", str(EVENT), "--out", str(ro / "r"), "--claims-dir", str(tmp_path / "c"), "-q"]
    )
    _one_line_exit_2(result, "permission denied")


@pytest.mark.model
def test_cli_extract_unwritable_claims_dir_is_one_line_exit_2(tmp_path):
    wall = tmp_path / "wall"
    wall.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(EVENT), "--claims-dir", str(wall / "claims"), "-q"])
    _one_line_exit_2(result, "a file is in the way")


# ----------------------------- issue 12, case 4: damaged caches heal, every run goes on


@pytest.fixture
def cached_fake(monkeypatch, fake_embedder, tmp_path):
    """The real SQLite embedding cache around the fake model, in a cache folder of the test's own."""
    from factcheck.cache import default_cache_dir
    from factcheck.embed import CachedEmbedder

    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(
        "factcheck.cli.check._embedder",
        lambda backend, model, cache: CachedEmbedder(fake_embedder, default_cache_dir()) if cache else fake_embedder,
    )
    return tmp_path / "cache"


@pytest.mark.model
def test_cli_check_damaged_caches_heal_with_a_warning(tmp_path, cached_fake):
    args = ["check", str(EVENT), "--out", str(tmp_path / "r"), "--claims-dir", str(tmp_path / "claims")]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    report = (tmp_path / "r.json").read_text()
    # Damage every cache at once: junk database, junk extraction and event entries.
    (cached_fake / "embeddings.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    for entry in [*(cached_fake / "extract").glob("*.json"), *(cached_fake / "events").glob("*.json")]:
        entry.write_bytes(entry.read_bytes()[:20])
    outputs = []
    for _ in range(2):
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.output
        assert "Traceback" not in res.output
        assert (tmp_path / "r.json").read_text() == report  # the same report as before the damage
        outputs.append(res.output)
    healing, after = outputs
    for what in ("embedding cache", "extraction cache entry", "event cache entry"):
        assert f"warning: {what}" in healing and "moved aside" in healing, what
    assert "warning" not in after  # healed for good
    assert len(list(cached_fake.rglob("*.damaged-*"))) == 1 + 3 + 1  # database, 3 articles, 1 event


@pytest.mark.model
def test_cli_check_cache_folder_is_a_file_heals(tmp_path, cached_fake):
    cached_fake.write_text("not a folder", encoding="utf-8")
    res = runner.invoke(app, ["check", str(EVENT), "--out", str(tmp_path / "r"), "--claims-dir", str(tmp_path / "c")])
    assert res.exit_code == 0, res.output
    assert "warning: embedding cache folder" in res.output and "moved aside" in res.output
    assert cached_fake.is_dir()


@pytest.mark.model
def test_cli_check_quiet_still_prints_warnings_on_stderr(tmp_path, cached_fake):
    """--quiet drops the progress and the summary, never a warning (issue 14; it used to hide them)."""
    cached_fake.mkdir()
    (cached_fake / "embeddings.sqlite3").write_bytes(b"junk" * 100)
    res = runner.invoke(
        app, ["check", str(EVENT), "--out", str(tmp_path / "r"), "--claims-dir", str(tmp_path / "c"), "-q"]
    )
    assert res.exit_code == 0, res.output
    assert res.stdout == ""
    (line,) = res.stderr.splitlines()
    assert line.startswith("warning: embedding cache") and "moved aside" in line
    assert list(cached_fake.glob("embeddings.sqlite3.damaged-*"))


# ------------------------------------------- issue 12, case 5: big and cut articles


@pytest.mark.model
def test_cli_check_article_over_spacy_limit_is_checked(tmp_path, monkeypatch, fake_pipeline_embedder):
    """A 1.1 MB article met spaCy's 1,000,000-character limit (E088, traceback, exit 1); here the limit is lowered."""
    from factcheck.nlp import get_nlp

    src = tmp_path / "src"
    shutil.copytree(EVENT, src)
    big = src / "a_harbour.txt"
    body = big.read_text(encoding="utf-8")
    filler = "\n\n".join(f"Engineers checked pillar {i} of the old bridge and found it sound." for i in range(200))
    big.write_text(body.replace("Share this article", filler), encoding="utf-8")
    monkeypatch.setattr(get_nlp(), "max_length", 5000)
    result = runner.invoke(
        app, ["check", str(src), "--out", str(tmp_path / "r"), "--claims-dir", str(tmp_path / "claims"), "-q"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "claims" / "a_harbour.json").read_text())
    assert len(doc["article"]["text"]) > 5000
    assert all(doc["article"]["text"][c["span"]["start"] : c["span"]["end"]] == c["text"] for c in doc["claims"])


def test_cli_check_article_over_hard_limit_is_one_line_exit_2(tmp_path, monkeypatch, fake_pipeline_embedder):
    monkeypatch.setattr("factcheck.extract.parse.MAX_ARTICLE_CHARS", 300)
    result = runner.invoke(
        app, ["check", str(EVENT), "--out", str(tmp_path / "r"), "--claims-dir", str(tmp_path / "claims"), "-q"]
    )
    _one_line_exit_2(result, ".txt: the article is", "at most 300 are checked")


@pytest.mark.model
def test_cli_check_cut_file_is_a_warning_in_report_and_stderr(tmp_path, fake_pipeline_embedder):
    src = tmp_path / "src"
    shutil.copytree(EVENT, src)
    path = src / "c_daily.txt"
    comments = "\n\n".join(f"Reader {i}: the bridge was unsafe for years, everyone knew it." for i in range(500))
    path.write_text(path.read_text(encoding="utf-8") + "\n" + comments + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(src), "--out", str(tmp_path / "r"), "--claims-dir", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    warnings = json.loads((tmp_path / "r.json").read_text())["warnings"]
    (cut,) = [w for w in warnings if "cleaning cut the file" in w]
    assert "c_daily.txt" in cut and "'Leave a Comment'" in cut and "1,001 lines" in cut and "not checked" in cut
    assert f"warning: {cut}" in result.output
    assert cut.split(":", 1)[1].strip()[:30] in (tmp_path / "r.md").read_text()


@pytest.mark.model
def test_cli_check_unreadable_reviews_file_writes_nothing(tmp_path, fake_pipeline_embedder):
    out, claims = tmp_path / "reports" / "r", tmp_path / "claims"
    assert runner.invoke(app, ["check", str(EVENT), "--out", str(out), "--claims-dir", str(claims)]).exit_code == 0
    (tmp_path / "reports" / "r.reviews.json").write_text("{broken", encoding="utf-8")
    written = [*claims.iterdir(), out.with_suffix(".md"), out.with_suffix(".json")]
    mtimes = {p: p.stat().st_mtime_ns for p in written}
    result = runner.invoke(app, ["check", str(EVENT), "--out", str(out), "--claims-dir", str(claims), "-q"])
    _one_line_exit_2(result, "r.reviews.json", "review file cannot be read")
    assert {p: p.stat().st_mtime_ns for p in written} == mtimes  # no claim or report rewritten
