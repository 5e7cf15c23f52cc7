"""Parsing: one spaCy stream over many articles; long articles in pieces."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator, Sequence

from ..errors import InputError
from ..models import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc

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


def check_lengths(articles: Sequence[Article]) -> None:
    """Refuse, naming the file, an article longer than ``MAX_ARTICLE_CHARS`` after cleaning."""
    for art in articles:
        if len(art.text) > MAX_ARTICLE_CHARS:
            raise InputError(
                art.path,
                f"the article is {len(art.text):,} characters after cleaning; at most "
                f"{MAX_ARTICLE_CHARS:,} are checked per article",
                "split it into its articles, or check that the file is one article and not a site dump",
            )


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


def parse_all(nlp, articles: Sequence[Article], todo: Sequence[int], procs: int) -> Iterator[tuple[int, "Doc"]]:
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
