"""Identity across articles: one key for a person or an institution however it is written.

One identity for "Lloyd Austin" / "Austin" / "Secretary Austin", and for
institutions written several ways ("the Pentagon" / "the Defense Department" /
"DoD"); titles and ranks compared ("Defense Minister" vs "Foreign Minister").
The institution and country tables are general world knowledge about how
newsrooms name governments, not tuned to any article.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from . import lexicon
from .models import EntityMention

# Words that make up a written title before a name ("Pentagon spokesman
# Brigadier General Pat Ryder", "Chinese Foreign Minister Qin Gang"), and the
# portfolios, institutions and countries: lexicon/titles.toml and
# lexicon/institutions.toml.
ROLE_WORDS: frozenset[str] = lexicon.words("titles", "titles")
# Two titles with disjoint portfolios for one person conflict ("Defense
# Minister" vs "Foreign Minister"); role heads alone (Secretary vs Minister) do not.
PORTFOLIOS: dict[str, str] = lexicon.table("titles", "portfolios")
# Institutions that speak for the same body. Each inner tuple is one identity.
INSTITUTION_ALIASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(group) for group in lexicon.table("institutions", "institutions")["aliases"]
)
COUNTRY_ALIASES: dict[str, str] = lexicon.table("institutions", "countries")

_LEADING = re.compile(r"^(the|a|an)\s+", re.I)
POSSESSIVE = re.compile(r"[’']s$")


def norm_name(text: str) -> str:
    """Lower-cased, article-less, possessive-less form used as an identity key."""
    t = text.strip().replace("’", "'")
    t = _LEADING.sub("", t)
    t = POSSESSIVE.sub("", t)
    return re.sub(r"\s+", " ", t).lower()


def institution_key(text: str) -> str | None:
    n = norm_name(text)
    for group in INSTITUTION_ALIASES:
        if n in group:
            return group[0]
    return None


def country_key(text: str) -> str | None:
    return COUNTRY_ALIASES.get(norm_name(text))


# "Jim Mattis" and "James Mattis" are one person; "Mr" and "Dr" are no part of a name.
NICKNAMES: dict[str, str] = lexicon.table("titles", "nicknames")
_HONORIFICS: frozenset[str] = lexicon.words("titles", "names", "honorifics")
_SUFFIXES = {"ii", "iii", "iv", "v"}
_INITIAL = re.compile(r"^[A-Z]\.?$")


def name_parts(text: str) -> list[str]:
    """The words of a person's name without titles, middle initials or II/III.

    "Representative Ed Royce" -> ["Ed", "Royce"]; "Robert S. Mueller III" ->
    ["Robert", "Mueller"]; "Kim Jong - un" -> ["Kim", "Jong-un"]. Jr./Sr. stay:
    they tell father and son apart.
    """
    t = re.sub(r"\s*-\s*", "-", text.strip())
    t = POSSESSIVE.sub("", t)
    words = [w for w in t.split() if w]
    while words and (words[0].lower().rstrip(".") in _HONORIFICS or words[0].lower() in ROLE_WORDS):
        words = words[1:]
    while len(words) > 1 and words[-1].lower().rstrip(".,") in _SUFFIXES:
        words = words[:-1]
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if not _INITIAL.match(w)] + [words[-1]]
    return words


def person_key(text: str) -> str:
    """One key per person as written in full: first + last name, nicknames folded.

    Hyphens count as spaces, so "Kim Jong-un" and "Kim Jong Un" share a key.
    """
    parts = [w.lower() for w in " ".join(name_parts(text)).replace("-", " ").split()]
    if not parts:
        return ""
    parts[0] = NICKNAMES.get(parts[0], parts[0])
    return " ".join(parts if len(parts) == 1 else [parts[0], parts[-1]])


@dataclass
class AliasIndex:
    """Resolves short person names to full names seen in the same run.

    Built over all articles, so "Austin" in one outlet resolves through
    "Lloyd Austin" in another. Full names are grouped by ``person_key``, so
    "Donald J. Trump" and "Donald Trump" are one candidate, not an ambiguity.
    An ambiguous surname (two different people end with it) stays unresolved
    rather than guessed.
    """

    by_last: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # surname -> keys
    by_first: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # first name -> keys
    display: dict[str, str] = field(default_factory=dict)  # key -> the name shown in findings
    singles: set[str] = field(default_factory=set)  # one-word PERSON mentions, lower-cased
    orgs: dict[str, str] = field(default_factory=dict)  # acronym of a full organisation name -> key

    @classmethod
    def build(cls, mentions: Iterable[EntityMention]) -> "AliasIndex":
        idx = cls()
        names: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            if m.label == "ORG":
                words = [w for w in re.findall(r"[A-Za-z]+", m.text) if w.lower() not in {"of", "the", "and", "for"}]
                if len(words) >= 2 and all(w[:1].isupper() for w in words):
                    idx.orgs.setdefault("".join(w[0] for w in words).lower(), org_key(m.text))
                continue
            if m.label != "PERSON":
                continue
            parts = name_parts(m.text)
            if len(parts) == 1:
                idx.singles.add(parts[0].lower())
            if len(parts) >= 2 and all(p[:1].isupper() for p in parts):
                key = person_key(m.text)
                names[key].add(" ".join(parts))
                idx.by_last[parts[-1].lower()].add(key)
                idx.by_first[parts[0].lower()].add(key)
        for key, variants in names.items():
            # The shortest full form, then alphabetical: deterministic and plain.
            idx.display[key] = min(variants, key=lambda v: (len(v), v))
        return idx

    def resolve(self, text: str) -> str | None:
        parts = name_parts(text)
        if not parts:
            return None
        if len(parts) >= 2:
            key = person_key(text)
            return self.display.get(key)
        word = parts[0].lower()
        cands = self.by_last.get(word, set())
        if len(cands) == 1:
            return self.display[next(iter(cands))]
        firsts = self.by_first.get(word, set())
        if not cands and len(firsts) == 1:
            return self.display[next(iter(firsts))]
        return None

    def is_known_surname(self, text: str) -> bool:
        """A one-word mention that is exactly one known person's surname.

        spaCy often labels a bare surname as a place or organisation
        ("Mattis", "Pompeo"); the run's full names tell us better.
        """
        parts = text.split()
        return (
            len(parts) == 1
            and len(self.by_last.get(parts[0].lower(), ())) == 1
            and not country_key(text)
            and not institution_key(text)
        )

    def first_name_used_as_surname(self, text: str) -> str | None:
        """The full name whose *first* name is used alone, as if a surname.

        "Lloyd" for Lloyd Austin in running text is a naming error in English
        news style. Which word is the surname is learnt from the run itself:
        only when the *last* word of the full name is also used alone ("Austin")
        is a lone first word ("Lloyd") inconsistent. Names written surname
        first ("Li Shangfu", shortened to "Li") are therefore never flagged.
        """
        parts = text.split()
        if len(parts) != 1:
            return None
        word = parts[0].lower()
        if word in self.by_last:
            return None
        firsts = self.by_first.get(word, set())
        if len(firsts) != 1:
            return None
        key = next(iter(firsts))
        return self.display[key] if key.split()[-1] in self.singles else None

    def identity(self, entity: EntityMention) -> str:
        """The run-wide identity of an entity mention, used to link mentions."""
        if entity.label == "PERSON" or self.is_known_surname(entity.text):
            resolved = self.resolve(entity.text)
            return "person:" + person_key(resolved or entity.text)
        key = institution_key(entity.text) or country_key(entity.text)
        if key:
            return key
        org = org_key(entity.text)
        return self.orgs.get(org.replace(" ", ""), org)


def org_key(text: str) -> str:
    """Organisation name key: dots out of acronyms, no leading "the"/"U.S."."""
    n = norm_name(text).replace(".", "")
    n = re.sub(r"^(us|american|british|uk)\s+", "", n)
    return n


def portfolios(title: str | None) -> frozenset[str]:
    """The portfolios a title names: "Defense Minister" -> {defence}; a bare US "Secretary of State" -> {foreign}."""
    if not title:
        return frozenset()
    low = title.lower()
    words = re.findall(r"[a-z]+", low)
    found = {PORTFOLIOS[w] for w in words if w in PORTFOLIOS}
    if "secretary of state" in low and " for " not in low:
        found.add("foreign")  # the US office; "Secretary of State for Defence" names its own portfolio
    return frozenset(found)


# Military ranks, longest first, with their abbreviations: a brigadier general
# called "General" is given the wrong rank.
_RANKS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (rank, tuple(forms)) for rank, forms in lexicon.table("titles", "ranks").items()
)
_GENDERED = re.compile(r"\b(spokes|chair|congress|council|business|police)(man|woman)\b")


def rank(title: str | None) -> str | None:
    """The military rank a title gives, in full ("Brig. Gen." -> "brigadier general"), or None."""
    if not title:
        return None
    low = f" {title.lower()} "
    for name, abbrs in _RANKS:
        for form in (name, *abbrs):
            if re.search(rf"(?<![a-z.]){re.escape(form)}(?![a-z])", low):
                return name
    return None


def title_conflict(a: str | None, b: str | None) -> str | None:
    """Why two titles of one person cannot both be right, or None.

    Different portfolios ("Defense Secretary" / "Secretary of State"),
    different military ranks ("Brigadier General" / "General"), or a role
    given as a man's and as a woman's ("spokesman" / "spokeswoman"). Role
    heads alone (Secretary / Minister) are translated freely and never clash.
    """
    pa, pb = portfolios(a), portfolios(b)
    if pa and pb and not pa & pb:
        return f"different portfolios ({', '.join(sorted(pa))} / {', '.join(sorted(pb))})"
    ra, rb = rank(a), rank(b)
    if ra and rb and ra != rb:
        return f"different ranks ({ra} / {rb})"
    ga = {m.group(2) for m in _GENDERED.finditer((a or "").lower())}
    gb = {m.group(2) for m in _GENDERED.finditer((b or "").lower())}
    if ga and gb and not ga & gb:
        return "a man's role in one, a woman's in the other"
    return None


def speaker_keys(speaker: str | None, canonical: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """Identity keys of a speaker: (who exactly, which countries they speak for).

    "Pentagon spokesman Pat Ryder" -> ({"person:pat ryder", "inst:pentagon"}, {...})
    The first set decides compatibility between institutions and people; the
    second only matters when one side is a bare country or capital ("Beijing").
    """
    keys: set[str] = set()
    countries: set[str] = set()
    if canonical:
        keys.add("person:" + canonical.lower())
    if not speaker:
        return frozenset(keys), frozenset()
    low = norm_name(speaker)
    for group in INSTITUTION_ALIASES:
        for alias in group:
            if re.search(rf"\b{re.escape(alias)}\b", low):
                keys.add("inst:" + group[0])
                break
    for word, country in COUNTRY_ALIASES.items():
        if re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", low):
            countries.add(country)
    # Generic bodies: "foreign ministry", "embassy", "defense ministry".
    for body in (
        "foreign ministry",
        "defense ministry",
        "defence ministry",
        "ministry of defense",
        "ministry of national defense",
        "embassy",
        "foreign office",
        "ministry of foreign affairs",
        "national security council",
        "commerce ministry",
        "army",
        "police",
        "military",
    ):
        if body in low:
            b = body.replace("defence", "defense")
            b = {
                "ministry of defense": "defense ministry",
                "ministry of national defense": "defense ministry",
                "ministry of foreign affairs": "foreign ministry",
                "foreign office": "foreign ministry",
            }.get(b, b)
            keys.add("body:" + b)
    # Any ministry by its portfolio: "a spokesman for the interior ministry",
    # "the Ministry of the Interior", "Interior Ministry" are one body.
    for m in re.finditer(r"\b([a-z]+) ministry\b|\bministry of (?:the )?([a-z]+)", low):
        word = (m.group(1) or m.group(2)).replace("defence", "defense")
        if word not in {"the", "a", "foreign", "defense"}:
            keys.add("body:" + {"interior": "interior", "home": "interior"}.get(word, word) + " ministry")
    for body in ("coast guard", "coastguard", "fire department", "civil protection", "red cross", "red crescent"):
        if body in low:
            keys.add("body:" + body.replace("coastguard", "coast guard"))
    return frozenset(keys), frozenset(countries)
