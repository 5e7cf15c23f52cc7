"""Figures: each quantity of an article with what it counts, read off the parse.

A ``NumberMention`` says "820"; a ``Figure`` says "820 deaths, at least, given
by the interior ministry on Saturday, in the headline". The comparator puts
every figure of an event into a *slot* (measure + what is counted + where +
when it belongs to) and compares the versions of each slot across outlets, so a
toll in a headline meets a toll in a lead although the two sentences are no
paraphrases.

The measure comes from a lexicon (``lexicon/measures.toml``): the counted noun
("1,293 deaths"), the verb the counted thing is subject or object of ("killed
820 people", "2,059 were wounded"), a total's subject ("the death toll has
risen to 2,960"), or a word right after the figure ("49 dead"). Headlines parse
badly with a small model, so a short lexical window backs the parse up there.
A figure that matches no measure is not returned: the comparator only compares
what it knows it is comparing.

Nothing is guessed: a figure whose measure, place or year is unclear keeps
None there, and the comparator treats None as "not known", never as a match.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from ..lexicon import load
from ..models import DateMention, Figure, FigureBound, NumberBound, NumberMention, Span
from ..nlp import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    severity: str
    verbs: frozenset[str]
    nouns: frozenset[str]
    adjectives: frozenset[str]
    phrases: tuple[str, ...]
    things: frozenset[str]
    units: frozenset[str]
    precision: float | None


@dataclass(frozen=True)
class Lexicon:
    measures: dict[str, Measure]
    generic_people: frozenset[str]
    total_verbs: frozenset[str]
    total_nouns: frozenset[str]
    lower_bound_verbs: frozenset[str]
    approx_verbs: frozenset[str]
    earlier_words: frozenset[str]
    increment_words: frozenset[str]
    presumed_words: frozenset[str]
    event_things: frozenset[str]
    other_things: frozenset[str]
    directions: frozenset[str]
    length_km: dict[str, float]


def _read_toml(name: str) -> dict:
    return load(name.removesuffix(".toml"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = _read_toml("measures.toml")
    measures = {
        name: Measure(
            name=name,
            label=t.get("label", name),
            severity=t.get("severity", "medium"),
            verbs=frozenset(t.get("verbs", ())),
            nouns=frozenset(t.get("nouns", ())),
            adjectives=frozenset(t.get("adjectives", ())),
            phrases=tuple(t.get("phrases", ())),
            things=frozenset(t.get("things", ())),
            units=frozenset(t.get("units", ())),
            precision=t.get("precision"),
        )
        for name, t in raw.items()
    }
    f = _read_toml("figures.toml")
    return Lexicon(
        measures=measures,
        generic_people=frozenset(f["generic_people"]),
        total_verbs=frozenset(f["total_verbs"]),
        total_nouns=frozenset(f["total_nouns"]),
        lower_bound_verbs=frozenset(f["lower_bound_verbs"]),
        approx_verbs=frozenset(f["approx_verbs"]),
        earlier_words=frozenset(f["earlier_words"]),
        increment_words=frozenset(f["increment_words"]),
        presumed_words=frozenset(f["presumed_words"]),
        event_things=frozenset(f["event_things"]),
        other_things=frozenset(f["other_things"]),
        directions=frozenset(f["directions"]),
        length_km=dict(f["length_km"]),
    )


# Words between a counted noun and its state: "850 people are still listed as missing".
PASS_THROUGH = frozenset(
    {
        "were",
        "are",
        "was",
        "is",
        "have",
        "had",
        "been",
        "be",
        "remain",
        "remained",
        "remains",
        "still",
        "now",
        "reported",
        "listed",
        "feared",
        "confirmed",
        "believed",
        "presumed",
        "left",
        "as",
        "being",
        "officially",
        "may",
        "might",
        "could",
        "would",
        "will",
        "must",
        "also",
    }
)
# Counted nouns that name the people rather than what happened to them: the
# verb decides ("104 survivors" were rescued, "9 survivors" were arrested).
PERSON_NOUNS = frozenset({"survivor", "passenger", "victim", "evacuee"})
# "bodies" count the dead only when recovered, found, counted.
BODY_NOUNS = frozenset({"body", "corpse", "remains"})
BODY_VERBS = frozenset({"recover", "find", "retrieve", "pull", "wash", "discover", "count", "be", "identify"})
INHERIT = "<inherit>"
FRACTIONS = frozenset({"half", "third", "quarter", "fifth", "tenth", "percent"})
CURRENCIES = frozenset({"usd", "eur", "gbp", "jpy", "cny", "inr"})
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)(?:['’]s)?$")
_MEASURE_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "pobj", "conj", "appos", "npadvmod", "nummod", "dep", "oprd"}


# ------------------------------------------------------------------ parse helpers


def _tokens(doc: "Doc", span: Span) -> "SpacySpan | None":
    return doc.char_span(span.start, span.end, alignment_mode="expand")


def _value_token(toks: "SpacySpan") -> "Token":
    """The last numeric token of a mention ("at least 820" -> 820, "$5.5 billion" -> billion)."""
    nums = [t for t in toks if t.like_num or t.pos_ == "NUM"]
    return nums[-1] if nums else toks[-1]


def _clause_verb(tok: "Token") -> "Token | None":
    """Nearest verb above ``tok`` (itself included)."""
    for _ in range(10):
        if tok.pos_ in {"VERB", "AUX"}:
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _lemma(tok: "Token") -> str:
    return tok.lemma_.lower()


def _noun_words(tok: "Token", sent: "SpacySpan") -> set[str]:
    """Lemmas of a noun and its compounds/amods/of-objects: "the death toll" -> {death, toll}."""
    out = {_lemma(tok), tok.lower_}
    for c in tok.children:
        if not (sent.start <= c.i < sent.end):
            continue
        if c.dep_ in {"compound", "amod", "nmod"}:
            out |= {_lemma(c), c.lower_}
        if c.dep_ == "prep" and c.lower_ == "of":
            for o in c.children:
                if o.dep_ == "pobj":
                    out |= {_lemma(o), o.lower_}
                    out |= {_lemma(x) for x in o.children if x.dep_ in {"compound", "amod"}}
    return out


def _counted_noun(num: "Token", sent: "SpacySpan") -> "Token | None":
    """The noun a figure counts: "820 people" -> people, "1,293 deaths" -> deaths."""
    if (
        num.dep_ in {"nummod", "quantmod", "compound", "amod", "nmod"}
        and num.head.pos_ in {"NOUN", "PROPN"}
        and num.head.i > num.i
        and sent.start <= num.head.i < sent.end
    ):
        return num.head
    nxt = num.i + 1
    # "6.8-magnitude quake": the hyphen splits the compound.
    while nxt < sent.end and num.doc[nxt].text in {"-", "–"}:
        nxt += 1
    if nxt < sent.end:
        t = num.doc[nxt]
        if t.pos_ in {"NOUN", "PROPN"} and (
            t.head.i == num.i or t.head.i > t.i or t.dep_ in {"compound", "nsubj", "dobj"}
        ):
            return t
    return None


def _measure_of_words(words: Iterable[str], lex: Lexicon, kinds: tuple[str, ...]) -> str | None:
    for w in words:
        for m in lex.measures.values():
            for k in kinds:
                if w in getattr(m, k):
                    return m.name
    return None


def _total_subject_measure(verb: "Token", sent: "SpacySpan", lex: Lexicon) -> str | None:
    """ "the death toll has risen to ...", "the number of injuries was ...": the measure the total is of."""
    for c in verb.children:
        if c.dep_ not in {"nsubj", "nsubjpass", "dobj", "attr"} or not (sent.start <= c.i < sent.end):
            continue
        words = _noun_words(c, sent)
        if not words & lex.total_nouns and _lemma(c) not in {"death", "injury", "fatality"}:
            # "deaths reached 1,591": the subject itself is the measure noun.
            m = _measure_of_words([_lemma(c)], lex, ("nouns",))
            if m:
                return m
            continue
        found = _measure_of_words(sorted(words - lex.total_nouns), lex, ("nouns", "verbs", "adjectives"))
        if found:
            return found
        if words & {"toll"}:
            return "deaths"  # a bare "toll" in disaster copy is the death toll
        if words & lex.total_nouns:
            return INHERIT  # "limited the number to just four": the measure of the figure before
    return None


@dataclass
class _Found:
    measure: str
    inherited: bool = False
    bound_from_verb: NumberBound | None = None  # "at_least" for "crossed two thousand"
    verb: "Token | None" = None


def _after_conversion(doc: "Doc", k: int, end: int) -> int:
    """Skip a bracketed conversion: "18 kilometers (11 miles) below" -> the index of "below"."""
    if k < end and doc[k].text == "(":
        j = k
        while j < end and doc[j].text != ")":
            j += 1
        if j < end:
            return j + 1
    return k


def _find_measure(
    num: "Token", toks: "SpacySpan", sent: "SpacySpan", lex: Lexicon, unit: str | None, headline: bool
) -> _Found | None:
    doc = num.doc
    counted = _counted_noun(num, sent)
    counted_lemma = _lemma(counted) if counted is not None else None
    # 1. A word right after the figure or its counted noun: "49 dead", "1,000 people missing",
    #    "nine arrested" (not across "and": "killed 1,300 people and injured hundreds").
    k = _after_conversion(doc, (counted.i if counted is not None else toks.end - 1) + 1, sent.end)
    for t in doc[k : min(sent.end, k + 4)]:
        if t.is_punct or t.pos_ in {"CCONJ", "ADP"} and t.lower_ not in {"on", "as"}:
            break
        m = _measure_of_words([t.lower_, _lemma(t)], lex, ("adjectives",))
        if m:
            return _Found(m)
        if t.pos_ in {"VERB", "AUX"} and t.lower_ not in PASS_THROUGH:
            break
    while k < sent.end and doc[k].lower_ in PASS_THROUGH:
        k += 1
    after = " ".join(t.lower_ for t in doc[k : min(sent.end, k + 5)])
    for measure in lex.measures.values():
        if any(after == p or after.startswith(p + " ") for p in measure.phrases):
            return _Found(measure.name)
    # 2. The counted noun names the measure ("1,293 deaths", "104 survivors", "6.8-magnitude").
    deferred: str | None = None
    if counted_lemma:
        assert counted is not None  # counted_lemma is set only when counted is
        m = _measure_of_words([counted_lemma, counted.lower_], lex, ("nouns",))
        if m and counted_lemma in PERSON_NOUNS:
            deferred = m  # "arrested 9 survivors": the verb says what is counted
        elif m and counted_lemma in BODY_NOUNS:
            verb = _clause_verb(counted)
            if verb is None or _lemma(verb) not in BODY_VERBS:
                return None  # "30 bodies were loaded onto trucks" is no toll
            return _Found(m)
        elif m:
            return _Found(m)
    # "magnitude 6.8", "6.8-magnitude", "magnitude-7"
    near = [doc[j] for j in (num.i - 1, num.i + 1, num.i + 2) if sent.start <= j < sent.end]
    not_a_magnitude = unit is not None and (unit in lex.length_km or unit in CURRENCIES or unit == "percent")
    if not not_a_magnitude and (
        any(t.lower_.startswith("magnitude") for t in near[:2])
        or (len(near) == 3 and near[1].text in {"-", "–"} and near[2].lower_.startswith("magnitude"))
    ):
        return _Found("magnitude")
    # 3. Headlines parse badly: the nearest measure word in a short window ("Kills at Least 820",
    #    "toll rises to 61").
    blocked = counted_lemma is not None and (
        any(counted_lemma in m.things for m in lex.measures.values()) or counted_lemma in lex.length_km
    )
    if headline and not blocked:
        window = [
            doc[j]
            for j in range(max(sent.start, toks.start - 4), min(sent.end, toks.end + 3))
            if not toks.start <= j < toks.end
        ]
        for t in sorted(window, key=lambda t: (abs(t.i - num.i), t.i)):
            if t.like_num:
                break
            m = _measure_of_words([t.lower_, _lemma(t)], lex, ("verbs", "nouns", "adjectives"))
            if m and not lex.measures[m].things and not lex.measures[m].units and m not in {"magnitude", "depth"}:
                return _Found(m)
    # 4. Up the tree to the clause verb: "killed 820 people", "2,059 were wounded",
    #    "the toll has risen to 2,960", "the number of injuries was 6,125".
    node = counted if counted is not None else num
    for _ in range(6):
        head = node.head
        if head.i == node.i or not (sent.start <= head.i < sent.end):
            break
        node = head
        lemma = _lemma(node)
        if node.pos_ in {"VERB", "AUX", "ADJ"}:
            m = _measure_of_words([lemma], lex, ("verbs",))
            if m and _things_ok(lex.measures[m], counted_lemma, sent):
                return _Found(m, verb=node)
            for c in node.children:
                if not (sent.start <= c.i < sent.end):
                    continue
                # "were confirmed dead", "listed as missing"
                cands = (
                    [c]
                    if c.dep_ in {"acomp", "oprd", "xcomp"}
                    else [g for g in c.children if g.dep_ in {"pobj", "amod", "acomp", "pcomp"}]
                    if c.dep_ == "prep" and c.lower_ == "as"
                    else []
                )
                for g in cands:
                    m = _measure_of_words([g.lower_, _lemma(g)], lex, ("adjectives",))
                    if m:
                        return _Found(m, verb=node)
                # "taken to the port's hospital"
                if (
                    c.dep_ == "prep"
                    and c.lower_ == "to"
                    and any(_lemma(o) == "hospital" for o in c.children if o.dep_ == "pobj")
                ):
                    return _Found("hospitalised", verb=node)
            if lemma in lex.total_verbs:
                m = _total_subject_measure(node, sent, lex)
                if m:
                    bound: NumberBound | None = (
                        "at_least" if lemma in lex.lower_bound_verbs else "about" if lemma in lex.approx_verbs else None
                    )
                    return _Found(m, bound_from_verb=bound, verb=node)
            break
        if node.pos_ in {"NOUN", "PROPN"}:
            words = _noun_words(node, sent)
            if words & lex.total_nouns:
                m = _measure_of_words(sorted(words - lex.total_nouns), lex, ("nouns", "verbs", "adjectives"))
                if m or "toll" in words:
                    return _Found(m or "deaths")
            m = _measure_of_words([lemma], lex, ("nouns",))
            if m in {"magnitude", "depth"}:
                return _Found(m)
    if deferred:
        return _Found(deferred)
    # 5. Depth and Richter cues nearby ("at a depth of 18.5 km", "measured it at 7 on the Richter scale").
    near = [
        doc[j]
        for j in range(max(sent.start, toks.start - 4), _after_conversion(doc, toks.end, sent.end) + 3)
        if j < sent.end
    ]
    near_words = {t.lower_ for t in near} | {_lemma(t) for t in near}
    if unit is None and "richter" in near_words:
        return _Found("magnitude")
    if unit in lex.length_km and near_words & {"depth", "deep", "below", "beneath", "underground"}:
        return _Found("depth")
    return None


def _things_ok(m: Measure, counted: str | None, sent: "SpacySpan") -> bool:
    if not m.things:
        return True
    return counted is not None and counted in m.things


# ------------------------------------------------------------------ qualifiers


def _group(counted: "Token | None", lex: Lexicon, measure: str) -> str | None:
    """A sub-group counted separately ("children", "crew"); None for people in general."""
    if counted is None or measure in {"magnitude", "depth", "distance", "cost", "fare", "buildings"}:
        return None
    lemma = _lemma(counted)
    if lemma in lex.generic_people or counted.lower_ in lex.generic_people:
        return None
    if any(lemma in m.nouns or lemma in m.adjectives for m in lex.measures.values()):
        return None  # "1,293 deaths": the noun is the measure, not a group
    if counted.pos_ == "PROPN" or lemma in lex.total_nouns:
        return None
    return lemma


def _thing(num: "Token", counted: "Token | None", sent: "SpacySpan", lex: Lexicon) -> str | None:
    """What a magnitude or depth belongs to: the event itself (None) or an aftershock."""
    cands = []
    if counted is not None:
        cands.append(counted)
    verb = _clause_verb(num)
    if verb is not None:
        cands += [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    cands += [t for t in sent if abs(t.i - num.i) <= 3]
    for t in cands:
        lemma = _lemma(t)
        if lemma in lex.other_things:
            return lemma
        if lemma in lex.event_things:
            return None
    return None


def _distance_parts(toks: "SpacySpan", sent: "SpacySpan", lex: Lexicon) -> tuple[str | None, str | None, str | None]:
    """(direction, anchor place, located thing) of "71 km southwest of Marrakesh"."""
    doc = toks.doc
    direction = anchor = None
    k = toks.end
    # the unit word ("50 miles"), unless glued to the figure ("71km")
    while k < sent.end and (doc[k].lower_.rstrip("s") in lex.length_km or doc[k].lower_ in lex.length_km):
        k += 1
    # skip a parenthesised conversion: "44 miles (71 kilometres) southwest of"
    if k < sent.end and doc[k].text == "(":
        while k < sent.end and doc[k].text != ")":
            k += 1
        k += 1
    while k < sent.end and doc[k].lower_ in {"to", "the"}:
        k += 1
    if k < sent.end:
        w = re.sub(r"[^a-z\-]", "", doc[k].lower_)
        w = w.rstrip("t") if w.rstrip("t") in lex.directions else w
        if w in lex.directions:
            direction = w.replace("-", "").replace("ern", "")
            k += 1
    if k < sent.end and doc[k].lower_ in {"of", "from", "off"}:
        k += 1
        # "from the southern coastal town of Pylos": up to the name
        stop = min(sent.end, k + 6)
        while k < stop and not (doc[k].pos_ == "PROPN" or doc[k].ent_type_ in {"GPE", "LOC", "FAC"}):
            if doc[k].is_punct or doc[k].pos_ in {"VERB", "AUX"}:
                break
            k += 1
        names = []
        while k < sent.end and (doc[k].pos_ == "PROPN" or doc[k].ent_type_ in {"GPE", "LOC", "FAC"}):
            names.append(doc[k].text)
            k += 1
        if names:
            anchor = " ".join(names)
    located = None
    # "In the village of Amizmiz, some 60 km south of Marrakech", "a resident of
    # Essaouira, 200 km west of": a name right before the distance, set off by a comma.
    k = toks.start - 1
    while k >= sent.start and doc[k].lower_ in {"some", "about", "around", "nearly", "roughly", "only", "just"}:
        k -= 1
    if anchor and k - 1 >= sent.start and doc[k].text == "," and doc[k - 1].pos_ == "PROPN":
        j = k - 1
        while j - 1 >= sent.start and doc[j - 1].pos_ == "PROPN":
            j -= 1
        return direction, anchor, doc[j:k].text
    if anchor:
        # the located thing: the subject of the clause, or the noun the phrase is apposed to
        verb = _clause_verb(toks.root)
        subj = None
        if verb is not None:
            subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        head = toks.root.head
        for cand in (head if head.pos_ in {"PROPN", "NOUN"} and head.i < toks.start else None, subj):
            if cand is None:
                continue
            lemma = _lemma(cand)
            if lemma in lex.event_things:
                located = None
                break
            if lemma in lex.other_things:
                located = lemma
                break
            if cand.pos_ == "PROPN" or cand.ent_type_ in {"GPE", "LOC", "FAC"}:
                located = cand.text
                break
            if lemma in {"village", "town", "city", "resident", "area"}:
                # "the village of Tafeghaghte, 60 kilometres southwest of ..."
                named = [t.text for t in cand.subtree if t.pos_ == "PROPN"]
                located = " ".join(named) or lemma
                break
    return direction, anchor, located


def _place(
    num: "Token", counted: "Token | None", sent: "SpacySpan", countries: frozenset[str]
) -> tuple[str | None, bool]:
    """A place the figure is given for ("15 in Marrakech") and whether it reads as a breakdown.

    A breakdown is a figure in a list of places ("1,293 in Al Haouz, 452 in
    Taroudant"), or one introduced by "In X, where ..." / "where": the rest of
    the story's toll is elsewhere. Countries are never breakdowns here.
    """
    anchors = [t for t in (num, counted, _clause_verb(num)) if t is not None]
    for a in anchors:
        for c in a.children:
            if c.dep_ == "prep" and c.lower_ == "in" and sent.start <= c.i < sent.end:
                obj = next((o for o in c.children if o.dep_ == "pobj"), None)
                if obj is None or not (obj.ent_type_ in {"GPE", "LOC", "FAC"} or obj.pos_ == "PROPN"):
                    continue
                name = _proper_name(obj)
                if not name or name.lower() in countries:
                    continue
                # several places with "in" in one sentence: a breakdown list
                places_in_sent = sum(
                    1
                    for t in sent
                    if t.lower_ == "in"
                    and any(
                        o.dep_ == "pobj" and (o.pos_ == "PROPN" or o.ent_type_ in {"GPE", "LOC", "FAC"})
                        for o in t.children
                    )
                )
                fronted = c.i < (num.i if counted is None else counted.i) and c.i <= sent.start + 1
                return name, places_in_sent >= 2 or fronted
    # "In Marrakech, where 13 people were confirmed dead"
    verb = _clause_verb(num)
    if verb is not None and verb.dep_ == "relcl" and any(c.lower_ == "where" for c in verb.children):
        head = verb.head
        if head.ent_type_ in {"GPE", "LOC", "FAC"} or head.pos_ == "PROPN":
            if head.text.lower() not in countries:
                return head.text, True
    return None, False


def _proper_name(tok: "Token") -> str:
    """A name as written: the token with its compounds ("Al Haouz Province"), no conjuncts."""
    parts = [t for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [tok]
    parts = sorted(parts, key=lambda t: t.i)
    lo, hi = parts[0].i, parts[-1].i + 1
    return tok.doc[lo:hi].text if tok.pos_ == "PROPN" or tok.ent_type_ in {"GPE", "LOC", "FAC"} else ""


def _year(num: "Token", sent: "SpacySpan", prev_year: int | None) -> int | None:
    """A year the figure belongs to ("In 2004, at least 628 people were killed").

    The year must hang off the figure's own clause, or off the noun whose
    relative clause holds the figure ("2018's Camp Fire ..., which killed 86").
    A sentence opening on "It"/"They" carries on the previous sentence's year.
    """
    verb = _clause_verb(num)
    for t in sent:
        m = _YEAR.match(t.text)
        if not m or t.i == num.i or t.ent_type_ not in {"DATE", ""} and t.ent_type_ != "CARDINAL":
            if not m:
                continue
        if t.i == num.i:
            continue
        tv = _clause_verb(t)
        if (
            verb is not None
            and tv is not None
            and (tv.i == verb.i or verb in set(tv.subtree) and verb.dep_ in {"advcl", "conj", "xcomp", "acl"})
        ):
            # "In April 2015, a vessel capsized ..., killing an estimated 1,100"
            return int(m.group(1))
        if verb is not None and verb.dep_ == "relcl" and t in set(verb.head.subtree) and t not in set(verb.subtree):
            return int(m.group(1))
        if verb is None and tv is None:
            return int(m.group(1))
    first = sent[0] if len(sent) else None
    if prev_year is not None and first is not None and first.lower_ in {"it", "they", "that", "this"}:
        return prev_year
    return None


def _has_word_before(doc: "Doc", toks: "SpacySpan", sent: "SpacySpan", words: frozenset[str], width: int) -> bool:
    lo = max(sent.start, toks.start - width)
    return any(doc[k].lower_ in words for k in range(lo, toks.start))


def _earlier(
    num: "Token", toks: "SpacySpan", sent: "SpacySpan", counted: "Token | None", lex: Lexicon, verb: "Token | None"
) -> bool:
    """A value the text itself says was replaced."""
    doc = num.doc
    # "a previous toll of 2,122", "the initial count of 18 km"
    node = num
    for _ in range(4):
        if node.head.i == node.i:
            break
        node = node.head
        if any(c.lower_ in lex.earlier_words and c.dep_ in {"amod", "advmod", "compound"} for c in node.children):
            return True
        if node.pos_ in {"VERB", "AUX"}:
            break
    v = verb or _clause_verb(num)
    for _ in range(3):
        # the figure's verb, and the reporting verbs it hangs under ("had previously
        # announced that the death toll was 2,946")
        if v is None:
            break
        kids = list(v.children)
        if any(
            c.lower_ in {"previously", "initially", "earlier", "originally", "first"}
            and c.dep_ in {"advmod", "npadvmod", "amod"}
            for c in kids
        ):
            return True
        # "had put the death toll at six": past perfect of a total verb
        if any(c.lower_ == "had" and c.dep_ == "aux" for c in kids) and _lemma(v) in lex.total_verbs:
            return True
        if v.dep_ not in {"ccomp", "xcomp"} or v.head.i == v.i:
            break
        v = v.head
    # "revised from 79 to 78", "up from 36"
    prev = doc[toks.start - 1] if toks.start > sent.start else None
    if prev is not None and prev.lower_ == "from":
        return True
    # "Earlier Wednesday, ..." opening the sentence
    if len(sent) and sent[0].lower_ in {"earlier", "previously", "initially"}:
        return True
    return False


def _increment(
    num: "Token",
    toks: "SpacySpan",
    sent: "SpacySpan",
    counted: "Token | None",
    found: _Found,
    lex: Lexicon,
    earlier_measures: set[str],
) -> bool:
    doc = num.doc
    prev = doc[toks.start - 1] if toks.start > sent.start else None
    if prev is not None and prev.lower_ == "by" and prev.head.pos_ == "VERB":
        return True  # "rose by nine"
    nxt = doc[toks.end] if toks.end < sent.end else None
    if nxt is not None and nxt.lower_ == "more" and found.measure in earlier_measures:
        return True  # "17 more"
    if prev is not None and prev.lower_ in lex.increment_words - {"more"}:
        # "another 17 on Thursday" adds to a total just given; "another 672 people
        # were injured" after a death toll is a total of its own.
        return found.inherited or found.measure in earlier_measures
    return False


def _interval(
    n: NumberMention, bound: str, precision: float | None, tolerance: float, measurement: bool
) -> tuple[float | None, float | None]:
    """The values a figure allows: its written precision, widened by its hedge.

    Counts are exact as written ("820" is 820, "1.2 million" is 1.15-1.25
    million); measurements are good to half their last digit ("71 km" is
    70.5-71.5), or to the measure's own precision ("magnitude 7" is 7.0, so
    6.95-7.05). "About N" allows ``tolerance`` of N; "at least" and "at most"
    are open on one side (None).
    """
    from .numbers import rounding_step  # the rounding a written figure implies

    v = n.value
    if precision is not None:
        half = precision / 2
    else:
        step = rounding_step(n)
        half = step / 2 if (measurement or step > 1 or step < 1) else 0.0
    if bound == "about":
        d = max(abs(v) * tolerance, half)
        return v - d, v + d
    if bound == "at_least":
        return v, None
    if bound == "at_most":
        return None, v
    return v - half, v + half


def _scale_of(text: str) -> float:
    low = text.lower()
    for word, f in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if word in low:
            return f
    return 1.0


def _ranges(doc: "Doc", numbers: Sequence[NumberMention]) -> dict[int, tuple[int, str]]:
    """Pairs of numbers that form one range ("between 400 and 750", "700 to 750").

    Returns {index of the first: (index of the second, range kind)}.
    """
    out: dict[int, tuple[int, str]] = {}
    text = doc.text if hasattr(doc, "text") else ""
    for i in range(len(numbers) - 1):
        a, b = numbers[i], numbers[i + 1]
        gap = text[a.span.end : b.span.start]
        before = text[max(0, a.span.start - 9) : a.span.start].lower()
        if re.fullmatch(r"\s*(?:and)\s*", gap) and before.rstrip().endswith("between"):
            out[i] = (i + 1, "between")
        elif re.fullmatch(r"\s*(?:to|-|–)\s*", gap) and a.unit in (None, b.unit) and not a.is_year and not b.is_year:
            if a.bound == "exact" and b.bound == "exact" and b.value > a.value:
                out[i] = (i + 1, "to")
    return out


def extract_figures(
    doc: "Doc",
    numbers: Sequence[NumberMention],
    sentences: Sequence[tuple[int, int]],
    dates: Sequence[DateMention],
    headline: Span | None,
    source_of: Callable[[int, int], str | None],
    countries: frozenset[str] = frozenset(),
    tolerance: float = 0.1,
) -> list[Figure]:
    """Every figure of ``doc`` whose measure the lexicon knows, in text order.

    ``numbers`` are the article's number mentions (``extract_numbers``),
    ``sentences`` its sentence ranges, ``source_of(start, end)`` the reported
    speech source of a sentence (or None).
    """
    lex = lexicon()
    text = doc_text(doc)
    nums = [n for n in numbers if not n.is_year and n.unit != "years old"]
    ranges = _ranges(doc, nums)
    in_range = {j for j, _ in ranges.values()}
    out: list[Figure] = []
    prev_year: int | None = None
    prev_sentence: tuple[int, int] | None = None
    sentence_measures: dict[tuple[int, int], set[str]] = {}
    last_found: dict[tuple[int, int], tuple[int, _Found]] = {}
    for i, n in enumerate(nums):
        if i in in_range:
            continue
        sent_range = next(((s, e) for s, e in sentences if s <= n.span.start < e), None)
        if sent_range is None:
            continue
        sent = doc.char_span(sent_range[0], sent_range[1], alignment_mode="expand")
        toks = _tokens(doc, n.span)
        if sent is None or toks is None:
            continue
        num = _value_token(toks)
        is_head = headline is not None and headline.start <= n.span.start < headline.end
        unit = n.unit
        if i in ranges and (unit is None or unit not in CURRENCIES) and nums[ranges[i][0]].unit in CURRENCIES:
            unit = nums[ranges[i][0]].unit  # "between 4,000 and 6,000 euros"
        elif i in ranges and unit is None:
            unit = nums[ranges[i][0]].unit
        if _subset(doc, toks, sent):
            continue  # "including 205 in a critical condition": part of the figure before, not a total
        length = lex.length_km.get(unit or "") if unit else None
        found = _find_measure(num, toks, sent, lex, unit, is_head)
        direction = anchor = located = None
        if length is not None:
            direction, anchor, located = _distance_parts(toks, sent, lex)
            if found is None or found.measure != "depth" or anchor:
                found = _Found("distance") if anchor else (found if found and found.measure == "depth" else None)
        if found is None and unit in CURRENCIES:
            window = {(_lemma(t)) for t in doc[max(sent.start, toks.start - 8) : min(sent.end, toks.end + 6)]}
            window |= {t.lower_ for t in doc[max(sent.start, toks.start - 8) : min(sent.end, toks.end + 6)]}
            m = next(
                (m.name for m in lex.measures.values() if "currency" in m.units and (window & (m.nouns | m.verbs))),
                None,
            )
            if m:
                found = _Found(m)
        if found is not None and found.measure == INHERIT:
            prev = last_found.get(sent_range)
            found = _Found(prev[1].measure, inherited=True) if prev is not None else None
        if found is None:
            # A figure in a list after one with a measure: "1,293 deaths in Al Haouz, 452 in Taroudant".
            prev = last_found.get(sent_range)
            if prev is not None and n.unit is None and _listed_after(doc, nums[prev[0]], n, text):
                found = _Found(prev[1].measure, inherited=True)
        if found is None:
            continue
        measure = lex.measures.get(found.measure)
        if measure is not None and measure.units and unit not in CURRENCIES:
            continue
        counted = _counted_noun(num, sent)
        if (found.measure not in {"distance", "depth"}) == (length is not None):
            continue  # "71 km" is no death toll, and a depth needs a length
        if _partitive(num, toks, sent) or (counted is not None and _lemma(counted) in FRACTIONS):
            continue  # "2,530 of them", "Three of my grandchildren": a part of something unnamed
        if found.measure in {"magnitude"} and (unit in lex.length_km or unit in CURRENCIES or n.value > 10):
            continue
        bound: FigureBound = n.bound
        if found.bound_from_verb and bound == "exact":
            bound = found.bound_from_verb
        value = n.value
        low: float | None
        high: float | None
        span = n.span
        if i in ranges:
            j, _kind = ranges[i]
            b = nums[j]
            lo_v = n.value * (
                _scale_of(b.text) if _scale_of(n.text) == 1.0 and b.value >= 1000 and n.value < 1000 else 1.0
            )
            start = n.span.start
            before = text[max(0, start - 8) : start]
            if before.lower().rstrip().endswith("between"):
                start = start - (len(before) - before.lower().rfind("between"))
            span = Span(start=start, end=b.span.end)
            low, high = lo_v, b.value
            bound = "range"
            unit = unit if unit in CURRENCIES or unit is None else (b.unit if b.unit in CURRENCIES else unit)
        else:
            prec = measure.precision if measure is not None else None
            low, high = _interval(
                n,
                bound,
                prec,
                tolerance,
                measurement=length is not None or unit in CURRENCIES or found.measure == "magnitude",
            )
        if length is not None:
            low = None if low is None else low * length
            high = None if high is None else high * length
            unit = "km"
        sm = sentence_measures.setdefault(sent_range, set())
        year = _year(num, sent, prev_year if prev_sentence and prev_sentence[1] <= sent_range[0] else None)
        place, breakdown = _place(num, counted, sent, countries)
        verb = found.verb or _clause_verb(num)
        hedged = any(
            t.lower_ in lex.presumed_words for t in doc[max(sent.start, toks.start - 6) : min(sent.end, toks.end + 5)]
        ) or any(
            t.lower_ in {"may", "might", "could"} and t.dep_ == "aux"
            for t in (verb.children if verb is not None else ())
        )
        retracted = toks.start > sent.start and doc[toks.start - 1].lower_ == "not"
        fig = Figure(
            span=span,
            text=text[span.start : span.end],
            sentence=Span(start=sent_range[0], end=sent_range[1]),
            value=value,
            low=low,
            high=high,
            bound=bound,
            unit="km" if length is not None else (unit if unit in CURRENCIES or unit == "percent" else None),
            measure=found.measure,
            counted=_lemma(counted) if counted is not None else None,
            group=_group(counted, lex, found.measure),
            place=place,
            breakdown=breakdown,
            year=year,
            thing=located
            if found.measure == "distance"
            else (_thing(num, counted, sent, lex) if found.measure in {"magnitude", "depth"} else None),
            direction=direction,
            anchor=anchor,
            earlier=_earlier(num, toks, sent, counted, lex, found.verb),
            increment=_increment(num, toks, sent, counted, found, lex, sm),
            retracted=retracted,
            presumed=hedged,
            source=source_of(sent_range[0], sent_range[1]),
            time=_time_of(dates, sent_range, verb),
            headline=is_head,
        )
        if (
            out
            and not fig.earlier
            and out[-1].earlier
            and out[-1].sentence == fig.sentence
            and re.fullmatch(r"[\w\s]{0,30}\band\s*", text[out[-1].span.end : fig.span.start])
        ):
            # "a previous toll of 2,122 dead and 2,400 wounded": both are the previous figures
            fig = fig.model_copy(update={"earlier": True})
        if _is_update(doc, sent):
            fig = fig.model_copy(update={"update": True})
        out.append(fig)
        sm.add(found.measure)
        last_found[sent_range] = (i, found)
        if year is not None:
            prev_year = year
        elif prev_sentence != sent_range:
            prev_year = year
        prev_sentence = sent_range
    return out


def _is_update(doc: "Doc", sent: "SpacySpan") -> bool:
    """The sentence says its figure replaces an earlier one: "the death toll is now 93", "the latest toll"."""
    words = {t.lower_ for t in sent}
    return bool(words & {"now", "latest", "updated"})


def _time_of(dates: Sequence[DateMention], sent_range: tuple[int, int], verb: "Token | None") -> str | None:
    """The day a figure is given for: a date on its own verb, else one on the statement."""
    inside = [
        d
        for d in dates
        if sent_range[0] <= d.span.start < sent_range[1]
        and d.granularity in {"day", "unknown"}
        and not re.search(r"\d{4}", d.text)
    ]
    lemma = _lemma(verb) if verb is not None else None
    for want in (lemma, "statement"):
        for d in inside:
            if d.role == want:
                return d.text
    return None


def _subset(doc: "Doc", toks: "SpacySpan", sent: "SpacySpan") -> bool:
    """ "..., including 205 in a critical condition", "among them 40 children": a part of a figure just given."""
    before = [doc[k].lower_ for k in range(max(sent.start, toks.start - 2), toks.start)]
    return bool(set(before) & {"including", "among", "incl"})


def _partitive(num: "Token", toks: "SpacySpan", sent: "SpacySpan") -> bool:
    doc = num.doc
    k = toks.end
    if k + 1 < sent.end and doc[k].lower_ == "of":
        nxt = doc[k + 1]
        return nxt.pos_ == "PRON" or nxt.lower_ in {
            "my",
            "his",
            "her",
            "their",
            "our",
            "its",
            "your",
            "whom",
            "which",
            "those",
            "these",
        }
    return False


def _listed_after(doc: "Doc", first: NumberMention, n: NumberMention, text: str) -> bool:
    """``n`` continues a list that ``first`` began: only places, commas and "and" between."""
    gap = text[first.span.end : n.span.start]
    if len(gap) > 80 or re.search(r"[.;:!?]", gap):
        return False
    return bool(re.fullmatch(r"[\w\s'’\-]*?(?:,|\band\b)[\w\s,'’\-]*", gap)) and bool(re.search(r"\bin\b", gap))


def conversion_pairs(figures: Sequence[Figure], text: str) -> list[tuple[int, int]]:
    """Pairs (i, j) where figure j is figure i converted in brackets: "71 kilometres (44 miles)"."""
    out = []
    for i in range(len(figures) - 1):
        a, b = figures[i], figures[i + 1]
        gap = text[a.span.end : b.span.start]
        if a.unit == b.unit == "km" and re.fullmatch(r"[^()]{0,12}\(\s*", gap):
            out.append((i, i + 1))
    return out


def interval_overlaps(a: Figure, b: Figure) -> bool:
    lo_a = -math.inf if a.low is None else a.low
    hi_a = math.inf if a.high is None else a.high
    lo_b = -math.inf if b.low is None else b.low
    hi_b = math.inf if b.high is None else b.high
    return lo_a <= hi_b and lo_b <= hi_a
