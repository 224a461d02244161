"""A voter takes the demo ballot day in a real browser, with and without JavaScript: the shared
statements once, one extra round, a ranking per level equal to the API's."""

import io
import json
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .journey import DESKTOP, PHONE, VALUES, answer, screenshot
from .test_accessibility import violations

pytestmark = pytest.mark.browser

DAY = "verkiezingen-9-juni-2024-demo"
SHARED = ["agree", "disagree", "agree", "skip", "neutral", "agree"]
EUROPE_ROUND = ["disagree", "agree"]


@pytest.fixture
def day_site(live_server, chromium):
    call_command("load_ballot_demo", stdout=io.StringIO())
    return live_server.url


def answer_round(page, answers, label: str) -> None:
    total = len(answers)
    for n, value in enumerate(answers, 1):
        expect(page.locator("#quiz-progress")).to_contain_text(f"{label}{n} / {total}")
        answer(page, value)
    expect(page).to_have_url(re.compile(r"/rondes/$"))


def api_levels(page, site) -> dict[str, list[tuple[str, float | None]]]:
    """Per election name, (party name, score) as the ballot-day match ranks the same answers."""
    detail = page.request.get(f"{site}/api/ballot-days/{DAY}/").json()
    statements = detail["statements"]
    given = SHARED + EUROPE_ROUND
    answers = {str(s["id"]): VALUES[a] for s, a in zip(statements, given, strict=False)}
    response = page.request.post(
        f"{site}/api/ballot-days/{DAY}/match",
        data=json.dumps({"answers": answers}),
        headers={"Content-Type": "application/json"},
    )
    assert response.ok, response.text()
    names = {e["slug"]: e["name"] for e in detail["elections"]}
    parties = {}
    for slug in names:
        data = page.request.get(f"{site}/api/elections/{slug}/").json()
        parties |= {p["slug"]: p["name"] for p in data["parties"]}
    return {
        names[level["election"]]: [(parties[r["party"]], r["score"]) for r in level["results"]]
        for level in response.json()["levels"]
    }


def shown_levels(page) -> dict[str, list[tuple[str, str]]]:
    shown = {}
    for section in page.locator("section.level").all():
        heading = section.locator("h2").inner_text()
        names = section.locator(".rank .party-name").all_inner_texts()
        scores = section.locator(".rank .score").all_inner_texts()
        shown[heading] = list(zip(names, scores, strict=True))
    return shown


def assert_same_levels(shown, expected) -> None:
    assert list(shown) == list(expected)
    for heading, ranking in expected.items():
        assert [name for name, _ in shown[heading]] == [name for name, _ in ranking]
        for (_, percent), (name, score) in zip(shown[heading], ranking, strict=True):
            if score is None:
                assert percent == "–", name
            else:
                assert abs(int(percent.rstrip("%")) - score) <= 0.5, (name, percent, score)


def take_the_day(page) -> None:
    answer_round(page, SHARED, "Stelling ")
    page.get_by_role("link", name=re.compile("^Europees Parlement")).click()
    answer_round(page, EUROPE_ROUND, "Extra ronde Europees Parlement 2024 (demo): stelling ")
    page.get_by_role("button", name="Naar je resultaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je resultaat per verkiezing")


def test_take_the_ballot_day_with_htmx(day_site, page):
    page.goto(day_site)
    page.get_by_role("link", name=re.compile("Verkiezingen 9 juni 2024")).click()
    page.get_by_role("link", name="Start de stemhulp").click()
    page.evaluate("window.sameDocument = true")
    answer(page, SHARED[0])
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 2 / 6")
    assert page.evaluate("window.sameDocument") is True
    page.go_back()
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 1 / 6")
    take_the_day(page)
    assert_same_levels(shown_levels(page), api_levels(page, day_site))
    screenshot(page, "ballot-day-result")


def test_take_the_ballot_day_without_javascript(day_site, chromium):
    context = chromium.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{day_site}/dag/{DAY}/stelling/1/")
    answer(page, SHARED[0])
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 2 / 6")
    page.go_back()
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 1 / 6")
    take_the_day(page)
    assert_same_levels(shown_levels(page), api_levels(page, day_site))
    context.close()


def test_the_share_link_shows_the_same_rankings(day_site, page):
    page.goto(f"{day_site}/dag/{DAY}/stelling/1/")
    take_the_day(page)
    mine = shown_levels(page)
    link = page.locator("#share-url").input_value()
    other = page.context.browser.new_context(viewport=DESKTOP, locale="nl-NL")
    shared = other.new_page()
    shared.goto(link)
    expect(shared.get_by_role("heading", level=1)).to_have_text("Een gedeeld resultaat")
    assert shown_levels(shared) == mine
    other.close()


@pytest.mark.parametrize("path", [f"/dag/{DAY}/", f"/dag/{DAY}/stelling/7/"])
def test_no_wcag_violations_on_the_day(day_site, page, path):
    page.goto(day_site + path)
    assert violations(page) == ""
    screenshot(page, "ballot-day-" + path.strip("/").replace("/", "-"))


def test_no_wcag_violations_on_the_rounds_and_the_result(day_site, page):
    page.goto(f"{day_site}/dag/{DAY}/stelling/1/")
    answer_round(page, SHARED, "Stelling ")
    assert violations(page) == ""
    page.get_by_role("button", name="Naar je resultaat").click()
    assert violations(page) == ""


@pytest.mark.parametrize("javascript", [True, False])
def test_choose_the_parties_of_the_day_by_name(day_site, chromium, javascript):
    context = chromium.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{day_site}/dag/{DAY}/stelling/1/")
    answer_round(page, SHARED, "Stelling ")
    page.get_by_role("button", name="Kies de partijen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Met welke partijen wil je je vergelijken?"
    )
    if javascript:  # axe runs as a script
        assert violations(page) == ""
    expect(page.get_by_role("checkbox", name="Vooruit")).to_be_checked()
    page.get_by_role("checkbox", name="Vooruit").uncheck()
    page.get_by_role("button", name="Toon mijn resultaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je resultaat per verkiezing")
    assert {
        heading: [name for name, _ in ranked] for heading, ranked in shown_levels(page).items()
    } == {
        "Europees Parlement 2024 (demo)": ["Groen"],
        "Kamer 2024 (demo)": ["Groen"],
    }
    page.go_back()
    expect(page.get_by_role("checkbox", name="Groen")).to_be_checked()
    context.close()


def test_a_shared_statement_says_what_each_level_s_parties_think(day_site, page):
    page.goto(f"{day_site}/dag/{DAY}/stelling/1/")
    page.get_by_text("Wat zeggen de partijen?").click()
    headings = page.locator("details.arguments h2").all_inner_texts()
    assert headings == ["Europees Parlement 2024 (demo)", "Kamer 2024 (demo)"]
    assert violations(page) == ""
