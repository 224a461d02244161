"""An editor fills a stance's quote from the evidence panel, with htmx and without JavaScript."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from positions.importing import import_manifesto
from tests.factories import ElectionFactory, PartyFactory, StanceFactory, StatementFactory
from tests.positions.test_search import PROGRAMME

pytestmark = pytest.mark.browser


@pytest.fixture
def statement_page(live_server, chromium, transactional_db):
    User.objects.create_superuser("eva", password="geheim-wachtwoord")
    party = PartyFactory(name="Alfa", slug="alfa")
    import_manifesto(party, PROGRAMME, title="Programma Alfa")
    statement = StatementFactory(
        election=ElectionFactory(status="draft", parties=[party]),
        title="Palestina erkennen",
        text="Ons land moet de staat Palestina erkennen.",
    )
    StanceFactory(statement=statement, party=party)
    return f"{live_server.url}/admin/positions/statement/{statement.pk}/change/"


def log_in(page, url):
    page.goto(url)
    page.get_by_label("Gebruikersnaam").fill("eva")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()


def test_the_passage_fills_in_quote_document_and_lines(statement_page, page):
    log_in(page, statement_page)
    page.get_by_role("link", name="Toon de best passende passages").click()
    page.get_by_role("button", name="Gebruik deze passage").first.click()
    quote = page.locator('textarea[name="stances-0-quote"]')
    expect(quote).to_have_value(
        "• België erkent de Palestijnse staat, samen met andere Europese landen."
    )
    expect(page.locator('input[name="stances-0-location"]')).to_have_value("regel 9")
    expect(page.locator('select[name="stances-0-document"] option:checked')).to_have_text(
        "Programma Alfa"
    )
    assert page.url == statement_page


def test_without_javascript_the_link_opens_the_passages_and_leads_back(statement_page, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    log_in(page, statement_page)
    page.get_by_role("link", name="Toon de best passende passages").click()
    expect(page.locator("pre.evidence-quote").first).to_contain_text("België erkent")
    page.get_by_role("link", name="Terug naar de stelling").click()
    assert page.url == statement_page
    context.close()


def test_htmx_adds_no_inline_style_to_the_admin(statement_page, page):
    log_in(page, statement_page)
    expect(page.get_by_role("link", name="Toon de best passende passages")).to_be_visible()
    assert page.evaluate("typeof htmx") == "object"
    inline_styles = "[...document.querySelectorAll('style')].map((s) => s.textContent).join()"
    assert "htmx-indicator" not in page.evaluate(inline_styles)


def test_an_editor_searches_with_own_words_and_saves_the_found_quote(statement_page, page):
    log_in(page, statement_page)
    page.get_by_role("link", name="Toon de best passende passages").click()
    page.get_by_label("Zoek met eigen woorden").fill("huurprijsrem")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(".evidence-where").first).to_contain_text("regel 15")
    page.get_by_role("button", name="Gebruik deze passage").first.click()
    expect(page.locator('input[name="stances-0-location"]')).to_have_value("regel 15")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Gewijzigd: stelling")


def test_without_javascript_an_editor_searches_with_own_words(statement_page, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    log_in(page, statement_page)
    page.get_by_role("link", name="Toon de best passende passages").click()
    page.get_by_label("Zoek met eigen woorden").fill("huurprijsrem")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(".evidence-where").first).to_contain_text("regel 15")
    expect(page.locator("pre.evidence-quote").first).to_contain_text("huurprijsrem")
    context.close()
