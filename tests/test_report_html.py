"""The HTML report as a person sees it: rendered in headless Chromium (issue 10).

A real run (fake embedder) over the test event, with one article carrying a
``<script>``, an ``<img onerror=…>`` and a Markdown link to ``javascript:``
in its title, outlet and text. In the browser: every finding is on the page
with its id, each filter changes what is shown, a review decision shows its
status and note, nothing from the articles runs (no dialog, no marker set,
only the page's own script) and the hostile text is shown literally; on a
phone-sized screen nothing runs off the side. Screenshots go to the test's
temp folder so a failure can be looked at. Skipped, with the reason, only
where Chromium is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import Browser, chromium

from factcheck.pipeline import check
from factcheck.report import to_html
from factcheck.review import decide, publish

ROOT = Path(__file__).resolve().parents[1]
EVENT = ROOT / "tests" / "fixtures" / "event"

SCRIPT = "<script>document.body.dataset.pwned='script';alert('script')</script>"
IMG = "<img src=x onerror=\"document.body.dataset.pwned='img';alert('img')\">"
LINK = "[click](javascript:alert('link'))"

needs_chromium = pytest.mark.skipif(chromium() is None, reason="chromium is not installed (apt-get install chromium)")


@pytest.fixture
def hostile_report(tmp_path: Path, fake_embedder) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    a = EVENT.joinpath("a_harbour.txt").read_text(encoding="utf-8")
    a = a.replace("Harbour Bridge Closed After Storm Damage", f"Harbour Bridge {SCRIPT} Closed {LINK}")
    a = a.replace("Ruiz added that", f"Ruiz added {IMG} and {LINK} that")
    (src / "a_harbour.txt").write_text(a, encoding="utf-8")
    b = EVENT.joinpath("b_coastal.txt").read_text(encoding="utf-8").split("\n", 4)[4]
    (src / "b_coastal.json").write_text(
        json.dumps(
            {
                "title": f"{IMG} Storm Shuts Harbour Bridge",
                "outlet": f"Coastal {SCRIPT} Times",
                "published": "2023-03-14",
                "text": b,
            }
        ),
        encoding="utf-8",
    )
    shutil.copy(EVENT / "c_daily.txt", src / "c_daily.txt")
    (src / "sources.toml").write_text(
        '["c_daily.txt"]\noutlet = "The Daily"\nurl = "https://daily.example/bridge"\n', encoding="utf-8"
    )
    report, _ = check([src], name="r", embedder=fake_embedder)
    assert len(report.findings) >= 3
    out = tmp_path / "reports" / "r"
    publish(report, out)
    return out


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.mark.model
def test_report_html_is_inert_without_a_browser(hostile_report: Path) -> None:
    """The page's own tags only, parsed (runs everywhere, also without Chromium)."""
    page = hostile_report.with_suffix(".html").read_text(encoding="utf-8")
    p = _Tags()
    p.feed(page)
    tags = [t for t, _ in p.tags]
    assert tags.count("script") == 1 and "img" not in tags
    assert not any(a.get("href", "").lower().startswith("javascript") for _, a in p.tags)
    assert not any(k.startswith("on") for _, a in p.tags for k in a)
    assert "&lt;script&gt;" in page and "Content-Security-Policy" in page
    report = json.loads(hostile_report.with_suffix(".json").read_text(encoding="utf-8"))
    for f in report["findings"]:
        assert f'id="{f["id"]}"' in page


@pytest.mark.model
def test_report_html_written_and_rerendered_after_review(hostile_report: Path) -> None:
    report = json.loads(hostile_report.with_suffix(".json").read_text(encoding="utf-8"))
    fid = report["findings"][0]["id"]
    decide(hostile_report, fid, "dismissed", reviewer="ana", note="checked with the council")
    page = hostile_report.with_suffix(".html").read_text(encoding="utf-8")
    assert "checked with the council" in page and 'data-status="dismissed"' in page
    assert (
        "dismissed as a false alarm" in json.loads(hostile_report.with_suffix(".json").read_text())["verdict"]["text"]
    )


@pytest.mark.model
@needs_chromium
def test_report_html_in_chromium(hostile_report: Path, tmp_path: Path) -> None:
    report = json.loads(hostile_report.with_suffix(".json").read_text(encoding="utf-8"))
    findings = report["findings"]
    confirmed = findings[-1]["id"]
    decide(hostile_report, confirmed, "confirmed", reviewer="ana", note=f"real {SCRIPT} {IMG}")
    page = hostile_report.with_suffix(".html")
    browser = Browser(tmp_path / "profile")
    try:
        browser.open(page)
        browser.screenshot(tmp_path / "report-desktop.png")
        # Every finding, with its id; the page's own script ran (the counter is filled in).
        shown = browser.js("[...document.querySelectorAll('[data-finding]')].map(e => e.id)")
        assert sorted(shown) == sorted(f["id"] for f in findings)
        visible = "[...document.querySelectorAll('[data-finding]')].filter(e => e.offsetParent !== null).map(e => e.id)"
        assert sorted(browser.js(visible)) == sorted(shown)

        def choose(control: str, value: str) -> list[str]:
            browser.js(
                f"(() => {{ const s = document.getElementById('filter-{control}'); s.value = {json.dumps(value)};"
                " s.dispatchEvent(new Event('change')); })()"
            )
            return sorted(browser.js(visible))

        for sev in {f["severity"] for f in findings}:
            assert choose("severity", sev) == sorted(f["id"] for f in findings if f["severity"] == sev)
            assert browser.js("document.getElementById('shown').textContent") == str(
                sum(f["severity"] == sev for f in findings)
            )
        choose("severity", "")
        for kind in {f["kind"] for f in findings}:
            assert choose("kind", kind) == sorted(f["id"] for f in findings if f["kind"] == kind)
        choose("kind", "")
        assert choose("status", "confirmed") == [confirmed]
        assert choose("status", "open") == sorted(f["id"] for f in findings if f["id"] != confirmed)
        choose("status", "")
        # The outlet in the fewest findings: choosing it must hide the others.
        involved = {f["id"]: {e["article_id"] for e in f["evidence"]} for f in findings}
        outlet = min(
            sorted({a for ids in involved.values() for a in ids}),
            key=lambda a: sum(a in ids for ids in involved.values()),
        )
        expected = sorted(fid for fid, ids in involved.items() if outlet in ids)
        assert choose("outlet", outlet) == expected and len(expected) < len(findings)
        choose("outlet", "")
        browser.screenshot(tmp_path / "report-filtered.png")

        # The decision is on the page: status and note of that finding.
        card = f"document.getElementById({json.dumps(confirmed)})"
        assert browser.js(f"{card}.querySelector('.status').textContent") == "confirmed"
        assert "real <script>" in browser.js(f"{card}.querySelector('.note').textContent")

        # Nothing from the articles ran, and it is all shown as text.
        assert browser.dialogs() == []
        assert browser.js("document.body.dataset.pwned === undefined")
        assert browser.js("document.scripts.length") == 1
        assert browser.js("document.images.length") == 0
        assert browser.js("[...document.links].filter(a => !/^(https?|file):/.test(a.href)).map(a => a.href)") == []
        text = browser.js("document.body.innerText")
        for s in (SCRIPT, IMG, LINK, f"Coastal {SCRIPT} Times"):
            assert s in text, s
        # The manifest's outlet and address are on the page as a link.
        assert browser.js("[...document.links].some(a => a.href === 'https://daily.example/bridge')")
        assert "The Daily" in text

        # A phone: nothing wider than the screen.
        browser.viewport(390, 844, mobile=True)
        browser.open(page)
        browser.screenshot(tmp_path / "report-phone.png")
        assert browser.js("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert browser.dialogs() == []
    finally:
        browser.close()


@pytest.mark.model
def test_report_html_unsafe_manifest_urls_never_links(fake_embedder, tmp_path: Path) -> None:
    """A URL that slipped past the manifest check (a JSON field) is text, not a link."""
    report, _ = check([EVENT], name="r", embedder=fake_embedder)
    arts = tuple(a.model_copy(update={"url": "javascript:alert(1)"}) for a in report.articles)
    page = to_html(report.model_copy(update={"articles": arts}))
    assert 'href="javascript' not in page.lower()
