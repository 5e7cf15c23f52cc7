"""report.view.rename: bare article ids in a summary become the names the report gives them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.report.view import rename

NAMES = {"afp-1": "AFP", "afp-12": "AFP (afp-12.txt)", "001_ab": "Reuters", "x.y": "Daily", "same": "same"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("afp-1 says 49 dead.", "AFP says 49 dead."),
        ("the toll in afp-12, against afp-1.", "the toll in AFP (afp-12.txt), against AFP."),
        ("as 001_ab reported.", "as Reuters reported."),  # an id ending a sentence
        ("x.y and x.y.", "Daily and Daily."),  # an id with a dot in it
        ("afp-1x, xafp-1, afp-1-b, afp-1_2", "afp-1x, xafp-1, afp-1-b, afp-1_2"),  # part of a longer word: no id
        ("same stays same", "same stays same"),
        ("", ""),
    ],
)
def test_report_view_rename(text, expected):
    assert rename(text, NAMES) == expected


def _by_pattern(text: str, name_of: dict[str, str]) -> str:
    """The definition: one pattern of every id, longest first, standing alone."""
    ids = sorted((i for i in name_of if name_of[i] != i), key=len, reverse=True)
    rx = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w-])")
    return rx.sub(lambda m: name_of[m.group(1)], text)


@given(
    st.lists(
        st.sampled_from(["afp-1", "afp-12", "001_ab", "x.y", "same", " ", ".", "-", "a", "_", ",", "é", "1"]),
        max_size=12,
    )
)
def test_report_view_rename_matches_the_one_pattern_definition(parts):
    text = "".join(parts)
    assert rename(text, NAMES) == _by_pattern(text, NAMES)


def _summary(aid: str, event: int | None):
    from factcheck.models import ArticleSummary

    return ArticleSummary(
        id=aid, path=f"{aid}.txt", outlet=None, title=None, published=None, claims=1, quotes=1, event=event
    )


def _statement(*carriers: str):
    from factcheck.models import Evidence, Fact, FactVersion

    versions = tuple(
        FactVersion(
            article_id=a,
            evidence=Evidence(article_id=a, path=f"{a}.txt", start=0, end=5, text="words"),
            text="words",
            relation="verbatim",
        )
        for a in carriers
    )
    return Fact(id="X-1", kind="statement", key="quote:words", label="words", status="agreed", versions=versions)


@pytest.mark.parametrize(
    "events, absent",
    [
        # one event: every other article of it lacks the quote
        ({"a": 0, "b": 0, "c": 0, "d": 0}, ["c", "d"]),
        # c and d are another story: their not quoting it says nothing
        ({"a": 0, "b": 0, "c": 1, "d": 1}, []),
        # a report written before articles knew their event: the whole run
        ({"a": None, "b": None, "c": None, "d": None}, ["c", "d"]),
    ],
)
def test_report_view_statement_absent_among_its_event(events, absent):
    from factcheck.models import Report
    from factcheck.report.view import statement_rows

    report = Report(
        name="r",
        articles=tuple(_summary(a, k) for a, k in events.items()),
        facts=(_statement("a", "b"),),
        findings=(),
        agreements=(),
        single_source=(),
    )
    (row,) = statement_rows(report, {a: a for a in events})
    assert (row.verbatim, row.absent) == (["a", "b"], absent)
