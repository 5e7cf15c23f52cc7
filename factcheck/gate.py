"""Publication gate: may this draft go out, given the source articles?

The draft is run through the same stages as ``factcheck check`` (load, clean,
extract, embed) together with the sources, then:

- each draft claim is *supported* (a source claim tells the same fact:
  cosine at or above the clustering threshold, and no conflict), *contradicted*
  (a comparator finds a date, number, quote or stance conflict with a source),
  or *unsupported* (no source claim close enough);
- each direct quote in the draft must match a source quote verbatim or as a
  trimmed part of it; otherwise it is *altered* (a source quotes the same
  statement in other words), *unattributed* (the words are in a source, but
  not inside quotation marks there) or *unsupported* (no source has them).

The conflicts come from ``compare.compare_event`` run over the draft and the
sources, keeping only findings that cite the draft, so the gate and the
report agree on what a discrepancy is, and a finding's id in the gate equals
its id in a ``factcheck check`` report over the same files (which is what
lets a reviewed-and-accepted finding pass).

The gate fails closed: the caller (``gate_cli``) turns any error into exit 2.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .config import DEFAULT, Config
from .errors import InputError
from .io import input_error
from .models import ArticleClaims, Claim, Cluster, Evidence, Finding, Quote, Severity
from .severity import ORDER

# Kinds only the gate raises (the report's kinds are models.FindingKind).
GATE_KINDS = (
    "quote_unsupported",  # no source has these words
    "quote_unattributed",  # a source has the words, but not as anyone's quote
    "quote_sources_differ",  # the draft follows one source's wording; another source words it differently
    "unsupported_claim",  # no source claim tells this fact
    "single_source",  # only one independent source tells it
)
REPORT_KINDS = (
    "quote_altered", "quote_attribution", "date_conflict", "number_conflict", "name_inconsistency", "contradiction",
)
KNOWN_KINDS = frozenset(REPORT_KINDS + GATE_KINDS)
SEVERITIES = ("high", "medium", "low", "info")
# Quotation marks around one or two words without a speaker are scare quotes
# or titles ("so-called "peace talks""), not words put in someone's mouth.
MIN_QUOTE_WORDS_UNATTRIBUTED = 3
# Findings that make the draft claim they cite "contradicted" by the sources.
CONFLICT_KINDS = frozenset({"quote_altered", "quote_attribution", "date_conflict", "number_conflict", "contradiction"})


class Policy(BaseModel):
    """What blocks publication. Read from the ``[gate]`` table of a TOML file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # A reason blocks when its kind is listed here AND its severity is in
    # block_severities. Altered, invented or misattributed quotes and facts
    # that conflict with the sources are what force corrections after
    # publication. quote_unattributed is in too: quotation marks around words
    # no source presents as a quote make a quote up.
    block_kinds: tuple[str, ...] = (
        "quote_altered", "quote_unsupported", "quote_unattributed", "quote_attribution",
        "contradiction", "date_conflict", "number_conflict",
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
        raise InputError(str(path), "policy file not found",
                         "give the path of a TOML file (see factcheck.toml.example) or leave out --policy for the defaults")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise input_error(path, exc, "policy file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not valid TOML ({exc})", "fix the syntax; see factcheck.toml.example") from None
    unknown = sorted(set(data) - {"gate"})
    if unknown:
        raise InputError(str(path), f"unknown key(s) {', '.join(unknown)}",
                         "put the gate settings under a [gate] table; see factcheck.toml.example")
    table = data.get("gate", {})
    if not isinstance(table, dict):
        raise InputError(str(path), "'gate' must be a table", "write the settings under a [gate] header")
    try:
        return Policy.model_validate(table)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'gate'}: {e['msg']}" for e in exc.errors()
        )
        raise InputError(f"{path} [gate]", problems, "see factcheck.toml.example for the keys and values") from None


# --------------------------------------------------------------------- result

class Reason(BaseModel):
    """One thing wrong with (or worth knowing about) the draft."""

    model_config = ConfigDict(frozen=True)

    kind: str
    severity: Severity
    summary: str
    evidence: tuple[Evidence, ...]
    finding_id: str
    blocks: bool = False
    review_status: str | None = None  # from the review file, when one was given
    detail: dict[str, str | int | float] = {}  # e.g. "diff": the word diff of an altered quote


class ClaimVerdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    claim_id: str
    text: str
    line: int | None
    status: Literal["supported", "contradicted", "unsupported"]
    cosine: float  # best cosine to a source claim
    best_source: Evidence | None = None
    source_articles: tuple[str, ...] = ()  # sources telling the same fact
    independent_sources: int = 0


class QuoteVerdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    line: int | None
    speaker: str | None
    status: Literal["verbatim", "trimmed", "altered", "unattributed", "unsupported", "ignored"]
    source: Evidence | None = None


class GateResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    decision: Literal["publish", "blocked"]
    draft: str
    sources: tuple[str, ...]
    reasons: tuple[Reason, ...]
    claims: tuple[ClaimVerdict, ...]
    quotes: tuple[QuoteVerdict, ...]
    policy: Policy
    warnings: tuple[str, ...] = ()

    @property
    def blocking(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.blocks)


# ---------------------------------------------------------------- quote tests

_WORD = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> list[str]:
    from .quotes import normalize_quote_text

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
    dt = _tokens(draft_quote)
    if not dt:
        return None
    lists = [_tokens(q) for q in source_quotes]
    if any(dt == t for t in lists):
        return "verbatim"
    if any(_contains_run(dt, t) for t in lists):
        return "trimmed"
    # A quote split by "he said" in the source: consecutive quotes joined.
    for a, b in zip(lists, lists[1:]):
        if _contains_run(dt, a + b):
            return "trimmed"
    return None


# ----------------------------------------------------------------- the gate

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
    return kind in policy.block_kinds and severity in policy.block_severities


def check_inputs(draft: Path, sources: Sequence[Path]) -> None:
    """Cheap checks before any model loads: the draft is a file, every source path exists."""
    if not Path(draft).is_file():
        raise InputError(str(draft), "draft not found (or not a file)", "give the path of the draft article file")
    if not sources:
        raise InputError("--sources", "no source folder given", "pass --sources DIR with the source articles")
    for s in sources:
        if not Path(s).exists():
            raise InputError(str(s), "source folder not found",
                             "pass --sources DIR, a folder (or file) holding the source articles")


def _prepare_inputs(draft: Path, sources: Sequence[Path]):
    """Load and clean the draft and the sources; drop the draft (or copies of it) from the sources."""
    from .pipeline import prepare

    draft = Path(draft)
    check_inputs(draft, sources)
    dprep = prepare([draft])
    if len(dprep.articles) != 1:
        raise InputError(str(draft), f"expected one draft article, found {len(dprep.articles)}",
                         "give one article per draft file")
    sprep = prepare(list(sources))
    warnings = list(sprep.warnings)
    d_art = dprep.articles[0]
    d_norm = " ".join(d_art.text.split())
    keep_a, keep_r = [], []
    for art, raw in zip(sprep.articles, sprep.raws):
        same_file = Path(art.path).resolve() == draft.resolve()
        if same_file or " ".join(art.text.split()) == d_norm:
            warnings.append(f"{art.path} is the draft itself: not used as a source")
            continue
        if art.id == d_art.id:
            raise InputError(str(draft), f"a source has the same article id ({art.id})",
                             "rename the draft file so its name differs from every source file")
        keep_a.append(art)
        keep_r.append(raw)
    if not keep_a:
        raise InputError(", ".join(map(str, sources)), "no source articles besides the draft",
                         "put the source articles the draft relies on in the --sources folder")
    return d_art, dprep.raws[0], keep_a, keep_r, warnings


def gate(
    draft: Path,
    sources: Sequence[Path],
    policy: Policy | None = None,
    embedder=None,
    reviews_for: Path | None = None,
    config: Config = DEFAULT,
) -> GateResult:
    """Check ``draft`` against the articles in ``sources``; decide publish or blocked.

    ``reviews_for`` is a report path (as given to ``check --out``) whose
    review file says which findings a person accepted or dismissed.
    """
    from .compare import Event, compare_event, finding_id, independent_count, quote_relation
    from .extract import extract_articles
    from .pipeline import line_lookup

    policy = policy or Policy()
    # Read first: a mistyped --reviews fails before any model work, never passes in silence.
    statuses: dict[str, str] = {}
    if reviews_for is not None:
        from .review import review_statuses

        statuses = review_statuses(reviews_for, require=True)
    d_art, d_raw, s_arts, s_raws, warnings = _prepare_inputs(draft, sources)
    results = extract_articles([d_art, *s_arts], min_words=config.min_claim_words)
    d_ac: ArticleClaims = results[0]
    s_acs = results[1:]
    if embedder is None:
        from .pipeline import make_embedder

        embedder = make_embedder()
    claim_vecs, quote_vecs = _embed_all(embedder, results)
    line_of = line_lookup([d_raw, *s_raws], [d_art, *s_arts])
    did = d_art.id

    ev = Event(articles={ac.article.id: ac for ac in results}, claim_vecs=claim_vecs, quote_vecs=quote_vecs,
               config=config, line_of=line_of)

    # One cluster per draft claim: the claim and every source claim telling the same fact.
    src_claims = [c for ac in s_acs for c in ac.claims]
    src_mat = (np.stack([_unit(claim_vecs[c.id]) for c in src_claims]) if src_claims
               else np.zeros((0, 1), np.float32))
    clusters: list[Cluster] = []
    matches: dict[str, list[tuple[float, Claim]]] = {}
    for c in d_ac.claims:
        sims = src_mat @ _unit(claim_vecs[c.id]) if src_claims else np.zeros(0)
        ranked = sorted(((float(s), sc) for s, sc in zip(sims, src_claims)), key=lambda t: (-t[0], t[1].id))
        matches[c.id] = ranked
        members = [sc for s, sc in ranked if s >= config.cluster_threshold]
        if members:
            ids = (c.id, *(m.id for m in members))
            clusters.append(Cluster(id=f"gate-{c.id}", claim_ids=ids,
                                    article_ids=tuple(sorted({did, *(m.article_id for m in members)}))))
    comparison = compare_event(ev, clusters)
    members = {f.id: {v.article_id for v in f.versions} for f in comparison.facts}
    findings = [f for f in comparison.findings
                if _in_draft(f, did) or (f.fact_id is not None and did in members.get(f.fact_id, ()))]


    # Quotes: the draft's quoted words against the sources' quotes and text.
    quote_verdicts: list[QuoteVerdict] = []
    extra: list[Finding] = []
    src_quote_texts = {ac.article.id: [q.text for q in ac.quotes] for ac in s_acs}
    src_text_tokens = {ac.article.id: _tokens(ac.article.text) for ac in s_acs}
    ok_quote_spans: list[tuple[int, int]] = []
    for q in d_ac.quotes:
        qe = ev.evidence(did, q.span.start, q.span.end, f"quote ({q.speaker or 'unattributed'})")
        status, source = _quote_status(q, s_acs, src_quote_texts, src_text_tokens, ev, quote_relation, quote_vecs, did)
        if status == "ignored":
            quote_verdicts.append(QuoteVerdict(text=q.text, line=qe.line, speaker=q.speaker, status=status))
            continue
        quote_verdicts.append(QuoteVerdict(text=q.text, line=qe.line, speaker=q.speaker, status=status, source=source))
        if status in ("verbatim", "trimmed"):
            ok_quote_spans.append((q.span.start, q.span.end))
        elif status == "unattributed":
            extra.append(_gate_finding(
                finding_id, "quote_unattributed", "medium",
                f"Quoted words not quoted by any source: {source.article_id} has them only in its own prose, "
                f"not as anyone's words.", (qe, source)))
        elif status == "unsupported":
            extra.append(_gate_finding(
                finding_id, "quote_unsupported", "high",
                f"Direct quote found in no source ({q.speaker or 'no speaker named'}): check it against the "
                f"original statement or recording.", (qe,)))
        # "altered" comes from compare_event's quote_altered finding.

    # A draft quote that matches one source verbatim is faithful; a source that
    # words the statement differently is the sources' disagreement, not the draft's.
    kept: list[Finding] = []
    for f in findings:
        if f.kind == "quote_altered" and (not _in_draft(f, did) or any(
            e.article_id == did and any(s <= e.start < t for s, t in ok_quote_spans) for e in f.evidence
        )):
            kept.append(f.model_copy(update={
                "kind": "quote_sources_differ", "severity": "info",
                "summary": "The draft quotes one source verbatim; another source words the same statement "
                           "differently. " + f.summary,
            }))
            continue
        kept.append(f)
    findings = kept + extra

    # Claims: supported, contradicted, unsupported.
    claim_verdicts: list[ClaimVerdict] = []
    for c in d_ac.claims:
        ranked = matches[c.id]
        best_cos, best = (ranked[0] if ranked else (0.0, None))
        same = [sc for s, sc in ranked if s >= config.cluster_threshold]
        arts = tuple(sorted({sc.article_id for sc in same}))
        conflicting = [f for f in findings if f.kind in CONFLICT_KINDS
                       and any(e.article_id == did and _overlaps(e, c) for e in f.evidence)]
        status = "contradicted" if conflicting else ("supported" if same else "unsupported")
        indep = independent_count(arts, ev.copies) if arts else 0
        claim_verdicts.append(ClaimVerdict(
            claim_id=c.id, text=c.text, line=line_of(did, c.span.start), status=status, cosine=round(best_cos, 3),
            best_source=ev.claim_evidence(best) if best is not None else None,
            source_articles=arts, independent_sources=indep,
        ))
        if len(c.text.split()) < config.min_claim_words or _is_quote_only(c, ok_quote_spans):
            continue
        ce = ev.claim_evidence(c, "draft claim")
        if status == "unsupported":
            findings.append(_gate_finding(
                finding_id, "unsupported_claim", "low",
                f"No source states this (closest source sentence at cosine {best_cos:.2f}).", (ce,)))
        elif status == "supported" and indep == 1:
            findings.append(_gate_finding(
                finding_id, "single_source", "info",
                f"Only one independent source states this ({', '.join(arts)}).",
                (ce, ev.claim_evidence(same[0], "source"))))

    reasons = []
    for f in sorted(findings, key=lambda f: (ORDER[f.severity], f.kind, f.id)):
        blocks = _blocks(f.kind, f.severity, policy)
        rs = statuses.get(f.id)
        if blocks and policy.accepted_findings_pass and rs in ("accepted", "dismissed"):
            blocks = False
        reasons.append(Reason(kind=f.kind, severity=f.severity, summary=f.summary, evidence=f.evidence,
                              finding_id=f.id, blocks=blocks, review_status=rs, detail=dict(f.detail or {})))
    decision = "blocked" if any(r.blocks for r in reasons) else "publish"
    return GateResult(
        decision=decision,
        draft=d_art.path,
        sources=tuple(a.path for a in s_arts),
        reasons=tuple(reasons),
        claims=tuple(claim_verdicts),
        quotes=tuple(quote_verdicts),
        policy=policy,
        warnings=tuple(warnings),
    )


def _is_quote_only(c: Claim, ok_spans: Sequence[tuple[int, int]]) -> bool:
    """A claim that is mostly a verified quote is already checked through its quote."""
    covered = sum(max(0, min(t, c.span.end) - max(s, c.span.start)) for s, t in ok_spans)
    return covered >= 0.6 * (c.span.end - c.span.start)


def _gate_finding(finding_id, kind: str, severity: str, summary: str, evidence: Sequence[Evidence]) -> Finding:
    ev = tuple(evidence)
    # Finding.kind is the report's closed set; gate kinds are carried through
    # model_construct so the gate can reuse the record without widening it.
    return Finding.model_construct(id=finding_id(kind, ev), kind=kind, severity=severity, summary=summary,
                                   evidence=ev, cluster_id=None, detail={}, review_status=None, review_note=None)


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
