"""File access with the project's errors: atomic writes, and OS errors said in words.

A crash mid-write never leaves a half-written file, and an I/O failure never
reaches the user as a traceback: it becomes an ``InputError`` (reading) or
an ``OutputError`` (writing) naming the file, the problem and the fix.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import InputError, OutputError

_IN_THE_WAY = (errno.EEXIST, errno.ENOTDIR)


def os_problem(exc: OSError) -> str:
    """What an OSError means, in a few words ("permission denied", "a file is in the way: x")."""
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.EROFS:
        return "read-only file system"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "no space left on the device"
    if code in _IN_THE_WAY:
        return (
            f"a file is in the way where a folder should be ({exc.filename})"
            if exc.filename
            else "a file is in the way where a folder should be"
        )
    if code == errno.EISDIR:
        return "it is a folder, not a file"
    if code == errno.ENOENT:
        return "no such file or folder"
    if code == errno.ENAMETOOLONG:
        return "the name is too long"
    if code == errno.EIO:
        return "input/output error (a failing disk or network share?)"
    return exc.strerror or str(exc) or exc.__class__.__name__


def _write_fix(path: Path, exc: OSError) -> str:
    if exc.errno in _IN_THE_WAY:
        return f"move {exc.filename or 'that file'} away, or choose another output path (--out, --claims-dir)"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "free some disk space and run again"
    return f"make {path.parent} writable for this user, or choose another output path (--out, --claims-dir)"


def output_error(path: Path | str, exc: OSError) -> OutputError:
    """The one-line error for a failed write of ``path``."""
    path = Path(path)
    return OutputError(str(path), f"cannot be written ({os_problem(exc)})", _write_fix(path, exc))


def input_error(path: Path | str, exc: OSError, what: str = "file") -> InputError:
    """The one-line error for a failed read of ``path``."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        fix = f"make the {what} readable for this user (chmod u+r), or leave it out"
    elif exc.errno == errno.EISDIR:
        fix = "give a file, or the folder itself without a trailing file name"
    else:
        fix = f"check the {what} and the disk, or leave it out"
    return InputError(str(path), f"{what} cannot be read ({os_problem(exc)})", fix)


def read_bytes(path: Path | str, what: str = "file") -> bytes:
    """The bytes of ``path``; an OSError becomes an ``InputError`` naming the file."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise input_error(path, exc, what) from None


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` via a temp file in the same folder and rename.

    ``os.replace`` is atomic on POSIX when source and target share a file
    system, so readers see either the old file or the new one, never a mix.
    The temp file is ``.<name>.<random>.tmp`` beside the target and is removed
    when the write fails; a process killed mid-write leaves it behind
    (``review`` removes those beside a report under its lock). Any OSError
    becomes an ``OutputError``.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.parent.is_dir():  # mkdir(exist_ok) accepts a symlink to a file
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(path.parent))
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise output_error(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            # mkstemp creates 0600; give the file the permissions a plain open() would.
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fh.fileno(), 0o666 & ~umask)
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise output_error(path, exc) from None
        raise


def write_json_atomic(path: Path | str, data: Any) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
