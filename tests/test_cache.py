"""Cache healing helpers: set a damaged cache aside, skip a folder that cannot be used."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pytest

from factcheck.cache import set_aside, usable_dir


def test_cache_set_aside_renames_with_a_timestamp_and_warns(tmp_path: Path, caplog) -> None:
    db = tmp_path / "embeddings.sqlite3"
    db.write_bytes(b"junk")
    (tmp_path / "embeddings.sqlite3-wal").write_bytes(b"wal")
    with caplog.at_level(logging.WARNING, logger="factcheck"):
        moved = set_aside(db, "embedding cache", "not a database", companions=("-wal", "-shm"))
    assert moved is not None and moved.name.startswith("embeddings.sqlite3.damaged-")
    assert not db.exists() and moved.read_bytes() == b"junk"
    assert Path(f"{moved}-wal").read_bytes() == b"wal"  # its WAL went with it
    assert "moved aside to embeddings.sqlite3.damaged-" in caplog.text and "not a database" in caplog.text
    db.write_bytes(b"junk again")  # the same second: a second name, nothing overwritten
    again = set_aside(db, "embedding cache", "not a database")
    assert again is not None and again != moved and moved.exists()


def test_cache_set_aside_that_cannot_rename_says_so(tmp_path: Path, monkeypatch, caplog) -> None:
    db = tmp_path / "e.sqlite3"
    db.write_bytes(b"junk")

    def no_rename(src, dst):
        raise PermissionError(13, "Permission denied", str(src))

    monkeypatch.setattr("os.rename", no_rename)
    with caplog.at_level(logging.WARNING, logger="factcheck"):
        assert set_aside(db, "embedding cache", "junk") is None
    assert "cannot be moved aside (permission denied); running without it" in caplog.text


@pytest.mark.parametrize("blocker", ["leaf", "root"])
def test_cache_usable_dir_sets_a_file_in_the_way_aside(tmp_path: Path, blocker: str) -> None:
    root = tmp_path / "cache"
    if blocker == "root":
        root.write_text("x", encoding="utf-8")
    else:
        root.mkdir()
        (root / "extract").write_text("x", encoding="utf-8")
    got = usable_dir(root / "extract", "extraction", root=root)
    assert got == root / "extract" and got.is_dir()
    assert list(tmp_path.rglob("*.damaged-*"))


def test_cache_usable_dir_unwritable_is_none_with_a_warning(tmp_path: Path, monkeypatch, caplog) -> None:
    folder = tmp_path / "ro"
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == folder:
            raise PermissionError(13, "Permission denied", str(dir))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    with caplog.at_level(logging.WARNING, logger="factcheck"):
        assert usable_dir(folder, "extraction") is None
    assert f"extraction cache folder {folder} cannot be used (permission denied); running without it" in caplog.text
