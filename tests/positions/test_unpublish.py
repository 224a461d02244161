"""Withdrawing a publication: a reason is required and recorded, and voters mid-quiz are told
plainly that the election was withdrawn."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.pages import parse, table_rows, text
from tests.positions.test_publish import matrix_url, published

pytestmark = pytest.mark.django_db


def unpublish_url(election):
    return reverse("admin:positions_election_unpublish", args=[election.pk])


@pytest.fixture
def eva(client):
    client.force_login(UserFactory(username="eva", role="Eindredacteur"))
    return client


def withdraw(client, election, reason, capture):
    with capture(execute=True):
        return client.post(unpublish_url(election), {"reason": reason})


def test_withdrawing_without_a_reason_is_refused(eva, django_capture_on_commit_callbacks):
    election = published(eva)
    response = withdraw(eva, election, "  ", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Geef een reden" in response.content.decode()
    election.refresh_from_db()
    assert election.status == "published"


def test_the_matrix_asks_for_a_reason_before_withdrawing(eva):
    election = published(eva)
    page = eva.get(matrix_url(election)).content.decode()
    assert f'href="{unpublish_url(election)}"' in page
    form = eva.get(unpublish_url(election))
    assert form.status_code == 200
    assert '<textarea name="reason"' in form.content.decode()


def test_the_reason_is_in_the_history_and_the_versions_list(
    eva, django_capture_on_commit_callbacks
):
    election = published(eva)
    response = withdraw(eva, election, "Fout in stelling 2", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.status == "draft"
    entry = LogEntry.objects.get(object_id=str(election.pk))
    assert (entry.user.username, entry.get_change_message()) == (
        "eva",
        "Publicatie ingetrokken: Fout in stelling 2",
    )
    [table] = [
        t
        for t in parse(eva.get(matrix_url(election)).content).select("#content-main table")
        if "matrix" not in t.classes
    ]
    [_, row] = table_rows(table)
    assert row[4].endswith("eva: Fout in stelling 2")


def test_a_voter_mid_quiz_is_told_the_election_was_withdrawn(
    eva, django_capture_on_commit_callbacks
):
    election = published(eva)
    voter = Client()
    voter.post(reverse("quiz:statement", args=[election.slug, 1]), {"answer": "agree"})
    withdraw(eva, election, "Fout", django_capture_on_commit_callbacks)
    response = voter.get(reverse("quiz:statement", args=[election.slug, 2]))
    assert response.status_code == 410
    assert text(response.content, "h1") == "Deze stemhulp is ingetrokken"
    htmx = voter.post(
        reverse("quiz:statement", args=[election.slug, 2]),
        {"answer": "agree"},
        headers={"HX-Request": "true"},
    )
    assert htmx.headers["HX-Refresh"] == "true"


def test_a_newcomer_to_a_withdrawn_election_finds_nothing(eva, django_capture_on_commit_callbacks):
    election = published(eva)
    withdraw(eva, election, "Fout", django_capture_on_commit_callbacks)
    assert Client().get(reverse("quiz:election", args=[election.slug])).status_code == 404
