"""Extract stage: cleaned Article -> ArticleClaims (claims, quotes, dates, numbers, entities, figures).

One module per extractor, each reading the same spaCy parse and returning
small named records with their character spans in the cleaned text:

* ``sentences``: the claim units of an article;
* ``roles``: which event or statement a date or number belongs to;
* ``syntax``: predicates, negation, stance and nominal denials of a claim;
* ``quotes``, ``dates``, ``numbers``, ``entities``, ``figures``: the mentions;
* ``parse``: one ``nlp.pipe`` stream over many articles, long ones in pieces;
* ``claims``: the orchestration (``extract_doc``, ``extract_articles``).
"""

from .claims import extract_articles, extract_doc, write_claims
from .parse import parse_processes

__all__ = ["extract_articles", "extract_doc", "parse_processes", "write_claims"]
