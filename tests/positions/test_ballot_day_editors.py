"""Editors' lists, corrections and spreadsheets count what each election asks through sharing."""

import pytest
from django.urls import reverse

from positions import catalog, publishing
from positions.models import Election, Stance, Statement
from tests.factories import UserFactory
from tests.positions.test_ballot_days import correct, draft_day, versions

pytestmark = pytest.mark.django_db


def listed(client, admin: str, query: str) -> list[str]:
    response = client.get(reverse(f"admin:positions_{admin}_changelist") + query)
    assert response.status_code == 200
    return sorted(str(row) for row in response.context["cl"].result_list)


def election_pk(slug: str) -> int:
    return Election.objects.get(slug=slug).pk


def test_a_stance_missing_for_a_party_of_the_election_a_statement_is_shared_with_counts(
    admin_client,
):
    draft_day()
    assert listed(admin_client, "statement", "?missing=yes") == []
    Stance.objects.filter(party__slug="volt", statement__order=1).delete()  # Europe's party
    assert listed(admin_client, "statement", "?missing=yes") == ["1. Gedeeld een"]
    assert "1. Gedeeld een" not in listed(admin_client, "statement", "?missing=no")


def test_the_statement_list_of_an_election_includes_those_shared_with_it(admin_client):
    draft_day()
    query = f"?election__id__exact={election_pk('europa')}"
    assert listed(admin_client, "statement", query) == [
        "1. Gedeeld een",
        "2. Gedeeld twee",
        "3. Alleen Europa",
    ]


def test_the_stance_list_of_an_election_has_its_parties_stances_on_shared_statements(
    admin_client,
):
    draft_day()
    response = admin_client.get(
        reverse("admin:positions_stance_changelist")
        + f"?statement__election__id__exact={election_pk('europa')}"
    )
    stances = {(s.statement.order, s.party.slug) for s in response.context["cl"].result_list}
    assert stances == {
        (1, "vooruit-europa"),
        (1, "volt"),
        (2, "vooruit-europa"),
        (2, "volt"),
        (3, "vooruit-europa"),
        (3, "volt"),
    }


def test_a_bad_election_in_the_filter_lists_nothing(admin_client):
    draft_day()
    assert listed(admin_client, "statement", "?election__id__exact=abc") == []


@pytest.fixture
def eindredacteur(client):
    client.force_login(UserFactory(role="Eindredacteur"))
    return client


def test_taking_an_election_off_a_shared_statement_freezes_a_new_version_of_it(
    eindredacteur, django_capture_on_commit_callbacks
):
    publishing.publish_ballot_day(draft_day(), UserFactory(is_superuser=True))
    statement = Statement.objects.get(order=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = correct(
            eindredacteur, statement, shared_with=[], correction_note="Alleen federaal"
        )
    page = response.content.decode()
    assert "Correctie vastgelegd: kiezers van Europees Parlement zien nu versie 2." in page
    assert versions() == {"europa": 2, "kamer": 2}
    europe = catalog.published_election("europa")
    assert [s.title for s in europe.statements] == ["Gedeeld twee", "Alleen Europa"]


def test_a_voter_who_started_keeps_the_shared_statement_they_answered(
    client, eindredacteur, django_capture_on_commit_callbacks
):
    publishing.publish_ballot_day(draft_day(), UserFactory(is_superuser=True))
    client.post(reverse("quiz:statement", args=["europa", 1]), {"answer": "agree"})
    with django_capture_on_commit_callbacks(execute=True):
        correct(eindredacteur, Statement.objects.get(order=1), shared_with=[])
    page = client.get(reverse("quiz:statement", args=["europa", 1])).content.decode()
    assert "Eerst gedeeld." in page
