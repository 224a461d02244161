"""The publish gate checks each stance against the scale of the election it is published in: a
stance is validated against its statement's own election when saved, so a strong stance can
stand in an election switched from 5 to 3 points, or in a 3-point election sharing the
statement."""

import pytest
from django.urls import reverse

from positions import publishing, workflow
from positions.models import Election, Stance, Statement
from tests.factories import UserFactory, ballot_day, reviewed_election
from tests.positions.test_workflow import facts

STRONG_ON_THREE = "“helemaal eens” kan alleen bij 5 standen; deze verkiezing heeft er 3"


def test_the_gate_refuses_a_strong_stance_on_three_points():
    gate = workflow.publish_gate(
        [(1, "S1")], [(10, "A")], {(1, 10): facts(status="approved", position="strongly_agree")}, 3
    )
    assert gate.problems == (f"S1 – A: onvolledig: {STRONG_ON_THREE}",)
    assert gate.rows() == [((1, "S1"), [(10, "incomplete")])]


def test_the_gate_takes_a_strong_stance_on_five_points():
    stances = {(1, 10): facts(status="approved", position="strongly_disagree")}
    assert workflow.publish_gate([(1, "S1")], [(10, "A")], stances, 5).open


@pytest.fixture
def switched(db):
    """A reviewed election coded on 5 points (Alfa strongly agrees with statement 1), then
    switched to 3 points."""
    election = reviewed_election(scale=5)
    Stance.objects.filter(party__slug="alfa", statement__order=1).update(position="strongly_agree")
    Election.objects.filter(pk=election.pk).update(scale=3)
    election.refresh_from_db()
    return election


def test_an_election_switched_to_three_points_is_held_by_its_strong_stance(switched):
    gate = publishing.gate_for(switched)
    assert gate.problems == (f"1. Stelling 1 – A: onvolledig: {STRONG_ON_THREE}",)
    with pytest.raises(workflow.NotAllowed, match="1 punt"):
        publishing.publish(switched, UserFactory(is_superuser=True))
    switched.refresh_from_db()
    assert not switched.is_published


def test_the_matrix_names_the_strong_stance(admin_client, switched):
    url = reverse("admin:positions_election_matrix", args=[switched.pk])
    page = admin_client.get(url).content.decode()
    assert f"<li>1. Stelling 1 – A: onvolledig: {STRONG_ON_THREE}</li>" in page


def test_the_same_election_on_five_points_publishes(switched):
    Election.objects.filter(pk=switched.pk).update(scale=5)
    switched.refresh_from_db()
    assert publishing.gate_for(switched).open


def test_a_three_point_election_sharing_a_statement_is_held_by_a_strong_stance_on_it(db):
    # The shared statement's home is the Chamber, on 5 points; Europe asks it on 3, and the
    # stance of Europe's own row of Vooruit on it is strong.
    ballot_day(status=Election.Status.DRAFT)
    Election.objects.filter(slug="kamer").update(scale=5)
    shared = Statement.objects.get(order=1)
    Stance.objects.filter(statement=shared, party__slug="vooruit-europa").update(
        position="strongly_agree"
    )
    europe, chamber = Election.objects.get(slug="europa"), Election.objects.get(slug="kamer")
    assert publishing.gate_for(europe).problems == (
        f"1. Gedeeld een – Vooruit: onvolledig: {STRONG_ON_THREE}",
    )
    assert publishing.gate_for(chamber).open
