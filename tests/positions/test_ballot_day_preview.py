"""Editors take the quiz of a draft ballot day; nobody else sees it."""

import pytest
from django.urls import reverse

from positions import catalog
from positions.models import BallotDay, Election
from stats.models import Completion
from tests.factories import UserFactory, ballot_day
from tests.quiz.test_ballot_days import SLUG, answer, levels, result_page, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    return ballot_day(status=Election.Status.DRAFT)


def test_an_editor_takes_the_quiz_of_a_draft_day(client, draft):
    client.force_login(UserFactory(role="Redacteur"))
    answer(client, "agree", "skip")
    assert levels(result_page(client)) == {
        "Europees Parlement": [("1. Vooruit", "100%"), ("2. Volt", "0%")],
        "Kamer": [("1. Groen", "100%"), ("2. Vooruit", "0%")],
    }


def test_a_preview_is_not_counted_in_the_statistics(client, draft):
    client.force_login(UserFactory(role="Redacteur"))
    answer(client, "agree", "agree")
    result_page(client)
    assert not Completion.objects.exists()


def test_a_voter_gets_404_for_a_draft_day(client, draft):
    assert client.get(reverse("quiz:day", args=[SLUG])).status_code == 404
    assert client.get(step_url(1)).status_code == 404


def test_staff_without_the_preview_permission_gets_404(client, draft):
    client.force_login(UserFactory())
    assert client.get(step_url(1)).status_code == 404


def test_a_draft_day_is_not_listed_for_voters_even_after_a_preview(client, draft):
    client.force_login(UserFactory(role="Redacteur"))
    assert client.get(step_url(1)).status_code == 200
    client.logout()
    assert draft.name not in client.get(reverse("quiz:home")).content.decode()
    assert client.get(step_url(1)).status_code == 404


def test_a_share_link_of_a_draft_day_is_not_found(client, draft):
    client.force_login(UserFactory(role="Redacteur"))
    url = reverse("quiz:day-shared", args=[SLUG]) + "?a=as--&v=0.0"
    assert client.get(url).status_code == 404


def test_the_day_admin_links_to_the_preview(client, draft):
    client.force_login(UserFactory(role="Eindredacteur"))
    page = client.get(reverse("admin:positions_ballotday_change", args=[draft.pk]))
    assert BallotDay.objects.get(pk=draft.pk).get_absolute_url() in page.content.decode()


def test_a_preview_of_a_draft_day_of_published_elections_is_not_counted(
    client, django_capture_on_commit_callbacks
):
    ballot_day()
    with django_capture_on_commit_callbacks(execute=True):
        BallotDay.objects.update(status=BallotDay.Status.DRAFT)
        catalog.invalidate()
    client.force_login(UserFactory(role="Redacteur"))
    answer(client, "agree", "agree")
    assert levels(result_page(client))
    assert not Completion.objects.exists()
