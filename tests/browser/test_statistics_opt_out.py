"""A voter leaves the statistics before the result, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from stats.models import Completion

from .journey import SLUG, answer_all
from .test_accessibility import violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_voter_opts_out_and_still_gets_the_result(site, chromium, javascript):
    context = chromium.new_context(locale="nl-NL", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{site}/{SLUG}/stelling/1/")
    answer_all(page, ["agree"] * 8)
    page.get_by_role("button", name="Verder: kies partijen").click()
    box = page.get_by_label("Tel mijn antwoorden niet mee in de statistiek")
    expect(box).not_to_be_checked()
    expect(page.get_by_text("we bewaren niets van jouw antwoorden")).to_be_visible()
    if javascript:
        assert violations(page) == ""
    box.check()
    page.get_by_role("button", name="Toon mijn resultaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je resultaat")
    page.go_back()
    expect(page.get_by_label("Tel mijn antwoorden niet mee in de statistiek")).to_be_checked()
    assert not Completion.objects.exists()
    context.close()
