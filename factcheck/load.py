"""Read input files into ``RawDocument`` records.

Supported inputs: ``.txt`` and ``.md``/``.markdown`` (text as written; Markdown front matter read), ``.html``/``.htm``
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
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dateutil import parser as dateutil_parser

from factcheck.errors import InputError
from factcheck.io import input_error, read_bytes
from factcheck.models import RawDocument

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
_FORMAT = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "json",
}
_BOM = b"\xef\xbb\xbf"
# Byte-order marks of the other Unicode encodings (UTF-32 first: its LE mark
# starts with UTF-16's). Such files are text, only not UTF-8.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32LE"),
    (b"\x00\x00\xfe\xff", "UTF-32BE"),
    (b"\xff\xfe", "UTF-16LE"),
    (b"\xfe\xff", "UTF-16BE"),
)
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
    from .sources import manifest_for

    docs: list[RawDocument] = []
    manifests: dict = {}
    for file in _expand(paths):
        entry = manifest_for(file.parent, manifests).get(file.name)
        loaded = load_file(file)
        if entry is not None:
            # The editor's word wins over what the file declares.
            loaded = [d.model_copy(update=entry[0].updates()) for d in loaded]
        docs.extend(loaded)
    _check_unique_ids(docs)
    return docs


def load_file(path: Path | str) -> list[RawDocument]:
    """Load one file; a ``.jsonl`` file yields one document per non-blank line."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _FORMAT:
        raise InputError(str(path), f"unsupported file type '{path.suffix or '(none)'}'", _supported_fix())
    data = read_bytes(path)
    text = _decode(path, data)
    sha1 = _sha1(data)
    fmt = _FORMAT[suffix]
    if fmt in ("txt", "md"):
        return [_text_document(path, text, fmt, sha1)]
    if fmt == "html":
        return [_html_document(path, text, sha1)]
    if suffix == ".json":
        return [_json_document(path, text, sha1)]
    return _jsonl_documents(path, text)


def record_to_raw(record: Mapping[str, Any], *, doc_id: str, path: str, where: str, sha1: str = "") -> RawDocument:
    """Build a ``RawDocument`` from one article object (JSON/JSONL record).

    Fields: ``text`` (required), ``title``, ``outlet`` (or ``source`` /
    ``sitename``), ``published`` (or ``date``), ``byline`` (or ``author``).
    ``where`` names the record in error messages ("a.jsonl line 3").
    """
    if "text" not in record:
        raise InputError(where, "article record has no 'text' field", "add the article body as a string field 'text'")
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(
            where,
            f"article 'text' must be a string, found {_json_type(text)}",
            "put the article body in the 'text' field as a JSON string",
        )
    _check_unicode(record, where)
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
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except OSError as exc:  # e.g. a folder on the way that this user may not enter
            raise input_error(path, exc) from None
        if not exists:
            raise InputError(str(path), "no such file or folder", "check the path (and the current directory)")
        if is_dir:
            files.extend(_folder_files(path))
        else:
            files.append(path)
    return files


def _folder_files(folder: Path) -> list[Path]:
    """Supported files under ``folder``, recursively, skipping dot-files and dot-folders.

    A sub-folder that cannot be listed is an error, never skipped in silence:
    its articles would be missing from the comparison without a word.
    """
    found = []
    others = 0

    def unreadable(exc: OSError) -> None:
        raise input_error(exc.filename or folder, exc, "folder")

    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            p = Path(top) / name
            if name.startswith(".") or not p.is_file():
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


def _utf16_without_bom(data: bytes) -> str | None:
    """ "UTF-16LE"/"UTF-16BE" when the bytes read as ASCII-range UTF-16 (every other byte NUL)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, name in ((odd, even, "UTF-16LE"), (even, odd, "UTF-16BE")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other):
            return name
    return None


def _decode(path: Path, data: bytes) -> str:
    offset = 0
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise InputError(
                str(path),
                f"{name} text (byte-order mark {bom.hex(' ').upper()}), not UTF-8",
                f"save it as UTF-8 (iconv -f {name[:6]} -t UTF-8 FILE > NEW, or your editor's 'save with encoding')",
            )
    if data.startswith(_BOM):
        data, offset = data[len(_BOM) :], len(_BOM)
    nul = data.find(b"\x00")
    if nul >= 0:
        utf16 = _utf16_without_bom(data)
        if utf16:
            raise InputError(
                str(path),
                f"{utf16} text without a byte-order mark, not UTF-8",
                f"save it as UTF-8 (iconv -f {utf16} -t UTF-8 FILE > NEW)",
            )
        raise InputError(
            str(path), f"binary file (NUL byte at byte offset {nul + offset})", "give a text file saved as UTF-8"
        )
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


def _text_document(path: Path, text: str, fmt: str, sha1: str) -> RawDocument:
    doc = RawDocument(id=_safe_id(path.stem), path=str(path), format=fmt, text=text, raw_sha1=sha1)
    if fmt == "md":
        from .sources import front_matter

        found = front_matter(str(path), text)
        if found is not None:
            meta, body_start = found
            if not text[body_start:].strip():
                raise InputError(
                    str(path), "no article text after the front matter", "put the article below the closing ---"
                )
            doc = doc.model_copy(update={**meta.updates(), "body_start": body_start})
    return doc


def _html_document(path: Path, html: str, sha1: str) -> RawDocument:
    import trafilatura  # heavy import, only for HTML input

    text = trafilatura.extract(html, include_comments=False, output_format="txt", with_metadata=False)
    if not text or not text.strip():
        raise InputError(
            str(path),
            "no article text found in the HTML page",
            "save the article page itself, or paste its text into a .txt file",
        )
    meta = trafilatura.extract_metadata(html)
    title = getattr(meta, "title", None) if meta else None
    outlet = getattr(meta, "sitename", None) if meta else None
    date_text = getattr(meta, "date", None) if meta else None
    author = getattr(meta, "author", None) if meta else None
    text = _normalise_newlines(text)
    from .htmlmap import line_map, title_line

    return RawDocument(
        id=_safe_id(path.stem),
        path=str(path),
        format="html",
        text=text,
        line_map=line_map(html, text),
        title_line=title_line(html, title) if title else None,
        title=title or None,
        outlet=outlet or None,
        published=parse_full_date(date_text) if date_text else None,
        published_text=date_text or None,
        byline=author or None,
        text_is_file=False,
        raw_sha1=sha1,
    )


def _parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            where, f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", "fix the JSON syntax"
        ) from None
    except ValueError as exc:  # e.g. an integer longer than Python converts (4300 digits)
        raise InputError(where, f"invalid JSON ({exc})", "fix the JSON") from None
    except RecursionError:
        raise InputError(where, "invalid JSON (nested too deeply)", "write one flat article object") from None


def _json_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }
    return names.get(type(value), f"a JSON {type(value).__name__}")


def _check_unicode(record: Mapping[str, Any], where: str) -> None:
    """Strings must be valid Unicode: JSON can spell a lone surrogate ("\\ud800"), which no file can hold."""
    for key in ("text", "title", "id", *_OUTLET_KEYS, *_DATE_KEYS, *_BYLINE_KEYS):
        value = record.get(key)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise InputError(
                    where,
                    f"'{key}' holds an invalid \\u escape (lone surrogate at character {exc.start})",
                    "fix the escape; a character outside the BMP is written as a surrogate pair",
                ) from None


def _json_document(path: Path, text: str, sha1: str) -> RawDocument:
    record = _parse_json(text, str(path))
    if not isinstance(record, dict):
        raise InputError(
            str(path),
            f"expected one article object, found a JSON {type(record).__name__}",
            "write one article object per .json file, or one per line in a .jsonl file",
        )
    doc_id = record.get("id") if isinstance(record.get("id"), str) and record.get("id") else path.stem
    return record_to_raw(record, doc_id=str(doc_id), path=str(path), where=str(path), sha1=sha1)


def _jsonl_documents(path: Path, text: str) -> list[RawDocument]:
    docs = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path} line {n}"
        record = _parse_json(line, where)
        if not isinstance(record, dict):
            raise InputError(
                where,
                f"expected an article object, found a JSON {type(record).__name__}",
                "write one article object per line",
            )
        rid = record.get("id")
        doc_id = str(rid) if isinstance(rid, (str, int)) and str(rid) else f"{path.stem}-{n}"
        raw = record_to_raw(record, doc_id=doc_id, path=str(path), where=where, sha1=_sha1(line.encode("utf-8")))
        docs.append(raw.model_copy(update={"record": n}))
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
