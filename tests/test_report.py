"""The Markdown report with hostile input: nothing from an article, a file name or a note becomes markup.

Issue 12, case 2: titles, outlets, evidence, file names and review notes went
raw into the page; a CommonMark renderer made live tags, links and headings
of them. Here a real run (fake embedder) over articles built to carry every
kind of markup is rendered with markdown-it, token by token.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from factcheck.pipeline import check
from factcheck.report import to_markdown, write_report
from factcheck.review import apply_reviews, decide

ROOT = Path(__file__).resolve().parents[1]
EVENT = ROOT / "tests" / "fixtures" / "event"
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
HOSTILE_NOTE = f"looks fine {SCRIPT}\n# heading from a note\n```\n{IMG} {LINK} `tick`\n> quote\n- item"
# Our own headings; anything else in a heading came from input.
OWN_HEADINGS = re.compile(
    r"^(Consistency report: .*|Not checked|Fact sheet|Key figures|Statements|People|Timeline|Told by several outlets"
    r"|Discrepancies|F-[0-9a-f]{10} · .*|Outlets|Claims only one outlet makes|How to read this report)$"
)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Three articles of the test event, every field loaded with markup."""
    src = tmp_path / "in"
    src.mkdir()
    a = EVENT.joinpath("a_harbour.txt").read_text(encoding="utf-8")
    a = a.replace("Harbour Bridge Closed After Storm Damage", f"Harbour Bridge {SCRIPT} {LINK} Closed `x` ```")
    a = a.replace("we will do it safely,", f"we will do it safely {IMG} ``` # not a heading,")
    a = a.replace("Ruiz added that", f"Ruiz added {SCRIPT} and [y](javascript:alert(2)) that")
    (src / f"a_harbour `tick` \n# heading from a file name {IMG}.txt").write_text(a, encoding="utf-8")
    b = EVENT.joinpath("b_coastal.txt").read_text(encoding="utf-8").split("\n", 4)[4]
    (src / "b`coastal.json").write_text(
        json.dumps(
            {
                "title": f"{IMG} Storm Shuts Harbour Bridge",
                "outlet": f"{LINK} `Times` # Outlet | cell",
                "published": "2023-03-14",
                "text": b,
            }
        ),
        encoding="utf-8",
    )
    shutil.copy(EVENT / "c_daily.txt", src / "c_daily.txt")
    return src


def _assert_inert(md: str) -> list:
    tokens = MD.parse(md)
    flat = [t for tok in tokens for t in [tok, *(tok.children or [])]]
    kinds = {t.type for t in flat}
    assert not kinds & {"html_block", "html_inline"}, "HTML from input"
    assert "image" not in kinds, "an image from input"
    # The page's own links only: citations to the source files (relative
    # paths, with #L<line>) and http(s) addresses from a manifest.
    for t in flat:
        if t.type == "link_open":
            href = t.attrs["href"]
            assert re.match(r"https?://", href) or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", href), href
            assert "javascript" not in href.lower()
    assert "code_block" not in kinds  # indented code: only fences are ours
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            text = "".join(c.content for c in tokens[i + 1].children if c.type in ("text", "code_inline"))
            assert OWN_HEADINGS.match(text), f"heading from input: {text!r}"
        if t.type == "fence":
            assert t.info == "diff"
    html = MD.render(md)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    return tokens


@pytest.mark.model
def test_report_untrusted_text_renders_inert(hostile: Path, fake_embedder, tmp_path: Path) -> None:
    report, _ = check([hostile], name=f"r {SCRIPT}", embedder=fake_embedder)
    assert report.findings, "the event's planted discrepancies should be found"
    md = to_markdown(report)
    tokens = _assert_inert(md)
    # The text is still there, shown as written: title and outlet in the sources table,
    # the file name (newline shown as \n) in a code span, the evidence in a block quote.
    cells = [t.content for t in tokens if t.type == "inline"]
    titles = [c for c in cells if "Storm Shuts" in c or "Harbour Bridge \\<" in c]
    assert titles
    rendered_text = "".join(
        c.content for t in tokens if t.type == "inline" for c in t.children if c.type in ("text", "code_inline")
    )
    for s in (SCRIPT, IMG, LINK, "`Times` # Outlet | cell", "# heading from a file name"):
        assert s in rendered_text, s
    assert "a_harbour `tick` \\n# heading from a file name" in rendered_text
    codes = [c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "code_inline"]
    assert any(c.endswith("/b`coastal.json") for c in codes)


@pytest.mark.model
def test_report_review_note_renders_inert(hostile: Path, fake_embedder, tmp_path: Path) -> None:
    report, _ = check([hostile], name="r", embedder=fake_embedder)
    out = tmp_path / "reports" / "r"
    annotated, _ = apply_reviews(report, out)
    write_report(annotated, out)
    decide(out, report.findings[0].id, "confirmed", reviewer=f"ann {IMG}", note=HOSTILE_NOTE)
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    tokens = _assert_inert(md)
    note = next(t.content for t in tokens if t.type == "inline" and t.content.startswith("*Reviewer note:*"))
    shown = "".join(
        c.content for t in tokens if t.type == "inline" and t.content == note for c in t.children if c.type == "text"
    )
    assert "# heading from a note" in shown and SCRIPT in shown and "```" in shown
