"""Extract stage: cleaned Article -> claims with quotes, dates, numbers, entities.

One spaCy parse per article (``nlp.pipe`` in batches); the specialised
extractors (quotes, dates, numbers, entities) read the same parse. A claim is
one sentence of article prose; every item carries its span in the cleaned
article text.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from .dates import extract_dates
from .entities import extract_entities
from .errors import InputError, OutputError
from .io import write_text_atomic
from .models import (
    AffirmedEvent,
    Article,
    ArticleClaims,
    Claim,
    ClaimSyntax,
    NominalDenial,
    Predicate,
    Span,
    Stance,
)
from .figures import extract_figures
from .numbers import extract_numbers
from .places import country_names
from .quotes import attribute_sentence, doc_text, extract_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# Reporting verbs and nouns: a date attached to one of these dates the
# statement, not the event reported ("the Pentagon said Monday").
SPEECH_LEMMAS = {
    "say", "tell", "state", "announce", "confirm", "reveal", "report", "add", "note",
    "statement", "briefing", "claim", "deny", "declare", "write", "comment", "notify",
    "inform", "accord", "explain", "insist", "warn", "acknowledge", "respond",
}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}

# Nouns that name an event, mapped to the verb of that event, for dates inside
# a noun phrase ("his resignation on Friday", "the Friday meeting"): the date
# belongs to that event, not to the clause's verb. Irregular and zero-derived
# forms are listed; regular "-ation"/"-ment" nouns go through a suffix rule.
NOUN_EVENTS: dict[str, str] = {
    "meeting": "meet", "hearing": "hear", "shooting": "shoot", "bombing": "bomb",
    "killing": "kill", "ruling": "rule", "sentencing": "sentence", "signing": "sign",
    "election": "elect", "reelection": "elect", "re-election": "elect", "invasion": "invade",
    "explosion": "explode", "detention": "detain", "conviction": "convict", "decision": "decide",
    "collision": "collide", "execution": "execute", "abduction": "abduct", "adoption": "adopt",
    "acquisition": "acquire", "departure": "depart", "closure": "close", "seizure": "seize",
    "failure": "fail", "death": "die", "sale": "sell", "flight": "fly", "loss": "lose",
    "arrival": "arrive", "approval": "approve", "proposal": "propose", "refusal": "refuse",
    "removal": "remove", "renewal": "renew", "dismissal": "dismiss", "withdrawal": "withdraw",
    "denial": "deny", "burial": "bury", "trial": "try", "survival": "survive", "acquittal": "acquit",
    "arrest": "arrest", "attack": "attack", "visit": "visit", "vote": "vote", "raid": "raid",
    "strike": "strike", "launch": "launch", "test": "test", "crash": "crash", "talks": "talk",
    "resignation": "resign", "indictment": "indict", "trip": "travel", "charge": "charge",
    "injury": "injure",
}
# Reporting nouns: a date on one of these dates a statement.
SPEECH_NOUNS = {
    "statement", "briefing", "announcement", "declaration", "comment", "remark", "speech",
    "tweet", "testimony",
}
# "-ation"/"-ment" nouns that name a body, a place or a thing, not an event,
# though a verb of the same stem exists ("department" is no departure).
NON_EVENT_NOUNS = {
    "department", "government", "establishment", "movement", "management", "equipment",
    "environment", "development", "fragment", "supplement", "basement", "pavement",
    "organization", "organisation", "administration", "foundation", "information", "population",
    "relation", "situation", "location", "generation", "delegation", "association", "federation",
    "corporation", "legislation", "regulation", "reputation", "destination", "civilization",
    "education", "combination", "formation", "reservation", "installation", "transportation",
    "compensation", "vacation", "plantation", "obligation", "accommodation", "conservation",
    "station", "nation", "ration", "creation", "registration", "representation", "comment",
    "medication", "aviation", "limitation", "application", "publication", "occupation",
}
_EVENT_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ation", ("ate", "e", "")),  # nomination, declaration, resignation
    ("ment", ("", "e")),  # announcement, settlement, judgment
)


@lru_cache(maxsize=1)
def _known_verbs() -> frozenset[str]:
    """Verb lemmas of the spaCy model's lemmatizer index (empty if it has none)."""
    try:
        from .nlp import get_nlp

        table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
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
    verbs = _known_verbs()
    for suffix, endings in _EVENT_SUFFIXES:
        if lemma.endswith(suffix):
            stem = lemma[: -len(suffix)]
            if len(stem) < 3:
                return None
            for ending in endings:
                if stem + ending in verbs:
                    return stem + ending
    return None


def _sentences(doc: "Doc") -> Iterable[tuple[int, int]]:
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


def _is_claim(doc: "Doc", start: int, end: int, min_words: int) -> bool:
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


def _role(doc: "Doc", start: int, end: int) -> str | None:
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


def _date_role(doc: "Doc", start: int, end: int) -> str | None:
    """The event a date belongs to: the nearest verb or event noun above it.

    Like ``_role``, but a date inside a noun phrase takes the event that noun
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


def _negated(doc: "Doc", start: int, end: int) -> bool:
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
STANCE_VERBS = {
    "blame", "confirm", "acknowledge", "admit", "accuse", "announce", "cite", "explain",
    "say", "state", "claim", "attribute", "justify", "defend", "reject", "deny",
}
STOP = {
    "the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "its", "their", "it",
    "that", "this", "be", "have", "do", "with", "by", "as", "at",
}
# Verbs that assert (or deny, with "no") that a nominal event happened:
# "no charges have been filed", "police made no arrests", "there were no
# injuries", "no agreement was reached".
NOMINAL_SUPPORT_VERBS = {
    "file", "make", "bring", "reach", "issue", "lodge", "press", "take", "report", "be",
    "have", "face", "announce", "record", "confirm",
}
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
DOUBTING_VERBS = frozenset({"deny", "doubt", "dispute", "question", "refute", "reject", "wonder", "ask"})


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
            _lemma(t) for k in kids if k.dep_ in {"nsubj", "nsubjpass"} for t in k.subtree
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
                    obj |= {_lemma(t) for t in child.subtree
                            if lo <= t.i < hi and t.is_alpha and _lemma(t) not in STOP and t.pos_ in {"NOUN", "VERB"}}
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
            _lemma(t) for k in kids if k.dep_ in {"nsubj", "nsubjpass", "dobj"} for t in k.subtree
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


def extract_doc(article: Article, doc: "Doc", min_words: int = 5) -> ArticleClaims:
    """Claims of one article from its spaCy parse (``doc.text == article.text``)."""
    if doc_text(doc) != article.text:
        raise ValueError(f"{article.id}: parse does not match the cleaned text")
    quotes = extract_quotes(doc)
    dates = [d.model_copy(update={"role": _date_role(doc, d.span.start, d.span.end)})
             for d in extract_dates(doc, article.published)]
    numbers = [n.model_copy(update={"role": _role(doc, n.span.start, n.span.end)})
               for n in extract_numbers(doc)]
    entities = extract_entities(doc)
    sentences = list(_sentences(doc))

    sources: dict[tuple[int, int], str | None] = {}

    def source_of(start: int, end: int) -> str | None:
        if (start, end) not in sources:
            sent = doc.char_span(start, end, alignment_mode="expand")
            found = attribute_sentence(sent) if sent is not None else None
            sources[(start, end)] = found[1] if found else None
        return sources[(start, end)]

    figures = extract_figures(doc, numbers, sentences, dates, article.headline, source_of, country_names())
    headline = article.headline

    claims: list[Claim] = []
    for start, end in sentences:
        if not _is_claim(doc, start, end, min_words):
            continue
        span = Span(start=start, end=end)
        inside = lambda items: tuple(i for i in items if start <= i.span.start < end)  # noqa: E731
        attribution = None
        cue = None
        syntax = None
        sent = doc.char_span(start, end, alignment_mode="expand")
        if sent is not None:
            found = attribute_sentence(sent)
            if found:
                attribution, cue = found[1], found[3]
            sources[(start, end)] = attribution
            syntax = claim_syntax(sent)
        claims.append(
            Claim(
                id=f"{article.id}:{len(claims) + 1}",
                article_id=article.id,
                index=len(claims) + 1,
                span=span,
                text=article.text[start:end],
                quotes=inside(quotes),
                dates=inside(dates),
                numbers=inside(numbers),
                entities=inside(entities),
                negated=_negated(doc, start, end),
                attribution=attribution,
                attribution_cue=cue,
                syntax=syntax,
                headline=headline is not None and headline.start <= start < headline.end,
            )
        )
    return ArticleClaims(article=article, claims=tuple(claims), quotes=tuple(quotes), figures=tuple(figures))


_EXTRACTOR_MODULES = ("extract.py", "quotes.py", "dates.py", "numbers.py", "entities.py", "models.py",
                      "figures.py", "places.py", "nlp.py", "lexicon/measures.toml", "lexicon/figures.toml")


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Hash of the extractor's own source: any code change invalidates the cache."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha1()
    for name in _EXTRACTOR_MODULES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


def cache_key(article: Article, min_words: int) -> str:
    """Hash of what extraction reads: the article's id (claim ids derive from it),
    publication date (anchors relative dates: a date given in a sources
    manifest changes the result), where the headline is, and the cleaned
    text, with the extractor version, spaCy model and ``min_words``.

    The path, title, outlet, address and cleaning notes are left out, so a
    moved or renamed folder keeps its cache; ``cached_result`` swaps the
    current Article back in on a hit.
    """
    from .nlp import SPACY_MODEL

    published = article.published.isoformat() if article.published else ""
    headline = f"{article.headline.start}-{article.headline.end}" if article.headline else ""
    payload = "\x1f".join((extractor_version(), SPACY_MODEL, str(min_words), article.id, published, headline,
                           article.text))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def cached_result(path: Path, article: Article) -> ArticleClaims | None:
    """The cached extraction at ``path`` for ``article`` (None if absent or unreadable)."""
    if not os.path.lexists(path):
        return None
    try:
        ac = ArticleClaims.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        # Entries are written atomically, so this is damage from outside (a
        # disk fault, a hand edit): set it aside and recompute.
        from .cache import set_aside

        set_aside(path, "extraction cache entry", exc.__class__.__name__)
        return None
    if ac.article.id != article.id or ac.article.text != article.text:
        return None
    return ac if ac.article == article else ac.model_copy(update={"article": article})


# spaCy refuses a text over ``nlp.max_length`` (1,000,000 characters, error
# E088) because the parser's memory grows with the text. A longer article is
# parsed in pieces of at most this many characters, cut at paragraph breaks,
# and the pieces are joined into one Doc over the whole text, so every span is
# an offset into the cleaned text as usual. Only articles over the limit are
# cut, so every other article parses exactly as before.
PARSE_CHUNK_CHARS = 100_000
# Past this the input is not an article but a dump or a book: 5 M characters
# take about 4 minutes to parse on one core and some GB of memory.
MAX_ARTICLE_CHARS = 5_000_000
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")


def parse_pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) pieces covering ``text`` exactly, none longer than ``limit``.

    Cut after the last paragraph break in reach, else after a line break, a
    sentence end or a space; a run without any is cut at ``limit``.
    """
    pieces: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        end = start + limit
        cut = text.rfind("\n\n", start + 1, end - 1)
        if cut > start:
            cut += 2
        else:
            cut = text.rfind("\n", start + 1, end)
            if cut > start:
                cut += 1
            else:
                ends = [m.end() for m in _SENTENCE_END.finditer(text, start, end) if m.end() < end]
                cut = ends[-1] if ends else text.rfind(" ", start + 1, end) + 1
                if cut <= start:
                    cut = end
        pieces.append((start, cut))
        start = cut
    pieces.append((start, n))
    return pieces


def _parse_all(nlp, articles: Sequence[Article], todo: Sequence[int], procs: int) -> Iterator[tuple[int, "Doc"]]:
    """(index, Doc) for each article in ``todo``, in order, long ones parsed in pieces."""
    from spacy.tokens import Doc

    limit = min(PARSE_CHUNK_CHARS, nlp.max_length)
    plan: dict[int, int] = {}

    def texts() -> Iterator[tuple[str, int]]:
        for i in todo:
            text = articles[i].text
            pieces = parse_pieces(text, limit) if len(text) > nlp.max_length else [(0, len(text))]
            plan[i] = len(pieces)
            for a, b in pieces:
                yield text[a:b], i

    parts: list = []
    for doc, i in nlp.pipe(texts(), batch_size=32, n_process=procs, as_tuples=True):
        parts.append(doc)
        if len(parts) == plan[i]:
            yield i, parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            parts = []


# Below this many articles to parse, starting worker processes costs more than
# it saves. Measured on 2 cores, 200 real articles: 38.2 s with one process,
# 18.7 s with two, identical output.
PARALLEL_MIN_ARTICLES = 40


def parse_processes(n_articles: int) -> int:
    """spaCy processes to use: one per core (at most 2) for large inputs, else 1."""
    import os

    return min(2, os.cpu_count() or 1) if n_articles >= PARALLEL_MIN_ARTICLES else 1


def extract_articles(
    articles: Sequence[Article],
    min_words: int = 5,
    on_progress: Callable[[int], None] | None = None,
    cache_dir: Path | None = None,
    n_process: int = 0,
) -> list[ArticleClaims]:
    """Parse articles in one ``nlp.pipe`` stream and extract their claims.

    With ``cache_dir``, results are memoised by a hash of the cleaned article
    (and the extractor version), so unchanged articles cost no model work.
    ``n_process`` spaCy processes parse (0: automatic, see ``parse_processes``);
    the output does not depend on it.
    """
    for art in articles:
        if len(art.text) > MAX_ARTICLE_CHARS:
            raise InputError(art.path,
                             f"the article is {len(art.text):,} characters after cleaning; at most "
                             f"{MAX_ARTICLE_CHARS:,} are checked per article",
                             "split it into its articles, or check that the file is one article and not a site dump")
    results: dict[int, ArticleClaims] = {}
    todo: list[int] = []
    keys: dict[int, Path] = {}
    writable = True
    for i, art in enumerate(articles):
        if cache_dir is not None:
            path = Path(cache_dir) / f"{cache_key(art, min_words)}.json"
            keys[i] = path
            hit = cached_result(path, art)
            if hit is not None:
                results[i] = hit
                if on_progress:
                    on_progress(1)
                continue
        todo.append(i)
    if todo:
        from .nlp import get_nlp

        nlp = get_nlp()
        procs = n_process or parse_processes(len(todo))
        for i, doc in _parse_all(nlp, articles, todo, procs):
            ac = extract_doc(articles[i], doc, min_words=min_words)
            results[i] = ac
            if i in keys and writable:
                try:
                    write_text_atomic(keys[i], ac.model_dump_json())
                except OutputError as exc:
                    from .cache import warn

                    warn(f"extraction cache {cache_dir}: an entry {exc.problem}; running without it")
                    writable = False
            if on_progress:
                on_progress(1)
    return [results[i] for i in range(len(articles))]


def write_claims(results: Iterable[ArticleClaims], claims_dir: Path) -> list[Path]:
    """``claims/<article-id>.json`` for each article, each written atomically."""
    paths = []
    for ac in results:
        path = Path(claims_dir) / f"{ac.article.id}.json"
        write_text_atomic(path, ac.model_dump_json(indent=2) + "\n")
        paths.append(path)
    return paths


__all__ = ["claim_syntax", "extract_articles", "extract_doc", "nominal_event", "write_claims"]
