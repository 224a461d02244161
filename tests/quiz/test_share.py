import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PartyFactory, StanceFactory
from tests.pages import parse, ranking, texts

pytestmark = pytest.mark.django_db

RESULT = reverse("quiz:result", args=["test"])
SHARED = reverse("quiz:shared", args=["test"])


def answer(client, *answers):
    for n, value in enumerate(answers, 1):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": value})


def share_link(client) -> str:
    page = client.get(RESULT).content.decode()
    return html.unescape(re.search(r'id="share-url" type="url" readonly value="([^"]+)"', page)[1])


def test_the_link_holds_one_letter_per_statement(client, election):
    answer(client, "agree", "disagree", "skip")
    assert share_link(client).endswith(f"{SHARED}?a=ads")


def test_unanswered_statements_are_marked_in_the_link(client, election):
    answer(client, "neutral")
    assert share_link(client).endswith("?a=n--")


def test_a_fresh_visitor_sees_the_same_ranking(client, election):
    answer(client, "agree", "disagree", "agree")
    own = ranking(client.get(RESULT).content.decode())
    shared = ranking(Client().get(share_link(client)).content.decode())
    assert shared == own == [("Alfa", "67%"), ("Bravo", "33%"), ("Charlie", "–")]


def test_important_statements_travel_in_the_link(client, election):
    answer(client, "agree", "disagree", "agree")
    s2 = election.statements.get(order=2)
    client.post(reverse("quiz:overview", args=["test"]), {"important": [s2.id]})
    link = share_link(client)
    assert link.endswith(f"{SHARED}?a=ada&i=2")
    assert ranking(Client().get(link).content.decode())[0] == ("Alfa", "50%")


def test_chosen_parties_travel_in_the_link(client, election):
    answer(client, "agree", "agree", "agree")
    client.post(reverse("quiz:parties", args=["test"]), {"parties": ["bravo", "charlie"]})
    link = share_link(client)
    assert link.endswith("&p=bravo.charlie")
    assert [name for name, _ in ranking(Client().get(link).content.decode())] == [
        "Bravo",
        "Charlie",
    ]


def test_opening_a_shared_link_stores_nothing(election):
    visitor = Client()
    response = visitor.get(f"{SHARED}?a=aaa")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "Een gedeeld resultaat" in response.content.decode()


def test_a_shared_result_does_not_offer_to_change_someone_elses_answers(election):
    page = Client().get(f"{SHARED}?a=aaa").content.decode()
    assert "Antwoorden aanpassen" not in page
    assert '<meta name="robots" content="noindex">' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a=aa", "De link bevat niet voor elke stelling een antwoord."),
        ("a=aax", "De link bevat een onbekend antwoord."),
        ("a=aaa&i=7", "De link noemt een stelling die niet bestaat."),
        ("a=aaa&i=x", "De link noemt een stelling die niet bestaat."),
        ("a=aaa&p=delta", "De link noemt een partij die niet meedoet."),
        ("a=aaa&p=", "De link noemt een partij die niet meedoet."),
    ],
)
def test_a_damaged_link_is_a_400_saying_what_is_wrong(client, election, query, message):
    response = client.get(f"{SHARED}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_text_summary_lists_the_ranking_and_the_link(client, election):
    answer(client, "agree", "agree", "agree")
    page = html.unescape(client.get(RESULT).content.decode())
    summary = re.search(r'<textarea id="share-summary"[^>]*>(.*?)</textarea>', page, re.S)[1]
    assert summary.splitlines() == [
        "Mijn resultaat in de Stemhulp Testverkiezing",
        "Ik gaf mijn mening over 3 van de 3 stellingen.",
        "1. Alfa: 100% (3 stellingen vergeleken)",
        "2. Bravo: 0% (3 stellingen vergeleken)",
        "– Charlie: – (0 stellingen vergeleken)",
        f"Bekijk het resultaat: http://testserver{SHARED}?a=aaa",
    ]


def test_the_text_summary_numbers_a_tie_alike_and_marks_unranked_parties(client, election):
    delta = PartyFactory(name="Delta", short_name="D", slug="delta")
    election.parties.add(delta)
    StanceFactory(statement=election.statements.get(order=1), party=delta, position="agree")
    answer(client, "agree", "disagree", "neutral")
    page = html.unescape(client.get(RESULT).content.decode())
    summary = re.search(r'<textarea id="share-summary"[^>]*>(.*?)</textarea>', page, re.S)[1]
    assert summary.splitlines()[2:7] == [
        "1. Alfa: 50% (3 stellingen vergeleken)",
        "1. Bravo: 50% (3 stellingen vergeleken)",
        "– Delta: 100% (vergeleken op 1 van je 3 antwoorden: te weinig om te rangschikken)",
        "– Charlie: – (0 stellingen vergeleken)",
        "Alfa en Bravo staan samen op de eerste plaats.",
    ]


def _freeze(election, admin_user, note="Correctie"):
    from positions.publishing import record_correction

    return record_correction(election, admin_user, note)


def test_a_link_keeps_its_version_after_a_correction(
    client, election, admin_user, django_capture_on_commit_callbacks
):
    from tests.factories import StatementFactory

    with django_capture_on_commit_callbacks(execute=True):
        _freeze(election, admin_user, "Gepubliceerd")
    answer(client, "agree", "agree", "agree")
    link = share_link(client)
    with django_capture_on_commit_callbacks(execute=True):
        StatementFactory(election=election, order=4, title="Nieuwe stelling")
        _freeze(election, admin_user)
    newcomer = Client().get(reverse("quiz:result", args=["test"])).content.decode()
    assert "Nieuwe stelling" in newcomer
    page = Client().get(link).content.decode()
    assert ranking(page)[0] == ("Alfa", "100%")
    assert "Nieuwe stelling" not in page


def test_a_link_to_an_unknown_version_is_a_400(client, election):
    response = Client().get(f"{SHARED}?a=aaa&v=999999")
    assert response.status_code == 400
    assert "Deze link hoort bij een versie die niet bestaat." in response.content.decode()


def test_a_shared_result_speaks_of_the_shared_answers(election):
    page = Client().get(f"{SHARED}?a=aad").content.decode()
    intro = parse(page).select("main p")[1].text
    assert intro.startswith("De gedeelde antwoorden geven een mening over 3 van de 3 stellingen.")
    assert "jouw" not in intro.lower()
    assert texts(page, ".grid thead th")[1] == "Gedeeld"
    assert set(texts(page, ".comparison thead th")[1::3]) == {"Gedeeld"}


def test_the_own_result_speaks_of_your_answers(client, election):
    answer(client, "agree", "agree", "disagree")
    page = client.get(RESULT).content.decode()
    assert texts(page, ".grid thead th")[1] == "Jij"
    assert set(texts(page, ".comparison thead th")[1::3]) == {"Jij"}


def test_a_shared_result_invites_to_take_the_quiz(election):
    page = Client().get(f"{SHARED}?a=aad").content.decode()
    [link] = parse(page).select("p.notice a")
    assert (link.text, link.attrs["href"]) == (
        "Doe zelf de stemhulp",
        reverse("quiz:election", args=["test"]),
    )


def test_a_shared_result_offers_no_sharing(election):
    page = Client().get(f"{SHARED}?a=aad").content.decode()
    assert "Deel dit resultaat" not in page
    assert 'id="share-url"' not in page


def test_the_shared_wording_is_not_served_to_the_voter(client, election):
    answer(client, "agree", "agree", "disagree")
    Client().get(f"{SHARED}?a=aad")
    page = client.get(RESULT).content.decode()
    assert "Gedeeld" not in page
    assert "Deel dit resultaat" in page


def test_the_summary_box_has_a_row_per_line(client, election):
    answer(client, "agree", "agree", "agree")
    box = parse(client.get(RESULT).content).select_one("#share-summary")
    assert box.attrs["rows"] == "6"
