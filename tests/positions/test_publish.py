import pytest
from django.urls import reverse

from positions.models import Election, ElectionVersion, Stance
from tests.factories import UserFactory, reviewed_election

pytestmark = pytest.mark.django_db


def matrix_url(election):
    return reverse("admin:positions_election_matrix", args=[election.pk])


def publish_url(election):
    return reverse("admin:positions_election_publish", args=[election.pk])


@pytest.fixture
def eindredacteur(client):
    client.force_login(UserFactory(role="Eindredacteur"))
    return client


@pytest.fixture
def redacteur(client):
    client.force_login(UserFactory(role="Redacteur"))
    return client


def test_matrix_colours_each_statement_party_cell_by_state(admin_client):
    election = reviewed_election()
    Stance.objects.filter(party__slug="bravo", statement__order=2).update(review_status="submitted")
    page = admin_client.get(matrix_url(election)).content.decode()
    assert page.count('<td class="state-approved">') == 3
    assert page.count('<td class="state-submitted">') == 1


def test_matrix_names_exactly_what_is_missing(admin_client):
    election = reviewed_election()
    Stance.objects.filter(party__slug="bravo", statement__order=2).delete()
    Stance.objects.filter(party__slug="alfa", statement__order=1).update(quote="", document=None)
    page = admin_client.get(matrix_url(election)).content.decode()
    assert "<li>1. Stelling 1 – A: onvolledig: bron ontbreekt</li>" in page
    assert "<li>2. Stelling 2 – B: ontbreekt</li>" in page
    assert "Wat ontbreekt nog (2)" in page
    assert "Publiceren" not in page


def test_publish_is_refused_while_a_stance_is_not_approved(eindredacteur):
    election = reviewed_election()
    Stance.objects.filter(party__slug="alfa", statement__order=1).update(review_status="draft")
    response = eindredacteur.post(publish_url(election), follow=True)
    assert "Nog niet klaar om te publiceren: 1 punt(en) open." in response.content.decode()
    election.refresh_from_db()
    assert election.status == "draft"
    assert not ElectionVersion.objects.exists()


def test_an_eindredacteur_publishes_a_complete_election_as_version_1(eindredacteur):
    election = reviewed_election()
    response = eindredacteur.post(publish_url(election), follow=True)
    assert "Gepubliceerd als versie 1." in response.content.decode()
    election.refresh_from_db()
    assert election.is_published
    assert election.published_version.number == 1
    assert [s["id"] for s in election.published_version.data["statements"]] == list(
        election.statements.values_list("pk", flat=True)
    )


def test_a_redacteur_cannot_publish(redacteur):
    election = reviewed_election()
    assert redacteur.post(publish_url(election)).status_code == 403
    election.refresh_from_db()
    assert election.status == "draft"


def test_a_redacteur_sees_the_matrix_without_a_publish_button(redacteur):
    election = reviewed_election()
    page = redacteur.get(matrix_url(election)).content.decode()
    assert "Alle standpunten zijn goedgekeurd en volledig." in page
    assert publish_url(election) not in page


def test_publish_needs_a_post(eindredacteur):
    election = reviewed_election()
    assert eindredacteur.get(publish_url(election)).status_code == 405


def test_status_cannot_be_set_to_published_through_the_election_form(admin_client):
    election = reviewed_election()
    response = admin_client.get(reverse("admin:positions_election_change", args=[election.pk]))
    assert "status" not in response.context["adminform"].form.fields

