"""Caches heal: a damaged or unusable cache never fails a run.

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

import logging
import os
import tempfile
import time
from pathlib import Path

from .io import os_problem

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
        warn(f"{what} {path} is damaged ({why}) and cannot be moved aside ({os_problem(exc)}); "
             f"running without it (delete it to get the cache back)")
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
        warn(f"{what} cache folder {path} cannot be used ({os_problem(exc)}); running without it, so this run is slower. "
             f"Fix: make it writable, or point FACTCHECK_CACHE_DIR elsewhere")
        return None
    return path


__all__ = ["set_aside", "usable_dir", "warn"]
