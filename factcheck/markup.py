"""Markdown for untrusted text: the one escaping layer of every Markdown page.

Everything that came from an input (article text, titles, outlets, speakers,
file names, article ids, reviewer notes, warnings that quote a path) goes
through one of these functions before it is put in Markdown; only the page's
own fixed words and numbers go in raw. Each function returns a fragment for
one position in the page:

========================  =====================================================
``md_text(s)``            running text on one line: a paragraph, a list item,
                          a heading, a table cell, link text
``md_code(s)``            an inline code span (file names, ``file:line``)
``md_blockquote(s)``      a block quote keeping the text's lines
``md_fence(s, info)``     a fenced code block (a word diff)
``md_link(text, url)``    a link, only to http(s), mailto or a relative path
``safe_url(url)``         the URL when a page may link to it, else None (the
                          HTML report uses it too)
========================  =====================================================

The guarantee, for CommonMark with GFM tables and strikethrough (what GitHub,
GitLab and markdown-it render): whatever the input, a fragment adds no HTML
(block or inline), no link, image or autolink, no heading, list, block quote,
thematic break, table row or cell, code span or fence of its own, and cannot
close the construct it sits in. The input's characters are shown as they are,
except where a function says otherwise (line breaks and control characters).

What it does not cover: renderers with extensions beyond GFM (math with
``$``, wiki links, raw-URL linkifying: a bare ``https://...`` may become a
link whose text is that same URL), and Unicode look-alikes or bidirectional
controls, which change how text reads, not what the page contains.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# CommonMark line endings are \n, \r and \r\n; \v, \f and the Unicode line
# and paragraph separators are line breaks to editors and to str.splitlines().
# All of them end a line of running text, so inline text maps them to a space.
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Other C0 and C1 controls and DEL: never article text, and invisible.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
# Characters that start inline syntax anywhere in a line: backslash escapes,
# code spans, emphasis, links and images, HTML and autolinks, block quotes,
# ATX headings (and their closing hashes), GFM table cells and strikethrough.
_ALWAYS = frozenset("\\`*[]<>#|~")
# An entity or numeric character reference would be decoded: "&lt;" shows "<".
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
# Block markers that only count at the start of a line: list items (-, +, 1.
# or 1)), setext underlines (= and -) and thematic breaks.
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def _one_line(text: str) -> str:
    text = _LINE_BREAKS.sub(" ", text)
    return _CONTROLS.sub("\ufffd", text)


def _escape_inline(line: str) -> str:
    """Backslash-escape what could be syntax in one line without line breaks."""
    out: list[str] = []
    n = len(line)
    for i, ch in enumerate(line):
        if ch in _ALWAYS:
            out.append("\\" + ch)
        elif ch == "_" and not (0 < i < n - 1 and line[i - 1].isalnum() and line[i + 1].isalnum()):
            # Inside a word ("snake_case", "000_efbc") an underscore can neither
            # open nor close emphasis; anywhere else it is escaped.
            out.append("\\_")
        else:
            out.append(ch)
    escaped = _ENTITY.sub(r"\\&", "".join(out))
    if escaped[:1] in ("-", "+", "="):
        escaped = "\\" + escaped
    else:
        escaped = _ORDERED.sub(r"\1\\\2", escaped, count=1)
    return escaped


def md_text(text: str | None) -> str:
    """``text`` as Markdown running text on one line, shown exactly as written.

    Line breaks (``\\n``, ``\\r``, ``\\v``, ``\\f``, U+2028, ...) become
    spaces; other control characters become U+FFFD; leading and trailing
    whitespace is dropped (it would be lost, or turn the line into a code
    block). Safe in a paragraph, a list item, a heading, a GFM table cell and
    between the brackets of a link. ``None`` gives an empty string.
    """
    if not text:
        return ""
    return _escape_inline(_one_line(text).strip())


def md_link_text(text: str | None) -> str:
    """Text to put between ``[`` and ``]`` of a link the page makes.

    The same escaping as ``md_text``: brackets are escaped, so the text cannot
    close the link early or nest a link of its own.
    """
    return md_text(text)


def _visible(text: str) -> str:
    """Line breaks and control characters as Python-style escapes (``\\n``, ``\\x07``)."""

    def esc(m: re.Match[str]) -> str:
        ch = m.group(0)
        named = {"\n": "\\n", "\r": "\\r", "\v": "\\v", "\f": "\\f"}
        if ch in named:
            return named[ch]
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return re.sub(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]", esc, text)


def md_code(text: str | None, *, in_table: bool = False) -> str:
    """``text`` as an inline code span, for file names and ``file:line`` citations.

    Every character is literal inside a code span, so only two things need
    care: the fence is one backtick longer than the longest run of backticks
    in ``text``, and line breaks and control characters, which would end the
    line (and so the span) or be invisible, are shown as escapes: a file
    named ``"a\\nb.txt"`` shows as ``a\\nb.txt``. With ``in_table``, ``|`` is
    escaped as GFM requires inside a table cell.
    """
    body = _visible(text or "")
    if in_table:
        body = body.replace("|", "\\|")
    if not body:
        return "` `"
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    # A backtick next to the fence would merge with it, and a renderer strips
    # one space from each end when both ends are spaces: pad, and it strips ours.
    if body[0] == "`" or body[-1] == "`" or (body[0] == " " and body[-1] == " " and body.strip(" ")):
        body = f" {body} "
    return f"{fence}{body}{fence}"


def md_blockquote(text: str | None) -> str:
    """``text`` as a block quote, one ``> `` line per line of the text.

    Each line is escaped as ``md_text``; blank lines stay (as ``>``), so
    paragraphs of the quoted text stay apart. Nothing in the text can end
    the quote, open a fence or a nested quote, or make a heading.
    """
    lines = _LINE_BREAKS.split(text or "")
    return "\n".join(("> " + md_text(line)) if md_text(line) else ">" for line in lines)


def md_fence(text: str | None, info: str = "") -> str:
    """``text`` as a fenced code block, e.g. ``md_fence(diff, "diff")``.

    The fence is longer than any run of backticks in ``text``, so no line of
    it can close the block. Line endings are normalised to ``\\n``; other
    control characters are shown as escapes. ``info`` (the language) is
    kept only if it is a plain word.
    """
    body = _LINE_BREAKS.sub("\n", text or "")
    body = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", lambda m: _visible(m.group(0)), body)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    info = info if re.fullmatch(r"[A-Za-z0-9_+-]*", info) else ""
    return f"{fence}{info}\n{body}\n{fence}"


_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def md_link(text: str | None, url: str | None) -> str:
    """A link with escaped ``text`` to ``url``, or just the text when the URL is unsafe.

    Allowed: http, https and mailto URLs and relative paths ("claims/a.json").
    Anything else (``javascript:``, ``data:``, ``file:``, a URL with control
    characters) gives the escaped text without a link. The destination is
    percent-encoded where Markdown would read it (spaces, brackets, ``<>``).
    """
    label = md_link_text(text) or md_text(url)
    safe = safe_url(url)
    if safe is None:
        return label
    dest = quote(safe, safe="/:?#&=%@+,;~!$'*-._")
    return f"[{label}](<{dest}>)"


def safe_url(url: str | None) -> str | None:
    """``url`` stripped when a page may link to it (http, https, mailto, a relative path), else None.

    The one check behind every link the reports make, Markdown and HTML
    alike: ``javascript:``, ``data:``, ``file:``, a scheme hidden behind
    whitespace or case, and URLs with control characters or line breaks are
    refused.
    """
    if not url or _CONTROLS.search(url) or _LINE_BREAKS.search(url):
        return None
    url = url.strip()
    scheme = _SCHEME.match(url)
    # A colon before any slash is a scheme ("javascript:..."); browsers also
    # ignore leading whitespace and case there, so check what they would see.
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return None
    if not scheme and ":" in url.split("/", 1)[0]:
        return None
    return url or None


__all__ = ["md_blockquote", "md_code", "md_fence", "md_link", "md_link_text", "md_text", "safe_url"]
