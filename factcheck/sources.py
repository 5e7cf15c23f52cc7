"""Source metadata an editor gives: a manifest beside the articles, front matter in Markdown.

A folder of articles may hold **one** manifest, ``sources.toml`` or
``sources.csv``, describing the article files of that folder by file name::

    # sources.toml
    ["afp-dailytrust.txt"]
    outlet = "Daily Trust"
    origin = "AFP"                      # the wire or outlet the text comes from
    published = 2023-09-09T14:05:00Z    # a TOML date or date-time, or the same as a string
    url = "https://dailytrust.com/..."

    # sources.csv (the same, one row per file; empty cells stay unknown)
    file,outlet,published,url,origin
    afp-dailytrust.txt,Daily Trust,2023-09-09,https://dailytrust.com/...,AFP

A Markdown article may open with front matter (``---`` lines around
``key: value`` lines) with ``title``, ``outlet``, ``published``, ``url``
and ``origin``.

Nothing here is guessed: a value is taken as written, dates must be ISO 8601
(a date, or a date and time), addresses must be http(s) URLs, and any other
key, a bad value, two manifests in one folder or an entry for a file that is
not there is an ``InputError`` naming the file and the line (exit 2).
What the editor gives wins over what the file declares, and that over what
the cleaner reads from the header lines of a text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .io import read_bytes

MANIFEST_NAMES: tuple[str, ...] = ("sources.toml", "sources.csv")
MANIFEST_FIELDS: tuple[str, ...] = ("outlet", "published", "url", "origin")
FRONT_MATTER_FIELDS: tuple[str, ...] = ("title", "outlet", "published", "url", "origin")
_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class SourceMeta:
    """What an editor said about one article file; None where they said nothing."""

    outlet: str | None = None
    published: dt.date | None = None
    published_at: dt.datetime | None = None  # only when a time of day was given
    published_text: str | None = None
    url: str | None = None
    origin: str | None = None
    title: str | None = None

    def updates(self) -> dict:
        """The RawDocument fields this metadata sets (only those given)."""
        out = {k: getattr(self, k) for k in ("outlet", "url", "origin", "title") if getattr(self, k)}
        if self.published is not None:
            out.update(published=self.published, published_text=self.published_text, published_at=self.published_at)
        return out


def _fix_date() -> str:
    return "write it as 2023-09-09 or 2023-09-09T14:05:00+01:00 (ISO 8601), or leave it out if unknown"


def parse_when(value: object, where: str) -> tuple[dt.date, dt.datetime | None, str]:
    """(date, date-time or None, as written) of a ``published`` value; InputError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date(), value, value.isoformat()
    if isinstance(value, dt.date):
        return value, None, value.isoformat()
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return dt.date.fromisoformat(text), None, text
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment.date(), moment, text
        except ValueError:
            pass
    raise InputError(where, f"'published' is not an ISO date: {value!r}", _fix_date())


def check_url(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip().lower().startswith(_SCHEMES) or re.search(r"\s", value.strip()):
        raise InputError(
            where,
            f"'url' is not an http(s) address: {value!r}",
            "give the article's address starting with https:// (or http://), or leave it out",
        )
    return value.strip()


def _text(value: object, key: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(
            where, f"'{key}' must be text, found {type(value).__name__}", f'write it in quotes: {key} = "..."'
        )
    return value.strip() or None


def _meta(values: dict, where_of, allowed: tuple[str, ...], what: str) -> SourceMeta:
    for key in values:
        if key not in allowed:
            raise InputError(where_of(key), f"unknown {what} key '{key}'", f"use only {', '.join(allowed)}")
    published = published_at = published_text = None
    if values.get("published") not in (None, ""):
        published, published_at, published_text = parse_when(values["published"], where_of("published"))
    url = check_url(values["url"], where_of("url")) if values.get("url") not in (None, "") else None
    return SourceMeta(
        outlet=_text(values.get("outlet"), "outlet", where_of("outlet")),
        origin=_text(values.get("origin"), "origin", where_of("origin")),
        title=_text(values.get("title"), "title", where_of("title")),
        published=published,
        published_at=published_at,
        published_text=published_text,
        url=url,
    )


# --- manifests ------------------------------------------------------------------


def manifest_path(folder: Path) -> Path | None:
    """The manifest of ``folder``, or None; two of them is an error (which one would win?)."""
    found = [folder / n for n in MANIFEST_NAMES if (folder / n).is_file()]
    if len(found) > 1:
        raise InputError(
            str(found[1]), f"a second manifest beside {found[0].name}", "keep one: sources.toml or sources.csv"
        )
    return found[0] if found else None


def manifest_for(folder: Path, cache: dict | None = None) -> dict[str, tuple[SourceMeta, str]]:
    """file name -> (metadata, "manifest:line") for the article files of ``folder``.

    Read once per folder and run (``cache``: a dict the caller keeps for the
    run); an entry for a file that is not in the folder is an error (a typo
    would otherwise drop the metadata in silence).
    """
    key = str(folder.resolve())
    if cache is not None and key in cache:
        return cache[key]
    path = manifest_path(folder)
    entries = {} if path is None else (_read_toml(path) if path.suffix == ".toml" else _read_csv(path))
    for name, (_, where) in entries.items():
        if not (folder / name).is_file():
            raise InputError(
                where,
                f"entry for '{name}', which is not a file in {folder}",
                "fix the file name (it is the name in this folder, e.g. afp-dailytrust.txt) or remove the entry",
            )
    if cache is not None:
        cache[key] = entries
    return entries


def _decode(path: Path) -> str:
    try:
        return read_bytes(path, "manifest").decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise InputError(str(path), "manifest is not UTF-8", "save it as UTF-8") from None


_HEADER = re.compile(r"^\s*\[(?!\[)(.+)\]\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=")


def _toml_lines(text: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Line of each table header and of each key in it (tomllib keeps no positions)."""
    tables: dict[str, int] = {}
    keys: dict[tuple[str, str], int] = {}
    current = ""
    for n, line in enumerate(text.split("\n"), start=1):
        m = _HEADER.match(line)
        if m:
            try:
                parsed = tomllib.loads(f"[{m.group(1)}]")
                current = next(iter(parsed))
            except (tomllib.TOMLDecodeError, StopIteration):
                current = m.group(1).strip().strip("\"'")
            tables.setdefault(current, n)
            continue
        k = _KEY.match(line)
        if k:
            keys.setdefault((current, k.group(1).strip("\"'")), n)
    return tables, keys


def _read_toml(path: Path) -> dict[str, tuple[SourceMeta, str]]:
    text = _decode(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        where = f"{path}:{m.group(1)}" if m else str(path)
        raise InputError(
            where,
            f"invalid TOML ({str(exc).split(' (at')[0]})",
            'write one table per file: ["name.txt"] then outlet = "...", published = 2023-09-09',
        ) from None
    tables, keys = _toml_lines(text)
    out: dict[str, tuple[SourceMeta, str]] = {}
    for name, values in data.items():
        where = f"{path}:{tables.get(name, keys.get(('', name), 1))}"
        if not isinstance(values, dict):
            raise InputError(
                where,
                f"'{name}' is not a table of one file's metadata",
                f'write it as ["{name}"] on a line of its own, its keys below it',
            )
        out[name] = (
            _meta(
                values,
                lambda k, n=name, w=where: f"{path}:{keys[(n, k)]}" if (n, k) in keys else w,
                MANIFEST_FIELDS,
                "manifest",
            ),
            where,
        )
    return out


def _read_csv(path: Path) -> dict[str, tuple[SourceMeta, str]]:
    reader = csv.reader(io.StringIO(_decode(path)))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(
            str(path), "manifest is empty", "start it with the header line file,outlet,published,url,origin"
        ) from None
    if "file" not in header:
        raise InputError(
            f"{path}:1",
            "no 'file' column in the header line",
            "start it with the header line file,outlet,published,url,origin",
        )
    for h in header:
        if h != "file" and h not in MANIFEST_FIELDS:
            raise InputError(f"{path}:1", f"unknown column '{h}'", f"use only file, {', '.join(MANIFEST_FIELDS)}")
    out: dict[str, tuple[SourceMeta, str]] = {}
    for row in reader:
        where = f"{path}:{reader.line_num}"
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise InputError(
                where,
                f"{len(row)} cells where the header has {len(header)}",
                'one cell per column; quote a cell holding a comma ("a, b")',
            )
        values = {h: c.strip() for h, c in zip(header, row)}
        name = values.pop("file")
        if not name:
            raise InputError(where, "row without a file name", "put the article's file name in the 'file' column")
        if name in out:
            raise InputError(where, f"second row for '{name}' (first: {out[name][1]})", "keep one row per file")
        out[name] = (_meta({k: v for k, v in values.items() if v}, lambda k: where, MANIFEST_FIELDS, "manifest"), where)
    return out


# --- front matter -----------------------------------------------------------------

_FM_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(.*?)\s*$")


def front_matter(path: str, text: str) -> tuple[SourceMeta, int] | None:
    """(metadata, offset where the article starts) of a Markdown front matter block, or None.

    The block is a first line ``---``, ``key: value`` lines (blank lines and
    ``#`` comments allowed; a value may be quoted) and a closing ``---``.
    """
    if not text.startswith("---\n"):
        return None
    close = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if close is None:
        raise InputError(
            f"{path}:1",
            "front matter opened with --- is never closed",
            "end the metadata block with a line holding only ---",
        )
    block = text[4 : 4 + close.start()]
    end = 4 + close.end()
    end = end + 1 if text[end : end + 1] == "\n" else end
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for n, line in enumerate(block.split("\n"), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _FM_LINE.match(line)
        if not m:
            raise InputError(
                f"{path}:{n}",
                f"front matter line is not 'key: value': {line.strip()[:40]!r}",
                f"write one key per line ({', '.join(FRONT_MATTER_FIELDS)})",
            )
        key, value = m.group(1), m.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key], lines[key] = value, n
    meta = _meta(
        {k: v for k, v in values.items()}, lambda k: f"{path}:{lines.get(k, 1)}", FRONT_MATTER_FIELDS, "front matter"
    )
    return meta, end


__all__ = [
    "SourceMeta",
    "manifest_for",
    "manifest_path",
    "front_matter",
    "parse_when",
    "check_url",
    "MANIFEST_NAMES",
    "MANIFEST_FIELDS",
    "FRONT_MATTER_FIELDS",
]
