"""People and names across the event: spellings, titles, first names used as surnames."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from ..config import DEFAULT, Config
from ..extract.quotes import norm_word
from ..identity import name_parts, title_conflict
from ..models import Claim, Fact, FactVersion, Finding
from ..places import spelling_key
from .corroboration import independent_count
from .event import Event, content_id, make_finding
from .registry import Output, comparator


@comparator(
    "people",
    rules=(
        (
            "name_inconsistency",
            "medium",
            "one person given titles that cannot both be right: different portfolios, ranks, or a man's and a woman's role",
        ),
        ("name_inconsistency", "low", "a first name used as if it were the surname"),
    ),
)
def compare_names(ev: Event) -> list[Finding]:
    out: list[Finding] = []
    seen_first: set[tuple[str, str]] = set()
    titles: dict[str, list[tuple[Claim, str]]] = defaultdict(list)
    for cid in sorted(ev.claims):
        c = ev.claims[cid]
        quoted = [q.span for q in ev.articles[c.article_id].quotes]
        for e in c.entities:
            if e.label != "PERSON":
                continue
            # Inside a quotation people call each other by first name
            # ("Donald and I agreed"): that is the speaker's wording, not ours.
            full = (
                None if any(span.contains(e.span) for span in quoted) else ev.alias.first_name_used_as_surname(e.text)
            )
            if full and (c.article_id, e.text) not in seen_first:
                seen_first.add((c.article_id, e.text))
                out.append(
                    make_finding(
                        "name_inconsistency",
                        "low",
                        f"First name used as surname: {ev.name(c.article_id)} writes “{e.text}” for {full}.",
                        (ev.claim_evidence(c, f"name: “{e.text}” at chars {e.span.start}-{e.span.end}"),),
                        detail={"rule": "first_name"},
                    )
                )
            canon = ev.alias.resolve(e.text)
            if canon and e.title and not c.headline:
                titles[canon].append((c, e.title))
    for person in sorted(titles):
        uses = titles[person]
        for (ca, ta), (cb, tb) in combinations(uses, 2):
            if ca.article_id == cb.article_id:
                continue
            why = title_conflict(ta, tb)
            if why is None:
                continue
            out.append(
                make_finding(
                    "name_inconsistency",
                    "medium",
                    f"Title differs for {person}: “{ta}” ({ev.name(ca.article_id)}) vs “{tb}” "
                    f"({ev.name(cb.article_id)}): {why}.",
                    (ev.claim_evidence(ca, f"title: {ta}"), ev.claim_evidence(cb, f"title: {tb}")),
                    key=f"title:{person}",
                    detail={"rule": "titles"},
                )
            )
            break
    return out


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})


def _near(a: str, b: str, config: Config = DEFAULT) -> bool:
    """Two spellings of one name: within ``spelling_max_distance`` edits after folding transliterations."""
    ka, kb = spelling_key(a), spelling_key(b)
    if ka == kb or not ka or not kb or ka[0] != kb[0]:
        return False  # one name in two accepted transliterations, or plainly different names
    if min(len(ka), len(kb)) < config.spelling_min_letters - 1:
        return False
    return edit_distance(ka, kb) <= (1 if min(len(ka), len(kb)) < 6 else config.spelling_max_distance)


@dataclass
class _Uses:
    spelling: str
    claims: list[Claim] = field(default_factory=list)

    def articles(self) -> set[str]:
        return {c.article_id for c in self.claims}


@comparator(
    "spellings",
    rules=(
        (
            "name_inconsistency",
            "low",
            "one person or place spelt two ways (near-identical names in one role; accepted transliterations such as Zelensky / Zelenskyy are not findings)",
        ),
    ),
)
def compare_spellings(ev: Event) -> Output:
    """Misspelt names: two near-identical spellings of one person's surname or of one place.

    People: the same first name with surnames one or two letters apart
    ("Erasmia Roumana" / "Erasmia Romana"). Places: a spelling one outlet
    alone uses, next to one that two or more outlets use ("Marrakecs" /
    "Marrakesh"). Spellings that fold to one transliteration key (Marrakesh /
    Marrakech, Prigozhin / Prigojine) are accepted, and so are two spellings
    that each have two or more independent outlets behind them.
    """
    from ..places import country_names

    out = Output()
    names: dict[str, _Uses] = {}
    countries = country_names()
    for cid in sorted(ev.claims):
        c = ev.claims[cid]
        if c.headline:
            continue  # title case defeats the tagger in headlines
        for e in c.entities:
            # The small model's labels wander ("Marrakesh" as ORG, "Al Haouz" as
            # PERSON): every name counts, whatever its label.
            if e.label not in NAME_LABELS:
                continue
            text = re.sub(r"\s*-\s*", " ", e.text)
            words = name_parts(text) if e.label == "PERSON" else text.split()
            if any(norm_word(w.lower()) != w.lower() for w in words):
                continue  # "Defence" / "Defense": British and American spelling, not a name's
            name = " ".join(words).strip()
            if len(name) >= ev.config.spelling_min_letters and name.lower() not in countries and name[:1].isupper():
                names.setdefault(name, _Uses(name)).claims.append(c)
    # Transliterations of one name are one spelling family ("Marrakesh" and
    # "Marrakech"): an odd spelling is compared with the family once.
    families: dict[str, _Uses] = {}
    for u in sorted(names.values(), key=lambda u: (-len(u.articles()), u.spelling)):
        k = " ".join(spelling_key(w) for w in u.spelling.split())
        if k in families:
            families[k].claims.extend(u.claims)
        else:
            families[k] = _Uses(u.spelling, list(u.claims))
    ordered = sorted(families.values(), key=lambda u: u.spelling)
    for i, a in enumerate(ordered):
        wa = a.spelling.split()
        for b in ordered[i + 1 :]:
            wb = b.spelling.split()
            if len(wa) != len(wb):
                continue
            differing = [(x, y) for x, y in zip(wa, wb) if x.lower() != y.lower()]
            if len(differing) != 1 or not _near(*differing[0], ev.config):
                continue
            na, nb = independent_count(a.articles(), ev.copies), independent_count(b.articles(), ev.copies)
            if len(wa) >= 2:
                # "Erasmia Roumana" / "Erasmia Romana": the rest of the name agrees
                if na >= 2 and nb >= 2:
                    continue  # both spellings are established in the coverage
                odd, usual = (a, b) if na <= nb else (b, a)
            else:
                if not ((na == 1 and nb >= 2) or (nb == 1 and na >= 2)):
                    continue  # one word, no spelling the rest of the coverage agrees on
                odd, usual = (a, b) if na == 1 else (b, a)
                if odd.articles() & usual.articles():
                    continue  # one outlet writes both: two names ("Pyongyang" and "Pyeongchang"), not a typo
            out.findings.append(_spelling_finding(ev, "name", odd.spelling, usual.spelling, odd, usual))
    return out


def _spelling_finding(ev: Event, what: str, name_a: str, name_b: str, a: _Uses, b: _Uses):
    evs = []
    for uses, _name in ((a, name_a), (b, name_b)):
        seen: set[str] = set()
        for c in uses.claims:
            if c.article_id in seen or len(seen) >= 3:
                continue
            seen.add(c.article_id)
            evs.append(ev.claim_evidence(c, f"{what} spelt “{uses.spelling}”"))
    outlets_a = ", ".join(sorted(ev.name(x) for x in a.articles()))
    outlets_b = ", ".join(sorted(ev.name(x) for x in b.articles()))
    return make_finding(
        "name_inconsistency",
        "low",
        f"A {what} spelt two ways: “{name_a}” ({outlets_a}) and “{name_b}” ({outlets_b}); "
        "check which spelling is right.",
        evs,
        detail={"spellings": f"{name_a} | {name_b}"},
        key=f"spelling:{spelling_key(name_a)}|{spelling_key(name_b)}",
    )


@comparator("people_registry")
def people_registry(ev: Event) -> Output:
    """One fact per person named in the coverage: every spelling and title each outlet uses.

    Raises nothing itself; ``compare_event`` links the name findings to these
    facts by their evidence, so the fact sheet shows a disputed name as such.
    """
    out = Output()
    people: dict[str, list[tuple[Claim, str, str | None]]] = defaultdict(list)
    for cid in sorted(ev.claims):
        c = ev.claims[cid]
        if c.headline:
            continue
        for e in c.entities:
            if e.label != "PERSON" or len(name_parts(e.text)) < 1:
                continue
            ident = ev.alias.identity(e)
            people[ident].append((c, e.text, e.title))
    for ident in sorted(people):
        uses = people[ident]
        articles = {c.article_id for c, _, _ in uses}
        if len(articles) < 2 and not any(t for _, _, t in uses):
            continue  # a name one outlet mentions once, untitled: nothing to compare
        display = max((t for _, t, _ in uses), key=lambda t: (len(name_parts(t)), len(t), t))
        versions = []
        seen = set()
        for c, text, title in uses:
            k = (c.article_id, text, title)
            if k in seen:
                continue
            seen.add(k)
            shown = f"{title} {text}" if title else text
            versions.append(
                FactVersion(
                    article_id=c.article_id,
                    evidence=ev.claim_evidence(c, f"name: {shown}"),
                    text=shown,
                    relation="title" if title else "spelling",
                    published=ev.articles[c.article_id].article.published,
                )
            )
        key = f"person:{ident}"
        out.facts.append(
            Fact(
                id=content_id("K", "person", (v.text for v in versions), key),
                kind="person",
                key=key,
                label=display,
                status="agreed" if len(articles) >= 2 else "single",
                versions=tuple(versions),
            )
        )
    return out
