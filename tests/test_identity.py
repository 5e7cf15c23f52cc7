import pytest

from factcheck.identity import AliasIndex, institution_key, name_parts, person_key, portfolios, speaker_keys
from factcheck.models import EntityMention, Span


def _person(text: str) -> EntityMention:
    return EntityMention(span=Span(start=0, end=len(text)), text=text, label="PERSON")


INDEX = AliasIndex.build(_person(n) for n in ["Lloyd Austin", "Li Shangfu", "Qin Gang", "Mao Ning", "Austin", "Li"])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lloyd Austin", "Lloyd Austin"),
        ("Austin", "Lloyd Austin"),
        ("Li", "Li Shangfu"),
        ("Qin", "Qin Gang"),
        ("Lloyd", "Lloyd Austin"),  # resolved, and flagged separately as first-name use
        ("Biden", None),  # never seen with a full name: stays unresolved
        ("", None),
    ],
)
def test_entities_alias_resolution(text, expected):
    assert INDEX.resolve(text) == expected


def test_entities_ambiguous_surname_stays_unresolved():
    idx = AliasIndex.build(_person(n) for n in ["Wang Yi", "Wang Wentao"])
    assert idx.resolve("Wang") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lloyd", "Lloyd Austin"),
        ("Austin", None),  # the surname: correct usage
        ("Lloyd Austin", None),
        ("Gang", None),
        # Surname-first names: "Li" is how outlets shorten Li Shangfu, and
        # "Shangfu" is never used alone, so "Li" is not a first-name misuse.
        ("Li", None),
        ("Qin", None),
    ],
)
def test_entities_first_name_used_as_surname(text, expected):
    assert INDEX.first_name_used_as_surname(text) == expected


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Defense Secretary", {"defence"}),
        ("Minister of National Defense", {"defence"}),
        ("Chinese Foreign Minister", {"foreign"}),
        ("Commerce Secretary", {"commerce"}),
        ("Secretary", set()),
        (None, set()),
    ],
)
def test_entities_portfolios(title, expected):
    assert portfolios(title) == expected


@pytest.mark.parametrize(
    "text, key",
    [
        ("the Pentagon", "pentagon"),
        ("the Defense Department", "pentagon"),
        ("DoD", "pentagon"),
        ("the White House", "white house"),
        ("the ministry", None),
    ],
)
def test_entities_institution_aliases(text, key):
    assert institution_key(text) == key


def test_entities_speaker_keys_link_spokesman_to_institution():
    ryder, _ = speaker_keys("Pentagon spokesman Brigadier General Pat Ryder", "Pat Ryder")
    pentagon, _ = speaker_keys("the Pentagon", None)
    dod, _ = speaker_keys("the Defense Department", None)
    assert ryder & pentagon and pentagon == dod


def test_entities_speaker_keys_embassy_is_not_the_ministry():
    embassy, c1 = speaker_keys("Liu Pengyu, Chinese embassy spokesman", "Liu Pengyu")
    ministry, c2 = speaker_keys("the Chinese Defense Ministry", None)
    assert not embassy & ministry
    assert c1 == c2 == {"china"}


@pytest.mark.parametrize(
    "text, parts, key",
    [
        ("Representative Ed Royce", ["Ed", "Royce"], "edward royce"),
        ("Robert S. Mueller III", ["Robert", "Mueller"], "robert mueller"),
        ("Donald J. Trump", ["Donald", "Trump"], "donald trump"),
        ("Jim Mattis", ["Jim", "Mattis"], "james mattis"),
        ("Kim Jong - un", ["Kim", "Jong-un"], "kim un"),
        ("Kim Jong Un", ["Kim", "Jong", "Un"], "kim un"),
        ("Mr. Trump", ["Trump"], "trump"),
        ("Martin Luther King Jr.", ["Martin", "Luther", "King", "Jr."], "martin jr."),
    ],
)
def test_entities_name_parts_and_key(text, parts, key):
    assert name_parts(text) == parts
    assert person_key(text) == key


def test_entities_name_variants_are_one_candidate():
    idx = AliasIndex.build(_person(n) for n in ["Donald J. Trump", "Donald Trump", "James Mattis", "Jim Mattis"])
    assert idx.resolve("Trump") == "Donald Trump"  # not ambiguous: both spell one person
    assert idx.resolve("Mattis") == "Jim Mattis"


def test_entities_identity_links_mislabelled_surnames_and_acronyms():
    ents = [
        _person("Jim Mattis"),
        EntityMention(span=Span(start=0, end=6), text="Mattis", label="GPE"),
        EntityMention(span=Span(start=0, end=30), text="Central Intelligence Agency", label="ORG"),
        EntityMention(span=Span(start=0, end=6), text="C.I.A.", label="ORG"),
        EntityMention(span=Span(start=0, end=9), text="Pyongyang", label="GPE"),
        EntityMention(span=Span(start=0, end=11), text="North Korea", label="GPE"),
    ]
    idx = AliasIndex.build(ents)
    ids = [idx.identity(e) for e in ents]
    assert ids[0] == ids[1] == "person:james mattis"
    assert ids[2] == ids[3]
    assert ids[4] == ids[5] == "north korea"
    # A place that is nobody's surname stays a place.
    assert idx.identity(EntityMention(span=Span(start=0, end=5), text="Paris", label="GPE")) == "france"
