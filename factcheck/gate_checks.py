"""The gate's fact checks: each figure, quantity, day, name and title of a draft against the sources.

``gate.py`` runs the report's comparators (``compare.compare_event``) over the
draft and the sources; that finds what the draft *contradicts*. A draft can
also *invent*: a figure no source gives, inside a sentence that is otherwise
true, or a weekday for a statement whose sources are undated. This module
looks at every fact of the draft one by one and says, for each, which source
versions support it, which contradict it, or that no source has it:

* **figures** the lexicon knows (deaths, injured, on board, magnitude, ...):
  filed in the comparator's own slots (``compare.figures.figure_slots``); a
  source version *supports* the draft's figure when everything the source
  allows is also allowed by the draft (the source "78" supports the draft
  "at least 70"; the source "at least 59" does not support "120", which is
  only *compatible* with it);
* **other quantities** ("14 requests", "24 combat aircraft"): a source
  quantity with a value the draft's allows and the same counted noun, or the
  same value in a source sentence telling the same fact;
* **dates**: the dates of one statement or happening (same role as the
  comparators use: reporting verbs are one "statement" role, other verbs a
  happening with shared participants), compared as calendar values when both
  sides resolve, and by weekday name or month and day when a source is
  undated (assumed written within a week of the draft);
* **names**: a spelling no source uses, one or two letters from one they use;
* **titles and ranks**: a title that cannot be right beside the sources'
  titles for that person (the report's ``entities.title_conflict``: other
  portfolio, other military rank, a man's role for a woman's).

Every function returns verdicts keyed by the draft span they judge; ``gate``
turns them into reasons and reconciles them with the comparator's findings
(keeping the report's finding id where the report flags the same thing).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Iterable, Literal, Sequence

from .compare import Event
from .compare.figures import compatible, figure_slots
from .compare.happenings import different_sources
from .compare.people import NAME_LABELS, _near
from .extract.dates import MONTHS, WEEKDAYS, date_relation
from .extract.figures import lexicon
from .identity import ROLE_WORDS, name_parts, title_conflict
from .models import Claim, DateMention, EntityMention, Evidence, Figure, NumberMention, Span
from .places import country_names, spelling_key

Verdict = Literal["supported", "conflict", "unsupported", "differ", "variant"]

# The gate's own thresholds (the report's live in config.py).
#
# Two claims with a statement date tell the same statement when they share
# this many content words *and* this share of the shorter claim's: every
# sentence about one event shares "China", "meeting", "Austin", so a count
# alone would pair a Monday statement with a Tuesday briefing.
STATEMENT_MIN_SHARED = 3
STATEMENT_MIN_SHARE = 0.4
# An undated source's weekday is compared with the draft's only under the
# assumption that both were written within one week (a "Monday" more than a
# week away is another Monday). The gate says so in its output.
SAME_WEEK_ASSUMPTION = (
    "undated sources are assumed to be written within one week of the draft: their "
    "weekday names are compared with the draft's for the same statement or happening"
)
# Quantities written as these words are everywhere in paraphrase ("the two
# countries" / "the two superpowers") and are checked only with a counted noun.
_VAGUE_VALUES = frozenset({1.0, 2.0})


@dataclass
class Item:
    """The verdict on one fact of the draft."""

    check: Literal["figure", "quantity", "date", "name", "title"]
    verdict: Verdict
    claim: Claim  # the draft sentence
    start: int  # the draft span judged (offsets in the draft's cleaned text)
    end: int
    text: str
    label: str  # what the fact is ("deaths", "requests", "statement date", "Li Shangfu")
    supports: list[Evidence] = field(default_factory=list)  # source versions that agree
    conflicts: list[Evidence] = field(default_factory=list)  # source versions that cannot both hold
    fact_key: str | None = None  # the report's Fact.key when the fact is one of the report's
    detail: dict[str, str | int | float | bool] = field(default_factory=dict)
    note: str = ""  # why, in words


# ------------------------------------------------------------------ helpers


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= t for s, t in spans)


def _claim_at(claims: Sequence[Claim], offset: int) -> Claim | None:
    for c in claims:
        if c.span.start <= offset < c.span.end:
            return c
    return None


def _participants(claim: Claim, verb: str | None) -> frozenset[str]:
    """Content lemmas of a claim without the verb the date hangs off (as ``compare.happenings`` reads them)."""
    if claim.syntax is None:
        return frozenset()
    return frozenset(claim.syntax.content) - {verb or ""}


def _names(claim: Claim) -> frozenset[str]:
    return frozenset(claim.syntax.proper) if claim.syntax is not None else frozenset()


def _fig_interval(f: Figure) -> tuple[float, float]:
    return (-math.inf if f.low is None else f.low, math.inf if f.high is None else f.high)


def _supports(src: tuple[float, float], draft: tuple[float, float], margin: float = 0.0) -> bool:
    """Everything the source allows is allowed by the draft: the source says at least what the draft says."""
    lo, hi = draft
    lo = lo - abs(lo) * margin - 1e-9 if math.isfinite(lo) else lo
    hi = hi + abs(hi) * margin + 1e-9 if math.isfinite(hi) else hi
    return lo <= src[0] and src[1] <= hi


def _num_interval(n: NumberMention, tolerance: float) -> tuple[float, float]:
    """The values a quantity allows: its written precision, widened by its hedge (as figures.py reads it)."""
    from .extract.numbers import (
        rounding_step,  # the rounding a written number implies; figures.py reads it the same way
    )

    v = n.value
    step = rounding_step(n)
    half = step / 2 if step != 1 else 0.0
    if n.bound == "about":
        d = max(abs(v) * tolerance, half)
        return v - d, v + d
    if n.bound == "at_least":
        return v, math.inf
    if n.bound == "at_most":
        return -math.inf, v
    return v - half, v + half


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] + 1e-9 and b[0] <= a[1] + 1e-9


def _unit_key(unit: str | None) -> str | None:
    """One key per counted thing: "people", "persons", "migrants" and "men" all count people."""
    if unit is None:
        return None
    u = unit.lower()
    if u in {"people", "person", "persons", "individual"} or u in lexicon().generic_people:
        return "person"
    return u[:-1] if len(u) > 3 and u.endswith("s") and not u.endswith("ss") else u


_RANGE_JOIN = re.compile(r"\s*(?:and|to|or|-|–|—)\s*$")


def counted_units(numbers: Sequence[NumberMention], text: str) -> dict[int, str | None]:
    """Each number's counted noun; the two ends of a range share one ("400 and 750 people")."""
    nums = sorted(numbers, key=lambda n: n.span.start)
    units = {n.span.start: n.unit for n in nums}
    for _ in range(2):  # both directions: the tagger hangs the noun on either end
        for a, b in zip(nums, nums[1:]):
            if _RANGE_JOIN.match(text[a.span.end : b.span.start]):
                ua, ub = units[a.span.start], units[b.span.start]
                if ua is None or ub is None:
                    units[a.span.start] = units[b.span.start] = ua or ub
    return units


# Digits the tagger lost to an entity ("brought 104 survivors": 104 tagged PRODUCT)
# are still figures of the text: read them with the word after them.
_RAW_NUMBER = re.compile(r"(?<![\w.,$€£])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w%]|[.,]\d)")
_NEXT_WORD = re.compile(r"\s+([a-z][a-z’'-]*)")


def numbers_of(claim: Claim, text: str, figures: Sequence[Figure] = ()) -> list[NumberMention]:
    """The claim's quantities, plus bare digits no extracted number, date or figure covers."""
    taken = [(n.span.start, n.span.end) for n in claim.numbers] + [(d.span.start, d.span.end) for d in claim.dates]
    taken += [(f.span.start, f.span.end) for f in figures]
    out = list(claim.numbers)
    for m in _RAW_NUMBER.finditer(text, claim.span.start, claim.span.end):
        s, e = m.start(), m.end()
        if any(a <= s < b or s <= a < e for a, b in taken):
            continue
        before = text[max(claim.span.start, s - 20) : s]
        prev = re.search(r"(\S+)\s+$", before)
        if prev and prev.group(1)[:1].isupper() and not re.search(r"[.!?:]\s*$", before[: prev.start()] or "."):
            continue  # "Boeing 737", "Route 66": part of a name
        value = float(m.group(0).replace(",", ""))
        nxt = _NEXT_WORD.match(text, e)
        unit = None
        if nxt and nxt.group(1) not in {"and", "or", "to", "of", "in", "on", "at", "the", "a", "an", "was", "were"}:
            word = nxt.group(1)
            unit = "people" if word == "people" else (word[:-1] if len(word) > 3 and word.endswith("s") else word)
        if unit is None and 1900 <= value <= 2100:
            continue  # a year
        out.append(NumberMention(span=Span(start=s, end=e), text=text[s:e], value=value, unit=unit))
    return out


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


# ------------------------------------------------------------------ figures


def _same_bound_value(src: Figure, draft: Figure) -> bool:
    """ "at least 628" in the source, "628" in the draft: the number is the source's, only its hedge is gone."""
    return _open(src) and src.bound in ("at_least", "at_most") and draft.bound == "exact" and src.value == draft.value


def _open(f: Figure) -> bool:
    """A bound, not a value ("at least 59", "up to 400"): it rules nothing in on its open side."""
    return f.low is None or f.high is None


def figure_key(slot: tuple) -> str:
    """The report's ``Fact.key`` of a figure slot (as ``compare.figures`` writes it)."""
    return "figure:" + "|".join("" if x is None else str(x) for x in slot)


def check_figures(ev: Event, did: str, skip: Sequence[tuple[int, int]], quantity_support) -> list[Item]:
    """Every lexicon figure of the draft against the same slot's source versions.

    ``quantity_support(claim, number)`` is the quantity check, the last
    resort for a figure whose slot no source fills (the source's figure may
    carry another measure or place, its number is still there).
    """
    slots = figure_slots(ev)
    draft_claims = ev.articles[did].claims
    numbers = {n.span.start: n for c in draft_claims for n in c.numbers}
    out: list[Item] = []
    for key, items in sorted(slots.items(), key=lambda kv: repr(kv[0])):
        mine = [it for it in items if it.article_id == did]
        if not mine:
            continue
        theirs = [it for it in items if it.article_id != did]
        same_measure = [it for k, its in slots.items() if k[0] == key[0] for it in its if it.article_id != did]
        margin = ev.config.measurement_margin if key[0] in {"distance", "depth"} else 0.0
        for it in mine:
            f = it.fig
            if _inside(f.span.start, f.span.end, skip):
                continue
            claim = _claim_at(draft_claims, f.span.start)
            if claim is None:
                continue
            pool = [s for s in theirs if s.relation == "current"] if it.relation == "current" else theirs
            ev_of = lambda s: ev.evidence(  # noqa: E731
                s.article_id, s.fig.sentence.start, s.fig.sentence.end, f"{s.fig.measure}: {s.fig.text}"
            )
            backing = [
                s
                for s in pool
                if _supports(_fig_interval(s.fig), _fig_interval(f), margin) or _same_bound_value(s.fig, f)
            ]
            clash = [s for s in pool if not compatible(f, s.fig, ev.config.measurement_margin)]
            label = key[0].replace("_", " ")
            item = Item(
                "figure",
                "supported",
                claim,
                f.span.start,
                f.span.end,
                f.text,
                label,
                fact_key=figure_key(key),
                detail={"measure": key[0], "value": f.value},
            )
            if backing:
                item.supports = [ev_of(s) for s in backing]
                item.conflicts = [ev_of(s) for s in clash]
                item.verdict = "differ" if clash else "supported"
            elif clash and it.relation == "current" and all(_open(s.fig) for s in pool if s not in clash):
                item.verdict = "conflict"
                item.conflicts = [ev_of(s) for s in clash]
                item.note = (
                    f"the draft's {label} figure “{f.text}” is given by no source and cannot hold beside "
                    + "; ".join(f"{ev.name(s.article_id)} “{s.fig.text}”" for s in clash[:6])
                )
            else:
                alt = [
                    s
                    for s in same_measure
                    if _supports(_fig_interval(s.fig), _fig_interval(f), margin) or _same_bound_value(s.fig, f)
                ]
                num = numbers.get(f.span.start) or next(
                    (
                        n
                        for n in claim.numbers
                        if n.span.start <= f.span.start < n.span.end or f.span.start <= n.span.start < f.span.end
                    ),
                    None,
                )
                q = quantity_support(claim, num) if num is not None else []
                if alt or q:
                    item.supports = [ev_of(s) for s in alt] or q
                else:
                    item.verdict = "unsupported"
                    item.conflicts = [ev_of(s) for s in pool if s not in backing]
                    given = "; ".join(f"{ev.name(s.article_id)} “{s.fig.text}”" for s in pool[:6])
                    item.note = f"no source gives {label} “{f.text}”" + (
                        f" (the sources give {given}, which do not say it)" if given else ""
                    )
            out.append(item)
    return out


# --------------------------------------------------------------- quantities


class QuantityIndex:
    """Every source quantity, by counted noun, for "does any source give this number?"."""

    def __init__(self, ev: Event, did: str, tolerance: float) -> None:
        self.ev = ev
        self.tolerance = tolerance
        self.entries: list[tuple[Claim, NumberMention, tuple[float, float], str | None]] = []
        for aid, ac in sorted(ev.articles.items()):
            if aid == did:
                continue
            for c in ac.claims:
                nums = numbers_of(c, ac.article.text, ac.figures)
                units = counted_units(nums, ac.article.text)
                for n in nums:
                    if not n.is_year:
                        self.entries.append((c, n, _num_interval(n, tolerance), _unit_key(units[n.span.start])))

    def support(self, claim: Claim, n: NumberMention, related: set[str] | None = None) -> list[Evidence]:
        """Source sentences that give ``n``: the same counted noun with a value the draft's allows, or
        the same value in a sentence telling the same fact (``related`` claim ids, or shared content)."""
        mine = _num_interval(n, self.tolerance)
        ac = self.ev.articles[claim.article_id]
        units = counted_units(numbers_of(claim, ac.article.text, ac.figures), ac.article.text)
        unit = _unit_key(units.get(n.span.start, n.unit))
        words = _participants(claim, None)
        out: list[Evidence] = []
        for sc, sn, interval, sunit in self.entries:
            same_value = n.bound == "exact" and (
                sn.value == n.value or (sn.bound == "exact" and _overlap(interval, mine))
            )
            if not _supports(interval, mine) and not same_value:
                continue
            if unit is not None and sunit == unit:
                out.append(self.ev.claim_evidence(sc, f"number: {sn.text}"))
                continue
            if unit is not None and sunit is not None and n.value in _VAGUE_VALUES:
                continue  # "two" of something else
            near = related is not None and sc.id in related
            shared = len(words & _participants(sc, None))
            if near or shared >= STATEMENT_MIN_SHARED:
                out.append(self.ev.claim_evidence(sc, f"number: {sn.text}"))
        return out

    def same_noun(self, n: NumberMention, unit: str | None) -> list[tuple[Claim, NumberMention]]:
        unit = _unit_key(unit)
        return [(sc, sn) for sc, sn, _, su in self.entries if unit is not None and su == unit]


def _counted_end(text: str, n: NumberMention) -> int:
    """Where the draft's words for a quantity end: "14" -> "14 requests", "24" -> "24 combat aircraft"."""
    if not n.unit:
        return n.span.end
    stem = n.unit.lower()[:4]
    pos = n.span.end
    for k, m in enumerate(re.finditer(r"[\s-]+([\w’']+)", text[n.span.end : n.span.end + 60])):
        if k >= 3 or m.start() != pos - n.span.end or m.group(1)[:1].isdigit() or m.group(1) in {"and", "to", "or"}:
            break
        pos = n.span.end + m.end()
        if m.group(1).lower().startswith(stem):
            return pos
    return n.span.end


def check_quantities(
    ev: Event, did: str, skip: Sequence[tuple[int, int]], index: QuantityIndex, related: dict[str, set[str]]
) -> list[Item]:
    """Quantities outside the lexicon ("14 requests", "600 delegates"): does a source give them?"""
    ac = ev.articles[did]
    known = [(f.span.start, f.span.end) for f in ac.figures]
    out: list[Item] = []
    for c in ac.claims:
        nums = numbers_of(c, ac.article.text, ac.figures)
        units = counted_units(nums, ac.article.text)
        for n in nums:
            if n.is_year or _inside(n.span.start, n.span.end, skip):
                continue
            if any(s <= n.span.start < t or n.span.start <= s < n.span.end for s, t in known):
                continue  # a lexicon figure: check_figures judges it
            unit = units[n.span.start]
            if unit is None and n.value in _VAGUE_VALUES:
                continue
            end = _counted_end(ac.article.text, n)
            text = ac.article.text[n.span.start : end]
            label = f"{_fmt(n.value)} {unit}" if unit else n.text
            item = Item(
                "quantity",
                "supported",
                c,
                n.span.start,
                end,
                text,
                label,
                detail={"value": n.value, **({"counted": unit} if unit else {})},
            )
            hits = index.support(c, n, related.get(c.id, set()))
            if hits:
                item.supports = hits
            else:
                item.verdict = "unsupported"
                others = index.same_noun(n, unit)
                item.conflicts = [ev.claim_evidence(sc, f"number: {sn.text}") for sc, sn in others[:4]]
                given = "; ".join(f"{ev.name(sc.article_id)} “{sn.text}”" for sc, sn in others[:4])
                item.note = f"no source gives “{text}”" + (f" (the sources give {given})" if given else "")
            out.append(item)
    return out


# -------------------------------------------------------------------- dates


def _weekday(d: DateMention) -> int | None:
    """The weekday a mention names, or the weekday of the day it resolves to."""
    names = [i for i, w in enumerate(WEEKDAYS) if re.search(rf"\b{w}\b", d.text.lower())]
    if len(names) == 1:
        return names[0]
    if d.granularity == "day" and d.start is not None and d.start == d.end:
        return d.start.weekday()
    return None


_MONTH_DAY = re.compile(
    r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\b"
)


def _month_day(d: DateMention) -> tuple[int, int] | None:
    if d.granularity == "day" and d.start is not None and d.start == d.end:
        return d.start.month, d.start.day
    m = _MONTH_DAY.search(d.text)
    if not m:
        return None
    name, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    month = MONTHS.get(name.lower())
    return (month, int(day)) if month and 1 <= int(day) <= 31 else None


# Verbs whose dates date no happening of their own (as ``compare.happenings`` skips them).
_NO_HAPPENING = frozenset(
    {"be", "have", "do", "make", "take", "get", "go", "come", "continue", "begin", "become", "remain", "see", "expect"}
)


def _relation(a: DateMention, b: DateMention, b_dated: bool) -> tuple[str, str]:
    """(same | conflict | unknown, basis) for a draft date ``a`` and a source date ``b``."""
    rel = date_relation(a, b)
    if rel in ("same", "compatible"):
        return "same", "calendar dates"
    if rel == "conflict":
        return "conflict", "calendar dates"
    if b_dated and b.value is not None:
        return "unknown", ""
    wa, wb = _weekday(a), _weekday(b)
    if wa is not None and wb is not None:
        return (
            ("same" if wa == wb else "conflict"),
            "weekday names, the source undated and assumed written within a week of the draft",
        )
    ma, mb = _month_day(a), _month_day(b)
    if ma is not None and mb is not None:
        return ("same" if ma == mb else "conflict"), "month and day, the source undated"
    return "unknown", ""


def _counts(ev: Event, c: Claim) -> dict[str, list]:
    """What a sentence counts, by measure or counted noun, with the values it gives."""
    out: dict[str, list] = {}
    for f in ev.articles[c.article_id].figures:
        if c.span.start <= f.span.start < c.span.end:
            out.setdefault("figure:" + f.measure, []).append(f)
    for n in c.numbers:
        if not n.is_year and n.unit:
            out.setdefault("noun:" + (_unit_key(n.unit) or ""), []).append(n)
    return out


def _other_update(ev: Event, a: Claim, b: Claim) -> bool:
    """Both sentences count the same thing with values that cannot both hold: two updates ("the toll rose
    to 93 on Saturday", "rose to 99 on Monday"), not one happening dated two ways."""
    ca, cb = _counts(ev, a), _counts(ev, b)
    for key in ca.keys() & cb.keys():
        if key.startswith("figure:"):
            if not any(compatible(x, y, ev.config.measurement_margin) for x in ca[key] for y in cb[key]):
                return True
        elif not {x.value for x in ca[key]} & {y.value for y in cb[key]}:
            return True
    return False


def _same_statement(ev: Event, a: Claim, b: Claim, related: set[str], verb: str | None) -> bool:
    if different_sources(ev, a, b) or _other_update(ev, a, b):
        return False
    if b.id in related:
        return True
    pa, pb = _participants(a, verb), _participants(b, verb)
    if not pa or not pb:
        return False
    shared = len(pa & pb)
    return shared >= STATEMENT_MIN_SHARED and shared >= STATEMENT_MIN_SHARE * min(len(pa), len(pb))


def _same_happening(ev: Event, a: Claim, b: Claim, related: set[str], role: str) -> bool:
    """Same verb, and participants in common: content words or names ("Austin", "Singapore").

    Names count here (not for statements, where "the Pentagon" and "China"
    stand in every sentence): a paraphrase keeps the names of who did what
    where ("travel to Singapore ... to take part" / "... to participate").
    """
    if _other_update(ev, a, b):
        return False
    pa, pb = _participants(a, role) | _names(a), _participants(b, role) | _names(b)
    if not pa or not pb:
        return b.id in related
    return len(pa & pb) >= ev.config.happening_min_shared_words


def _fmt_date(d: DateMention) -> str:
    return f"“{d.text}”" + (f" ({d.value})" if d.value else "")


def check_dates(
    ev: Event, did: str, skip: Sequence[tuple[int, int]], related: dict[str, set[str]], compare_weekdays: bool = True
) -> tuple[list[Item], list[str]]:
    """Every draft date of a statement or happening against the sources' dates of the same one.

    Returns the verdicts and, in words, the comparisons that could not be made
    (an undated source's "yesterday" against the draft's "Tuesday").
    """
    out: list[Item] = []
    unknown: list[str] = []
    draft = ev.articles[did]
    sources = [(aid, ac) for aid, ac in sorted(ev.articles.items()) if aid != did]
    src_quotes = {aid: [(q.span.start, q.span.end) for q in ac.quotes] for aid, ac in sources}
    for c in draft.claims:
        for d in c.dates:
            if not d.role or d.role in _NO_HAPPENING or _inside(d.span.start, d.span.end, skip):
                continue
            if d.granularity in ("year", "range", "unknown") and _weekday(d) is None:
                continue  # "in 2018", "since 1959": background, not the story's own days
            same: list[Evidence] = []
            clash: list[Evidence] = []
            bases: set[str] = set()
            undecided: list[str] = []
            for aid, ac in sources:
                dated = ac.article.published is not None
                for sc in ac.claims:
                    for sd in sc.dates:
                        if sd.role != d.role or _inside(sd.span.start, sd.span.end, src_quotes[aid]):
                            continue
                        if sd.granularity in ("year", "range") and _weekday(sd) is None:
                            continue
                        if d.role == "statement":
                            if not _same_statement(ev, c, sc, related.get(c.id, set()), d.role):
                                continue
                        elif not _same_happening(ev, c, sc, related.get(c.id, set()), d.role):
                            continue
                        rel, basis = _relation(d, sd, dated)
                        if rel != "same" and basis.startswith("weekday") and not compare_weekdays:
                            rel, basis = "unknown", ""
                        e = ev.claim_evidence(sc, f"date: {sd.text}" + (f" = {sd.value}" if sd.value else ""))
                        if rel == "same":
                            same.append(e)
                        elif rel == "conflict":
                            clash.append(e)
                            bases.add(basis)
                        else:
                            undecided.append(f"{ev.name(aid)} {_fmt_date(sd)}")
            if not same and not clash:
                if undecided:
                    unknown.append(
                        f"draft {_fmt_date(d)} ({d.role}) against "
                        + ", ".join(undecided[:4])
                        + ": no calendar value, weekday or month and day to compare"
                    )
                continue
            what = "statement" if d.role == "statement" else f"happening ({d.role})"
            label = (
                f"date of the statement ({c.attribution})"
                if d.role == "statement" and c.attribution
                else f"date of the {what}"
            )
            item = Item(
                "date",
                "supported",
                c,
                d.span.start,
                d.span.end,
                d.text,
                label,
                supports=same,
                conflicts=clash,
                fact_key=None if d.role == "statement" else f"happening:{d.role}",
                detail={"role": d.role, **({"value": d.value} if d.value else {})},
            )
            if clash:
                item.detail["basis"] = "; ".join(sorted(bases))
                item.verdict = "differ" if same else "conflict"
                # clash holds claim_evidence made with a "date: ..." role, never None
                item.note = (
                    f"the draft dates the {what} {_fmt_date(d)}; "
                    + "; ".join(
                        f"{ev.name(e.article_id)} says “{e.role.split(': ', 1)[1]}”"  # type: ignore[union-attr]
                        for e in clash[:5]
                    )
                    + f" (compared by {'; '.join(sorted(bases))})"
                )
            out.append(item)
    out += _check_years(ev, did, skip, related)
    return out, unknown


def _years(c: Claim) -> dict[int, DateMention | NumberMention]:
    ys: dict[int, DateMention | NumberMention] = {}
    for d in c.dates:
        if d.granularity == "year" and d.value and d.value.isdigit():
            ys.setdefault(int(d.value), d)
    for n in c.numbers:
        if n.is_year:
            ys.setdefault(int(n.value), n)
    return ys


def _check_years(ev: Event, did: str, skip: Sequence[tuple[int, int]], related: dict[str, set[str]]) -> list[Item]:
    """A year the draft gives a fact ("under sanctions since 2019") where the same sentence in a source has another.

    Years are background more often than not, so only a source sentence that
    tells the same fact (the draft claim's cluster, or the same verb with
    three shared participants) can contradict one; a year no source gives
    is left alone.
    """
    out = []
    sources = [c for aid, ac in sorted(ev.articles.items()) if aid != did for c in ac.claims]
    for c in ev.articles[did].claims:
        mine = {y: m for y, m in _years(c).items() if not _inside(m.span.start, m.span.end, skip)}
        if not mine:
            continue
        roles = {m.role for m in mine.values() if m.role}
        same_fact = [
            sc
            for sc in sources
            if sc.id in related.get(c.id, set())
            or (
                roles & {m.role for m in _years(sc).values() if m.role}
                and len(_participants(c, None) & _participants(sc, None)) >= STATEMENT_MIN_SHARED
            )
        ]
        for y, m in sorted(mine.items()):
            theirs = [(sc, sy) for sc in same_fact for sy in _years(sc)]
            if not theirs:
                continue
            agree = [sc for sc, sy in theirs if sy == y]
            differ = [(sc, sy) for sc, sy in theirs if sy != y and not any(o == y for o in _years(sc))]
            if agree or not differ:
                continue
            evs = list({sc.id: ev.claim_evidence(sc, f"year: {sy}") for sc, sy in differ}.values())[:4]
            given = ", ".join(sorted({f"{ev.name(sc.article_id)} {sy}" for sc, sy in differ})[:4])
            out.append(
                Item(
                    "date",
                    "conflict",
                    c,
                    m.span.start,
                    m.span.end,
                    m.text,
                    "year of the fact",
                    conflicts=evs,
                    detail={"year": y, "basis": "the year in a source sentence telling the same fact"},
                    note=f"the draft gives the year {y} where the same fact in the sources has another ({given})",
                )
            )
    return out


# -------------------------------------------------------------------- names


def _name_words(e: EntityMention) -> list[str]:
    text = re.sub(r"\s*-\s*", " ", e.text)
    return name_parts(text) if e.label == "PERSON" else text.split()


def _family(words: Iterable[str]) -> str:
    return " ".join(spelling_key(w) for w in words)


def check_names(ev: Event, did: str, skip: Sequence[tuple[int, int]]) -> list[Item]:
    """Names the draft spells as no source does.

    ``conflict``: one or two letters from a spelling the sources use ("Austen"
    for "Austin"); ``variant``: another spelling of the same transliteration
    family ("Rider" where every source writes "Ryder"), which may be an
    accepted form or a typo the family key cannot tell from one.
    """
    countries = country_names()
    spellings: dict[str, dict[str, list[Claim]]] = {}
    for aid, ac in sorted(ev.articles.items()):
        if aid == did:
            continue
        for c in ac.claims:
            for e in c.entities:
                if e.label not in NAME_LABELS:
                    continue
                words = _name_words(e)
                name = " ".join(words)
                if not name or not name[:1].isupper():
                    continue
                spellings.setdefault(_family(words), {}).setdefault(name, []).append(c)
    draft = ev.articles[did]
    mine = {_family(_name_words(e)) for c in draft.claims for e in c.entities if e.label in NAME_LABELS}
    out: list[Item] = []
    seen: set[str] = set()
    for c in draft.claims:
        for e in c.entities:
            if e.label not in NAME_LABELS or _inside(e.span.start, e.span.end, skip):
                continue
            words = _name_words(e)
            name = " ".join(words)
            if len(name) < ev.config.spelling_min_letters or name.lower() in countries or not name[:1].isupper():
                continue
            fam = _family(words)
            if name in seen:
                continue
            kind: Verdict
            if fam in spellings:
                used = spellings[fam]
                if any(s.lower() == name.lower() for s in used):
                    continue
                sname = max(used, key=lambda s: (len({cl.article_id for cl in used[s]}), s))
                kind, claims = "variant", used[sname]
            else:
                best = None
                for sfam, used in spellings.items():
                    for sname, claims in used.items():
                        sw = sname.split()
                        if len(sw) != len(words):
                            continue
                        diff = [(x, y) for x, y in zip(words, sw) if x.lower() != y.lower()]
                        if len(diff) != 1 or not _near(*diff[0], ev.config):
                            continue
                        if sfam in mine:
                            continue  # the draft writes both: two names ("Pyongyang", "Pyeongchang"), not a typo
                        n = len({cl.article_id for cl in claims})
                        if best is None or n > best[0]:
                            best = (n, sname, claims)
                if best is None:
                    continue
                kind, sname, claims = "conflict", best[1], best[2]
            seen.add(name)
            arts = {cl.article_id for cl in claims}
            shown: set[str]
            evs, shown = [], set()
            for cl in claims:
                if cl.article_id not in shown and len(shown) < 4:
                    shown.add(cl.article_id)
                    evs.append(ev.claim_evidence(cl, f"name spelt “{sname}”"))
            how = "another form of the same name, or a typo" if kind == "variant" else "one or two letters apart"
            out.append(
                Item(
                    "name",
                    kind,
                    c,
                    e.span.start,
                    e.span.end,
                    e.text,
                    sname,
                    conflicts=evs,
                    detail={"draft_spelling": name, "source_spelling": sname, "outlets": len(arts)},
                    note=f"the draft writes “{name}”; the sources write “{sname}” ({len(arts)} "
                    f"outlet{'s' * (len(arts) != 1)}) and never “{name}” ({how})",
                )
            )
    return out


# ------------------------------------------------------------------- titles


def _role_words(title: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z.]+", title.lower()) if w in ROLE_WORDS)


def check_titles(ev: Event, did: str, skip: Sequence[tuple[int, int]]) -> list[Item]:
    """A draft title that cannot be right beside the sources' titles for that person.

    "Cannot both be right" is the report's own rule (``entities.title_conflict``:
    different portfolios, different military ranks, a man's and a woman's
    role). A source that gives the person a title agreeing with the draft's
    (no conflict, and a role word in common) backs it: then the sources
    differ, the draft follows one of them.
    """
    titles: dict[str, list[tuple[Claim, str]]] = {}
    for aid, ac in sorted(ev.articles.items()):
        if aid == did:
            continue
        for c in ac.claims:
            for e in c.entities:
                if e.label == "PERSON" and e.title and not c.headline:
                    titles.setdefault(ev.alias.identity(e), []).append((c, e.title))
    text = ev.articles[did].article.text
    out: list[Item] = []
    for c in ev.articles[did].claims:
        for e in c.entities:
            if e.label != "PERSON" or not e.title or _inside(e.span.start, e.span.end, skip):
                continue
            ident = ev.alias.identity(e)
            theirs = titles.get(ident, [])
            clashes = [(sc, t, why) for sc, t in theirs if (why := title_conflict(e.title, t))]
            if not clashes:
                continue
            backing = [
                (sc, t)
                for sc, t in theirs
                if title_conflict(e.title, t) is None and _role_words(e.title) & _role_words(t)
            ]
            who = ev.alias.resolve(e.text) or e.text
            shown: set[tuple[str, str]]
            evs, shown = [], set()
            for sc, t, _ in clashes:
                if (sc.article_id, t) not in shown and len(shown) < 4:
                    shown.add((sc.article_id, t))
                    evs.append(ev.claim_evidence(sc, f"title: {t}"))
            given = "; ".join(sorted({f"“{t}” ({ev.name(sc.article_id)})" for sc, t, _ in clashes})[:4])
            t0 = text.rfind(e.title, c.span.start, e.span.start)
            start = t0 if t0 >= 0 else e.span.start
            out.append(
                Item(
                    "title",
                    "differ" if backing else "conflict",
                    c,
                    start,
                    e.span.end,
                    text[start : e.span.end],
                    who,
                    supports=[ev.claim_evidence(sc, f"title: {t}") for sc, t in backing[:4]],
                    conflicts=evs,
                    fact_key=f"person:{ident}",  # the people registry's Fact.key
                    detail={"draft_title": e.title, "differs_in": clashes[0][2]},
                    note=f"the draft calls {who} “{e.title}”; the sources have {given}: {clashes[0][2]}",
                )
            )
    return out


def today() -> dt.date:
    """Today's date (a function so tests can pin it)."""
    return dt.date.today()
