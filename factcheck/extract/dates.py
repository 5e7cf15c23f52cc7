"""Date mentions: find them in an article and resolve them to calendar values.

Candidates are spaCy DATE entities (plus TIME entities that name a day, such as
"Wednesday night"), and weekday / month / "this weekend" expressions spaCy
missed. Each candidate is read into a few features (weekday, month, day, year,
"last/this/next", unit, "early/mid/late") and resolved by explicit rules;
dateparser is the fallback for explicit date strings the rules do not cover,
and it is only fed strings whose every number is a plausible date part (it
turns "3% on Friday" into a March date otherwise).

Conventions (news is past-tense reporting):

* A bare weekday is the last such day on or before the publication date
  ("Monday" in a paper of Tue 2023-05-30 is 2023-05-29; on a Monday it is that
  day), unless the mention or its verb looks ahead ("next Friday", "upcoming
  Friday", "will meet on Friday", "opens on Friday"): then the first such day on
  or after publication ("next" means strictly after).
* A month without a year takes the year that puts it nearest the publication
  date, or the last/next one when the tense says past/future.
* Values: day "2023-05-29", week "2023-W21", month "2023-05", year "2023".
  Coarser or odd periods have granularity "range": quarter "2023-Q2", season
  "2023-SU", weekend "2023-W21-WE", decade "199" (TIMEX3 style), and an explicit
  span "from May 31 to June 4" gives the ISO interval "2023-05-31/2023-06-04".
  "early May" keeps value "2023-05" with start/end narrowed to May 1-10
  ("mid" 11-20, "late" 21-end).
* "since 2018" / "until May" resolve to the anchor ("2018", "2023-05"): the
  comparator compares anchors; the open end is not represented.
* Durations, ages and sets ("ten years", "the past three months", "49-year-old",
  "daily", "recent months") are not dates and yield no mention.
* Relative expressions with no publication date stay unresolved (value None),
  and so does a month-day without a year. Numeric dates whose day/month order is
  ambiguous ("12/03/2023") follow the order proven by an unambiguous numeric
  date elsewhere in the same article ("25/03/2023"), else stay unresolved.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal

from .. import lexicon
from ..models import DateMention, Granularity, Span
from ..nlp import doc_text
from .numbers import UNITS_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

Relation = Literal["same", "compatible", "conflict", "unknown"]
Direction = Literal["past", "future"] | None

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
# "two weeks", "a couple of days": the small numbers words (lexicon/numbers.toml).
_NUM_WORDS: dict[str, int] = {
    **{w: v for w, v in UNITS_WORDS.items() if 1 <= v <= 12},
    **lexicon.table("numbers", "words")["articles"],
}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "fall": ("FA", 9), "autumn": ("FA", 9), "winter": ("WI", 12)}
_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}

# Words that make a DATE entity a duration, age or frequency rather than a date.
_SET_WORDS = {
    "daily",
    "weekly",
    "monthly",
    "annual",
    "annually",
    "yearly",
    "every",
    "each",
    "per",
    "quarterly",
    "nightly",
}
_AGE_RE = re.compile(r"\b(years?|months?)[- ]old\b|\baged?\b", re.I)
_FUTURE_WORDS = {"next", "coming", "upcoming", "later", "following", "forthcoming"}
_FUTURE_VERBS = {"schedule", "plan", "expect", "set", "due", "slate", "intend", "aim", "hope"}
_UNIT_WORDS = {
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "quarter",
    "quarters",
    "decade",
    "decades",
}
# Present and past tense look alike for these: no tense cue from them.
_PAST_LOOKING_PRESENT = {
    "hurt",
    "put",
    "set",
    "cut",
    "hit",
    "let",
    "cost",
    "quit",
    "shut",
    "spread",
    "bet",
    "split",
    "read",
    "beat",
    "bid",
}

_WORD_RE = re.compile(r"[a-z]+|\d+(?:st|nd|rd|th)?|'\d\d|\S", re.I)
_EXTRA_RE = re.compile(
    r"\b(?:(?:last|this|next|coming|upcoming|past|on)\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
    r"|\b(?:this|last|next|the)\s+weekend\b"
    r"|\b(?:yesterday|today|tomorrow|tonight)\b"
    r"|\b(?:(?:early|mid|late|in|since|until|by|last|next|this)[\s-]+)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{4}\b)?",
    re.I,
)


@dataclass(frozen=True)
class _Resolved:
    value: str | None
    start: dt.date | None
    end: dt.date | None
    granularity: Granularity
    relative: bool


_UNRESOLVED = _Resolved(None, None, None, "unknown", False)


# ---------------------------------------------------------------- calendar maths


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _week_value(day: dt.date) -> tuple[str, dt.date, dt.date]:
    iso = day.isocalendar()
    monday = day - dt.timedelta(days=day.weekday())
    return f"{iso[0]}-W{iso[1]:02d}", monday, monday + dt.timedelta(days=6)


def _day(day: dt.date, relative: bool) -> _Resolved:
    return _Resolved(day.isoformat(), day, day, "day", relative)


def _week(day: dt.date, relative: bool) -> _Resolved:
    value, start, end = _week_value(day)
    return _Resolved(value, start, end, "week", relative)


def _month(year: int, month: int, relative: bool, qual: str | None = None) -> _Resolved:
    start, end = dt.date(year, month, 1), _month_end(year, month)
    if qual == "early":
        end = dt.date(year, month, 10)
    elif qual == "mid":
        start, end = dt.date(year, month, 11), dt.date(year, month, 20)
    elif qual == "late":
        start = dt.date(year, month, 21)
    return _Resolved(f"{year:04d}-{month:02d}", start, end, "month", relative)


def _year(year: int, relative: bool, qual: str | None = None) -> _Resolved:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if qual == "early":
        end = dt.date(year, 4, 30)
    elif qual == "mid":
        start, end = dt.date(year, 5, 1), dt.date(year, 8, 31)
    elif qual == "late":
        start = dt.date(year, 9, 1)
    return _Resolved(f"{year:04d}", start, end, "year", relative)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _pick_year(
    published: dt.date, first: Callable[[int], dt.date], last: Callable[[int], dt.date], direction: Direction
) -> int:
    """The year for a yearless period: nearest to publication, or by tense.

    ``first(y)``/``last(y)`` give the period's first/last day in year ``y``.
    """
    years = [published.year - 1, published.year, published.year + 1]
    # The tense decides only beyond a month's slack: a past-tense verb next to
    # "Nov. 10" in a Nov. 2 paper is more often a parse slip than last year.
    slack = dt.timedelta(days=31)
    if direction == "past":
        return max(y for y in years if first(y) <= published + slack)
    if direction == "future":
        return min(y for y in years if last(y) >= published - slack)

    def distance(y: int) -> int:
        if first(y) <= published <= last(y):
            return 0
        return min(abs((first(y) - published).days), abs((last(y) - published).days))

    return min(years, key=lambda y: (distance(y), -y if first(y) <= published else y))


def _weekday(published: dt.date, weekday: int, rel: str | None, direction: Direction) -> dt.date:
    delta = (published.weekday() - weekday) % 7
    if rel == "last":
        return published - dt.timedelta(days=delta or 7)
    if rel == "next" or (direction == "future" and rel not in ("this", "past")):
        ahead = (weekday - published.weekday()) % 7
        if rel == "next" and ahead == 0:
            ahead = 7
        return published + dt.timedelta(days=ahead)
    return published - dt.timedelta(days=delta)


# ---------------------------------------------------------------- reading a mention


@dataclass
class _Features:
    words: list[str]
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    rel: str | None = None  # last / this / next / past (for "this past")
    unit: str | None = None  # day week weekend month year quarter season decade
    qual: str | None = None  # early / mid / late
    count: int | None = None
    ago: bool = False
    quarter: int | None = None
    season: str | None = None
    decade: int | None = None
    day_word: str | None = None  # today / yesterday / tomorrow / tonight
    anaphoric: bool = False  # "a year earlier", "two days later": not anchored on publication
    other_numbers: bool = False  # a number that is no date part


def _read(text: str) -> _Features:
    words = [w.lower() for w in _WORD_RE.findall(text)]
    f = _Features(words)
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        bare = re.sub(r"(st|nd|rd|th)$", "", w) if w[0].isdigit() else w
        if w in WEEKDAYS or (w.endswith("s") and w[:-1] in WEEKDAYS):
            f.weekday = WEEKDAYS.index(w.rstrip("s") if w not in WEEKDAYS else w)
        elif w in _WEEKDAY_ABBR and (nxt in (".", ",") or i == 0):
            f.weekday = _WEEKDAY_ABBR[w]
        elif w in MONTHS and (len(w) > 3 or nxt == "." or w in ("may", "june", "july") or i + 1 < len(words)):
            if w == "may" and f.month is None and not text[text.lower().find("may")].isupper():
                continue
            f.month = MONTHS[w]
        elif w in ("yesterday", "today", "tomorrow", "tonight"):
            f.day_word = w
        elif w in ("last", "next", "this", "coming", "upcoming", "previous", "past", "current", "following", "that"):
            if w == "past" and f.rel == "this":
                f.rel = "last"
            elif w in ("coming", "upcoming", "following"):
                f.rel = "next"
            elif w == "previous":
                f.rel = "last"
            elif w == "current":
                f.rel = "this"
            elif w == "past" and nxt in ("week", "month", "year", "weekend") and prev != "the":
                f.rel = "last"
            elif w == "past":
                f.rel = f.rel or "the-past"
            else:
                f.rel = f.rel or w
        elif (
            w in ("ago", "earlier", "before", "later", "after")
            and prev in _UNIT_WORDS | {"-"}
            and (f.unit is not None or prev == "-")
        ):
            if w == "ago":
                f.ago = True
                f.count = 1 if f.count is None else f.count
            else:
                f.anaphoric = True  # "a year earlier": relative to another event
        elif w in ("early", "earlier", "beginning", "start"):
            f.qual = f.qual or "early"
        elif w in ("mid", "middle"):
            f.qual = "mid"
        elif w in ("late", "later", "end"):
            f.qual = f.qual or "late"
        elif w in ("day", "days"):
            f.unit = f.unit or "day"
        elif w in ("week", "weeks"):
            f.unit = "week" if f.unit != "quarter" else f.unit
        elif w in ("weekend", "weekends"):
            f.unit = "weekend"
        elif w in ("month", "months"):
            f.unit = "month" if f.unit not in ("quarter",) else f.unit
        elif w in ("year", "years"):
            f.unit = f.unit or "year"
        elif w in ("quarter", "quarters", "q"):
            f.unit = "quarter"
        elif re.fullmatch(r"q[1-4]", w):
            f.unit, f.quarter = "quarter", int(w[1])
        elif w in ("half",):
            f.unit = "half"
        elif w in _SEASONS:
            f.unit, f.season = "season", w
        elif w in _DECADE_WORDS:
            f.unit, f.decade = "decade", 190 + _DECADE_WORDS[w]
        elif w in _ORDINALS and nxt in ("quarter", "-", "half"):
            f.quarter = _ORDINALS[w]
        elif w in _NUM_WORDS and nxt in ("day", "days", "week", "weeks", "month", "months", "year", "years", "of", "-"):
            f.count = _NUM_WORDS[w]
        elif re.fullmatch(r"'\d\d", w):
            yy = int(w[1:])
            if nxt == "s":
                f.unit, f.decade = "decade", (1900 + yy) // 10 if yy > 30 else (2000 + yy) // 10
            else:
                f.year = 1900 + yy if yy > 30 else 2000 + yy
        elif bare.isdigit():
            n = int(bare)
            if len(bare) == 4 and 1000 <= n <= 2200:
                if nxt == "s":
                    f.unit, f.decade = "decade", n // 10
                else:
                    f.year = n
            elif (
                1 <= n <= 31
                and (
                    f.month is not None
                    or nxt in MONTHS
                    or prev in MONTHS
                    or (prev == "." and i >= 2 and words[i - 2] in MONTHS)
                )
                and f.day is None
            ):
                f.day = n
            elif nxt in ("day", "days", "week", "weeks", "month", "months", "year", "years", "-"):
                f.count = n
            else:
                f.other_numbers = True
    return f


_RANGE_SPLIT = re.compile(r"\s*(?:\bto\b|\bthrough\b|\buntil\b|\btill\b|\band\b|–|—|-)\s*", re.I)


def _resolve_text(text: str, published: dt.date | None, direction: Direction, dmy: bool | None) -> _Resolved | None:
    """Resolve one date expression; None means "not a date" (drop it)."""
    low = text.lower().strip()
    if _AGE_RE.search(low) or any(w in _SET_WORDS for w in re.findall(r"[a-z]+", low)):
        return None
    numeric = _resolve_numeric(low, dmy)
    if numeric is not None:
        return numeric
    rng = _resolve_range(text, published, direction, dmy)
    if rng is not None:
        return rng
    f = _read(text)
    if f.other_numbers:
        return _dateparser_fallback(text, published)
    if f.ago and re.search(r"\b(?:few|several|many|some|couple)\b", low):
        return _Resolved(None, None, None, _granularity_of(f), True)  # "a few years ago": vague
    if f.anaphoric and f.year is None and f.month is None:
        return _Resolved(None, None, None, _granularity_of(f), False)
    if _is_duration(f, low):
        return None
    relative_needed = f.year is None and f.decade is None
    if relative_needed and published is None:
        has_anchor = any(x is not None for x in (f.weekday, f.month, f.day_word, f.quarter, f.season)) or f.unit in (
            "week",
            "weekend",
            "month",
            "year",
            "day",
        )
        return _Resolved(None, None, None, _granularity_of(f), True) if has_anchor else _UNRESOLVED
    return _resolve_features(f, published, direction)


def _granularity_of(f: _Features) -> Granularity:
    if f.day is not None or f.weekday is not None or f.day_word or f.unit == "day":
        return "day"
    if f.month is not None or f.unit == "month":
        return "month"
    if f.unit == "week":
        return "week"
    if f.unit == "year":
        return "year"
    if f.unit in ("quarter", "season", "weekend", "decade", "half"):
        return "range"
    return "unknown"


def _is_duration(f: _Features, low: str) -> bool:
    """'ten years', 'the past three months', 'weeks', 'recent days', 'a day earlier'."""
    if f.unit is None or f.ago or f.month is not None or f.weekday is not None or f.year is not None:
        return False
    if re.search(r"\brecent\b|\bseveral\b|\bfew\b|\bmany\b", low):
        return True
    if f.count is not None:
        return True
    words = f.words
    if f.unit in ("week", "month", "year", "day") and not any(w in words for w in (f.unit, f.unit + "end")):
        return True  # plural only: "weeks", "months"
    if words[:1] == ["the"] and f.rel in ("last", "the-past", "next") and f.unit in ("week", "month", "year", "day"):
        return True  # "the past year", "the last week": spans, not calendar periods
    if f.unit == "day" and f.day_word is None:
        return f.rel not in ("this", "that")
    return False


def _resolve_features(f: _Features, published: dt.date | None, direction: Direction) -> _Resolved:
    rel = f.rel if f.rel != "the-past" else None
    if f.rel == "next" or any(w in _FUTURE_WORDS for w in f.words):
        direction = "future"
    # --- explicit day: month + day (+ year)
    if f.month is not None and f.day is not None:
        month, day = f.month, f.day
        if f.year is not None:
            return _safe_day(f.year, month, day, relative=False)
        if published is None:
            return _Resolved(None, None, None, "day", False)

        def first(y: int) -> dt.date:
            return dt.date(y, month, min(day, calendar.monthrange(y, month)[1]))

        return _safe_day(_pick_year(published, first, first, direction), month, day, relative=True)
    if f.month is not None:
        qual = f.qual if not (f.qual == "late" and "later" in f.words) else None
        if f.year is not None:
            return _month(f.year, f.month, relative=False, qual=qual)
        assert published is not None
        if rel in ("last", "this", "next") and "year" in f.words:  # "June last year"
            year = published.year + {"last": -1, "this": 0, "next": 1}[rel]
        elif rel == "last":
            year = published.year - 1 if f.month >= published.month else published.year
        elif rel == "next":
            year = published.year + 1 if f.month <= published.month else published.year
        else:
            m = f.month
            year = _pick_year(published, lambda y: dt.date(y, m, 1), lambda y: _month_end(y, m), direction)
        return _month(year, f.month, relative=True, qual=qual)
    if f.decade is not None:
        start = dt.date(max(f.decade * 10, 1), 1, 1)
        return _Resolved(f"{f.decade}", start, dt.date(f.decade * 10 + 9, 12, 31), "range", False)
    if f.unit == "quarter" and (f.quarter is not None or rel is not None):
        return _resolve_quarter(f, published, rel)
    if f.unit == "half" and f.quarter in (1, 2) and f.year is not None:
        h = f.quarter
        start, end = dt.date(f.year, 6 * h - 5, 1), _month_end(f.year, 6 * h)
        return _Resolved(f"{f.year}-H{h}", start, end, "range", False)
    if f.unit == "season" and f.season is not None:
        return _resolve_season(f, published, rel, direction)
    if f.year is not None:
        return _year(f.year, relative=False, qual=f.qual)
    if published is None:
        return _UNRESOLVED
    # --- relative to publication
    if f.day_word is not None:
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[f.day_word]
        return _day(published + dt.timedelta(days=offset), relative=True)
    if f.weekday is not None:
        return _day(_weekday(published, f.weekday, rel, direction), relative=True)
    if f.ago and f.count is not None:
        n = f.count
        if f.unit == "day":
            return _day(published - dt.timedelta(days=n), relative=True)
        if f.unit == "week":
            return _week(published - dt.timedelta(weeks=n), relative=True)
        if f.unit == "month":
            y, m = _add_months(published.year, published.month, -n)
            return _month(y, m, relative=True)
        if f.unit == "year":
            return _year(published.year - n, relative=True)
        return _UNRESOLVED
    step = {"last": -1, "this": 0, "that": 0, "next": 1}.get(rel or "", None)
    if step is None and f.words[:1] == ["the"] and f.unit in ("week", "weekend") and len(f.words) == 2:
        step = 0  # "the week", "the weekend": the current one
    if step is None and f.qual and f.unit in ("week", "month", "year"):
        step = 0  # "earlier this week" already has "this"; "late in the year"
    if step is None:
        if any(w in ("now", "present", "currently") for w in f.words):
            return _UNRESOLVED
        return _UNRESOLVED
    if f.unit == "weekend":
        # The weekend nearest publication in the tense's direction: "gathered this
        # weekend" in a Monday paper is the one just gone.
        wd = published.weekday()
        last_sat = published - dt.timedelta(days=(wd - 5) % 7)
        next_sat = last_sat if wd >= 5 else last_sat + dt.timedelta(days=7)
        if direction == "past":
            saturday = last_sat
        elif direction == "future":
            saturday = next_sat
        else:
            saturday = last_sat if wd in (0, 1, 5, 6) else next_sat
        saturday += dt.timedelta(weeks=step)
        value, _, _ = _week_value(saturday)
        return _Resolved(value + "-WE", saturday, saturday + dt.timedelta(days=1), "range", True)
    if f.unit == "week":
        return _week(published + dt.timedelta(weeks=step), relative=True)
    if f.unit == "month":
        y, m = _add_months(published.year, published.month, step)
        return _month(y, m, relative=True, qual=f.qual if "later" not in f.words else "late")
    if f.unit == "year":
        return _year(published.year + step, relative=True, qual=f.qual)
    if f.unit == "day" and step == 0:
        return _day(published, relative=True)
    return _UNRESOLVED


def _dateparser_fallback(text: str, published: dt.date | None) -> _Resolved:
    """Explicit dates in shapes the rules do not read ("the 4th of July 2021").

    Only strings with a month name and a four-digit year go to dateparser, and
    only when every other number could be a day: it turns "3% on Friday" into
    a March date otherwise. Its answer is kept only if it agrees with the year
    and month written in the text.
    """
    low = text.lower()
    months = [MONTHS[w] for w in re.findall(r"[a-z]+", low) if w in MONTHS and len(w) > 3]
    years = [int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d|21\d\d)\b", low)]
    others = [int(n) for n in re.findall(r"\d+", re.sub(r"\b\d{4}\b", " ", low))]
    if len(months) != 1 or len(years) != 1 or len(others) > 1 or any(n > 31 or n < 1 for n in others) or "%" in low:
        return _UNRESOLVED
    import dateparser  # slow import; only a few mentions ever need it

    base = dt.datetime.combine(published or dt.date(years[0], 1, 1), dt.time())
    got = dateparser.parse(
        text,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["month", "year"]},
    )
    if got is None or got.year != years[0] or got.month != months[0]:
        return _UNRESOLVED
    if others and got.day == others[0]:
        return _day(got.date(), relative=False)
    return _month(got.year, got.month, relative=False)


def _safe_day(year: int, month: int, day: int, relative: bool) -> _Resolved:
    try:
        return _day(dt.date(year, month, day), relative)
    except ValueError:
        return _UNRESOLVED


def _resolve_quarter(f: _Features, published: dt.date | None, rel: str | None) -> _Resolved:
    if f.year is not None:
        year, q = f.year, f.quarter
    elif published is None:
        return _Resolved(None, None, None, "range", True)
    else:
        current = (published.month - 1) // 3 + 1
        if f.quarter is None:
            step = {"last": -1, "this": 0, "that": 0, "next": 1}.get(rel or "", 0)
            index = published.year * 4 + current - 1 + step
            year, q = index // 4, index % 4 + 1
        else:
            q = f.quarter
            year = published.year if q <= current else published.year - 1
            if rel == "last" and q >= current:
                year = published.year - 1
            elif rel == "next":
                year = published.year if q > current else published.year + 1
    if q is None:
        return _UNRESOLVED
    start, end = dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    return _Resolved(f"{year}-Q{q}", start, end, "range", f.year is None)


def _resolve_season(f: _Features, published: dt.date | None, rel: str | None, direction: Direction) -> _Resolved:
    code, first_month = _SEASONS[f.season or "summer"]

    def bounds(y: int) -> tuple[dt.date, dt.date]:
        ey, em = _add_months(y, first_month, 2)
        return dt.date(y, first_month, 1), _month_end(ey, em)

    if f.year is not None:
        year = f.year
    elif published is None:
        return _Resolved(None, None, None, "range", True)
    elif rel == "last":
        year = max(y for y in (published.year - 2, published.year - 1, published.year) if bounds(y)[1] < published)
    elif rel == "next":
        year = min(y for y in (published.year, published.year + 1) if bounds(y)[0] > published)
    else:
        year = _pick_year(
            published, lambda y: bounds(y)[0], lambda y: bounds(y)[1], direction if rel != "this" else None
        )
    start, end = bounds(year)
    return _Resolved(f"{year}-{code}", start, end, "range", f.year is None)


def _resolve_numeric(low: str, dmy: bool | None) -> _Resolved | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", low)
    if m:
        return _safe_day(int(m[1]), int(m[2]), int(m[3]), relative=False)
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})", low)
    if not m:
        return None
    a, b, y = int(m[1]), int(m[2]), int(m[3])
    if y < 100:
        y += 1900 if y > 30 else 2000
    if a > 12 and b <= 12:
        return _safe_day(y, b, a, relative=False)
    if b > 12 and a <= 12:
        return _safe_day(y, a, b, relative=False)
    if a == b:
        return _safe_day(y, a, b, relative=False)
    if dmy is None:
        return _Resolved(None, None, None, "day", False)
    return _safe_day(y, b, a, relative=False) if dmy else _safe_day(y, a, b, relative=False)


def _resolve_range(text: str, published: dt.date | None, direction: Direction, dmy: bool | None) -> _Resolved | None:
    """'from May 31 to June 4', 'May 2-4', 'between 2018 and 2020' -> an interval."""
    body = re.sub(r"^(?:from|between)\s+", "", text.strip(), flags=re.I)
    parts = _RANGE_SPLIT.split(body, maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    left, right = parts
    if re.fullmatch(r"\d{1,2}", right.strip()):  # "May 2-4": the month carries over
        m = re.match(r"([A-Za-z]+\.?)\s+\d", left)
        if not m:
            return None
        right = f"{m[1]} {right}"
    if not _looks_like_date(left) and not re.fullmatch(r"\d{1,2}", left.strip()):
        return None  # "mid-1996", "year-end": a hyphenated word, not a range
    yr = re.search(r"\b(\d{4})\s*$", right)
    if yr and not re.search(r"\b\d{4}\b", left) and re.search(r"[A-Za-z]", left):
        left = f"{left}, {yr[1]}"  # "May 31 - June 4, 2023"
    if re.fullmatch(r"\d{4}", left.strip()) and re.fullmatch(r"\d{2}", right.strip()):
        right = left.strip()[:2] + right.strip()  # "2010-11"
    a = _resolve_text(left, published, direction, dmy)
    b = _resolve_text(right, published, direction, dmy)
    if a is None or b is None or a.start is None or b.end is None or a.value is None or b.value is None:
        return None
    if b.end < a.start:
        return None
    return _Resolved(f"{a.start.isoformat()}/{b.end.isoformat()}", a.start, b.end, "range", a.relative or b.relative)


# ---------------------------------------------------------------- context: tense


def _direction(span: "SpacySpan") -> Direction:
    """Past or future from the words and verb around a date ("will meet on Friday")."""
    doc = span.doc
    before = [t.lower_ for t in doc[max(span.sent.start, span.start - 3) : span.start]]
    joined = " ".join(before)
    deadline = (
        bool(before)
        and before[-1] in ("until", "till", "by")
        or joined.endswith(("as soon as", "no later than", "as early as"))
    )
    tense = _tense(span)
    if deadline and tense != "past":
        return "future"  # deadlines and earliest dates look ahead
    return tense


def _tense(span: "SpacySpan") -> Direction:
    doc = span.doc
    if span.end < len(doc) and doc[span.end].tag_ == "POS":
        return None  # "Tuesday's declaration": the tense belongs to another clause
    head = span.root.head
    direct = head.pos_ in ("VERB", "AUX")
    if head.dep_ == "prep" and head.lower_ in ("on", "for", "at", "in"):
        head = head.head
        direct = head.pos_ in ("VERB", "AUX")
    if not direct:
        return None
    if any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo") for c in head.children):
        return "future"
    if head.lemma_ in _FUTURE_VERBS and head.tag_ != "VBD":
        return "future"  # "scheduled a news conference Thursday", "set for June 3"
    if head.tag_ == "VB" and head.dep_ == "xcomp":
        gov = head.head
        if gov.lemma_ in _FUTURE_VERBS or gov.lemma_ in ("be", "go") or any(c.lower_ == "will" for c in gov.children):
            return "future"  # "plans to meet on Friday", "is expected to vote Monday"
    if (
        head.tag_ in ("VBZ", "VBP")
        and head.lemma_ not in ("say", "be", "have", "tell", "report", "add", "note")
        and head.lower_ not in _PAST_LOOKING_PRESENT
    ):
        return "future"  # news present tense with a date: "opens on Friday"
    if head.tag_ == "VBD" or (head.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") for c in head.children)):
        return "past"
    if {"will", "'ll"} & set(t.lower_ for t in doc[max(span.sent.start, span.start - 6) : span.start]):
        return "future"
    return None


# ---------------------------------------------------------------- candidates


def _dmy_order(text: str) -> bool | None:
    """True if the article writes numeric dates day-first, False month-first, None if unknown."""
    votes = set()
    for m in re.finditer(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b", text):
        a, b = int(m[1]), int(m[2])
        if a > 12 >= b:
            votes.add(True)
        elif b > 12 >= a:
            votes.add(False)
    return votes.pop() if len(votes) == 1 else None


_LEAD_TRIM = re.compile(
    r"^(?:about|around|approximately|nearly|almost|roughly|some|as early as|as late as|by|since|until|till|from|on|in|at|of)\s+",
    re.I,
)


def _trim(full: str, start: int, end: int) -> tuple[int, int]:
    """Strip leading prepositions/hedges and trailing punctuation (character offsets in ``full``)."""
    text = full[start:end]
    if "\n" in text:  # an entity run across a line break: keep the part with the date
        parts = text.split("\n")
        best = max(range(len(parts)), key=lambda k: (len(re.findall(r"[A-Za-z]{3,}", parts[k])), len(parts[k])))
        start += sum(len(p) + 1 for p in parts[:best])
        text = parts[best]
    while True:
        m = _LEAD_TRIM.match(text)
        if not m:
            break
        start += m.end()
        text = text[m.end() :]
    stripped = re.sub(r"(?:[\s,;:'\".]|\band\b|\bor\b)+$", "", text)
    if re.search(r"\b[A-Z][a-z]{2}\.$", text) and not stripped.endswith(text[:-1]):
        stripped = text
    if re.search(r"\b(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.$", text):
        stripped = text
    end = start + len(stripped)
    if text.startswith("'s "):
        start += 3
    return start, end


def _candidates(doc: "Doc") -> list[tuple[int, int]]:
    """Character spans that may be dates, without overlaps, in text order."""
    text = doc_text(doc)
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ == "DATE":
            spans.append((ent.start_char, ent.end_char))
        elif ent.label_ == "TIME" and re.search(
            r"\b(?:yesterday|today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
            ent.text,
            re.I,
        ):
            spans.append((ent.start_char, ent.end_char))
    taken = list(spans)
    for m in _EXTRA_RE.finditer(text):
        s, e = m.start(), m.end()
        if any(s < te and ts < e for ts, te in taken):
            continue
        word = m.group(0)
        if re.search(r"\bmay\b", word, re.I) and not re.search(
            r"May\s+\d|(?:early|mid|late|in|since|until|by|last|next|this)[\s-]+May\b", word
        ):
            continue  # the modal verb
        if re.search(r"\bMarch\b", word) and word.strip() == "March":
            tok = doc.char_span(s, e, alignment_mode="expand")
            if tok is not None and tok.root.pos_ == "VERB":
                continue
        if word[0].islower() and not re.match(
            r"(?:yesterday|today|tomorrow|tonight|this|last|next|the|on|in|coming|upcoming|past)\b", word, re.I
        ):
            continue
        spans.append((s, e))
    spans = [part for s, e in spans for part in _split_ended(text, s, e)]
    spans.sort()
    out: list[tuple[int, int]] = []
    for s, e in spans:
        tod = re.match(r"\s+(?:morning|afternoon|evening|night)\b", text[e : e + 12])
        if tod and re.search(r"(?:day|tonight)$", text[s:e], re.I):
            e += tod.end()  # "Wednesday night": spaCy often leaves the time of day out
        s, e = _trim(text, s, e)
        if e <= s:
            continue
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def _split_ended(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'the quarter ended Sept. 30' -> 'the quarter' and 'Sept. 30' (two dates)."""
    m = re.search(r"\s+(?:that\s+)?(?:ended|ending|ends|beginning|starting)\s+", text[start:end])
    if not m:
        return [(start, end)]
    return [(start, start + m.start()), (start + m.end(), end)]


def _is_temporal_modifier_of_duration(text: str, start: int, end: int) -> bool:
    """'a 49-year-old' / 'five-year plan' read as ages and durations."""
    nxt = text[end : end + 5]
    return bool(re.match(r"-old\b|\s+old\b", nxt))


def extract_dates(doc: "Doc", published: dt.date | None) -> list[DateMention]:
    """Every date mention in ``doc`` with its resolved value, in text order.

    ``published`` anchors relative expressions ("Monday", "last week"); when it
    is None those stay unresolved (value None) instead of being guessed.
    Durations, ages and frequencies are not returned.
    """
    text = doc_text(doc)
    dmy = _dmy_order(text)
    out: list[DateMention] = []
    for start, end in _candidates(doc):
        if _is_temporal_modifier_of_duration(text, start, end):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        direction = _direction(span) if span is not None and len(span) else None
        resolved = _resolve_text(text[start:end], published, direction, dmy)
        if resolved is None:
            continue
        if resolved.value is None and resolved is _UNRESOLVED and not _looks_like_date(text[start:end]):
            continue
        out.append(
            DateMention(
                span=Span(start=start, end=end),
                text=text[start:end],
                value=resolved.value,
                start=resolved.start,
                end=resolved.end,
                granularity=resolved.granularity,
                relative=resolved.relative,
            )
        )
    return out


def _looks_like_date(text: str) -> bool:
    """Keep unresolved candidates only when they name a calendar anchor."""
    f = _read(text)
    return any(x is not None for x in (f.weekday, f.month, f.year, f.day_word, f.season, f.decade)) or (
        f.rel in ("last", "this", "next") and f.unit is not None
    )


# ---------------------------------------------------------------- comparing


def date_relation(a: DateMention, b: DateMention) -> Relation:
    """How two resolved date mentions relate.

    "same": equal values; "compatible": one period contains the other ("early
    May" and "May 2", "2023" and "May 2023", "last week" and a day in it) or the
    two overlap; "conflict": both resolved and disjoint; "unknown": either one
    unresolved.
    """
    if a.value is None or b.value is None or a.start is None or b.start is None or a.end is None or b.end is None:
        return "unknown"
    if a.value == b.value and a.granularity == b.granularity:
        return "same"
    if a.start <= b.start and b.end <= a.end or b.start <= a.start and a.end <= b.end:
        return "compatible"
    # "early May" (May 1-10) vs "May 12": the qualifier's edges are soft, so a
    # coarse mention whose whole unit (month/year) contains the other is compatible.
    for x, y in ((a, b), (b, a)):
        if (
            x.granularity in ("month", "year")
            and x.value is not None
            and y.value is not None
            and y.value.startswith(x.value)
        ):
            return "compatible"
    if a.start <= b.end and b.start <= a.end:
        return "compatible"
    return "conflict"
