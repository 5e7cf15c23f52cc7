"""Roles: which event or statement a date or a number belongs to.

A mention hangs off a verb or an event noun in the parse; reporting verbs and
nouns make it the date of a statement ("the Pentagon said Monday"), not of
the event reported.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .. import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Reporting verbs and nouns (lexicon/speech.toml): a date attached to one of
# these dates the statement, not the event reported ("the Pentagon said Monday").
SPEECH_LEMMAS: frozenset[str] = (
    lexicon.words("speech", "statement", "verbs")
    | lexicon.words("speech", "statement", "cue_words")
    | {"statement", "briefing"}
)

# Nouns that name an event, mapped to the verb of that event, for dates inside
# a noun phrase ("his resignation on Friday"); reporting nouns; "-ation" nouns
# that name no event: lexicon/events.toml and lexicon/speech.toml.
NOUN_EVENTS: dict[str, str] = lexicon.table("events", "noun_events")
SPEECH_NOUNS: frozenset[str] = lexicon.words("speech", "statement", "nouns")
NON_EVENT_NOUNS: frozenset[str] = lexicon.words("events", "non_events", "nouns")
_EVENT_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ation", ("ate", "e", "")),  # nomination, declaration, resignation
    ("ment", ("", "e")),  # announcement, settlement, judgment
)


@lru_cache(maxsize=1)
def known_verbs() -> frozenset[str]:
    """Verb lemmas of the spaCy model's lemmatizer index (empty if it has none)."""
    try:
        from ..nlp import get_nlp

        # get_pipe is typed as returning a bare Callable[[Doc], Doc]; the lemmatizer has .lookups
        # (a model without one raises AttributeError, caught below)
        table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
        return frozenset(table["verb"])
    except (KeyError, ValueError, AttributeError):
        return frozenset()


def nominal_event(lemma: str) -> str | None:
    """The verb of the event a noun names ("resignation" -> "resign"), or None.

    Listed forms first, then "-ation"/"-ment" with the stem checked against
    the model's verb index ("settlement" -> "settle"); nouns that name a body
    or thing ("department", "station") are never events.
    """
    lemma = lemma.lower()
    if lemma in NOUN_EVENTS:
        return NOUN_EVENTS[lemma]
    if lemma in NON_EVENT_NOUNS:
        return None
    verbs = known_verbs()
    for suffix, endings in _EVENT_SUFFIXES:
        if lemma.endswith(suffix):
            stem = lemma[: -len(suffix)]
            if len(stem) < 3:
                return None
            for ending in endings:
                if stem + ending in verbs:
                    return stem + ending
    return None


def role(doc: "Doc", start: int, end: int) -> str | None:
    """Lemma of the verb (or reporting noun) a mention hangs off."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    for _ in range(8):
        if tok.lemma_.lower() in SPEECH_LEMMAS:
            return "statement"
        if tok.pos_ in {"VERB", "AUX"} and tok not in span:
            return tok.lemma_.lower()
        if tok.head is tok:
            return tok.lemma_.lower() if tok.pos_ in {"VERB", "AUX"} else None
        tok = tok.head
    return None


def date_role(doc: "Doc", start: int, end: int) -> str | None:
    """The event a date belongs to: the nearest verb or event noun above it.

    Like ``role``, but a date inside a noun phrase takes the event that noun
    names ("his resignation on Friday" -> "resign", "the Friday announcement"
    -> "statement") instead of the clause's main verb. Nouns that name no
    event ("a video in December") are climbed through, as before.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    for _ in range(8):
        lemma = tok.lemma_.lower()
        if tok not in span and tok.pos_ == "NOUN":
            if lemma in SPEECH_NOUNS or lemma in SPEECH_LEMMAS:
                return "statement"
            event = nominal_event(lemma)
            if event is not None:
                return "statement" if event in SPEECH_LEMMAS else event
        if lemma in SPEECH_LEMMAS:
            return "statement"
        if tok.pos_ in {"VERB", "AUX"} and tok not in span:
            return lemma
        if tok.head is tok:
            return lemma if tok.pos_ in {"VERB", "AUX"} else None
        tok = tok.head
    return None
