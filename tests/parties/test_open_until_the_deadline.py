"""What a party can still do after submitting, and nothing once the election is published."""

import pytest
from django.urls import reverse

from parties import answering, reviewing
from parties.answering import NotAllowed, Submission
from parties.models import Answer, AnswerStatus
from positions.models import Election
from positions.workflow import NotAllowed as ReviewRefused
from tests.factories import StatementFactory, UserFactory
from tests.parties.conftest import statements

pytestmark = pytest.mark.django_db


def _url(statement):
    return reverse("parties:statement", args=[statement.pk])


def _submit_everything(round_, user):
    for statement in statements(round_):
        answering.save_answer(round_, statement, user, Submission(position="none"))
    answering.submit_all(round_, user)


def _publish(round_):
    Election.objects.filter(pk=round_.election_id).update(status=Election.Status.PUBLISHED)
    round_.election.refresh_from_db()


def test_a_statement_added_after_submitting_can_be_answered_and_submitted(
    party_client, party_round, contact
):
    _submit_everything(party_round, contact.user)
    added = StatementFactory(election=party_round.election, order=4, title="Nieuw")

    response = party_client.post(_url(added), {"position": "none"})
    assert response.status_code == 302
    assert "Alles indienen" in party_client.get(reverse("parties:home")).content.decode()
    assert party_client.post(reverse("parties:submit")).status_code == 302
    assert Answer.objects.get(statement=added).status == AnswerStatus.SUBMITTED


def test_a_submitted_answer_stays_frozen(party_client, party_round, contact):
    _submit_everything(party_round, contact.user)
    statement = statements(party_round)[0]
    response = party_client.post(_url(statement), {"position": "none"})
    assert response.status_code == 400
    assert "Dit antwoord is ingediend en kan niet meer veranderen." in response.content.decode()


def test_nothing_is_answered_on_a_published_election(party_client, party_round):
    _publish(party_round)
    statement = statements(party_round)[0]
    response = party_client.post(_url(statement), {"position": "none"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "De verkiezing is gepubliceerd: antwoorden kunnen niet meer veranderen." in text
    assert not Answer.objects.exists()


def test_the_page_of_a_published_election_has_no_form(party_client, party_round):
    _publish(party_round)
    text = party_client.get(_url(statements(party_round)[0])).content.decode()
    assert 'name="position"' not in text
    assert "De verkiezing is gepubliceerd" in text


def test_nothing_is_submitted_on_a_published_election(party_round):
    user = UserFactory(username="anna")
    for statement in statements(party_round):
        answering.save_answer(party_round, statement, user, Submission(position="none"))
    _publish(party_round)
    with pytest.raises(NotAllowed, match="gepubliceerd"):
        answering.submit_all(party_round, user)
    assert not Answer.objects.filter(status=AnswerStatus.SUBMITTED).exists()


def test_an_answer_on_a_published_election_is_not_contested(party_round, contact):
    _submit_everything(party_round, contact.user)
    _publish(party_round)
    editor = UserFactory(username="els", role="Redacteur")
    answer = Answer.objects.filter(round=party_round).first()
    with pytest.raises(ReviewRefused, match="gepubliceerd"):
        reviewing.contest(answer, editor, "Klopt dit?")
    answer.refresh_from_db()
    assert (answer.status, answer.comments.count()) == (AnswerStatus.SUBMITTED, 0)
