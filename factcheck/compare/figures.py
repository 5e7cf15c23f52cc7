"""Figures across the whole event: one slot per measure, every outlet's version in it.

Each ``Figure`` of every article (headlines included) is filed under a slot:
its measure, what is counted when that is a group of its own (children,
crew), the place when it is a part of the total ("15 in Marrakech"), a past
year it belongs to ("the 2018 Camp Fire killed 85"), what a magnitude or
distance belongs to (the aftershock; the town it is measured from), and
whether it is a count or an estimate ("feared dead"). A slot whose current
values cannot all hold is one finding, listing every version with its
qualifier, source and time; values from different days read as a revision
sequence, in time order where the articles are dated. An article that gives
two current values for one slot that cannot both hold is an internal
inconsistency, a finding of its own.

Values are intervals: "at least 120" next to 127 is compatible, "about 75" is
67.5-82.5, "between 400 and 750" is the range, "magnitude 7" is 6.95-7.05.
Distances are compared in km with a 2% margin for the rounding of
conversions (71 km and 72 km are one USGS distance).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from ..config import DEFAULT
from ..extract.figures import CURRENCIES, lexicon
from ..extract.numbers import numbers_conflict
from ..models import Cluster, Evidence, Fact, FactVersion, Figure, Finding
from ..places import spelling_key
from .event import Event, content_id, make_finding
from .happenings import _pairs
from .registry import Output, comparator

# Measures where an estimate ("up to 500 feared dead") is filed apart from a count.
CASUALTY = frozenset({"deaths", "injured", "missing", "rescued"})
QUALIFIER = {"exact": None, "about": "about", "at_least": "at least", "at_most": "up to", "range": "range"}


@dataclass(frozen=True)
class _Item:
    article_id: str
    fig: Figure
    relation: str  # current | earlier | increment | retracted


def _copy_groups(ev: Event, article_ids: list[str]) -> list[list[str]]:
    """``article_ids`` grouped by wire copy (``ev.copies``), each group sorted, groups in order."""
    groups: list[list[str]] = []
    for aid in article_ids:
        for g in groups:
            if any(aid in ev.copies.get(x, ()) for x in g):
                g.append(aid)
                break
        else:
            groups.append([aid])
    return groups


def _source_key(source: str) -> str:
    words = [w for w in re.findall(r"[a-z]+", source.lower()) if w not in {"the", "a", "an", "s", "country", "on"}]
    return " ".join(words[-2:])


def _relation(f: Figure) -> str:
    if f.retracted:
        return "retracted"
    if f.increment:
        return "increment"
    if f.earlier:
        return "earlier"
    return "current"


# Agencies' magnitudes of one quake differ by tenths (6.8 / 7 / 7.2); a value
# a whole unit away from the usual one is another shock ("a 4.9 magnitude
# earthquake occurred 20 minutes later").


def _split_other_shocks(slots: dict[tuple, list], magnitudes: list[tuple[tuple, float]], gap: float) -> None:
    for key in {k for k, _ in magnitudes}:
        items = slots.get(key, [])
        values = sorted(it.fig.value for it in items)
        if not values:
            continue
        usual = max(set(values), key=lambda v: (values.count(v), v))
        far = [it for it in items if abs(it.fig.value - usual) > gap]
        if far:
            slots[key] = [it for it in items if it not in far]
            other = (key[0], key[1], key[2], key[3], "another shock", key[5], key[6])
            slots.setdefault(other, []).extend(far)


def _event_year(ev: Event) -> int | None:
    years = [ac.article.published.year for ac in ev.articles.values() if ac.article.published]
    return max(years) if years else None


def _conversions(figs: list[Figure], text: str) -> set[int]:
    """Indexes of figures that only convert the one before ("71 kilometres (44 miles)", "$4,500 (4,124 euros)")."""
    out = set()
    for i in range(len(figs) - 1):
        a, b = figs[i], figs[i + 1]
        gap = text[a.span.end : b.span.start]
        if a.measure == b.measure and a.sentence == b.sentence and re.fullmatch(r"[^()]{0,14}\(\s*", gap):
            out.add(i + 1)
    return out


def _slot(ev: Event, aid: str, f: Figure, event_year: int | None, larger_unplaced: bool) -> tuple:
    place = None
    if f.place and (f.breakdown or larger_unplaced):
        place = spelling_key(f.place)
    year = None
    if f.year is not None and (event_year is None or f.year < event_year):
        year = f.year
    thing = spelling_key(f.thing) if f.thing else None
    anchor = spelling_key(f.anchor) if f.anchor else None
    presumed = f.presumed and f.measure in CASUALTY
    return (f.measure, f.group, place, year, thing, anchor, presumed)


def _label(key: tuple, items: list[_Item]) -> str:
    measure, group, place, year, thing, anchor, presumed = key
    m = lexicon().measures.get(measure)
    label = m.label if m else measure
    first = items[0].fig
    if measure == "distance":
        what = first.thing or "the event"
        label = f"distance of {what} from {first.anchor}"
    if group:
        label += f" ({group})"
    if presumed:
        label += ", estimated or feared"
    if thing and measure != "distance":
        label = f"{label} of the {first.thing}"
    if place:
        label += f" in {first.place}"
    if year:
        label += f" ({year})"
    return label[:1].upper() + label[1:]


def _lo(f: Figure, margin: float) -> float:
    return -math.inf if f.low is None else f.low * (1 - margin)


def _hi(f: Figure, margin: float) -> float:
    return math.inf if f.high is None else f.high * (1 + margin)


def compatible(a: Figure, b: Figure, margin: float = DEFAULT.measurement_margin) -> bool:
    """Can both figures hold at once? Intervals overlap (with a margin for measurements).

    Two currencies: the same amount in both is a conflict (one of them has the
    wrong currency), different amounts get no verdict (the exchange rate is
    not known here).
    """
    if a.unit in CURRENCIES and b.unit in CURRENCIES and a.unit != b.unit:
        return not (_lo(a, 0) <= _hi(b, 0) and _lo(b, 0) <= _hi(a, 0))
    margin = margin if a.unit == "km" or a.measure in {"distance", "depth"} else 0.0
    for x, y in ((a, b), (b, a)):
        # "more than 500" and "up to 500" share no value
        if x.bound == "at_least" and y.bound == "at_most" and x.low == y.high and _strict(x):
            return False
    return _lo(a, margin) <= _hi(b, margin) and _lo(b, margin) <= _hi(a, margin)


def _strict(f: Figure) -> bool:
    return bool(re.match(r"(?:more than|over|above|upwards of|in excess of|greater than)\b", f.text.lower()))


def _half(f: Figure) -> float:
    """Half the rounding step of a converted figure: "120 miles" may be 124 rounded to tens."""
    digits = re.sub(r"[^\d.]", "", f.text)
    if "." in digits or not digits:
        return 0.0
    zeros = len(digits) - len(digits.rstrip("0"))
    return (10**zeros) / 2 if zeros else 0.5


def _conversion_matches(a: Figure, b: Figure) -> bool:
    """Does the bracketed conversion ``b`` state the same length as ``a`` (both in km)?"""
    if a.low is None or a.high is None or b.low is None or b.high is None or not b.value:
        return True  # a bound ("about 75 km (44 miles)" is still checked by its value)
    per_unit = (b.low + b.high) / 2 / b.value  # km per written unit
    a_mid, b_mid = (a.low + a.high) / 2, (b.low + b.high) / 2
    a_half = (a.high - a.low) / 2
    b_half = max((b.high - b.low) / 2, _half(b) * per_unit)
    return abs(a_mid - b_mid) <= a_half + b_half + 1e-9


def _fmt(v: float | None) -> str:
    if v is None:
        return "?"
    if abs(v) >= 1e9:
        return f"{v / 1e9:g} billion"
    if abs(v) >= 1e6:
        return f"{v / 1e6:g} million"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


def _version(ev: Event, it: _Item, in_headline: bool) -> FactVersion:
    f = it.fig
    ac = ev.articles[it.article_id]
    role = f"{f.measure}: {f.text}" + ("" if it.relation == "current" else f" ({it.relation})")
    return FactVersion(
        article_id=it.article_id,
        evidence=ev.evidence(it.article_id, f.sentence.start, f.sentence.end, role),
        text=f.text,
        relation=it.relation,
        value=f.value,
        low=f.low,
        high=f.high,
        qualifier=QUALIFIER.get(f.bound),
        unit=f.unit,
        source=f.source,
        time=f.time,
        published=ac.article.published,
        headline=in_headline,
    )


def _value_label(v: FactVersion) -> str:
    if v.qualifier == "range":
        return v.text
    q = v.qualifier + " " if v.qualifier else ""
    if v.unit == "km" and v.low is not None and v.high is not None:
        return f"{q}{_fmt(round((v.low + v.high) / 2, 1))} km"
    if v.unit == "km":
        return f"{q}{_fmt(v.low if v.low is not None else v.high)} km"
    return v.text


def _sequence(ev: Event, versions: list[FactVersion]) -> str:
    """The versions as a revision sequence: in time order when dated, else by value."""
    current = [v for v in versions if v.relation in {"current", "earlier"}]
    dated = all(v.published is not None for v in current)
    if dated:
        order = sorted(current, key=lambda v: (v.published, v.relation != "earlier", v.value or 0))
    else:
        order = sorted(current, key=lambda v: (v.value or 0, v.article_id))
    parts = []
    seen = set()
    for v in order:
        label = _value_label(v)
        who = ev.name(v.article_id)
        when = v.published.isoformat() if v.published else (v.time or "")
        piece = f"{label} ({', '.join(x for x in (who, v.source or '', when) if x)})"
        if piece not in seen:
            seen.add(piece)
            parts.append(piece)
    note = "" if dated else " — articles undated: order of revisions unknown, shown by value"
    return " → ".join(parts) + note


def _disputed_pairs(items: list[_Item], margin: float) -> list[tuple[_Item, _Item]]:
    cur = [it for it in items if it.relation == "current"]
    out = []
    for i, a in enumerate(cur):
        for b in cur[i + 1 :]:
            if not compatible(a.fig, b.fig, margin):
                out.append((a, b))
    return out


def figure_slots(ev: Event) -> dict[tuple, list[_Item]]:
    """Every figure of the event filed under its slot, in article and text order (conversions left out)."""
    if "figure_slots" in ev.memo:
        return ev.memo["figure_slots"]
    event_year = _event_year(ev)
    slots: dict[tuple, list[_Item]] = defaultdict(list)
    magnitudes: list[tuple[tuple, float]] = []
    for aid in sorted(ev.articles):
        ac = ev.articles[aid]
        figs = list(ac.figures)
        conv = _conversions(figs, ac.article.text)
        kept = [f for i, f in enumerate(figs) if i not in conv]
        unplaced_max: dict[str, float] = {}
        for f in kept:
            if not f.place and f.value is not None:
                unplaced_max[f.measure] = max(unplaced_max.get(f.measure, 0.0), f.high or f.value)
        for f in kept:
            larger = f.place is not None and unplaced_max.get(f.measure, 0.0) > (f.high or f.value)
            key = _slot(ev, aid, f, event_year, larger)
            if key[0] == "magnitude":
                magnitudes.append((key, f.value))
            slots[key].append(_Item(aid, f, _relation(f)))
    _split_other_shocks(slots, magnitudes, ev.config.other_shock_gap)
    ev.memo["figure_slots"] = slots
    return slots


@comparator(
    "figures",
    rules=(
        (
            "number_conflict",
            "high",
            "a death toll whose versions cannot all hold (one finding per toll, every outlet's figure, as a revision sequence)",
        ),
        (
            "number_conflict",
            "medium",
            "another figure of the event (injured, missing, arrested, on board, magnitude, distance, ...) whose versions cannot all hold",
        ),
        (
            "number_conflict",
            "medium",
            "one article gives two current values for one figure that cannot both hold (internal inconsistency)",
        ),
    ),
)
def compare_figures(ev: Event) -> Output:
    out = Output()
    lex = lexicon()
    slots = figure_slots(ev)
    headline_values: dict[tuple, set[tuple]] = defaultdict(set)
    for key, items in slots.items():
        for it in items:
            if it.fig.headline:
                headline_values[key].add((it.article_id, it.fig.low, it.fig.high, it.relation))
    for key in sorted(slots, key=repr):
        items = slots[key]
        # One version per article and value: the body's sentence (it names the
        # source) stands for a headline that says the same.
        chosen: dict[tuple, _Item] = {}
        for it in items:
            k = (it.article_id, it.fig.low, it.fig.high, it.relation)
            if k not in chosen or (chosen[k].fig.headline and not it.fig.headline):
                chosen[k] = it
        items = sorted(chosen.values(), key=lambda it: (it.article_id, it.fig.span.start))
        versions = [
            _version(ev, it, (it.article_id, it.fig.low, it.fig.high, it.relation) in headline_values[key])
            for it in items
        ]
        articles = {it.article_id for it in items}
        pairs = _disputed_pairs(items, ev.config.measurement_margin)
        # Disagreement between independent outlets; a wire copy disagreeing with
        # its original only mirrors an inconsistency inside the original.
        cur_by_article: dict[str, list[Figure]] = defaultdict(list)
        for it in items:
            if it.relation == "current":
                cur_by_article[it.article_id].append(it.fig)

        def mirrored(a: _Item, b: _Item) -> bool:
            if b.article_id not in ev.copies.get(a.article_id, ()):
                return False
            return any(
                compatible(f, b.fig, ev.config.measurement_margin) for f in cur_by_article[a.article_id]
            ) and any(compatible(f, a.fig, ev.config.measurement_margin) for f in cur_by_article[b.article_id])

        cross = [(a, b) for a, b in pairs if a.article_id != b.article_id and not mirrored(a, b)]
        label = _label(key, items)
        fkey = "figure:" + "|".join("" if x is None else str(x) for x in key)
        status = "disputed" if cross else ("agreed" if len(articles) >= 2 else "single")
        fact_id = content_id("K", "figure", (v.evidence.text for v in versions), fkey)
        finding_ids = []
        measure = lex.measures.get(key[0])
        if cross:
            sev = (
                "high" if measure is not None and measure.severity == "high" and not key[3] and not key[2] else "medium"
            )
            if measure is not None and measure.severity == "low":
                sev = "low"
            seq = _sequence(ev, versions)
            f = make_finding(
                "number_conflict",
                sev,
                f"{label}: the outlets' figures cannot all hold — {seq}.",
                [v.evidence for v in versions],
                detail={"measure": key[0], "versions": len(versions), "outlets": len(articles), "sequence": seq},
                key=fkey,
                fact_id=fact_id,
            )
            out.findings.append(f)
            finding_ids.append(f.id)
        # internal: one article, two current values that cannot both hold, not told apart by time
        by_article: dict[str, list[tuple[_Item, _Item]]] = defaultdict(list)
        for a, b in pairs:
            if a.article_id != b.article_id or a.fig.update or b.fig.update:
                continue  # "the toll is now 93": the article says which figure is newer
            if a.fig.time or b.fig.time:
                continue  # given for a day: the article dates its figures, a sequence
            if a.fig.source and b.fig.source and _source_key(a.fig.source) != _source_key(b.fig.source):
                continue  # two sources, each quoted: the article reports a disagreement, it does not make one
            text = ev.articles[a.article_id].article.text
            if any(_REVISION_WORDS.search(text[x.fig.sentence.start : x.fig.sentence.end]) for x in (a, b)):
                continue  # "... later revised to 79": the article says which figure replaced which
            by_article[a.article_id].append((a, b))
        where = lambda it: "headline" if it.fig.headline else "text"  # noqa: E731
        # Wire copies carry one article's inconsistency into several: one finding for the copies.
        for group in _copy_groups(ev, sorted(by_article)):
            aid = group[0]
            a, b = by_article[aid][0]
            names = ", ".join(ev.name(x) for x in group)
            inner = (
                f"{names} {'gives' if len(group) == 1 else 'give'} two current figures that cannot both hold — "
                f"“{a.fig.text}” ({where(a)}) and “{b.fig.text}” ({where(b)}), without saying one replaced the other"
            )
            pair_evidence: list[Evidence] = []
            for x in group:
                xa, xb = by_article[x][0]
                for it in (xa, xb):
                    e = ev.evidence(x, it.fig.sentence.start, it.fig.sentence.end, f"{key[0]}: {it.fig.text}")
                    if all((e.article_id, e.start) != (p.article_id, p.start) for p in pair_evidence):
                        pair_evidence.append(e)
            if not cross and len(articles) > len(group):
                # The slot's only dispute is inside one article: one finding, with
                # every outlet's version beside it.
                seq = _sequence(ev, versions)
                f = make_finding(
                    "number_conflict",
                    "medium",
                    f"{label}: {inner}. All versions: {seq}.",
                    [v.evidence for v in versions],
                    detail={
                        "measure": key[0],
                        "scope": "internal",
                        "versions": len(versions),
                        "outlets": len(articles),
                        "sequence": seq,
                    },
                    key=fkey + "|internal",
                    fact_id=fact_id,
                )
                cross = [(a, b)]  # at most one such finding per slot
            else:
                f = make_finding(
                    "number_conflict",
                    "medium",
                    f"{label}: {inner}.",
                    pair_evidence,
                    detail={"measure": key[0], "scope": "internal"},
                    key=fkey + "|internal",
                    fact_id=fact_id,
                )
            out.findings.append(f)
            finding_ids.append(f.id)
            status = "disputed"
        out.facts.append(
            Fact(
                id=fact_id,
                kind="figure",
                key=fkey,
                label=label,
                status=status,
                versions=tuple(versions),
                summary=_sequence(ev, versions) if len(articles) > 1 else None,
                finding_ids=tuple(finding_ids),
            )
        )
    return out


@comparator(
    "conversions",
    rules=(
        (
            "number_conflict",
            "low",
            "one article gives a length and its conversion in brackets that do not state the same distance (75 km as 40 miles)",
        ),
    ),
)
def compare_conversions(ev: Event) -> Output:
    """A bracketed unit conversion that does not match the figure it converts, one finding per article and measure."""
    out = Output()
    for aid in sorted(ev.articles):
        ac = ev.articles[aid]
        figs = list(ac.figures)
        for i in sorted(_conversions(figs, ac.article.text)):
            fa, fb = figs[i - 1], figs[i]
            if fa.unit == fb.unit == "km" and not _conversion_matches(fa, fb):
                e = ev.evidence(aid, fa.sentence.start, fa.sentence.end, f"{fa.text} vs {fb.text}")
                out.findings.append(
                    make_finding(
                        "number_conflict",
                        "low",
                        f"Unit conversion does not match in {ev.name(aid)}: “{fa.text}” is given as “{fb.text}” "
                        f"({_fmt(fa.low)}–{_fmt(fa.high)} km against {_fmt(fb.low)}–{_fmt(fb.high)} km).",
                        [e],
                        detail={"measure": fa.measure, "scope": "conversion"},
                        key=f"conversion:{fa.measure}",
                    )
                )
    return out


@comparator(
    "quantities",
    scope="cluster",
    rules=(
        (
            "number_conflict",
            "medium",
            "a quantity the measure lexicon does not know, told in one cluster with values that cannot both hold",
        ),
    ),
)
def compare_numbers(ev: Event, cluster: Cluster) -> list[Finding]:
    """Quantities outside the lexicon ("10 soldiers", "3 percent"), inside one cluster.

    Same unit and same verb, values that cannot both hold. Figures the
    lexicon knows are compared event-wide by ``compare_figures`` instead.
    """
    out = []
    known = {aid: [f.span for f in ac.figures] for aid, ac in ev.articles.items()}

    def is_known(aid: str, span) -> bool:
        return any(k.start <= span.start and span.end <= k.end for k in known[aid])

    clashes: dict[tuple[str, str], list] = defaultdict(list)
    for a, b in _pairs(ev, cluster):
        for na in a.numbers:
            for nb in b.numbers:
                if na.is_year or nb.is_year or not na.unit or na.unit != nb.unit:
                    continue
                if na.role and nb.role and na.role != nb.role:
                    continue
                if is_known(a.article_id, na.span) or is_known(b.article_id, nb.span):
                    continue
                if not numbers_conflict(na, nb, ev.config.approx_tolerance):
                    continue
                clashes[(na.unit, na.role or "")].append((a, na, b, nb))
    # One finding per quantity: every outlet's value for it.
    for (unit, role), items in sorted(clashes.items()):
        seen: dict[tuple[str, int], tuple] = {}
        for a, na, b, nb in items:
            seen.setdefault((a.article_id, na.span.start), (a, na))
            seen.setdefault((b.article_id, nb.span.start), (b, nb))
        versions = sorted(seen.values(), key=lambda x: (x[0].article_id, x[1].span.start))
        parts = "; ".join(f"{ev.name(c.article_id)} says “{n.text}”" for c, n in versions)
        out.append(
            make_finding(
                "number_conflict",
                "medium",
                f"Number differs for the same quantity ({unit}): {parts}.",
                [ev.claim_evidence(c, f"number: {n.text}") for c, n in versions],
                cluster_id=cluster.id,
                key=f"quantity:{unit}:{role}",
            )
        )
    return out


# ------------------------------------------------------------------ directions and corrections

_COMPASS = {
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
}


def _opposite(a: str, b: str) -> bool:
    """Compass directions that cannot describe one place: south-east vs south-west, north vs south."""
    ca, cb = set(_COMPASS.get(a, "")), set(_COMPASS.get(b, ""))
    return bool(ca and cb) and (
        ("e" in ca and "w" in cb) or ("w" in ca and "e" in cb) or ("n" in ca and "s" in cb) or ("s" in ca and "n" in cb)
    )


@comparator(
    "directions",
    rules=(
        (
            "contradiction",
            "medium",
            "one place put in opposite compass directions from the same town (south-east vs south-west)",
        ),
    ),
)
def compare_directions(ev: Event) -> Output:
    out = Output()
    for key, items in sorted(figure_slots(ev).items(), key=lambda kv: repr(kv[0])):
        if key[0] != "distance":
            continue
        dirs: dict[str, list[_Item]] = defaultdict(list)
        for it in items:
            if it.fig.direction:
                dirs[it.fig.direction].append(it)
        names = sorted(dirs)
        clash = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if _opposite(a, b)]
        if not clash:
            continue
        evs = []
        for d in names:
            seen = set()
            for it in dirs[d]:
                if it.article_id not in seen:
                    seen.add(it.article_id)
                    evs.append(
                        ev.evidence(it.article_id, it.fig.sentence.start, it.fig.sentence.end, f"direction: {d}")
                    )
        what = items[0].fig.thing or "the event"
        parts = "; ".join(f"{d} ({', '.join(sorted({ev.name(it.article_id) for it in dirs[d]}))})" for d in names)
        out.findings.append(
            make_finding(
                "contradiction",
                "medium",
                f"Opposite directions for {what} from {items[0].fig.anchor}: {parts}.",
                evs,
                detail={"directions": ", ".join(names)},
                key="direction:" + "|".join(str(x) for x in key),
            )
        )
    return out


_REVISION_WORDS = re.compile(r"\b(?:revis|correct|amend|updat|adjust)\w*", re.I)


def _revisions(ev: Event, items: list[_Item]) -> list[tuple[float, float, _Item]]:
    """(from, to, evidence item) for each correction an article reports for one slot.

    "revised the toll from 79 to 78" and "was 78 and not 79" say 79 -> 78; "a
    toll of 78 was communicated ... later revised to 79" says 78 -> 79.
    """
    out = []
    by_article: dict[str, list[_Item]] = defaultdict(list)
    for it in items:
        by_article[it.article_id].append(it)
    for aid, its in by_article.items():
        its = sorted(its, key=lambda it: it.fig.span.start)
        for i, it in enumerate(its):
            if it.relation != "current":
                continue
            same = [o for o in its if o.fig.sentence == it.fig.sentence and o is not it]
            prior = [o for o in same if o.relation in {"earlier", "retracted"}]
            if prior:
                out.append((prior[0].fig.value, it.fig.value, it))
                continue
            sentence = ev.articles[aid].article.text[it.fig.sentence.start : it.fig.sentence.end]
            if _REVISION_WORDS.search(sentence) and re.search(r"\blater\b", sentence):
                before = [o for o in its[:i] if o.fig.value != it.fig.value and o.relation == "current"]
                if before:
                    out.append((before[-1].fig.value, it.fig.value, it))
    return out


@comparator(
    "corrections",
    rules=(
        (
            "contradiction",
            "medium",
            "outlets report a figure corrected in opposite directions (79 to 78 in one, 78 to 79 in another)",
        ),
    ),
)
def compare_corrections(ev: Event) -> Output:
    out = Output()
    for key, items in sorted(figure_slots(ev).items(), key=lambda kv: repr(kv[0])):
        revs = _revisions(ev, items)
        pairs = {(a, b) for a, b, _ in revs}
        clash = sorted((a, b) for a, b in pairs if (b, a) in pairs and a < b)
        if not clash:
            continue
        lo, hi = clash[0]
        evs = []
        for a, b, it in sorted(revs, key=lambda r: (r[2].article_id, r[2].fig.span.start)):
            if {a, b} == {lo, hi}:
                evs.append(
                    ev.evidence(
                        it.article_id, it.fig.sentence.start, it.fig.sentence.end, f"corrected {_fmt(a)} -> {_fmt(b)}"
                    )
                )
        up = sorted({ev.name(it.article_id) for a, b, it in revs if (a, b) == (lo, hi)})
        down = sorted({ev.name(it.article_id) for a, b, it in revs if (a, b) == (hi, lo)})
        out.findings.append(
            make_finding(
                "contradiction",
                "medium",
                f"{_label(key, items)}: the correction runs opposite ways — {_fmt(lo)} to {_fmt(hi)} in {', '.join(up)}, "
                f"{_fmt(hi)} to {_fmt(lo)} in {', '.join(down)}.",
                evs,
                detail={"from": lo, "to": hi},
                key="correction:" + "|".join(str(x) for x in key),
            )
        )
    return out
