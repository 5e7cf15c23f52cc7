"""Word lists as data: one TOML file per subject, one list of each kind.

* ``speech.toml``: reporting verbs, the statement verbs among them, reporting
  nouns, speaker-phrase heads;
* ``titles.toml``: title and office words, qualifiers, portfolios, ranks,
  honorifics, nicknames;
* ``institutions.toml``: institutions that speak for one body, country names;
* ``events.toml``: nouns that name events (and "-ation" nouns that do not);
* ``syntax.toml``: stance, support and doubting verbs of the contradiction rules;
* ``boilerplate.toml``: outlet words and share buttons the cleaner removes;
* ``spellings.toml``: British spellings and abbreviations that are the same wording;
* ``measures.toml`` / ``figures.toml``: what a figure counts (read by
  ``factcheck.extract.figures``).

A word is added by adding one line to its file (see CONTRIBUTING.md); the
package's source hash covers these files, so a change invalidates the caches.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed ``lexicon/<name>.toml``."""
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def words(name: str, section: str, key: str = "words") -> frozenset[str]:
    """The word list ``[section] key`` of ``lexicon/<name>.toml``."""
    return frozenset(load(name)[section][key])


def table(name: str, section: str) -> dict[str, Any]:
    """The table ``[section]`` of ``lexicon/<name>.toml``, in file order."""
    return dict(load(name)[section])


__all__ = ["load", "table", "words"]
