"""The quiz and the admin in a real browser under the Content-Security-Policy: nothing blocked,
nothing reported, with htmx swapping the statements in."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from positions.models import Election, Stance

from .journey import SLUG, answer, answer_all, demo_election, finish

pytestmark = pytest.mark.browser

ANSWERS = ["agree", "disagree", "agree", "neutral", "agree", "skip", "disagree", "agree"]

# Every violation, as the page's own `securitypolicyviolation` events see it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.effectiveDirective}: ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP or Permissions-Policy complaint of the console collected."""
    page.add_init_script(RECORD_VIOLATIONS)
    complaints = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text)
            if re.search(r"Content Security Policy|Permissions-Policy", message.text)
            else None
        ),
    )
    return page, complaints


def violations(page) -> list[str]:
    return page.evaluate("window.cspViolations")


def test_the_whole_quiz_runs_without_a_policy_violation(site, watched):
    page, complaints = watched
    demo = demo_election(page, site)
    seen = {}
    page.goto(f"{site}/")
    seen["home"] = violations(page)
    page.goto(f"{site}/{SLUG}/")
    seen["election"] = violations(page)
    page.get_by_role("link", name="Start de stemhulp").click()
    answer_all(page, ANSWERS[:-1])
    seen["statements (htmx)"] = violations(page)
    expect(page.locator("#quiz-progress")).to_contain_text(f"Stelling {len(ANSWERS)} / 8")
    answer(page, ANSWERS[-1])
    finish(page, demo)
    seen["result"] = violations(page)
    page.get_by_role("button", name="Kopieer de link").click()
    expect(page.locator("#copy-status")).not_to_be_empty()
    page.goto(page.locator("#share-url").input_value())
    expect(page.get_by_role("heading", level=1)).to_have_text("Een gedeeld resultaat")
    seen["shared result"] = violations(page)
    page.goto(f"{site}/methode/")
    seen["methode"] = violations(page)
    assert seen == {name: [] for name in seen}
    assert complaints == []


def test_the_admin_pages_run_without_a_policy_violation(site, watched):
    page, complaints = watched
    User.objects.create_superuser("redactie", "redactie@example.org", "een-lang-wachtwoord-1")
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Gebruikersnaam").fill("redactie")
    page.get_by_label("Wachtwoord").fill("een-lang-wachtwoord-1")
    page.get_by_role("button", name="Aanmelden").click()
    election = Election.objects.get(slug=SLUG)
    stance = Stance.objects.filter(statement__election=election).first()
    urls = [
        reverse("admin:positions_election_change", args=[election.pk]),
        reverse("admin:positions_election_matrix", args=[election.pk]),
        reverse("admin:positions_stance_change", args=[stance.pk]),
        reverse("admin:positions_stance_history", args=[stance.pk]),
        reverse("admin:positions_stance_export"),
        reverse("admin:stats_electionstatistics_statistics", args=[election.pk]),
    ]
    seen = {}
    for url in urls:
        page.goto(site + url)
        seen[url] = violations(page)
    assert seen == {url: [] for url in urls}
    assert complaints == []
