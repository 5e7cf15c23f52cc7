"""Extract stage: event roles of dates (nominal event heads), spans slice back."""

from __future__ import annotations

import datetime as dt
import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from factcheck.extract import extract_doc, nominal_event  # noqa: E402
from factcheck.models import Article  # noqa: E402
from factcheck.nlp import get_nlp  # noqa: E402


def _claims(text: str, published: dt.date | None = dt.date(2018, 4, 6)):
    art = Article(id="a", path="a.txt", text=text, published=published)
    return extract_doc(art, get_nlp()(text), min_words=3)


@pytest.mark.parametrize(
    "noun, verb",
    [
        ("resignation", "resign"),
        ("announcement", "announce"),
        ("meeting", "meet"),
        ("election", "elect"),
        ("nomination", "nominate"),
        ("settlement", "settle"),
        ("invitation", "invite"),
        ("donation", "donate"),
        ("arrest", "arrest"),
        ("decision", "decide"),
        ("agreement", "agree"),
        # Bodies, places and things whose stem is a verb are no events.
        ("department", None),
        ("government", None),
        ("station", None),
        ("organization", None),
        ("information", None),
        ("foundation", None),
        ("video", None),
        ("package", None),
        ("moment", None),
    ],
)
def test_extract_nominal_event(noun, verb):
    assert nominal_event(noun) == verb


@pytest.mark.parametrize(
    "text, date_text, role",
    [
        # A date inside a noun phrase belongs to the event the noun names ...
        ("After his resignation on Friday, Mr. Farenthold deleted his Twitter account.", "Friday", "resign"),
        ("Federal authorities made an arrest on Friday in the bombing case.", "Friday", "arrest"),
        ("He would not seek re-election in the 2018 midterm election, he said.", "2018", "elect"),
        # ... a reporting noun dates a statement ...
        ("The Friday announcement surprised his staff in Washington.", "Friday", "statement"),
        ("Friday's announcement of a freeze on tests was welcomed by allies.", "Friday", "statement"),
        # ... and a noun that names no event is climbed through, as before.
        ("In a video in December announcing his resignation, Mr. Farenthold continued to deny the allegations.",
         "December", "continue"),
        # Dates on verbs keep the verb's role; reporting verbs stay one "statement" role.
        ("Representative Blake Farenthold resigned from Congress on Friday afternoon.", "Friday afternoon", "resign"),
        ("Farenthold is resigning from Congress, he announced Friday in a statement.", "Friday", "statement"),
    ],
)
def test_extract_date_role(text, date_text, role):
    ac = _claims(text)
    dates = [d for c in ac.claims for d in c.dates if d.text == date_text]
    assert dates, f"no date {date_text!r} extracted"
    assert dates[0].role == role


def test_extract_spans_slice_back():
    text = ("After his resignation on Friday, Mr. Farenthold deleted his Twitter account. "
            "The Friday announcement surprised his staff, the Pentagon said Monday.")
    ac = _claims(text)
    for c in ac.claims:
        assert text[c.span.start:c.span.end] == c.text
        for item in (*c.dates, *c.numbers, *c.entities, *c.quotes):
            assert text[item.span.start:item.span.end] == item.text
