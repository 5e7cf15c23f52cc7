"""Contradictions: stance, negation, antonyms and "no X" against the verb."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from .. import lexicon
from ..extract.numbers import UNITS_WORDS
from ..extract.syntax import NONCOMMITTAL, STANCE_VERBS, claim_syntax
from ..identity import speaker_keys
from ..models import Claim, ClaimSyntax, Cluster, Finding
from .event import Event, make_finding
from .registry import Output, comparator


@lru_cache(maxsize=4096)
def _parse(text: str):
    """A claim parsed on its own: only for claims built without a parse (``Claim.syntax`` is None)."""
    from ..nlp import get_nlp

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


@comparator(
    "stance", rules=(("contradiction", "high", "a source said to take no position in one outlet takes one in another"),)
)
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
                make_finding(
                    "contradiction",
                    "high",
                    f"Stance contradiction: {ev.name(a.article_id)} says {subj_a} took no position; "
                    f"{ev.name(b.article_id)} reports {subj_b} taking one (“{verb_b}”) on the same matter "
                    f"({', '.join(sorted(shared))}).",
                    (ev.claim_evidence(a, "no position"), ev.claim_evidence(b, f"position ({verb_b})")),
                )
            )
    return out


ANTONYMS: dict[str, set[str]] = {}
for _a, _b in (
    ("accept", "reject"),
    ("accept", "decline"),
    ("accept", "refuse"),
    ("confirm", "deny"),
    ("win", "lose"),
    ("rise", "fall"),
    ("increase", "decrease"),
    ("increase", "cut"),
    ("agree", "refuse"),
    ("approve", "reject"),
    ("allow", "ban"),
    ("allow", "forbid"),
    ("support", "oppose"),
    ("survive", "die"),
    ("succeed", "fail"),
    ("open", "close"),
    ("acquit", "convict"),
    ("lift", "impose"),
    ("resign", "stay"),
    ("gain", "lose"),
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


def _candidate_pairs(ev: Event, cluster: Cluster | None, keys_of) -> list[tuple[Claim, Claim]]:
    """Pairs of claims from different articles that share an index key (a verb, an event).

    Across the whole event, not only inside one embedding cluster: a toll in
    a headline and one in a lead are no paraphrases, and neither are "the
    council approved the budget" and "the budget was rejected by the council".
    ``cluster`` narrows the pairs to one cluster (tests, the gate).
    """
    claims = (
        [ev.claims[c] for c in cluster.claim_ids] if cluster is not None else [ev.claims[c] for c in sorted(ev.claims)]
    )
    index: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        for k in sorted(set(keys_of(c))):
            index[k].append(c)
    pairs: set[tuple[str, str]] = set()
    for members in index.values():
        if len(members) > 400:
            continue  # a verb in hundreds of claims ("say") is no candidate key
        for a, b in combinations(members, 2):
            if a.article_id != b.article_id:
                pairs.add((a.id, b.id) if a.article_id < b.article_id else (b.id, a.id))
    return [(ev.claims[x], ev.claims[y]) for x, y in sorted(pairs)]


@comparator(
    "nominal_negation",
    rules=(("contradiction", "medium", "'no X was done' in one outlet, X done in another: often a timing difference"),),
)
def compare_nominal_negation(ev: Event, cluster: Cluster | None = None) -> list[Finding]:
    """ "No charges have been filed" in one outlet vs "X has been charged" in another.

    The negated event noun must name the affirmed verb's event (charges ->
    charge, decision -> decide), the affirmed verb's subject or object must
    be a named participant that the negating claim mentions too, and both
    articles must be from one news cycle. Medium severity: such gaps are often
    timing (one outlet wrote before the charges were announced).
    """

    def keys(c: Claim):
        syn = _syntax(c)
        return [d.event for d in syn.denied] + [e.verb for e in syn.affirmed]

    hits: dict[str, list[tuple[str, tuple]]] = defaultdict(list)
    for a, b in _candidate_pairs(ev, cluster, keys):
        if not ev.same_news_cycle(a.article_id, b.article_id):
            continue
        if cluster is None and ev.cosine(a.id, b.id) < ev.config.negation_min_cosine:
            continue
        for neg, aff in ((a, b), (b, a)):
            syn_neg = _syntax(neg)
            if not syn_neg.denied:
                continue
            names = frozenset(syn_neg.proper)
            affirmed = _syntax(aff).affirmed
            hit = next(
                (
                    (d.event, d.noun, e.verb, shared)
                    for d in syn_neg.denied
                    for e in affirmed
                    if e.verb == d.event and (shared := frozenset(e.names) & names)
                ),
                None,
            )
            if hit is None:
                continue
            event, noun, verb, shared = hit
            hits[f"negation:{event}:{' '.join(sorted(shared))}"].append(
                (
                    f"Contradiction: {ev.name(neg.article_id)} says no {noun} (“{event}”), {ev.name(aff.article_id)} "
                    f"reports {' '.join(sorted(shared))} {verb} as done; often a timing difference (one outlet may "
                    f"have written before the other's news), check which is current.",
                    (
                        ev.claim_evidence(a, "no " + noun if a is neg else verb),
                        ev.claim_evidence(b, "no " + noun if b is neg else verb),
                    ),
                )
            )
            break
    return _merge(hits, "medium", cluster)


def _merge(hits: dict[str, list[tuple[str, tuple]]], severity: str, cluster: Cluster | None) -> list[Finding]:
    """One finding per predicate and participants, with every outlet's sentence, not one per pair."""
    out = []
    for key in sorted(hits):
        items = hits[key]
        evidence, seen = [], set()
        for _, evs in items:
            for e in evs:
                if (e.article_id, e.start) not in seen:
                    seen.add((e.article_id, e.start))
                    evidence.append(e)
        summary = items[0][0]
        if len(items) > 1:
            summary += f" ({len(items)} pairs of outlets)"
        out.append(
            make_finding(
                "contradiction",
                severity,
                summary,
                evidence,
                cluster_id=cluster.id if cluster is not None else None,
                key=key,
            )
        )
    return out


@comparator(
    "polarity",
    rules=(
        (
            "contradiction",
            "high",
            "the same predicate asserted in one outlet and negated, or replaced by its antonym, in another",
        ),
    ),
)
def compare_polarity(ev: Event, cluster: Cluster | None = None) -> list[Finding]:
    """Same predicate and subject, one outlet negates it or uses its antonym.

    Candidates share the verb (or an antonym of it) across the event; the two
    claims must also be close in meaning (a negation flips the fact but keeps
    the cosine high) and from one news cycle.
    """

    def keys_with_antonym_pairs(c: Claim):
        # an antonym pair is indexed under one shared key ("accept~reject")
        ks = []
        for v, _, _ in _predicates(_syntax(c)):
            ks.append(v)
            ks.extend("~".join(sorted((v, w))) for w in ANTONYMS.get(v, ()))
            ks.extend("~".join(sorted((w, v))) for w in ANTONYMS if v in ANTONYMS.get(w, ()))
        return ks

    hits: dict[str, list[tuple[str, tuple]]] = defaultdict(list)
    for a, b in _candidate_pairs(ev, cluster, keys_with_antonym_pairs):
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
                hits[f"polarity:{'~'.join(sorted((va, vb)))}:{' '.join(sorted(sa & sb))}"].append(
                    (
                        f"Contradiction: {ev.name(a.article_id)} and {ev.name(b.article_id)} say opposite things about "
                        f"{' '.join(sorted(sa & sb))} ({why}).",
                        (ev.claim_evidence(a, "statement"), ev.claim_evidence(b, "opposite statement")),
                    )
                )
                break
            else:
                continue
            break
    return _merge(hits, "high", cluster)


# ------------------------------------------------------------------ superlatives

_RANKS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
# Superlatives that rank the same property.
_FAMILIES = {
    "deadliest": "deadly",
    "worst": "worst",
    "strongest": "strong",
    "most powerful": "strong",
    "biggest": "strong",
    "largest": "strong",
    "most intense": "strong",
    "most violent": "strong",
    "most destructive": "destructive",
    "costliest": "destructive",
}
_SUPERLATIVE = re.compile(
    r"\b(?:(second|third|fourth|fifth|2nd|3rd|4th|5th)[\s-]+)?(deadliest|worst|strongest|most powerful|biggest|"
    r"largest|most intense|most violent|most destructive|costliest)\b",
    re.I,
)
# What is ranked: superlatives about different kinds of thing are not compared.
_THING_CLASSES = {
    "fire": "fire",
    "wildfire": "fire",
    "blaze": "fire",
    "bushfire": "fire",
    "quake": "quake",
    "earthquake": "quake",
    "tremor": "quake",
    "temblor": "quake",
    "storm": "storm",
    "hurricane": "storm",
    "typhoon": "storm",
    "cyclone": "storm",
    "flood": "flood",
    "floods": "flood",
    "shipwreck": "wreck",
    "disaster": "disaster",
    "attack": "attack",
}
_EVER = re.compile(r"\bever\b|\bon record\b|\brecorded\b|\bin (?:its|the country's|recorded) history\b", re.I)
_SPAN = re.compile(
    r"\b(?:in|over|since|for)\s+(?:more than\s+|over\s+|nearly\s+|almost\s+|about\s+|the\s+(?:last|past)\s+)?"
    r"(a|one|two|three|four|five|six|seven|eight|nine|ten|\d+)?\s*(century|centuries|decades?|years?)\b",
    re.I,
)
_YEAR_IN = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
# "in three decades", "in a century" (lexicon/numbers.toml).
_NUMBER_WORDS: dict[str, int] = {
    **{w: v for w, v in UNITS_WORDS.items() if 1 <= v <= 10},
    "a": lexicon.table("numbers", "words")["articles"]["a"],
}


@dataclass(frozen=True)
class Superlative:
    claim: Claim
    rank: int
    family: str
    thing: str
    scope: str  # "ever", "span", or "" (none given)
    years: float | None


def _superlatives(claim: Claim) -> list[Superlative]:
    text = claim.text
    if _YEAR_IN.search(text):
        return []  # "Morocco's deadliest quake, near Agadir in 1960": about a past event
    out = []
    for m in _SUPERLATIVE.finditer(text):
        # What is ranked: a noun of a known kind right after ("deadliest U.S. wildfire"), or
        # "the strongest to hit ..." with the kind named before it ("The quake was ...").
        after = re.findall(r"[A-Za-z.]+", text[m.end() : m.end() + 40])[:4]
        thing = next((_THING_CLASSES[w.lower()] for w in after if w.lower() in _THING_CLASSES), None)
        if thing is None and re.match(r"\s+(?:to\s+(?:ever\s+)?(?:hit|strike)|ever\b|on record)", text[m.end() :]):
            before = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 60) : m.start()])
            thing = next((_THING_CLASSES[w.lower()] for w in reversed(before) if w.lower() in _THING_CLASSES), None)
        if thing is None:
            continue
        rank = _RANKS.get((m.group(1) or "").lower(), 1)
        family = _FAMILIES[m.group(2).lower()]
        tail = text[m.end() : m.end() + 80]
        scope, years = "", None
        if _EVER.search(text[max(0, m.start() - 20) : m.end() + 40]):
            scope = "ever"
        else:
            span = _SPAN.search(tail)
            if span:
                n = span.group(1)
                k = _NUMBER_WORDS.get((n or "a").lower()) or (int(n) if n and n.isdigit() else 1)
                unit = span.group(2).lower()
                years = k * (100 if unit.startswith("centur") else 10 if unit.startswith("decade") else 1)
                if unit in {"decades"} and not n:
                    years = None  # "in decades": no figure to compare
                scope = "span"
        out.append(Superlative(claim, rank, family, thing, scope, years))
    return out


def _clash(a: Superlative, b: Superlative) -> str | None:
    if a.family != b.family or a.thing != b.thing:
        return None
    if (
        a.rank != b.rank
        and a.scope == b.scope != ""
        and (a.scope == "ever" or (a.years and b.years and abs(a.years - b.years) <= 0.25 * max(a.years, b.years)))
    ):
        return "ranks"
    if a.rank == b.rank == 1 and {a.scope, b.scope} == {"ever", "span"}:
        return "scope"
    return None


@comparator(
    "superlatives",
    rules=(
        (
            "contradiction",
            "medium",
            'the event ranked differently: "second deadliest" against "deadliest", or "strongest ever" against "strongest in a century"',
        ),
    ),
)
def compare_superlatives(ev: Event) -> Output:
    """Rankings of the event that cannot both hold, across outlets.

    Only superlatives of one property (deadliest; strongest / most powerful /
    biggest) about one kind of thing (a fire, a quake) in sentences about
    the event itself (no past year in the sentence). "In a century", "in more
    than a century" and "in over 100 years" are one span.
    """
    out = Output()
    items = [s for cid in sorted(ev.claims) for s in _superlatives(ev.claims[cid])]
    groups: dict[tuple[str, str], list[Superlative]] = defaultdict(list)
    for s in items:
        groups[(s.family, s.thing)].append(s)
    for key in sorted(groups):
        group = groups[key]
        clashes = [
            (a, b)
            for i, a in enumerate(group)
            for b in group[i + 1 :]
            if a.claim.article_id != b.claim.article_id and _clash(a, b)
        ]
        if not clashes:
            continue
        involved: dict[str, Superlative] = {}
        for a, b in clashes:
            for s in (a, b):
                involved.setdefault(s.claim.id, s)
        evs = [ev.claim_evidence(s.claim, f"ranked {_describe(s)}") for s in involved.values()]
        parts = "; ".join(f"{ev.name(s.claim.article_id)}: {_describe(s)}" for s in involved.values())
        out.findings.append(
            make_finding(
                "contradiction",
                "medium",
                f"The outlets rank the event differently ({parts}); check which holds, and as of when.",
                evs,
                detail={"property": key[0], "thing": key[1]},
                key=f"superlative:{key[0]}:{key[1]}",
            )
        )
    return out


def _describe(s: Superlative) -> str:
    rank = "" if s.rank == 1 else {2: "second ", 3: "third ", 4: "fourth ", 5: "fifth "}[s.rank]
    scope = " ever" if s.scope == "ever" else (f" in {s.years:g} years" if s.years else "")
    return f"{rank}{s.family}{scope}"
