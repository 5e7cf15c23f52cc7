"""Extract stage: cleaned Article -> claims with quotes, dates, numbers, entities, figures.

One spaCy parse per article (``nlp.pipe`` in batches); the specialised
extractors (quotes, dates, numbers, entities, figures) read the same parse. A
claim is one sentence of article prose; every item carries its span in the
cleaned article text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from ..cache import cache_key, cached_result, warn
from ..errors import OutputError
from ..io import write_text_atomic
from ..models import Article, ArticleClaims, Claim, Span
from ..nlp import doc_text
from ..places import country_names
from . import parse
from .dates import extract_dates
from .entities import extract_entities
from .figures import extract_figures
from .numbers import extract_numbers
from .quotes import attribute_sentence, extract_quotes
from .roles import date_role, role
from .sentences import is_claim, sentences_of
from .syntax import claim_syntax, negated

if TYPE_CHECKING:
    from spacy.tokens import Doc


def extract_doc(article: Article, doc: "Doc", min_words: int = 5) -> ArticleClaims:
    """Claims of one article from its spaCy parse (``doc.text == article.text``)."""
    if doc_text(doc) != article.text:
        raise ValueError(f"{article.id}: parse does not match the cleaned text")
    quotes = extract_quotes(doc)
    dates = [
        d.model_copy(update={"role": date_role(doc, d.span.start, d.span.end)})
        for d in extract_dates(doc, article.published)
    ]
    numbers = [n.model_copy(update={"role": role(doc, n.span.start, n.span.end)}) for n in extract_numbers(doc)]
    entities = extract_entities(doc)
    sentences = list(sentences_of(doc))

    sources: dict[tuple[int, int], str | None] = {}

    def source_of(start: int, end: int) -> str | None:
        if (start, end) not in sources:
            sent = doc.char_span(start, end, alignment_mode="expand")
            found = attribute_sentence(sent) if sent is not None else None
            sources[(start, end)] = found.source if found else None
        return sources[(start, end)]

    figures = extract_figures(doc, numbers, sentences, dates, article.headline, source_of, country_names())
    headline = article.headline

    claims: list[Claim] = []
    for start, end in sentences:
        if not is_claim(doc, start, end, min_words):
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
                attribution, cue = found.source, found.cue
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
                negated=negated(doc, start, end),
                attribution=attribution,
                attribution_cue=cue,
                syntax=syntax,
                headline=headline is not None and headline.start <= start < headline.end,
            )
        )
    return ArticleClaims(article=article, claims=tuple(claims), quotes=tuple(quotes), figures=tuple(figures))


def extract_articles(
    articles: Sequence[Article],
    min_words: int = 5,
    on_progress: Callable[[int], None] | None = None,
    cache_dir: Path | None = None,
    n_process: int = 0,
) -> list[ArticleClaims]:
    """Parse articles in one ``nlp.pipe`` stream and extract their claims.

    With ``cache_dir``, results are memoised by a hash of the cleaned article
    (and the package's source version), so unchanged articles cost no model work.
    ``n_process`` spaCy processes parse (0: automatic, see ``parse_processes``);
    the output does not depend on it.
    """
    parse.check_lengths(articles)
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
        from ..nlp import get_nlp

        nlp = get_nlp()
        procs = n_process or parse.parse_processes(len(todo))
        for i, doc in parse.parse_all(nlp, articles, todo, procs):
            ac = extract_doc(articles[i], doc, min_words=min_words)
            results[i] = ac
            if i in keys and writable:
                try:
                    write_text_atomic(keys[i], ac.model_dump_json())
                except OutputError as exc:
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
