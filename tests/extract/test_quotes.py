"""Direct quotes, speakers, attributions, quote normal form and word diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from factcheck.extract.quotes import (  # noqa: E402
    attribute_sentence,
    extract_quotes,
    normalize_quote_text,
    quote_word_diff,
)
from factcheck.nlp import get_nlp  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def _quotes(text: str):
    doc = get_nlp()(text)
    assert doc.text == text
    return extract_quotes(doc)


# (text, quote text, speaker as written, cue)
PATTERNS = [
    (
        "“We will not back down,” Pentagon spokesman Brigadier General Pat Ryder said.",
        "We will not back down",
        "Pentagon spokesman Brigadier General Pat Ryder",
        "said",
    ),
    (
        "The minister said: “We reject the claims made by the embassy today.”",
        "We reject the claims made by the embassy today.",
        "The minister",
        "said",
    ),
    (
        "Elon Musk said “this is great for everyone involved in the deal.”",
        "this is great for everyone involved in the deal.",
        "Elon Musk",
        "said",
    ),
    ("“This is great for everyone,” said Elon Musk.", "This is great for everyone", "Elon Musk", "said"),
    (
        "Musk told reporters “this is great for everyone involved.”",
        "this is great for everyone involved.",
        "Musk",
        "told reporters",
    ),
    (
        "“The plan is dead,” according to people familiar with the matter.",
        "The plan is dead",
        "people familiar with the matter",
        "according to",
    ),
    (
        "The ambassador stated, “We reject the claims made today.”",
        "We reject the claims made today.",
        "The ambassador",
        "stated",
    ),
    (
        "Joe Biden spoke on Monday. He noted further: “The talks will continue next week.”",
        "The talks will continue next week.",
        "He",
        "noted",
    ),
    (
        "The Pentagon said in a statement. “The Department believes strongly in open lines.”",
        "The Department believes strongly in open lines.",
        "The Pentagon",
        "said",
    ),
    (
        'Qin Gang spoke to the press. The U.S. should "avoid dangerous driving," Qin said.',
        "avoid dangerous driving",
        "Qin",
        "said",
    ),
    (
        "An unnamed Pentagon official said “the invitation was declined last week.”",
        "the invitation was declined last week.",
        "An unnamed Pentagon official",
        "said",
    ),
]


@pytest.mark.model
@pytest.mark.parametrize("text, quote, speaker, cue", PATTERNS)
def test_quotes_speaker_patterns(text: str, quote: str, speaker: str, cue: str) -> None:
    quotes = _quotes(text)
    assert [q.text for q in quotes] == [quote]
    q = quotes[0]
    assert q.speaker == speaker
    assert q.cue == cue
    assert text[q.speaker_span.start : q.speaker_span.end] == speaker
    assert text[q.cue_span.start : q.cue_span.end] == cue


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Officials want to place “guardrails” around the relationship.",  # scare quote
        "She was reading “War and Peace” on the train to Moscow.",  # title, no cue
        "China’s leaders don’t agree with the decision, and they won’t say why.",  # apostrophes
        "He appeared on “Meet the Press” and said little about the talks.",  # show title
        "The “deal” was never signed by either side in the end.",  # one-word scare quote
        "He said the move was “unhelpful and counterproductive to peace in the region.",  # unclosed
        'It was a "" moment.',  # empty
    ],
)
def test_quotes_none_for_near_misses(text: str) -> None:
    assert _quotes(text) == []


@pytest.mark.model
@pytest.mark.parametrize(
    "text, quote, speaker",
    [
        # The second "said" hangs on the reported verb ("ruined"): its subject
        # (the F.B.I.) is what was said about, not who said it.
        (
            "President Trump on Monday said the F.B.I. ruined the life of his adviser and said Hillary "
            "Clinton suffered no consequences after she lied “many times” to the F.B.I.",
            "many times",
            "President Trump",
        ),
        (
            "The minister said the police arrested him and said “the case is closed for good.”",
            "the case is closed for good.",
            "The minister",
        ),
        # A conjoined reporting verb still takes its own clause's subject.
        ("Trump smiled and said “we will win this election for sure.”", "we will win this election for sure.", "Trump"),
        # Addressees and objects of prepositions are never the speaker.
        ("He told the F.B.I. “I never met the ambassador at all.”", "I never met the ambassador at all.", "He"),
        ("“We are done with this case,” the minister said to the F.B.I.", "We are done with this case", "the minister"),
        # No reporting verb: no speaker, least of all the object of "to".
        ("She lied “many times over the years” to the F.B.I.", "many times over the years", None),
    ],
)
def test_quotes_speaker_is_never_a_prepositional_object(text: str, quote: str, speaker: str | None) -> None:
    (q,) = _quotes(text)
    assert q.text == quote
    assert q.speaker == speaker


@pytest.mark.model
def test_quotes_nested_single_quotes_stay_in_outer_quote() -> None:
    text = "The two sides should “avoid ‘dangerous driving,’” Qin Gang said on Tuesday."
    (q,) = _quotes(text)
    assert q.text == "avoid ‘dangerous driving,’"
    assert q.speaker_canonical == "Qin Gang"


@pytest.mark.model
def test_quotes_multi_sentence_quote_is_one_quote() -> None:
    text = "“We are ready. The talks will go on. Nothing has changed,” the minister told reporters."
    (q,) = _quotes(text)
    assert q.text == "We are ready. The talks will go on. Nothing has changed"
    assert q.cue == "told reporters"


@pytest.mark.model
def test_quotes_paragraph_continuation_keeps_pairing() -> None:
    text = (
        "“The first part of the statement runs to the end of this paragraph.\n\n"
        "“The second part closes it,” the spokesman said.\n\n"
        "Later, “another remark was made by the spokesman,” he said."
    )
    quotes = _quotes(text)
    assert [q.text for q in quotes] == [
        "The first part of the statement runs to the end of this paragraph.",
        "The second part closes it",
        "another remark was made by the spokesman",
    ]
    assert quotes[0].speaker == quotes[1].speaker == "the spokesman"


@pytest.mark.model
@pytest.mark.parametrize(
    "text, kind, canonical",
    [
        (
            "Defense Secretary Lloyd Austin arrived in Singapore. “We seek dialogue,” he said.",
            "pronoun",
            "Lloyd Austin",
        ),
        ("“We seek dialogue with all partners,” Defense Secretary Lloyd Austin said.", "person", "Lloyd Austin"),
        (
            "Foreign Minister Qin Gang met envoys. “Guardrails are needed for everyone,” Qin said.",
            "person",
            "Qin Gang",
        ),
        ("“The meeting will not take place,” the Pentagon said on Monday.", "organisation", "Pentagon"),
        ("“The meeting will not take place,” a person familiar with the matter said.", "anonymous", None),
        ("“We will not take part in it,” they said.", "pronoun", None),
    ],
)
def test_quotes_speaker_kind_and_canonical(text: str, kind: str, canonical: str | None) -> None:
    (q,) = _quotes(text)
    assert q.speaker_kind == kind
    assert q.speaker_canonical == canonical


@pytest.mark.model
def test_quotes_spans_slice_back_to_text() -> None:
    text = (
        "Pentagon spokesman Pat Ryder said: “The PRC informed the U.S. it would decline.”\n\n"
        '“We believe in open lines,” he added. "It matters," said Ryder, “to avoid conflict.”\n\n'
        "China’s ministry described it as “a misunderstanding of the situation,” according to Reuters."
    )
    quotes = _quotes(text)
    assert len(quotes) >= 3
    for q in quotes:
        assert text[q.span.start : q.span.end] == q.text
        assert '"' not in q.text and "“" not in q.text and "”" not in q.text
        if q.speaker_span:
            assert text[q.speaker_span.start : q.speaker_span.end] == q.speaker
        if q.cue_span:
            assert text[q.cue_span.start : q.cue_span.end] == q.cue


@pytest.mark.model
@pytest.mark.parametrize(
    "text, source, cue",
    [
        ("China declined the invitation, the Pentagon said Monday.", "the Pentagon", "said"),
        (
            "The Chinese foreign ministry neither confirmed nor denied the invitation's decline.",
            "The Chinese foreign ministry",
            "neither confirmed nor denied",
        ),
        ("The meeting was cancelled, Reuters reported.", "Reuters", "reported"),
        (
            "The talks stalled in May, according to people familiar with the matter.",
            "people familiar with the matter",
            "according to",
        ),
        ("Officials told reporters that the talks had stalled.", "Officials", "told reporters"),
    ],
)
def test_quotes_attribute_sentence(text: str, source: str, cue: str) -> None:
    doc = get_nlp()(text)
    got = attribute_sentence(next(iter(doc.sents)))
    assert got is not None
    assert (got.source, got.cue) == (source, cue)
    assert text[got.source_span.start : got.source_span.end] == got.source
    assert text[got.cue_span.start : got.cue_span.end] == got.cue


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "The talks stalled in May after a dispute over access.",
        "He told the story of the summit to his grandchildren.",  # "tell" without reported content
    ],
)
def test_quotes_attribute_sentence_none(text: str) -> None:
    doc = get_nlp()(text)
    assert attribute_sentence(next(iter(doc.sents))) is None


@pytest.mark.parametrize(
    "a, b, same",
    [
        (
            "Overnight, the PRC informed the U.S. it would decline.",
            "Overnight, the PRC informed the US it would decline",
            True,
        ),
        ("the U.S", "the US", True),
        ("the U.K. position", "the UK position", True),
        ("“Don’t veer into conflict”", '"Don\'t veer into conflict"', True),
        ("military–to–military talks", "military-to-military talks", True),
        ("the Defence Ministry's organisation", "the defense ministry’s organization", True),
        ("it was criticised and cancelled", "it was criticized and canceled", True),
        ("The Dept. said", "The Department said", True),
        ("The Department believes strongly", "The Department believes firmly", False),
        (
            "ensure competition does not veer into conflict",
            "ensure competition does not degenerate into hostility",
            False,
        ),
        ("practise", "practice", False),  # not on the list: -ise/-ice differ in meaning too
    ],
)
def test_quotes_normalize_table(a: str, b: str, same: bool) -> None:
    assert (normalize_quote_text(a) == normalize_quote_text(b)) is same


def test_quotes_normalize_form() -> None:
    assert normalize_quote_text("  The U.S. said:  “No,  thanks!” ") == "the us said no thanks"


@pytest.mark.parametrize(
    "a, b, ops",
    [
        (
            "The Department believes strongly",
            "The Department firmly believes",
            [("=", "The"), ("=", "Department"), ("+", "firmly"), ("=", "believes"), ("-", "strongly")],
        ),
        ("informed the U.S. it", "informed the US it", [("=", "informed"), ("=", "the"), ("=", "U.S."), ("=", "it")]),
        ("does not veer", "does not degenerate", [("=", "does"), ("=", "not"), ("-", "veer"), ("+", "degenerate")]),
        ("", "", []),
    ],
)
def test_quotes_word_diff(a: str, b: str, ops: list[tuple[str, str]]) -> None:
    assert quote_word_diff(a, b) == ops


@pytest.mark.model
@pytest.mark.skipif(not DATA.exists(), reason="../shared/data not present (public eval data lives outside the repo)")
def test_quotes_polnear_regression_floor() -> None:
    from factcheck.evaluation.quotes import run

    res = run(DATA, limit=10)["all"]
    # Measured on the first 10 documents (sorted ids): exact F1 0.947, speaker accuracy 0.839.
    assert res["exact"]["f1"] >= 0.90
    assert res["speaker_accuracy"] >= 0.78


from factcheck.extract.quotes import _pair_marks, doc_pairs, doc_text  # noqa: E402


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "“We will respond,” the minister said. He added: “Not today.”",
        "No quotation marks at all in this paragraph.\n\nNor in this one.",
        "",
    ],
)
def test_quotes_per_document_text_and_pairs_computed_once(text: str) -> None:
    doc = get_nlp()(text)
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)  # kept, not rebuilt
    assert doc_pairs(doc) == _pair_marks(doc.text)
    assert doc_pairs(doc) is doc_pairs(doc)


@pytest.mark.model
def test_quotes_attribute_sentence_same_with_kept_pairs() -> None:
    text = (
        "“The talks failed,” an official said. The ministry said the talks would resume. "
        "Reuters reported the decision on Monday."
    )
    fresh = [attribute_sentence(s) for s in get_nlp()(text).sents]
    doc = get_nlp()(text)
    doc_pairs(doc)  # kept before the sentences are read
    assert [attribute_sentence(s) for s in doc.sents] == fresh
    assert fresh[1] is not None and fresh[1].source == "The ministry"
