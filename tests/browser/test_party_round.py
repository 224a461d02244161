"""A party contact answers in a browser: with htmx, and without JavaScript."""

import pytest
from playwright.sync_api import expect

from parties.models import Answer, AnswerStatus
from tests.factories import AcceptedContactFactory
from tests.parties.conftest import make_round

from .test_accessibility import violations

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord-42"
TRAIN = "Het openbaar vervoer wordt gratis voor jongeren.\nDe trein rijdt elk kwartier."


@pytest.fixture
def party_site(live_server, chromium, transactional_db):
    contact = AcceptedContactFactory(round=make_round(), email="anna@alfa.example")
    contact.user.set_password(PASSWORD)
    contact.user.save()
    return live_server.url


def log_in(page, site):
    page.goto(f"{site}/partij/")
    page.get_by_label("Gebruikersnaam").fill("anna@alfa.example")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alfa: Testronde")


def test_the_evidence_search_fills_the_quote_and_keeps_what_was_typed(party_site, page):
    log_in(page, party_site)
    page.get_by_role("link", name="2. Openbaar vervoer").click()
    page.get_by_label("eens", exact=True).check()
    page.locator("textarea[name=explanation]").fill("Gratis voor jongeren.")
    page.get_by_label("Zoekwoorden").fill("trein")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("button", name="Gebruik dit citaat").first.click()
    expect(page.locator("textarea[name=quote]")).to_have_value(TRAIN)
    expect(page.locator("textarea[name=explanation]")).to_have_value("Gratis voor jongeren.")
    expect(page.get_by_label("eens", exact=True)).to_be_checked()
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Antwoord op “Openbaar vervoer” bewaard.")
    assert Answer.objects.get().location == "regels 10-11"


def test_answering_and_submitting_without_javascript(party_site, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    log_in(page, party_site)
    page.get_by_role("link", name="1. Huurwoningen").click()
    page.get_by_label("Zoekwoorden").fill("trein")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("button", name="Gebruik dit citaat").first.click()
    expect(page.locator("textarea[name=quote]")).to_have_value(TRAIN)
    for _ in range(3):
        page.get_by_label("geen standpunt").check()
        page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("3 van 3 stellingen beantwoord")).to_be_visible()
    page.get_by_role("link", name="Alles indienen").click()
    page.get_by_role("button", name="Ja, alles indienen").click()
    expect(page.get_by_role("status")).to_contain_text("3 antwoorden ingediend")
    assert set(Answer.objects.values_list("status", flat=True)) == {AnswerStatus.SUBMITTED}
    context.close()


def test_without_javascript_using_a_quote_keeps_what_was_typed(party_site, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    log_in(page, party_site)
    page.get_by_role("link", name="2. Openbaar vervoer").click()
    # Searching loads the page again: without JavaScript, type after it.
    page.get_by_label("Zoekwoorden").fill("trein")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_label("eens", exact=True).check()
    page.locator("textarea[name=explanation]").fill("Gratis voor jongeren.")
    page.get_by_role("button", name="Gebruik dit citaat").first.click()
    expect(page.locator("textarea[name=quote]")).to_have_value(TRAIN)
    expect(page.locator("textarea[name=explanation]")).to_have_value("Gratis voor jongeren.")
    expect(page.get_by_label("eens", exact=True)).to_be_checked()
    assert "csrf" not in page.url
    assert not Answer.objects.exists()
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Antwoord op “Openbaar vervoer” bewaard.")
    assert Answer.objects.get().location == "regels 10-11"
    context.close()


@pytest.mark.parametrize(
    "path", ["/partij/inloggen/", "/partij/", "stelling", "/partij/programma/"]
)
def test_no_wcag_violations_on_the_partys_pages(party_site, page, path):
    if path != "/partij/inloggen/":
        log_in(page, party_site)
    if path == "stelling":
        page.get_by_role("link", name="1. Huurwoningen").click()
        page.get_by_label("Zoekwoorden").fill("trein")
        page.get_by_role("button", name="Zoeken").click()
        expect(page.get_by_role("button", name="Gebruik dit citaat").first).to_be_visible()
    else:
        page.goto(party_site + path)
    assert violations(page) == ""
