"""What a person sees, in Debian's Chromium driven by Playwright: the overview, search,
a claim group with its chart and provenance graph, a document with its highlights, the
analyst's login and override with its audit entry, both at laptop and phone widths; and
a hostile document whose script must never run.

Screenshots go to tests/artifacts/screenshots/ (the overview also to docs/screenshots/
when CLAIMLEDGER_UPDATE_SCREENSHOTS is set, so that a test run leaves the tree clean)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DOCS_SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "overview.png"


@pytest.fixture()
def open_page(browser):
    """A page at a viewport that records console errors (a CSP violation is one) and dialogs."""
    pages = []

    def make(viewport=LAPTOP):
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        page.problems = []
        page.dialogs = []
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(str(e)))

        def on_dialog(dialog):
            page.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        pages.append(context)
        return page

    yield make
    for context in pages:
        context.close()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_read_the_ledger(live_server, open_page, screenshots):
    page = open_page()
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "What the reports claim"
    assert page.locator(".group-card").count() > 5
    page.screenshot(path=screenshots / "overview-laptop.png")
    if os.environ.get("CLAIMLEDGER_UPDATE_SCREENSHOTS"):  # refresh the README's picture on request
        DOCS_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screenshots / "overview-laptop.png", DOCS_SHOT)

    # Filter by event: the select applies itself.
    page.select_option("select[name=event]", "killed")
    page.wait_for_url("**event=killed**")
    titles = page.locator(".group-card h2").all_inner_texts()
    assert titles and all(t.startswith("Killed") for t in titles)

    # Search from the header.
    page.fill("header input[name=q]", "Storm Shadow")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Storm+Shadow")
    assert page.locator(".claims .claim").count() > 0
    page.screenshot(path=screenshots / "search-laptop.png", full_page=True)

    # Open a group: the chart and the provenance graph are drawn.
    page.locator(".search-grid a[href^='/groups/']").first.click()
    page.wait_for_url("**/groups/**")
    assert page.locator("svg.graph").is_visible()
    assert page.locator("svg.graph a rect").count() >= 3
    if page.locator("svg.chart").count():
        assert page.locator("svg.chart circle").count() >= 1
    assert page.locator(".assessment .grade.big").inner_text()
    page.screenshot(path=screenshots / "group-laptop.png", full_page=True)

    # Open a document from a member claim: claims, sources and cues are marked.
    page.locator(".claims .claim .meta.small a[href^='/documents/']").first.click()
    page.wait_for_url("**/documents/**")
    assert page.locator(".doc-text .claim").count() >= 1
    assert page.locator(".doc-text .source").count() + page.locator(".doc-text .cue").count() >= 1
    page.screenshot(path=screenshots / "document-laptop.png", full_page=True)
    assert page.problems == [], page.problems


def test_quoted_blocks_and_sources(live_server, open_page, screenshots):
    page = open_page()
    doc = "https://frontlinenotes.example/2024/12/16/friendly-fire-kursk"
    page.goto(live_server + "/documents/" + quote(doc, safe=""))
    assert page.locator("blockquote.quoted").count() == 1
    page.goto(live_server + "/sources")
    page.locator("table.sources tbody a").first.click()
    page.wait_for_url("**/sources/**")
    assert "Track record" in page.content()
    page.screenshot(path=screenshots / "source-laptop.png", full_page=True)
    assert page.problems == [], page.problems


def test_phone_width(live_server, open_page, screenshots):
    page = open_page(PHONE)
    page.goto(live_server + "/")
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshots / "overview-phone.png")
    page.locator(".group-card h2 a").first.click()
    page.wait_for_url("**/groups/**")
    assert no_horizontal_scroll(page)  # the graph scrolls inside its own box
    page.screenshot(path=screenshots / "group-phone.png", full_page=True)
    page.locator(".claims .claim .meta.small a[href^='/documents/']").first.click()
    page.wait_for_url("**/documents/**")
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshots / "document-phone.png", full_page=True)
    assert page.problems == [], page.problems


def test_analyst_logs_in_and_overrides_a_grade(live_server, open_page, screenshots, api_token):
    page = open_page()
    page.goto(live_server + "/")
    page.locator(".group-card h2 a").first.click()
    page.wait_for_url("**/groups/**")
    group_url = page.url
    assert page.locator("#verdict-form").count() == 0  # read-only until logged in
    page.click("text=Log in with the API token")
    page.wait_for_url("**/login**")
    page.fill("input[name=who]", "Ana Analyst")
    page.fill("input[name=token]", "wrong")
    page.click("#login-form button[type=submit]")
    assert page.locator(".alert").is_visible()
    page.fill("input[name=who]", "Ana Analyst")
    page.fill("input[name=token]", api_token)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(group_url)
    assert page.locator(".who .user").inner_text() == "Ana Analyst"
    page.check("#verdict-form input[value=refute]")
    page.fill("#verdict-form textarea[name=why]", "The strike video was geolocated to another village.")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_url("**#done")
    audit = page.locator("#audit table.audit")
    assert "The strike video was geolocated to another village." in audit.inner_text()
    assert "Ana Analyst" in audit.inner_text()
    assert page.locator(".verdict-refute").is_visible()  # beside the grade
    page.screenshot(path=screenshots / "override-laptop.png", full_page=True)
    page.goto(live_server + "/audit")
    assert "geolocated" in page.locator("table.audit").inner_text()
    unexpected = [p for p in page.problems if "status of 401" not in p]  # the wrong token, above
    assert unexpected == [], unexpected


def test_hostile_document_runs_nothing(live_server, open_page, screenshots, client):
    doc = client.get("/api/documents", params={"q": "Hostile"}).json()["items"][0]
    claims = client.get("/api/claims", params={"doc": doc["id"]}).json()["items"]
    urls = [
        "/documents/" + quote(doc["id"], safe=""),
        "/documents",
        "/search?q=" + quote("<script>window.__pwned='q'</script>"),
        "/search?q=ministry",
        "/sources?q=" + quote("Evil"),
        "/?q=" + quote("<img src=x onerror=\"window.__pwned='f'\">"),
    ] + [f"/groups/{c['cluster']}" for c in claims if c["cluster"]][:3]
    source = client.get("/api/sources", params={"q": "Evil"}).json()["items"]
    if source:
        urls.append("/sources/" + quote(source[0]["key"], safe=""))
    page = open_page()
    for url in urls:
        page.goto(live_server + url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("script:not([src])").count() == 0, url
        assert page.locator("[onerror], [onload], [onfocus], iframe, input[autofocus]").count() == 0, url
        assert page.locator("a[href^='javascript:' i]").count() == 0, url
    page.goto(live_server + urls[0])
    assert "<script>" in page.locator(".doc-text").inner_text()  # shown as text, not run
    assert page.dialogs == []
    page.screenshot(path=screenshots / "hostile-document.png", full_page=True)
