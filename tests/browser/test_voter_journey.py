"""A voter's way through the demo election in a real browser, with and without JavaScript."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .journey import (
    DESKTOP,
    PHONE,
    SLUG,
    answer,
    answer_all,
    api_ranking,
    assert_same_ranking,
    demo_election,
    finish,
    screenshot,
    shown_ranking,
)

pytestmark = pytest.mark.browser

ANSWERS = ["agree", "disagree", "agree", "neutral", "agree", "skip", "disagree", "agree"]


def test_complete_the_quiz_with_htmx(site, page):
    demo = demo_election(page, site)
    page.goto(f"{site}/{SLUG}/")
    page.get_by_role("link", name="Start de stemhulp").click()
    page.evaluate("window.sameDocument = true")
    answer_all(page, ANSWERS[:-1], important=[2])
    # Seven answers later this is still the first document: htmx swapped each statement in.
    assert page.evaluate("window.sameDocument") is True
    expect(page).to_have_title(re.compile(r"^8/8 "))
    answer(page, ANSWERS[-1])
    finish(page, demo, important=[5], leave_out=["buurtbelang"])
    expected = api_ranking(
        page, site, demo, ANSWERS, important=[2, 5], parties=["fietspartij", "lov", "pzw"]
    )
    assert_same_ranking(shown_ranking(page), expected)


def test_complete_the_quiz_without_javascript(site, chromium):
    context = chromium.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    demo = demo_election(page, site)
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ANSWERS, important=[3])
    finish(page, demo, important=[1])
    expected = api_ranking(page, site, demo, ANSWERS, important=[1, 3])
    assert_same_ranking(shown_ranking(page), expected)
    context.close()


def test_change_an_answer(site, page):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ["agree", "agree"])
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 3 / 8")
    page.get_by_role("link", name="Vorige").click()
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 2 / 8")
    expect(page).to_have_url(re.compile(r"/stelling/2/$"))
    expect(page.get_by_role("button", name="Eens", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    answer(page, "disagree")
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 3 / 8")
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_role("button", name="Oneens", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("button", name="Eens", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )


def test_leave_and_come_back_where_you_were(site, page):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ("agree", "neutral", "skip"))
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 4 / 8")
    page.goto(f"{site}/")
    page.get_by_role("link", name=re.compile("Voorbeeldstad")).click()
    page.get_by_role("link", name="Verder waar je was").click()
    expect(page).to_have_url(re.compile(r"/stelling/4/$"))
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_role("button", name="Sla deze stelling over")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_the_share_link_shows_the_same_result_in_a_fresh_browser(site, page, chromium):
    demo = demo_election(page, site)
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ANSWERS, important=[4])
    finish(page, demo, leave_out=["lov"])
    own = shown_ranking(page)
    assert len(own) == 3  # every party but the one left out
    link = page.get_by_label("Link naar dit resultaat").input_value()
    assert re.search(r"/gedeeld/\?a=adanasda&i=4&p=buurtbelang.fietspartij.pzw&v=\d+$", link)

    stranger = chromium.new_context(viewport=DESKTOP, locale="nl-NL")
    shared = stranger.new_page()
    shared.goto(link)
    expect(shared.get_by_role("heading", level=1)).to_have_text("Een gedeeld resultaat")
    assert shown_ranking(shared) == own
    assert [c for c in stranger.cookies() if c["name"] == settings.SESSION_COOKIE_NAME] == []
    stranger.close()


def test_the_summary_can_be_copied(site, context, page):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ["agree"] * 8)
    finish(page, {"titles": [], "names": {}})
    page.get_by_role("button", name="Kopieer de tekst").click()
    expect(page.locator("#copy-status")).to_have_text("Gekopieerd.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Mijn resultaat in de Stemhulp Gemeenteraad Voorbeeldstad")
    assert re.search(rf"{SLUG}/gedeeld/\?a=aaaaaaaa&v=\d+$", copied)


def test_ask_what_the_parties_say(site, page):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    argument = page.get_by_text("Winkels in het centrum moeten met de auto bereikbaar blijven.")
    expect(argument).to_be_hidden()
    page.get_by_text("Wat zeggen de partijen?").click()
    expect(argument).to_be_visible()
    expect(page.locator("details.arguments li")).to_have_count(4)


def test_switch_language(site, page):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/stelling/1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Only cyclists and pedestrians may still enter the town centre."
    )
    expect(page.get_by_role("button", name="Agree", exact=True)).to_be_visible()
    page.get_by_role("button", name="Agree", exact=True).click()
    expect(page.locator("#quiz-progress")).to_contain_text("2 / 8")
    page.get_by_role("button", name="Agree", exact=True).click()
    expect(page.locator("#quiz-progress")).to_contain_text("3 / 8")
    # Statement 3 has no English text yet: Dutch, marked as such.
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Alle gemeentelijke gebouwen krijgen vóór 2030 zonnepanelen.")
    expect(heading).to_have_attribute("lang", "nl")
    expect(heading.locator(".fallback")).to_have_text("(Nederlands)")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/stelling/3/$"))


def test_keyboard_only(site, page):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    agree = page.get_by_role("button", name="Eens", exact=True)
    for _ in range(30):
        page.keyboard.press("Tab")
        if agree.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the Eens button")
    # Our own focus ring: 3 px, solid, dark, with an amber halo (Chrome's default is "auto").
    style = agree.evaluate(
        "b => [getComputedStyle(b).outlineStyle, getComputedStyle(b).outlineWidth]"
    )
    assert style == ["solid", "3px"]
    page.keyboard.press("Enter")
    expect(page.locator("#quiz-progress")).to_have_text(re.compile(r"Stelling 2 / 8"))
    # Focus follows the new statement, so the next Tab continues from there.
    expect(page.locator("#statement-text")).to_be_focused()
    assert page.locator("#quiz-progress").get_attribute("role") == "status"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_screenshots_of_a_statement_and_a_result(site, chromium, viewport):
    context = chromium.new_context(viewport=viewport, locale="nl-NL")
    page = context.new_page()
    name = "phone" if viewport is PHONE else "desktop"
    page.goto(f"{site}/{SLUG}/stelling/2/")
    screenshot(page, f"statement-{name}")
    page.goto(f"{site}/{SLUG}/gedeeld/?a=adansdsa&i=2.5")
    for details in page.locator("details").all():
        details.evaluate("d => d.open = true")
    screenshot(page, f"result-{name}")
    # Nothing wider than the screen but the table, which scrolls in its own region.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    context.close()
