"""Publication gate: may this draft go out, given the source articles?

The draft is run through the same stages as ``factcheck check`` (load, clean,
extract, embed) together with the sources, then checked fact by fact:

- the report's comparators (``compare.compare_event``) run over the draft and
  the sources, so the gate never lets through what the report would flag
  against the draft; a finding's id in the gate equals its id in a
  ``factcheck check`` report over the same files (which is what lets a
  reviewed-and-accepted finding pass);
- every **figure** (lexicon measures in the comparator's slots, and any other
  quantity with its counted noun), **date** (of a statement or happening),
  **name** and **title** of the draft is looked up in the sources
  (``gate_checks``): contradicted by them, or given by none of them, it is a
  reason of its own, even inside an otherwise true sentence;
- each direct **quote** must match a source quote verbatim or as a trimmed
  part of it; otherwise it is *altered* (a source quotes the same statement
  in other words), *unattributed* (the words are in a source, but not inside
  quotation marks there) or *unsupported* (no source has them); a quote the
  sources credit to someone else is *quote_attribution*;
- each draft **claim** is *supported* (a source sentence tells the same fact
  and nothing in it is contradicted or missing from the sources),
  *partly_supported* (a figure, quote or name in it is not in any source),
  *contradicted*, or *unsupported* (no source sentence close enough).

Where the sources disagree among themselves and the draft follows one of
them, the reason is ``sources_differ`` (info): the draft is faithful, the
coverage is not.

The draft's own date (``published``, else its date line or front matter,
else today) anchors its relative dates; undated sources' weekday names are
compared with the draft's under a one-week assumption that the answer states.
What could not be checked (undated sources, unnamed outlets) is listed in
``GateResult.unchecked``; the policy says whether that blocks.

The gate fails closed: the caller (``cli.gate``) turns any error into exit 2.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .compare import Event
from .config import DEFAULT, Config
from .errors import InputError
from .io import input_error
from .models import ArticleClaims, Claim, Cluster, Comparison, Evidence, Finding, Quote, RawDocument, Severity
from .severity import ORDER

SCHEMA_VERSION = 2  # of the gate's JSON answer; 1 was the unversioned answer before issue 11

# Kinds only the gate raises (the report's kinds are models.FindingKind).
GATE_KINDS = (
    "quote_unsupported",  # no source has these words
    "quote_unattributed",  # a source has the words, but not as anyone's quote
    "quote_sources_differ",  # the draft follows one source's wording; another source words it differently
    "figure_unsupported",  # a figure or quantity no source gives
    "name_misspelt",  # a name spelt as no source spells it, a letter or two from their spelling
    "title_conflict",  # a portfolio or rank the sources do not give that person
    "sources_differ",  # the sources disagree; the draft follows one of them
    "sources_undated",  # sources without a publication date: some date checks could not run
    "unsupported_claim",  # no source claim tells this fact
    "single_source",  # only one independent source tells it
)
REPORT_KINDS = (
    "quote_altered",
    "quote_attribution",
    "date_conflict",
    "number_conflict",
    "name_inconsistency",
    "contradiction",
)
KNOWN_KINDS = frozenset(REPORT_KINDS + GATE_KINDS)
SEVERITIES = ("high", "medium", "low", "info")
# Quotation marks around one or two words without a speaker are scare quotes
# or titles ("so-called "peace talks""), not words put in someone's mouth.
MIN_QUOTE_WORDS_UNATTRIBUTED = 3
# Reasons that make the draft claim they cite "contradicted" by the sources.
CONFLICT_KINDS = frozenset(
    {
        "quote_altered",
        "quote_attribution",
        "date_conflict",
        "number_conflict",
        "contradiction",
        "name_misspelt",
        "title_conflict",
    }
)
# Reasons that leave part of a claim without a source.
MISSING_KINDS = frozenset({"figure_unsupported", "quote_unsupported", "quote_unattributed"})
# A contradiction between the draft and a source is the sources' own when
# another source tells the draft's side: the candidates are the draft
# sentence's closest source sentences (a paraphrase of the same fact may sit
# below the clustering threshold; the comparator still has to oppose it).
BACKING_CANDIDATES = 5
BACKING_MIN_COSINE = 0.5
# Reasons of compare.speakers_compatible that say two credits name one speaker.
SAME_SPEAKER = frozenset(
    {"same person", "same person or body", "one person, the name spelt two ways", "an organisation and its acronym"}
)
# Reviewer names that name nobody (review.default_reviewer's last resort).
_NO_REVIEWER = frozenset({"", "unknown"})


class Policy(BaseModel):
    """What blocks publication. Read from the ``[gate]`` table of a TOML file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # A reason blocks when its kind is listed here AND its severity is in
    # block_severities. Altered, invented or misattributed quotes, facts that
    # conflict with the sources, figures no source gives, misspelt names and
    # wrong titles are what force corrections after publication.
    # quote_unattributed is in too: quotation marks around words no source
    # presents as a quote make a quote up. Take figure_unsupported out to make
    # an unsupported figure a warning only.
    block_kinds: tuple[str, ...] = (
        "quote_altered",
        "quote_unsupported",
        "quote_unattributed",
        "quote_attribution",
        "contradiction",
        "date_conflict",
        "number_conflict",
        "figure_unsupported",
        "name_misspelt",
        "title_conflict",
    )
    block_severities: tuple[str, ...] = ("high", "medium")
    # A draft usually adds context (background, own reporting) that the
    # sources do not state: blocking on that would block nearly every draft.
    block_unsupported_claims: bool = False
    # Stories often rest on one agency's report; a desk may require two.
    block_single_source: bool = False
    # A finding a reviewer accepted (real, fine to publish) or dismissed (false
    # alarm) in the review file given with --reviews no longer blocks.
    accepted_findings_pass: bool = True
    # ... but only when the decision says why: a dismissal without a note is
    # a finding waved through, and nobody can later tell why it was.
    require_note: bool = True
    # Sources without a publication date leave their relative dates ("Monday")
    # without a calendar value; a desk that wants every date checked against
    # the calendar blocks on them.
    require_dated_sources: bool = False
    # Compare an undated source's weekday names with the draft's for the same
    # statement or happening, assuming both were written within one week.
    compare_undated_weekdays: bool = True

    @field_validator("block_kinds")
    @classmethod
    def _known_kinds(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [k for k in v if k not in KNOWN_KINDS]
        if bad:
            raise ValueError(f"unknown kind(s) {', '.join(bad)}; known: {', '.join(sorted(KNOWN_KINDS))}")
        return v

    @field_validator("block_severities")
    @classmethod
    def _known_severities(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [s for s in v if s not in SEVERITIES]
        if bad:
            raise ValueError(f"unknown severity {', '.join(bad)}; known: {', '.join(SEVERITIES)}")
        return v


def load_policy(path: Path | str | None) -> Policy:
    """The policy in ``path`` (its ``[gate]`` table), or the defaults when ``path`` is None.

    A missing file, bad TOML, an unknown key or a bad value is an InputError:
    a typo in a policy must not silently loosen the gate.
    """
    if path is None:
        return Policy()
    path = Path(path)
    if not path.is_file():
        raise InputError(
            str(path),
            "policy file not found",
            "give the path of a TOML file (see factcheck.toml.example) or leave out --policy for the defaults",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise input_error(path, exc, "policy file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not valid TOML ({exc})", "fix the syntax; see factcheck.toml.example") from None
    unknown = sorted(set(data) - {"gate"})
    if unknown:
        raise InputError(
            str(path),
            f"unknown key(s) {', '.join(unknown)}",
            "put the gate settings under a [gate] table; see factcheck.toml.example",
        )
    table = data.get("gate", {})
    if not isinstance(table, dict):
        raise InputError(str(path), "'gate' must be a table", "write the settings under a [gate] header")
    try:
        return Policy.model_validate(table)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'gate'}: {e['msg']}" for e in exc.errors())
        raise InputError(f"{path} [gate]", problems, "see factcheck.toml.example for the keys and values") from None


def parse_published(value: str | None) -> dt.date | None:
    """``--published`` as a date (YYYY-MM-DD); anything else is an InputError."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"--published {value}", "not a date", "give the draft's publication day as YYYY-MM-DD"
        ) from None


# --------------------------------------------------------------------- result

Detail = dict[str, str | int | float | bool]


class FactRef(BaseModel):
    """Which fact a reason is about: the report's fact (id, key) when it is one, else what the gate checked."""

    model_config = ConfigDict(frozen=True)

    id: str | None = None  # Report.facts id ("K-...") when the report has this fact
    kind: str  # figure | quantity | statement | happening | person | claim | quote | sources
    key: str | None = None  # the report's fact key ("figure:deaths||||||False")
    label: str  # for people ("deaths", "14 requests", "Li Shangfu")


class ReviewRef(BaseModel):
    """The review decision on a reason's finding, and whether the gate honoured it."""

    model_config = ConfigDict(frozen=True)

    status: str
    reviewer: str | None = None
    note: str | None = None
    at: str | None = None
    honoured: bool = False  # True: the decision lets the reason pass
    why_not: str | None = None  # when a passing status was not honoured


class Reason(BaseModel):
    """One thing wrong with (or worth knowing about) the draft."""

    model_config = ConfigDict(frozen=True)

    kind: str
    severity: Severity
    summary: str
    finding_id: str
    blocks: bool = False
    fact: FactRef | None = None
    draft: Evidence | None = None  # the draft's words this is about (a figure, a date, a name, a quote)
    sources: tuple[Evidence, ...] = ()  # the source evidence: the versions that disagree, or the closest one
    evidence: tuple[Evidence, ...] = ()  # every piece of evidence, as the report's finding lists it
    review_status: str | None = None  # from the review file, when one was given
    review: ReviewRef | None = None
    detail: Detail = {}  # typed values: numbers are numbers ("cosine": 0.41)


class ClaimVerdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    claim_id: str
    text: str
    line: int | None
    status: Literal["supported", "partly_supported", "contradicted", "unsupported"]
    cosine: float  # best cosine to a source claim
    best_source: Evidence | None = None
    source_articles: tuple[str, ...] = ()  # sources telling the same fact
    independent_sources: int = 0
    reasons: tuple[str, ...] = ()  # finding ids of the reasons about this sentence


class QuoteVerdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    line: int | None
    speaker: str | None
    status: Literal["verbatim", "trimmed", "altered", "unattributed", "unsupported", "ignored"]
    source: Evidence | None = None


class FactVerdict(BaseModel):
    """One figure, quantity, date, name or title of the draft, looked up in the sources."""

    model_config = ConfigDict(frozen=True)

    check: Literal["figure", "quantity", "date", "name", "title"]
    verdict: Literal["supported", "conflict", "unsupported", "differ", "variant"]
    text: str  # the draft's words
    label: str
    draft: Evidence
    supports: tuple[Evidence, ...] = ()
    conflicts: tuple[Evidence, ...] = ()
    finding_id: str | None = None  # the reason raised on it, if any


class DraftDate(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: dt.date
    source: Literal["option", "draft", "today"]  # --published, the draft's own date, or today's date
    note: str


class Unchecked(BaseModel):
    """A check that could not run, or ran only in part, and why."""

    model_config = ConfigDict(frozen=True)

    check: str  # "source dates", "date comparisons", "outlets"
    articles: tuple[str, ...] = ()
    detail: str
    blocks: bool = False


class GateResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    schema_version: int = SCHEMA_VERSION
    decision: Literal["publish", "blocked"]
    exit_code: int
    draft: str
    draft_date: DraftDate
    sources: tuple[str, ...]
    reasons: tuple[Reason, ...]
    claims: tuple[ClaimVerdict, ...]
    quotes: tuple[QuoteVerdict, ...]
    facts: tuple[FactVerdict, ...] = ()
    unchecked: tuple[Unchecked, ...] = ()
    assumptions: tuple[str, ...] = ()
    policy: Policy
    warnings: tuple[str, ...] = ()

    @property
    def blocking(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.blocks)


# ---------------------------------------------------------------- quote tests

_WORD = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> list[str]:
    from .extract.quotes import normalize_quote_text

    return _WORD.findall(normalize_quote_text(text))


def _contains_run(short: Sequence[str], long: Sequence[str]) -> bool:
    n = len(short)
    return n > 0 and any(list(long[i : i + n]) == list(short) for i in range(len(long) - n + 1))


def quote_in_source(draft_quote: str, source_quotes: Sequence[str]) -> Literal["verbatim", "trimmed"] | None:
    """Does a source quote hold the draft's quoted words?

    verbatim: same words (after normalising marks, acronyms and spelling);
    trimmed: the draft quotes a contiguous part of one source quote, or of a
    quote the source split around its attribution ("X," he said, "Y.").
    A draft quote *longer* than every source quote adds words: not supported.
    """
    dt_ = _tokens(draft_quote)
    if not dt_:
        return None
    lists = [_tokens(q) for q in source_quotes]
    if any(dt_ == t for t in lists):
        return "verbatim"
    if any(_contains_run(dt_, t) for t in lists):
        return "trimmed"
    # A quote split by "he said" in the source: consecutive quotes joined.
    for a, b in zip(lists, lists[1:]):
        if _contains_run(dt_, a + b):
            return "trimmed"
    return None


# ------------------------------------------------------------------- inputs


def draft_from_bytes(data: bytes, name: str = "<stdin>") -> RawDocument:
    """A draft handed over as bytes (``gate -`` reads standard input): text, or one JSON article object.

    The same rules as files: UTF-8 only, not empty; Markdown front matter
    (``published``, ``outlet``, ...) is read as in a ``.md`` file; a JSON
    object needs a ``text`` field and may carry ``published``, ``title`` and
    ``outlet``.
    """
    # The file loader's own rules, so a draft on stdin reads exactly as the same bytes in a file would.
    from .load import _decode, _parse_json, _text_document, record_to_raw

    text = _decode(Path(name), data)
    sha1 = hashlib.sha1(data).hexdigest()
    if text.lstrip().startswith("{"):
        record = _parse_json(text, name)
        if not isinstance(record, dict):
            raise InputError(name, "expected one article object", "send the draft as text or as one JSON object")
        return record_to_raw(record, doc_id="draft", path=name, where=name, sha1=sha1)
    # Markdown front matter (--- published: 2023-05-30 ---) dates the draft as in a .md file.
    fmt = "md" if text.startswith("---\n") else "txt"
    return _text_document(Path(name), text, fmt, sha1).model_copy(update={"id": "draft", "path": name})


def check_inputs(draft: Path | str | RawDocument, sources: Sequence[Path]) -> None:
    """Cheap checks before any model loads: the draft is a file, every source path exists."""
    if not isinstance(draft, RawDocument) and not Path(draft).is_file():
        raise InputError(
            str(draft),
            "draft not found (or not a file)",
            "give the path of the draft article file, or - to read it from standard input",
        )
    if not sources:
        raise InputError("--sources", "no source folder given", "pass --sources DIR with the source articles")
    for s in sources:
        if not Path(s).exists():
            raise InputError(
                str(s), "source folder not found", "pass --sources DIR, a folder (or file) holding the source articles"
            )


def _clean_one(raw: RawDocument):
    from .clean import clean_with_cut

    art, cut = clean_with_cut(raw)
    if not art.text.strip():
        raise InputError(
            art.path,
            "no article text left after removing page furniture",
            "check that the draft holds the article itself",
        )
    return art, ([cut.warning(art.path)] if cut is not None else [])


def _prepare_inputs(draft: Path | str | RawDocument, sources: Sequence[Path]):
    """Load and clean the draft and the sources; drop the draft (or copies of it) from the sources."""
    from .pipeline import prepare

    check_inputs(draft, sources)
    if isinstance(draft, RawDocument):
        d_raw = draft
        d_art, warnings = _clean_one(draft)
        draft_path = None
    else:
        draft_path = Path(draft)
        dprep = prepare([draft_path])
        if len(dprep.articles) != 1:
            raise InputError(
                str(draft),
                f"expected one draft article, found {len(dprep.articles)}",
                "give one article per draft file",
            )
        d_art, d_raw, warnings = dprep.articles[0], dprep.raws[0], list(dprep.warnings)
    sprep = prepare(list(sources))
    warnings += list(sprep.warnings)
    d_norm = " ".join(d_art.text.split())
    keep_a, keep_r = [], []
    for art, raw in zip(sprep.articles, sprep.raws):
        same_file = draft_path is not None and Path(art.path).resolve() == draft_path.resolve()
        if same_file or " ".join(art.text.split()) == d_norm:
            warnings.append(f"{art.path} is the draft itself: not used as a source")
            continue
        if art.id == d_art.id:
            if draft_path is None:  # a draft from standard input takes a free id
                d_art = d_art.model_copy(update={"id": _free_id(d_art.id, sprep.articles)})
                d_raw = d_raw.model_copy(update={"id": d_art.id})
            else:
                raise InputError(
                    str(draft),
                    f"a source has the same article id ({art.id})",
                    "rename the draft file so its name differs from every source file",
                )
        keep_a.append(art)
        keep_r.append(raw)
    if not keep_a:
        raise InputError(
            ", ".join(map(str, sources)),
            "no source articles besides the draft",
            "put the source articles the draft relies on in the --sources folder",
        )
    return d_art, d_raw, keep_a, keep_r, warnings


def _free_id(base: str, articles) -> str:
    taken = {a.id for a in articles}
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# ----------------------------------------------------------------- the gate


@dataclass
class _GateEvent(Event):
    """The comparators' event, with the draft in the news cycle of every source.

    The draft reports on these sources now; its date (often today) must not
    switch off the sentence-level comparators that skip articles published
    days apart. Between two sources the usual rule holds.
    """

    draft_id: str = ""

    def same_news_cycle(self, a: str, b: str) -> bool:
        return a == self.draft_id or b == self.draft_id or super().same_news_cycle(a, b)


@dataclass
class _Issue:
    """A reason before the policy and the reviews are applied."""

    id: str
    kind: str
    severity: str
    summary: str
    evidence: tuple[Evidence, ...]
    draft: Evidence | None = None
    fact: FactRef | None = None
    detail: dict = field(default_factory=dict)
    sources: tuple[Evidence, ...] | None = None  # None: every non-draft piece of evidence

    def source_evidence(self, did: str) -> tuple[Evidence, ...]:
        if self.sources is not None:
            return self.sources
        return tuple(e for e in self.evidence if e.article_id != did)


def _embed_all(embedder, results):
    from .pipeline import _embed

    return _embed(embedder, results)


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def _in_draft(f: Finding, draft_id: str) -> bool:
    return any(e.article_id == draft_id for e in f.evidence)


def _overlaps(e: Evidence, claim: Claim) -> bool:
    return e.start < claim.span.end and claim.span.start < e.end


def _blocks(kind: str, severity: str, policy: Policy) -> bool:
    if kind == "unsupported_claim":
        return policy.block_unsupported_claims
    if kind == "single_source":
        return policy.block_single_source
    if kind == "sources_undated":
        return policy.require_dated_sources
    return kind in policy.block_kinds and severity in policy.block_severities


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def typed_detail(detail: dict | None) -> Detail:
    """A finding's detail with numbers as numbers: a comparator that wrote "0.93" gives 0.93."""
    out: Detail = {}
    for k, v in (detail or {}).items():
        if isinstance(v, str) and _NUMBER.fullmatch(v.strip()):
            v = float(v) if "." in v else int(v)
        elif not isinstance(v, (str, int, float, bool)):
            v = str(v)
        out[str(k)] = v
    return out


def _draft_date(art, published: dt.date | None) -> DraftDate:
    from .gate_checks import today

    if published is not None:
        return DraftDate(value=published, source="option", note=f"the draft is dated {published} (--published)")
    if art.published is not None:
        said = f" ('{art.published_text}')" if art.published_text else ""
        return DraftDate(
            value=art.published, source="draft", note=f"the draft is dated {art.published} (its own date{said})"
        )
    t = today()
    return DraftDate(
        value=t,
        source="today",
        note=f"the draft carries no date and no --published was given: today, {t}, anchors its "
        'relative dates ("Monday", "last week")',
    )


@dataclass
class _Decision:
    status: str
    reviewer: str | None
    note: str | None
    at: str | None


def _read_decisions(reviews_for: Path | str) -> dict[str, _Decision]:
    """finding id -> the decision in force, from the review file beside report ``reviews_for``."""
    from .review import load_store, review_statuses

    review_statuses(reviews_for, require=True)  # a mistyped --reviews fails here, never passes in silence
    store = load_store(reviews_for)
    out = {}
    for fid in store.findings:
        d = store.current(fid)
        if d is not None:
            out[fid] = _Decision(d.status, d.reviewer, d.note, d.at)
    return out


def gate(
    draft: Path | str | RawDocument,
    sources: Sequence[Path],
    policy: Policy | None = None,
    embedder=None,
    reviews_for: Path | None = None,
    config: Config = DEFAULT,
    published: dt.date | None = None,
    cache: bool = False,
) -> GateResult:
    """Check ``draft`` against the articles in ``sources``; decide publish or blocked.

    ``draft`` is a file path or a ``RawDocument`` (``draft_from_bytes``).
    ``published`` dates the draft (else its own date, else today).
    ``reviews_for`` is a report path (as given to ``check --out``) whose
    review file says which findings a person accepted or dismissed.
    ``cache`` keeps extractions in the cache folder, as ``check`` does: a CMS
    gating draft after draft against one folder parses the sources once.
    """
    from . import gate_checks as gc
    from .compare import compare_event
    from .extract import extract_articles
    from .pipeline import line_lookup

    policy = policy or Policy()
    # Read first: a mistyped --reviews fails before any model work, never passes in silence.
    decisions = _read_decisions(reviews_for) if reviews_for is not None else {}
    d_art, d_raw, s_arts, s_raws, warnings = _prepare_inputs(draft, sources)
    draft_date = _draft_date(d_art, published)
    # The draft's relative dates resolve against its date; the sources keep their own.
    d_art = d_art.model_copy(update={"published": draft_date.value})
    cache_dir = None
    if cache:
        from .cache import default_cache_dir, usable_dir

        cache_dir = usable_dir(default_cache_dir() / "extract", "extraction", root=default_cache_dir())
    results = extract_articles([d_art, *s_arts], min_words=config.min_claim_words, cache_dir=cache_dir)
    if embedder is None:
        from .pipeline import make_embedder

        embedder = make_embedder()
    claim_vecs, quote_vecs = _embed_all(embedder, results)
    line_of = line_lookup([d_raw, *s_raws], [d_art, *s_arts])
    did = d_art.id
    ev = _GateEvent(
        articles={ac.article.id: ac for ac in results},
        claim_vecs=claim_vecs,
        quote_vecs=quote_vecs,
        config=config,
        line_of=line_of,
        draft_id=did,
    )
    run = _Run(ev, did, results[0], results[1:], config)
    run.comparison = compare_event(ev, run.clusters())
    run.check_quotes()
    # Facts: every figure, quantity, date, name and title of the draft against the sources.
    skip = run.quote_spans
    index = gc.QuantityIndex(ev, did, config.approx_tolerance)
    run.items += gc.check_figures(ev, did, skip, lambda c, n: index.support(c, n, run.related.get(c.id, set())))
    run.items += gc.check_quantities(ev, did, skip, index, run.related)
    date_items, undecided = gc.check_dates(ev, did, skip, run.related, policy.compare_undated_weekdays)
    run.items += date_items
    run.items += gc.check_names(ev, did, skip)
    run.items += gc.check_titles(ev, did, skip)
    run.reconcile()
    run.issues_from_items()
    claim_verdicts = run.check_claims()
    unchecked, assumptions = run.coverage(s_arts, policy, undecided, draft_date, warnings)

    reasons = _apply_policy(run.issues, policy, decisions, did)
    fact_verdicts = []
    for i, it in enumerate(run.items):
        rid = run.item_reason.get(i)
        if rid is None and i in run.consumed:
            rid = next((r.finding_id for r in reasons if r.draft is not None and r.draft.start == it.start), None)
        fact_verdicts.append(
            FactVerdict(
                check=it.check,
                verdict=it.verdict,
                text=it.text,
                label=it.label,
                draft=run.draft_ev(it),
                supports=tuple(it.supports[:6]),
                conflicts=tuple(it.conflicts[:6]),
                finding_id=rid,
            )
        )
    decision = "blocked" if any(r.blocks for r in reasons) else "publish"
    return GateResult(
        decision=decision,
        exit_code=1 if decision == "blocked" else 0,
        draft=d_art.path,
        draft_date=draft_date,
        sources=tuple(a.path for a in s_arts),
        reasons=reasons,
        claims=tuple(claim_verdicts),
        quotes=tuple(run.quote_verdicts),
        facts=tuple(fact_verdicts),
        unchecked=tuple(unchecked),
        assumptions=tuple(assumptions),
        policy=policy,
        warnings=tuple(warnings),
    )


class _Run:
    """One gate run after extraction: the event, the draft's matches, and the reasons as they are found."""

    def __init__(
        self, ev: _GateEvent, did: str, d_ac: ArticleClaims, s_acs: Sequence[ArticleClaims], config: Config
    ) -> None:
        self.ev, self.did, self.d_ac, self.s_acs, self.config = ev, did, d_ac, list(s_acs), config
        self.comparison: Comparison | None = None  # set by gate() once clusters() has run
        self.issues: list[_Issue] = []
        self.items: list = []  # gate_checks.Item
        self.consumed: set[int] = set()  # items a report finding already speaks for
        self.item_reason: dict[int, str] = {}
        self.quote_verdicts: list[QuoteVerdict] = []
        self.ok_quote_spans: list[tuple[int, int]] = []  # verbatim or trimmed draft quotes
        self.quote_spans = [(q.span.start, q.span.end) for q in d_ac.quotes]
        # Every source claim ranked by cosine to each draft claim.
        src = [c for ac in self.s_acs for c in ac.claims]
        mat = np.stack([_unit(ev.claim_vecs[c.id]) for c in src]) if src else np.zeros((0, 1), np.float32)
        self.matches: dict[str, list[tuple[float, Claim]]] = {}
        for c in d_ac.claims:
            sims = mat @ _unit(ev.claim_vecs[c.id]) if src else np.zeros(0)
            self.matches[c.id] = sorted(((float(x), sc) for x, sc in zip(sims, src)), key=lambda t: (-t[0], t[1].id))
        self.related = {
            cid: {sc.id for x, sc in ranked if x >= config.cluster_threshold} for cid, ranked in self.matches.items()
        }
        # The closest few source sentences, even below the clustering threshold: where to look
        # for a source that sides with the draft in a contradiction.
        self.near = {
            cid: {sc.id for x, sc in ranked[:BACKING_CANDIDATES] if x >= BACKING_MIN_COSINE}
            for cid, ranked in self.matches.items()
        }

    # ----------------------------------------------------------- helpers

    def clusters(self) -> list[Cluster]:
        """One cluster per draft claim: the claim and every source claim telling the same fact."""
        out = []
        for c in self.d_ac.claims:
            members = [self.ev.claims[sid] for sid in sorted(self.related[c.id])]
            if members:
                out.append(
                    Cluster(
                        id=f"gate-{c.id}",
                        claim_ids=(c.id, *(m.id for m in members)),
                        article_ids=tuple(sorted({self.did, *(m.article_id for m in members)})),
                    )
                )
        return out

    @property
    def facts(self) -> dict:
        assert self.comparison is not None  # only read after gate() has compared the event
        return {f.id: f for f in self.comparison.facts}

    def fact_ref(
        self, fact_id: str | None = None, key: str | None = None, kind: str = "", label: str = ""
    ) -> FactRef | None:
        assert self.comparison is not None  # only read after gate() has compared the event
        facts = self.comparison.facts
        fact = next((f for f in facts if (fact_id and f.id == fact_id) or (not fact_id and key and f.key == key)), None)
        if fact is not None:
            return FactRef(id=fact.id, kind=fact.kind, key=fact.key, label=fact.label)
        return FactRef(kind=kind, key=key, label=label) if kind else None

    def draft_ev(self, it) -> Evidence:
        return self.ev.evidence(self.did, it.start, it.end, f"draft {it.check}: {it.text}")

    def items_in(self, f: Finding, check: str, verdicts: tuple[str, ...], key: str | None = None) -> list[int]:
        """The gate's verdicts on the draft words a report finding cites."""
        spans = [e for e in f.evidence if e.article_id == self.did]
        return [
            i
            for i, it in enumerate(self.items)
            if it.check == check
            and it.verdict in verdicts
            and (key is None or it.fact_key == key)
            and any(e.start <= it.start < e.end or it.claim.span.start <= e.start < it.claim.span.end for e in spans)
        ]

    def closest(self, claim_id: str, role: str) -> tuple[Evidence, ...]:
        ranked = self.matches.get(claim_id) or []
        return (self.ev.claim_evidence(ranked[0][1], role),) if ranked else ()

    # ------------------------------------------------------------ quotes

    def check_quotes(self) -> None:
        """The draft's quoted words against the sources' quotes and text."""
        from .compare import finding_id, quote_relation

        ev, did = self.ev, self.did
        src_quote_texts = {ac.article.id: [q.text for q in ac.quotes] for ac in self.s_acs}
        src_text_tokens = {ac.article.id: _tokens(ac.article.text) for ac in self.s_acs}
        for q in self.d_ac.quotes:
            qe = ev.evidence(did, q.span.start, q.span.end, f"quote ({q.speaker or 'unattributed'})")
            status, source = _quote_status(
                q, self.s_acs, src_quote_texts, src_text_tokens, ev, quote_relation, ev.quote_vecs, did
            )
            self.quote_verdicts.append(
                QuoteVerdict(
                    text=q.text,
                    line=qe.line,
                    speaker=q.speaker,
                    status=status,
                    source=None if status == "ignored" else source,
                )
            )
            qfact = FactRef(kind="quote", label=f"{q.speaker or 'unattributed'}: “{_short(q.text)}”")
            if status in ("verbatim", "trimmed"):
                self.ok_quote_spans.append((q.span.start, q.span.end))
            elif status == "unattributed":
                self.issues.append(
                    _gate_issue(
                        finding_id,
                        "quote_unattributed",
                        "medium",
                        f"Quoted words not quoted by any source: {source.article_id} has them only in its own prose, "
                        f"not as anyone's words.",
                        (qe, source),
                        draft=qe,
                        fact=qfact,
                    )
                )
            elif status == "unsupported":
                qc = ev.claim_of(did, q.span.start)
                self.issues.append(
                    _gate_issue(
                        finding_id,
                        "quote_unsupported",
                        "high",
                        f"Direct quote found in no source ({q.speaker or 'no speaker named'}): check it against the "
                        f"original statement or recording.",
                        (qe,),
                        draft=qe,
                        fact=qfact,
                        detail={"speaker": q.speaker or ""},
                        sources=self.closest(qc.id, "closest source sentence (without these words)") if qc else (),
                    )
                )
            # "altered" comes from compare_event's quote_altered finding.

    # --------------------------------------------------- report findings

    def reconcile(self) -> None:
        """The report's findings on the draft, told apart: the draft contradicts the sources, or the sources differ.

        A finding kept keeps the report's id (so a review decision on it
        applies), and "consumes" the gate's own verdict on the same words.
        """
        did, facts = self.did, self.facts
        assert self.comparison is not None  # only read after gate() has compared the event
        members = {f.id: {v.article_id for v in f.versions} for f in self.comparison.facts}
        for f in self.comparison.findings:
            cites = _in_draft(f, did)
            if not cites and not (f.fact_id is not None and did in members.get(f.fact_id, ())):
                continue  # the sources' own dispute on a fact the draft does not give
            fact = self.fact_ref(f.fact_id)
            detail = typed_detail(f.detail)
            first = next((e for e in f.evidence if e.article_id == did), None)
            if first is None and f.fact_id in facts:  # the draft's own version of the disputed fact
                first = next((v.evidence for v in facts[f.fact_id].versions if v.article_id == did), None)

            def add(kind: str, severity: str, summary: str, draft: Evidence | None = first, extra: dict | None = None):
                self.issues.append(
                    _Issue(f.id, kind, severity, summary, f.evidence, draft, fact, {**detail, **(extra or {})})
                )

            def differ(lead: str, draft: Evidence | None = first):
                add("sources_differ", "info", f"{lead} {f.summary}", draft, {"report_kind": f.kind})

            def promote(kind: str, severity: str, i: int):
                self.consumed.add(i)
                it = self.items[i]
                add(kind, severity, f"{_cap(it.note)}. {f.summary}", self.draft_ev(it), it.detail)

            verbatim = any(
                e.article_id == did and any(s <= e.start < t for s, t in self.ok_quote_spans) for e in f.evidence
            )
            if f.kind == "quote_altered" and (not cites or verbatim):
                # The draft quotes a wording a source carries; another source words it otherwise.
                add(
                    "quote_sources_differ",
                    "info",
                    "The draft quotes one source verbatim; another source words "
                    "the same statement differently. " + f.summary,
                )
            elif not cites:
                differ(
                    "The sources disagree on a fact the draft also gives; the draft's version is not part of "
                    "the dispute."
                )
            elif f.kind == "number_conflict" and fact is not None and fact.kind == "figure":
                bad = self.items_in(f, "figure", ("conflict",), fact.key)
                if bad:
                    self.consumed.update(bad)
                    promote("number_conflict", f.severity, bad[0])
                elif all(e.article_id == did for e in f.evidence):
                    add("number_conflict", f.severity, f.summary)  # the draft contradicts itself
                else:
                    self.consumed.update(self.items_in(f, "figure", ("differ",), fact.key))
                    differ("The draft's figure is one a source gives; the sources disagree.")
            elif f.kind == "number_conflict" and f.cluster_id is not None:
                if self.items_in(f, "quantity", ("supported",)):
                    differ("The draft's number is one a source gives; another source gives another.")
                else:
                    bad = self.items_in(f, "quantity", ("unsupported",))
                    self.consumed.update(bad)
                    add("number_conflict", f.severity, f.summary, self.draft_ev(self.items[bad[0]]) if bad else first)
            elif f.kind == "date_conflict":
                bad = self.items_in(f, "date", ("conflict",))
                good = self.items_in(f, "date", ("supported", "differ"))
                if bad:
                    self.consumed.update(bad)
                    promote("date_conflict", f.severity, bad[0])
                elif good:
                    self.consumed.update(good)
                    differ(
                        "The draft's date is one a source gives; the sources disagree.",
                        self.draft_ev(self.items[good[0]]),
                    )
                elif _dates_only_in_quotes(f, self.d_ac, self.quote_spans, did):
                    # "this week" inside words the draft quotes: the speaker's week, dated by
                    # the source that quoted them, not a date the draft gives.
                    add(
                        "date_conflict",
                        "info",
                        "A relative date inside a direct quote, resolved against the "
                        "draft's date: the speaker's words are dated by the source that "
                        "quoted them. " + f.summary,
                    )
                else:
                    add("date_conflict", f.severity, f.summary)
            elif f.kind == "name_inconsistency" and f.detail.get("rule") == "spellings":
                bad = self.items_in(f, "name", ("conflict",))
                if bad:
                    promote("name_misspelt", "medium", bad[0])
                else:
                    differ("The draft spells the name as a source does; the sources spell it two ways.")
            elif f.kind == "name_inconsistency" and f.detail.get("rule") == "titles":
                bad = self.items_in(f, "title", ("conflict",))
                if bad:
                    promote("title_conflict", "medium", bad[0])
                else:
                    differ("The draft's title for this person is one a source gives; the sources differ.")
            elif f.kind in ("contradiction", "quote_attribution") and _draft_backed(
                f, self.ev, did, self.comparison.findings, self.related, self.near
            ):
                differ("The draft sides with a source; the sources contradict each other.")
            else:
                add(f.kind, f.severity, f.summary)

    # -------------------------------------------------- the gate's own

    def issues_from_items(self) -> None:
        """What the comparators did not flag: figures, dates, names and titles the sources do not back."""
        from .compare import finding_id

        for i, it in enumerate(self.items):
            if i in self.consumed or it.verdict == "supported":
                continue
            sentence = self.ev.claim_evidence(it.claim, "draft sentence")
            others = tuple(it.conflicts) if it.verdict != "differ" else tuple(it.supports + it.conflicts)
            if it.verdict == "differ":
                kind, sev = "sources_differ", "info"
                summary = (
                    f"The draft's {it.check} “{it.text}” is one a source gives; other sources differ — {it.note or ''}"
                ).rstrip(" —")
            elif it.verdict == "unsupported":
                kind, sev = "figure_unsupported", "medium"
                summary = f"{_cap(it.note)}: a figure the draft adds, check it or take it out."
                # Nothing gives the figure; the closest source sentence shows what the sources do say.
                others = others or self.closest(it.claim.id, "closest source sentence (without this figure)")
            elif it.check in ("figure", "quantity"):
                kind, sev, summary = "number_conflict", _figure_severity(it.detail.get("measure")), f"{_cap(it.note)}."
            elif it.check == "date":
                kind, sev, summary = "date_conflict", "medium", f"{_cap(it.note)}."
            elif it.check == "name":
                # A variant of the sources' transliteration family may be an accepted
                # form ("Marrakech" / "Marrakesh"): shown, not blocking by default.
                kind, sev = "name_misspelt", ("low" if it.verdict == "variant" else "medium")
                summary = f"Name spelt as no source spells it: {it.note}."
            else:
                kind, sev, summary = (
                    "title_conflict",
                    "medium",
                    f"Title that cannot be right beside the sources': {it.note}.",
                )
            evidence = (sentence, *others)
            # An unsupported figure's id hashes the draft's words only: a new source
            # folder changes its closest sentence, not the finding a reviewer decided.
            iss = _gate_issue(
                finding_id,
                kind,
                sev,
                summary,
                (sentence,) if kind == "figure_unsupported" else evidence,
                draft=self.draft_ev(it),
                fact=self.fact_ref(key=it.fact_key, kind=it.check, label=it.label),
                detail=dict(it.detail),
                key=it.fact_key or f"{it.check}:{it.label}",
                sources=others,
            )
            iss.evidence = evidence
            self.issues.append(iss)
            self.item_reason[i] = iss.id

    def check_claims(self) -> list[ClaimVerdict]:
        """Each draft sentence: supported, partly supported, contradicted or unsupported, and why."""
        from .compare import finding_id, independent_count

        ev, did, config = self.ev, self.did, self.config
        verdicts = []
        for c in self.d_ac.claims:
            ranked = self.matches[c.id]
            best_cos, best = ranked[0] if ranked else (0.0, None)
            same = [sc for x, sc in ranked if x >= config.cluster_threshold]
            arts = tuple(sorted({sc.article_id for sc in same}))
            about = [i for i in self.issues if _about_claim(i, c, did)]
            if any(i.kind in CONFLICT_KINDS and i.severity != "info" for i in about):
                status = "contradicted"
            elif not same:
                status = "unsupported"
            else:
                status = "partly_supported" if any(i.kind in MISSING_KINDS for i in about) else "supported"
            indep = independent_count(arts, ev.copies) if arts else 0
            best_e = ev.claim_evidence(best, "closest source sentence") if best is not None else None
            own: list[_Issue] = []
            ce = ev.claim_evidence(c, "draft claim")
            cfact = FactRef(kind="claim", label=_short(c.text))
            if len(c.text.split()) < config.min_claim_words or _is_quote_only(c, self.ok_quote_spans):
                pass  # a headline or fragment; a sentence that is a verified quote
            elif status == "unsupported":
                own.append(
                    _gate_issue(
                        finding_id,
                        "unsupported_claim",
                        "low",
                        f"No source states this (closest source sentence at cosine {best_cos:.2f}).",
                        (ce, *((best_e,) if best_e else ())),
                        draft=ce,
                        fact=cfact,
                        detail={"cosine": round(best_cos, 3), "threshold": config.cluster_threshold},
                        sources=(best_e,) if best_e else (),
                    )
                )
            elif status == "supported" and indep == 1:
                se = ev.claim_evidence(same[0], "source")
                own.append(
                    _gate_issue(
                        finding_id,
                        "single_source",
                        "info",
                        f"Only one independent source states this ({', '.join(arts)}).",
                        (ce, se),
                        draft=ce,
                        fact=cfact,
                        detail={"sources": len(arts), "independent_sources": indep},
                        sources=(se,),
                    )
                )
            self.issues += own
            verdicts.append(
                ClaimVerdict(
                    claim_id=c.id,
                    text=c.text,
                    line=ev.line_of(did, c.span.start),
                    status=status,
                    cosine=round(best_cos, 3),
                    best_source=best_e,
                    source_articles=arts,
                    independent_sources=indep,
                    reasons=tuple(dict.fromkeys(i.id for i in [*about, *own])),
                )
            )
        return verdicts

    def coverage(
        self, s_arts, policy: Policy, undecided: list[str], draft_date: DraftDate, warnings: list[str]
    ) -> tuple[list[Unchecked], list[str]]:
        """What could not be checked (undated or unnamed sources), and what was assumed."""
        from . import gate_checks as gc
        from .compare import finding_id

        unchecked: list[Unchecked] = []
        assumptions: list[str] = [draft_date.note]
        undated = [a for a in s_arts if a.published is None]
        if undated:
            paths = tuple(a.path for a in undated)
            weekday_note = (
                "; only their weekday names are compared with the draft's (see the assumption)"
                if policy.compare_undated_weekdays
                else "; their weekday names are not compared (compare_undated_weekdays = false)"
            )
            blocks = policy.require_dated_sources
            unchecked.append(
                Unchecked(
                    check="source dates",
                    articles=paths,
                    blocks=blocks,
                    detail=f"{len(undated)} of {len(s_arts)} sources carry no publication date: their relative dates "
                    f'("Monday", "last week") have no calendar value{weekday_note}. '
                    + (
                        "This blocks (require_dated_sources = true)."
                        if blocks
                        else "This does not block (require_dated_sources = false)."
                    )
                    + " Fix: give their dates in a sources.toml beside them.",
                )
            )
            if policy.compare_undated_weekdays:
                assumptions.append(gc.SAME_WEEK_ASSUMPTION)
            self.issues.append(
                _gate_issue(
                    finding_id,
                    "sources_undated",
                    "medium" if blocks else "low",
                    f"{len(undated)} source{'s' * (len(undated) != 1)} carry no publication date ({', '.join(paths[:5])}"
                    f"{', …' if len(paths) > 5 else ''}): dates in them are compared by weekday name only"
                    + ("; the policy requires dated sources (require_dated_sources)." if blocks else "."),
                    (),
                    fact=FactRef(kind="sources", label="publication dates of the sources"),
                    detail={"undated_sources": len(undated), "sources": len(s_arts)},
                    key="undated:" + "|".join(sorted(a.raw_sha1 or a.id for a in undated)),
                )
            )  # content, not file names
        if undecided:
            unchecked.append(
                Unchecked(
                    check="date comparisons",
                    detail="; ".join(undecided[:8])
                    + (f"; and {len(undecided) - 8} more" if len(undecided) > 8 else ""),
                )
            )
        unnamed = tuple(a.path for a in s_arts if not a.outlet)
        if unnamed:
            unchecked.append(
                Unchecked(
                    check="outlets",
                    articles=unnamed,
                    detail=f"{len(unnamed)} of {len(s_arts)} sources name no outlet: evidence names them by file, and "
                    "independence between them is judged from shared wire text only",
                )
            )
        dated = [a.published for a in s_arts if a.published is not None]
        gap = (draft_date.value - max(dated)).days if dated else 0
        if draft_date.source == "today" and gap > self.config.news_cycle_days:
            warnings.append(
                f"the draft is dated today ({draft_date.value}), {gap} days after the newest dated "
                f"source ({max(dated)}): its relative dates may resolve to the wrong days; "
                "give --published"
            )
        return unchecked, assumptions


def _apply_policy(
    issues: Sequence[_Issue], policy: Policy, decisions: dict[str, _Decision], did: str
) -> tuple[Reason, ...]:
    """Reasons in severity order, each with whether it blocks under the policy and the reviews."""
    from .review import PASSING_STATUSES

    seen: set[str] = set()
    reasons = []
    for i in sorted(issues, key=lambda i: (ORDER[i.severity], i.kind, i.id)):
        if i.id in seen:
            continue
        seen.add(i.id)
        blocks = _blocks(i.kind, i.severity, policy)
        d = decisions.get(i.id)
        review = None
        if d is not None:
            honoured, why = False, None
            if d.status in PASSING_STATUSES:
                if not policy.accepted_findings_pass:
                    why = "the policy lets no reviewed finding pass (accepted_findings_pass = false)"
                elif (d.reviewer or "").strip().lower() in _NO_REVIEWER:
                    why = "the decision names no reviewer"
                elif policy.require_note and not (d.note or "").strip():
                    verb = "accept" if d.status == "accepted" else "dismiss"
                    why = (
                        f"{d.status} by {d.reviewer} without a note (require_note = true): say why, e.g. "
                        f'factcheck review {verb} {i.id} --note "..."'
                    )
                else:
                    honoured = True
            if honoured and blocks:
                blocks = False
            review = ReviewRef(
                status=d.status, reviewer=d.reviewer, note=d.note, at=d.at, honoured=honoured, why_not=why
            )
        reasons.append(
            Reason(
                kind=i.kind,
                severity=i.severity,
                summary=i.summary,
                finding_id=i.id,
                blocks=blocks,
                fact=i.fact,
                draft=i.draft,
                sources=i.source_evidence(did),
                evidence=i.evidence,
                review_status=d.status if d else None,
                review=review,
                detail=typed_detail(i.detail),
            )
        )
    return tuple(reasons)


def _quote_at(ev: Event, e: Evidence) -> Quote | None:
    for q in ev.articles[e.article_id].quotes:
        if q.span.start <= e.start < q.span.end or e.start <= q.span.start < e.end:
            return q
    return None


def _draft_backed(
    f: Finding,
    ev: Event,
    did: str,
    all_findings: Sequence[Finding],
    related: dict[str, set[str]],
    near: dict[str, set[str]],
) -> bool:
    """Does a source tell the draft's side of a contradiction or a quote credit the finding opposes?

    The draft then follows that source, and the dispute is between the
    sources. Read from the comparators themselves:

    - credits: a source credit ``speakers_compatible`` with the draft's *as the
      same speaker* (a bare title is compatible with anyone and backs nobody);
    - findings that place outlets ("direction: southwest", "ranked deadliest",
      "corrected 79 -> 78"): another source with the draft's place;
    - a source sentence the finding cites is also opposed by another source
      (a finding without the draft), or the sources the finding cites clash
      among themselves when the comparators run over them alone: a two-sided
      dispute the draft takes one side of;
    - a source sentence close to the draft's (``related``, ``near``) that the
      comparators oppose to the same source sentence.
    """
    from .compare import speakers_compatible
    from .compare.registry import COMPARATORS

    mine = [e for e in f.evidence if e.article_id == did]
    others = [e for e in f.evidence if e.article_id != did]
    if not mine or not others:
        return False
    if f.kind == "quote_attribution":
        dq = [q for q in (_quote_at(ev, e) for e in mine) if q is not None]
        sq = [q for q in (_quote_at(ev, e) for e in others) if q is not None]
        # Only a credit naming the same speaker backs the draft; "one credit is a title
        # without a name" and the like are compatible with anyone and back nobody.
        return any(speakers_compatible(a, b, ev.alias)[1] in SAME_SPEAKER for a in dq for b in sq)
    placed = [e.role for e in mine if e.role and e.role.startswith(("direction:", "ranked ", "corrected "))]
    if placed:
        return any(e.role in placed for e in others)
    cited = {(e.article_id, e.start) for e in others}
    for g in all_findings:
        if g.kind == f.kind and g.id != f.id and not _in_draft(g, did):
            if (
                any((e.article_id, e.start) in cited for e in g.evidence)
                and len({e.article_id for e in g.evidence}) >= 2
            ):
                return True
    rules = [c for c in COMPARATORS if any(r.kind == f.kind for r in c.rules)]

    def clash(article_ids: set[str], wanted: set[tuple[str, int]]) -> bool:
        """Run the comparators over these sources alone: do they oppose two of the wanted sentences?"""
        sub = Event(
            articles={a: ev.articles[a] for a in sorted(article_ids)},
            claim_vecs=ev.claim_vecs,
            quote_vecs=ev.quote_vecs,
            config=ev.config,
            line_of=ev.line_of,
        )
        for comp in rules:
            out = comp.fn(sub) if comp.scope == "event" else []
            for x in out.findings if hasattr(out, "findings") else out:
                hit = {(e.article_id, e.start) for e in x.evidence} & wanted
                if x.kind == f.kind and len(hit) >= 2 and len({a for a, _ in hit}) >= 2:
                    return True
        return False

    if len({e.article_id for e in others}) >= 2 and clash({e.article_id for e in others}, cited):
        return True
    for d_e in mine:
        d_claim = ev.claim_of(did, d_e.start)
        if d_claim is None:
            continue
        for sid in sorted(related.get(d_claim.id, set()) | near.get(d_claim.id, set())):
            peer = ev.claims[sid]
            if (peer.article_id, peer.span.start) in cited or peer.article_id in {a for a, _ in cited}:
                continue
            if clash({peer.article_id, *(a for a, _ in cited)}, cited | {(peer.article_id, peer.span.start)}):
                return True
    return False


def _dates_only_in_quotes(f: Finding, d_ac: ArticleClaims, quote_spans: Sequence[tuple[int, int]], did: str) -> bool:
    """Do the draft's dates a date finding cites all stand inside the draft's direct quotes?"""
    named = {
        e.role.split(": ", 1)[1].split(" = ")[0]
        for e in f.evidence
        if e.article_id == did and e.role and e.role.startswith("date: ")
    }
    spans = [e for e in f.evidence if e.article_id == did]
    dates = [
        d
        for c in d_ac.claims
        for d in c.dates
        if any(e.start <= d.span.start < e.end for e in spans) and (not named or d.text in named)
    ]
    return bool(dates) and all(any(s <= d.span.start and d.span.end <= t for s, t in quote_spans) for d in dates)


def _figure_severity(measure) -> str:
    from .extract.figures import lexicon

    m = lexicon().measures.get(measure) if isinstance(measure, str) else None
    return "high" if m is not None and m.severity == "high" else "medium"


def _about_claim(i: _Issue, c: Claim, did: str) -> bool:
    if i.draft is not None:
        return _overlaps(i.draft, c)
    return any(e.article_id == did and _overlaps(e, c) for e in i.evidence)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


def _is_quote_only(c: Claim, ok_spans: Sequence[tuple[int, int]]) -> bool:
    """A claim that is mostly a verified quote is already checked through its quote."""
    covered = sum(max(0, min(t, c.span.end) - max(s, c.span.start)) for s, t in ok_spans)
    return covered >= 0.6 * (c.span.end - c.span.start)


def _gate_issue(
    finding_id,
    kind: str,
    severity: str,
    summary: str,
    evidence: Sequence[Evidence],
    *,
    draft: Evidence | None = None,
    fact: FactRef | None = None,
    detail: dict | None = None,
    key: str = "",
    sources: Sequence[Evidence] | None = None,
) -> _Issue:
    ev = tuple(evidence)
    # Ids hash the kind, the fact and the evidence texts, as the report's do.
    return _Issue(
        finding_id(kind, ev or ((draft,) if draft else ()), key),
        kind,
        severity,
        summary,
        ev,
        draft,
        fact,
        dict(detail or {}),
        tuple(sources) if sources is not None else None,
    )


def _quote_status(q: Quote, s_acs, src_quote_texts, src_text_tokens, ev, quote_relation, quote_vecs, did):
    """(status, source evidence) of one draft quote against the sources."""
    toks = _tokens(q.text)
    if not toks:
        return "ignored", None
    for ac in s_acs:
        rel = quote_in_source(q.text, src_quote_texts[ac.article.id])
        if rel:
            src = _best_source_quote(q, ac)
            return rel, ev.evidence(ac.article.id, src.span.start, src.span.end, "source quote") if src else None
    # Same statement in other words: compare_event already raised quote_altered.
    vq = quote_vecs.get((did, q.span.start))
    for ac in s_acs:
        for sq in ac.quotes:
            vs = quote_vecs.get((ac.article.id, sq.span.start))
            cos = float(np.dot(vq, vs)) if vq is not None and vs is not None else 0.0
            if quote_relation(q.text, sq.text, cos, ev.config) == "altered":
                return "altered", ev.evidence(ac.article.id, sq.span.start, sq.span.end, "source quote")
    if len(toks) < MIN_QUOTE_WORDS_UNATTRIBUTED and q.speaker_kind == "unknown":
        return "ignored", None
    for ac in s_acs:
        if _contains_run(toks, src_text_tokens[ac.article.id]):
            # Cite the source sentence holding the words; else the words themselves.
            sent = next((c for c in ac.claims if _contains_run(toks, _tokens(c.text))), None)
            if sent is not None:
                return "unattributed", ev.claim_evidence(sent, "source prose")
            span = _find_words(ac.article.text, q.text) or (0, len(ac.article.text))
            return "unattributed", ev.evidence(ac.article.id, span[0], span[1], "source prose")
    return "unsupported", None


def _best_source_quote(q: Quote, ac: ArticleClaims) -> Quote | None:
    toks = _tokens(q.text)
    for sq in ac.quotes:
        if _contains_run(toks, _tokens(sq.text)):
            return sq
    return ac.quotes[0] if ac.quotes else None


def _find_words(text: str, quote: str) -> tuple[int, int] | None:
    """Character span in ``text`` of the words of ``quote`` (whitespace and punctuation-insensitive)."""
    words = re.findall(r"\w+", quote)
    if not words:
        return None
    pattern = r"\W+".join(re.escape(w) for w in words)
    m = re.search(pattern, text, re.I)
    return (m.start(), m.end()) if m else None
