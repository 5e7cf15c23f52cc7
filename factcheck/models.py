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
    """Base of every record: frozen (hashable, never changed after a stage made it)
    and strict (an unknown field in a JSON file is an error, not silently dropped)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Record):
    """A half-open character range ``[start, end)`` in an article's cleaned text
    (``Article.text``); ``span.slice(article.text)`` is the item's text."""

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
    # Given by the editor (sources manifest, front matter); never guessed.
    published_at: dt.datetime | None = None  # when a time of day is given too
    url: str | None = None  # the article's address
    origin: str | None = None  # the wire or outlet the text comes from ("AFP", "Reuters")
    # False when ``text`` is not the file's bytes (HTML extraction, JSON field):
    # line numbers in the original file are then unavailable.
    text_is_file: bool = True
    raw_sha1: str = ""
    # Where the article starts in ``text``: after a Markdown front matter block.
    body_start: int = 0
    # JSONL: the record's line in the file (record n is line n).
    record: int | None = None
    # HTML: for each line of ``text`` (the extracted main text), the 1-based
    # line of the page source where it is found, 0 where it cannot be mapped.
    line_map: tuple[int, ...] = ()
    title_line: int | None = None  # HTML: the page-source line of the title, when found


class Article(Record):
    """One cleaned article: the text every span points into, and what is known of its source.

    ``id`` is stable across runs (the file's stem, or the record's id for
    JSONL) and names ``claims/<id>.json``. ``text`` is the cleaned article
    (headline kept, page furniture removed); ``segments`` map its offsets back
    to the original file for ``file:line`` citations. Metadata (outlet,
    published, url, origin) comes from the file, its front matter or the
    sources manifest and is None when unknown: nothing is guessed.
    """

    id: str
    path: str
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: dt.date | None = None
    published_text: str | None = None
    published_at: dt.datetime | None = None  # when the editor gave a time of day too
    url: str | None = None
    origin: str | None = None  # wire or outlet the text comes from
    format: Literal["txt", "md", "html", "json"] = "txt"
    record: int | None = None  # JSONL: the record's line in the file
    text: str
    # Where the headline sits in ``text`` (it is kept: its figures and names
    # are claims of the outlet too); None when the article has none.
    headline: Span | None = None
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
    """A date or time expression with the days it covers.

    ``start``/``end`` are the first and last day covered (inclusive) when the
    expression resolves; a relative date ("Monday") resolves only against the
    article's publication date, and stays unresolved (``value`` None) without
    one: never guessed.
    """

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
FigureBound = Literal["exact", "about", "at_least", "at_most", "range"]


class NumberMention(Record):
    """A number as written, its value, unit and bound ("at least 45" is ``at_least`` 45)."""

    span: Span
    text: str
    value: float
    unit: str | None = None  # "percent", "usd", "people", ...
    bound: NumberBound = "exact"
    is_year: bool = False
    role: str | None = None  # lemma of the verb the quantity belongs to (extract stage)


class Figure(Record):
    """A quantity with what it counts: the unit the comparator files in a slot.

    ``span`` is the figure as written ("at least 820", "between 400 and 750"),
    ``sentence`` the sentence it stands in. ``low``/``high`` are the values
    the words allow (None: open on that side). Everything else is what the
    text says about the figure, or None where it says nothing.
    """

    span: Span
    text: str
    sentence: Span
    value: float
    low: float | None = None
    high: float | None = None
    bound: FigureBound = "exact"
    unit: str | None = None  # "km" (lengths converted), a currency code, "percent"; None for counts
    measure: str  # a lexicon measure: "deaths", "injured", "magnitude", "distance", ...
    counted: str | None = None  # lemma of the counted noun ("migrant", "child", "building")
    group: str | None = None  # a sub-group with a slot of its own ("child", "crew")
    place: str | None = None  # the place it is given for ("Marrakech")
    breakdown: bool = False  # the place is one part of a larger total (a list, "where ...")
    year: int | None = None  # a year the figure belongs to ("In 2004, ...")
    thing: str | None = None  # what a magnitude/depth/distance belongs to, when not the event itself
    direction: str | None = None  # "southwest" in "71 km southwest of Marrakesh"
    anchor: str | None = None  # "Marrakesh" in the same
    earlier: bool = False  # the text says the value was replaced ("a previous toll of 2,122")
    increment: bool = False  # an addition, not a total ("another 17", "rose by nine")
    retracted: bool = False  # "78 and not 79": 79 is the value denied
    presumed: bool = False  # an estimate ("feared dead", "may have been on board")
    update: bool = False  # the sentence says it replaces an earlier figure ("the toll is now 93")
    source: str | None = None  # who gives it ("the interior ministry"), as written
    time: str | None = None  # the day it is given for, as written ("on Saturday")
    headline: bool = False


class EntityMention(Record):
    """A named entity of a kind the comparison uses, with the title written before a person."""

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
    """One sentence of article prose an outlet stands behind, with the mentions inside it.

    ``quotes``, ``dates``, ``numbers`` and ``entities`` are those whose span
    starts inside ``span``; ``attribution`` is who the sentence credits
    ("the Pentagon said ..."), None when it reports no speech.
    """

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
    headline: bool = False  # the claim is the article's headline


class ArticleClaims(Record):
    """What ``factcheck extract`` writes to ``claims/<article-id>.json``."""

    schema_version: int = 1
    article: Article
    claims: tuple[Claim, ...]
    quotes: tuple[Quote, ...] = ()  # all quotes of the article (may span sentences)
    figures: tuple[Figure, ...] = ()  # every quantity whose measure is known, headline included


class Cluster(Record):
    """Claims of one event that say the same thing (cosine-linked across articles)."""

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
    """One article's words that a finding or agreement rests on, where a reviewer finds them:
    ``start``/``end`` in the cleaned text, ``line`` in the original file."""

    article_id: str
    path: str
    start: int
    end: int
    text: str
    line: int | None = None  # 1-based line in the original file, when known
    role: str | None = None  # what this evidence shows ("quote", "date: Monday")

    def place(self) -> str:
        """Where a person finds it in a terminal: ``path:line``, else the character range."""
        return f"{self.path}:{self.line}" if self.line else f"{self.path} (chars {self.start}-{self.end})"


class Finding(Record):
    """One disputed fact, with the evidence a reviewer checks.

    ``id`` is a hash of the kind, the fact's key and the normalised evidence
    texts: the same input gives the same id, whatever the files are called.
    ``fact_id`` names the fact (``Report.facts``) it disputes, when there is one.
    """

    id: str
    kind: FindingKind
    severity: Severity
    summary: str
    evidence: tuple[Evidence, ...]
    cluster_id: str | None = None
    fact_id: str | None = None
    detail: dict[str, str | int | float] = Field(default_factory=dict)
    review_status: str | None = None
    review_note: str | None = None


FactKind = Literal["figure", "statement", "person", "happening"]
VersionRelation = Literal[
    "current",
    "earlier",
    "increment",
    "retracted",  # figures
    "canonical",
    "verbatim",
    "trimmed",
    "altered",  # statements
    "spelling",
    "title",  # people
    "date",  # happenings
]


class FactVersion(Record):
    """One outlet's version of a fact: what it says, who gives it, when, and where it says it."""

    article_id: str
    evidence: Evidence
    text: str  # the value or wording as written ("at least 820", the quoted words, "Erasmia Romana")
    relation: VersionRelation = "current"
    value: float | None = None
    low: float | None = None  # the values the words allow (None: open on that side)
    high: float | None = None
    qualifier: str | None = None  # "at least", "about", "up to", "between ... and"
    unit: str | None = None
    source: str | None = None  # who gives it, as written ("the interior ministry")
    time: str | None = None  # when, as written ("on Saturday")
    published: dt.date | None = None  # the article's publication date, when known
    headline: bool = False
    speaker: str | None = None  # statements: who the outlet credits
    note: str | None = None  # e.g. a word diff against the canonical wording


class Fact(Record):
    """Something the event's coverage states, with every outlet's version.

    ``status`` is ``disputed`` when the versions cannot all hold (a finding
    names it), ``agreed`` when two or more outlets carry compatible versions,
    ``single`` when one outlet alone gives it.
    """

    id: str
    kind: FactKind
    key: str  # machine key of the slot ("deaths", "deaths@marrakech", "quote:...")
    label: str  # for people ("Deaths in Marrakech", "Putin: “a stab in the back …”")
    status: Literal["agreed", "disputed", "single"]
    versions: tuple[FactVersion, ...]
    summary: str | None = None  # e.g. the revision sequence in time order
    finding_ids: tuple[str, ...] = ()


class Agreement(Record):
    """A cluster's claim and how the outlets stand on it: ``verdict`` counts
    independent sources (wire copies count once), ``per_outlet`` says which
    articles support, contradict or do not carry it."""

    cluster_id: str
    summary: str
    article_ids: tuple[str, ...]
    independent_sources: int
    verdict: Literal["corroborated", "single-source", "disputed"]
    evidence: tuple[Evidence, ...]
    per_outlet: dict[str, Literal["supports", "contradicts", "silent"]] = Field(default_factory=dict)
    note: str | None = None


class SingleSource(Record):
    """A claim only one outlet makes (no other article carries a sentence close to it)."""

    claim_id: str
    article_id: str
    evidence: Evidence
    # Filled in after comparison (``factcheck.digest``): what makes the claim
    # worth checking ("figure", "date", "quote", "named source"), and the
    # other articles with a sentence close to it (then it is not one outlet's alone).
    why: tuple[str, ...] = ()
    echoed_by: tuple[str, ...] = ()


class Verdict(Record):
    """The report's top line, counted from the findings' review status."""

    text: str
    open: dict[str, int] = Field(default_factory=dict)  # severity -> open findings
    confirmed: dict[str, int] = Field(default_factory=dict)
    accepted: int = 0
    dismissed: int = 0
    resolved: int = 0
    single_outlet_claims: int = 0  # notable claims only one outlet makes


class OutletScore(Record):
    """One article's scorecard: facts other outlets support, contradict, or do not carry."""

    article_id: str
    name: str  # how the report names it: the outlet, else the file name
    supported: int = 0  # facts and claims at least one other outlet also gives, compatibly
    contradicted: int = 0  # disputed facts where another outlet gives an incompatible version
    alone: int = 0  # notable claims and facts no other outlet carries


class ArticleSummary(Record):
    """An article as the report lists it: where it is, what is known of its source, what was extracted."""

    id: str
    path: str
    outlet: str | None
    title: str | None
    published: dt.date | None
    claims: int
    quotes: int
    copies_of: tuple[str, ...] = ()  # article ids this one shares long wire text with
    published_at: dt.datetime | None = None
    url: str | None = None
    origin: str | None = None
    byline: str | None = None
    format: Literal["txt", "md", "html", "json"] = "txt"
    record: int | None = None  # JSONL: the record's line in the file
    # A headline that came from metadata (a JSON "title" field, the HTML
    # <title>) and is not in the article body: cited as that field.
    title_span: Span | None = None
    # The source file as a link from the report's folder (set when the report is written).
    link: str | None = None
    # Which event of the run the article was grouped into (0, 1, ...): a fact
    # is compared, and its absence noted, among the articles of its event.
    event: int | None = None


class Comparison(Record):
    """What comparing one event gives: its facts, the findings on them, agreements,
    single-outlet claims and which articles copy which (wire copy)."""

    facts: tuple[Fact, ...] = ()
    findings: tuple[Finding, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    single_source: tuple[SingleSource, ...] = ()
    copies: dict[str, tuple[str, ...]] = Field(default_factory=dict)


class Report(Record):
    """The whole consistency report, as ``OUT.json`` holds it (``schema_version`` 3):
    articles, facts, findings (one per disputed fact), agreements, single-outlet
    claims, warnings and the thresholds used. Same input, same report."""

    schema_version: int = 3
    name: str
    articles: tuple[ArticleSummary, ...]
    facts: tuple[Fact, ...] = ()
    findings: tuple[Finding, ...]
    agreements: tuple[Agreement, ...]
    single_source: tuple[SingleSource, ...]
    warnings: tuple[str, ...] = ()
    config: dict[str, float | int | str] = Field(default_factory=dict)
    # Filled in whenever the report is rendered (``factcheck.report.finalise``),
    # from the findings' review status: they follow every review decision.
    verdict: Verdict | None = None
    scorecard: tuple[OutletScore, ...] = ()
