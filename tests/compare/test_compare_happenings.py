"""Dates of happenings compared across the event, normalised against publication dates."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.model

TUE = dt.date(2023, 5, 30)


@pytest.mark.parametrize(
    "a, b, published, flagged",
    [
        # the same weekday, times of day that cannot both hold
        (
            "The boat was spotted in international waters late on Tuesday by a Frontex aircraft.",
            "A Frontex surveillance plane spotted the boat in international waters on Tuesday afternoon.",
            {},
            True,
        ),
        # evening and night overlap
        (
            "The earthquake struck the mountain villages late on Friday evening.",
            "The earthquake struck the mountain villages late Friday night.",
            {},
            False,
        ),
        # "Monday" in a Tuesday paper is May 29
        (
            "The minister resigned from the cabinet on Monday, the government said.",
            "The minister resigned from the cabinet on May 29, the government said.",
            {"a": TUE, "b": TUE},
            False,
        ),
        (
            "The minister resigned from the cabinet on Monday, the government said.",
            "The minister resigned from the cabinet on May 26, the government said.",
            {"a": TUE, "b": TUE},
            True,
        ),
        # undated: "Monday" cannot be resolved, so it is not compared with a date
        (
            "The minister resigned from the cabinet on Monday, the government said.",
            "The minister resigned from the cabinet on May 26, the government said.",
            {},
            False,
        ),
        # the same verb, two different happenings
        (
            "The quake struck the Atlas mountains on Friday.",
            "The storm struck the coast of Florida on Tuesday.",
            {"a": TUE, "b": TUE},
            False,
        ),
    ],
)
def test_compare_happenings_dates(compare, a, b, published, flagged):
    found = [f for f in compare({"a": a, "b": b}, published).findings if f.kind == "date_conflict"]
    assert bool(found) == flagged, [f.summary for f in found]
