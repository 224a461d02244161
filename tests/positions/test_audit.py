"""Who changed what, and no silent overwrite when two editors save the same stance."""

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from positions.models import Stance
from tests.factories import UserFactory
from tests.pages import parse, table_rows
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


def value(bound_field):
    """What the browser would post for this field."""
    data = bound_field.value()
    return "" if data is None else data


def change_url(stance):
    return reverse("admin:positions_stance_change", args=[stance.pk])


def form_data(client, stance):
    return _change_form_data(client.get(change_url(stance)))


def history_shown(response) -> list[tuple[str, str]]:
    """(changed by, changes) per row of an admin history page, newest first."""
    header, *rows = table_rows(parse(response.content).select_one("#change-history"))
    assert (header[3], header[5]) == ("Door", "Wijzigingen")
    return [(row[3], row[5]) for row in rows]


def test_an_edit_records_who_and_what_changed(client, stance):
    editor = UserFactory(username="anna", role="Redacteur")
    client.force_login(editor)
    data = form_data(client, stance)
    data["explanation"] = "Nieuwe toelichting."
    client.post(change_url(stance), data)
    latest, before = stance.history.all()[:2]
    assert latest.history_user == editor
    delta = latest.diff_against(before)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "explanation"] == [
        ("explanation", "Omdat het nodig is.", "Nieuwe toelichting.")
    ]


def test_the_admin_shows_the_history_of_a_stance(client, stance):
    client.force_login(UserFactory(username="anna", role="Redacteur"))
    data = form_data(client, stance)
    data["explanation"] = "Nieuwe toelichting."
    assert client.post(change_url(stance), data).status_code == 302
    page = client.get(reverse("admin:positions_stance_history", args=[stance.pk]))
    assert history_shown(page)[0] == (
        "anna",
        "Toelichting van de partij: Omdat het nodig is. → Nieuwe toelichting. "
        "Laatst bewerkt door: – → anna",
    )


def test_the_admin_shows_the_history_of_a_statement(admin_client, stance):
    statement = stance.statement
    statement.title = "Nieuwe titel"
    statement.save()
    page = admin_client.get(reverse("admin:positions_statement_history", args=[statement.pk]))
    assert history_shown(page)[0][1] == "Korte titel: Stelling 1 → Nieuwe titel"


def test_review_transitions_are_recorded_with_the_reviewer(stance):
    reviewer = UserFactory(username="eva", role="Eindredacteur")
    stance.submit(UserFactory(role="Redacteur"))
    stance.send_back(reviewer, "Bron klopt niet.")
    latest = stance.history.first()
    assert (latest.history_user, latest.review_status) == (reviewer, "returned")
    assert latest.history_change_reason == "Bron klopt niet."


def test_the_second_of_two_concurrent_saves_gets_a_conflict(client, stance):
    anna, bob = UserFactory(role="Redacteur"), UserFactory(role="Redacteur")
    client.force_login(anna)
    annas_form = form_data(client, stance)
    client.force_login(bob)
    bobs_form = form_data(client, stance)

    client.force_login(anna)
    annas_form["explanation"] = "Versie van Anna."
    assert client.post(change_url(stance), annas_form).status_code == 302

    client.force_login(bob)
    bobs_form["explanation"] = "Versie van Bob."
    response = client.post(change_url(stance), bobs_form)
    assert response.status_code == 200
    assert "Jouw wijzigingen zijn niet bewaard" in response.content.decode()
    stance.refresh_from_db()
    assert stance.explanation == "Versie van Anna."


def test_saving_after_a_fresh_reload_succeeds(client, stance):
    client.force_login(UserFactory(role="Redacteur"))
    for text in ("Eerste.", "Tweede."):
        data = form_data(client, stance)
        data["explanation"] = text
        assert client.post(change_url(stance), data).status_code == 302
    stance.refresh_from_db()
    assert (stance.explanation, stance.revision) == ("Tweede.", 2)


def test_a_stale_stance_on_the_statement_page_is_a_conflict_too(admin_client, stance):
    url = reverse("admin:positions_statement_change", args=[stance.statement_id])
    response = admin_client.get(url)
    data = {}
    for form in [response.context["adminform"].form]:
        data.update({form.add_prefix(n): value(form[n]) for n in form.fields})
    for formset in [f.formset for f in response.context["inline_admin_formsets"]]:
        mgmt = formset.management_form
        data.update({mgmt.add_prefix(n): mgmt[n].value() for n in mgmt.fields})
        for form in formset.forms:
            data.update({form.add_prefix(n): value(form[n]) for n in form.fields if n != "DELETE"})
    Stance.objects.filter(pk=stance.pk).update(explanation="Intussen gewijzigd.", revision=5)
    index = next(
        i
        for i, f in enumerate(response.context["inline_admin_formsets"][0].formset.forms)
        if f.instance.pk == stance.pk
    )
    data[f"stances-{index}-explanation"] = "Mijn versie."
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Jouw wijzigingen zijn niet bewaard" in response.content.decode()
    stance.refresh_from_db()
    assert stance.explanation == "Intussen gewijzigd."


def history_rows(client, stance) -> list[list[str]]:
    page = client.get(reverse("admin:positions_stance_history", args=[stance.pk]))
    header, *rows = table_rows(parse(page.content).select_one("#change-history"))
    assert header == ["Versie", "Datum en tijd", "Wat", "Door", "Reden", "Wijzigingen"]
    return [[row[2], row[3], row[4], row[5]] for row in rows]


def test_the_history_shows_review_steps_in_dutch(client, stance):
    anna = UserFactory(username="anna", role="Redacteur")
    eva = UserFactory(username="eva", role="Eindredacteur")
    stance.submit(anna)
    stance.send_back(eva, "Bron klopt niet.")
    client.force_login(eva)
    assert history_rows(client, stance) == [
        [
            "gewijzigd",
            "eva",
            "Bron klopt niet.",
            "Controle: ingediend → teruggestuurd "
            "Opmerking eindredactie: – → Bron klopt niet. "
            "Gecontroleerd door: – → eva "
            "Gecontroleerd op: – → "
            + date_format(localtime(stance.history.first().reviewed_at), "j F Y H:i"),
        ],
        ["gewijzigd", "anna", "–", "Controle: concept → ingediend Ingediend door: – → anna"],
        ["aangemaakt", "–", "–", "eerste versie"],
    ]


def test_the_history_shows_positions_as_editors_say_them(client, stance):
    client.force_login(UserFactory(username="anna", role="Redacteur"))
    data = form_data(client, stance)
    data["position"] = "disagree"
    client.post(change_url(stance), data)
    [latest, *_] = history_rows(client, stance)
    assert "Standpunt: eens → oneens" in latest[3]
