"""Names across the event: misspellings, accepted transliterations, titles."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    "texts, flagged",
    [
        # one letter off, the rest of the name agrees
        (
            {
                "a": "Erasmia Roumana, head of the UN refugee agency delegation, visited the port on Thursday.",
                "b": "Erasmia Roumana of the UN refugee agency spoke to survivors at the port.",
                "c": "Erasmia Romana, head of the UN refugee agency delegation, visited the port on Thursday.",
            },
            True,
        ),
        # accepted transliterations
        (
            {
                "a": "President Volodymyr Zelensky spoke to reporters in Kyiv on Monday.",
                "b": "President Volodymyr Zelenskyy spoke to reporters in Kyiv on Monday.",
            },
            False,
        ),
        (
            {
                "a": "The old town of Marrakesh was badly damaged by the earthquake.",
                "b": "The old town of Marrakech was badly damaged by the earthquake.",
                "c": "Rescuers reached the old town of Marrakesh on Saturday morning.",
            },
            False,
        ),
        # a place spelt one way by one outlet, another way by the rest
        (
            {
                "a": "The old town of Marrakecs was badly damaged by the earthquake.",
                "b": "The old town of Marrakesh was badly damaged by the earthquake.",
                "c": "Rescuers reached the old town of Marrakesh on Saturday morning.",
            },
            True,
        ),
        # two real places one outlet names side by side
        (
            {
                "a": "Officials met in Pyongyang after the Olympic talks in Pyeongchang ended on Sunday.",
                "b": "The delegation returned to Pyongyang on Sunday evening.",
                "c": "State media in Pyongyang reported the meeting on Monday.",
            },
            False,
        ),
        # British and American spelling is no name
        (
            {
                "a": "The Defence Ministry said it would send troops.",
                "b": "The Defense Ministry said it would send troops.",
                "c": "A Defense Ministry official confirmed the deployment.",
            },
            False,
        ),
    ],
)
def test_compare_people_spellings(compare, texts, flagged):
    found = [f for f in compare(texts).findings if f.kind == "name_inconsistency"]
    assert bool(found) == flagged, [f.summary for f in found]


def test_compare_people_registry_lists_every_spelling_and_title(compare):
    result = compare(
        {
            "a": "Defense Secretary Lloyd Austin arrived in Singapore on Friday.",
            "b": "Austin met his counterpart on Saturday, U.S. Defense Secretary Lloyd Austin said.",
        }
    )
    (person,) = [f for f in result.facts if f.kind == "person" and f.label == "Lloyd Austin"]
    assert {v.article_id for v in person.versions} == {"a", "b"}
    assert any("Defense Secretary" in v.text for v in person.versions)


@pytest.mark.parametrize(
    "title_a, title_b, flagged",
    [
        ("Defense Secretary", "Secretary of State", True),
        ("Defense Secretary", "Secretary of Defense", False),
        ("Brigadier General", "General", True),
        ("Brig. Gen.", "Brigadier General", False),
        ("Pentagon spokesman", "Pentagon spokeswoman", True),
        ("Pentagon spokesperson", "Pentagon spokesman", False),
        ("Defense Minister", "Defense Secretary", False),  # role heads are translated freely
    ],
)
def test_compare_people_titles(compare, title_a, title_b, flagged):
    texts = {
        "a": f"{title_a} Pat Ryder told reporters on Monday that the talks would go ahead.",
        "b": f"{title_b} Pat Ryder told reporters on Monday that the talks would go ahead.",
    }
    found = [f for f in compare(texts).findings if f.kind == "name_inconsistency"]
    assert bool(found) == flagged, [f.summary for f in found]
