"""Claim syntax: predicates, negation, stance, nominal denials, read off a claim's parse.

The contradiction comparators read these records; they are read here, from
the article's own parse, so the compare stage never loads the parser.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from .. import lexicon
from ..models import AffirmedEvent, ClaimSyntax, NominalDenial, Predicate, Stance
from .roles import SPEECH_LEMMAS, SPEECH_NOUNS, nominal_event

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}


def negated(doc: "Doc", start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    for tok in span:
        if tok.dep_ == "neg" and tok.head.pos_ in {"VERB", "AUX"}:
            return True
        if tok.lower_ == "neither":
            return True
    return False


# ---------------------------------------------------- claim syntax for compare
# The contradiction comparators read verbs, subjects and negation off a
# claim's parse. They are read here, from the article's own parse, so the
# compare stage never loads the parser. Only tokens of the claim count: a
# parser sentence may run past a claim cut at a line break.

# A source that declines to take a stance on X contradicts a report that the
# same source took a stance on X.
NONCOMMITTAL = re.compile(
    r"\b(neither\s+confirm(?:ed)?\s+nor\s+denied|declined\s+to\s+(?:confirm|comment)|"
    r"(?:would|did)\s+not\s+confirm|(?:did|would)n[’']t\s+confirm|refused\s+to\s+confirm)\b",
    re.I,
)
STANCE_VERBS: frozenset[str] = lexicon.words("syntax", "stance", "verbs")
STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "and",
    "or",
    "in",
    "on",
    "for",
    "its",
    "their",
    "it",
    "that",
    "this",
    "be",
    "have",
    "do",
    "with",
    "by",
    "as",
    "at",
}
# Verbs that assert (or deny, with "no") that a nominal event happened:
# "no charges have been filed", "police made no arrests", "there were no
# injuries", "no agreement was reached".
NOMINAL_SUPPORT_VERBS: frozenset[str] = lexicon.words("syntax", "nominal", "support_verbs")
_HEDGES = {"would", "could", "might", "may", "should"}
_CONDITIONS = {"if", "whether", "unless"}


def _lemma(tok: "Token") -> str:
    return tok.lemma_.lower()


# The children of a token that lie inside the claim.
KidsOf = Callable[["Token"], list["Token"]]


def _asserted(kids: list["Token"]) -> bool:
    """A verb with these children is not under "if"/"whether"/"unless" nor hedged by a modal."""
    if any(k.dep_ == "mark" and k.lower_ in _CONDITIONS for k in kids):
        return False
    return not any(k.lower_ in _HEDGES for k in kids)


# Verbs whose clausal complement is not asserted by the sentence.
DOUBTING_VERBS: frozenset[str] = lexicon.words("syntax", "denial", "doubting_verbs")


def _held_by_denial(tok: "Token", sent: "SpacySpan", kids_of: KidsOf) -> bool:
    """``tok`` heads a clause under a negated or doubting verb."""
    node = tok
    for _ in range(4):
        if node.dep_ not in {"ccomp", "xcomp"} or node.head.i == node.i or not (sent.start <= node.head.i < sent.end):
            return False
        head = node.head
        if _lemma(head) in DOUBTING_VERBS or any(k.dep_ == "neg" for k in kids_of(head)):
            return True
        node = head
    return False


def _predicates(sent: "SpacySpan", kids_of: KidsOf) -> tuple[Predicate, ...]:
    """Asserted verbs with negation and subject lemmas.

    Verbs under "if"/"whether", questions and hypotheticals ("would", "could")
    are not assertions and are skipped, and so are clauses a negated or
    doubting verb holds ("records do not indicate the sirens sounded",
    "officials denied that ...").
    """
    out = []
    for tok in sent:
        if tok.pos_ not in {"VERB", "AUX"} or tok.dep_ in {"aux", "auxpass"}:
            continue
        kids = kids_of(tok)
        if not _asserted(kids) or _held_by_denial(tok, sent, kids_of):
            continue
        neg = any(k.dep_ == "neg" for k in kids) or any(k.lower_ in {"neither", "never"} for k in kids)
        subj = {
            _lemma(t)
            for k in kids
            if k.dep_ in {"nsubj", "nsubjpass"}
            for t in k.subtree
            if sent.start <= t.i < sent.end and t.is_alpha and _lemma(t) not in STOP
        }
        out.append(Predicate(verb=_lemma(tok), negated=neg, subject=tuple(sorted(subj))))
    return tuple(out)


def _stance(sent: "SpacySpan", kids_of: KidsOf) -> Stance | None:
    """Subject phrase, stance (or main) verb and object lemmas of the first fitting subject."""
    doc = sent.doc
    lo, hi = sent.start, sent.end
    for tok in sent:
        head = tok.head
        if tok.dep_ not in {"nsubj", "nsubjpass"} or head.pos_ not in {"VERB", "AUX"}:
            continue
        window = doc[head.i : max(head.i, min(hi, head.i + 6))].text
        if _lemma(head) in STANCE_VERBS | {"neither"} or NONCOMMITTAL.search(window) or head.dep_ == "ROOT":
            obj: set[str] = set()
            for child in kids_of(head):
                if child.dep_ in {"dobj", "obj", "conj", "ccomp", "xcomp", "prep"}:
                    obj |= {
                        _lemma(t)
                        for t in child.subtree
                        if lo <= t.i < hi and t.is_alpha and _lemma(t) not in STOP and t.pos_ in {"NOUN", "VERB"}
                    }
            subject = doc[max(lo, tok.left_edge.i) : min(hi, tok.right_edge.i + 1)].text
            return Stance(subject=subject, verb=_lemma(head), objects=tuple(sorted(obj)))
    return None


def _event_of_noun(noun: "Token") -> str | None:
    """Verb of the event a noun names, for nouns used with "no"; reporting nouns excluded."""
    lemma = _lemma(noun)
    if lemma in SPEECH_LEMMAS or lemma in SPEECH_NOUNS:
        return None  # "no comment" takes no position; the stance rule handles it
    event = nominal_event(lemma)
    return None if event in SPEECH_LEMMAS else event


def _denied(sent: "SpacySpan", kids_of: KidsOf) -> tuple[NominalDenial, ...]:
    """Events the sentence says did not happen: "no formal charges have been filed".

    Only "no" + an event noun that is the subject, object or existential
    complement of an asserted, non-negated support verb (file, make, reach,
    be, ...) counts.
    """
    out = []
    for tok in sent:
        if tok.lower_ != "no" or tok.dep_ != "det" or tok.head.pos_ != "NOUN":
            continue
        noun = tok.head
        verb = noun.head
        if noun.dep_ not in {"nsubj", "nsubjpass", "dobj", "attr"} or verb.pos_ not in {"VERB", "AUX"}:
            continue
        kids = kids_of(verb)
        if _lemma(verb) not in NOMINAL_SUPPORT_VERBS or not _asserted(kids):
            continue
        if any(k.dep_ == "neg" for k in kids):
            continue  # "not ... no": a double negative is no clean denial
        event = _event_of_noun(noun)
        if event:
            out.append(NominalDenial(event=event, noun=noun.text.lower()))
    return tuple(out)


def _affirmed(sent: "SpacySpan", kids_of: KidsOf) -> tuple[AffirmedEvent, ...]:
    """Asserted, non-negated verbs with the proper-noun lemmas of their subjects and objects."""
    out = []
    for tok in sent:
        if tok.pos_ != "VERB" or tok.dep_ in {"aux", "auxpass"}:
            continue
        kids = kids_of(tok)
        if not _asserted(kids):
            continue
        if any(k.dep_ == "neg" or k.lower_ in {"neither", "never"} for k in kids):
            continue
        names = {
            _lemma(t)
            for k in kids
            if k.dep_ in {"nsubj", "nsubjpass", "dobj"}
            for t in k.subtree
            if sent.start <= t.i < sent.end and t.pos_ == "PROPN" and t.is_alpha and _lemma(t) not in STOP
        }
        out.append(AffirmedEvent(verb=_lemma(tok), names=tuple(sorted(names))))
    return tuple(out)


def claim_syntax(sent: "SpacySpan") -> ClaimSyntax:
    """Predicates, stance, nominal denials and affirmed events of one claim's tokens.

    ``sent`` is the claim's span in the article parse (or a whole parsed
    sentence, ``doc[:]``); tokens outside it are ignored.
    """
    lo, hi = sent.start, sent.end

    def kids_of(tok: "Token") -> list["Token"]:
        return [k for k in tok.children if lo <= k.i < hi]

    content = {_lemma(t) for t in sent if t.is_alpha and t.pos_ in {"NOUN", "VERB"} and _lemma(t) not in STOP}
    proper = {_lemma(t) for t in sent if t.pos_ == "PROPN" and t.is_alpha}
    return ClaimSyntax(
        predicates=_predicates(sent, kids_of),
        stance=_stance(sent, kids_of),
        content=tuple(sorted(content)),
        denied=_denied(sent, kids_of),
        affirmed=_affirmed(sent, kids_of),
        proper=tuple(sorted(proper)),
    )
