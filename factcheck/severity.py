"""Severity order, and the legend the report prints.

high   : would make a correction necessary if published.
medium : a fact that differs and needs a call to the source before use.
low    : style or naming errors that mislead little.
info   : context for a reviewer, never a conflict.

Which kind of finding gets which severity is said once, where the rule is
registered (``factcheck.compare.registry``); ``legend_rows`` reads it there.
"""

from __future__ import annotations

ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2, "info": 3}


def legend_rows() -> list[tuple[str, str, str]]:
    """(severity, kind, when) of every registered comparator rule, most severe first."""
    from .compare import legend_rows as rows

    return sorted(rows(), key=lambda r: ORDER[r[0]])
