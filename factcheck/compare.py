"""Compare stage: claims clustered across outlets -> findings and agreements.

Precision first. A finding is raised only where the extracted facts (quote
wording, speaker identity, normalised dates, numbers with units, names and
titles, stance of a named source) differ between outlets *about the same
thing*. Embedding similarity decides "the same thing"; it never decides
"different facts" on its own (MiniLM puts "on Monday" and "on Tuesday" at
cosine 0.94).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Callable, Iterable, Sequence

import numpy as np

from .config import Config
from .dates import date_relation
from .entities import AliasIndex, person_key, portfolios, speaker_keys
from .extract import NONCOMMITTAL, STANCE_VERBS, claim_syntax
from .models import (
    Agreement,
    ArticleClaims,
    Claim,
    ClaimSyntax,
    Cluster,
    Evidence,
    Finding,
    Quote,
    SingleSource,
)
from .numbers import numbers_conflict
from .quotes import normalize_quote_text, quote_word_diff
from .severity import ORDER

LineLookup = Callable[[str, int], "int | None"]


def finding_id(kind: str, evidence: Iterable[Evidence]) -> str:
    """Stable id from content: the kind and the normalised evidence texts.

    Offsets are left out on purpose, so re-cleaning that shifts a paragraph
    keeps the id, and so do reordered input files.
    """
    parts = sorted(f"{e.article_id}\x1f{' '.join(e.text.split()).lower()}" for e in evidence)
    digest = hashlib.sha1((kind + "\x1e" + "\x1e".join(parts)).encode("utf-8")).hexdigest()
    return "F-" + digest[:10]


@dataclass
class Event:
    """Everything the comparators need about one group of articles."""

    articles: dict[str, ArticleClaims]
    claim_vecs: dict[str, np.ndarray]
    quote_vecs: dict[tuple[str, int], np.ndarray]
    config: Config
    line_of: LineLookup = lambda article_id, offset: None
    copies: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.claims: dict[str, Claim] = {
            c.id: c for ac in self.articles.values() for c in ac.claims
        }
        self.alias = AliasIndex.build(
            e for ac in self.articles.values() for c in ac.claims for e in c.entities
        )

    def evidence(self, article_id: str, start: int, end: int, role: str | None = None) -> Evidence:
        ac = self.articles[article_id]
        return Evidence(
            article_id=article_id,
            path=ac.article.path,
            start=start,
            end=end,
            text=ac.article.text[start:end],
            line=self.line_of(article_id, start),
            role=role,
        )

    def claim_evidence(self, claim: Claim, role: str | None = None) -> Evidence:
        return self.evidence(claim.article_id, claim.span.start, claim.span.end, role)

    def claim_of(self, article_id: str, offset: int) -> Claim | None:
        for c in self.articles[article_id].claims:
            if c.span.start <= offset < c.span.end:
                return c
        return None

    def same_news_cycle(self, a: str, b: str) -> bool:
        """False when both articles are dated and far apart: facts change over time."""
        pa = self.articles[a].article.published
        pb = self.articles[b].article.published
        return pa is None or pb is None or abs((pa - pb).days) <= self.config.news_cycle_days

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.claim_vecs.get(a), self.claim_vecs.get(b)
        if va is None or vb is None:
            return 0.0
        return float(np.dot(va, vb))


def _finding(kind, severity, summary, evidence, cluster_id=None, detail=None) -> Finding:
    ev = tuple(evidence)
    return Finding(
        id=finding_id(kind, ev),
        kind=kind,
        severity=severity,
        summary=summary,
        evidence=ev,
        cluster_id=cluster_id,
        detail=detail or {},
    )


# --------------------------------------------------------------------- quotes

_WORD = re.compile(r"[a-z0-9]+")


def _tokens(norm: str) -> list[str]:
    return _WORD.findall(norm)


def _contains_run(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


QUOTE_STOPWORDS = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been being it its this that
    these those we our us i me my you your he him his she her they them their there here not no so if then
    than will would can could should do does did have has had just very all any some what which who""".split()
)


def _light(tokens: list[str]) -> list[str]:
    """Tokens without articles and with a plural -s cut, for near-verbatim checks."""
    return [t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t
            for t in tokens if t not in {"a", "an", "the"}]


def quote_relation(a: str, b: str, cosine: float, config: Config) -> str:
    """verbatim | trimmed | altered | different, for two quoted wordings."""
    na, nb = normalize_quote_text(a), normalize_quote_text(b)
    ta, tb = _tokens(na), _tokens(nb)
    if not ta or not tb:
        return "different"
    # "goodwill" / "good will", "policy-maker" / "policy maker": the same wording.
    if ta == tb or "".join(ta) == "".join(tb):
        return "verbatim"
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if _contains_run(short, long) or "".join(short) in "".join(long) and len(short) >= 4:
        return "trimmed"
    # Articles and plural endings only ("the nuclear test" / "nuclear tests"):
    # two renderings of one translation, not words an editor would flag.
    la, lb = _light(ta), _light(tb)
    if la == lb:
        return "verbatim"
    ls, ll = (la, lb) if len(la) <= len(lb) else (lb, la)
    if len(ls) >= 4 and _contains_run(ls, ll):
        return "trimmed"
    # Same statement with other words: enough shared *content* words (two
    # remarks share "the", "we", "will" by chance), or a near-identical meaning
    # with similar length (a re-translation shares few exact words).
    sa, sb = set(ta) - QUOTE_STOPWORDS, set(tb) - QUOTE_STOPWORDS
    if not sa or not sb:
        return "different"
    overlap = len(sa & sb) / min(len(sa), len(sb))
    ratio = len(short) / len(long)
    if len(short) < 4:
        return "different"
    if overlap >= config.quote_same_statement_overlap and ratio >= 0.5:
        return "altered"
    if cosine >= config.quote_same_statement_cosine and ratio >= 0.5 and overlap >= 0.3:
        return "altered"
    return "different"


def _speaker_label(q: Quote) -> str:
    if q.speaker_canonical and q.speaker and q.speaker_canonical not in q.speaker:
        return f"{q.speaker} ({q.speaker_canonical})"
    return q.speaker or "unattributed"


# Heads of news-organisation names ("the state news agency", "The Washington Post").
NEWS_HEADS = frozenset(
    """news agency newspaper paper daily times post journal tribune herald gazette press tv television
    broadcaster radio wire outlet magazine network""".split()
)
# Agencies and broadcasters commonly credited as relays.
NEWS_NAMES = frozenset(
    """kcna yonhap xinhua reuters ap afp bloomberg tass sputnik ria bbc cnn nhk kyodo interfax axios
    politico cbs nbc abc msnbc""".split()
)


def is_news_outlet(speaker: str | None) -> bool:
    """A speaker that is a news organisation ("the state news agency KCNA", "The Washington Post")."""
    if not speaker:
        return False
    words = re.findall(r"[a-z]+", speaker.lower())
    return bool(words) and (words[-1] in NEWS_HEADS or any(w in NEWS_NAMES for w in words))


def _person(q: Quote, alias: AliasIndex | None) -> str | None:
    """The run-wide identity of a person speaker ("Trump" -> "Donald Trump")."""
    name = q.speaker_canonical
    if not name:
        return None
    if alias is not None:
        name = alias.resolve(name) or name
    return name


def speakers_compatible(a: Quote, b: Quote, alias: AliasIndex | None = None) -> tuple[bool, str]:
    """Can both outlets be right about who said it? Returns (ok, why)."""
    if a.speaker_kind in {"unknown"} or b.speaker_kind in {"unknown"}:
        return True, "one credit unknown"
    if a.speaker_kind == "pronoun" or b.speaker_kind == "pronoun":
        # "he said" is resolved by recency inside one article: good enough to
        # label the evidence, too weak to accuse an outlet of misattribution.
        return True, "one credit is a pronoun"
    if {a.speaker_kind, b.speaker_kind} == {"anonymous"}:
        return True, "both anonymous"
    pa, pb = _person(a, alias), _person(b, alias)
    if pa and pb and (person_key(pa) == person_key(pb) or pa.split()[-1].lower() == pb.split()[-1].lower()):
        # One outlet writes "Trump", another "Donald Trump" or "President Trump".
        return True, "same person"
    if is_news_outlet(a.speaker) or is_news_outlet(b.speaker):
        # "KCNA reported", "said in an interview with Reuters": the outlet relays
        # the speaker's words; crediting the relay is not a different speaker.
        return True, "a news outlet relaying the statement"
    ka, ca = speaker_keys(a.speaker, pa)
    kb, cb = speaker_keys(b.speaker, pb)
    if ka & kb:
        return True, "same person or body"
    if "anonymous" in {a.speaker_kind, b.speaker_kind}:
        return False, "named in one outlet, anonymous in another"
    # A bare country or capital ("Beijing", "Washington") speaks for any of its
    # government bodies.
    bare_a = not ka and bool(ca)
    bare_b = not kb and bool(cb)
    if (bare_a or bare_b) and (ca & cb):
        return True, "a government and one of its bodies"
    if not ka or not kb:
        return True, "not enough to tell the speakers apart"
    return False, "different speakers"


RELATION_RANK = {"verbatim": 0, "trimmed": 1, "altered": 2}
# Fragments shorter than this ("lied", "many times") match too many longer
# quotes by chance to say anything about wording or credit.
MIN_COMPARED_QUOTE_WORDS = 4


def compare_quotes(ev: Event) -> list[Finding]:
    """Pair each quote with its best counterpart in every other article, then judge the pair.

    Only mutual best matches are compared, so a quote that appears verbatim
    in another outlet is never also reported as an "altered" version of a
    different remark there that shares a few words.
    """
    findings: list[Finding] = []
    items = [(aid, q) for aid in sorted(ev.articles) for q in ev.articles[aid].quotes
             if len(_tokens(normalize_quote_text(q.text))) >= MIN_COMPARED_QUOTE_WORDS]
    candidates: dict[tuple[int, int], tuple[str, float]] = {}
    for (i, (aa, qa)), (j, (ab, qb)) in combinations(enumerate(items), 2):
        if aa == ab:
            continue
        va = ev.quote_vecs.get((aa, qa.span.start))
        vb = ev.quote_vecs.get((ab, qb.span.start))
        cos = float(np.dot(va, vb)) if va is not None and vb is not None else 0.0
        rel = quote_relation(qa.text, qb.text, cos, ev.config)
        if rel != "different":
            candidates[(i, j)] = (rel, cos)
    best: dict[tuple[int, str], tuple[tuple[int, float], int]] = {}
    for (i, j), (rel, cos) in candidates.items():
        for me, other in ((i, j), (j, i)):
            key = (me, items[other][0])
            score = (RELATION_RANK[rel], -cos)
            if key not in best or score < best[key][0]:
                best[key] = (score, other)
    for (i, j), (rel, cos) in sorted(candidates.items()):
        (aa, qa), (ab, qb) = items[i], items[j]
        if best[(i, ab)][1] != j or best[(j, aa)][1] != i:
            continue
        ea = ev.evidence(aa, qa.span.start, qa.span.end, f"quote ({_speaker_label(qa)})")
        eb = ev.evidence(ab, qb.span.start, qb.span.end, f"quote ({_speaker_label(qb)})")
        ok, why = speakers_compatible(qa, qb, ev.alias)
        if rel == "altered" and not ok:
            # Similar words from two different speakers are two remarks, not
            # one remark altered; and an attribution conflict needs the very
            # same words, so neither finding is raised.
            continue
        if rel == "altered":
            diff = quote_word_diff(qa.text, qb.text)
            findings.append(
                _finding(
                    "quote_altered",
                    "high",
                    f"Direct quote worded differently: {aa} and {ab} put different words in "
                    f"quotation marks for the same statement ({_speaker_label(qa)} / {_speaker_label(qb)}).",
                    (ea, eb),
                    detail={"diff": render_diff(diff), "cosine": f"{cos:.2f}"},
                )
            )
        if not ok:
            sev = "medium" if why.startswith("named in one") else "high"
            findings.append(
                _finding(
                    "quote_attribution",
                    sev,
                    f"Same quote, different speaker: {aa} credits {_speaker_label(qa)}, "
                    f"{ab} credits {_speaker_label(qb)} ({why}).",
                    (ea, eb),
                    detail={"relation": rel},
                )
            )
    return findings


def render_diff(ops: Sequence[tuple[str, str]]) -> str:
    """Word diff as text: unchanged words plain, [-removed-] and {+added+}."""
    out: list[str] = []
    for op, word in ops:
        if op == "=":
            out.append(word)
        elif op == "-":
            out.append(f"[-{word}-]")
        else:
            out.append(f"{{+{word}+}}")
    return re.sub(r"-\] \[-", " ", re.sub(r"\+\} \{\+", " ", " ".join(out)))


# --------------------------------------------------------- claims in clusters

def _pairs(ev: Event, cluster: Cluster) -> Iterable[tuple[Claim, Claim]]:
    claims = [ev.claims[c] for c in cluster.claim_ids]
    for a, b in combinations(claims, 2):
        if a.article_id != b.article_id:
            yield (a, b) if a.article_id < b.article_id else (b, a)


def _source_keys(ev: Event, attribution: str | None) -> frozenset[str]:
    """Identity keys of a claim's reported-speech source (empty when unknown or unresolvable)."""
    if not attribution:
        return frozenset()
    keys, _ = speaker_keys(attribution, ev.alias.resolve(attribution))
    return keys


def different_sources(ev: Event, a: Claim, b: Claim) -> bool:
    """Both claims credit a known source, and the two sources are not the same person or body.

    "The Pentagon said Monday" and "the State Department said Tuesday" date two
    statements, not one; an unknown or pronoun source is never "different".
    """
    ka, kb = _source_keys(ev, a.attribution), _source_keys(ev, b.attribution)
    return bool(ka and kb and not ka & kb)


def compare_dates(ev: Event, cluster: Cluster) -> list[Finding]:
    """Dates of the same event role that cannot both hold.

    Every reporting verb shares the one "statement" role, so statement dates
    are compared only when the two claims do not credit different sources.
    """
    out = []
    for a, b in _pairs(ev, cluster):
        for da in a.dates:
            for db in b.dates:
                if not da.role or da.role != db.role:
                    continue
                if da.role == "statement" and different_sources(ev, a, b):
                    continue
                if date_relation(da, db) != "conflict":
                    continue
                out.append(
                    _finding(
                        "date_conflict",
                        "medium",
                        f"Date differs for the same event ({da.role}): {a.article_id} says "
                        f"“{da.text}” ({da.value}), {b.article_id} says “{db.text}” ({db.value}).",
                        (ev.claim_evidence(a, f"date: {da.text} = {da.value}"),
                         ev.claim_evidence(b, f"date: {db.text} = {db.value}")),
                        cluster_id=cluster.id,
                    )
                )
    return out


def compare_numbers(ev: Event, cluster: Cluster) -> list[Finding]:
    out = []
    for a, b in _pairs(ev, cluster):
        for na in a.numbers:
            for nb in b.numbers:
                if na.is_year or nb.is_year or not na.unit or na.unit != nb.unit:
                    continue
                if na.role and nb.role and na.role != nb.role:
                    continue
                if not numbers_conflict(na, nb, ev.config.approx_tolerance):
                    continue
                out.append(
                    _finding(
                        "number_conflict",
                        "medium",
                        f"Number differs for the same quantity ({na.unit}): {a.article_id} says "
                        f"“{na.text}”, {b.article_id} says “{nb.text}”.",
                        (ev.claim_evidence(a, f"number: {na.text}"), ev.claim_evidence(b, f"number: {nb.text}")),
                        cluster_id=cluster.id,
                    )
                )
    return out


# ------------------------------------------------------------ contradictions

@lru_cache(maxsize=4096)
def _parse(text: str):
    """A claim parsed on its own: only for claims built without a parse (``Claim.syntax`` is None)."""
    from .nlp import get_nlp

    return get_nlp()(text)


@lru_cache(maxsize=4096)
def text_syntax(text: str) -> ClaimSyntax:
    """What the contradiction comparators read off ``text`` parsed on its own."""
    return claim_syntax(_parse(text)[:])


def _syntax(claim: Claim) -> ClaimSyntax:
    """The claim's syntax from the extract stage; parsed here only when it has none."""
    return claim.syntax if claim.syntax is not None else text_syntax(claim.text)


def _subject_and_object(syn: ClaimSyntax) -> tuple[str | None, set[str], str | None, set[str]]:
    """(subject text, object lemmas, main stance verb lemma, all content lemmas) of one sentence."""
    st = syn.stance
    if st is None:
        return None, set(), None, set(syn.content)
    return st.subject, set(st.objects), st.verb, set(syn.content)


def compare_stances(ev: Event, min_cosine: float = 0.4) -> list[Finding]:
    """'X neither confirmed nor denied Y' in one outlet vs 'X blamed Y on ...' in another."""
    out: list[Finding] = []
    noncommittal = [c for c in ev.claims.values() if NONCOMMITTAL.search(c.text)]
    for a in sorted(noncommittal, key=lambda c: c.id):
        subj_a, obj_a, _, _ = _subject_and_object(_syntax(a))
        if not subj_a or not obj_a:
            continue
        keys_a, countries_a = speaker_keys(subj_a, None)
        for b in sorted(ev.claims.values(), key=lambda c: c.id):
            if b.article_id == a.article_id or NONCOMMITTAL.search(b.text) or b.negated:
                continue
            if not ev.same_news_cycle(a.article_id, b.article_id):
                continue
            if ev.cosine(a.id, b.id) < min_cosine:
                continue
            subj_b, _, verb_b, content_b = _subject_and_object(_syntax(b))
            if not subj_b or verb_b not in STANCE_VERBS:
                continue
            keys_b, countries_b = speaker_keys(subj_b, None)
            if not (keys_a & keys_b) or (countries_a and countries_b and not countries_a & countries_b):
                continue
            shared = obj_a & content_b
            if not shared:
                continue
            out.append(
                _finding(
                    "contradiction",
                    "high",
                    f"Stance contradiction: {a.article_id} says {subj_a} took no position; "
                    f"{b.article_id} reports {subj_b} taking one (“{verb_b}”) on the same matter "
                    f"({', '.join(sorted(shared))}).",
                    (ev.claim_evidence(a, "no position"), ev.claim_evidence(b, f"position ({verb_b})")),
                    detail={"cosine": f"{ev.cosine(a.id, b.id):.2f}"},
                )
            )
    return out


ANTONYMS: dict[str, set[str]] = {}
for _a, _b in (
    ("accept", "reject"), ("accept", "decline"), ("accept", "refuse"), ("confirm", "deny"),
    ("win", "lose"), ("rise", "fall"), ("increase", "decrease"), ("increase", "cut"),
    ("agree", "refuse"), ("approve", "reject"), ("allow", "ban"), ("allow", "forbid"),
    ("support", "oppose"), ("survive", "die"), ("succeed", "fail"), ("open", "close"),
    ("acquit", "convict"), ("lift", "impose"), ("resign", "stay"), ("gain", "lose"),
):
    ANTONYMS.setdefault(_a, set()).add(_b)
    ANTONYMS.setdefault(_b, set()).add(_a)


def _predicates(syn: ClaimSyntax) -> list[tuple[str, bool, frozenset[str]]]:
    """(verb lemma, negated, subject lemmas) for the asserted verbs of a claim."""
    return [(p.verb, p.negated, frozenset(p.subject)) for p in syn.predicates]


def negated_nominals(text: str) -> list[tuple[str, str]]:
    """(event verb, noun) for events a sentence says did not happen: "no formal charges have been filed".

    Only "no" + an event noun that is the subject, object or existential
    complement of an asserted, non-negated support verb (file, make, reach,
    be, ...) counts. Parses ``text`` on its own; the comparator reads the
    same from ``Claim.syntax``.
    """
    return [(d.event, d.noun) for d in text_syntax(text).denied]


def affirmed_events(text: str) -> list[tuple[str, frozenset[str]]]:
    """(verb lemma, proper-noun lemmas of its subject and objects) for asserted, non-negated verbs."""
    return [(e.verb, frozenset(e.names)) for e in text_syntax(text).affirmed]


def compare_nominal_negation(ev: Event, cluster: Cluster) -> list[Finding]:
    """"No charges have been filed" in one outlet vs "X has been charged" in another.

    The negated event noun must name the affirmed verb's event (charges ->
    charge, decision -> decide), the affirmed verb's subject or object must
    be a named participant that the negating claim mentions too, and both
    articles must be from one news cycle. Medium severity: such gaps are often
    timing (one outlet wrote before the charges were announced).
    """
    out = []
    for a, b in _pairs(ev, cluster):
        if not ev.same_news_cycle(a.article_id, b.article_id):
            continue
        for neg, aff in ((a, b), (b, a)):
            syn_neg = _syntax(neg)
            if not syn_neg.denied:
                continue
            names = frozenset(syn_neg.proper)
            affirmed = _syntax(aff).affirmed
            hit = next(
                ((d.event, d.noun, e.verb, shared) for d in syn_neg.denied for e in affirmed
                 if e.verb == d.event and (shared := frozenset(e.names) & names)),
                None,
            )
            if hit is None:
                continue
            event, noun, verb, shared = hit
            out.append(
                _finding(
                    "contradiction",
                    "medium",
                    f"Contradiction: {neg.article_id} says no {noun} (“{event}”), {aff.article_id} reports "
                    f"{' '.join(sorted(shared))} {verb} as done; often a timing difference (one outlet may "
                    f"have written before the other's news), check which is current.",
                    (ev.claim_evidence(a, "no " + noun if a is neg else verb),
                     ev.claim_evidence(b, "no " + noun if b is neg else verb)),
                    cluster_id=cluster.id,
                )
            )
            break
    return out


def compare_polarity(ev: Event, cluster: Cluster) -> list[Finding]:
    """Same predicate and subject, one outlet negates it or uses its antonym."""
    out = []
    for a, b in _pairs(ev, cluster):
        if not ev.same_news_cycle(a.article_id, b.article_id):
            continue
        if ev.cosine(a.id, b.id) < ev.config.polarity_min_cosine:
            continue
        preds_b = _predicates(_syntax(b))
        for va, na, sa in _predicates(_syntax(a)):
            for vb, nb, sb in preds_b:
                if not (sa and sb and sa & sb):
                    continue
                if va == vb and na != nb:
                    why = f"“{va}” asserted in one, negated in the other"
                elif vb in ANTONYMS.get(va, ()) and na == nb:
                    why = f"“{va}” vs “{vb}”"
                else:
                    continue
                out.append(
                    _finding(
                        "contradiction",
                        "high",
                        f"Contradiction: {a.article_id} and {b.article_id} say opposite things about "
                        f"{' '.join(sorted(sa & sb))} ({why}).",
                        (ev.claim_evidence(a, "statement"), ev.claim_evidence(b, "opposite statement")),
                        cluster_id=cluster.id,
                    )
                )
                break
            else:
                continue
            break
    return out


# --------------------------------------------------------------------- names

def compare_names(ev: Event) -> list[Finding]:
    out: list[Finding] = []
    seen_first: set[tuple[str, str]] = set()
    titles: dict[str, list[tuple[Claim, str]]] = defaultdict(list)
    for cid in sorted(ev.claims):
        c = ev.claims[cid]
        quoted = [q.span for q in c.quotes]
        for e in c.entities:
            if e.label != "PERSON":
                continue
            # Inside a quotation people call each other by first name
            # ("Donald and I agreed"): that is the speaker's wording, not ours.
            full = None if any(span.contains(e.span) for span in quoted) else \
                ev.alias.first_name_used_as_surname(e.text)
            if full and (c.article_id, e.text) not in seen_first:
                seen_first.add((c.article_id, e.text))
                out.append(
                    _finding(
                        "name_inconsistency",
                        "low",
                        f"First name used as surname: {c.article_id} writes “{e.text}” for {full}.",
                        (ev.claim_evidence(c, f"name: “{e.text}” at chars {e.span.start}-{e.span.end}"),),
                    )
                )
            canon = ev.alias.resolve(e.text)
            if canon and e.title and portfolios(e.title):
                titles[canon].append((c, e.title))
    for person in sorted(titles):
        uses = titles[person]
        for (ca, ta), (cb, tb) in combinations(uses, 2):
            pa, pb = portfolios(ta), portfolios(tb)
            if pa & pb:
                continue
            out.append(
                _finding(
                    "name_inconsistency",
                    "medium",
                    f"Title differs for {person}: “{ta}” ({ca.article_id}) vs “{tb}” ({cb.article_id}).",
                    (ev.claim_evidence(ca, f"title: {ta}"), ev.claim_evidence(cb, f"title: {tb}")),
                )
            )
            break
    return out


# ------------------------------------------------------------ corroboration

def _unquoted(ac: ArticleClaims) -> str:
    """Article text with direct quotes blanked out.

    Two outlets quoting the same statement verbatim is good reporting, not
    wire copy; only the reporters' own words count as copied text.
    """
    text = list(ac.article.text)
    for q in ac.quotes:
        text[q.span.start : q.span.end] = " " * (q.span.end - q.span.start)
    return "".join(text)


def wire_copies(articles: dict[str, ArticleClaims], run_words: int, min_runs: int) -> dict[str, set[str]]:
    """Articles sharing ``min_runs`` or more word runs of ``run_words`` words outside quotes.

    An inverted index over hashed n-grams keeps this linear in corpus size.
    ``min_runs`` counts shared n-grams, so it is a number of copied words
    beyond the first run: 20 means a copied passage of about 30 words.
    """
    index: dict[str, set[str]] = defaultdict(set)
    for aid, ac in articles.items():
        words = re.findall(r"\w+", _unquoted(ac).lower())
        for i in range(0, max(0, len(words) - run_words + 1)):
            index[" ".join(words[i : i + run_words])].add(aid)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for aids in index.values():
        if 1 < len(aids) <= 20:
            for a, b in combinations(sorted(aids), 2):
                shared[(a, b)] += 1
    copies: dict[str, set[str]] = defaultdict(set)
    for (a, b), n in shared.items():
        if n >= min_runs:
            copies[a].add(b)
            copies[b].add(a)
    return dict(copies)


def independent_count(article_ids: Iterable[str], copies: dict[str, set[str]]) -> int:
    """Number of independent sources: wire copies are merged into one."""
    ids = sorted(set(article_ids))
    parent = {a: a for a in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in ids:
        for b in copies.get(a, ()):
            if b in parent:
                parent[find(a)] = find(b)
    return len({find(a) for a in ids})


def corroborate(
    ev: Event, clusters: Sequence[Cluster], findings: Sequence[Finding]
) -> tuple[list[Agreement], list[SingleSource]]:
    disputed: dict[str, set[str]] = defaultdict(set)  # claim id -> articles in conflict
    for f in findings:
        if f.kind == "name_inconsistency":
            continue
        for e in f.evidence:
            c = ev.claim_of(e.article_id, e.start)
            if c:
                disputed[c.id].add(e.article_id)
    all_articles = sorted(ev.articles)
    agreements: list[Agreement] = []
    singles: list[SingleSource] = []
    for cl in clusters:
        claims = [ev.claims[c] for c in cl.claim_ids]
        arts = sorted({c.article_id for c in claims})
        if len(arts) == 1:
            for c in claims:
                if len(c.text.split()) >= ev.config.min_claim_words:
                    singles.append(
                        SingleSource(claim_id=c.id, article_id=c.article_id, evidence=ev.claim_evidence(c))
                    )
            continue
        contra = {a for c in claims for a in disputed.get(c.id, ())}
        indep = independent_count(arts, ev.copies)
        verdict = "disputed" if contra else ("corroborated" if indep >= 2 else "single-source")
        per_outlet = {
            a: ("contradicts" if a in contra else "supports" if a in arts else "silent") for a in all_articles
        }
        rep = min(claims, key=lambda c: (c.article_id, c.index))
        note = None
        if indep < len(arts):
            note = f"{len(arts)} outlets, {indep} independent: some share long word runs (wire copy)"
        agreements.append(
            Agreement(
                cluster_id=cl.id,
                summary=rep.text,
                article_ids=tuple(arts),
                independent_sources=indep,
                verdict=verdict,
                evidence=tuple(ev.claim_evidence(c) for c in sorted(claims, key=lambda c: c.id)),
                per_outlet=per_outlet,
                note=note,
            )
        )
    return agreements, singles


def compare_event(ev: Event, clusters: Sequence[Cluster]) -> tuple[list[Finding], list[Agreement], list[SingleSource]]:
    """All comparators over one event; findings deduplicated and ordered."""
    ev.copies = wire_copies(ev.articles, ev.config.wire_copy_run_words, ev.config.wire_copy_min_runs)
    findings = compare_quotes(ev)
    for cl in clusters:
        findings += compare_dates(ev, cl)
        findings += compare_numbers(ev, cl)
        findings += compare_polarity(ev, cl)
        findings += compare_nominal_negation(ev, cl)
    findings += compare_stances(ev)
    findings += compare_names(ev)
    unique: dict[str, Finding] = {}
    for f in findings:
        unique.setdefault(f.id, f)
    ordered = sorted(unique.values(), key=lambda f: (ORDER[f.severity], f.kind, f.id))
    agreements, singles = corroborate(ev, clusters, ordered)
    return ordered, agreements, singles
