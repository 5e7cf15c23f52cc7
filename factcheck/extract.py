"""Extract stage: cleaned Article -> claims with quotes, dates, numbers, entities.

One spaCy parse per article (``nlp.pipe`` in batches); the specialised
extractors (quotes, dates, numbers, entities) read the same parse. A claim is
one sentence of article prose; every item carries its span in the cleaned
article text.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .dates import extract_dates
from .entities import extract_entities
from .io import write_text_atomic
from .models import Article, ArticleClaims, Claim, DateMention, NumberMention, Span
from .numbers import extract_numbers
from .quotes import attribute_sentence, extract_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc
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
    text = doc.text
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


def extract_doc(article: Article, doc: "Doc", min_words: int = 5) -> ArticleClaims:
    """Claims of one article from its spaCy parse (``doc.text == article.text``)."""
    if doc.text != article.text:
        raise ValueError(f"{article.id}: parse does not match the cleaned text")
    quotes = extract_quotes(doc)
    dates = [d.model_copy(update={"role": _date_role(doc, d.span.start, d.span.end)})
             for d in extract_dates(doc, article.published)]
    numbers = [n.model_copy(update={"role": _role(doc, n.span.start, n.span.end)})
               for n in extract_numbers(doc)]
    entities = extract_entities(doc)

    claims: list[Claim] = []
    for start, end in _sentences(doc):
        if not _is_claim(doc, start, end, min_words):
            continue
        span = Span(start=start, end=end)
        inside = lambda items: tuple(i for i in items if start <= i.span.start < end)  # noqa: E731
        attribution = None
        cue = None
        sent = doc.char_span(start, end, alignment_mode="expand")
        if sent is not None:
            found = attribute_sentence(sent)
            if found:
                attribution, cue = found[1], found[3]
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
            )
        )
    return ArticleClaims(article=article, claims=tuple(claims), quotes=tuple(quotes))


_EXTRACTOR_MODULES = ("extract.py", "quotes.py", "dates.py", "numbers.py", "entities.py", "models.py")


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Hash of the extractor's own source: any code change invalidates the cache."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha1()
    for name in _EXTRACTOR_MODULES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


def cache_key(article: Article, min_words: int) -> str:
    from .nlp import SPACY_MODEL

    payload = f"{extractor_version()}\x1f{SPACY_MODEL}\x1f{min_words}\x1f{article.model_dump_json()}"
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def extract_articles(
    articles: Sequence[Article],
    min_words: int = 5,
    on_progress: Callable[[int], None] | None = None,
    cache_dir: Path | None = None,
    n_process: int = 1,
) -> list[ArticleClaims]:
    """Parse articles in one ``nlp.pipe`` stream and extract their claims.

    With ``cache_dir``, results are memoised by a hash of the cleaned article
    (and the extractor version), so unchanged articles cost no model work.
    """
    results: dict[int, ArticleClaims] = {}
    todo: list[int] = []
    keys: dict[int, Path] = {}
    for i, art in enumerate(articles):
        if cache_dir is not None:
            path = Path(cache_dir) / f"{cache_key(art, min_words)}.json"
            keys[i] = path
            if path.exists():
                try:
                    results[i] = ArticleClaims.model_validate_json(path.read_text(encoding="utf-8"))
                    if on_progress:
                        on_progress(1)
                    continue
                except ValueError:
                    pass  # a corrupt cache entry is recomputed
        todo.append(i)
    if todo:
        from .nlp import get_nlp

        nlp = get_nlp()
        texts = (articles[i].text for i in todo)
        for i, doc in zip(todo, nlp.pipe(texts, batch_size=32, n_process=n_process)):
            ac = extract_doc(articles[i], doc, min_words=min_words)
            results[i] = ac
            if i in keys:
                write_text_atomic(keys[i], ac.model_dump_json())
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


__all__ = ["extract_articles", "extract_doc", "nominal_event", "write_claims", "DateMention", "NumberMention"]
