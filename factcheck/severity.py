"""Severity rules, in one place; the report prints this table as its legend.

high   : would make a correction necessary if published: a direct quote whose
         words differ between outlets, a quote credited to an incompatible
         speaker, two statements that cannot both be true.
medium : a fact that differs and needs a call to the source before use: a
         date or a number of the same event, a person given two different
         portfolios, a quote credited to a named person in one outlet and
         to an anonymous source in another.
low    : style or naming errors that mislead little: a first name used as a
         surname.
"""

from __future__ import annotations

from .models import Severity

RULES: tuple[tuple[str, Severity, str], ...] = (
    ("quote_altered", "high", "words inside quotation marks differ for the same statement"),
    ("quote_attribution", "high", "the same quote credited to incompatible named speakers"),
    ("quote_attribution", "medium", "credited to a named speaker in one outlet, an anonymous source in another"),
    ("contradiction", "high", "statements that cannot both be true (stance, negation, antonym)"),
    ("contradiction", "medium", "'no X was done' in one outlet, X done in another: often a timing difference"),
    ("date_conflict", "medium", "the same event dated to disjoint days or periods"),
    ("number_conflict", "medium", "the same quantity with values that cannot both hold"),
    ("name_inconsistency", "medium", "one person with titles naming different portfolios"),
    ("name_inconsistency", "low", "a first name used as if it were the surname"),
)

ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2, "info": 3}


def legend_rows() -> list[tuple[str, str, str]]:
    return [(sev, kind, why) for kind, sev, why in RULES]
