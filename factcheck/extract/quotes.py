"""Direct quotes, their speakers, and reported-speech attributions.

``extract_quotes`` pairs quotation marks paragraph by paragraph, refuses to
pair what it cannot pair reliably, and finds the speaker through the reporting
verb next to the quote (dependency parse + entities). ``attribute_sentence``
does the same for reported speech without marks. ``normalize_quote_text`` and
``quote_word_diff`` compare one quote's wording across outlets.

Every returned span is in document character offsets, and
``doc.text[span.start:span.end]`` equals the text stored beside it.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Literal

from .. import lexicon
from ..models import Quote, Span
from ..nlp import doc_text

if TYPE_CHECKING:  # spaCy is imported lazily by factcheck.nlp
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

SpeakerKind = Literal["person", "organisation", "anonymous", "pronoun", "unknown"]

# Reporting verbs, the addressee and content-object verbs: lexicon/speech.toml.
REPORTING_VERBS: frozenset[str] = lexicon.words("speech", "reporting", "verbs")
ADDRESSEE_VERBS: frozenset[str] = lexicon.words("speech", "reporting", "addressee_verbs")
CONTENT_OBJECT_VERBS: frozenset[str] = lexicon.words("speech", "reporting", "content_object_verbs")

OPEN_DOUBLE = "\u201c\u201e"  # “ „
CLOSE_DOUBLE = "\u201d"  # ”
STRAIGHT = '"'
QUOTE_CHARS = OPEN_DOUBLE + CLOSE_DOUBLE + STRAIGHT + "\u201f\u00ab\u00bb"

# Fewer content words than this and no reporting cue in the sentence: a scare
# quote or a term ("guardrails"), not reported speech.
MIN_QUOTE_WORDS = 3
# Title-cased spans up to this many words without a cue read as titles or
# slogans ("War and Peace"), not speech.
MAX_TITLE_WORDS = 12
# Longer subject subtrees are parse accidents; fall back to the name itself.
MAX_SPEAKER_TOKENS = 14

# Title words stripped from a speaker's name, with their qualifiers and the words
# around them ("the White House spokesman"): lexicon/titles.toml.
TITLE_WORDS: frozenset[str] = (
    lexicon.words("titles", "titles")
    | lexicon.words("titles", "titles", "qualifiers")
    | lexicon.words("titles", "titles", "speaker_noise")
)
ANON_HEADS: frozenset[str] = lexicon.words("speech", "speakers", "anonymous_heads")
ANON_MARKERS: frozenset[str] = lexicon.words("speech", "speakers", "anonymous_markers")
ORG_HEADS: frozenset[str] = lexicon.words("speech", "speakers", "organisation_heads")
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her"})


@dataclass(frozen=True)
class _Pair:
    """Quote content between two marks, in document character offsets."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None  # None: paragraph continues the quote in the next one
    paragraph: int


@dataclass(frozen=True)
class Attribution:
    """Who a sentence of reported speech credits, and the cue that says so.

    ``source_span`` and ``cue_span`` are offsets in the cleaned article text;
    ``source`` and ``cue`` are the text at them ("the ministry", "said").
    """

    source_span: Span
    source: str
    cue_span: Span
    cue: str


@dataclass(frozen=True)
class _Speaker:
    span: Span
    text: str
    kind: SpeakerKind
    canonical: str | None
    cue_span: Span
    cue: str


# ---------------------------------------------------------------------------
# Quotation-mark pairing


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph bounds: any line break ends a paragraph (cleaned text uses \\n\\n)."""
    bounds = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            bounds.append((m.start(), m.end()))
    return bounds


def _mark_role(text: str, i: int, lo: int, hi: int) -> Literal["open", "close", "either"]:
    """Whether a quotation mark at ``i`` opens or closes, from the characters beside it."""
    ch = text[i]
    if ch in OPEN_DOUBLE or ch == "\u201f" or ch == "\u00ab":
        return "open"
    if ch in CLOSE_DOUBLE or ch == "\u00bb":
        return "close"
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    prev_open = prev.isspace() or prev in "([{\u2014\u2013-/:;\u2018'"
    next_close = nxt.isspace() or nxt in ".,;:!?)]}\u2014\u2013-\u2019'"
    if prev_open and not next_close:
        return "open"
    if next_close and not prev_open:
        return "close"
    return "either"


def _pair_marks(text: str) -> list[_Pair]:
    """Pair double quotation marks within each paragraph.

    Apostrophes and single marks never pair at top level (they are part of the
    content of a double-quoted span when nested). A second opening mark while a
    quote is open, or a closing mark with nothing open, means the paragraph is
    malformed there: the unreliable mark is dropped instead of guessed. A quote
    left open at the end of a paragraph is kept only when the next paragraph
    opens with a quotation mark (the multi-paragraph quote convention).
    """
    paras = _paragraphs(text)
    pairs: list[_Pair] = []
    for p_idx, (lo, hi) in enumerate(paras):
        if not any(text[i] in QUOTE_CHARS for i in range(lo, hi)):
            pairs.extend(_pair_single_marks(text, lo, hi, p_idx))
            continue
        open_at: int | None = None
        for i in range(lo, hi):
            if text[i] not in QUOTE_CHARS:
                continue
            role = _mark_role(text, i, lo, hi)
            if role == "either":
                role = "close" if open_at is not None else "open"
            if role == "open":
                # A second opener: the first one cannot be paired reliably.
                open_at = i
            elif open_at is not None:
                pairs.append(_Pair(open_at + 1, i, open_at, i, p_idx))
                open_at = None
        if open_at is not None and p_idx + 1 < len(paras):
            nlo = paras[p_idx + 1][0]
            if text[nlo] in QUOTE_CHARS and _mark_role(text, nlo, nlo, paras[p_idx + 1][1]) == "open":
                pairs.append(_Pair(open_at + 1, hi, open_at, None, p_idx))
    return pairs


SINGLE_OPEN = "'\u2018"
SINGLE_CLOSE = "'\u2019"


def _pair_single_marks(text: str, lo: int, hi: int, p_idx: int) -> list[_Pair]:
    """British-style quotes in single marks, in a paragraph with no double marks.

    Only the unambiguous shape pairs: an opening mark at the paragraph start or
    after a space, colon or bracket, right before a letter; a closing mark
    right after sentence punctuation or before a comma/full stop/end of
    paragraph, never between two letters (an apostrophe: "Wagner's") and never
    after an "s" followed by a space (a plural possessive: "fighters' camps").
    """
    pairs: list[_Pair] = []
    i = lo
    while i < hi:
        ch = text[i]
        prev = text[i - 1] if i > lo else " "
        nxt = text[i + 1] if i + 1 < hi else " "
        if ch in SINGLE_OPEN and (i == lo or prev.isspace() or prev in "(:[\u2014") and nxt.isalpha():
            for j in range(i + 2, hi):
                if text[j] not in SINGLE_CLOSE:
                    continue
                before = text[j - 1]
                after = text[j + 1] if j + 1 < hi else " "
                if before.isalpha() and after.isalpha():
                    continue  # apostrophe inside a word
                closes = before in ",.!?" or (j + 1 >= hi) or (after in ",.;:!?" and before.isalpha() and before != "s")
                if not closes:
                    continue
                if len(_words(text[i + 1 : j])) >= 4:
                    pairs.append(_Pair(i + 1, j, i, j, p_idx))
                i = j
                break
        i += 1
    return pairs


_PAIRS_KEY = "factcheck.quote_pairs"


def doc_pairs(doc: "Doc") -> list[_Pair]:
    """``_pair_marks`` of the whole document, computed once per document."""
    text = doc_text(doc)
    kept = doc.user_data.get(_PAIRS_KEY)
    if kept is not None and kept[0] is text:
        return kept[1]
    pairs = _pair_marks(text)
    doc.user_data[_PAIRS_KEY] = (text, pairs)
    return pairs


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding whitespace and a trailing comma (reporting punctuation)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


_WORD = re.compile(r"\w+(?:['\u2019.\-]\w+)*")


def _words(s: str) -> list[str]:
    return _WORD.findall(s)


def _looks_like_title(s: str) -> bool:
    """Title-cased short span ("War and Peace", "Make America Great Again")."""
    words = _words(s)
    if not words or len(words) > MAX_TITLE_WORDS or re.search(r"[.!?]\W*$", s.strip()):
        return False
    small = {"and", "of", "the", "a", "an", "in", "on", "for", "to", "at", "or", "with", "by"}
    content = [w for w in words if w.lower() not in small]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


_TITLE_LEADS: frozenset[str] = frozenset(
    """on in of at to from for the a an his her their its our my titled entitled called named
    book show program programme film movie song album series column op-ed essay memoir""".split()
)


def _title_context(text: str, open_mark: int) -> bool:
    """The word before the opening mark introduces a title ("on", "the", "book", "titled")."""
    m = re.search(r"([\w'’-]+)\W*$", text[max(0, open_mark - 40) : open_mark])
    if m is None:
        return False
    w = m.group(1).lower()
    return w in _TITLE_LEADS or w.endswith(("'s", "’s"))


# ---------------------------------------------------------------------------
# Speaker and cue


def _span_of(doc: "Doc", first: "Token", last: "Token") -> Span:
    return Span(start=first.idx, end=last.idx + len(last.text))


class _Context:
    """Per-document lookups shared by all quotes of one article."""

    def __init__(self, doc: "Doc", pairs: list[_Pair]):
        self.doc = doc
        self.text = doc_text(doc)
        self.token_starts = [t.idx for t in doc]
        self.paras = _paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        # Interiors and marks of every quote: cue and speaker must lie outside.
        self.quoted: list[tuple[int, int]] = sorted(
            (p.open_mark, (p.close_mark + 1) if p.close_mark is not None else p.end) for p in pairs
        )
        self.sents = list(doc.sents)
        self.sent_starts = [s.start_char for s in self.sents]
        self._index_names()
        self.person_subjects = self._person_subjects()

    def _index_names(self) -> None:
        """PERSON entities and proper-noun tokens, read once per document (``doc.ents``
        and token access are slow in spaCy and every speaker lookup needs them)."""
        self.ents = list(self.doc.ents)
        persons = [e for e in self.ents if e.label_ == "PERSON"]
        self.person_names = [(e.start_char, _strip_titles(e.text).split()) for e in persons]
        self.known_surnames = {w for e in persons if len(e) >= 2 for w in (e[-1].text, e[0].text)}
        self.propn_at: dict[str, list[int]] = {}
        for t in self.doc:
            if t.pos_ == "PROPN":
                self.propn_at.setdefault(t.text, []).append(t.i)

    def in_quote(self, tok: "Token") -> bool:
        i = bisect.bisect_right(self.quoted, (tok.idx, 10**12)) - 1
        return i >= 0 and self.quoted[i][0] <= tok.idx < self.quoted[i][1]

    def quote_only_paragraph(self, para: int) -> bool:
        """True when every letter of the paragraph lies inside quotation marks."""
        lo, hi = self.paras[para]
        for i in range(lo, hi):
            if self.text[i].isalnum():
                j = bisect.bisect_right(self.quoted, (i, 10**12)) - 1
                if not (j >= 0 and self.quoted[j][0] <= i < self.quoted[j][1]):
                    return False
        return True

    def token_at(self, char: int) -> "Token | None":
        """The token starting at or before ``char``."""
        i = bisect.bisect_right(self.token_starts, char) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def para_of(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def sent_index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, char) - 1)

    def _person_subjects(self) -> list[tuple[int, str]]:
        """(offset, canonical name) for PERSON mentions that act as subjects, in order."""
        out: list[tuple[int, str]] = []
        for ent in self.ents:
            if ent.label_ != "PERSON":
                continue
            root = ent.root
            if self.in_quote(root):
                continue  # names inside a quote are not the article's subjects
            if root.dep_ in ("nsubj", "nsubjpass", "appos") or (
                root.dep_ == "compound" and root.head.dep_ in ("nsubj", "nsubjpass")
            ):
                name = _strip_titles(ent.text)
                if name:
                    out.append((ent.start_char, name))
        return out

    def full_name(self, name: str, before: int) -> str:
        """A bare surname becomes the latest full name seen earlier that ends with it.

        PERSON entities are tried first, then runs of capitalised proper nouns
        the NER missed ("Qin Gang met ...").
        """
        if " " in name:
            return name
        earlier = [parts for start, parts in self.person_names if start < before]
        # Surname last ("Pat Ryder" -> "Ryder"), then surname first ("Qin Gang" -> "Qin").
        for pos in (-1, 0):
            for parts in reversed(earlier):
                if len(parts) >= 2 and parts[pos] == name:
                    return " ".join(parts)
        candidates = [self.doc[i] for i in self.propn_at.get(name, ())]
        for tok in reversed([t for t in candidates if t.idx < before]):
            run = [tok]
            while run[0].i > 0 and self.doc[run[0].i - 1].pos_ == "PROPN" and self.doc[run[0].i - 1].is_title:
                run.insert(0, self.doc[run[0].i - 1])
            parts = _strip_titles(" ".join(t.text for t in run)).split()
            if len(parts) >= 2 and not any(t.ent_type_ in ("ORG", "GPE", "NORP") for t in run):
                return " ".join(parts)
        return name

    def is_known_surname(self, word: str) -> bool:
        """``word`` ends (or, surname first, starts) a multi-word PERSON entity in the article."""
        return word in self.known_surnames

    def recent_person(self, before: int) -> str | None:
        i = bisect.bisect_left(self.person_subjects, (before, "")) - 1
        if i < 0:
            return None
        off, name = self.person_subjects[i]
        return self.full_name(name, off)


def _strip_titles(name: str) -> str:
    """Drop honorifics and job titles in front of a name, and a possessive at its end."""
    name = re.sub(r"['\u2019]s?$", "", name.strip())
    parts = name.split()
    while len(parts) > 1 and parts[0].lower().rstrip(".,") in TITLE_WORDS:
        parts.pop(0)
    return " ".join(parts).strip(" ,")


def _cue_tokens(tok: "Token") -> tuple["Token", "Token", str] | None:
    """(first, last, lemma) of the cue phrase headed by ``tok``, or None if ``tok`` is no cue."""
    lemma = tok.lemma_.lower()
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.rights):
        to = next(c for c in tok.rights if c.lower_ == "to")
        return tok, to, "according to"
    if tok.pos_ not in ("VERB", "AUX") or lemma not in REPORTING_VERBS:
        return None
    last = tok
    for child in tok.rights:
        if child.i != last.i + 1:
            break
        if child.dep_ == "prt":
            last = child
        elif (
            lemma in ADDRESSEE_VERBS
            and child.dep_ in ("dobj", "dative", "iobj")
            and child.pos_
            in (
                "NOUN",
                "PROPN",
                "PRON",
            )
        ):
            last = child.right_edge if child.right_edge.i - child.i <= 3 else child
        else:
            break
    return tok, last, lemma


def _subject_of(ctx: "_Context", verb: "Token") -> "Token | None":
    """The subject of a reporting verb, climbing xcomp/conj/advcl chains ("went on to say").

    Subjects inside quotation marks are parse accidents (the parser attaches a
    quoted "he" to the reporting verb) and are skipped; the one nearest the
    verb wins.
    """
    cur = verb
    for _ in range(4):
        subs = [c for c in cur.children if c.dep_ == "nsubj" and not ctx.in_quote(c)]
        if subs:
            return min(subs, key=lambda c: abs(c.i - cur.i))
        if cur.dep_ == "conj" and _is_reported_content(cur.head):
            # "Trump said the F.B.I. ruined his life and said ...": the parser
            # hangs the second "said" on the reported verb ("ruined"), whose
            # subject is what was said about, not who said it. The two
            # reporting verbs share the outer speaker.
            cur = cur.head.head
        elif cur.dep_ in ("xcomp", "conj", "advcl") and cur.head is not cur:
            cur = cur.head
        else:
            break
    return None


def _is_reported_content(tok: "Token") -> bool:
    """``tok`` heads the reported clause of a reporting verb ("said [the F.B.I. ruined ...]")."""
    return (
        tok.dep_ == "ccomp"
        and tok.lemma_.lower() not in REPORTING_VERBS
        and tok.head.pos_ in ("VERB", "AUX")
        and tok.head.lemma_.lower() in REPORTING_VERBS
    )


def _inverted_subject(ctx: "_Context", verb: "Token") -> "Token | None":
    """``“...,” said X``: the parser sometimes makes X an object or modifier.

    Only when the verb directly follows a closing quotation mark (and is not
    "tell"/"ask", whose object is the addressee).
    """
    if verb.lemma_.lower() in ADDRESSEE_VERBS:
        return None
    prev = verb.i - 1
    while prev >= 0 and verb.doc[prev].is_punct and verb.doc[prev].text not in QUOTE_CHARS:
        prev -= 1
    if prev < 0 or verb.doc[prev].text not in QUOTE_CHARS:
        return None
    for child in verb.rights:
        if (
            not ctx.in_quote(child)
            and child.dep_ in ("dobj", "attr", "npadvmod", "dep", "nsubjpass", "appos", "oprd")
            and child.pos_
            in (
                "PROPN",
                "NOUN",
            )
        ):
            return child
    return None


def _speaker_tokens(ctx: _Context, head: "Token") -> tuple["Token", "Token", "Token"]:
    """(first, last, head) of the speaker phrase: the subject's subtree without clauses."""
    if head.pos_ == "PRON" and head.lower_ in ("who", "that") and head.head.dep_ == "relcl":
        head = head.head.head  # "Trump, who said ..." -> Trump
    # Left children contiguous up to the head.
    lefts = [c for c in head.lefts if c.dep_ not in ("punct",) and not ctx.in_quote(c)]
    first = lefts[0].left_edge if lefts else head
    while first.i < head.i and (first.is_punct or ctx.in_quote(first)):
        first = first.doc[first.i + 1]
    last = head
    for child in head.rights:
        if child.dep_ in ("relcl", "acl", "punct", "advmod", "cc", "conj", "appos", "advcl", "parataxis"):
            break
        if ctx.in_quote(child.right_edge):
            break
        last = child.right_edge
    # "The spokesman, John Kirby, said": take the name in apposition.
    appos = [c for c in head.rights if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
    if appos and head.ent_type_ != "PERSON":
        last = appos[0]
        for child in appos[0].rights:
            if child.dep_ in ("compound", "flat"):
                last = child
    if last.i - first.i + 1 > MAX_SPEAKER_TOKENS:
        first = head
        while (
            first.i > 0
            and first.doc[first.i - 1].dep_ in ("compound", "flat")
            and first.doc[first.i - 1].head.i >= head.i - 3
        ):
            first = first.doc[first.i - 1]
        last = head
    while last.i > first.i and last.is_punct:
        last = last.doc[last.i - 1]
    return first, last, head


def _classify(ctx: _Context, first: "Token", last: "Token", head: "Token") -> tuple[SpeakerKind, str | None]:
    """Speaker kind and canonical identity (None when it cannot be resolved)."""
    doc = ctx.doc
    phrase = doc[first.i : last.i + 1]
    if head.pos_ == "PRON" and first.i == last.i:
        if head.lower_ in PERSON_PRONOUNS:
            return "pronoun", ctx.recent_person(head.idx)
        return "pronoun", None
    ents = [e for e in ctx.ents if e.start >= phrase.start and e.end <= phrase.end]  # phrase.ents, from the cache
    persons = [e for e in ents if e.label_ == "PERSON"]
    if persons:
        name = _strip_titles(persons[-1].text)
        return "person", ctx.full_name(name, first.idx) if name else None
    if head.pos_ == "PROPN" and first.i == last.i and ctx.is_known_surname(head.text):
        return "person", ctx.full_name(head.text, first.idx)
    head_lemma = head.lemma_.lower()
    words = {t.lower_ for t in phrase}
    orgs = [e for e in ents if e.label_ in ("ORG", "GPE", "NORP", "FAC")]
    if head_lemma in ANON_HEADS and not any(t.pos_ == "PROPN" and t.i == head.i for t in phrase):
        if words & ANON_MARKERS or head_lemma in ("source", "people", "person"):
            return "anonymous", None
    if orgs and (head.ent_type_ in ("ORG", "GPE", "NORP", "FAC") or head_lemma in ORG_HEADS):
        ent = next((e for e in orgs if e.start <= head.i < e.end), orgs[-1])
        name = re.sub(r"^(the|The)\s+", "", ent.text) if head.ent_type_ else _strip_det(phrase.text)
        return "organisation", name
    if head_lemma in ORG_HEADS and any(t.pos_ in ("ADJ", "PROPN") for t in phrase if t.i != head.i):
        return "organisation", _strip_det(phrase.text)
    if head_lemma in ANON_HEADS:
        return "anonymous", None
    # A capitalised name the NER missed ("Qin said").
    if head.pos_ == "PROPN" and head.is_title and not head.ent_type_:
        name = _strip_titles(" ".join(t.text for t in phrase if t.pos_ == "PROPN" and not t.ent_type_ or t.i == head.i))
        return "person", ctx.full_name(name, first.idx) if name else None
    return "unknown", None


def _strip_det(s: str) -> str:
    return re.sub(r"^(the|The|a|A|an|An)\s+", "", s).strip()


def _speaker_for_cue(ctx: _Context, cue_head: "Token") -> _Speaker | None:
    found = _cue_tokens(cue_head)
    if found is None:
        return None
    cfirst, clast, lemma = found
    subj: "Token | None"
    if lemma == "according to":
        pobj = next((c for c in clast.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        subj = pobj
    else:
        subj = _subject_of(ctx, cue_head) or _inverted_subject(ctx, cue_head)
        if subj is None or ctx.in_quote(subj):
            return None
    first, last, head = _speaker_tokens(ctx, subj)
    if ctx.in_quote(first) or ctx.in_quote(last):
        return None
    kind, canonical = _classify(ctx, first, last, head)
    sspan = _span_of(ctx.doc, first, last)
    cspan = _span_of(ctx.doc, cfirst, clast)
    return _Speaker(sspan, ctx.text[sspan.start : sspan.end], kind, canonical, cspan, ctx.text[cspan.start : cspan.end])


def _cue_candidates(ctx: _Context, lo: int, hi: int, para: int) -> list["Token"]:
    """Tokens in [lo, hi) outside quotes that head a cue phrase, within one paragraph."""
    out = []
    plo, phi = ctx.paras[para]
    lo, hi = max(lo, plo), min(hi, phi)
    i = bisect.bisect_left(ctx.token_starts, lo)
    while i < len(ctx.doc) and ctx.doc[i].idx < hi:
        tok = ctx.doc[i]
        if not ctx.in_quote(tok) and _cue_tokens(tok) is not None:
            out.append(tok)
        i += 1
    return out


def _find_speaker(
    ctx: _Context, pair: _Pair, previous: tuple[_Pair, _Speaker | None] | None = None
) -> tuple[_Speaker | None, bool]:
    """Speaker of one quote, and whether the cue sits in the quote's own sentence(s).

    ``previous`` is the preceding quote and its speaker: a quote whose sentence
    has no cue continues it when it sits in the same paragraph and ended in
    the sentence before (“...,” McCaul said, though Comey ... said X. “...”).
    """
    close = pair.close_mark if pair.close_mark is not None else pair.end
    s_open = ctx.sent_index(pair.open_mark)
    s_close = ctx.sent_index(max(pair.open_mark, close - 1))
    host_lo = ctx.sents[s_open].start_char
    host_hi = ctx.sents[s_close].end_char

    def nearest(cands: list["Token"], prefer_after: bool = True) -> _Speaker | None:
        def dist(t: "Token") -> tuple[int, int]:
            if t.idx >= close:
                return (t.idx - close, 0 if prefer_after else 1)
            return (pair.open_mark - t.idx, 1 if prefer_after else 0)

        # A cue whose clause contains the quote governs it ("X say A are “...”,
        # while Y call B “...”"); only then the nearest cue.
        first_tok = ctx.token_at(pair.start)
        governing = [t for t in cands if first_tok is not None and t.left_edge.i <= first_tok.i <= t.right_edge.i]
        for group in (sorted(governing, key=lambda t: t.right_edge.i - t.left_edge.i), sorted(cands, key=dist)):
            for tok in group:
                sp = _speaker_for_cue(ctx, tok)
                if sp is not None:
                    return sp
        return None

    sp = nearest(_cue_candidates(ctx, host_lo, host_hi, pair.paragraph))
    if sp is not None:
        return sp, True
    if previous is not None and previous[1] is not None and previous[0].paragraph == pair.paragraph:
        prev_close = previous[0].close_mark if previous[0].close_mark is not None else previous[0].end
        if s_open > 0 and ctx.sent_index(prev_close) >= s_open - 1:
            return previous[1], False
    # "... the Pentagon said in a statement. “...”": the previous sentence, then the next.
    if s_open > 0:
        prev = ctx.sents[s_open - 1]
        if ctx.para_of(prev.start_char) == pair.paragraph or prev.text.rstrip().endswith(":"):
            para = ctx.para_of(prev.start_char)
            sp = nearest(_cue_candidates(ctx, prev.start_char, prev.end_char, para))
            if sp is not None:
                return sp, False
    if s_close + 1 < len(ctx.sents):
        nxt = ctx.sents[s_close + 1]
        if ctx.para_of(nxt.start_char) == pair.paragraph:
            sp = nearest(_cue_candidates(ctx, nxt.start_char, nxt.end_char, pair.paragraph))
            if sp is not None:
                return sp, False
    # A paragraph that is nothing but a quote continues the speaker of the
    # previous paragraph's last sentence ("..., she told AFP.¶“They want ...”").
    if pair.paragraph > 0 and ctx.quote_only_paragraph(pair.paragraph):
        plo, phi = ctx.paras[pair.paragraph - 1]
        last = ctx.sents[ctx.sent_index(max(plo, phi - 1))]
        cands = _cue_candidates(ctx, max(plo, last.start_char), phi, pair.paragraph - 1)
        for tok in sorted(cands, key=lambda t: -t.i):
            sp = _speaker_for_cue(ctx, tok)
            if sp is not None:
                return sp, False
    return None, False


def extract_quotes(doc: "Doc") -> list[Quote]:
    """Direct quotes of an article with speaker and reporting cue where found.

    ``doc`` is ``get_nlp()(article_text)``. Quotes come in text order; a quote
    that runs over several paragraphs yields one Quote per paragraph, all with
    the speaker of the paragraph that carries the cue. Spans exclude the marks
    and a trailing comma. Scare quotes and titles (short spans, or title-cased
    ones, with no reporting cue in their sentence) are not returned.
    """
    text = doc_text(doc)
    pairs = doc_pairs(doc)
    ctx = _Context(doc, pairs)
    found: list[tuple[_Pair, int, int, _Speaker | None]] = []
    previous: tuple[_Pair, _Speaker | None] | None = None
    for pair in pairs:
        start, end = _trim(text, pair.start, pair.end)
        if start >= end:
            continue
        content = text[start:end]
        speaker, same_sentence = _find_speaker(ctx, pair, previous)
        previous = (pair, speaker)
        n_words = len(_words(content))
        if n_words == 0:
            continue
        if not same_sentence and (n_words < MIN_QUOTE_WORDS or _looks_like_title(content)):
            continue
        if _looks_like_title(content) and _title_context(text, pair.open_mark):
            continue  # on “Meet the Press”, the book “War and Peace”
        found.append((pair, start, end, speaker))
    # Paragraph-continued quotes take the speaker of the paragraph that closes them.
    for k in range(len(found) - 1, -1, -1):
        pair, start, end, speaker = found[k]
        if pair.close_mark is None and speaker is None and k + 1 < len(found):
            found[k] = (pair, start, end, found[k + 1][3])
    quotes = []
    for _pair, start, end, sp in found:
        quotes.append(
            Quote(
                span=Span(start=start, end=end),
                text=text[start:end],
                speaker=sp.text if sp else None,
                speaker_span=sp.span if sp else None,
                speaker_canonical=sp.canonical if sp else None,
                speaker_kind=sp.kind if sp else "unknown",
                cue=sp.cue if sp else None,
                cue_span=sp.cue_span if sp else None,
            )
        )
    return quotes


# ---------------------------------------------------------------------------
# Reported speech without quotation marks


_SENTENCE_CTX_KEY = "factcheck.sentence_context"


def _sentence_context(doc: "Doc") -> _Context:
    """The lookups ``attribute_sentence`` needs, made once per document.

    Every quote's marks (a token is inside a quote whichever sentence the
    quote started in), the names of the document, and no recency list:
    reported speech without marks does not resolve pronouns.
    """
    text = doc_text(doc)
    kept = doc.user_data.get(_SENTENCE_CTX_KEY)
    if kept is not None and kept.text is text:
        return kept
    ctx = _Context.__new__(_Context)
    ctx.doc, ctx.text = doc, text
    ctx.quoted = sorted(
        (p.open_mark, (p.close_mark + 1) if p.close_mark is not None else p.end) for p in doc_pairs(doc)
    )
    ctx._index_names()
    ctx.person_subjects = []
    doc.user_data[_SENTENCE_CTX_KEY] = ctx
    return ctx


def attribute_sentence(sent: "SpacySpan") -> Attribution | None:
    """Source and cue of reported speech in one sentence, or None.

    Finds "X said (that) ...", "..., X said Monday", "X neither confirmed nor
    denied ...", "X reported", "according to X", in document character
    offsets. Words inside quotation marks are not searched.
    """
    doc = sent.doc
    text = doc_text(doc)
    ctx = _sentence_context(doc)
    for tok in sent:
        if ctx.in_quote(tok):
            continue
        found = _cue_tokens(tok)
        if found is None:
            continue
        cfirst, clast, lemma = found
        if lemma != "according to":
            # "neither confirmed nor denied X": the object hangs on the last conjunct.
            conjs = [c for c in tok.rights if c.dep_ == "conj" and c.lemma_.lower() in REPORTING_VERBS]
            deps = {c.dep_ for v in [tok, *conjs] for c in v.children}
            reports = (
                "ccomp" in deps
                or tok.dep_ in ("parataxis",)
                or tok.head.dep_ == "ccomp"
                or (lemma in CONTENT_OBJECT_VERBS and "dobj" in deps)
                or (tok.dep_ == "ROOT" and any(c.dep_ == "ccomp" for c in tok.children))
                or (tok.dep_ == "ROOT" and tok.i >= sent.end - 4)  # "..., Reuters reported."
            )
            if not reports:
                continue
            # "neither confirmed nor denied": widen the cue over the coordinated verb.
            if any(c.dep_ == "preconj" for c in tok.children):
                conj = next((c for c in tok.rights if c.dep_ == "conj" and c.lemma_.lower() in REPORTING_VERBS), None)
                if conj is not None:
                    cfirst = min([c for c in tok.children if c.dep_ == "preconj"], key=lambda t: t.i)
                    clast = conj
        sp = _speaker_for_cue(ctx, tok)
        if sp is None:
            continue
        cue_span = _span_of(doc, cfirst, clast)
        return Attribution(sp.span, sp.text, cue_span, text[cue_span.start : cue_span.end])
    return None


# ---------------------------------------------------------------------------
# Normal form and word diff


_MARKS = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
# Dotted acronyms lose their dots: "U.S." / "U.S" -> "US", "U.K." -> "UK".
_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){1,}[A-Za-z]\b\.?")
# Abbreviations a sub-editor may expand.
_ABBREVIATIONS: dict[str, str] = lexicon.table("spellings", "abbreviations")


def _british_to_american() -> dict[str, str]:
    """British spellings mapped to American ones, with inflections (lexicon/spellings.toml)."""
    raw = lexicon.table("spellings", "british_american")
    table: dict[str, str] = {}
    for stem in raw["ise_stems"]:
        us = stem[:-1] + "z"
        for suf in raw["ise_endings"]:
            table[stem + suf] = us + suf
    for w in raw["our_words"]:
        us = w[:-2] + "r"
        for suf in raw["our_endings"]:
            table[w + suf] = us + suf
    table.update(raw["words"])
    return table


SPELLING_VARIANTS: dict[str, str] = _british_to_american()


def norm_word(w: str) -> str:
    w = w.replace("'", "")
    return SPELLING_VARIANTS.get(w, _ABBREVIATIONS.get(w, w))


def normalize_quote_text(text: str) -> str:
    """Normal form for comparing one quote's wording across outlets.

    Unifies quotation marks, apostrophes and dashes, removes the dots of
    dotted acronyms ("U.S." = "US"), casefolds, drops punctuation (hyphens
    become spaces, apostrophes vanish: "China's" = "Chinas"), maps a fixed list
    of British spellings to American ones, and collapses whitespace.
    """
    t = unicodedata.normalize("NFKC", text).translate(_MARKS)
    t = _ACRONYM.sub(lambda m: m.group().replace(".", ""), t)
    t = t.casefold()
    t = re.sub(r"(\w)'(\w)", r"\1\2", t)  # apostrophes inside words vanish
    t = re.sub(r"[^\w\s]|_", " ", t)
    return " ".join(norm_word(w) for w in t.split())


_DIFF_UNIT = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:['\u2019.]\w+)*")


def _units(text: str) -> list[tuple[str, str]]:
    """(normalised, original) word units; a unit normalising to several words is split."""
    out: list[tuple[str, str]] = []
    for m in _DIFF_UNIT.finditer(text):
        for i, n in enumerate(normalize_quote_text(m.group()).split()):
            out.append((n, m.group() if i == 0 else ""))
    return out


def quote_word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Word-level diff of two quote wordings: ("=", w), ("-", w in a), ("+", w in b).

    Words are compared in normal form (so "U.S." equals "US") but shown as
    written in ``a`` (kept, removed) or ``b`` (added).
    """
    ua, ub = _units(a), _units(b)
    sm = difflib.SequenceMatcher(a=[n for n, _ in ua], b=[n for n, _ in ub], autojunk=False)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            ops.extend(("=", ua[i][1] or ua[i][0]) for i in range(i1, i2))
            continue
        ops.extend(("-", ua[i][1] or ua[i][0]) for i in range(i1, i2))
        ops.extend(("+", ub[j][1] or ub[j][0]) for j in range(j1, j2))
    return ops


def quote_spans(quotes: Iterable[Quote]) -> list[Span]:
    """The content spans of ``quotes`` (helper for callers that mask quoted text)."""
    return [q.span for q in quotes]
