import pytest
from django.urls import reverse

from positions import snapshots
from positions.models import ElectionVersion, Stance
from quiz.catalog import ElectionData, load
from tests.factories import UserFactory, reviewed_election

pytestmark = pytest.mark.django_db


def frozen(version):
    return snapshots.decode(ElectionData, version.data)


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
    assert frozen(election.published_version) == load(election)


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


def published(client):
    election = reviewed_election()
    client.post(publish_url(election))
    election.refresh_from_db()
    return election


def stance_form(client, stance):
    url = reverse("admin:positions_stance_change", args=[stance.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    return url, {name: "" if value is None else value for name, value in data.items()}


def test_a_correction_by_the_eindredacteur_is_a_recorded_new_version(eindredacteur):
    election = published(eindredacteur)
    stance = Stance.objects.get(
        statement__election=election, statement__order=1, party__slug="alfa"
    )
    url, data = stance_form(eindredacteur, stance)
    data.update(explanation="Gecorrigeerde toelichting.", correction_note="Typfout partij")
    response = eindredacteur.post(url, data, follow=True)
    assert "Correctie vastgelegd: kiezers zien nu versie 2." in response.content.decode()
    election.refresh_from_db()
    version = election.published_version
    assert (version.number, version.note) == (2, "Typfout partij")
    assert frozen(version).stance(stance.statement_id, "alfa").explanation == (
        "Gecorrigeerde toelichting."
    )
    assert stance.history.first().history_change_reason == "Typfout partij"
    stance.refresh_from_db()
    assert stance.review_status == "approved"


def test_the_first_version_stays_frozen_after_a_correction(eindredacteur):
    election = published(eindredacteur)
    stance = Stance.objects.get(
        statement__election=election, statement__order=1, party__slug="alfa"
    )
    url, data = stance_form(eindredacteur, stance)
    eindredacteur.post(url, {**data, "explanation": "Gecorrigeerd."})
    first = election.versions.get(number=1)
    assert frozen(first).stance(stance.statement_id, "alfa").explanation == "Omdat het nodig is."


def test_the_matrix_lists_the_versions_with_who_and_why(eindredacteur):
    election = published(eindredacteur)
    page = eindredacteur.get(matrix_url(election)).content.decode()
    assert "Gepubliceerde versies" in page
    assert "Gepubliceerd" in page


def test_a_redacteur_cannot_correct_a_published_stance(client):
    client.force_login(UserFactory(role="Eindredacteur"))
    election = published(client)
    stance = Stance.objects.get(
        statement__election=election, statement__order=1, party__slug="alfa"
    )
    client.force_login(UserFactory(role="Redacteur"))
    url = reverse("admin:positions_stance_change", args=[stance.pk])
    assert client.post(url, {"explanation": "Stiekem."}).status_code == 403
    stance.refresh_from_db()
    assert stance.explanation == "Omdat het nodig is."
    assert election.versions.count() == 1


def test_a_frozen_version_holds_everything_the_voter_sees(db):
    from positions.models import StatementTranslation

    election = reviewed_election()
    StatementTranslation.objects.create(
        statement=election.statements.first(), language="fr", title="Titre", text="Texte."
    )
    assert snapshots.decode(ElectionData, snapshots.encode(load(election))) == load(election)
