"""Turn a ``RawDocument`` into a clean ``Article``: article prose only, verbatim.

Cleaning is paragraph based. The raw text is cut into units (a line; for
Markdown and hard-wrapped text, a blank-line separated block), each unit is
either kept verbatim or dropped whole, and kept units are joined with a
synthetic ``"\\n\\n"``. ``Article.segments`` maps every kept character back to
``RawDocument.text``, so spans found later can be cited as file:line.

What is dropped (each with a note in ``Article.removed``):

* page furniture: share buttons, comment prompts, promotional and
  "related story" lines, advertisement labels, image file names, URL-only
  lines, navigation words, separator rules;
* metadata lines of the header block (title, byline, date line, a dateline on
  a line of its own): they fill ``Article`` fields instead of becoming claims;
* headline-like lines (no sentence-final punctuation, at most
  ``HEADLINE_MAX_WORDS`` words) anywhere after the body starts. Such a line is
  a subheading or a teaser linking to another story; the two cannot be told
  apart from text alone, and neither is a claim the article makes in a
  checkable sentence, so both go (precision over recall);
* a paragraph repeated right after itself (the repeat only);
* everything from a comment-section marker ("Leave a Reply", "12 Comments")
  on, once the body has started;
* on a forum page (a short single-token user name repeated in the header),
  the user names and the reader comments after the reposted article.

Kept: everything else, verbatim, including a dateline at the start of the
first paragraph ("WASHINGTON — The Pentagon ..."); the dateline is also
recorded in ``Article.dateline``. Header metadata is read from the first
``HEADER_MAX_UNITS`` units before the first prose paragraph only, never from
body prose; metadata the raw document declared wins over the header.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from factcheck import lexicon
from factcheck.errors import InputError
from factcheck.load import parse_full_date
from factcheck.models import Article, RawDocument, Segment, Span

# A line with at most this many words and no sentence-final punctuation reads
# as a headline; news headlines run 6-15 words, truncated prose lines are longer.
HEADLINE_MAX_WORDS = 20
# A paragraph that starts the body: a sentence of at least this many words
# (shorter punctuated lines in the header are decks or labels).
PROSE_MIN_WORDS = 8
# Header metadata (title, byline, date) is looked for in this many units only.
HEADER_MAX_UNITS = 12
PARAGRAPH_JOIN = "\n\n"


# --- units --------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    start: int  # offset in raw text
    end: int
    joiner: str  # synthetic text put before this piece inside its unit


@dataclass(frozen=True)
class _Unit:
    line: int  # 1-based line of the first piece
    last_line: int
    pieces: tuple[_Piece, ...]
    text: str
    after_filler: bool  # preceded by a line of only non-breaking/odd whitespace


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its newline."""
    spans, start = [], 0
    while True:  # str.find, not a loop over characters: a 50 MB file has 50 M of them
        nl = text.find("\n", start)
        if nl < 0:
            break
        spans.append((start, nl))
        start = nl + 1
    spans.append((start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_MD_BLOCK = re.compile(r"(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+)")
_MD_HEADING_TAIL = re.compile(r"\s+#+$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(?<![\w*_])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_])[*_]{1,3}(?![\w*_])|`")
_WRAP_MIN_CONTINUATIONS = 3


def _md_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Verbatim runs of one Markdown line without block markers and inline syntax."""
    m = _MD_BLOCK.match(text, start, end)
    heading = bool(m) and text[start] == "#"
    if m:
        start = m.end()
    tail = _MD_HEADING_TAIL.search(text, start, end) if heading else None
    if tail:
        end = tail.start()
    drops: list[tuple[int, int]] = []
    for rx in (_MD_IMAGE, _MD_LINK, _MD_EMPHASIS):
        for mm in rx.finditer(text, start, end):
            if any(a <= mm.start() < b for a, b in drops):
                continue
            if rx is _MD_LINK:
                drops.append((mm.start(), mm.start(1)))
                drops.append((mm.end(1), mm.end()))
            else:
                drops.append((mm.start(), mm.end()))
    runs, pos = [], start
    for a, b in sorted(drops):
        if a > pos:
            runs.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        runs.append((pos, end))
    return [(a, b) for a, b in runs if a < b]


def _is_hard_wrapped(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """True when paragraphs are broken over lines (a lowercase word starts a line
    that directly follows a long line): then a line is a fragment, not a paragraph."""
    continuations = 0
    longest = 0
    for (a, b), (c, d) in zip(spans, spans[1:]):
        line, nxt = text[a:b].strip(), text[c:d].strip()
        longest = max(longest, len(line))
        if 40 <= len(line) and nxt[:1].islower():
            continuations += 1
    return continuations >= _WRAP_MIN_CONTINUATIONS and longest <= 120


def _units(raw: RawDocument) -> list[_Unit]:
    text = raw.text
    spans = _lines(text)
    markdown = raw.format == "md"
    block_mode = markdown or _is_hard_wrapped(text, spans)
    units: list[_Unit] = []
    current: list[_Piece] = []
    first_line = last_line = 0
    filler = False
    pending_filler = False

    def flush() -> None:
        nonlocal current, filler
        if current:
            body = "".join(p.joiner + text[p.start : p.end] for p in current)
            units.append(_Unit(first_line, last_line, tuple(current), body, filler))
        current, filler = [], False

    for n, (a, b) in enumerate(spans, start=1):
        if a < raw.body_start:  # Markdown front matter: metadata, read at load time
            continue
        s, e = _strip_span(text, a, b)
        if s == e:
            flush()
            if b > a and text[a:b].strip(" \t") != "":
                pending_filler = True  # a line holding only e.g. a non-breaking space
            continue
        starts_block = not block_mode or bool(_MD_BLOCK.match(text, s, e)) or not current
        if starts_block:
            flush()
            first_line = n
            filler, pending_filler = pending_filler, False
        runs = _md_pieces(text, s, e) if markdown else [(s, e)]
        for i, (ra, rb) in enumerate(runs):
            joiner = " " if (i == 0 and current) else ""
            current.append(_Piece(ra, rb, joiner))
        last_line = n
        if not block_mode:
            flush()
    flush()
    return [u for u in units if u.text.strip()]


# --- line classifiers ---------------------------------------------------------

_CLOSERS = "\"'”’)]»"
_ENDS_SENTENCE = re.compile(rf"(?:[.!?…:;][{re.escape(_CLOSERS)}]*|[\"'”’»])$")
# Scraped text sometimes ends a line with a literal "\n" or a stray space.
_TAIL_JUNK = re.compile(r"(?:\s|\\[nrt])+$")
_FUNCTION_WORD_END = re.compile(
    r"\b(?:of|the|a|an|to|and|or|in|on|at|for|with|by|from|that|as|is|was|his|her|their|its)$", re.IGNORECASE
)
_REPORTING = re.compile(r"[,\"'”’]\s*(?:\w+\s+){0,4}(?:said|says|told|wrote|added|asked)\b", re.IGNORECASE)
# Sentence-case lines longer than this are prose even without final punctuation
# (truncated or mis-split); subheadings and teasers are shorter.
TEASER_MAX_WORDS = 12


def _words(s: str) -> list[str]:
    return s.split()


def _ends_sentence(s: str) -> bool:
    return bool(_ENDS_SENTENCE.search(_TAIL_JUNK.sub("", s)))


def _is_prose(s: str) -> bool:
    n = len(_words(s))
    return (n >= PROSE_MIN_WORDS and _ends_sentence(s)) or n > HEADLINE_MAX_WORDS


def _is_headline_like(s: str) -> bool:
    """No sentence-final punctuation and headline length: a title candidate."""
    return not _ends_sentence(s) and 0 < len(_TAIL_JUNK.sub("", s).split()) <= HEADLINE_MAX_WORDS


def _is_title_case(words: Sequence[str]) -> bool:
    capitalised = [w for w in words if w[:1].isupper() or w[:1].isdigit()]
    return len(capitalised) >= 0.6 * len(words)


def _is_subheading_or_teaser(s: str) -> bool:
    """A headline-like line inside the article: short, and nothing marks it as
    broken prose (opening quote or dash, a reporting clause, a trailing
    function word as in a line cut mid-sentence)."""
    s = _TAIL_JUNK.sub("", s)
    words = s.split()
    if not _is_headline_like(s) or s[:1] in "\"'“‘—–-" or _REPORTING.search(s) or _FUNCTION_WORD_END.search(s):
        return False
    return len(words) <= TEASER_MAX_WORDS or _is_title_case(words)


_NORM_FOLD: dict[str, str | int | None] = {"’": "'", "‘": "'", "“": '"', "”": '"', "\xa0": " "}


def _norm(s: str) -> str:
    """Compare form: case, quote style and spacing ignored."""
    s = s.translate(str.maketrans(_NORM_FOLD))
    return " ".join(s.casefold().split())


# A line of share buttons (lexicon/boilerplate.toml).
_SOCIAL_CORE: frozenset[str] = lexicon.words("boilerplate", "share_buttons", "core")
_SOCIAL_FILLER: frozenset[str] = lexicon.words("boilerplate", "share_buttons", "filler")


def _is_share_buttons(s: str) -> bool:
    tokens = [t.strip(":,.") for t in re.split(r"[\s|·•/]+", s.casefold()) if t.strip(":,.")]
    tokens = [t.removeprefix("icon-").removeprefix("fa-") for t in tokens]
    return (
        0 < len(tokens) <= 12
        and all(t in _SOCIAL_CORE or t in _SOCIAL_FILLER for t in tokens)
        and any(t in _SOCIAL_CORE for t in tokens)
    )


_COMMENT_MARKER = re.compile(
    r"^(?:leave a (?:comment|reply)|post a comment|add a comment|\d+\s+comments?|comments?(?:\s*\(\d+\))?"
    r"|show comments|view comments|join the (?:conversation|discussion)|reader comments"
    r"|you must be logged in to post a comment)\W*$",
    re.IGNORECASE,
)
_FURNITURE: tuple[tuple[str, re.Pattern[str], int], ...] = (
    # (reason, pattern, maximum words): the word limit keeps a prose sentence
    # that happens to start the same way ("Subscribe to the theory that ...").
    (
        "promotion",
        re.compile(
            r"^(?:be the first to (?:read|know|get|see)|subscribe\b|sign up\b|get (?:our|the latest)\b"
            r"|click here\b|follow us\b|download (?:our|the) app|support (?:our|independent) journalism)",
            re.IGNORECASE,
        ),
        30,
    ),
    (
        "related-story link",
        re.compile(
            r"^(?:more on (?:the|this) (?:subject|topic|story)|read more|read also|also read|see also"
            r"|related(?: (?:stories|articles|coverage|content|reading|links|news))?|recommended(?: for you)?"
            r"|you (?:may|might) also like|more from [\w ]{1,30}|most (?:read|popular)|trending(?: now)?"
            r"|what to read next|more stories|further reading)"
            # a label, not a sentence: it ends the line or a separator follows
            r"\s*(?:$|[:|»›>\-–—…]|\.\.\.)",
            re.IGNORECASE,
        ),
        30,
    ),
    (
        "advertisement label",
        re.compile(
            r"^(?:advertisement|advertising|sponsored(?: content)?|story continues (?:below|after) (?:the )?advertisement"
            r"|ad|paid content|partner content)\W*$",
            re.IGNORECASE,
        ),
        8,
    ),
    ("image file name", re.compile(r"^[\w\-. ()]+\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?|heic|avif)$", re.IGNORECASE), 4),
    (
        "image credit",
        re.compile(r"^(?:photo|image|picture|file photo|photograph)s?\s*(?::|by\b|credit\b)", re.IGNORECASE),
        15,
    ),
    ("URL", re.compile(r"^<?(?:https?://|www\.)\S+>?$", re.IGNORECASE), 1),
    (
        "navigation",
        re.compile(
            r"^(?:what'?s new|home|menu|skip to (?:main )?content|log ?in|sign in|register|search|back to top"
            r"|next|previous|close|forums?)$",
            re.IGNORECASE,
        ),
        4,
    ),
    ("separator", re.compile(r"^[-*_=~•·.]{3,}$"), 1),
    ("stray escape sequence", re.compile(r"^(?:\\[nrt])+$"), 1),
)


def _furniture(s: str) -> str | None:
    """Why ``s`` is page furniture, or None when it may be article text."""
    if _is_share_buttons(s):
        return "share buttons"
    if _COMMENT_MARKER.match(_norm(s)):
        return "comment-section marker"
    flat = _norm(s)
    for reason, rx, max_words in _FURNITURE:
        if len(_words(s)) <= max_words and rx.match(flat):
            return reason
    return None


# --- header metadata ----------------------------------------------------------

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)"
_DATE_IN_LINE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?\b"
    rf"|\b{_WEEKDAY}?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b{_WEEKDAY}?\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?", re.IGNORECASE)
# Words that may stand beside a date on a date line; anything else (a verb, a
# name) means the line is prose that mentions a date, not a date line.
_DATE_LINE_WORDS = {
    "published", "updated", "posted", "date", "on", "at", "last", "modified", "first", "what's", "whats", "new",
    "et", "est", "edt", "gmt", "utc", "bst", "pt", "pst", "pdt", "cet", "cest", "ist", "and",
}  # fmt: skip


def header_date(line: str) -> tuple[dt.date, str] | None:
    """(date, date text) when ``line`` is a publication-date line, else None.

    A date line names a full day and otherwise holds only labels ("Published:",
    "Updated", a time, a time zone, forum navigation); "In 2018 the sanctions ..."
    or "Talks on May 4, 2023 failed." are not date lines.
    """
    m = _DATE_IN_LINE.search(line)
    if not m:
        return None
    rest = _TIME.sub(" ", line[: m.start()] + " " + line[m.end() :])
    tokens = [t.strip("•·|,:;()-–—[]").casefold().replace("’", "'") for t in rest.split()]
    if any(t and t not in _DATE_LINE_WORDS for t in tokens):
        return None
    value = parse_full_date(m.group(0))
    return (value, m.group(0)) if value else None


# Words that make a line name a news outlet (lexicon/boilerplate.toml).
_OUTLET_WORDS: frozenset[str] = lexicon.words("boilerplate", "outlets")
_NAME = r"[A-Z][\w.'’\-]*(?:\s+(?:[A-Z][\w.'’\-]*|de|da|van|von|der|al|bin|and|&))*"
_BYLINE_BY = re.compile(r"^[•·*\-–—]?\s*by[:\s]\s*(?P<rest>.+)$", re.IGNORECASE)
_BYLINE_BULLET = re.compile(rf"^[•·*]\s*(?P<rest>{_NAME}\s+[-–—|]\s+.+)$")
_BYLINE_DASH = re.compile(rf"^(?P<rest>{_NAME}\s+[-–—|]\s+.+)$")
_NAME_FULL = re.compile(rf"^{_NAME}$")


def _looks_like_outlet(s: str) -> bool:
    return any(w.strip(".,()").casefold() in _OUTLET_WORDS for w in s.split())


def header_byline(line: str) -> tuple[str, str | None] | None:
    """(author, outlet or None) when ``line`` is a byline, else None.

    "By Jane Doe", "By Jane Doe, Reuters", "• Peter Martin - Bloomberg News".
    A line "Name - Something" without "By" or a bullet counts only when the
    second part names an outlet.
    """
    line = line.strip()
    if len(_words(line)) > 14:
        return None
    m = _BYLINE_BY.match(line)
    explicit = bool(m)
    if not m:
        m = _BYLINE_BULLET.match(line) or _BYLINE_DASH.match(line)
        if not m:
            return None
    rest = _DATE_IN_LINE.sub("", m.group("rest")).strip(" •·|,-–—")
    parts = [p.strip() for p in re.split(r"\s+[-–—|]\s+|,\s+|\s+for\s+", rest) if p.strip()]
    if not parts or not _NAME_FULL.match(parts[0]) or len(_words(parts[0])) > 6:
        return None
    outlet = next((p for p in parts[1:] if _looks_like_outlet(p)), None)
    if not explicit and outlet is None and not line.startswith(("•", "·", "*")):
        return None
    return parts[0], outlet


_DATELINE_STOP = {
    "NOTE",
    "UPDATE",
    "UPDATED",
    "EDITOR'S NOTE",
    "BREAKING",
    "WATCH",
    "EXCLUSIVE",
    "CORRECTION",
    "ANALYSIS",
    "OPINION",
    "LIVE",
}
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}[A-Z.](?:,\s+[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?)"
    r"(?P<agency>\s+\([A-Za-z .&]+\))?\s*(?:—|–|-{1,2}|:)(?:\s+|$)"
)


def _is_dateline_only(s: str) -> bool:
    m = _DATELINE.match(s)
    return m is not None and dateline(s) is not None and m.end() >= len(s.rstrip())


def dateline(s: str) -> str | None:
    """The place of a dateline opening ``s`` ("WASHINGTON —" -> "WASHINGTON"), else None."""
    m = _DATELINE.match(s)
    if not m:
        return None
    place = m.group("place").strip()
    letters = [c for c in place.split(",")[0] if c.isalpha()]
    if len(letters) < 3 or place.upper() in _DATELINE_STOP or place.split(",")[0].strip().upper() in _DATELINE_STOP:
        return None
    return place


_USERNAME = re.compile(r"^[\w.\-]{2,32}$")


# --- cleaning -----------------------------------------------------------------


@dataclass
class _Header:
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    dates: list[tuple[int, dt.date, str]] = field(default_factory=list)  # (unit index, date, text)
    byline_index: int | None = None


def _body_start(units: Sequence[_Unit], skip: int) -> int:
    for i in range(skip, len(units)):
        if _is_prose(units[i].text):
            return i
    return len(units)


def _forum_usernames(units: Sequence[_Unit], end: int) -> set[str]:
    """Single-token lines seen at least twice in the header: forum user names."""
    seen: dict[str, int] = {}
    for u in units[:end]:
        if _USERNAME.match(u.text) and not _ends_sentence(u.text) and not header_date(u.text):
            seen[u.text] = seen.get(u.text, 0) + 1
    return {name for name, count in seen.items() if count >= 2}


@dataclass(frozen=True)
class Cut:
    """Where cleaning cut off the rest of a file (a comment section, reader comments).

    Everything from ``line`` to the end of the file was dropped: ``lines``
    lines, ``chars`` characters. ``marker`` is the first dropped line.
    """

    reason: str
    line: int
    lines: int
    chars: int
    marker: str

    def warning(self, path: str) -> str:
        marker = self.marker if len(self.marker) <= 40 else self.marker[:37] + "..."
        return (
            f"{path}: cleaning cut the file at line {self.line} ({self.reason}, {marker!r}): "
            f"{self.lines:,} lines, {self.chars:,} characters from there on are not checked"
        )


def clean(raw: RawDocument) -> Article:
    """Clean ``raw`` into an ``Article`` whose text is verbatim article prose.

    Raises ``InputError`` when nothing of the article is left (the file holds
    only page furniture or metadata).
    """
    return clean_with_cut(raw)[0]


def clean_with_cut(raw: RawDocument) -> tuple[Article, Cut | None]:
    """``clean``, and the cut it made at a comment section or reader comments, if any.

    A cut that drops only the marker line itself ("Leave a Comment" as the
    last line) is no cut worth telling: None.
    """
    units = _units(raw)
    drop: dict[int, str] = {}
    header = _Header()
    title_norm = _norm(raw.title) if raw.title else None

    # The raw document's own title printed as the first line goes, even when it
    # is a full sentence (some outlets end headlines with a period).
    skip = 0
    headline_unit: int | None = None
    if units and title_norm and _norm(units[0].text) == title_norm:
        headline_unit = 0
        skip = 1
    body = _body_start(units, skip)
    header_end = min(body, skip + HEADER_MAX_UNITS)
    usernames = _forum_usernames(units, header_end)
    last_username = max((i for i in range(header_end) if units[i].text in usernames), default=-1)

    for i in range(skip, header_end):
        reason = _header_unit(units[i].text, i, header, usernames, raw, title_norm)
        if reason == "title" and headline_unit is None:
            # The headline stays in the text (its figures and names are the
            # outlet's claims too), marked by ``Article.headline``.
            headline_unit = i
        elif reason:
            drop[i] = reason
    if headline_unit is not None and _is_placeholder(units[headline_unit].text):
        drop[headline_unit] = "editorial placeholder, not a headline"
        if header.title == units[headline_unit].text:
            header.title = None
        headline_unit = None
    if header.title and title_norm is None:
        title_norm = _norm(header.title)

    cut_at = _drop_body(units, body, header_end, drop, usernames, title_norm)
    if header.dateline is None:
        own_line = [i for i, why in drop.items() if why == "dateline on its own line"]
        first_kept = next((i for i in range(body, len(units)) if i not in drop), None)
        at = own_line[0] if own_line else first_kept
        header.dateline = dateline(units[at].text) if at is not None else None

    published, published_text, date_notes = _choose_date(raw, header, last_username, units)
    article = _assemble(raw, units, drop, header, published, published_text, date_notes, headline_unit)
    return article, _cut(raw, units, drop, cut_at)


def _cut(raw: RawDocument, units: Sequence[_Unit], drop: dict[int, str], cut_at: int | None) -> Cut | None:
    if cut_at is None:
        return None
    reason = drop[cut_at]
    after_marker = cut_at + 1 if reason == "comment section and page footer" else cut_at
    if after_marker >= len(units):
        return None
    start = units[cut_at].pieces[0].start
    lines = raw.text.count("\n", start) + (0 if raw.text.endswith("\n") else 1)
    return Cut(
        reason=reason, line=units[cut_at].line, lines=lines, chars=len(raw.text) - start, marker=units[cut_at].text
    )


def _header_unit(
    s: str, i: int, header: _Header, usernames: set[str], raw: RawDocument, title_norm: str | None
) -> str | None:
    """Classify one header unit, filling ``header``; the drop reason or None (keep)."""
    furniture = _furniture(s)
    if furniture:
        return furniture
    if _is_dateline_only(s):
        header.dateline = header.dateline or dateline(s)
        return "dateline on its own line"
    if s in usernames:
        return "forum user name"
    found = header_date(s)
    if found:
        header.dates.append((i, found[0], found[1]))
        return "publication date line"
    by = header_byline(s)
    if by:
        if header.byline is None:
            header.byline, header.outlet, header.byline_index = by[0], by[1], i
        date_in_byline = _DATE_IN_LINE.search(s)
        value = parse_full_date(date_in_byline.group(0)) if date_in_byline else None
        if date_in_byline and value:
            header.dates.append((i, value, date_in_byline.group(0)))
        return "byline"
    if (title_norm and _norm(s) == title_norm) or (header.title and _norm(s) == _norm(header.title)):
        return "title repeated"
    if _is_headline_like(s) and raw.title is None and header.title is None:
        header.title = s
        return "title"
    if _is_subheading_or_teaser(s) or (i == 0 and _is_headline_like(s)):
        return "headline"
    return None


def _drop_body(
    units: Sequence[_Unit],
    body: int,
    header_end: int,
    drop: dict[int, str],
    usernames: set[str],
    title_norm: str | None,
) -> int | None:
    """Mark furniture, headline-like lines, repeats and comment sections after the header.

    Returns the index of the unit where the rest of the file was cut off
    (comment section, reader comments), else None.
    """
    prev_norm: str | None = None
    for i in range(header_end, len(units)):
        u = units[i]
        if i >= body and usernames and (u.after_filler or u.text in usernames):
            for j in range(i, len(units)):
                drop[j] = "reader comments (forum page)"
            return i
        furniture = _furniture(u.text)
        if furniture == "comment-section marker" and i >= body:
            for j in range(i, len(units)):
                drop[j] = "comment section and page footer"
            return i
        norm = _norm(u.text)
        if furniture:
            drop[i] = furniture
        elif _is_dateline_only(u.text):
            drop[i] = "dateline on its own line"
        elif title_norm and norm == title_norm:
            drop[i] = "title repeated"
        elif norm == prev_norm:
            drop[i] = "repeated line"
        elif _is_subheading_or_teaser(u.text) and not _continues(units, i):
            drop[i] = "headline-like line (subheading or teaser)"
        prev_norm = norm
    return None


def _continues(units: Sequence[_Unit], i: int) -> bool:
    """True when the next unit carries on the same sentence (starts lowercase or
    with an editorial bracket): unit ``i`` is a broken line, not a heading."""
    nxt = units[i + 1].text if i + 1 < len(units) else ""
    return nxt[:1].islower() or nxt[:1] == "["


def _choose_date(
    raw: RawDocument, header: _Header, last_username: int, units: Sequence[_Unit]
) -> tuple[dt.date | None, str | None, list[str]]:
    """Pick the publication date: the raw document's, else the header's.

    On a forum page the post date precedes the user names and the reposted
    article's own date follows them: the article's date wins. Otherwise a date
    next to the byline wins, else the first date line.
    """
    dates = header.dates
    notes: list[str] = []
    if raw.published is not None or (raw.published_text and not dates):
        chosen = None
        result = (raw.published, raw.published_text)
    elif not dates:
        return None, None, notes
    else:
        after_users = [d for d in dates if d[0] > last_username] if last_username >= 0 else []
        near_byline = [d for d in dates if header.byline_index is not None and abs(d[0] - header.byline_index) <= 2]
        chosen = (after_users or near_byline or dates)[0]
        result = (chosen[1], chosen[2])
    for idx, value, text in dates:
        if chosen is None or idx != chosen[0]:
            kind = "forum post date" if 0 <= last_username and idx < last_username else "other header date"
            notes.append(f"line {units[idx].line}: {kind} {value.isoformat()} ('{text}') not used as publication date")
    return result[0], result[1], notes


def _assemble(
    raw: RawDocument,
    units: Sequence[_Unit],
    drop: dict[int, str],
    header: _Header,
    published: dt.date | None,
    published_text: str | None,
    date_notes: list[str],
    headline_unit: int | None = None,
) -> Article:
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    headline: Span | None = None
    title = raw.title or header.title
    if headline_unit is None and title and title.strip() and not _is_placeholder(title):
        # A title known only from metadata (HTML <title>, a JSON field) is put
        # first, as a paragraph of its own that maps to no line of the file.
        t = " ".join(title.split())
        parts.append(t)
        headline = Span(start=0, end=len(t))
        pos = len(t)
    for i, u in enumerate(units):
        if i in drop:
            continue
        if parts:
            parts.append(PARAGRAPH_JOIN)
            pos += len(PARAGRAPH_JOIN)
        unit_start = pos
        for p in u.pieces:
            parts.append(p.joiner)
            pos += len(p.joiner)
            segments.append(Segment(clean_start=pos, orig_start=p.start, length=p.end - p.start))
            parts.append(raw.text[p.start : p.end])
            pos += p.end - p.start
        if i == headline_unit:
            headline = Span(start=unit_start, end=pos)
    text = "".join(parts)
    if not text.strip():
        raise InputError(
            raw.path,
            "no article text left after removing page furniture and metadata",
            "check that the file holds the article body",
        )
    return Article(
        id=raw.id,
        path=raw.path,
        outlet=raw.outlet or header.outlet,
        title=title,
        headline=headline,
        byline=raw.byline or header.byline,
        dateline=header.dateline,
        published=published,
        published_text=published_text,
        published_at=raw.published_at,
        url=raw.url,
        origin=raw.origin,
        format=raw.format,
        record=raw.record,
        text=text,
        segments=tuple(segments),
        raw_sha1=raw.raw_sha1,
        removed=tuple(_notes(units, drop)) + tuple(date_notes),
    )


_PLACEHOLDER = re.compile(r"^\[[^\]]*\]$")


def _is_placeholder(s: str) -> bool:
    """An editorial placeholder in brackets ("[no headline in stored copy]"), not a headline."""
    return bool(_PLACEHOLDER.match(s.strip()))


def _notes(units: Sequence[_Unit], drop: dict[int, str]) -> list[str]:
    """One note per run of consecutive dropped units with the same reason."""
    notes: list[str] = []
    run: tuple[int, int, str] | None = None
    for i in sorted(drop):
        if run and run[1] == i - 1 and run[2] == drop[i]:
            run = (run[0], i, run[2])
            continue
        if run:
            notes.append(_note(units, run))
        run = (i, i, drop[i])
    if run:
        notes.append(_note(units, run))
    return notes


def _note(units: Sequence[_Unit], run: tuple[int, int, str]) -> str:
    first, last = units[run[0]].line, units[run[1]].last_line
    where = f"line {first}" if first == last else f"lines {first}-{last}"
    sample = units[run[0]].text
    sample = sample if len(sample) <= 60 else sample[:57] + "..."
    return f"{where}: {run[2]} ({sample!r})"


def orig_line(article: Article, raw_text: str, clean_offset: int) -> int | None:
    """1-based line in ``raw_text`` (``RawDocument.text``) of a cleaned offset.

    None for synthetic characters (paragraph joins). The line is a line of the
    original file only when ``RawDocument.text_is_file`` is true; for HTML and
    JSON input it is a line of the extracted text.
    """
    offset = article.orig_offset(clean_offset)
    if offset is None:
        return None
    return raw_text.count("\n", 0, offset) + 1
