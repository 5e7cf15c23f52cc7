"""Property-based fuzzing of load and clean (issue 12): any input loads or ends in the project's error.

Random bytes, random Unicode, news-like line soups and JSON records of any
shape are written to files of every supported kind and read the way
``check`` reads them (``pipeline.prepare``: load, then clean). Each must
either give articles whose every kept character maps back to the file, or
raise a ``FactcheckError`` naming the file with a fix on one line. Anything
else (a traceback) fails. Example counts come from the hypothesis profile
in conftest.py ("ci": 100 per test, derandomised).
"""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.errors import FactcheckError
from factcheck.pipeline import prepare

SUFFIXES = [".txt", ".md", ".json", ".jsonl", ".html"]
_n = count()

# Lines the cleaner has rules for, to reach them more often than chance would.
NEWS_LINES = [
    "Harbour Bridge Closed After Storm Damage",
    "By Jane Doe, Reuters",
    "• Peter Martin - Bloomberg News",
    "Published: 2023-05-30",
    "Tue May 30 2023",
    "WASHINGTON —",
    "WASHINGTON (Reuters) — The Pentagon said on Monday that talks would resume.",
    "“We will rebuild the bridge within two years,” Mayor Ana Ruiz said.",
    "The city council said Monday that the Harbour Bridge would stay closed until engineers finish.",
    "Share this article",
    "Facebook Twitter WhatsApp Email",
    "Leave a Reply",
    "12 Comments",
    "Advertisement",
    "Read more: Storm shuts bridge",
    "photo.jpg",
    "https://example.org/story",
    "----",
    "\\n",
    "beijingwalker",
    "\xa0",
    "# Heading",
    "> quote",
    "- item",
    "1. item",
    "[link](http://x)",
    "![i](x.png)",
    "<p>html</p>",
    "*emphasis* and _more_",
    "```",
    "",
]
line_soup = st.lists(st.one_of(st.sampled_from(NEWS_LINES), st.text(max_size=60)), max_size=25).map(
    lambda lines: "\n".join(lines)
)
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40), line_soup
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
record = st.dictionaries(
    st.sampled_from(["text", "title", "outlet", "source", "published", "date", "id", "author", "byline", "x"]),
    json_value,
    max_size=6,
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _loads_or_fails_cleanly(folder: Path, data: bytes, suffix: str) -> None:
    path = folder / f"f{next(_n)}{suffix}"
    path.write_bytes(data)
    try:
        prep = prepare([path])
    except FactcheckError as exc:
        msg = str(exc)
        assert "\n" not in msg and "Fix:" in msg, msg
        assert exc.exit_code == 2
        return
    finally:
        path.unlink()
    for raw, art in zip(prep.raws, prep.articles):
        assert art.text.strip()
        for seg in art.segments:  # every kept character is a verbatim copy of the file text
            assert (
                art.text[seg.clean_start : seg.clean_start + seg.length]
                == raw.text[seg.orig_start : seg.orig_start + seg.length]
            )
        art.model_dump_json()  # and the record can be written (valid Unicode throughout)


@given(st.binary(max_size=400), st.sampled_from(SUFFIXES))
def test_fuzz_load_and_clean_random_bytes(folder: Path, data: bytes, suffix: str) -> None:
    _loads_or_fails_cleanly(folder, data, suffix)


@given(st.text(max_size=300), st.sampled_from(SUFFIXES))
def test_fuzz_load_and_clean_random_unicode(folder: Path, text: str, suffix: str) -> None:
    _loads_or_fails_cleanly(folder, text.encode("utf-8"), suffix)


@given(line_soup, st.sampled_from([".txt", ".md", ".html"]), st.booleans())
def test_fuzz_load_and_clean_news_like_lines(folder: Path, text: str, suffix: str, crlf: bool) -> None:
    if suffix == ".html":
        text = (
            "<html><body><article>"
            + "".join(f"<p>{line}</p>" for line in text.split("\n"))
            + "</article></body></html>"
        )
    if crlf:
        text = text.replace("\n", "\r\n")
    _loads_or_fails_cleanly(folder, text.encode("utf-8"), suffix)


@given(st.lists(record, min_size=1, max_size=3), st.booleans())
def test_fuzz_load_and_clean_json_records(folder: Path, records: list, ascii_only: bool) -> None:
    one = json.dumps(records[0], ensure_ascii=ascii_only)
    _loads_or_fails_cleanly(folder, one.encode("utf-8"), ".json")
    lines = "\n".join(json.dumps(r, ensure_ascii=ascii_only) for r in records)
    _loads_or_fails_cleanly(folder, lines.encode("utf-8"), ".jsonl")


# Pieces of hand-written JSON that json.loads accepts but no file can hold, or
# that it rejects with something other than JSONDecodeError.
ESCAPES = ["\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u0000", "\\u00e9", '\\"', "\\\\", "\\x41", "\\u12", "\\n", "\t"]
hand_json = st.one_of(
    st.lists(st.one_of(st.sampled_from(ESCAPES), st.text(max_size=8)), max_size=12).map(
        lambda parts: '{"title": "t", "text": "' + "".join(parts) + ' body text"}'
    ),
    st.integers(min_value=4200, max_value=4400).map(lambda n: '{"text": "body", "n": ' + "9" * n + "}"),
    st.integers(min_value=1, max_value=30000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=1, max_value=30000).map(lambda n: '{"text": ' + "[" * n + "]" * n + "}"),
)


@given(hand_json, st.sampled_from([".json", ".jsonl"]))
def test_fuzz_load_hand_written_json(folder: Path, text: str, suffix: str) -> None:
    # Lone surrogates, broken escapes, numbers longer than Python converts, nesting deeper than it recurses.
    _loads_or_fails_cleanly(folder, text.encode("utf-8"), suffix)
