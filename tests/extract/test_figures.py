"""Figure extraction: what each quantity counts, with its qualifier, place, year and flags."""

from __future__ import annotations

import pytest

from factcheck.extract import extract_doc
from factcheck.models import Article

pytestmark = pytest.mark.model


def _figures(text: str):
    from factcheck.nlp import get_nlp

    ac = extract_doc(Article(id="x", path="x.txt", text=text), get_nlp()(text))
    for f in ac.figures:
        assert text[f.span.start : f.span.end] == f.text  # every figure slices back to its text
        assert f.sentence.start <= f.span.start and f.span.end <= f.sentence.end
    return ac.figures


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The earthquake killed at least 820 people, the interior ministry said.",
            [("deaths", 820, None, {"source": "the interior ministry"})],
        ),
        ("Another 2,476 people were injured.", [("injured", 2476, 2476, {})]),
        # "slain" / "slew" lemmatise to "slay", a death verb; the adjective alone counts nothing.
        ("Three soldiers were slain in the ambush.", [("deaths", 3, 3, {})]),
        ("The slain officer leaves 3 children.", []),
        ("The death toll has risen to 2,960.", [("deaths", 2960, 2960, {})]),
        ("The death toll from the earthquake has crossed two thousand.", [("deaths", 2000, None, {})]),
        (
            "Officials confirmed 36 deaths on Wednesday and another 17 on Thursday.",
            [("deaths", 36, 36, {}), ("deaths", 17, 17, {"increment": True})],
        ),
        ("The death toll rose by nine today to 89.", [("deaths", 9, 9, {"increment": True}), ("deaths", 89, 89, {})]),
        (
            "The ministry updated a previous toll of 2,122 dead and 2,400 wounded.",
            [("deaths", 2122, 2122, {"earlier": True}), ("injured", 2400, 2400, {"earlier": True})],
        ),
        (
            "The magnitude 6.8 quake struck at a depth of 18.5 kilometers.",
            [("magnitude", 6.75, 6.85, {}), ("depth", 18.45, 18.55, {"unit": "km"})],
        ),
        ("A 4.9-magnitude aftershock hit 19 minutes later.", [("magnitude", 4.85, 4.95, {"thing": "aftershock"})]),
        ("In 2004, at least 628 people were killed.", [("deaths", 628, None, {"year": 2004})]),
        ("Reports suggested between 400 and 750 people were on board.", [("on_board", 400, 750, {"bound": "range"})]),
        ("As many as 650 migrants may have been onboard.", [("on_board", None, 650, {})]),
        (
            "The quake hit 71 kilometres southwest of Marrakesh.",
            [("distance", 70.5, 71.5, {"direction": "southwest", "anchor": "Marrakesh"})],
        ),
        ("Nine men were arrested on smuggling charges.", [("arrested", 9, 9, {})]),
        ("About 850 people are still listed as missing.", [("missing", 765, 935, {})]),
        (
            "In Marrakech, where 13 people were confirmed dead, residents slept outside.",
            [("deaths", 13, 13, {"place": "Marrakech", "breakdown": True})],
        ),
        ("Up to 500 migrants are feared dead.", [("deaths", None, 500, {"presumed": True})]),
        (
            "The smugglers charged between 4,000 and 6,000 euros for the passage.",
            [("fare", 4000, 6000, {"unit": "eur"})],
        ),
        # not totals of the event: extract nothing
        ("“Three of my grandchildren are dead,” said Omar Benhanna.", []),
        ("About 30 bodies were loaded onto refrigerated trucks.", []),
        ("The company employs 5,000 people in the region.", []),
        ("Temperatures reached 40 degrees on Sunday.", []),
        ("The quake injured 672 people, including 205 in a critical condition.", [("injured", 672, 672, {})]),
    ],
)
def test_figures_measure_and_qualifiers(text, expected):
    got = _figures(text)
    assert [f.measure for f in got] == [e[0] for e in expected]
    for f, (_measure, low, high, attrs) in zip(got, expected):
        assert (
            (f.low, f.high) == pytest.approx((low, high))
            if low is not None and high is not None
            else (f.low is None) == (low is None) and (f.high is None) == (high is None)
        )
        for k, v in attrs.items():
            assert getattr(f, k) == v, (k, getattr(f, k))


def test_figures_headline_is_read_too():
    from factcheck.models import Span
    from factcheck.nlp import get_nlp

    text = "Maui wildfires: 49 dead as toll rises to 61\n\nFirefighters battled the flames on Sunday."
    art = Article(id="x", path="x.txt", text=text, headline=Span(start=0, end=text.index("\n")))
    figs = extract_doc(art, get_nlp()(text)).figures
    assert [(f.measure, f.value, f.headline) for f in figs] == [("deaths", 49, True), ("deaths", 61, True)]
