"""The caches: one folder, one source hash, and caches that heal.

* ``default_cache_dir``: ``$FACTCHECK_CACHE_DIR`` or ``~/.cache/factcheck``;
  every cache lives under it (``extract/``, ``events/``, ``onnx/``, the
  SQLite embedding cache).
* ``source_version``: one hash of the package's source and word lists,
  sub-packages included, so moving or editing any module invalidates every
  cached result (an extraction cache keyed on a few named files would
  silently serve results of code that no longer exists).
* ``cache_key`` / ``cached_result``: the extraction cache, one entry per
  article; ``EventCache``: the compare results of one event.

Caches heal: a damaged or unusable cache never fails a run.

Every cache (the SQLite embedding cache, the extraction and event caches,
the ONNX export) is only a speed-up: the run computes the same result
without it. So a cache that cannot be read is *set aside* (renamed to
``<name>.damaged-<UTC time>``, kept for a post-mortem, never deleted) and a
fresh one is started; a cache folder that cannot be created or written is
skipped for this run. Either way a warning on stderr says what happened
and where, and the run goes on: no traceback, no exit 1, nothing to delete
by hand.

Warnings go to the ``factcheck`` logger; the CLI prints them as
``warning: ...`` on stderr (``--quiet`` hides them). Each distinct warning
is given once per process, so a cache that fails for 1,000 articles says so
once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .errors import OutputError
from .io import os_problem, write_text_atomic
from .models import Article, ArticleClaims, Comparison

if TYPE_CHECKING:
    from .config import Config

log = logging.getLogger("factcheck")
_said: set[str] = set()


def warn(message: str) -> None:
    """Log ``message`` as a warning, once per process."""
    if message not in _said:
        _said.add(message)
        log.warning(message)


def set_aside(path: Path | str, what: str, why: str, *, companions: tuple[str, ...] = ()) -> Path | None:
    """Rename the damaged cache file or folder ``path`` out of the way; warn.

    ``companions`` are suffixes of files that belong to it (SQLite's ``-wal``
    and ``-shm``) and move with it. Returns the new name, or None (with a
    warning) when it could not be moved, in which case the caller runs
    without the cache.
    """
    path = Path(path)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while os.path.lexists(target):
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        os.rename(path, target)
    except OSError as exc:
        warn(
            f"{what} {path} is damaged ({why}) and cannot be moved aside ({os_problem(exc)}); "
            f"running without it (delete it to get the cache back)"
        )
        return None
    for suffix in companions:
        extra = Path(f"{path}{suffix}")
        if os.path.lexists(extra):
            try:
                os.rename(extra, Path(f"{target}{suffix}"))
            except OSError:
                pass  # a stray -wal beside a fresh database is ignored by SQLite
    warn(f"{what} {path} was damaged ({why}): moved aside to {target.name}; continuing with a fresh one")
    return target


def usable_dir(path: Path | str, what: str, root: Path | str | None = None) -> Path | None:
    """The cache folder ``path``, created when missing and checked writable; None when unusable.

    A file where the folder (or the cache ``root`` above it) should be is set
    aside. A folder that cannot be created or written to (permissions, a
    read-only disk) gives a warning and None: run without this cache.
    """
    path = Path(path)
    for p in ([Path(root)] if root is not None else []) + [path]:
        if os.path.lexists(p) and not p.is_dir():
            if set_aside(p, f"{what} cache folder", "a file, not a folder") is None:
                return None
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe-", suffix=".tmp", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        warn(
            f"{what} cache folder {path} cannot be used ({os_problem(exc)}); running without it, so this run is slower. "
            f"Fix: make it writable, or point FACTCHECK_CACHE_DIR elsewhere"
        )
        return None
    return path


def default_cache_dir() -> Path:
    """``$FACTCHECK_CACHE_DIR`` or ``~/.cache/factcheck``: the folder of every cache."""
    env = os.environ.get("FACTCHECK_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "factcheck"


@lru_cache(maxsize=1)
def source_version() -> str:
    """Hash of the package's own source and word lists (sub-packages included):
    any change invalidates cached results."""
    h = hashlib.sha1()
    root = Path(__file__).resolve().parent
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.toml")]):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


# ------------------------------------------------------- extraction cache


def cache_key(article: Article, min_words: int) -> str:
    """Hash of what extraction reads: the article's id (claim ids derive from it),
    publication date (anchors relative dates: a date given in a sources
    manifest changes the result), where the headline is, and the cleaned
    text, with the source version, spaCy model and ``min_words``.

    The path, title, outlet, address and cleaning notes are left out, so a
    moved or renamed folder keeps its cache; ``cached_result`` swaps the
    current Article back in on a hit.
    """
    from .nlp import SPACY_MODEL

    published = article.published.isoformat() if article.published else ""
    headline = f"{article.headline.start}-{article.headline.end}" if article.headline else ""
    payload = "\x1f".join(
        (source_version(), SPACY_MODEL, str(min_words), article.id, published, headline, article.text)
    )
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def cached_result(path: Path, article: Article) -> ArticleClaims | None:
    """The cached extraction at ``path`` for ``article`` (None if absent or unreadable)."""
    if not os.path.lexists(path):
        return None
    try:
        ac = ArticleClaims.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        # Entries are written atomically, so this is damage from outside (a
        # disk fault, a hand edit): set it aside and recompute.
        set_aside(path, "extraction cache entry", exc.__class__.__name__)
        return None
    if ac.article.id != article.id or ac.article.text != article.text:
        return None
    return ac if ac.article == article else ac.model_copy(update={"article": article})


# ------------------------------------------------------------ event cache


class EventCache:
    """Results of one event, memoised by everything they depend on.

    The key covers the code, the thresholds, the embedding model and, per
    article, its id, path, raw-file hash, publication date, outlet and cleaned
    text (so evidence paths, line numbers and names are right too). An
    unchanged event costs no clustering or comparison on a re-run; adding an
    article recomputes only its event. Read and written by the process that
    drives the run, never by workers. A damaged entry is set aside and
    recomputed; an unwritable folder runs without the cache.
    """

    def __init__(self, config: "Config", model_id: str, folder: Path | None = None) -> None:
        self.dir = usable_dir(folder or default_cache_dir() / "events", "event", root=default_cache_dir())
        self.base = f"{source_version()}\x1f{config.model_dump_json()}\x1f{model_id}"

    def _path(self, group: Sequence[ArticleClaims]) -> Path:
        h = hashlib.sha1(self.base.encode())
        for ac in sorted(group, key=lambda x: x.article.id):
            art = ac.article
            # The outlet names articles in the findings' summaries: a manifest
            # that names an outlet changes the event's result.
            h.update(f"\x1e{art.id}\x1f{art.path}\x1f{art.raw_sha1}\x1f{art.published}\x1f{art.outlet}\x1f".encode())
            h.update(hashlib.sha1(art.text.encode()).digest())
        return Path(self.dir or ".") / f"{h.hexdigest()}.json"  # get/put return early without a folder

    def get(self, group: Sequence[ArticleClaims]) -> Comparison | None:
        if self.dir is None:
            return None
        path = self._path(group)
        if not os.path.lexists(path):
            return None
        try:
            return Comparison.model_validate_json(path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # Written atomically by us, so unreadable means damaged: set aside, recompute.
            set_aside(path, "event cache entry", exc.__class__.__name__)
            return None

    def put(self, group: Sequence[ArticleClaims], result: Comparison) -> None:
        if self.dir is None:
            return
        try:
            write_text_atomic(self._path(group), result.model_dump_json())
        except OutputError as exc:
            warn(f"event cache {self.dir}: an entry {exc.problem}; running without it")
            self.dir = None


__all__ = [
    "EventCache",
    "cache_key",
    "cached_result",
    "default_cache_dir",
    "set_aside",
    "source_version",
    "usable_dir",
    "warn",
]
