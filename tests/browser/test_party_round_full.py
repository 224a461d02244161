"""The whole party round on the demo election, as its people meet it: an editor invites a party
contact in the admin, the contact sets a password from the mailed link and answers (or checks)
every statement, submits; the editor accepts some answers and contests one; the party revises
and submits again; after approval and publication a voter sees the party's mark on the result.
"""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from positions import publishing
from positions.models import Election, Position, ReviewStatus, Stance
from positions.roles import sync_roles
from tests.factories import UserFactory

from .conftest import ROOT
from .journey import answer_all, demo_election, finish
from .test_admin_evidence import log_in as admin_log_in

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord-42"
ONE_STATEMENT = 8


@pytest.fixture
def demo(live_server, chromium, transactional_db):
    """The demo election back in draft, every stance the editors coded approved, and "geen
    standpunt" where they coded none, so only the party round stands between it and publication."""
    call_command("loaddata", ROOT / "fixtures" / "demo.json", verbosity=0)
    call_command("index_manifestos", stdout=io.StringIO())
    election = Election.objects.get(slug="voorbeeldstad")
    election.status = Election.Status.DRAFT
    election.save()
    Stance.objects.update(review_status=ReviewStatus.APPROVED)
    Stance.objects.filter(explanation="").update(explanation="Zie het citaat.")
    coded = set(Stance.objects.values_list("statement_id", "party_id"))
    Stance.objects.bulk_create(
        Stance(
            statement=statement,
            party=party,
            position=Position.NONE,
            review_status=ReviewStatus.APPROVED,
        )
        for statement in election.statements.all()
        for party in election.parties.all()
        if (statement.pk, party.pk) not in coded
    )
    User.objects.create_superuser("eva", password="geheim-wachtwoord")
    return live_server.url


def invite(page, site, party: str, mode: str, email: str) -> str:
    """The editor adds a round with one contact; returns the path of the mailed link."""
    admin_log_in(page, f"{site}/admin/parties/round/add/")
    page.locator("select[name=election]").select_option(
        label="Gemeenteraad Voorbeeldstad (fictief voorbeeld)"
    )
    page.locator("select[name=party]").select_option(label=party)
    page.locator("select[name=mode]").select_option(label=mode)
    page.locator("input[name=deadline_0]").fill("2099-12-31")
    page.locator("input[name=deadline_1]").fill("18:00:00")
    page.locator("input[name=contacts-0-name]").fill("Anna")
    page.locator("input[name=contacts-0-email]").fill(email)
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"Uitnodiging verstuurd aan {email}")
    (message,) = [m for m in mail.outbox if email in m.to]
    return re.search(r"/partij/uitnodiging/[^/\s]+/", message.body).group(0)


def accept_invitation(context, site, link: str):
    page = context.new_page()
    page.goto(site + link)
    page.get_by_label("Nieuw wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Wachtwoord instellen en beginnen").click()
    expect(page.get_by_text(f"0 van {ONE_STATEMENT} stellingen beantwoord")).to_be_visible()
    return page


def open_statement(page, title: str) -> None:
    page.goto(page.url.split("/partij/")[0] + "/partij/")
    page.get_by_role("link", name=title).first.click()


def answer(page, title: str, position: str, explanation: str = "", words: str = "") -> None:
    open_statement(page, title)
    if words:
        page.get_by_label("Zoekwoorden").fill(words)
        page.get_by_role("button", name="Zoeken").click()
        page.get_by_role("button", name="Gebruik dit citaat").first.click()
        expect(page.locator("textarea[name=quote]")).not_to_have_value("")
    page.get_by_label(position, exact=True).check()
    if explanation:
        page.locator("textarea[name=explanation]").fill(explanation)
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("bewaard")


def submit_all(page, count: int) -> None:
    open_statement(page, "Autovrij centrum")
    page.get_by_role("link", name="Overzicht").first.click()
    page.get_by_role("link", name="Alles indienen").click()
    page.get_by_role("button", name="Ja, alles indienen").click()
    expect(page.get_by_role("status")).to_contain_text(f"{count} antwoord")


def review(page, site, party: str):
    page.goto(f"{site}/admin/parties/round/")
    page.get_by_role("link", name="beoordelen").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(party)


def decide(page, title: str, action: str, comment: str = "") -> None:
    section = page.locator("section.module").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(title)))
    )
    if comment:
        section.get_by_label("Opmerking voor de partij").fill(comment)
    section.get_by_role("button", name=action).click()
    expect(page.locator(".messagelist")).to_contain_text(f"{title}: ")


def approve_and_publish(site):
    """An Eindredacteur other than the accepting editor approves what the round submitted."""
    sync_roles()
    piet = UserFactory(username="piet", role="Eindredacteur")
    for stance in Stance.objects.filter(review_status=ReviewStatus.SUBMITTED):
        stance.approve(piet)
    election = Election.objects.get(slug="voorbeeldstad")
    publishing.publish(election, piet)


def voter_result(context, site):
    page = context.new_page()
    page.goto(f"{site}/voorbeeldstad/")
    page.get_by_role("link", name="Start de stemhulp").click()
    answer_all(page, ["agree"] * ONE_STATEMENT)
    finish(page, demo_election(page, site))
    return page


def test_parties_answer_and_the_editors_accept_and_contest(demo, page, context, chromium):
    link = invite(page, demo, "PZW", "de partij antwoordt", "anna@pzw.example")
    party = accept_invitation(chromium.new_context(locale="nl-NL"), demo, link)
    answer(party, "Zorgloket per wijk", "eens", "Zorg dichtbij.", words="zorgloket iedere wijk")
    party.go_back()
    expect(party.get_by_label("eens", exact=True)).to_be_checked()
    expect(party.locator("textarea[name=explanation]")).to_have_value("Zorg dichtbij.")
    answer(party, "Sociale huur", "eens", "Zeven jaar wachten is te lang.", words="1.000 extra")
    answer(party, "OZB omlaag", "oneens", "Het geld is nodig voor zorg.", words="OZB omlaag")
    answer(party, "Subsidie stadstheater", "eens", "Cultuur is belangrijk.", words="stadstheater")
    for title in ("Autovrij centrum", "Zonnepanelen", "Parkeren duurder", "Camera's op straat"):
        answer(party, title, "geen standpunt")
    submit_all(party, ONE_STATEMENT)

    review(page, demo, "PZW")
    decide(
        page,
        "Subsidie stadstheater",
        "Betwisten",
        "Uw programma zegt dat het theater zijn subsidie houdt.",
    )
    for title in ("Zorgloket per wijk", "Sociale huur", "OZB omlaag", "Autovrij centrum"):
        decide(page, title, "Aanvaarden")
    for title in ("Zonnepanelen", "Parkeren duurder", "Camera's op straat"):
        decide(page, title, "Aanvaarden")

    party.goto(f"{demo}/partij/")
    expect(party.locator("section.contested")).to_contain_text("theater zijn subsidie houdt")
    answer(party, "Subsidie stadstheater", "oneens", "Het stadstheater houdt zijn subsidie.")
    submit_all(party, 1)
    review(page, demo, "PZW")
    decide(page, "Subsidie stadstheater", "Aanvaarden")

    approve_and_publish(demo)
    result = voter_result(context, demo)
    theatre = (
        result.locator(".statement-result, details, li")
        .filter(has_text="Het stadstheater houdt zijn subsidie")
        .first
    )
    expect(theatre).to_contain_text("Door de partij bevestigd")
    # The marker stands under the party's stance, in its comparison per statement.
    pzw = result.locator("details").filter(has_text="Vergelijk per stelling met PZW")
    pzw.locator("summary").click()
    expect(pzw.get_by_text("Door de partij bevestigd").first).to_be_visible()
    expect(pzw.get_by_text("De partij gaf dit standpunt zelf.").first).to_be_visible()


def judge(page, title: str, verdict: str, reason: str = "") -> None:
    """Check mode: agree with the editors' coding, or object with a reason."""
    open_statement(page, title)
    expect(page.get_by_role("heading", name="Codering door de redactie")).to_be_visible()
    page.get_by_label(verdict, exact=True).check()
    page.locator("textarea[name=explanation]").fill(reason)
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("bewaard")


def test_parties_check_the_editors_coding_and_object_once(demo, page, context, chromium):
    link = invite(
        page, demo, "Fietspartij", "de partij controleert de codering", "bo@fiets.example"
    )
    party = accept_invitation(chromium.new_context(locale="nl-NL"), demo, link)
    titles = [
        "Autovrij centrum",
        "Sociale huur",
        "Zonnepanelen",
        "OZB omlaag",
        "Zorgloket per wijk",
        "Subsidie stadstheater",
        "Camera's op straat",
    ]
    for title in titles:
        judge(party, title, "Akkoord")
    judge(party, "Parkeren duurder", "Bezwaar", "Duurder parkeren is niet ons doel.")
    submit_all(party, ONE_STATEMENT)

    review(page, demo, "Fietspartij")
    decide(
        page,
        "Parkeren duurder",
        "Betwisten",
        "Uw programma zegt: 'Parkeren in het centrum mag meer kosten'.",
    )
    for title in titles:
        decide(page, title, "Aanvaarden")

    party.goto(f"{demo}/partij/")
    expect(party.locator("section.contested")).to_contain_text("mag meer kosten")
    judge(party, "Parkeren duurder", "Akkoord")
    submit_all(party, 1)
    review(page, demo, "Fietspartij")
    decide(page, "Parkeren duurder", "Aanvaarden")

    approve_and_publish(demo)
    result = voter_result(context, demo)
    fietspartij = result.locator("details").filter(
        has_text="Vergelijk per stelling met Fietspartij"
    )
    expect(fietspartij).to_contain_text("Door de partij bevestigd")
