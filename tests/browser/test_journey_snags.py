"""Snags a voter met in Chromium: Back after htmx swaps, the tick with "Volgende", the way back
to the overview, jumping to a statement, the shared result, narrow tables, the icon."""

import re

import pytest
from playwright.sync_api import expect

from .journey import SLUG, answer, answer_all, finish
from .test_accessibility import violations

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def any_page(request, chromium):
    context = chromium.new_context(locale="nl-NL", java_script_enabled=request.param)
    yield context.new_page()
    context.close()


def pressed(page, name):
    return page.get_by_role("button", name=name, exact=True)


def test_back_after_answering_with_htmx_shows_the_answer(site, page):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ["agree", "disagree", "neutral"])
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 4 / 8")
    # htmx reloads the page on Back: wait for that load before going back again.
    page.evaluate("history.back()")
    expect(page).to_have_url(re.compile(r"/stelling/3/$"))
    expect(pressed(page, "Neutraal")).to_have_attribute("aria-pressed", "true")
    page.wait_for_load_state()
    page.evaluate("history.back()")
    expect(page).to_have_url(re.compile(r"/stelling/2/$"))
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 2 / 8")
    expect(pressed(page, "Oneens")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name=re.compile("^Volgende"))).to_be_visible()


def test_the_tick_stays_when_moving_on_with_volgende(site, any_page):
    page = any_page
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer(page, "agree")
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 2 / 8")
    page.get_by_role("link", name="Vorige").click()
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 1 / 8")
    page.get_by_label("Dit vind ik extra belangrijk").check()
    page.get_by_role("button", name=re.compile("^Volgende")).click()
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 2 / 8")
    page.goto(f"{site}/{SLUG}/stelling/1/")
    expect(page.get_by_label("Dit vind ik extra belangrijk")).to_be_checked()
    expect(pressed(page, "Eens")).to_have_attribute("aria-pressed", "true")


def test_an_answer_changed_from_the_overview_returns_to_it(site, any_page):
    page = any_page
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ["agree"] * 8)
    page.get_by_role("link", name=re.compile("wijzig")).nth(2).click()
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 3 / 8")
    expect(page.get_by_role("button", name="Terug naar het overzicht")).to_be_visible()
    answer(page, "disagree")
    expect(page).to_have_url(re.compile(r"/overzicht/$"))
    expect(page.locator(".overview li").nth(2)).to_contain_text("Oneens")


def test_jump_to_any_statement(site, any_page):
    page = any_page
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer(page, "agree")
    expect(page.locator(".jump a.answered")).to_have_count(1)
    page.locator(".jump").get_by_role("link", name="6", exact=True).click()
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 6 / 8")
    expect(page.locator(".jump a[aria-current=step]")).to_have_text("6")


def test_party_shortcuts(site, any_page):
    page = any_page
    page.goto(f"{site}/{SLUG}/partijen/")
    boxes = page.locator("input[name=parties]")
    page.get_by_role("button", name="Geen", exact=True).click()
    expect(page.locator("input[name=parties]:checked")).to_have_count(0)
    page.get_by_role("button", name="Alle", exact=True).click()
    expect(page.locator("input[name=parties]:checked")).to_have_count(boxes.count())
    page.get_by_role("button", name="Toon mijn resultaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je resultaat")


def _result_at_390(site, chromium):
    context = chromium.new_context(viewport=PHONE_390, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(
        page, ["disagree", "neutral", "agree", "neutral", "disagree", "skip", "agree", "neutral"]
    )
    finish(page, {"titles": [], "names": {}})
    return context, page


# The number of lines each element's text takes on screen.
LINES = """elements => elements.map(element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return [element.textContent.trim(), tops.size];
})"""


def test_position_cells_are_not_split_inside_a_word_at_390_pixels(site, chromium):
    context, page = _result_at_390(site, chromium)
    for details in page.locator(".rank details").all():
        details.locator("summary").click()
    cells = page.locator(
        ".rank .comparison td:nth-child(2), .rank .comparison td > strong, .grid td.pos"
    )
    assert cells.count() > 50
    split = [(text, lines) for text, lines in cells.evaluate_all(LINES) if lines > 1]
    assert split == []
    context.close()


def test_the_shared_result_addresses_the_viewer_and_shows_the_whole_summary(site, chromium):
    context, page = _result_at_390(site, chromium)
    link = page.locator("#share-url").input_value()
    assert re.search(r"[?&]v=\d+", link)
    box = page.locator("#share-summary")
    assert box.evaluate("b => b.scrollHeight <= b.clientHeight")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Een gedeeld resultaat")
    expect(page.get_by_role("heading", name="Deel dit resultaat")).to_have_count(0)
    expect(page.locator(".grid thead th").nth(1)).to_have_text("Gedeeld")
    context.close()


def test_the_icon_is_served(site, page):
    response = page.request.get(f"{site}/favicon.ico")
    assert response.ok
    assert response.headers["content-type"].startswith("image/svg+xml")
    page.goto(f"{site}/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(site + href).ok


def test_no_wcag_violations_in_the_new_states(site, page):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ["agree", "skip"])
    page.goto(f"{site}/{SLUG}/stelling/2/?terug=overzicht")
    assert violations(page) == ""
    page.goto(f"{site}/{SLUG}/partijen/")
    page.get_by_role("button", name="Geen", exact=True).click()
    assert violations(page) == ""
    page.goto(f"{site}/{SLUG}/resultaat/")
    expect(page.locator(".few-answers")).to_be_visible()
    assert violations(page) == ""
    page.goto(f"{site}/{SLUG}/gedeeld/?a=a-------")
    expect(page.locator(".few-answers")).to_be_visible()
    assert violations(page) == ""
