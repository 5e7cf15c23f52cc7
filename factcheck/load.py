"""Read input files into ``RawDocument`` records.

Supported inputs: ``.txt`` and ``.md`` (text as written), ``.html``/``.htm``
(main text extracted with trafilatura, reader comments excluded), ``.json`` (one
article object) and ``.jsonl`` (one article object per line). A folder is
searched recursively for those suffixes, skipping hidden files and dot-folders,
in sorted relative-path order so runs are deterministic.

Decisions worth knowing:

* Files must be UTF-8. A UTF-8 byte-order mark is accepted and dropped; line
  endings are normalised to ``\\n`` (CRLF and lone CR). ``RawDocument.text`` is
  that decoded, normalised text, and line numbers are unchanged by both steps.
* Article ids: the file stem for single-article files; for JSONL the record's
  ``id`` field, else ``<stem>-<line number>``. Characters that are unsafe in a
  file name are replaced by ``_`` (ids name ``claims/<id>.json``). Ids must be
  unique in a run.
* A publication date that does not name a full day (year, month and day) stays
  ``None``; the text as written is kept in ``published_text``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dateutil import parser as dateutil_parser

from factcheck.errors import InputError
from factcheck.models import RawDocument

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
_FORMAT = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "json"}
_BOM = b"\xef\xbb\xbf"
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")
_OUTLET_KEYS = ("outlet", "source", "sitename")
_DATE_KEYS = ("published", "date")
_BYLINE_KEYS = ("byline", "author")


def load_paths(paths: Sequence[Path | str]) -> list[RawDocument]:
    """Load every article named by ``paths`` (files or folders), in a stable order.

    Raises ``InputError`` for a missing path, a folder without supported files,
    an unsupported suffix given explicitly, an empty, binary or non-UTF-8 file,
    malformed JSON, a record without text, or two articles with the same id.
    """
    if not paths:
        raise InputError("(no input)", "no files or folders given", "name at least one article file or folder")
    docs: list[RawDocument] = []
    for file in _expand(paths):
        docs.extend(load_file(file))
    _check_unique_ids(docs)
    return docs


def load_file(path: Path | str) -> list[RawDocument]:
    """Load one file; a ``.jsonl`` file yields one document per non-blank line."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _FORMAT:
        raise InputError(str(path), f"unsupported file type '{path.suffix or '(none)'}'", _supported_fix())
    text = _read_text(path)
    if suffix in (".txt", ".md"):
        return [_text_document(path, text, _FORMAT[suffix])]
    if suffix in (".html", ".htm"):
        return [_html_document(path, text)]
    if suffix == ".json":
        return [_json_document(path, text)]
    return _jsonl_documents(path, text)


def record_to_raw(record: Mapping[str, Any], *, doc_id: str, path: str, where: str, sha1: str = "") -> RawDocument:
    """Build a ``RawDocument`` from one article object (JSON/JSONL record).

    Fields: ``text`` (required), ``title``, ``outlet`` (or ``source`` /
    ``sitename``), ``published`` (or ``date``), ``byline`` (or ``author``).
    ``where`` names the record in error messages ("a.jsonl line 3").
    """
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(where, "article record has no 'text' field", "add the article body as a string field 'text'")
    if not text.strip():
        raise InputError(where, "article 'text' is empty", "put the article body in the 'text' field")
    text = _normalise_newlines(text.lstrip("\ufeff"))
    published_text = _first_str(record, _DATE_KEYS)
    return RawDocument(
        id=_safe_id(doc_id),
        path=path,
        format="json",
        text=text,
        title=_first_str(record, ("title",)),
        outlet=_first_str(record, _OUTLET_KEYS),
        published=parse_full_date(published_text) if published_text else None,
        published_text=published_text,
        byline=_first_str(record, _BYLINE_KEYS),
        text_is_file=False,
        raw_sha1=sha1 or _sha1(text.encode("utf-8")),
    )


def parse_full_date(text: str) -> dt.date | None:
    """The calendar day ``text`` names, or None unless year, month and day are all given.

    dateutil fills missing fields from a default date; parsing against two
    different defaults and comparing tells a full date from "May 2023".
    """
    text = text.strip()
    if not text:
        return None
    try:
        a = dateutil_parser.parse(text, default=dt.datetime(2000, 1, 1))
        b = dateutil_parser.parse(text, default=dt.datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        return None
    return a.date() if a.date() == b.date() else None


# --- folder and file handling -------------------------------------------------


def _expand(paths: Sequence[Path | str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(str(path), "no such file or folder", "check the path (and the current directory)")
        if path.is_dir():
            files.extend(_folder_files(path))
        else:
            files.append(path)
    return files


def _folder_files(folder: Path) -> list[Path]:
    found = []
    others = 0
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        if p.suffix.lower() in _FORMAT:
            found.append(p)
        else:
            others += 1
    if not found:
        what = "folder is empty" if others == 0 else f"folder has no supported files ({others} other files)"
        raise InputError(str(folder), what, _supported_fix())
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _supported_fix() -> str:
    return "give article files ending in " + ", ".join(SUPPORTED_SUFFIXES)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    offset = 0
    if data.startswith(_BOM):
        data, offset = data[len(_BOM) :], len(_BOM)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(str(path), f"binary file (NUL byte at byte offset {nul + offset})", "give a text file saved as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path),
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at byte offset {exc.start + offset})",
            "save it as UTF-8",
        ) from None
    if not text.strip():
        raise InputError(str(path), "file is empty or whitespace only", "remove it or put the article text in it")
    return _normalise_newlines(text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text_document(path: Path, text: str, fmt: str) -> RawDocument:
    return RawDocument(
        id=_safe_id(path.stem), path=str(path), format=fmt, text=text, raw_sha1=_sha1(path.read_bytes())  # type: ignore[arg-type]
    )


def _html_document(path: Path, html: str) -> RawDocument:
    import trafilatura  # heavy import, only for HTML input

    text = trafilatura.extract(html, include_comments=False, output_format="txt", with_metadata=False)
    if not text or not text.strip():
        raise InputError(str(path), "no article text found in the HTML page", "save the article page itself, or paste its text into a .txt file")
    meta = trafilatura.extract_metadata(html)
    title = getattr(meta, "title", None) if meta else None
    outlet = getattr(meta, "sitename", None) if meta else None
    date_text = getattr(meta, "date", None) if meta else None
    author = getattr(meta, "author", None) if meta else None
    return RawDocument(
        id=_safe_id(path.stem),
        path=str(path),
        format="html",
        text=_normalise_newlines(text),
        title=title or None,
        outlet=outlet or None,
        published=parse_full_date(date_text) if date_text else None,
        published_text=date_text or None,
        byline=author or None,
        text_is_file=False,
        raw_sha1=_sha1(path.read_bytes()),
    )


def _parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", "fix the JSON syntax") from None


def _json_document(path: Path, text: str) -> RawDocument:
    record = _parse_json(text, str(path))
    if not isinstance(record, dict):
        raise InputError(
            str(path),
            f"expected one article object, found a JSON {type(record).__name__}",
            "write one article object per .json file, or one per line in a .jsonl file",
        )
    doc_id = record.get("id") if isinstance(record.get("id"), str) and record.get("id") else path.stem
    return record_to_raw(record, doc_id=str(doc_id), path=str(path), where=str(path), sha1=_sha1(path.read_bytes()))


def _jsonl_documents(path: Path, text: str) -> list[RawDocument]:
    docs = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path} line {n}"
        record = _parse_json(line, where)
        if not isinstance(record, dict):
            raise InputError(where, f"expected an article object, found a JSON {type(record).__name__}", "write one article object per line")
        rid = record.get("id")
        doc_id = str(rid) if isinstance(rid, (str, int)) and str(rid) else f"{path.stem}-{n}"
        docs.append(record_to_raw(record, doc_id=doc_id, path=str(path), where=where, sha1=_sha1(line.encode("utf-8"))))
    return docs


def _check_unique_ids(docs: Sequence[RawDocument]) -> None:
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.id in seen:
            raise InputError(
                doc.path,
                f"article id '{doc.id}' is also used by {seen[doc.id]}",
                "rename one of the files, or give the records distinct 'id' fields",
            )
        seen[doc.id] = doc.path


def _first_str(record: Mapping[str, Any], keys: Sequence[str]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _safe_id(doc_id: str) -> str:
    return _UNSAFE_ID.sub("_", doc_id.strip()) or "article"


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()
