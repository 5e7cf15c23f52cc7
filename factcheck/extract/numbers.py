"""Quantities in an article ("10 people", "$1.2 billion", "about 3%") and when
two of them cannot both be true.

A number is a run of tokens spaCy tags as cardinal (digits or number words,
with scale words: "3 million", "two dozen", "twenty-six"). Its unit is the
currency sign or word ("usd"), "percent", or the lemma of the noun it counts
(dependency ``nummod``: "five soldiers" -> "soldier"). Hedges before it set the
bound ("about", "at least", "up to"). Not quantities, so not returned: ordinals
("first"), numbers inside dates ("May 31", "2023-05-06": years in date context
come back with ``is_year=True`` so the comparator can skip them), times, the
pronoun "one" ("one of the ...", "no one"), and numbers that are part of a name
(product, law, organisation: "Boeing 737"). An age ("49-year-old") comes back
with unit "years old".
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from .. import lexicon
from ..models import NumberBound, NumberMention, Span
from ..nlp import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Numbers written as words: lexicon/numbers.toml.
UNITS_WORDS: dict[str, int] = lexicon.table("numbers", "words")["units"]
TENS_WORDS: dict[str, int] = lexicon.table("numbers", "words")["tens"]
_SCALES = {
    "dozen": 12,
    "dozens": 12,
    "hundred": 100,
    "hundreds": 100,
    "thousand": 1e3,
    "thousands": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
    "mn": 1e6,
    "m": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "k": 1e3,
    "tn": 1e12,
}
_CURRENCY = {
    "$": "usd",
    "us$": "usd",
    "usd": "usd",
    "dollar": "usd",
    "dollars": "usd",
    "£": "gbp",
    "gbp": "gbp",
    "pound": "gbp",
    "pounds": "gbp",
    "€": "eur",
    "eur": "eur",
    "euro": "eur",
    "euros": "eur",
    "¥": "jpy",
    "yen": "jpy",
    "yuan": "cny",
    "rupees": "inr",
    "rupee": "inr",
}
_PERCENT = {"%", "percent", "per cent", "pct", "percentage"}
_ABOUT = (
    "about",
    "around",
    "nearly",
    "roughly",
    "some",
    "approximately",
    "almost",
    "an estimated",
    "estimated",
    "close to",
    "approx.",
    "circa",
    "just under",
    "just over",
    "more or less",
)
_AT_LEAST = (
    "at least",
    "more than",
    "over",
    "above",
    "upwards of",
    "in excess of",
    "no fewer than",
    "no less than",
    "not less than",
    "greater than",
)
# "As many as 650 may have been on board" is a ceiling, not a floor.
_AT_MOST = (
    "at most",
    "as many as",
    "less than",
    "under",
    "up to",
    "fewer than",
    "below",
    "no more than",
    "not more than",
    "a maximum of",
)
# Entities whose numbers are part of a name, not a count.
_NAME_LABELS = {"PRODUCT", "ORG", "FAC", "LAW", "WORK_OF_ART", "EVENT", "GPE", "PERSON", "LOC"}
# People are counted as "people" or "persons": one unit for comparison.
_UNIT_SYNONYMS = {"people": "person", "persons": "person", "individual": "person"}


def _word_value(words: list[str]) -> float | None:
    """Value of number words: ["twenty", "six"] -> 26, ["two", "dozen"] -> 24."""
    total, current, seen = 0.0, 0.0, False
    for w in words:
        if w in ("and", "-", "a", "an"):
            if w in ("a", "an"):
                current = current or 1
            continue
        if w in UNITS_WORDS:
            current += UNITS_WORDS[w]
        elif w in TENS_WORDS:
            current += TENS_WORDS[w]
        elif w in _SCALES:
            scale = _SCALES[w]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
        else:
            num = _digits_value(w)
            if num is None:
                return None
            current += num
        seen = True
    return total + current if seen else None


def _digits_value(text: str) -> float | None:
    text = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", text):
        return float(text)
    return None


def _is_number_token(tok: "Token") -> bool:
    low = tok.lower_
    if (
        low in UNITS_WORDS
        or low in TENS_WORDS
        or low in ("dozen", "hundred", "thousand", "million", "billion", "trillion")
    ):
        return True
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", tok.text):
        return True
    if re.fullmatch(
        r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine)",
        low,
    ):
        return True
    return False


def _bound(doc: "Doc", start: int) -> tuple[NumberBound, int]:
    """The hedge before token ``start`` and the token index where it begins."""
    bound: NumberBound
    for phrases, bound in ((_AT_LEAST, "at_least"), (_AT_MOST, "at_most"), (_ABOUT, "about")):
        for phrase in sorted(phrases, key=len, reverse=True):
            n = len(phrase.split())
            if start - n < 0:
                continue
            if " ".join(t.lower_ for t in doc[start - n : start]) == phrase:
                # "over" / "under" / "some" are hedges only right before the number.
                return bound, start - n
    return "exact", start


def _noun_unit(last: "Token") -> str | None:
    """The noun a number counts: '10 people' -> 'people', 'five soldiers' -> 'soldier'."""
    head = last.head
    if last.dep_ in ("nummod", "compound", "quantmod", "amod") and head.pos_ in ("NOUN", "PROPN") and head.i > last.i:
        lemma = head.lemma_.lower()
        return "people" if head.lower_ == "people" else lemma
    nxt = last.nbor(1) if last.i + 1 < len(last.doc) else None
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ in ("NNS", "NN") and nxt.head.i == last.i:
        return nxt.lemma_.lower()
    return None


def _is_pronoun_one(doc: "Doc", i: int, j: int) -> bool:
    """'one of the officials', 'no one', 'the one who': not a quantity."""
    if j - i != 1 or doc[i].lower_ != "one":
        return False
    tok = doc[i]
    if tok.dep_ != "nummod":
        return True
    prev = doc[i - 1].lower_ if i > 0 else ""
    return prev in ("no", "the", "any", "every", "each", "someone", "this", "that")


def extract_numbers(doc: "Doc") -> list[NumberMention]:
    """Every quantity in ``doc`` with its value, unit and bound, in text order."""
    labels: dict[int, str] = {}
    ents_by_start = {}
    label: str | None
    for ent in doc.ents:
        label = "CARDINAL" if ent.label_ in ("DATE", "TIME") and _count_tagged_as_date(ent) else ent.label_
        for t in ent:
            labels[t.i] = label
        ents_by_start[ent.start] = ent
    out: list[NumberMention] = []
    i = 0
    n = len(doc)
    while i < n:
        label = labels.get(i)
        if label in ("DATE", "TIME") and i in ents_by_start:
            ent = ents_by_start[i]
            out.extend(_numbers_in_date(ent))
            i = ent.end
            continue
        tok = doc[i]
        if label in ("DATE", "TIME", "ORDINAL") or label in _NAME_LABELS or not _is_number_token(tok):
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and labels.get(j) not in ("DATE", "TIME", "ORDINAL")
            and (
                _is_number_token(doc[j])
                or (doc[j].lower_ in _SCALES and doc[j].lower_ not in ("m", "b", "k"))
                # "twenty - six" as three tokens; "10-12" (digits) is a range, not one number
                or (doc[j].text == "-" and j + 1 < n and doc[j - 1].is_alpha and doc[j + 1].lower_ in UNITS_WORDS)
                or (
                    doc[j].lower_ in ("mn", "bn", "m", "b", "k", "tn")
                    and doc[j - 1].like_num
                    and doc[j - 1].whitespace_ == ""
                )
            )
        ):
            j += 1
        # "one hundred and fifty": join over "and" only between number words
        mention = _make_mention(doc, i, j)
        if mention is not None:
            out.append(mention)
        i = j
    return out


_MONEY_OR_COUNT = {
    "dollars",
    "dollar",
    "euros",
    "euro",
    "pounds",
    "people",
    "migrants",
    "persons",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "$",
    "€",
    "£",
}
_DATE_WORDS = {
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "ago",
    "today",
    "yesterday",
    "tomorrow",
    "morning",
    "evening",
    "night",
    "afternoon",
}


def _count_tagged_as_date(ent) -> bool:
    """A lone figure the tagger calls a date: "was 78 and not 79", "kills over 1300 people".

    A plain number that is no year, or one that counts a noun right after it,
    is a quantity whatever the entity label says.
    """
    toks = [t for t in ent if not t.is_punct]
    if (
        len(toks) >= 2
        and _is_number_token(toks[0])
        and toks[1].lower_ in ("today", "yesterday", "tonight")
        and all(t.lower_ in ("today", "yesterday", "tonight", "to", "by", "and") for t in toks[1:])
    ):
        return True  # "rose by nine today to 89": a count, then the day
    if any(t.lower_ in _MONEY_OR_COUNT for t in toks) and not any(t.lower_ in _DATE_WORDS for t in toks):
        return True  # "between 4 and 6 thousand dollars"
    nums = [t for t in toks if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t.text)]
    if len(nums) == 2 and all(t in nums or t.lower_ in ("to", "and", "-", "–", "from", "between") for t in toks):
        # "from 79 to 78": two counts, unless they read as years ("1998 to 2003")
        return not all(1000 <= int(t.text.replace(",", "")) <= 2100 for t in nums)
    if len(nums) != 1 or any(
        t.lower_ not in ("over", "about", "some", "nearly", "around") for t in toks if t not in nums
    ):
        return False
    tok = nums[0]
    value = int(tok.text.replace(",", ""))
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    counts_noun = nxt is not None and nxt.tag_ == "NNS" and nxt.head.i == nxt.i and tok.head.i == nxt.i
    return counts_noun or not (1000 <= value <= 2100) and "," not in tok.text or "," in tok.text


def _make_mention(doc: "Doc", i: int, j: int) -> NumberMention | None:
    words = [t.lower_ for t in doc[i:j]]
    flat: list[str] = []
    for w in words:
        flat.extend(w.split("-") if re.fullmatch(r"[a-z]+-[a-z]+", w) else [w])
    if all(w in _SCALES for w in flat):
        return None  # "dozens", "thousands": vague, not a number
    if flat[0] in _SCALES and (i == 0 or doc[i - 1].lower_ not in ("a", "an")):
        return None  # "million" alone is not a count
    if _is_pronoun_one(doc, i, j):
        return None
    start_i = i
    if i > 0 and doc[i - 1].lower_ in ("a", "an") and flat[0] in _SCALES:
        start_i = i - 1
        flat = ["a"] + flat
    value = _word_value(flat)
    if value is None:
        return None
    unit: str | None = None
    end_i = j
    # currency before: "$1.2 billion", "US$40 billion", "£3m"
    before = doc[start_i - 1] if start_i > 0 else None
    if before is not None and before.text.lower() in _CURRENCY:
        unit = _CURRENCY[before.text.lower()]
        start_i -= 1
        if start_i > 0 and doc[start_i - 1].text.upper() == "US" and doc[start_i - 1].whitespace_ == "":
            start_i -= 1
    after = doc[j] if j < len(doc) else None
    if unit is None and after is not None:
        a = after.lower_
        nxt = doc[j + 1].lower_ if j + 1 < len(doc) else ""
        if a == "percentage" and nxt in ("point", "points"):
            unit, end_i = "percentage point", j + 2
        elif a in ("%", "percent", "pct") or (a == "per" and nxt == "cent"):
            unit = "percent"
            end_i = j + (2 if a == "per" else 1)
        elif a in _CURRENCY and a not in ("$", "£", "€", "¥"):
            unit = _CURRENCY[a]
            end_i = j + 1
    if unit is None:
        unit = _noun_unit(doc[j - 1])
    bound, bound_start = _bound(doc, start_i)
    first = doc[bound_start]
    last = doc[end_i - 1]
    s, e = first.idx, last.idx + len(last.text)
    is_year = (
        unit is None
        and bound == "exact"
        and re.fullmatch(r"(19|20)\d\d|2100", doc[i].text) is not None
        and j == i + 1
        and i > 0
        and doc[i - 1].lower_ in ("in", "since", "by", "of", "until", "from", "before", "after", "during")
    )
    return NumberMention(
        span=Span(start=s, end=e), text=doc_text(doc)[s:e], value=value, unit=unit, bound=bound, is_year=is_year
    )


def _numbers_in_date(ent) -> list[NumberMention]:
    """Years inside a DATE entity (``is_year``) and ages ("49-year-old"); the rest are date parts."""
    out: list[NumberMention] = []
    text = doc_text(ent.doc)
    age = re.fullmatch(r"(\d{1,3})[- ]years?[- ]old", ent.text)
    if age:
        s = ent.start_char
        e = s + len(age.group(0))
        return [NumberMention(span=Span(start=s, end=e), text=text[s:e], value=float(age[1]), unit="years old")]
    for tok in ent:
        if re.fullmatch(r"(19|20)\d\d|2100", tok.text):
            s, e = tok.idx, tok.idx + len(tok.text)
            out.append(NumberMention(span=Span(start=s, end=e), text=text[s:e], value=float(tok.text), is_year=True))
    return out


# ---------------------------------------------------------------- comparing


def rounding_step(mention: NumberMention) -> float:
    """The rounding unit the text implies: '1.2 million' -> 100,000; '1,230' -> 1."""
    low = mention.text.lower()
    decimals = re.search(r"\d\.(\d+)", low)
    places = len(decimals.group(1)) if decimals else 0
    scale = 1.0
    for word, factor in _SCALES.items():
        if re.search(rf"(?<![a-z]){re.escape(word)}\b", low) or re.search(rf"\d{re.escape(word)}\b", low):
            scale = max(scale, factor)
    if not re.search(r"\d", low):
        return scale  # number words: "ten" is exact to 1, "two million" to a million
    return scale * 10.0 ** (-places)


def _interval(mention: NumberMention, tolerance: float) -> tuple[float, float]:
    v = mention.value
    if mention.bound == "about":
        d = abs(v) * tolerance
        return v - d, v + d
    if mention.bound == "at_least":
        return v, math.inf
    if mention.bound == "at_most":
        return -math.inf, v
    half = rounding_step(mention) / 2
    return v - half, v + half


def _norm_unit(unit: str | None) -> str | None:
    return None if unit is None else _UNIT_SYNONYMS.get(unit, unit)


def numbers_conflict(a: NumberMention, b: NumberMention, tolerance: float = 0.1) -> bool:
    """True only when ``a`` and ``b`` count the same unit and cannot both be true.

    Units must match and be known (different or missing units: no verdict, so
    False). Years never conflict here (dates cover them). Each mention stands
    for an interval: exact values widen by half their written precision ("1.2
    million" is 1.15-1.25 million, so it agrees with "1,230,000"), "about N"
    by ``tolerance`` of N, "at least N" is [N, inf), "at most N" (-inf, N].
    They conflict when the intervals are disjoint.
    """
    ua, ub = _norm_unit(a.unit), _norm_unit(b.unit)
    if ua is None or ub is None or ua != ub or a.is_year or b.is_year:
        return False
    lo_a, hi_a = _interval(a, tolerance)
    lo_b, hi_b = _interval(b, tolerance)
    return hi_a < lo_b or hi_b < lo_a
