"""The escaping layer: untrusted text rendered by a real CommonMark renderer stays inert text.

Each fragment is rendered with markdown-it (CommonMark plus GFM tables and
strikethrough) and its tokens are checked: the input may only ever come out
as text in the construct the page put it in, with its characters intact.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from factcheck.markup import md_blockquote, md_code, md_fence, md_link, md_link_text, md_text

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![pic](https://example.org/p.png)",
    "<https://evil.example>",
    "<!-- hidden -->",
    "<div>block html</div>",
    "[ref]: https://evil.example",
    "`code` and ``more``",
    "```",
    "```js\nalert(1)\n```",
    "~~~",
    "# heading",
    "   ## heading ##",
    "a\n# heading after a newline",
    "a\r# heading after a CR",
    "a\u2028# heading after U+2028",
    "> quoted",
    "- item",
    "+ item",
    "* item",
    "1. item",
    "12) item",
    "---",
    "===",
    "***",
    "___",
    "| a | b |",
    "a | b",
    "&lt;script&gt; and &#60;b&#62; and &copy;",
    "AT&T and Q&A",
    "**bold** and __bold__",
    "_em_ and *em*",
    "~~struck~~",
    "back\\slash \\* and trailing \\",
    "two spaces  \nhard break",
    "    indented code",
    "\tTab first",
    "nul\x00bell\x07esc\x1b",
    "snake_case_words and 000_efbc0abb",
]


def _text(children) -> str:
    return "".join(c.content for c in children if c.type == "text")


def _plain(s: str) -> str:
    """What md_text promises to show: line breaks as spaces, controls as U+FFFD, trimmed."""
    s = re.sub(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]", " ", s)
    return re.sub(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]", "\ufffd", s).strip()


def _only_inline_text(tokens, block: str) -> str:
    """The tokens are exactly <block> > inline (text only); returns the text."""
    types = [t.type for t in tokens]
    assert types == [f"{block}_open", "inline", f"{block}_close"], types
    kids = tokens[1].children
    assert {c.type for c in kids} <= {"text"}, [c.type for c in kids]
    return _text(kids)


# ----------------------------------------------------------------- md_text


@pytest.mark.parametrize("s", HOSTILE)
def test_markup_md_text_is_one_paragraph_of_plain_text(s: str) -> None:
    assert _only_inline_text(MD.parse(md_text(s)), "paragraph") == _plain(s)
    assert "<" not in MD.render(md_text(s)).replace("<p>", "").replace("</p>", "")


@pytest.mark.parametrize("s", HOSTILE)
def test_markup_md_text_in_a_heading_stays_the_heading_text(s: str) -> None:
    tokens = MD.parse("#### F-1 · " + md_text(s))
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    assert tokens[0].tag == "h4"
    assert _text(tokens[1].children) == ("F-1 · " + _plain(s)).strip()


@pytest.mark.parametrize("s", HOSTILE)
def test_markup_md_text_in_a_list_item_and_table_cell(s: str) -> None:
    tokens = MD.parse("- " + md_text(s) + "\n- second")
    assert [t.type for t in tokens].count("list_item_open") == 2
    assert {t.type for t in tokens} <= {
        "bullet_list_open",
        "bullet_list_close",
        "list_item_open",
        "list_item_close",
        "paragraph_open",
        "paragraph_close",
        "inline",
    }
    table = f"| a | b |\n|---|---|\n| {md_text(s)} | x |\n"
    tokens = MD.parse(table)
    cells = [t for t in tokens if t.type == "inline"]
    assert len(cells) == 4, [c.content for c in cells]  # the row still has two cells
    assert _text(cells[2].children) == _plain(s)
    assert all(c.type == "text" for c in cells[2].children)


@pytest.mark.parametrize("s", HOSTILE)
def test_markup_md_link_text_cannot_close_or_nest_a_link(s: str) -> None:
    tokens = MD.parse(f"[{md_link_text(s)}](https://example.org/x)")
    kids = tokens[1].children
    assert [c.type for c in kids if c.type.startswith("link")] == ["link_open", "link_close"]
    assert kids[0].attrGet("href") == "https://example.org/x"
    assert _text(kids) == _plain(s)


def test_markup_md_text_keeps_intraword_underscores_readable() -> None:
    assert md_text("000_efbc0abb699715ea") == "000_efbc0abb699715ea"
    assert md_text("_em_") == "\\_em\\_"
    assert md_text(None) == "" and md_text("") == ""


@given(st.text(max_size=80))
def test_markup_md_text_any_text_is_plain_text(s: str) -> None:
    if not _plain(s):
        assert md_text(s) == ""
        return
    assert _only_inline_text(MD.parse(md_text(s)), "paragraph") == _plain(s)


# ----------------------------------------------------------------- md_code

FILE_NAMES = [
    "seeds/000_efbc0abb699715ea.txt:33",
    "a`b.txt",
    "``double``.txt",
    "`start.txt",
    "end.txt`",
    "new\nline.txt",
    "new\n# heading.txt:3",
    " spaced .txt",
    "<script>alert(1)</script>.txt",
    "[x](javascript:alert(1)).txt",
    "pipe|name.txt",
    "bell\x07.txt",
]


@pytest.mark.parametrize("name", FILE_NAMES)
def test_markup_md_code_is_one_code_span_with_the_name(name: str) -> None:
    tokens = MD.parse("see " + md_code(name) + " (chars 1-2)")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    codes = [c for c in tokens[1].children if c.type == "code_inline"]
    assert len(codes) == 1
    shown = name.replace("\n", "\\n").replace("\x07", "\\x07")
    assert codes[0].content == shown
    assert _text(tokens[1].children) == "see  (chars 1-2)"


@pytest.mark.parametrize("name", FILE_NAMES)
def test_markup_md_code_in_a_table_cell_keeps_the_row(name: str) -> None:
    tokens = MD.parse(f"| a | b |\n|---|---|\n| {md_code(name, in_table=True)} | x |\n")
    cells = [t for t in tokens if t.type == "inline"]
    assert len(cells) == 4
    assert [c.type for c in cells[2].children] == ["code_inline"]


@given(st.text(min_size=1, max_size=40))
def test_markup_md_code_any_text_is_one_code_span(s: str) -> None:
    tokens = MD.parse("x " + md_code(s))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert [c.type for c in tokens[1].children if c.type != "text"] == ["code_inline"]


# ----------------------------------------------------------- md_blockquote


@pytest.mark.parametrize("s", HOSTILE + ["first line\n\n# second paragraph\n```\n</blockquote><script>x</script>"])
def test_markup_md_blockquote_is_one_quote_of_paragraphs(s: str) -> None:
    tokens = MD.parse(md_blockquote(s) + "\n\nafter")
    types = [t.type for t in tokens]
    assert types[0] == "blockquote_open"
    close = types.index("blockquote_close")
    assert types[close + 1 :] == ["paragraph_open", "inline", "paragraph_close"]  # "after" is outside
    assert set(types[1:close]) <= {"paragraph_open", "inline", "paragraph_close"}
    for t in tokens[1:close]:
        if t.type == "inline":
            assert {c.type for c in t.children} <= {"text", "softbreak"}
    shown = [
        "".join(c.content if c.type == "text" else "\n" for c in t.children).split("\n")
        for t in tokens[1:close]
        if t.type == "inline"
    ]
    lines = [line.strip() for para in shown for line in para]
    expected = [_plain(line) for line in re.split(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]", s)]
    assert lines == [line for line in expected if line]


# ------------------------------------------------------------------ md_fence


@pytest.mark.parametrize(
    "s",
    [
        "We [-will-] {+shall+} go",
        "a ``` b",
        "```\n# not a heading\n```",
        "````x````",
        "<script>alert(1)</script>",
        "line\r\nline",
    ],
)
def test_markup_md_fence_is_one_block_with_the_text(s: str) -> None:
    tokens = MD.parse(md_fence(s, "diff") + "\n\nafter")
    assert [t.type for t in tokens] == ["fence", "paragraph_open", "inline", "paragraph_close"]
    assert tokens[0].info == "diff"
    assert tokens[0].content == s.replace("\r\n", "\n") + "\n"


def test_markup_md_fence_drops_an_info_string_that_is_not_a_word() -> None:
    assert md_fence("x", "diff` onload=x").startswith("```\n")


# ------------------------------------------------------------------- md_link


@pytest.mark.parametrize(
    "url, href",
    [
        ("https://example.org/a b", "https://example.org/a%20b"),
        ("http://example.org/p?q=1&r=2#top", "http://example.org/p?q=1&r=2#top"),
        ("mailto:desk@example.org", "mailto:desk@example.org"),
        ("claims/000_x.json", "claims/000_x.json"),
        ("claims/a (1).json", "claims/a%20%281%29.json"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("file:///etc/passwd", None),
        ("https://example.org/\n# x", None),
        ("", None),
    ],
)
def test_markup_md_link_only_to_safe_destinations(url: str, href: str | None) -> None:
    tokens = MD.parse(md_link("the <b>text</b>", url))
    kids = tokens[1].children
    links = [c for c in kids if c.type == "link_open"]
    if href is None:
        assert not links
    else:
        assert [c.attrGet("href") for c in links] == [href]
    assert "the <b>text</b>" in _text(kids)
