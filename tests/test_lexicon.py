"""The word lists in factcheck/lexicon: one list of each, well formed, consistent."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from factcheck import lexicon

FILES = sorted(p.name for p in resources.files("factcheck.lexicon").iterdir() if p.name.endswith(".toml"))


def _lists(node, path=""):
    """(path, list) for every list of strings in a parsed TOML file."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _lists(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list) and all(isinstance(x, str) for x in node):
        yield path, node


@pytest.mark.parametrize("name", FILES)
def test_lexicon_file_parses_and_has_no_repeated_word(name):
    data = tomllib.loads(resources.files("factcheck.lexicon").joinpath(name).read_text(encoding="utf-8"))
    assert data
    for path, words in _lists(data):
        if path.endswith("endings"):
            continue  # suffix lists may repeat a suffix on purpose
        repeated = sorted({w for w in words if words.count(w) > 1})
        assert not repeated, f"{name} {path}: {repeated} listed twice"


@pytest.mark.parametrize(
    "name, section, key",
    [
        ("speech", "reporting", "verbs"),
        ("speech", "statement", "verbs"),
        ("speech", "statement", "nouns"),
        ("titles", "titles", "words"),
        ("titles", "titles", "qualifiers"),
        ("boilerplate", "outlets", "words"),
        ("syntax", "stance", "verbs"),
    ],
)
def test_lexicon_words_are_lowercase_and_trimmed(name, section, key):
    words = lexicon.words(name, section, key)
    assert words
    assert all(w == w.strip().lower() for w in words), sorted(w for w in words if w != w.strip().lower())


def test_lexicon_statement_verbs_are_reporting_verbs():
    # One list of reporting verbs: a verb that dates a statement is one the
    # quote extractor reads as a cue too (before, "testify" was in one list only).
    missing = lexicon.words("speech", "statement", "verbs") - lexicon.words("speech", "reporting", "verbs")
    assert not missing, f"statement verbs missing from [reporting] verbs: {sorted(missing)}"


def test_lexicon_title_lists_do_not_overlap():
    titles = lexicon.words("titles", "titles")
    for key in ("qualifiers", "speaker_noise"):
        both = titles & lexicon.words("titles", "titles", key)
        assert not both, f"{sorted(both)} both a title and in [titles] {key}"


def test_lexicon_portfolios_are_title_words():
    # A portfolio word must be read as part of a title to be compared at all.
    assert set(lexicon.table("titles", "portfolios")) <= lexicon.words("titles", "titles")
