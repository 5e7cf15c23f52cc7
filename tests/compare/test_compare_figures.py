"""Figures across the event: one finding per disputed slot, near misses stay quiet."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


def _kinds(result, kind="number_conflict"):
    return [f for f in result.findings if f.kind == kind]


@pytest.mark.parametrize(
    "a, b, disputed",
    [
        # the same toll with qualifiers that can both hold
        (
            "At least 120 people died in the flood, officials said.",
            "The flood killed 127 people, officials said.",
            False,
        ),
        (
            "More than 820 people have died, the ministry said.",
            "The quake killed at least 820 people, the ministry said.",
            False,
        ),
        (
            "The quake killed 820 people, the ministry said.",
            "The death toll has risen to 820, the ministry said.",
            False,
        ),
        # a toll that has moved on
        ("The quake killed 820 people, the ministry said.", "2,012 people were killed, the ministry said.", True),
        # two floors can both hold: "at least 820" and "at least 2,012" (a revision, no conflict)
        (
            "The quake killed at least 820 people, the ministry said.",
            "At least 2,012 people were killed, the ministry said.",
            False,
        ),
        # a headline toll against a lead's toll: not paraphrases, still one slot
        ("Quake kills 49\n\nRescuers searched the rubble on Sunday.", "The death toll rose to 61 on Sunday.", True),
        # a magnitude is good to a tenth: 7 is not 6.8
        (
            "The magnitude 6.8 earthquake struck late on Friday.",
            "The magnitude 7 earthquake struck late on Friday.",
            True,
        ),
        # another shock is not a version of the main quake's magnitude
        (
            "The magnitude 6.8 earthquake struck late on Friday.",
            "A 4.9-magnitude aftershock hit 19 minutes later.",
            False,
        ),
        # two roundings of one distance, and one that is not
        (
            "The quake hit 71 kilometres southwest of Marrakesh.",
            "The quake struck 72 kilometres southwest of Marrakesh.",
            False,
        ),
        (
            "The quake hit 71 kilometres southwest of Marrakesh.",
            "The quake struck 75 kilometres southwest of Marrakesh.",
            True,
        ),
        # a past event's toll is a slot of its own
        (
            "The wildfire has killed 53 people, officials said.",
            "In 2018, the Camp Fire killed 85 people in California.",
            False,
        ),
        # a part of the toll ("In X, where ...") is no version of the total
        (
            "The quake killed 820 people. In Marrakech, where 13 people were confirmed dead, residents slept outside.",
            "The quake killed 820 people, the ministry said.",
            False,
        ),
        # different measures never meet
        ("The storm killed 12 people.", "The storm injured 40 people.", False),
        # ranges: between 400 and 750 holds 700
        (
            "Reports suggested between 400 and 750 people were on board.",
            "Survivors said about 700 people were on board.",
            False,
        ),
        (
            "Initial reports suggest up to 400 people were on board.",
            "Witnesses said at least 750 people were on board.",
            True,
        ),
    ],
)
def test_compare_figures_slot_disputed_or_not(compare, a, b, disputed):
    result = compare({"a": a, "b": b})
    found = _kinds(result)
    assert bool(found) == disputed, [f.summary for f in found]
    if disputed:
        (f,) = found
        assert {e.article_id for e in f.evidence} == {"a", "b"}
        assert f.fact_id in {fact.id for fact in result.facts}


def test_compare_figures_one_finding_for_twenty_outlets(compare):
    texts = {f"o{i:02d}": "The earthquake killed 820 people, the interior ministry said." for i in range(19)}
    texts["o19"] = "The earthquake killed 900 people, the interior ministry said."
    found = _kinds(compare(texts))
    assert len(found) == 1
    assert len({e.article_id for e in found[0].evidence}) == 20  # every outlet's version


def test_compare_figures_internal_inconsistency(compare):
    a = "Quake kills more than 1,300\n\nThe interior ministry said 820 people had been killed."
    b = "The quake killed more than 1,300 people, rescuers said."
    found = _kinds(compare({"a": a, "b": b}))
    assert any(f.detail.get("scope") == "internal" and {e.article_id for e in f.evidence} == {"a"} for f in found)


@pytest.mark.parametrize(
    "a, b, conflict",
    [
        (
            "The smugglers charged between 4,000 and 6,000 euros per person for the passage.",
            "Survivors paid between 4 and 6 thousand dollars for the trip.",
            True,
        ),
        ("Each survivor paid $4,500 (4,124 euros) for the trip.", "Survivors paid $4,500 for the trip.", False),
    ],
)
def test_compare_figures_currency(compare, a, b, conflict):
    assert bool(_kinds(compare({"a": a, "b": b}))) == conflict


@pytest.mark.parametrize(
    "a, b, flagged",
    [
        (
            "The quake hit 75 kilometres southeast of Marrakesh.",
            "The quake hit 71 kilometres southwest of Marrakesh.",
            True,
        ),
        (
            "The quake hit 71 kilometres southwest of Marrakesh.",
            "The quake struck 72 kilometres south-west of Marrakesh.",
            False,
        ),
    ],
)
def test_compare_figures_opposite_directions(compare, a, b, flagged):
    found = [f for f in compare({"a": a, "b": b}).findings if f.kind == "contradiction"]
    assert bool(found) == flagged


@pytest.mark.parametrize(
    "a, b, flagged",
    [
        (
            "Authorities revised the confirmed death toll from 79 to 78.",
            "A death toll of 78 was communicated. The death toll was later revised to 79.",
            True,
        ),
        (
            "Authorities revised the confirmed death toll from 79 to 78.",
            "The number of bodies recovered was 78 and not 79, the coast guard said.",
            False,
        ),
    ],
)
def test_compare_figures_corrections_in_opposite_directions(compare, a, b, flagged):
    found = [f for f in compare({"a": a, "b": b}).findings if f.kind == "contradiction"]
    assert bool(found) == flagged


def test_compare_figures_revision_sequence_in_time_order_when_dated(compare):
    import datetime as dt

    texts = {
        "sat": "The earthquake killed 820 people, the ministry said.",
        "mon": "The earthquake killed 2,497 people, the ministry said.",
        "sun": "The earthquake killed 2,122 people, the ministry said.",
    }
    days = {"sat": dt.date(2023, 9, 9), "sun": dt.date(2023, 9, 10), "mon": dt.date(2023, 9, 11)}
    (f,) = _kinds(compare(texts, days))
    seq = f.detail["sequence"]
    assert seq.index("820") < seq.index("2,122") < seq.index("2,497")
    assert "undated" not in seq


@pytest.mark.parametrize(
    "text, flagged",
    [
        # 18.5 km is 11.5 miles: the same depth; 15 miles is another one
        ("The quake struck at a depth of 18.5 kilometres (11.5 miles), the survey said.", False),
        ("The quake struck at a depth of 18.5 kilometres (15 miles), the survey said.", True),
    ],
)
def test_compare_figures_unit_conversion(compare, text, flagged):
    found = [
        f
        for f in compare({"a": text, "b": "Rescuers searched the rubble on Sunday."}).findings
        if f.detail.get("rule") == "conversions"
    ]
    assert bool(found) == flagged
    if flagged:
        assert found[0].severity == "low" and found[0].kind == "number_conflict"
