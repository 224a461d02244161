"""Editors' French and English texts of an election and of parties' explanations."""

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse

from positions import snapshots
from positions.catalog import ElectionData
from positions.models import (
    ElectionTranslation,
    ElectionVersion,
    Stance,
    StanceTranslation,
    StatementTranslation,
)
from tests.factories import UserFactory, reviewed_election
from tests.pages import text, texts
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


def test_one_translation_per_election_and_language(election):
    ElectionTranslation.objects.create(election=election, language="fr", name="Élection")
    with pytest.raises(IntegrityError, match="election_translation_unique|language"):
        ElectionTranslation.objects.create(election=election, language="fr", name="Autre")


def test_an_election_translation_is_french_or_english(election):
    with pytest.raises(IntegrityError, match="election_translation_language"):
        ElectionTranslation.objects.create(election=election, language="de", name="Wahl")


def first_stance(election) -> Stance:
    return Stance.objects.get(statement__election=election, statement__order=1, party__slug="alfa")


def test_one_translation_per_stance_and_language(election):
    stance = first_stance(election)
    StanceTranslation.objects.create(stance=stance, language="en", explanation="Because.")
    with pytest.raises(IntegrityError, match="stance_translation_unique|language"):
        StanceTranslation.objects.create(stance=stance, language="en", explanation="Again.")


def test_a_stance_translation_is_french_or_english(election):
    with pytest.raises(IntegrityError, match="stance_translation_language"):
        StanceTranslation.objects.create(
            stance=first_stance(election), language="de", explanation="Weil."
        )


def add_inline(data: dict, prefix: str, **fields) -> dict:
    """The change form's data with one more row in the inline `prefix`."""
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    return data | {f"{prefix}-{n}-{name}": value for name, value in fields.items()}


def election_url(election):
    return reverse("admin:positions_election_change", args=[election.pk])


def stance_url(stance):
    return reverse("admin:positions_stance_change", args=[stance.pk])


def test_editors_translate_an_election_on_its_page(admin_client, election):
    data = _change_form_data(admin_client.get(election_url(election)))
    data = add_inline(
        data,
        "translations",
        language="fr",
        name="Élection test",
        intro="Votez.",
        axis_x_label="gauche – droite",
        axis_y_label="",
    )
    assert admin_client.post(election_url(election), data).status_code == 302
    translation = election.translations.get()
    assert (translation.language, translation.name, translation.axis_x_label) == (
        "fr",
        "Élection test",
        "gauche – droite",
    )


def test_editors_translate_a_partys_explanation_on_the_stance_page(admin_client, election):
    stance = first_stance(election)
    data = _change_form_data(admin_client.get(stance_url(stance)))
    data = add_inline(data, "translations", language="en", explanation="Because it is needed.")
    assert admin_client.post(stance_url(stance), data).status_code == 302
    assert stance.translations.get().explanation == "Because it is needed."


def test_a_second_translation_in_the_same_language_is_a_form_error(admin_client, election):
    data = _change_form_data(admin_client.get(election_url(election)))
    data = add_inline(data, "translations", language="en", name="One")
    data = add_inline(data, "translations", language="en", name="Two")
    response = admin_client.post(election_url(election), data)
    assert response.status_code == 200
    assert not election.translations.exists()


# Published elections: a translation is a correction, frozen as a new version.


@pytest.fixture
def eindredacteur(client):
    client.force_login(UserFactory(role="Eindredacteur"))
    return client


def published(client):
    election = reviewed_election(slug="gepubliceerd")
    client.post(reverse("admin:positions_election_publish", args=[election.pk]))
    election.refresh_from_db()
    assert election.is_published
    return election


def french(client):
    voter = type(client)()
    voter.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return voter


def test_translating_a_published_election_is_a_recorded_correction(
    client, django_capture_on_commit_callbacks
):
    """The election's own texts are the Beheerder's, as the election is."""
    client.force_login(UserFactory(role="Beheerder"))
    election = published(client)
    voter = french(client)
    page = voter.get(reverse("quiz:election", args=[election.slug])).content
    assert text(page, "h1").endswith("(Nederlands)")

    data = _change_form_data(client.get(election_url(election)))
    data = add_inline(data, "translations", language="fr", name="Élection traduite")
    data["correction_note"] = "Traduction"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(election_url(election), data, follow=True)
    assert "Correctie vastgelegd: kiezers zien nu versie 2." in response.content.decode()
    election.refresh_from_db()
    assert election.published_version.note == "Traduction"

    page = voter.get(reverse("quiz:election", args=[election.slug])).content
    assert text(page, "h1") == "Élection traduite"


def test_translating_a_published_partys_explanation_reaches_the_result(
    eindredacteur, django_capture_on_commit_callbacks
):
    election = published(eindredacteur)
    stance = first_stance(election)
    stance.explanation = ""
    data = _change_form_data(eindredacteur.get(stance_url(stance)))
    data = add_inline(data, "translations", language="fr", explanation="Parce que c’est utile.")
    with django_capture_on_commit_callbacks(execute=True):
        response = eindredacteur.post(stance_url(stance), data, follow=True)
    assert "Correctie vastgelegd: kiezers zien nu versie 2." in response.content.decode()

    voter = french(eindredacteur)
    voter.post(reverse("quiz:statement", args=[election.slug, 1]), {"answer": "agree"})
    page = voter.get(reverse("quiz:result", args=[election.slug])).content
    assert "Parce que c’est utile." in texts(page, "table.comparison td p")


def test_a_snapshot_frozen_before_translations_still_loads(eindredacteur):
    election = published(eindredacteur)
    version = election.published_version
    old = dict(version.data)
    del old["translations"], old["fallback"]
    old["stances"] = [
        [key, {k: v for k, v in stance.items() if k not in ("translations", "fallback")}]
        for key, stance in old["stances"]
    ]
    ElectionVersion.objects.filter(pk=version.pk).update(data=old)

    data = snapshots.decode(ElectionData, old)
    assert data.translations == {}
    assert data.stance(election.statements.get(order=1).pk, "alfa").translations == {}
    page = french(eindredacteur).get(reverse("quiz:election", args=[election.slug])).content
    assert text(page, "h1") == f"{election.name} (Nederlands)"


def test_a_redacteur_translates_a_partys_explanation_but_not_the_election(client):
    election = reviewed_election()
    client.force_login(UserFactory(role="Redacteur"))
    stance = first_stance(election)
    data = _change_form_data(client.get(stance_url(stance)))
    data = add_inline(data, "translations", language="en", explanation="Because.")
    assert client.post(stance_url(stance), data).status_code == 302
    assert stance.translations.get().explanation == "Because."
    assert client.post(election_url(election), {}).status_code == 403


def test_the_uitleg_of_a_published_statement_reaches_a_french_voter(eindredacteur):
    """Served from the frozen version, as every published election is."""
    election = reviewed_election(slug="gepubliceerd")
    StatementTranslation.objects.create(
        statement=election.statements.get(order=1),
        language="fr",
        title="Mesure",
        text="La commune doit agir.",
        explanation="Contexte neutre.",
    )
    eindredacteur.post(reverse("admin:positions_election_publish", args=[election.pk]))
    page = french(eindredacteur).get(reverse("quiz:statement", args=[election.slug, 1]))
    assert text(page.content, "details.explanation p") == "Contexte neutre."
