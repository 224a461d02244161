"""The editors' admin speaks Dutch throughout, with the right article."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, reviewed_election
from tests.pages import text, texts
from tests.positions.test_admin import _change_form_data
from tests.positions.test_spreadsheets import upload

pytestmark = pytest.mark.django_db


def test_a_saved_stance_is_reported_without_a_wrong_article(admin_client):
    election = reviewed_election()
    stance = election.statements.get(order=1).stances.get(party__slug="bravo")
    url = reverse("admin:positions_stance_change", args=[stance.pk])
    response = admin_client.post(url, _change_form_data(admin_client.get(url)), follow=True)
    assert texts(response.content, ".messagelist li") == [
        "Gewijzigd: standpunt ‘B – 1. Stelling 1’."
    ]


def test_the_party_chooser_speaks_dutch(admin_client):
    catalog = admin_client.get(reverse("admin:jsi18n")).content.decode()
    assert '"Choose all %s": "Alle %s kiezen"' in catalog
    assert '"Remove all %s": "Alle %s verwijderen"' in catalog


def test_the_export_page_names_the_columns_as_in_the_file(admin_client):
    reviewed_election()
    page = admin_client.get(reverse("admin:positions_stance_export")).content
    labels = texts(page, "form label")
    assert "Verkiezing" in labels and "Citaat" in labels
    assert "Election (verkiezing)" not in labels
    assert "Deze kolommen komen in het bestand:" in page.decode()


def test_a_finished_import_is_reported_in_dutch(admin_client):
    reviewed_election(slug="gr2026")
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,1,bravo,neutraal\r\n"
    confirm = upload(admin_client, csv).context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    response = admin_client.post(
        reverse("admin:positions_stance_process_import"), data, follow=True
    )
    assert texts(response.content, ".messagelist li") == [
        "Import klaar: 0 nieuw, 1 gewijzigd, 0 ongewijzigd (standpunten)."
    ]


def test_a_forbidden_admin_page_answers_in_dutch(client):
    client.force_login(UserFactory(role="Redacteur"))
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    assert text(response.content, "h1") == "Geen toegang"
