"""Accessibility in the browser: axe-core finds no WCAG 2.2 AA violation; targets, reflow, motion.

axe-core comes bundled in the axe-playwright-python package (axe-core is MPL-2.0, the wrapper MIT)
and is injected into the page from there: no request leaves the machine.
"""

import gzip
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .journey import PHONE, SLUG, answer_all, finish

pytestmark = pytest.mark.browser

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BUDGET = 50 * 1024


def violations(page) -> str:
    """axe-core's report of WCAG 2.2 A and AA violations, with every <details> opened first."""
    for details in page.locator("details").all():
        details.evaluate("d => d.open = true")
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return results.generate_report() if results.violations_count else ""


@pytest.mark.parametrize("path", ["/", f"/{SLUG}/stelling/1/", "/methode/"])
def test_no_wcag_violations(site, page, path):
    page.goto(site + path)
    assert violations(page) == ""


def test_no_wcag_violations_on_the_result(site, page):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ["agree", "disagree", "neutral", "agree", "skip", "agree", "agree", "agree"])
    finish(page, {"titles": [], "names": {}})
    assert violations(page) == ""


def test_no_wcag_violations_on_a_result_with_a_tie_and_unranked_parties(site, page):
    page.goto(f"{site}/{SLUG}/gedeeld/?a=aaaaadsa")
    expect(page.locator("p.notice", has_text="samen op de eerste plaats")).to_be_visible()
    expect(page.locator("#unranked-heading")).to_be_visible()
    assert violations(page) == ""


def test_no_wcag_violations_in_english_with_dutch_fallbacks(site, page):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    page.get_by_role("button", name="English").click()
    page.goto(f"{site}/{SLUG}/stelling/3/")
    assert violations(page) == ""


@pytest.mark.parametrize("path", [f"/{SLUG}/stelling/1/", f"/{SLUG}/gedeeld/?a=adanasda"])
def test_controls_are_at_least_44_pixels_high(site, chromium, path):
    context = chromium.new_context(viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    page.goto(site + path)
    controls = page.locator(
        "button:visible, summary:visible, .button:visible, .site-header a:visible,"
        " .step-nav a:visible, label:visible:has(input[type=checkbox])"
    )
    assert controls.count() >= 4
    small = [
        (c.inner_text().strip(), box["height"])
        for c in controls.all()
        if (box := c.bounding_box()) and box["height"] < 44
    ]
    assert small == []
    context.close()


def test_a_phone_320_pixels_wide_needs_no_sideways_scrolling(site, chromium):
    context = chromium.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    page = context.new_page()
    for path in ("/", f"/{SLUG}/stelling/1/", f"/{SLUG}/gedeeld/?a=adanasda", "/methode/"):
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


@pytest.mark.parametrize(("motion", "duration"), [("no-preference", "0.15s"), ("reduce", "0s")])
def test_reduced_motion_turns_off_transitions(site, chromium, motion, duration):
    context = chromium.new_context(reduced_motion=motion, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{site}/{SLUG}/stelling/1/")
    agree = page.get_by_role("button", name="Eens", exact=True)
    assert agree.evaluate("b => getComputedStyle(b).transitionDuration").startswith(duration)
    context.close()


def test_statement_page_is_light_and_first_party_only(site, page):
    """HTML + CSS + JS of a statement, gzip-compressed, stay under 50 KB; no other host is asked."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{site}/{SLUG}/stelling/1/")
    expect(page.locator("#statement-text")).to_be_visible()
    hosts = {urlsplit(r.url).netloc for r in responses}
    assert hosts == {urlsplit(site).netloc}
    sizes = {r.url: len(gzip.compress(r.body(), 9)) for r in responses}
    assert sum(sizes.values()) < BUDGET, sizes
