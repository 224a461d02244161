"""Editors take the quiz of a draft election; nobody else sees it."""

import pytest
from django.urls import reverse

from positions.models import Election
from tests.factories import UserFactory, reviewed_election
from tests.pages import ranking, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    return reviewed_election(slug="concept", name="Conceptverkiezing")


def statement_url(number=1):
    return reverse("quiz:statement", args=["concept", number])


def test_an_editor_takes_the_quiz_of_a_draft_election(client, draft):
    client.force_login(UserFactory(role="Redacteur"))
    assert text(client.get(statement_url()).content, ".progress-text") == "Stelling 1 / 2"
    client.post(statement_url(1), {"answer": "agree"})
    client.post(statement_url(2), {"answer": "agree"})
    client.post(reverse("quiz:parties", args=["concept"]), {"parties": ["alfa", "bravo"]})
    page = client.get(reverse("quiz:result", args=["concept"])).content.decode()
    assert ranking(page) == [("Alfa", "100%"), ("Bravo", "–")]


def test_a_voter_gets_404_for_a_draft_election(client, draft):
    assert client.get(statement_url()).status_code == 404
    assert client.get(reverse("quiz:election", args=["concept"])).status_code == 404


def test_staff_without_the_preview_permission_gets_404(client, draft):
    client.force_login(UserFactory())
    assert client.get(statement_url()).status_code == 404


def test_a_draft_election_is_not_listed_for_voters_even_after_a_preview(client, draft):
    client.force_login(UserFactory(role="Redacteur"))
    assert client.get(statement_url()).status_code == 200
    client.logout()
    assert "Conceptverkiezing" not in client.get(reverse("quiz:home")).content.decode()


def test_the_api_never_shows_a_draft_election(client, draft):
    client.force_login(UserFactory(role="Redacteur"))
    assert client.get(reverse("quiz:api-election", args=["concept"])).status_code == 404


def test_the_election_admin_links_to_the_preview(client, draft):
    client.force_login(UserFactory(role="Eindredacteur"))
    page = client.get(reverse("admin:positions_election_change", args=[draft.pk]))
    assert Election.objects.get(pk=draft.pk).get_absolute_url() in page.content.decode()
