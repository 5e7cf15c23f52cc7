"""Statement families: one finding per statement whose wording differs; same wording stays quiet."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model

CANON = (
    "“The Department believes strongly in the importance of maintaining open lines of communication "
    "between Washington and Beijing,” the Pentagon said."
)


@pytest.mark.parametrize(
    "a, b, altered",
    [
        # verbatim, with "U.S." / "US" and British / American spelling inside the marks
        (
            "“The U.S. defence ministry will keep every channel open with Beijing,” the spokesman said.",
            "“The US defense ministry will keep every channel open with Beijing,” the spokesman said.",
            False,
        ),
        # trimmed at the end, and shortened with an ellipsis
        (
            CANON,
            "“The Department believes strongly in the importance of maintaining open lines,” the Pentagon said.",
            False,
        ),
        (
            "“Where destructive earthquakes are rare, buildings are simply not constructed robustly enough to cope "
            "with strong ground shaking, so many collapse resulting in high casualties,” he said.",
            "“Where destructive earthquakes are rare, buildings are simply not constructed robustly enough... so many "
            "collapse, resulting in high casualties,” said Bill McGuire.",
            False,
        ),
        # an editorial insertion in brackets
        (
            "“The ministry will publish the full list of victims on Monday,” the spokesman said.",
            "“The [interior] ministry will publish the full list of victims on Monday,” the spokesman said.",
            False,
        ),
        # a re-translation: the same statement, other words
        (
            CANON,
            "“The Department firmly believes it is important to maintain open lines of communication "
            "between Washington and Beijing,” the Pentagon said.",
            True,
        ),
        (
            "“Extravagant ambitions and personal interests led to treason against our country,” Putin said.",
            "“Excessive ambitions and personal interests have led to betrayal of our country,” Putin said.",
            True,
        ),
        # two different remarks by two different named speakers are two statements
        (
            "“We will rebuild every school in the province within a year,” Governor Mary Jones said.",
            "“We will not rebuild every school in the province,” Senator John Smith said.",
            False,
        ),
        # fragments of a few words inside the reporter's sentence: too short to call
        (
            "The army has “received the necessary orders” to act, the president said.",
            "The army has “been given the necessary orders” to act, the president said.",
            False,
        ),
    ],
)
def test_compare_statements_wording(compare, a, b, altered):
    found = [f for f in compare({"a": a, "b": b}).findings if f.kind == "quote_altered"]
    assert bool(found) == altered, [f.summary for f in found]
    if altered:
        (f,) = found
        assert "diff" in f.detail and f.fact_id


def test_compare_statements_one_finding_for_twenty_outlets(compare):
    texts = {f"o{i:02d}": CANON for i in range(12)}
    for i in range(12, 20):
        texts[f"o{i:02d}"] = (
            "“The Department firmly believes it is important to maintain open lines of "
            "communication between Washington and Beijing,” the Pentagon said."
        )
    result = compare(texts)
    found = [f for f in result.findings if f.kind == "quote_altered"]
    assert len(found) == 1
    (fact,) = [x for x in result.facts if x.kind == "statement"]
    assert len({v.article_id for v in fact.versions}) == 20
    assert found[0].detail["verbatim_outlets"] == 12 and found[0].detail["outlets"] == 20


@pytest.mark.parametrize(
    "credit_a, credit_b, clash",
    [
        ("Pentagon press secretary Pat Ryder said", "the Pentagon said", False),  # a spokesman for his department
        ("a spokesman for the interior ministry said", "the interior ministry said", False),
        ("the International Organization for Migration (IOM) said", "the IOM said", False),
        ("Reuters reported, citing the ministry", "the ministry said", False),  # an agency relaying it
        ("Governor Mary Jones said", "Senator John Smith said", True),
    ],
)
def test_compare_statements_credits(compare, credit_a, credit_b, clash):
    quote = "“Every family that lost a home will be housed before the winter comes,”"
    found = [
        f
        for f in compare({"a": f"{quote} {credit_a}.", "b": f"{quote} {credit_b}."}).findings
        if f.kind == "quote_attribution"
    ]
    assert bool(found) == clash, [f.summary for f in found]
