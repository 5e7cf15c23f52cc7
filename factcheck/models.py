"""The records that flow between pipeline stages.

Every extracted item carries a ``Span`` into the *cleaned* article text
(``Article.text``), so ``article.text[item.span.start:item.span.end] == item.text``
holds for every claim, quote, date, number and entity. Findings cite evidence by
article id and span so a reviewer can jump to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Record):
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end


class Segment(Record):
    """A run of cleaned text copied verbatim from the original file.

    ``clean_start`` is the offset in the cleaned text, ``orig_start`` the offset
    in the original file text, ``length`` the number of characters. Cleaned text
    between segments (joining newlines) maps to no original position.
    """

    clean_start: int
    orig_start: int
    length: int


class RawDocument(Record):
    """One input document as read from disk, before cleaning.

    ``text`` is the decoded file text (for HTML, the extracted main text; for
    JSON, the record's text field). Metadata fields hold what the file itself
    declared (JSON fields, HTML meta); cleaning may fill the gaps from the text.
    """

    id: str
    path: str
    format: Literal["txt", "md", "html", "json"]
    text: str
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    published_text: str | None = None
    byline: str | None = None
    # False when ``text`` is not the file's bytes (HTML extraction, JSON field):
    # line numbers in the original file are then unavailable.
    text_is_file: bool = True
    raw_sha1: str = ""


class Article(Record):
    id: str
    path: str
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: dt.date | None = None
    published_text: str | None = None
    text: str
    # Map cleaned offsets back to the original file (for file:line citations).
    segments: tuple[Segment, ...] = ()
    # Original file text line starts are recomputed from the file; we keep only
    # a hash of the raw file so caches and staleness checks can use it.
    raw_sha1: str = ""
    removed: tuple[str, ...] = ()  # human-readable notes on what cleaning dropped

    def orig_offset(self, clean_offset: int) -> int | None:
        """Offset in the original file for ``clean_offset``, or None if synthetic."""
        lo, hi = 0, len(self.segments)
        while lo < hi:
            mid = (lo + hi) // 2
            seg = self.segments[mid]
            if clean_offset < seg.clean_start:
                hi = mid
            elif clean_offset >= seg.clean_start + seg.length:
                lo = mid + 1
            else:
                return seg.orig_start + (clean_offset - seg.clean_start)
        return None


class Quote(Record):
    """A direct quotation: the words inside quotation marks."""

    span: Span  # the quoted words, without the marks
    text: str
    speaker: str | None = None  # as written in the text ("Pentagon spokesman Pat Ryder")
    speaker_span: Span | None = None
    speaker_canonical: str | None = None  # resolved identity ("Pat Ryder"), if known
    speaker_kind: Literal["person", "organisation", "anonymous", "pronoun", "unknown"] = "unknown"
    cue: str | None = None  # reporting verb ("said", "told reporters", "according to")
    cue_span: Span | None = None


Granularity = Literal["day", "week", "month", "year", "range", "unknown"]


class DateMention(Record):
    span: Span
    text: str
    # ISO value when resolved: "2023-05-29", "2023-W21", "2023-05", "2023".
    value: str | None = None
    start: dt.date | None = None  # first day covered (inclusive)
    end: dt.date | None = None  # last day covered (inclusive)
    granularity: Granularity = "unknown"
    relative: bool = False  # "Monday", "last week": resolved against publication date
    # What event the date belongs to, as the lemma of the verb it modifies
    # ("statement" for reporting verbs): the comparator only compares dates
    # of the same role. Filled in by the extract stage.
    role: str | None = None


NumberBound = Literal["exact", "about", "at_least", "at_most"]


class NumberMention(Record):
    span: Span
    text: str
    value: float
    unit: str | None = None  # "percent", "usd", "people", ...
    bound: NumberBound = "exact"
    is_year: bool = False
    role: str | None = None  # lemma of the verb the quantity belongs to (extract stage)


class EntityMention(Record):
    span: Span
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, ...
    canonical: str | None = None  # alias-resolved identity within the run
    title: str | None = None  # "Defense Secretary" when written before the name


class Predicate(Record):
    """An asserted verb of a claim: its lemma, whether it is negated, its subject's content lemmas."""

    verb: str
    negated: bool = False
    subject: tuple[str, ...] = ()  # sorted


class Stance(Record):
    """The subject of a claim's stance (or main) verb and what the verb governs."""

    subject: str  # the subject phrase as written ("The foreign ministry")
    verb: str  # lemma
    objects: tuple[str, ...] = ()  # noun and verb lemmas under its objects and clauses, sorted


class NominalDenial(Record):
    """An event a claim says did not happen: "no charges were filed" -> (charge, charges)."""

    event: str  # verb lemma of the event
    noun: str  # the noun as written, lower-case


class AffirmedEvent(Record):
    """An asserted, non-negated verb and the proper-noun lemmas of its subject and objects."""

    verb: str
    names: tuple[str, ...] = ()  # sorted


class ClaimSyntax(Record):
    """What the contradiction comparators read off a claim's parse.

    Filled in by the extract stage from the article's own parse, so the
    compare stage needs no parser. Lemmas are lower-case; sets are stored
    as sorted tuples.
    """

    predicates: tuple[Predicate, ...] = ()
    stance: Stance | None = None
    content: tuple[str, ...] = ()  # noun and verb lemmas of the whole claim, sorted
    denied: tuple[NominalDenial, ...] = ()
    affirmed: tuple[AffirmedEvent, ...] = ()
    proper: tuple[str, ...] = ()  # proper-noun lemmas, sorted


class Claim(Record):
    id: str  # "<article-id>:<n>"
    article_id: str
    index: int
    span: Span
    text: str
    quotes: tuple[Quote, ...] = ()
    dates: tuple[DateMention, ...] = ()
    numbers: tuple[NumberMention, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    negated: bool = False
    attribution: str | None = None  # reported-speech source ("the Pentagon") if any
    attribution_cue: str | None = None
    # None when the claim was built without a parse (the comparators then
    # parse its text themselves).
    syntax: ClaimSyntax | None = None


class ArticleClaims(Record):
    """What ``factcheck extract`` writes to ``claims/<article-id>.json``."""

    schema_version: int = 1
    article: Article
    claims: tuple[Claim, ...]
    quotes: tuple[Quote, ...] = ()  # all quotes of the article (may span sentences)


class Cluster(Record):
    id: str
    claim_ids: tuple[str, ...]
    article_ids: tuple[str, ...]


Severity = Literal["high", "medium", "low", "info"]
FindingKind = Literal[
    "quote_altered",
    "quote_attribution",
    "date_conflict",
    "number_conflict",
    "name_inconsistency",
    "contradiction",
]


class Evidence(Record):
    article_id: str
    path: str
    start: int
    end: int
    text: str
    line: int | None = None  # 1-based line in the original file, when known
    role: str | None = None  # what this evidence shows ("quote", "date: Monday")


class Finding(Record):
    id: str
    kind: FindingKind
    severity: Severity
    summary: str
    evidence: tuple[Evidence, ...]
    cluster_id: str | None = None
    detail: dict[str, str] = Field(default_factory=dict)
    review_status: str | None = None
    review_note: str | None = None


class Agreement(Record):
    cluster_id: str
    summary: str
    article_ids: tuple[str, ...]
    independent_sources: int
    verdict: Literal["corroborated", "single-source", "disputed"]
    evidence: tuple[Evidence, ...]
    per_outlet: dict[str, Literal["supports", "contradicts", "silent"]] = Field(default_factory=dict)
    note: str | None = None


class SingleSource(Record):
    claim_id: str
    article_id: str
    evidence: Evidence


class ArticleSummary(Record):
    id: str
    path: str
    outlet: str | None
    title: str | None
    published: dt.date | None
    claims: int
    quotes: int
    copies_of: tuple[str, ...] = ()  # article ids this one shares long wire text with


class Report(Record):
    schema_version: int = 1
    name: str
    articles: tuple[ArticleSummary, ...]
    findings: tuple[Finding, ...]
    agreements: tuple[Agreement, ...]
    single_source: tuple[SingleSource, ...]
    warnings: tuple[str, ...] = ()
    config: dict[str, float | int | str] = Field(default_factory=dict)
