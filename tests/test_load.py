"""Tests for factcheck.load: formats, ids, metadata and every bad-input error."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

from factcheck.errors import InputError
from factcheck.load import SUPPORTED_SUFFIXES, load_file, load_paths, parse_full_date, record_to_raw

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"


def test_load_folder_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Second article text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article text.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text("Git internals.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    docs = load_paths([tmp_path])
    assert [d.id for d in docs] == ["a", "z"]


def test_load_markdown_suffix_is_markdown_with_front_matter(tmp_path: Path) -> None:
    (tmp_path / "ferry.markdown").write_text(
        "---\ntitle: Ferry sinks off the coast\noutlet: Harbour Times\n---\nThe ferry sank on Monday, the coast guard said.\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.mdown").write_text("Not a suffix factcheck reads.", encoding="utf-8")
    docs = load_paths([tmp_path])  # a folder finds it
    assert [(d.id, d.format, d.title, d.outlet) for d in docs] == [
        ("ferry", "md", "Ferry sinks off the coast", "Harbour Times")
    ]
    assert docs[0].text[docs[0].body_start :].startswith("The ferry sank on Monday")


def test_load_fixture_folder_reads_every_format() -> None:
    docs = {d.id: d for d in load_paths([FIXTURES])}
    assert set(docs) == {
        "articles-1",
        "custom-7",
        "bridge",
        "ferry_timetable",
        "forum_repost",
        "lighthouse",
        "web_page",
    }
    assert {d.format for d in docs.values()} == {"txt", "md", "html", "json"}


def test_load_txt_id_is_stem_and_sha1_is_of_file_bytes() -> None:
    path = FIXTURES / "web_page.txt"
    (doc,) = load_file(path)
    assert doc.id == "web_page"
    assert doc.format == "txt" and doc.text_is_file
    assert doc.raw_sha1 == hashlib.sha1(path.read_bytes()).hexdigest()
    assert doc.text == path.read_text(encoding="utf-8")


def test_load_jsonl_ids_outlet_and_dates() -> None:
    path = FIXTURES / "articles.jsonl"
    first, second = load_file(path)
    assert first.id == "articles-1"  # <stem>-<line number>
    assert second.id == "custom-7"  # the record's own id
    assert first.outlet == "Dock Times"  # from "source"
    assert first.published == dt.date(2024, 1, 5)
    assert second.published is None and second.published_text == "January 2024"  # no day: never guessed
    line1 = path.read_text(encoding="utf-8").split("\n")[0]
    assert first.raw_sha1 == hashlib.sha1(line1.encode("utf-8")).hexdigest()
    assert not first.text_is_file


def test_load_json_single_article() -> None:
    (doc,) = load_file(FIXTURES / "lighthouse.json")
    assert (doc.id, doc.title, doc.outlet, doc.published) == (
        "lighthouse",
        "Lighthouse restored",
        "Coast Weekly",
        dt.date(2024, 3, 3),
    )
    assert "\n\n" in doc.text


def test_load_html_extracts_main_text_and_metadata() -> None:
    (doc,) = load_file(FIXTURES / "bridge.html")
    assert doc.format == "html" and not doc.text_is_file
    assert "The old river bridge reopened to traffic on Monday" in doc.text
    assert "Copyright" not in doc.text and "Home" not in doc.text.split("\n")
    assert doc.outlet == "Valley Herald"
    assert doc.published == dt.date(2024, 3, 4)


def test_load_accepts_bom_and_normalises_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfTitle line\r\n\r\nBody text here.\r\n")
    (doc,) = load_file(path)
    assert doc.text == "Title line\n\nBody text here.\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2023-05-30", dt.date(2023, 5, 30)),
        ("Tue May 30 2023", dt.date(2023, 5, 30)),
        ("2021-08-09T08:45:00-07:00", dt.date(2021, 8, 9)),
        ("May 2023", None),
        ("2023", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_load_parse_full_date(text: str, expected: dt.date | None) -> None:
    assert parse_full_date(text) == expected


def test_load_record_to_raw_requires_text() -> None:
    with pytest.raises(InputError, match="x.jsonl line 4.*'text'"):
        record_to_raw({"title": "No body"}, doc_id="a", path="x.jsonl", where="x.jsonl line 4")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "empty"),
        ("binary.txt", b"abc\x00def", r"NUL byte at byte offset 3"),
        ("latin1.txt", b"caf\xe9 au lait", r"not UTF-8 \(byte 0xe9 at byte offset 3\).*save it as UTF-8"),
        ("slides.pdf", b"%PDF-1.4", r"unsupported file type '\.pdf'.*\.txt"),
        ("bad.json", b'{"text": "x",', r"invalid JSON"),
        ("list.json", b'[{"text": "x"}]', r"found a JSON list.*jsonl"),
        ("notext.json", b'{"title": "x"}', r"no 'text' field"),
        ("emptytext.json", b'{"text": "  "}', r"'text' is empty"),
        ("bad.jsonl", b'{"text": "ok"}\n{"text": \n', r"line 2.*invalid JSON"),
        ("numbers.jsonl", b"[1, 2]\n", r"line 1.*found a JSON list"),
        # Issue 12, case 8: UTF-16 is text in another encoding, not "binary (NUL byte)".
        (
            "utf16le.txt",
            "\ufeffThe council met.".encode("utf-16-le"),
            r"UTF-16LE text \(byte-order mark FF FE\).*UTF-8",
        ),
        ("utf16be.txt", "\ufeffThe council met.".encode("utf-16-be"), r"UTF-16BE text.*iconv -f UTF-16"),
        (
            "utf16-nobom.txt",
            "The council met on Monday.".encode("utf-16-le"),
            r"UTF-16LE text without a byte-order mark",
        ),
        ("utf32.txt", "\ufeffThe council met.".encode("utf-32-le"), r"UTF-32LE text"),
        # ... and a 'text' that is there but not a string is not "no 'text' field".
        ("number.json", b'{"text": 42}', r"'text' must be a string, found a number"),
        ("list-text.jsonl", b'{"text": ["a", "b"]}\n', r"line 1.*'text' must be a string, found a list"),
        ("null-text.json", b'{"text": null}', r"'text' must be a string, found null"),
        ("surrogate.json", b'{"text": "Body \\ud800 text."}', r"lone surrogate"),
        ("bigint.json", b'{"text": "ok", "n": ' + b"9" * 5000 + b"}", r"invalid JSON"),
        ("deep.json", b"[" * 100000 + b"]" * 100000, r"invalid JSON"),
    ],
)
def test_load_bad_file_raises_input_error_naming_the_file(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError, match=message) as info:
        load_paths([path])
    assert name in str(info.value)
    assert "Fix:" in str(info.value) and "\n" not in str(info.value)


def test_load_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.txt: no such file or folder"):
        load_paths([tmp_path / "nope.txt"])


@pytest.mark.parametrize("contents", [{}, {"readme.pdf": b"%PDF", ".hidden.txt": b"Hidden text."}])
def test_load_folder_without_supported_files_raises(tmp_path: Path, contents: dict[str, bytes]) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    with pytest.raises(InputError, match="inbox") as info:
        load_paths([folder])
    assert all(suffix in str(info.value) for suffix in SUPPORTED_SUFFIXES)


def test_load_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "story.txt").write_text("First text.", encoding="utf-8")
    (tmp_path / "two" / "story.md").write_text("Second text.", encoding="utf-8")
    with pytest.raises(InputError, match="story") as info:
        load_paths([tmp_path])
    assert "one/story.txt" in str(info.value) and "two/story.md" in str(info.value)


def test_load_duplicate_record_ids_in_jsonl(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "same", "text": "A."}), json.dumps({"id": "same", "text": "B."})]
    path = _write(tmp_path, "dups.jsonl", "\n".join(lines).encode())
    with pytest.raises(InputError, match="article id 'same'"):
        load_paths([path])


def test_load_empty_path_list_raises() -> None:
    with pytest.raises(InputError, match="no files or folders"):
        load_paths([])


def test_load_unsafe_record_id_is_made_file_safe(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.jsonl", json.dumps({"id": "../etc/passwd", "text": "Body."}).encode())
    (doc,) = load_paths([path])
    assert "/" not in doc.id


# ------------------------------------------- issue 12, case 6: unreadable input


def _deny(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    """Reading ``victim`` fails as it does for a non-root user on a chmod 000 file
    (tests run as root here, where chmod does not stop reads)."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == victim:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def test_load_unreadable_file_is_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "locked.txt", b"The council met on Monday.")
    _deny(monkeypatch, path)
    with pytest.raises(InputError) as info:
        load_paths([tmp_path])
    msg = str(info.value)
    assert "locked.txt" in msg and "cannot be read (permission denied)" in msg and "chmod u+r" in msg


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file; the monkeypatched test covers it")
def test_load_unreadable_file_is_input_error_for_real(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked.txt", b"The council met on Monday.")
    path.chmod(0)
    with pytest.raises(InputError, match="locked.txt.*permission denied"):
        load_paths([path])


def test_load_unreadable_subfolder_is_an_error_not_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.txt").write_text("The council met on Monday.", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("The mayor spoke on Tuesday.", encoding="utf-8")
    real = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(InputError, match="locked: folder cannot be read \\(permission denied\\)"):
        load_paths([tmp_path])


def test_load_reads_each_file_once_and_hashes_those_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "a.txt", b"The council met on Monday.")
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    (doc,) = load_paths([path])
    assert reads == [path]
    assert doc.raw_sha1 == hashlib.sha1(b"The council met on Monday.").hexdigest()
