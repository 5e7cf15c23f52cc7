"""Sentences: the claim units of an article, cut at paragraph breaks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..nlp import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc


def sentences_of(doc: "Doc") -> Iterable[tuple[int, int]]:
    """Sentence character ranges, never crossing a paragraph break, whitespace-trimmed."""
    text = doc_text(doc)
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        # spaCy's small parser sometimes runs a sentence across a blank line
        # (a heading glued to the first paragraph): cut at line breaks.
        piece_start = start
        while piece_start < end:
            nl = text.find("\n", piece_start, end)
            piece_end = end if nl == -1 else nl
            s, e = piece_start, piece_end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                yield s, e
            piece_start = piece_end + 1


def is_claim(doc: "Doc", start: int, end: int, min_words: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if t.is_alpha]
    if not words:
        return False
    has_verb = any(t.pos_ in {"VERB", "AUX"} for t in span)
    # Headings and teasers ("US Defence Secretary to Visit Singapore") have
    # few words and often no finite verb: not claims an outlet stands behind.
    if len(words) < min_words and not has_verb:
        return False
    if not has_verb and len(words) < 2 * min_words:
        return False
    return True
