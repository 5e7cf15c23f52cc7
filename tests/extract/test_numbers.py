"""Quantities: extraction (value, unit, bound) and when two cannot both be true."""

from __future__ import annotations

import pytest

from factcheck.extract.numbers import extract_numbers, numbers_conflict
from factcheck.models import NumberMention, Span


@pytest.fixture(scope="module")
def nlp():
    from factcheck.nlp import get_nlp

    return get_nlp()


def _numbers(nlp, text: str) -> list[tuple[str, float, str | None, str, bool]]:
    return [(m.text, m.value, m.unit, m.bound, m.is_year) for m in extract_numbers(nlp(text))]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The attack killed 10 people.", [("10", 10.0, "people", "exact", False)]),
        ("Five soldiers died.", [("Five", 5.0, "soldier", "exact", False)]),
        ("Some 1,200 residents fled.", [("Some 1,200", 1200.0, "resident", "about", False)]),
        ("The company lost $1.2 billion.", [("$1.2 billion", 1.2e9, "usd", "exact", False)]),
        ("Inflation rose 3% in April.", [("3%", 3.0, "percent", "exact", False)]),
        ("Inflation rose 3.5 percent.", [("3.5 percent", 3.5, "percent", "exact", False)]),
        ("More than 3 million people fled.", [("More than 3 million", 3e6, "people", "at_least", False)]),
        ("At least 40 buildings collapsed.", [("At least 40", 40.0, "building", "at_least", False)]),
        ("Up to 40 buildings collapsed.", [("Up to 40", 40.0, "building", "at_most", False)]),
        ("About 300 troops arrived.", [("About 300", 300.0, "troop", "about", False)]),
        ("Twenty-six people died.", [("Twenty-six", 26.0, "people", "exact", False)]),
        ("Two dozen houses burned.", [("Two dozen", 24.0, "house", "exact", False)]),
        ("The plant opened in 2018.", [("2018", 2018.0, None, "exact", True)]),
        ("A 49-year-old man was held.", [("49-year-old", 49.0, "years old", "exact", False)]),
    ],
)
def test_numbers_extract(nlp, text, expected):
    assert _numbers(nlp, text) == expected


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "He was the first to arrive.",
        "The storm hit on May 31.",
        "The report is dated 2023-05-06.",
        "One of the officials resigned.",
        "No one was hurt.",
        "Thousands of people marched.",
        "The meeting starts at 10 a.m.",
    ],
)
def test_numbers_not_a_quantity_yields_nothing(nlp, text):
    assert [n for n in _numbers(nlp, text) if not n[4]] == []


@pytest.mark.model
def test_numbers_spans_slice_back(nlp):
    text = (
        "About 1,200 people fled and at least 10 died on May 31, 2023; damage reached $1.2 billion, "
        "or 3% of output, and 49-year-old officials said two dozen homes burned."
    )
    mentions = extract_numbers(nlp(text))
    assert len(mentions) >= 5
    for m in mentions:
        assert text[m.span.start : m.span.end] == m.text


def _n(
    text: str, value: float, unit: str | None = "people", bound: str = "exact", is_year: bool = False
) -> NumberMention:
    return NumberMention(
        span=Span(start=0, end=len(text)), text=text, value=value, unit=unit, bound=bound, is_year=is_year
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (_n("10", 10), _n("12", 12), True),
        (_n("10", 10), _n("10", 10), False),
        (_n("1.2 million", 1.2e6), _n("1,230,000", 1.23e6), False),  # rounding agrees
        (_n("1.2 million", 1.2e6), _n("1,300,000", 1.3e6), True),
        (_n("about 100", 100, bound="about"), _n("108", 108), False),
        (_n("about 100", 100, bound="about"), _n("130", 130), True),
        (_n("at least 10", 10, bound="at_least"), _n("12", 12), False),
        (_n("at least 10", 10, bound="at_least"), _n("8", 8), True),
        (_n("at most 10", 10, bound="at_most"), _n("8", 8), False),
        (_n("at most 10", 10, bound="at_most"), _n("12", 12), True),
        (_n("at least 10", 10, bound="at_least"), _n("at most 8", 8, bound="at_most"), True),
        (_n("at least 10", 10, bound="at_least"), _n("at least 50", 50, bound="at_least"), False),
        (_n("10", 10, unit="people"), _n("12", 12, unit="soldier"), False),  # different units: no verdict
        (_n("10", 10, unit=None), _n("12", 12, unit=None), False),  # unknown units: no verdict
        (_n("10", 10, unit="people"), _n("12", 12, unit="person"), True),  # synonyms
        (_n("2018", 2018, unit=None, is_year=True), _n("2019", 2019, unit=None, is_year=True), False),
        (_n("3%", 3, unit="percent"), _n("3.4%", 3.4, unit="percent"), False),  # 3.4 rounds to 3
        (_n("3%", 3, unit="percent"), _n("3.6%", 3.6, unit="percent"), True),
        (_n("$1.2 billion", 1.2e9, unit="usd"), _n("$1.24 billion", 1.24e9, unit="usd"), False),
    ],
)
def test_numbers_conflict(a, b, expected):
    assert numbers_conflict(a, b) is expected
    assert numbers_conflict(b, a) is expected
