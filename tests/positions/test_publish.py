import pytest
from django.urls import reverse

from positions import snapshots
from positions.catalog import ElectionData, load
from positions.models import ElectionVersion, Stance
from tests.factories import UserFactory, reviewed_election
from tests.pages import parse, ranking, table_rows, text, texts
from tests.positions.test_admin import _change_form_data

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
    assert publish_url(election) not in page


def test_an_eindredacteur_sees_the_publish_button_once_all_is_approved(eindredacteur):
    election = reviewed_election()
    page = eindredacteur.get(matrix_url(election)).content.decode()
    assert "Alle standpunten zijn goedgekeurd en volledig." in page
    assert f'action="{publish_url(election)}"' in page


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
    assert election.is_published
    return election


def stance_form(client, stance):
    url = reverse("admin:positions_stance_change", args=[stance.pk])
    return url, _change_form_data(client.get(url))


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
    response = eindredacteur.post(url, {**data, "explanation": "Gecorrigeerd."}, follow=True)
    assert "Correctie vastgelegd: kiezers zien nu versie 2." in response.content.decode()
    second = election.versions.get(number=2)
    assert frozen(second).stance(stance.statement_id, "alfa").explanation == "Gecorrigeerd."
    first = election.versions.get(number=1)
    assert frozen(first).stance(stance.statement_id, "alfa").explanation == "Omdat het nodig is."


def versions_listed(page) -> list[tuple[str, str, str]]:
    """(number, by, note) of each row of the matrix page's table of published versions."""
    [table] = [t for t in parse(page).select("#content-main table") if "matrix" not in t.classes]
    header, *rows = table_rows(table)
    assert header == ["Versie", "Op", "Door", "Toelichting", "Ingetrokken"]
    return [(number, by, note) for number, _, by, note, _ in rows]


def test_the_matrix_lists_the_versions_with_who_and_why(client):
    client.force_login(UserFactory(username="eva", role="Eindredacteur"))
    election = published(client)
    correct_stance(client, election, explanation="Gecorrigeerd.", correction_note="Typfout partij")
    page = client.get(matrix_url(election)).content.decode()
    assert versions_listed(page) == [("2", "eva", "Typfout partij"), ("1", "eva", "Gepubliceerd")]


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


def test_voters_see_the_frozen_version_not_later_edits(client, eindredacteur):
    election = published(eindredacteur)
    Stance.objects.filter(statement__election=election).update(explanation="Niet gepubliceerd.")
    page = answer_all_and_see_result(client, election)
    assert "Niet gepubliceerd." not in page
    assert "Omdat het nodig is." in page


def answer_all_and_see_result(client, election, answers=("agree", "agree")):
    for number, answer in enumerate(answers, 1):
        client.post(reverse("quiz:statement", args=[election.slug, number]), {"answer": answer})
    return client.get(reverse("quiz:result", args=[election.slug])).content.decode()


def correct_stance(client, election, **changes):
    stance = Stance.objects.get(
        statement__election=election, statement__order=1, party__slug="alfa"
    )
    url, data = stance_form(client, stance)
    response = client.post(url, {**data, **changes}, follow=True)
    assert "Correctie vastgelegd" in response.content.decode()


def test_a_voter_who_started_before_a_correction_finishes_on_their_version(
    client, eindredacteur, django_capture_on_commit_callbacks
):
    election = published(eindredacteur)
    voter = type(client)()
    voter.post(reverse("quiz:statement", args=[election.slug, 1]), {"answer": "agree"})
    with django_capture_on_commit_callbacks(execute=True):
        correct_stance(eindredacteur, election, position="disagree", explanation="Gecorrigeerd.")

    page = answer_all_and_see_result(voter, election)
    assert "Gecorrigeerd." not in page
    assert ranking(page) == [("Alfa", "100%"), ("Bravo", "–")]  # Alfa agreed with both in v1

    newcomer = type(client)()
    page = answer_all_and_see_result(newcomer, election)
    assert "Gecorrigeerd." in page
    assert ranking(page) == [("Alfa", "50%"), ("Bravo", "–")]


def test_starting_again_moves_the_voter_to_the_corrected_version(
    client, eindredacteur, django_capture_on_commit_callbacks
):
    election = published(eindredacteur)
    voter = type(client)()
    voter.post(reverse("quiz:statement", args=[election.slug, 1]), {"answer": "agree"})
    with django_capture_on_commit_callbacks(execute=True):
        correct_stance(eindredacteur, election, explanation="Gecorrigeerd.")
    voter.post(reverse("quiz:restart", args=[election.slug]))
    assert "Gecorrigeerd." in answer_all_and_see_result(voter, election)


def test_a_frozen_statement_step_does_no_database_query_once_cached(
    client, eindredacteur, django_assert_num_queries
):
    election = published(eindredacteur)
    voter = type(client)()
    voter.get(reverse("quiz:statement", args=[election.slug, 1]))
    voter.post(reverse("quiz:statement", args=[election.slug, 1]), {"answer": "agree"})
    correct_stance(eindredacteur, election, explanation="Gecorrigeerd.")
    voter.get(reverse("quiz:statement", args=[election.slug, 2]))  # loads both versions once
    with django_assert_num_queries(0):
        shown = voter.get(reverse("quiz:statement", args=[election.slug, 2]))
        answered = voter.post(
            reverse("quiz:statement", args=[election.slug, 2]), {"answer": "agree"}
        )
    assert text(shown.content, ".progress-text") == "Stelling 2 / 2"
    assert answered.url == reverse("quiz:overview", args=[election.slug])


def test_withdrawing_a_publication_hides_the_election_from_voters(
    eindredacteur, django_capture_on_commit_callbacks
):
    election = published(eindredacteur)
    assert (
        type(eindredacteur)().get(reverse("quiz:election", args=[election.slug])).status_code == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        eindredacteur.post(
            reverse("admin:positions_election_unpublish", args=[election.pk]), {"reason": "Fout"}
        )
    election.refresh_from_db()
    assert election.status == "draft"
    voter = type(eindredacteur)()
    assert voter.get(reverse("quiz:election", args=[election.slug])).status_code == 404


def test_a_missing_stance_in_the_matrix_links_to_a_prefilled_form(admin_client):
    election = reviewed_election()
    stance = Stance.objects.get(statement__order=2, party__slug="bravo")
    stance.delete()
    page = admin_client.get(matrix_url(election)).content.decode()
    add_url = reverse("admin:positions_stance_add")
    link = f"{add_url}?statement={stance.statement_id}&amp;party={stance.party_id}"
    assert link in page


def test_saving_a_published_stance_unchanged_makes_no_new_version(eindredacteur):
    election = published(eindredacteur)
    stance = Stance.objects.get(
        statement__election=election, statement__order=1, party__slug="alfa"
    )
    url, data = stance_form(eindredacteur, stance)
    response = eindredacteur.post(url, data, follow=True)
    assert response.redirect_chain == [(reverse("admin:positions_stance_changelist"), 302)]
    assert texts(response.content, ".messagelist li") == [
        "Gewijzigd: standpunt ‘A – 1. Stelling 1’."
    ]
    assert election.versions.count() == 1
