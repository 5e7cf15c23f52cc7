"""Scoring factcheck's parts on public annotated news in ``../shared/data``.

Each module exposes ``run(data_dir: Path) -> dict`` and goes through the same
code paths ``factcheck check`` uses. Data are read at run time and never
copied into the repository (licences: local evaluation only).
"""

from __future__ import annotations

import os
from pathlib import Path

# The checkout this package runs from (factcheck/evaluation/ -> the repository).
REPO = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """``$FACTCHECK_DATA``, else ``../shared/data`` beside the repository checkout."""
    env = os.environ.get("FACTCHECK_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"
