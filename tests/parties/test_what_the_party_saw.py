"""An editor accepts a party's answer only into what the party saw: the coding it agreed with
(check mode) and the statement's text it answered."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from parties import answering, reviewing
from parties.answering import Submission
from parties.models import Answer
from positions.models import Stance
from positions.workflow import NotAllowed
from tests.factories import UserFactory
from tests.parties.conftest import statements
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db

CHANGED_CODING = "De redactie heeft dit standpunt intussen gewijzigd; bekijk het opnieuw."


@pytest.fixture
def editor():
    return UserFactory(username="els", role="Redacteur")


def _url(statement):
    return reverse("parties:statement", args=[statement.pk])


def _coding(page) -> str:
    """The coding the page carries in its form ("" when it carries none)."""
    found = re.search(r'name="coding" value="([^"]*)"', page.content.decode())
    return found.group(1) if found else ""


def _stance(round_):
    return Stance.objects.get(statement=statements(round_)[0], party=round_.party)


def _recode(round_, editor, position="disagree"):
    """The editor changes the party's coding in the admin."""
    browser = Client()
    browser.force_login(editor)
    url = reverse("admin:positions_stance_change", args=[_stance(round_).pk])
    data = _change_form_data(browser.get(url))
    data["position"] = position
    assert browser.post(url, data).status_code == 302


def _object_to_the_rest(round_, user):
    for statement in statements(round_)[1:]:
        answering.save_answer(
            round_, statement, user, Submission(agrees=False, explanation="Niet gecodeerd.")
        )


def test_an_agreement_with_a_coding_recoded_after_submitting_is_not_confirmed(
    party_client, check_round, contact, editor
):
    statement = statements(check_round)[0]
    page = party_client.get(_url(statement))
    party_client.post(_url(statement), {"agrees": "ja", "coding": _coding(page)})
    _object_to_the_rest(check_round, contact.user)
    answering.submit_all(check_round, contact.user)
    _recode(check_round, editor)

    with pytest.raises(NotAllowed, match="gewijzigd nadat de partij akkoord ging"):
        reviewing.accept(Answer.objects.get(statement=statement), editor)
    assert (_stance(check_round).origin, _stance(check_round).position) == ("editors", "disagree")


def test_an_agreement_with_the_coding_shown_is_confirmed_after_submitting(
    party_client, check_round, contact, editor
):
    statement = statements(check_round)[0]
    page = party_client.get(_url(statement))
    party_client.post(_url(statement), {"agrees": "ja", "coding": _coding(page)})
    _object_to_the_rest(check_round, contact.user)
    answering.submit_all(check_round, contact.user)

    reviewing.accept(Answer.objects.get(statement=statement), editor)
    assert _stance(check_round).origin == "confirmed"


def test_a_page_loaded_before_the_editors_recoded_is_refused_and_shows_the_new_coding(
    party_client, check_round, editor
):
    statement = statements(check_round)[0]
    page = party_client.get(_url(statement))
    _recode(check_round, editor, position="neutral")

    response = party_client.post(_url(statement), {"agrees": "ja", "coding": _coding(page)})
    assert response.status_code == 400
    assert CHANGED_CODING in response.content.decode()
    assert not Answer.objects.exists()
    # The page now shows the new coding and carries it: agreeing with it is stored.
    again = party_client.post(_url(statement), {"agrees": "ja", "coding": _coding(response)})
    assert again.status_code == 302


def test_an_answer_on_a_statement_whose_text_changed_since_is_not_accepted(party_round, editor):
    user = UserFactory(username="anna")
    for statement in statements(party_round):
        answering.save_answer(party_round, statement, user, Submission(position="none"))
    answering.submit_all(party_round, user)
    statement = statements(party_round)[0]
    statement.text = "Er moeten minder sociale huurwoningen komen."
    statement.save()

    with pytest.raises(NotAllowed, match="tekst van de stelling is gewijzigd"):
        reviewing.accept(Answer.objects.get(statement=statement), editor)
    assert not Stance.objects.filter(statement=statement).exists()


def test_after_contesting_the_party_answers_the_new_text_and_it_is_accepted(party_round, editor):
    user = UserFactory(username="anna")
    for statement in statements(party_round):
        answering.save_answer(party_round, statement, user, Submission(position="none"))
    answering.submit_all(party_round, user)
    statement = statements(party_round)[0]
    statement.text = "Er moeten minder sociale huurwoningen komen."
    statement.save()
    answer = Answer.objects.get(statement=statement)
    reviewing.contest(answer, editor, "De stelling is veranderd: kijkt u opnieuw?")

    answering.save_answer(party_round, statement, user, Submission(position="none"))
    answering.submit_all(party_round, user)
    reviewing.accept(answer, editor)
    assert Stance.objects.get(statement=statement).origin == "party"


def test_a_proposed_position_without_a_source_is_a_form_error(party_client, check_round):
    statement = statements(check_round)[0]
    page = party_client.get(_url(statement))
    response = party_client.post(
        _url(statement),
        {
            "agrees": "nee",
            "position": "disagree",
            "explanation": "Wij zijn tegen.",
            "coding": _coding(page),
        },
    )
    assert response.status_code == 400
    assert "Een voorgesteld standpunt heeft een bron nodig" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_objection_proposing_no_position_needs_no_source(party_client, check_round):
    statement = statements(check_round)[0]
    page = party_client.get(_url(statement))
    response = party_client.post(
        _url(statement),
        {
            "agrees": "nee",
            "position": "none",
            "explanation": "Wij zwijgen hierover.",
            "coding": _coding(page),
        },
    )
    assert response.status_code == 302
