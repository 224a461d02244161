"""A voter mid-quiz whose election is withdrawn reads a plain page saying so, with and without
JavaScript, also after going Back; never a 404."""

import pytest
from playwright.sync_api import expect

from positions import publishing
from positions.models import Election
from tests.factories import UserFactory

from .journey import SLUG, answer
from .test_accessibility import violations

pytestmark = pytest.mark.browser

HEADING = "Deze stemhulp is ingetrokken"


def withdraw() -> None:
    editor = UserFactory(is_superuser=True)
    publishing.unpublish(Election.objects.get(slug=SLUG), editor, "Fout in een stelling")


def start_and_withdraw(page, site) -> None:
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer(page, "agree")
    expect(page.locator("#quiz-progress")).to_contain_text("Stelling 2 / 8")
    withdraw()
    answer(page, "disagree")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING)


def test_with_javascript_the_next_answer_shows_the_withdrawal(site, page):
    start_and_withdraw(page, site)
    assert violations(page) == ""
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING)


def test_without_javascript_the_next_answer_shows_the_withdrawal(site, chromium):
    context = chromium.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    start_and_withdraw(page, site)
    page.go_back()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING)
    context.close()
