"""Tests for factcheck.clean: furniture removal, forum pages, header metadata,
segment mapping and line numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factcheck.clean import clean, dateline, header_byline, header_date, orig_line
from factcheck.errors import InputError
from factcheck.load import load_file, load_paths
from factcheck.models import Article, RawDocument

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"

TITLE = "Harbour board approves new ferry timetable"
PARA1 = "The harbour board approved a new ferry timetable on Tuesday, adding two late crossings on weekdays, its chairman said."
PARA2 = (
    "The changes take effect in June and will cost about 40,000 pounds a year, according to the board's budget papers."
)


def _raw(text: str, fmt: str = "txt", **meta: object) -> RawDocument:
    return RawDocument(id="doc", path="doc.txt", format=fmt, text=text, **meta)  # type: ignore[arg-type]


def _page(middle: str) -> str:
    return f"{TITLE}\n\n{PARA1}\n\n{middle}\n\n{PARA2}\n"


def _body(article: Article) -> str:
    """The article text after its headline (the headline is kept in the text, marked by ``Article.headline``)."""
    if article.headline is None:
        return article.text
    return article.text[article.headline.end :].lstrip("\n")


def _assert_segments_map_back(article: Article, raw: RawDocument) -> None:
    """Every segment is a verbatim copy; the rest of the text is join whitespace."""
    covered = [False] * len(article.text)
    last_end = 0
    for seg in article.segments:
        assert seg.clean_start >= last_end  # ordered, not overlapping
        assert (
            article.text[seg.clean_start : seg.clean_start + seg.length]
            == raw.text[seg.orig_start : seg.orig_start + seg.length]
        )
        covered[seg.clean_start : seg.clean_start + seg.length] = [True] * seg.length
        last_end = seg.clean_start + seg.length
    assert all(ch in "\n " for ch, c in zip(article.text, covered) if not c)


@pytest.mark.parametrize(
    "furniture",
    [
        "icon-facebook icon-twitter icon-whatsapp",
        "Share this",
        "Tweet",
        "Email",
        "Share on Facebook | Share on Twitter",
        "Advertisement",
        "Story continues below advertisement",
        "Read more",
        "Related: Ferry operators warn of delays",
        "more on the subject – Ferry strikes spread along the coast",
        "Subscribe to our newsletter",
        "Be the first to read breaking news on the island's favourite website",
        "1694406968291.png",
        "photo.jpg",
        "https://example.com/ferry-timetable-2024",
        "What's new",
        "Photo: Harbour Board",
        "Island councils to vote on new parking rules",  # teaser to another story
        "US Coast Guard to Inspect Harbour Berths",  # title-case teaser/subheading
        "-----",
    ],
)
def test_clean_drops_furniture_line(furniture: str) -> None:
    raw = _raw(_page(furniture))
    article = clean(raw)
    assert furniture not in article.text
    assert _body(article) == f"{PARA1}\n\n{PARA2}"
    assert any("line 5" in note for note in article.removed)
    _assert_segments_map_back(article, raw)


@pytest.mark.parametrize(
    "prose",
    [
        "Residents can leave a comment on the plan until Friday, the board said in a notice.",
        "The board's map, harbour_plan.png, was attached to the agenda published on Monday.",
        "Email records show the timetable was first proposed in March, the newspaper reported.",
        "Read more than 40 pages of the report and you find no costing, one councillor said.",
        "Related costs were not included in the figures, the auditor said.",
        "Very funny.",
        # prose cut without final punctuation: a reporting clause or a trailing
        # function word marks it as a sentence, not a teaser
        '"There is no reason to make passengers wait an hour," she said',
        "At press time, the board's report did not appear on the website of",
        "The number of crossings cancelled so far this year is the second highest since 2011's 412 cancellations",
    ],
)
def test_clean_keeps_prose_that_looks_like_furniture(prose: str) -> None:
    article = clean(_raw(_page(prose)))
    assert _body(article) == f"{PARA1}\n\n{prose}\n\n{PARA2}"


def test_clean_repeated_teaser_drops_both_copies_and_repeated_paragraph_once() -> None:
    teaser = "Island councils to vote on new parking rules"
    curly = "Island council’s vote on new parking rules"
    article = clean(_raw(_page(f"{teaser}\n\n{teaser}\n\n{curly}\n\n{curly.replace('’', chr(39))}") + f"\n{PARA2}\n"))
    assert "parking" not in article.text
    assert _body(article) == f"{PARA1}\n\n{PARA2}"


def test_clean_keeps_short_line_continued_by_next_line() -> None:
    article = clean(_raw(_page("I strongly doubt\n[the board] understands the costs, one councillor said.")))
    assert "I strongly doubt" in article.text


def test_clean_comment_marker_drops_everything_after() -> None:
    article = clean(_raw(_page("Leave a Reply\nGreat article, thanks for sharing the details with us.")))
    assert _body(article) == PARA1
    assert any("comment section" in note for note in article.removed)


def test_clean_forum_repost_keeps_article_drops_users_and_comments() -> None:
    raw = load_file(FIXTURES / "forum_repost.txt")[0]
    article = clean(raw)
    paragraphs = _body(article).split("\n\n")
    assert paragraphs[0].startswith("PORTSMOUTH — The harbour authority postponed")
    assert paragraphs[-1] == "Local operators had asked for the delay, according to a letter seen by reporters."
    assert len(paragraphs) == 3
    for gone in (
        "seaview_reader",
        "tidewatcher",
        "nobody maintains",
        "Agreed.",
        "photo_2024.jpg",
        "What's new",
        "bridge tolls",
    ):
        assert gone not in article.text
    assert article.published == dt.date(2024, 2, 9)  # the reposted article's date, not the post date
    assert article.published_text == "February 9, 2024"
    assert any("forum post date 2024-02-11" in note for note in article.removed)
    assert (article.byline, article.outlet, article.dateline) == ("Maria Okafor", "Coastal Press Agency", "PORTSMOUTH")
    assert article.title == "Harbour authority delays ferry contract after storm damage"
    _assert_segments_map_back(article, raw)


def test_clean_web_page_fixture() -> None:
    raw = load_file(FIXTURES / "web_page.txt")[0]
    article = clean(raw)
    assert _body(article).startswith("HARBOURTON: Ferry fares")
    assert article.dateline == "HARBOURTON"
    assert article.published == dt.date(2024, 2, 12)
    for gone in ("icon-", "Island councils", "Advertisement", "https://", "Leave a Reply", "Great article"):
        assert gone not in article.text
    assert len(_body(article).split("\n\n")) == 3


@pytest.mark.parametrize(
    "header, title, published, byline, outlet",
    [
        (["Tue May 30 2023"], TITLE, dt.date(2023, 5, 30), None, None),
        (["May 4, 2023"], TITLE, dt.date(2023, 5, 4), None, None),
        (["date 2023-05-06 What's new"], TITLE, dt.date(2023, 5, 6), None, None),
        (["Published: 2023-05-30"], TITLE, dt.date(2023, 5, 30), None, None),
        (["30 May 2023"], TITLE, dt.date(2023, 5, 30), None, None),
        (["Updated 10:45 AM ET, Tue May 30, 2023"], TITLE, dt.date(2023, 5, 30), None, None),
        (["By Jane Doe"], TITLE, None, "Jane Doe", None),
        (["By Jane Doe, Reuters", "May 4, 2023"], TITLE, dt.date(2023, 5, 4), "Jane Doe", "Reuters"),
        (["• Peter Hall - Harbour News", "• May 4, 2023"], TITLE, dt.date(2023, 5, 4), "Peter Hall", "Harbour News"),
        # near misses: a year alone, a month without a day, a sentence with a date
        (["In 2018 the board froze fares"], TITLE, None, None, None),
        (["May 2023"], TITLE, None, None, None),
        (["Talks on May 4, 2023 failed"], TITLE, None, None, None),
    ],
)
def test_clean_header_metadata(
    header: list[str], title: str, published: dt.date | None, byline: str | None, outlet: str | None
) -> None:
    text = "\n".join([TITLE, ""] + header + ["", PARA1, "", PARA2])
    article = clean(_raw(text))
    assert (article.title, article.published, article.byline, article.outlet) == (title, published, byline, outlet)
    for line in header:
        if published or byline:
            assert line not in article.text  # metadata lines are not claims


def test_clean_never_reads_date_from_body() -> None:
    article = clean(_raw(f"{TITLE}\n\n{PARA1}\n\n{PARA2}\n\nMay 4, 2023\n"))
    assert article.published is None


def test_clean_raw_metadata_wins_over_header() -> None:
    raw = _raw(
        f"{TITLE}\n\nMay 4, 2023\n\n{PARA1}",
        title="Board approves timetable",
        published=dt.date(2023, 5, 5),
        outlet="Dock Times",
    )
    article = clean(raw)
    assert (article.title, article.published, article.outlet) == (
        "Board approves timetable",
        dt.date(2023, 5, 5),
        "Dock Times",
    )
    assert _body(article) == PARA1


def test_clean_title_equal_to_raw_title_kept_as_headline_even_with_period() -> None:
    title = "The harbour board approved a new ferry timetable on Tuesday night."
    article = clean(_raw(f"{title}\n{PARA1}\n{PARA2}", title=title))
    assert _body(article) == f"{PARA1}\n\n{PARA2}"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Tue May 30 2023", dt.date(2023, 5, 30)),
        ("  • May 4, 2023", dt.date(2023, 5, 4)),
        ("Published: 2023-05-30", dt.date(2023, 5, 30)),
        ("In 2018 the sanctions were imposed on Li by Washington.", None),
        ("The meeting on May 4, 2023 was cancelled.", None),
        ("Updated May 2023", None),
    ],
)
def test_clean_header_date(line: str, expected: dt.date | None) -> None:
    found = header_date(line)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("By Jane Doe", ("Jane Doe", None)),
        ("BY JANE DOE AND JOHN ROE", ("JANE DOE AND JOHN ROE", None)),
        ("• Peter Martin - Bloomberg News", ("Peter Martin", "Bloomberg News")),
        ("Jane Doe | Associated Press", ("Jane Doe", "Associated Press")),
        ("By the time the ferry arrived, the harbour was closed.", None),
        ("Austin - the defence secretary", None),
        ("China - US relations", None),
    ],
)
def test_clean_header_byline(line: str, expected: tuple[str, str | None] | None) -> None:
    assert header_byline(line) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("WASHINGTON — The Pentagon said", "WASHINGTON"),
        ("WASHINGTON: In a setback", "WASHINGTON"),
        ("WEST PALM BEACH, Fla. — The president", "WEST PALM BEACH, Fla."),
        ("TEL AVIV (Reuters) - Israel said", "TEL AVIV"),
        ("UPDATE: The board said", None),
        ("US — China talks", None),
        ("The board said on Monday", None),
    ],
)
def test_clean_dateline(text: str, expected: str | None) -> None:
    assert dateline(text) == expected


def test_clean_dateline_kept_in_text_and_recorded() -> None:
    body = "WASHINGTON — " + PARA1
    article = clean(_raw(f"{TITLE}\n\n{body}\n\n{PARA2}"))
    assert article.dateline == "WASHINGTON" and _body(article).startswith("WASHINGTON — ")


def test_clean_dateline_on_its_own_line_is_dropped_and_recorded() -> None:
    article = clean(_raw(f"{TITLE}\nWASHINGTON —\n{PARA1}\n{PARA2}"))
    assert article.dateline == "WASHINGTON" and _body(article) == f"{PARA1}\n\n{PARA2}"


def test_clean_markdown_strips_syntax_and_maps_back() -> None:
    raw = load_file(FIXTURES / "ferry_timetable.md")[0]
    article = clean(raw)
    assert article.title == "Ferry timetable changes announced"
    assert article.byline == "Sam Lee"
    assert "two extra crossings" in article.text and "**" not in article.text and "](" not in article.text
    assert "Winter service" not in article.text  # a subheading
    assert "the operator said, because demand falls by about a third" in article.text  # wrapped line joined
    _assert_segments_map_back(article, raw)


def test_clean_hard_wrapped_text_joins_lines() -> None:
    wrapped = (
        "The harbour board approved a new ferry timetable on Tuesday, adding\n"
        "two late crossings on weekdays, its chairman said after a long meeting\n"
        "in the town hall.\n\n"
        "The changes take effect in June and will cost about 40,000 pounds a\n"
        "year, according to the board's budget papers released on Wednesday\n"
        "morning by the clerk.\n"
    )
    raw = _raw(f"{TITLE}\n\n{wrapped}")
    article = clean(raw)
    assert (
        _body(article)
        .split("\n\n")[0]
        .endswith("adding two late crossings on weekdays, its chairman said after a long meeting in the town hall.")
    )
    assert len(_body(article).split("\n\n")) == 2
    _assert_segments_map_back(article, raw)


def test_clean_orig_line_points_at_original_line() -> None:
    raw = load_file(FIXTURES / "forum_repost.txt")[0]
    article = clean(raw)
    lines = raw.text.split("\n")
    for sentence in ("PORTSMOUTH", "The authority said repairs", "Local operators had asked"):
        offset = article.text.index(sentence)
        line = orig_line(article, raw.text, offset)
        assert line is not None and lines[line - 1].startswith(sentence)
    join = article.text.index("\n\n")
    assert orig_line(article, raw.text, join) is None  # synthetic join


def test_clean_nothing_left_raises() -> None:
    with pytest.raises(InputError, match="doc.txt: no article text left"):
        clean(_raw("icon-facebook icon-twitter\n\nAdvertisement\n"))


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds/ folder not present")
def test_clean_seeds_leave_no_furniture() -> None:
    raws = load_paths([SEEDS])
    articles = {raw.id: (raw, clean(raw)) for raw in raws}
    for raw, article in articles.values():
        _assert_segments_map_back(article, raw)
        for furniture in (
            "icon-facebook",
            "Leave a",
            "Be the first to read",
            "more on the subject",
            ".png",
            "What's new",
            "date 2023",
        ):
            assert furniture not in article.text, (raw.id, furniture)
        # the headline opens the text once, marked; it is not repeated in the body
        assert article.title and article.headline is not None
        assert article.text[article.headline.start : article.headline.end] == article.title
        assert article.title not in _body(article)
    forum = next(a for raw, a in articles.values() if raw.id.startswith("002_"))
    assert "beijingwalker" not in forum.text and "Obviously," not in forum.text and "Very funny" not in forum.text
    assert forum.published == dt.date(2023, 5, 4)
    assert forum.outlet == "Bloomberg News"
    assert "Ambassador to China calls" not in forum.text


def test_clean_headline_stays_first_in_text_and_is_marked() -> None:
    article = clean(_raw(_page("Advertisement")))
    assert article.title == TITLE
    assert article.headline is not None and article.text[article.headline.start : article.headline.end] == TITLE
    assert article.text.startswith(TITLE + "\n\n" + PARA1)


def test_clean_metadata_title_is_put_first_without_a_line() -> None:
    raw = _raw(f"{PARA1}\n\n{PARA2}", fmt="html", title="Board approves timetable", text_is_file=False)
    article = clean(raw)
    assert article.text.startswith("Board approves timetable\n\n" + PARA1)
    assert article.headline is not None and article.orig_offset(article.headline.start) is None


def test_clean_bracketed_placeholder_is_no_headline() -> None:
    article = clean(_raw(f"[no headline in stored copy]\n\n{PARA1}\n\n{PARA2}"))
    assert article.headline is None and article.title is None
    assert article.text == f"{PARA1}\n\n{PARA2}"


# --------------------- issue 12, case 5: a file cut by the cleaner says how much it dropped


@pytest.mark.parametrize(
    "tail, reason, lines",
    [
        (
            "Leave a Reply\n\n" + "\n".join(f"reader{i}: I disagree with point {i}." for i in range(3000)),
            "comment section and page footer",
            3002,
        ),
        ("12 Comments\n\nGreat article.\n\nNo, it is not.", "comment section and page footer", 5),
        ("Leave a Comment", None, 0),  # only the marker itself: nothing of note dropped
        ("", None, 0),
    ],
)
def test_clean_cut_reports_how_much_it_dropped(tail: str, reason: str | None, lines: int) -> None:
    from factcheck.clean import clean_with_cut

    text = _page("") + "\n" + tail + ("\n" if tail else "")
    raw = _raw(text)
    article, cut = clean_with_cut(raw)
    assert article == clean(raw)
    if reason is None:
        assert cut is None
        return
    assert cut is not None and cut.reason == reason
    start = text.index(tail)
    assert (cut.line, cut.lines, cut.chars) == (text.count("\n", 0, start) + 1, lines, len(text) - start)
    warning = cut.warning("doc.txt")
    assert warning.startswith(f"doc.txt: cleaning cut the file at line {cut.line} ({reason}")
    assert f"{lines:,} lines" in warning and "not checked" in warning


def test_clean_forum_cut_is_reported() -> None:
    from factcheck.clean import clean_with_cut

    (raw,) = load_file(FIXTURES / "forum_repost.txt")
    _, cut = clean_with_cut(raw)
    assert cut is not None and cut.reason == "reader comments (forum page)" and cut.lines > 1
