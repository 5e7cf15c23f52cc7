"""The comparator registry: each rule is one function plus one line of the legend.

``@comparator(name, scope=..., rules=...)`` registers a function that reads an
``Event`` (scope ``"event"``) or one claim cluster of it (scope ``"cluster"``)
and returns an ``Output`` (facts and findings). ``rules`` are the finding kinds
it raises with their severity and when: the report prints them as its legend,
so a severity is stated in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

from ..models import Fact, Finding, FindingKind, Severity

Scope = Literal["event", "cluster"]


@dataclass
class Output:
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def __iadd__(self, other: "Output") -> "Output":
        self.facts += other.facts
        self.findings += other.findings
        return self


@dataclass(frozen=True)
class Rule:
    kind: FindingKind
    severity: Severity
    when: str


@dataclass(frozen=True)
class Comparator:
    name: str
    scope: Scope
    fn: Callable
    rules: tuple[Rule, ...]


COMPARATORS: list[Comparator] = []


def comparator(name: str, scope: Scope = "event", rules: tuple[tuple[FindingKind, Severity, str], ...] = ()):
    """Register a comparator; it runs in registration order (module import order)."""

    def deco(fn: Callable) -> Callable:
        if any(c.name == name for c in COMPARATORS):
            raise ValueError(f"comparator {name!r} registered twice")
        COMPARATORS.append(Comparator(name, scope, fn, tuple(Rule(*r) for r in rules)))
        return fn

    return deco


def legend_rows() -> list[tuple[str, str, str]]:
    """(severity, kind, when) for every registered rule, in registration order."""
    return [(r.severity, r.kind, r.when) for c in COMPARATORS for r in c.rules]
