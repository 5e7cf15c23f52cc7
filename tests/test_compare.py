import datetime as dt

import numpy as np
import pytest

from factcheck.compare import (
    Event,
    compare_dates,
    compare_numbers,
    finding_id,
    independent_count,
    quote_relation,
    render_diff,
    speakers_compatible,
    wire_copies,
)
from factcheck.config import DEFAULT
from factcheck.models import (
    Article,
    ArticleClaims,
    Claim,
    Cluster,
    DateMention,
    Evidence,
    NumberMention,
    Quote,
    Span,
)

PENTAGON_A = (
    "The Department believes strongly in the importance of maintaining open lines of "
    "military-to-military communication between Washington and Beijing to ensure that "
    "competition does not veer into conflict."
)
PENTAGON_B = (
    "The Department firmly believes it is important to maintain open communication between "
    "the militaries in Washington and Beijing to ensure competition does not degenerate into hostility."
)


@pytest.mark.parametrize(
    "a, b, cosine, expected",
    [
        (
            "Overnight, the PRC informed the U.S. that they have declined",
            "Overnight, the PRC informed the US that they have declined",
            0.99,
            "verbatim",
        ),
        (
            "We need to keep the steering wheel in the right direction",
            "“We need to keep the steering wheel in the right direction”",
            0.99,
            "verbatim",
        ),
        ("show sincerity and correct its wrong practices", "show sincerity", 0.7, "trimmed"),
        (PENTAGON_A, PENTAGON_B, 0.85, "altered"),
        (
            "The talks were productive and we will meet again soon",
            "The talks were useful and we will meet again shortly",
            0.9,
            "altered",
        ),
        # Same topic, different statements: not one quote in two wordings.
        (
            "China’s development is an opportunity for the world",
            "Is there any sincerity in and significance of any communication like this?",
            0.3,
            "different",
        ),
        ("very shortly", "well aware", 0.2, "different"),
        # Short scare-quote-like fragments never count as an altered quote.
        ("dangerous driving", "reckless driving", 0.9, "different"),
        # Compound spelling is the same wording.
        (
            "We extend our goodwill to the people of the South",
            "We extend our good will to the people of the South",
            0.99,
            "verbatim",
        ),
        ("It will halt the nuclear test altogether", "It will halt nuclear tests altogether", 0.97, "verbatim"),
        # Two remarks sharing only function words are different statements.
        ("We will do what we have to do", "They will not be able to do what they want", 0.6, "different"),
    ],
)
def test_compare_quote_relation(a, b, cosine, expected):
    assert quote_relation(a, b, cosine, DEFAULT) == expected


def _q(speaker, kind, canonical=None):
    return Quote(
        span=Span(start=0, end=5), text="words", speaker=speaker, speaker_kind=kind, speaker_canonical=canonical
    )


@pytest.mark.parametrize(
    "a, b, ok",
    [
        (
            _q("the Pentagon", "organisation"),
            _q("Pentagon spokesman Brigadier General Pat Ryder", "person", "Pat Ryder"),
            True,
        ),
        (_q("the Pentagon", "organisation"), _q("the Defense Department", "organisation"), True),
        (_q("the Pentagon", "organisation"), _q(None, "unknown"), True),
        (_q("he", "pronoun"), _q("Qin Gang", "person", "Qin Gang"), True),
        (_q("he", "pronoun", "Qin Gang"), _q("Chinese Foreign Minister Qin Gang", "person", "Qin Gang"), True),
        (_q("he", "pronoun", "Munhwa Ilbo"), _q("Donald Trump", "person", "Donald Trump"), True),
        (_q("Beijing", "organisation"), _q("the Chinese foreign ministry", "organisation"), True),
        (
            _q("Liu Pengyu, Chinese embassy spokesman", "person", "Liu Pengyu"),
            _q("the Chinese Defense Ministry", "organisation"),
            False,
        ),
        (_q("Qin Gang", "person", "Qin Gang"), _q("Mao Ning", "person", "Mao Ning"), False),
        (_q("Pat Ryder", "person", "Pat Ryder"), _q("people familiar with the matter", "anonymous"), False),
        (_q("an unnamed Pentagon official", "anonymous"), _q("people familiar with the matter", "anonymous"), True),
        # One person written two ways is one speaker.
        (_q("Trump", "person", "Trump"), _q("President Donald Trump", "person", "Donald Trump"), True),
        (_q("Mr. Flynn", "person", "Flynn"), _q("Michael Flynn", "person", "Michael Flynn"), True),
        (_q("Kim Jong Un", "person", "Kim Jong Un"), _q("Mr. Kim", "person", "Kim Jong - un"), True),
        # A news agency relaying a statement is not a rival speaker.
        (_q("the state news agency KCNA", "organisation"), _q("Kim Jong Un", "person", "Kim Jong Un"), True),
        (_q("Yonhap", "organisation"), _q("the Pentagon", "organisation"), True),
        # A press secretary is a person, not a news outlet.
        (
            _q("press secretary Sarah Sanders", "person", "Sarah Sanders"),
            _q("Mike Pence", "person", "Mike Pence"),
            False,
        ),
    ],
)
def test_compare_speakers_compatible(a, b, ok):
    assert speakers_compatible(a, b)[0] is ok
    assert speakers_compatible(b, a)[0] is ok


def _ev(aid, text, start=0):
    return Evidence(article_id=aid, path=f"{aid}.txt", start=start, end=start + len(text), text=text)


def test_compare_finding_id_is_content_derived():
    a, b = _ev("x", "One  sentence."), _ev("y", "Other sentence.")
    assert finding_id("date_conflict", [a, b]) == finding_id("date_conflict", [b, a])
    # Offsets and whitespace do not change the id; text, the fact key and kind do.
    assert finding_id("date_conflict", [a, b]) == finding_id("date_conflict", [_ev("x", "One sentence.", 40), b])
    assert finding_id("date_conflict", [a, b]) != finding_id("number_conflict", [a, b])
    assert finding_id("date_conflict", [a, b]) != finding_id("date_conflict", [_ev("x", "One other sentence."), b])
    assert finding_id("date_conflict", [a, b], key="deaths") != finding_id("date_conflict", [a, b], key="injured")
    # File names are not part of the id: a renamed file keeps every id (and its review decision).
    assert finding_id("date_conflict", [a, b]) == finding_id("date_conflict", [_ev("renamed", "One sentence."), b])


def test_compare_render_diff():
    ops = [("=", "The"), ("-", "strongly"), ("+", "firmly"), ("=", "believes")]
    assert render_diff(ops) == "The [-strongly-] {+firmly+} believes"


def _article_claims(aid, sentences, published=None, dates=(), numbers=(), attribution=None):
    text = " ".join(sentences)
    claims, pos = [], 0
    for i, s in enumerate(sentences):
        span = Span(start=pos, end=pos + len(s))
        ds = tuple(d for d in dates if span.start <= d.span.start < span.end)
        ns = tuple(n for n in numbers if span.start <= n.span.start < span.end)
        claims.append(
            Claim(
                id=f"{aid}:{i + 1}",
                article_id=aid,
                index=i + 1,
                span=span,
                text=s,
                dates=ds,
                numbers=ns,
                attribution=attribution,
            )
        )
        pos += len(s) + 1
    art = Article(id=aid, path=f"{aid}.txt", text=text, published=published)
    return ArticleClaims(article=art, claims=tuple(claims))


def _date(text, sentence, value, role, start=None, end=None, gran="day"):
    i = sentence.index(text)
    s = dt.date.fromisoformat(start or value)
    e = dt.date.fromisoformat(end or value)
    return DateMention(
        span=Span(start=i, end=i + len(text)), text=text, value=value, start=s, end=e, granularity=gran, role=role
    )


def _event(*acs):
    vecs = {c.id: np.ones(4, np.float32) / 2 for ac in acs for c in ac.claims}
    return Event(articles={ac.article.id: ac for ac in acs}, claim_vecs=vecs, quote_vecs={}, config=DEFAULT)


@pytest.mark.parametrize(
    "a_date, b_date, flagged",
    [
        (("Monday", "2023-05-29", "statement"), ("May 29", "2023-05-29", "statement"), False),
        (("Monday", "2023-05-29", "statement"), ("Tuesday", "2023-05-30", "statement"), True),
        # Different event roles: the statement's day vs the meeting's day.
        (("Monday", "2023-05-29", "statement"), ("Tuesday", "2023-05-30", "meet"), False),
    ],
)
def test_compare_dates_only_same_role_and_disjoint(a_date, b_date, flagged):
    sa = f"The ministry spoke on {a_date[0]} about it."
    sb = f"The ministry spoke on {b_date[0]} about it."
    a = _article_claims("a", [sa], dates=[_date(a_date[0], sa, a_date[1], a_date[2])])
    b = _article_claims("b", [sb], dates=[_date(b_date[0], sb, b_date[1], b_date[2])])
    ev = _event(a, b)
    cl = Cluster(id="c1", claim_ids=("a:1", "b:1"), article_ids=("a", "b"))
    found = compare_dates(ev, cl)
    assert bool(found) is flagged
    if found:
        assert found[0].kind == "date_conflict" and {e.article_id for e in found[0].evidence} == {"a", "b"}


@pytest.mark.parametrize(
    "source_a, source_b, flagged",
    [
        # One source, two days: a real conflict.
        ("the Pentagon", "the Defense Department", True),
        ("the Pentagon", None, True),  # one source unknown: still compared
        ("he", "the Pentagon", True),  # an unresolved pronoun is never "different"
        # Two different sources each made a statement: two statements, two days.
        ("the Pentagon", "the State Department", False),
        ("the Pentagon", "the Chinese foreign ministry", False),
    ],
)
def test_compare_statement_dates_need_compatible_sources(source_a, source_b, flagged):
    sa = "The official spoke on Monday about it."
    sb = "The official spoke on Tuesday about it."
    a = _article_claims("a", [sa], dates=[_date("Monday", sa, "2023-05-29", "statement")], attribution=source_a)
    b = _article_claims("b", [sb], dates=[_date("Tuesday", sb, "2023-05-30", "statement")], attribution=source_b)
    cl = Cluster(id="c1", claim_ids=("a:1", "b:1"), article_ids=("a", "b"))
    assert bool(compare_dates(_event(a, b), cl)) is flagged


def _num(text, sentence, value, unit, bound="exact"):
    i = sentence.index(text)
    return NumberMention(span=Span(start=i, end=i + len(text)), text=text, value=value, unit=unit, bound=bound)


@pytest.mark.parametrize(
    "na, nb, flagged",
    [
        (("49 people", 49, "people", "exact"), ("about 50 people", 50, "people", "about"), False),
        (("at least 10 people", 10, "people", "at_least"), ("12 people", 12, "people", "exact"), False),
        (("10 people", 10, "people", "exact"), ("12 people", 12, "people", "exact"), True),
        (("10 people", 10, "people", "exact"), ("12 soldiers", 12, "soldier", "exact"), False),
    ],
)
def test_compare_numbers(na, nb, flagged):
    sa = f"Officials said {na[0]} were hurt."
    sb = f"Officials said {nb[0]} were hurt."
    a = _article_claims("a", [sa], numbers=[_num(na[0], sa, na[1], na[2], na[3])])
    b = _article_claims("b", [sb], numbers=[_num(nb[0], sb, nb[1], nb[2], nb[3])])
    cl = Cluster(id="c1", claim_ids=("a:1", "b:1"), article_ids=("a", "b"))
    assert bool(compare_numbers(_event(a, b), cl)) is flagged


def test_compare_wire_copies_count_once():
    shared = " ".join(f"word{i}" for i in range(60))
    a = _article_claims("a", [shared + " alpha."])
    b = _article_claims("b", ["Intro line here. " + shared + " beta."])
    c = _article_claims("c", ["Something else entirely written by another outlet with its own words."])
    copies = wire_copies({x.article.id: x for x in (a, b, c)}, run_words=12, min_runs=20)
    assert copies == {"a": {"b"}, "b": {"a"}}
    assert independent_count(["a", "b", "c"], copies) == 2
    assert independent_count(["a", "c"], copies) == 2
    assert independent_count(["a", "b"], copies) == 1


# --------------------------------------------------- contradictions and names
# These use the real spaCy parse (the rules read subjects and negation off it).

from factcheck.compare import (  # noqa: E402
    compare_names,
    compare_nominal_negation,
    compare_polarity,
    compare_stances,
)
from factcheck.extract import extract_doc  # noqa: E402


def _parsed(aid, text, published=None):
    from factcheck.nlp import get_nlp

    art = Article(id=aid, path=f"{aid}.txt", text=text, published=published)
    return extract_doc(art, get_nlp()(text), min_words=3)


def _parsed_event(a_text, b_text, pa=None, pb=None, cosine=0.9):
    a, b = _parsed("a", a_text, pa), _parsed("b", b_text, pb)
    vec_a = np.array([1.0, 0.0], np.float32)
    vec_b = np.array([cosine, (1 - cosine**2) ** 0.5], np.float32)
    vecs = {c.id: vec_a for c in a.claims} | {c.id: vec_b for c in b.claims}
    ev = Event(articles={"a": a, "b": b}, claim_vecs=vecs, quote_vecs={}, config=DEFAULT)
    cl = Cluster(id="c", claim_ids=tuple(vecs), article_ids=("a", "b"))
    return ev, cl


@pytest.mark.model
@pytest.mark.parametrize(
    "a_text, b_text, flagged",
    [
        (
            "The foreign ministry neither confirmed nor denied the decline of the invitation.",
            "The foreign ministry blamed its decision to decline the meeting on Washington.",
            True,
        ),
        # Same source, but the other outlet's statement is about something else.
        (
            "The foreign ministry neither confirmed nor denied the decline of the invitation.",
            "The foreign ministry said the country wants stable trade ties.",
            False,
        ),
        # A different source taking a position is no contradiction.
        (
            "The foreign ministry neither confirmed nor denied the decline of the invitation.",
            "The Pentagon blamed the decline of the invitation on Beijing.",
            False,
        ),
    ],
)
def test_compare_stance_contradiction(a_text, b_text, flagged):
    ev, _ = _parsed_event(a_text, b_text)
    assert bool(compare_stances(ev)) is flagged


@pytest.mark.model
@pytest.mark.parametrize(
    "a_text, b_text, cosine, pa, pb, flagged",
    [
        (
            "The council approved the new budget on Tuesday.",
            "The council rejected the new budget on Tuesday.",
            0.9,
            None,
            None,
            True,
        ),
        (
            "The minister attended the summit in Geneva.",
            "The minister did not attend the summit in Geneva.",
            0.9,
            None,
            None,
            True,
        ),
        # Conditional: not an assertion.
        (
            "If the council approves the budget, taxes will rise.",
            "The council rejected the budget.",
            0.9,
            None,
            None,
            False,
        ),
        # Far apart in meaning: never compared.
        ("The council approved the new budget.", "The council rejected the new budget.", 0.5, None, None, False),
        # Different news cycles: the world may have changed.
        (
            "The council approved the new budget.",
            "The council rejected the new budget.",
            0.9,
            dt.date(2023, 5, 1),
            dt.date(2023, 6, 1),
            False,
        ),
        (
            "The minister attended the summit in Geneva.",
            "The minister attended the summit in Geneva on Monday.",
            0.95,
            None,
            None,
            False,
        ),
    ],
)
def test_compare_polarity_contradiction(a_text, b_text, cosine, pa, pb, flagged):
    ev, cl = _parsed_event(a_text, b_text, pa, pb, cosine)
    assert bool(compare_polarity(ev, cl)) is flagged


SAYOC_NO = (
    "Although no formal charges have been filed yet in the case, officials said Mr. Sayoc "
    "would be prosecuted in Manhattan."
)


@pytest.mark.model
@pytest.mark.parametrize(
    "a_text, b_text, pa, pb, flagged",
    [
        (SAYOC_NO, "Sayoc has been charged with five federal crimes.", None, None, True),
        ("The board of Acme has made no decision on the plant.", "Acme decided to close the plant.", None, None, True),
        (
            "No agreement was reached between Iran and the United States.",
            "Iran agreed to the terms offered by the United States.",
            None,
            None,
            True,
        ),
        (
            "Police made no arrests in the killing of Mr. Lee.",
            "Police arrested Mr. Lee's neighbour.",
            None,
            None,
            True,
        ),  # an arrest in Lee's case was made after all
        (
            "Police made no arrests in the killing of Mr. Lee.",
            "Police arrested a man in Ohio on drug charges.",
            None,
            None,
            False,
        ),  # an arrest, but of nobody the other claim names
        # Different people charged: no shared named participant.
        (
            "No charges have been filed against the driver, Mr. Lee.",
            "The officer, Mr. Park, was charged with assault.",
            None,
            None,
            False,
        ),
        # A real conflict only if it is one incident; with no named participant
        # in common we cannot tell, so precision first: not flagged.
        ("No injuries were reported after the blast.", "Two people were injured in the blast.", None, None, False),
        # "No comment" takes no position (the stance rule's business), not a denial.
        ("The ministry had no comment on Mr. Sayoc.", "Mr. Sayoc commented on the ministry.", None, None, False),
        # Hedged or conditional: not an assertion.
        (
            "If no charges are filed, Mr. Sayoc will be released.",
            "Sayoc has been charged with five crimes.",
            None,
            None,
            False,
        ),
        # Different news cycles: charges filed later are no contradiction.
        (
            SAYOC_NO,
            "Sayoc has been charged with five federal crimes.",
            dt.date(2018, 10, 26),
            dt.date(2018, 11, 20),
            False,
        ),
        # Both affirmative.
        (
            "Formal charges have been filed against Mr. Sayoc.",
            "Sayoc has been charged with five federal crimes.",
            None,
            None,
            False,
        ),
    ],
)
def test_compare_nominal_negation(a_text, b_text, pa, pb, flagged):
    ev, cl = _parsed_event(a_text, b_text, pa, pb)
    found = compare_nominal_negation(ev, cl)
    assert bool(found) is flagged
    if found:
        f = found[0]
        assert f.kind == "contradiction" and f.severity == "medium" and "timing" in f.summary
        assert {e.article_id for e in f.evidence} == {"a", "b"}


@pytest.mark.model
@pytest.mark.parametrize(
    "a_text, b_text, expected",
    [
        (
            "Defense Secretary Lloyd Austin arrived. Austin spoke briefly.",
            "His refusal to meet with Lloyd was perceived as a blunt message.",
            ["low"],
        ),
        ("Defense Minister Anna Berg spoke on Monday.", "Foreign Minister Anna Berg spoke on Monday.", ["medium"]),
        ("Defense Minister Anna Berg spoke on Monday.", "Defence Secretary Anna Berg spoke on Monday.", []),
        # Surname-first names shortened to the surname are correct.
        ("Defense Minister Li Shangfu will attend.", "Li will attend the forum.", []),
    ],
)
def test_compare_name_inconsistency(a_text, b_text, expected):
    ev, _ = _parsed_event(a_text, b_text)
    assert sorted(f.severity for f in compare_names(ev)) == expected


@pytest.mark.model
@pytest.mark.parametrize(
    "a_text, b_text, expect",
    [
        (
            "The council approved the new budget on Tuesday.",
            "The council rejected the new budget on Tuesday.",
            "polarity",
        ),
        (SAYOC_NO, "Sayoc has been charged with five federal crimes.", "nominal"),
        (
            "The foreign ministry neither confirmed nor denied the decline of the invitation.",
            "The foreign ministry blamed its decision to decline the meeting on Washington.",
            "stance",
        ),
        # Near miss: nothing for any rule.
        ("The minister attended the summit in Geneva.", "The minister attended the summit in Geneva on Monday.", None),
    ],
)
def test_compare_contradictions_read_claim_syntax_without_a_parser(a_text, b_text, expect, monkeypatch):
    ev, cl = _parsed_event(a_text, b_text)

    def no_parser(text):
        raise AssertionError("compare must read Claim.syntax, not parse")

    monkeypatch.setattr("factcheck.compare.contradiction._parse", no_parser)
    found = {
        "polarity": bool(compare_polarity(ev, cl)),
        "nominal": bool(compare_nominal_negation(ev, cl)),
        "stance": bool(compare_stances(ev)),
    }
    assert found == {k: k == expect for k in found}


@pytest.mark.model
@pytest.mark.parametrize(
    "a_text, b_text",
    [
        ("The council approved the new budget on Tuesday.", "The council rejected the new budget on Tuesday."),
        ("The minister attended the summit in Geneva.", "The minister did not attend the summit in Geneva."),
        ("The minister attended the summit in Geneva.", "The minister attended the summit in Geneva on Monday."),
    ],
)
def test_compare_claims_without_syntax_parse_their_text(a_text, b_text):
    ev, cl = _parsed_event(a_text, b_text)
    bare = {
        aid: ac.model_copy(update={"claims": tuple(c.model_copy(update={"syntax": None}) for c in ac.claims)})
        for aid, ac in ev.articles.items()
    }
    ev_bare = Event(articles=bare, claim_vecs=ev.claim_vecs, quote_vecs={}, config=DEFAULT)
    assert compare_polarity(ev_bare, cl) == compare_polarity(ev, cl)
