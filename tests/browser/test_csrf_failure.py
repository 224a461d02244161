"""A voter whose CSRF cookie is gone (cleared, expired) is told to reload; a reload is enough."""

import re

import pytest
from playwright.sync_api import expect

from .journey import SLUG, answer
from .test_accessibility import violations

pytestmark = pytest.mark.browser


def lose_the_csrf_cookie(context) -> None:
    context.clear_cookies(name="csrftoken")


def test_without_javascript_the_page_says_to_reload_and_a_reload_works(site, chromium):
    context = chromium.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/{SLUG}/stelling/1/")
    lose_the_csrf_cookie(context)
    answer(page, "agree")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je sessie is verlopen")
    page.go_back()
    page.reload()
    answer(page, "agree")
    expect(page).to_have_url(re.compile(r"/stelling/2/$"))
    context.close()


def test_the_page_has_no_accessibility_violations(site, page, context):
    """axe needs JavaScript: the form is sent the way a browser without it sends it."""
    page.goto(f"{site}/{SLUG}/stelling/1/")
    lose_the_csrf_cookie(context)
    with page.expect_navigation():
        page.locator("form[hx-post]").evaluate("form => form.submit()")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je sessie is verlopen")
    assert violations(page) == ""


def test_with_javascript_the_page_reloads_and_the_next_answer_goes_through(site, page, context):
    page.goto(f"{site}/{SLUG}/stelling/1/")
    lose_the_csrf_cookie(context)
    with page.expect_event("load"):
        answer(page, "agree")
    expect(page).to_have_url(re.compile(r"/stelling/1/$"))
    answer(page, "agree")
    expect(page).to_have_url(re.compile(r"/stelling/2/$"))
