"""Named entities and the written title before a person's name.

Which mentions are one person or institution across articles is
``factcheck.identity``'s work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..identity import POSSESSIVE, ROLE_WORDS
from ..models import EntityMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

KEPT_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "LAW", "PRODUCT"}


def _title_before(doc: "Doc", start: int) -> tuple[int, int] | None:
    """Token range of the written title right before a PERSON entity."""
    i = start - 1
    first = start
    while i >= 0:
        tok = doc[i]
        low = tok.lower_
        if tok.text == "." and i >= 1 and doc[i - 1].whitespace_ == "" and doc[i - 1].lower_ + "." in ROLE_WORDS:
            # "Brig." split as "Brig" "." at a sentence start
            first = i - 1
            i -= 2
            continue
        if "\n" in tok.text or tok.is_punct or tok.dep_ == "case" or low in {"'s", "’s"}:
            break
        if low in ROLE_WORDS or (tok.is_title and tok.pos_ in {"PROPN", "NOUN", "ADJ"}):
            first = i
            i -= 1
            continue
        if low == "of" and i - 1 >= 0 and doc[i - 1].lower_ in ROLE_WORDS:
            first = i
            i -= 1
            continue
        break
    if first == start:
        return None
    # Drop a leading "of" and require at least one role word inside.
    while first < start and doc[first].lower_ == "of":
        first += 1
    if not any(doc[k].lower_ in ROLE_WORDS for k in range(first, start)):
        return None
    return first, start


def extract_entities(doc: "Doc") -> list[EntityMention]:
    """spaCy entities of the kinds a comparison needs, with the title before a person."""
    out: list[EntityMention] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        title = None
        if ent.label_ == "PERSON":
            rng = _title_before(doc, ent.start)
            if rng:
                title = doc[rng[0] : rng[1]].text
        text = ent.text
        start, end = ent.start_char, ent.end_char
        # "Austin’s" -> "Austin": the possessive is not part of the name.
        m = POSSESSIVE.search(text)
        if m:
            end -= len(m.group(0))
            text = text[: len(text) - len(m.group(0))]
        out.append(EntityMention(span=Span(start=start, end=end), text=text, label=ent.label_, title=title))
    return out
