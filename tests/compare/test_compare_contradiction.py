"""Contradictions across the event: rankings of the event itself."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    "a, b, flagged",
    [
        (
            "Officials said it was the second deadliest wildfire in the United States in a century.",
            "Officials said it was the deadliest U.S. wildfire in a century.",
            True,
        ),
        (
            "Officials said it was the deadliest U.S. wildfire in a century.",
            "Officials said it was the deadliest U.S. wildfire in more than a century.",
            False,
        ),
        (
            "It was the country's deadliest earthquake in more than six decades.",
            "It was the country's deadliest earthquake in more than 60 years.",
            False,
        ),
        (
            "It was the most powerful quake to ever hit the country.",
            "The quake was the strongest to hit the country in the last century.",
            True,
        ),
        # a past event's record is not the event's ranking
        (
            "Morocco's deadliest ever quake struck near Agadir in 1960.",
            "It was the deadliest earthquake in decades.",
            False,
        ),
        # a ranking of something else in the sentence
        (
            "The quake damaged Marrakesh, the country's fourth largest city.",
            "It was the largest quake in a century.",
            False,
        ),
    ],
)
def test_compare_contradiction_superlatives(compare, a, b, flagged):
    found = [f for f in compare({"a": a, "b": b}).findings if f.kind == "contradiction"]
    assert bool(found) == flagged, [f.summary for f in found]
