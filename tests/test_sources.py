"""Source metadata an editor gives (issue 10): sources.toml / sources.csv and Markdown front matter."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from factcheck.cache import cache_key
from factcheck.errors import InputError
from factcheck.load import load_paths
from factcheck.pipeline import check, line_lookup, prepare
from factcheck.report import to_markdown
from factcheck.report.view import cite

ROOT = Path(__file__).resolve().parents[1]
EVENT = ROOT / "tests" / "fixtures" / "event"
INPUTS = ROOT / "tests" / "fixtures" / "inputs"


def _folder(tmp_path: Path, manifest_name: str | None = None, manifest: str = "") -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for name in ("a_harbour.txt", "b_coastal.txt"):
        shutil.copy(EVENT / name, d / name)
    if manifest_name:
        (d / manifest_name).write_text(manifest, encoding="utf-8")
    return d


TOML = """# what the desk knows
["a_harbour.txt"]
outlet = "Harbour Herald"
published = 2023-03-13T18:30:00+00:00
url = "https://herald.example/bridge"
origin = "AP"

["b_coastal.txt"]
outlet = "Coastal Times"
"""
CSV = """file,outlet,published,url,origin
a_harbour.txt,Harbour Herald,2023-03-13T18:30:00+00:00,https://herald.example/bridge,AP
b_coastal.txt,Coastal Times,,,
"""


@pytest.mark.parametrize("name,text", [("sources.toml", TOML), ("sources.csv", CSV)])
def test_sources_manifest_fills_metadata(tmp_path, name, text):
    docs = {d.id: d for d in load_paths([_folder(tmp_path, name, text)])}
    assert set(docs) == {"a_harbour", "b_coastal"}  # the manifest is not an article
    a = docs["a_harbour"]
    assert (a.outlet, a.url, a.origin) == ("Harbour Herald", "https://herald.example/bridge", "AP")
    assert a.published == dt.date(2023, 3, 13) and a.published_at.hour == 18
    assert docs["b_coastal"].outlet == "Coastal Times"
    # The header's date stays where the manifest says nothing.
    assert docs["b_coastal"].published is None  # (read later, by clean)


BAD = [
    ("sources.toml", '["a_harbour.txt"]\noutlet = "X"\nauthor = "Y"\n', ":3", "unknown manifest key 'author'"),
    ("sources.toml", '["a_harbour.txt"]\npublished = "13 March 2023"\n', ":2", "not an ISO date"),
    ("sources.toml", '["a_harbour.txt"]\nurl = "javascript:alert(1)"\n', ":2", "not an http(s) address"),
    ("sources.toml", '["a_harbor.txt"]\noutlet = "X"\n', ":1", "not a file in"),
    ("sources.toml", '["a_harbour.txt"]\noutlet = \n', ":2", "invalid TOML"),
    ("sources.toml", 'outlet = "X"\n', ":1", "not a table"),
    ("sources.toml", '["a_harbour.txt"]\noutlet = 3\n', ":2", "must be text"),
    ("sources.csv", "file,outlet,author\n", ":1", "unknown column 'author'"),
    ("sources.csv", "file,outlet\na_harbour.txt,X,Y\n", ":2", "3 cells where the header has 2"),
    ("sources.csv", "file,published\na_harbour.txt,yesterday\n", ":2", "not an ISO date"),
    ("sources.csv", "file,outlet\na_harbour.txt,X\na_harbour.txt,Y\n", ":3", "second row"),
    ("sources.csv", "outlet\nX\n", ":1", "no 'file' column"),
]


@pytest.mark.parametrize("name,text,line,problem", BAD)
def test_sources_manifest_errors_name_file_and_line(tmp_path, name, text, line, problem):
    with pytest.raises(InputError) as exc:
        load_paths([_folder(tmp_path, name, text)])
    assert exc.value.where.endswith(name + line), exc.value.where
    assert problem in exc.value.problem


def test_sources_two_manifests_is_an_error(tmp_path):
    d = _folder(tmp_path, "sources.toml", "")
    (d / "sources.csv").write_text("file,outlet\n", encoding="utf-8")
    with pytest.raises(InputError, match="second manifest"):
        load_paths([d])


def test_sources_manifest_applies_to_files_given_one_by_one(tmp_path):
    d = _folder(tmp_path, "sources.toml", TOML)
    (doc,) = load_paths([d / "a_harbour.txt"])
    assert doc.outlet == "Harbour Herald"


FRONT = """---
title: "Bridge shut after storm"
outlet: Harbour Herald
published: 2023-03-14
url: https://herald.example/b
---
The city council said Monday that the Harbour Bridge would stay closed until engineers finish their inspection.

Twelve people were injured when a section of the walkway gave way during the storm, officials said.
"""


def test_sources_front_matter_in_markdown(tmp_path):
    p = tmp_path / "a.md"
    p.write_text(FRONT, encoding="utf-8")
    prep = prepare([p])
    (art,) = prep.articles
    assert (art.outlet, art.url, art.published) == ("Harbour Herald", "https://herald.example/b", dt.date(2023, 3, 14))
    assert art.title == "Bridge shut after storm"
    assert "outlet:" not in art.text and "---" not in art.text
    # Lines are still lines of the file: the first sentence is on line 7.
    line_of = line_lookup(prep.raws, prep.articles)
    assert line_of(art.id, art.text.index("The city council")) == 7


@pytest.mark.parametrize(
    "text,line,problem",
    [
        (
            "---\noutlet: X\nbyline: Y\n---\nBody text of the article goes here in full.\n",
            ":3",
            "unknown front matter key",
        ),
        ("---\npublished: last week\n---\nBody text of the article goes here in full.\n", ":2", "not an ISO date"),
        ("---\njust words\n---\nBody text of the article goes here in full.\n", ":2", "not 'key: value'"),
        ("---\noutlet: X\nBody text of the article goes here in full.\n", ":1", "never closed"),
    ],
)
def test_sources_front_matter_errors(tmp_path, text, line, problem):
    p = tmp_path / "a.md"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_paths([p])
    assert exc.value.where.endswith("a.md" + line) and problem in exc.value.problem


@pytest.mark.model
def test_sources_manifest_date_resolves_relative_dates_and_keys_the_cache(tmp_path, fake_embedder):
    """An undated article's "Monday" resolves once the manifest dates it; the extraction cache key changes."""
    d = tmp_path / "in"
    d.mkdir()
    text = EVENT.joinpath("a_harbour.txt").read_text(encoding="utf-8").replace("Tue Mar 14 2023\n", "")
    (d / "a.txt").write_text(text, encoding="utf-8")
    shutil.copy(EVENT / "b_coastal.txt", d / "b.txt")
    before, results = check([d], name="r", embedder=fake_embedder)
    monday = [x for c in results[0].claims for x in c.dates if x.text == "Monday"]
    assert monday and monday[0].value is None
    assert "No publication date for a.txt" in to_markdown(before)
    key = cache_key(results[0].article, 5)
    (d / "sources.toml").write_text('["a.txt"]\npublished = 2023-03-14\n', encoding="utf-8")
    after, results = check([d], name="r", embedder=fake_embedder)
    monday = [x for c in results[0].claims for x in c.dates if x.text == "Monday"]
    assert monday[0].value == "2023-03-13"
    assert cache_key(results[0].article, 5) != key
    assert "No publication date" not in to_markdown(after)


@pytest.mark.model
def test_sources_citations_for_html_and_jsonl(tmp_path, fake_embedder):
    """HTML evidence by page-source line; JSONL by record and field; the report says so."""
    prep = prepare([INPUTS / "bridge.html", INPUTS / "articles.jsonl"])
    line_of = line_lookup(prep.raws, prep.articles)
    html = next(a for a in prep.articles if a.format == "html")
    source = (INPUTS / "bridge.html").read_text(encoding="utf-8").split("\n")
    body = html.text[html.headline.end + 2 if html.headline else 0 :]
    first = body.split("\n")[0]
    line = line_of(html.id, html.text.index(first))
    assert line is not None and first[:30] in " ".join(source[line - 1 : line + 2])
    record = next(a for a in prep.articles if a.format == "json")
    raw = next(r for r in prep.raws if r.id == record.id)
    assert line_of(record.id, 0) == raw.record
    report, _ = check([INPUTS / "articles.jsonl"], name="r", embedder=fake_embedder)
    arts = {a.id: a for a in report.articles}
    s = report.single_source[0]
    label = cite(s.evidence, arts[s.article_id]).label
    assert f"record {arts[s.article_id].record}, field" in label
    data = json.loads(
        Path(INPUTS / "articles.jsonl").read_text(encoding="utf-8").split("\n")[arts[s.article_id].record - 1]
    )
    assert s.evidence.text in data.get("title", "") + data["text"]


@pytest.mark.model
def test_sources_manifest_error_is_one_line_exit_2(tmp_path):
    from typer.testing import CliRunner

    from factcheck.cli import app

    d = _folder(tmp_path, "sources.toml", '["a_harbour.txt"]\npublished = "soon"\n')
    result = CliRunner().invoke(app, ["check", str(d), "--out", str(tmp_path / "r"), "--no-cache", "-q"])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "sources.toml:2" in lines[0] and "Fix:" in lines[0]
