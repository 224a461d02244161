"""A statement whose text changes no longer carries what a party gave or confirmed: the party
answered the old text."""

import pytest

from positions.models import Stance
from tests.factories import UserFactory, reviewed_election

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
