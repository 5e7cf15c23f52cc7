"""Map the main text trafilatura extracts from a page back to lines of the page source.

trafilatura gives plain text with no positions. To cite an HTML article by
``file:line``, each line of that text is looked up in the page's visible text
(tags dropped, character references decoded, ``script``/``style`` skipped),
where every character remembers the source line it came from. Whitespace is
compared collapsed; lines are searched in order, each after the previous
match, falling back to the whole page. A line that cannot be found maps to 0:
it is then cited by file and character offsets only, never by a guessed line.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Enough characters to place a line without matching a stock phrase elsewhere.
PROBE_CHARS = 80
_SPACE = re.compile(r"\s+")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chars: list[str] = []
        self.lines: list[int] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "noscript"):
            self._skip += 1
        self._space()

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "noscript") and self._skip:
            self._skip -= 1
        self._space()

    def _space(self) -> None:
        if self.chars and self.chars[-1] != " ":
            self.chars.append(" ")
            self.lines.append(self.lines[-1] if self.lines else 1)

    def handle_data(self, data):
        if self._skip:
            return
        line = self.getpos()[0]
        for ch in data:
            if ch.isspace():
                if self.chars and self.chars[-1] == " ":
                    if ch == "\n":
                        line += 1
                    continue
                self.chars.append(" ")
                self.lines.append(line)
                if ch == "\n":
                    line += 1
            else:
                self.chars.append(ch)
                self.lines.append(line)


def _visible(html: str) -> tuple[str, list[int]]:
    parser = _Visible()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # a page html.parser chokes on is cited without lines, never fails the run
        return "", []
    return "".join(parser.chars), parser.lines


def _probe(line: str) -> str:
    return _SPACE.sub(" ", line).strip()[:PROBE_CHARS]


def line_map(html: str, text: str) -> tuple[int, ...]:
    """For each line of ``text``, the 1-based page-source line where it starts (0: not found)."""
    visible, lines = _visible(html)
    out: list[int] = []
    pos = 0
    for line in text.split("\n"):
        probe = _probe(line)
        if not probe or not visible:
            out.append(0)
            continue
        at = visible.find(probe, pos)
        if at < 0:
            at = visible.find(probe)
        if at < 0:
            out.append(0)
            continue
        out.append(lines[at])
        pos = at + len(probe)
    return tuple(out)


def title_line(html: str, title: str) -> int | None:
    """The page-source line of the title: its ``<title>`` element or the first place it is shown."""
    m = re.search(r"<title[^>]*>", html, re.IGNORECASE)
    if m:
        return html.count("\n", 0, m.start()) + 1
    found = line_map(html, title)
    return found[0] or None if found else None
