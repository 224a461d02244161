"""A statement whose text changes no longer carries what a party gave or confirmed: the party
answered the old text."""

import pytest
from django.urls import reverse

from positions.models import Election, Stance
from tests.factories import UserFactory, reviewed_election
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("review_status", ["approved", "draft"])
def test_a_party_marker_is_dropped_when_the_statement_text_changes(review_status):
    election = reviewed_election(review_status=review_status)
    statement = election.statements.get(order=1)
    statement.stances.update(origin="confirmed")
    statement.text = "Er moeten minder sociale huurwoningen komen."
    statement.save()

    statement.reopen_review(UserFactory(role="Redacteur"))
    stances = Stance.objects.filter(statement=statement)
    assert {s.origin for s in stances} == {"editors"}
    assert {s.review_status for s in stances} == {"draft"}
    assert Stance.objects.filter(origin="confirmed").count() == 0


def test_a_correction_of_the_text_drops_the_party_marker_and_keeps_the_review(client):
    election = reviewed_election(status=Election.Status.PUBLISHED)
    statement = election.statements.get(order=1)
    statement.stances.update(origin="confirmed")
    client.force_login(UserFactory(role="Eindredacteur"))
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    data = _change_form_data(client.get(url))
    data["text"] = "Er moeten minder sociale huurwoningen komen."
    data["correction_note"] = "Tekst verduidelijkt"

    assert client.post(url, data).status_code == 302

    stances = Stance.objects.filter(statement=statement)
    assert {s.origin for s in stances} == {"editors"}
    assert {s.review_status for s in stances} == {"approved"}
    page = client.get(reverse("admin:positions_stance_history", args=[stances[0].pk]))
    assert "Stelling gecorrigeerd" in page.content.decode()
