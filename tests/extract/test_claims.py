"""Extract stage: event roles of dates (nominal event heads), spans slice back."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from factcheck.extract import extract_doc  # noqa: E402
from factcheck.extract.roles import nominal_event  # noqa: E402
from factcheck.models import Article  # noqa: E402
from factcheck.nlp import get_nlp  # noqa: E402


def _claims(text: str, published: dt.date | None = dt.date(2018, 4, 6)):
    art = Article(id="a", path="a.txt", text=text, published=published)
    return extract_doc(art, get_nlp()(text), min_words=3)


@pytest.mark.model
@pytest.mark.parametrize(
    "noun, verb",
    [
        ("resignation", "resign"),
        ("announcement", "announce"),
        ("meeting", "meet"),
        ("election", "elect"),
        ("nomination", "nominate"),
        ("settlement", "settle"),
        ("invitation", "invite"),
        ("donation", "donate"),
        ("arrest", "arrest"),
        ("decision", "decide"),
        ("agreement", "agree"),
        # Bodies, places and things whose stem is a verb are no events.
        ("department", None),
        ("government", None),
        ("station", None),
        ("organization", None),
        ("information", None),
        ("foundation", None),
        ("video", None),
        ("package", None),
        ("moment", None),
    ],
)
def test_extract_nominal_event(noun, verb):
    assert nominal_event(noun) == verb


@pytest.mark.model
@pytest.mark.parametrize(
    "text, date_text, role",
    [
        # A date inside a noun phrase belongs to the event the noun names ...
        ("After his resignation on Friday, Mr. Farenthold deleted his Twitter account.", "Friday", "resign"),
        ("Federal authorities made an arrest on Friday in the bombing case.", "Friday", "arrest"),
        ("He would not seek re-election in the 2018 midterm election, he said.", "2018", "elect"),
        # ... a reporting noun dates a statement ...
        ("The Friday announcement surprised his staff in Washington.", "Friday", "statement"),
        ("Friday's announcement of a freeze on tests was welcomed by allies.", "Friday", "statement"),
        # ... and a noun that names no event is climbed through, as before.
        (
            "In a video in December announcing his resignation, Mr. Farenthold continued to deny the allegations.",
            "December",
            "continue",
        ),
        # Dates on verbs keep the verb's role; reporting verbs stay one "statement" role.
        ("Representative Blake Farenthold resigned from Congress on Friday afternoon.", "Friday afternoon", "resign"),
        ("Farenthold is resigning from Congress, he announced Friday in a statement.", "Friday", "statement"),
        # Every statement verb is one of the reporting verbs the quote extractor
        # knows (lexicon/speech.toml): testimony and replies date statements too ...
        ("The general testified on Tuesday that the base had been warned.", "Tuesday", "statement"),
        ("The ministry replied on Monday that the talks would go on.", "Monday", "statement"),
        # ... while a reporting verb that is an act of its own keeps its verb.
        ("Prosecutors charged the driver on Monday with manslaughter.", "Monday", "charge"),
    ],
)
def test_extract_date_role(text, date_text, role):
    ac = _claims(text)
    dates = [d for c in ac.claims for d in c.dates if d.text == date_text]
    assert dates, f"no date {date_text!r} extracted"
    assert dates[0].role == role


@pytest.mark.model
def test_extract_spans_slice_back():
    text = (
        "After his resignation on Friday, Mr. Farenthold deleted his Twitter account. "
        "The Friday announcement surprised his staff, the Pentagon said Monday."
    )
    ac = _claims(text)
    for c in ac.claims:
        assert text[c.span.start : c.span.end] == c.text
        for item in (*c.dates, *c.numbers, *c.entities, *c.quotes):
            assert text[item.span.start : item.span.end] == item.text


# ------------------------------------------------------- claim syntax for compare

from factcheck.cache import cache_key  # noqa: E402
from factcheck.extract import extract_articles  # noqa: E402
from factcheck.extract.syntax import claim_syntax  # noqa: E402


@pytest.mark.model
@pytest.mark.parametrize(
    "text, verb, negated, subject",
    [
        ("The new council approved the budget on Tuesday.", "approve", False, ("council", "new")),
        ("The minister did not attend the summit in Geneva.", "attend", True, ("minister",)),
        ("The minister never attended the summit.", "attend", True, ("minister",)),
    ],
)
def test_extract_claim_syntax_predicates(text, verb, negated, subject):
    (claim,) = _claims(text).claims
    preds = [p for p in claim.syntax.predicates if p.verb == verb]
    assert preds and preds[0].negated is negated
    assert preds[0].subject == subject


@pytest.mark.model
@pytest.mark.parametrize(
    "text, verb",
    [
        # Conditional and hedged verbs are no assertions.
        ("If the council approves the budget, taxes will rise.", "approve"),
        ("The council could approve the budget next week.", "approve"),
    ],
)
def test_extract_claim_syntax_skips_unasserted(text, verb):
    (claim,) = _claims(text).claims
    assert verb not in {p.verb for p in claim.syntax.predicates}
    assert verb not in {e.verb for e in claim.syntax.affirmed}


@pytest.mark.model
@pytest.mark.parametrize(
    "text, denied",
    [
        ("Police made no arrests in the killing of Mr. Lee.", [("arrest", "arrests")]),
        ("No agreement was reached between Iran and the United States.", [("agree", "agreement")]),
        # "No comment" takes no position; a double negative is no clean denial.
        ("The ministry had no comment on the report.", []),
        ("Police did not make no arrests in the case of Mr. Lee.", []),
    ],
)
def test_extract_claim_syntax_nominal_denials(text, denied):
    (claim,) = _claims(text).claims
    assert [(d.event, d.noun) for d in claim.syntax.denied] == denied


@pytest.mark.model
def test_extract_claim_syntax_stance():
    (claim,) = _claims("The foreign ministry neither confirmed nor denied the decline of the invitation.").claims
    st = claim.syntax.stance
    assert st is not None and st.subject == "The foreign ministry" and st.verb == "confirm"
    assert "decline" in st.objects


@pytest.mark.model
def test_extract_claim_syntax_stays_inside_the_claim():
    # A heading glued to the paragraph below: spaCy may parse both as one
    # sentence, but each claim's syntax reads only its own tokens.
    text = (
        "Officials Said To Weigh New Rules For Drones\n\n"
        "The agency approved the new safety rules on Tuesday after a long review. "
        "Police made no arrests in the killing of Mr. Lee."
    )
    ac = _claims(text)
    doc = get_nlp()(text)
    for c in ac.claims:
        span = doc.char_span(c.span.start, c.span.end, alignment_mode="expand")
        lemmas = {t.lemma_.lower() for t in span}
        syn = c.syntax
        read = {
            *syn.content,
            *syn.proper,
            *(p.verb for p in syn.predicates),
            *(w for p in syn.predicates for w in p.subject),
            *(e.verb for e in syn.affirmed),
            *(w for e in syn.affirmed for w in e.names),
        }
        assert read <= lemmas
        if syn.stance is not None:
            assert syn.stance.subject in c.text


@pytest.mark.model
def test_extract_claim_syntax_of_a_bare_sentence_matches_the_article_parse():
    text = "The council rejected the new budget on Tuesday."
    doc = get_nlp()(text)
    (claim,) = _claims(text).claims
    assert claim_syntax(doc[:]) == claim.syntax


# ------------------------------------------------------------ extraction cache

_BASE = Article(
    id="a",
    path="old/a.txt",
    title="T",
    outlet="O",
    text="The council approved the budget on Monday.",
    published=dt.date(2023, 5, 2),
)


@pytest.mark.parametrize(
    "change, same_key",
    [
        ({"path": "moved/elsewhere/a.txt"}, True),
        ({"title": "Another title", "outlet": "Other", "removed": ("a note",)}, True),
        # What extraction reads: the id (claim ids), the date (relative dates), the text.
        ({"id": "b"}, False),
        ({"published": dt.date(2023, 5, 3)}, False),
        ({"text": "The council approved the budget on Tuesday."}, False),
    ],
)
def test_extract_cache_key_ignores_what_extraction_does_not_read(change, same_key):
    moved = _BASE.model_copy(update=change)
    assert (cache_key(moved, 5) == cache_key(_BASE, 5)) is same_key


@pytest.mark.model
def test_extract_cache_hit_after_moving_the_folder(tmp_path, monkeypatch):
    first = extract_articles([_BASE], min_words=3, cache_dir=tmp_path)
    moved = _BASE.model_copy(update={"path": "new/place/a.txt"})

    def no_parser():
        raise AssertionError("a cache hit must not parse")

    monkeypatch.setattr("factcheck.nlp.get_nlp", no_parser)
    (hit,) = extract_articles([moved], min_words=3, cache_dir=tmp_path)
    assert hit.article == moved  # the current Article, not the cached one
    assert hit.claims == first[0].claims and all(c.article_id == "a" for c in hit.claims)


# --------------------------- issue 12, case 4: a damaged extraction cache heals


@pytest.mark.model
@pytest.mark.parametrize("junk", [b"{not json", b'{"schema_version": 1}', b"\xff\xfe", b"[1, 2]"])
def test_extract_cache_damaged_entry_is_set_aside(tmp_path, caplog, junk):
    import logging

    first = extract_articles([_BASE], min_words=3, cache_dir=tmp_path)
    (entry,) = tmp_path.glob("*.json")
    entry.write_bytes(junk)
    with caplog.at_level(logging.WARNING, logger="factcheck"):
        (again,) = extract_articles([_BASE], min_words=3, cache_dir=tmp_path)
    assert again == first[0]
    assert "extraction cache entry" in caplog.text and "moved aside" in caplog.text
    assert list(tmp_path.glob("*.json.damaged-*")) and entry.read_bytes() != junk  # rewritten fresh


@pytest.mark.model
def test_extract_cache_unwritable_runs_without_it(tmp_path, monkeypatch, caplog):
    import logging
    import tempfile

    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == tmp_path:
            raise OSError(30, "Read-only file system", str(dir))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    other = _BASE.model_copy(update={"id": "b", "text": "The mayor opened the bridge on Tuesday."})
    with caplog.at_level(logging.WARNING, logger="factcheck"):
        got = extract_articles([_BASE, other], min_words=3, cache_dir=tmp_path)
    assert [ac.article.id for ac in got] == ["a", "b"] and got[0].claims
    assert caplog.text.count("cannot be written (read-only file system); running without it") == 1


# ------------------------------------- issue 12, case 5: articles over spaCy's limit

from factcheck.errors import InputError  # noqa: E402
from factcheck.extract import parse as extract_parse  # noqa: E402
from factcheck.extract.parse import parse_pieces  # noqa: E402


@pytest.mark.parametrize(
    "text, limit, cuts_after",
    [
        ("First para.\n\nSecond para.\n\nThird para here.", 20, ["\n\n", "\n\n"]),
        ("A line\nanother line\nand a third line", 16, ["\n", "\n"]),
        ("One sentence here. Two sentences here. Three.", 22, [". ", ". "]),
        ("words without any end at all", 12, [" ", " "]),
        ("x" * 25, 10, [None, None]),  # no break at all: cut at the limit
        ("short", 10, []),
    ],
)
def test_extract_parse_pieces_cover_the_text_and_cut_at_breaks(text, limit, cuts_after):
    pieces = parse_pieces(text, limit)
    assert "".join(text[a:b] for a, b in pieces) == text
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(b - a <= limit for a, b in pieces) and all(b == c for (_, b), (c, _) in zip(pieces, pieces[1:]))
    assert len(pieces) == len(cuts_after) + 1
    for (a, b), after in zip(pieces, cuts_after):
        if after is not None:
            assert text[a:b].endswith(after)


def _long_article() -> Article:
    paras = [
        f"The council said on Monday that bridge number {i} would stay closed until engineers finish. "
        f"“We will rebuild bridge {i} within two years,” Mayor Ana Ruiz said. Officials counted {i + 3} injured."
        for i in range(40)
    ]
    paras.append(" ".join(["The ferries ran every hour while the bridges were closed."] * 60))  # one long paragraph
    return Article(id="big", path="big.txt", text="\n\n".join(paras), published=dt.date(2023, 3, 14))


@pytest.mark.model
def test_extract_article_over_max_length_is_parsed_in_chunks(monkeypatch):
    art = _long_article()
    whole = extract_articles([art], min_words=3)[0]
    nlp = get_nlp()
    monkeypatch.setattr(nlp, "max_length", 2000)  # as a 1.1 MB article meets the real 1,000,000
    with pytest.raises(ValueError, match="E088"):
        nlp(art.text)  # what the old code did
    chunked = extract_articles([art], min_words=3)[0]
    assert len(parse_pieces(art.text, 2000)) > 5
    text = art.text
    for c in chunked.claims:
        assert text[c.span.start : c.span.end] == c.text
        for item in (*c.quotes, *c.dates, *c.numbers, *c.entities):
            assert text[item.span.start : item.span.end] == item.text
    # Cut at paragraph breaks, the parse is the same: same claims, same ids, same quotes.
    assert chunked.claims == whole.claims and chunked.quotes == whole.quotes
    assert [c.id for c in chunked.claims] == [f"big:{n}" for n in range(1, len(chunked.claims) + 1)]


def test_extract_article_over_the_hard_limit_is_one_line_error(monkeypatch):
    monkeypatch.setattr(extract_parse, "MAX_ARTICLE_CHARS", 1000)
    with pytest.raises(InputError) as info:
        extract_articles([_long_article()], min_words=3)
    msg = str(info.value)
    assert msg.startswith("big.txt: the article is ") and "at most 1,000 are checked" in msg and "Fix:" in msg
