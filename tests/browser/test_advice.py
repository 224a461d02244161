"""The advice in Chromium, with and without JavaScript: reserve statements offered when the first
two parties are close (accepted and declined), the stability text, a French result page; axe finds
no WCAG violation in any of these states."""

import io
import json
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from positions.models import Election, Stance, Statement

from .journey import SLUG, answer, answer_all, finish
from .test_accessibility import violations

pytestmark = pytest.mark.browser

# Two parties share the first place with these answers (see test_accessibility).
CLOSE = ["agree", "agree", "agree", "agree", "agree", "disagree", "skip", "agree"]
SHARE_CODES = {"agree": "a", "neutral": "n", "disagree": "d", "skip": "s"}


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def any_page(request, chromium):
    context = chromium.new_context(locale="nl-NL", java_script_enabled=request.param)
    page = context.new_page()
    JAVASCRIPT[page] = request.param
    yield page
    del JAVASCRIPT[page]
    context.close()


JAVASCRIPT = {}


def no_violations(page) -> bool:
    """axe runs as JavaScript in the page: it checks the state with JavaScript on, and the same
    HTML is served without."""
    return not JAVASCRIPT.get(page, True) or violations(page) == ""


def first_two(page, site, answers) -> list[str]:
    ids = [s["id"] for s in page.request.get(f"{site}/api/elections/{SLUG}/").json()["statements"]]
    payload = {
        "answers": {
            str(i): {"agree": 1, "disagree": -1, "neutral": 0}.get(a)
            for i, a in zip(ids, answers, strict=True)
        }
    }
    results = page.request.post(
        f"{site}/api/elections/{SLUG}/match",
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
    ).json()["results"]
    return [r["party"] for r in results[:2]]


@pytest.fixture
def reserve(site, page):
    """A reserve statement on which the two parties tied first with CLOSE take opposite stances
    (test data of the fictional demo, never shown outside this test)."""
    first, second = first_two(page, site, CLOSE)
    election = Election.objects.get(slug=SLUG)
    last = election.statements.order_by("order").last()
    statement = Statement.objects.create(
        election=election,
        theme=last.theme,
        order=last.order + 1,
        title="Extra parkeerplaatsen",
        text="De gemeente legt extra parkeerplaatsen aan in het centrum.",
        reserve=True,
    )
    for slug, position in ((first, "agree"), (second, "disagree")):
        party = election.parties.get(slug=slug)
        Stance.objects.create(statement=statement, party=party, position=position)
    call_command("freeze_published", stdout=io.StringIO())
    return first, second


def to_the_offer(page, site):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, CLOSE)
    page.get_by_role("button", name="Verder: kies partijen").click()
    page.get_by_role("button", name="Toon mijn resultaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Extra stellingen")


def test_accepting_the_reserve_statements_asks_them_before_the_result(site, reserve, any_page):
    page = any_page
    to_the_offer(page, site)
    expect(page.locator("#offer-text")).to_contain_text(
        "De twee partijen bovenaan liggen dicht bij elkaar"
    )
    assert no_violations(page)
    page.get_by_role("button", name="Ja, beantwoord de extra stellingen").click()
    expect(page.locator("#quiz-progress")).to_contain_text("Extra stelling · Stelling 9 / 9")
    expect(page.locator("#statement-text")).to_have_text(
        "De gemeente legt extra parkeerplaatsen aan in het centrum."
    )
    assert no_violations(page)
    answer(page, "agree")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je resultaat")
    first = Election.objects.get(slug=SLUG).parties.get(slug=reserve[0]).name
    expect(page.locator("ol.ranking .party-name").first).to_have_text(first)
    expect(page.locator("ol.ranking .place").nth(1)).not_to_have_text("1.")
    expect(page.locator("p.stability")).to_contain_text("blijft bovenaan")
    assert no_violations(page)


def test_declining_goes_straight_to_the_result(site, reserve, any_page):
    page = any_page
    to_the_offer(page, site)
    page.get_by_role("button", name="Nee, toon mijn resultaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je resultaat")
    expect(page.locator("p.notice", has_text="samen op de eerste plaats")).to_be_visible()
    expect(page.locator("p.stability")).to_have_count(0)
    page.goto(f"{site}/{SLUG}/partijen/")
    page.get_by_role("button", name="Toon mijn resultaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je resultaat")


def test_the_stability_text_on_the_own_and_the_shared_result(site, any_page):
    page = any_page
    answers = ["agree"] * 8
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, answers)
    finish(page, {"titles": [], "names": {}})
    stability = page.locator("p.stability")
    expect(stability).to_have_text(
        re.compile(
            r"blijft bovenaan als we één van je antwoorden "
            r"weglaten: in \d van de 8 gevallen\."
        )
    )
    assert no_violations(page)
    page.goto(page.locator("#share-url").input_value())
    expect(page.locator("p.stability")).to_contain_text("één van de gedeelde antwoorden")
    assert no_violations(page)


def test_a_french_result_page(site, chromium):
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{site}/{SLUG}/stelling/1/")
    for n in range(1, 9):
        expect(page.locator("#quiz-progress")).to_contain_text(f"Affirmation {n} / 8")
        page.get_by_role("button", name="D’accord", exact=True).click()
    expect(page).to_have_url(re.compile(r"/overzicht/$"))
    page.get_by_role("button", name="Suite\u202f: choisir les partis").click()
    page.get_by_role("button", name="Voir mon résultat").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("p.stability")).to_contain_text("reste en tête quand on retire une de tes")
    expect(page.get_by_role("link", name="Ce que cela veut dire")).to_be_visible()
    assert no_violations(page)
    context.close()


def test_back_after_answering_without_javascript_shows_the_answer(site, chromium):
    context = chromium.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ["agree", "disagree"])
    page.go_back()
    expect(page).to_have_url(re.compile(r"/stelling/2/$"))
    expect(page.get_by_role("button", name="Oneens", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("button", name=re.compile("^Volgende"))).to_be_visible()
    context.close()


@pytest.fixture
def five_points(site):
    """The demo election on the 5-point scale (it has no strong stances: none are needed)."""
    Election.objects.filter(slug=SLUG).update(scale=5)
    call_command("freeze_published", stdout=io.StringIO())


def test_a_five_point_statement_on_a_phone_and_on_a_desktop(site, five_points, chromium):
    for viewport in ({"width": 320, "height": 640}, {"width": 1280, "height": 900}):
        context = chromium.new_context(viewport=viewport, locale="nl-NL")
        page = context.new_page()
        page.goto(f"{site}/{SLUG}/stelling/1/")
        buttons = page.locator(".answers button")
        expect(buttons).to_have_text(
            ["Helemaal eens", "Eens", "Neutraal", "Oneens", "Helemaal oneens"]
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert all(box["height"] >= 44 for box in (b.bounding_box() for b in buttons.all()))
        page.get_by_role("button", name="Helemaal oneens", exact=True).click()
        expect(page.locator("#quiz-progress")).to_contain_text("Stelling 2 / 8")
        page.get_by_role("link", name="Vorige").click()
        expect(page.get_by_role("button", name="Helemaal oneens", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        assert violations(page) == ""
        context.close()
