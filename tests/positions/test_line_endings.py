"""Stored text ends its lines in "\\n" whichever way it came in: a browser's textarea sends
"\\r\\n", a spreadsheet gives "\\n". So saving a form unchanged or importing an exported file
changes nothing, and a stance keeps its origin and review."""

import importlib

import pytest
import tablib
from django.apps import apps
from django.urls import reverse

from positions.models import Stance, Statement
from positions.spreadsheets import IMPORT_KWARGS, StanceResource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TWO_LINES = "Regel een.\nRegel twee."


def test_a_stance_typed_with_windows_line_endings_is_stored_with_newlines(stance):
    stance.explanation = "Regel een.\r\nRegel twee."
    stance.full_clean()
    stance.save()
    stance.refresh_from_db()
    assert stance.explanation == TWO_LINES


def test_a_spreadsheet_cell_with_windows_line_endings_imports_with_newlines(stance):
    exported = StanceResource().export(queryset=Stance.objects.filter(pk=stance.pk))
    row = list(exported[0])
    row[exported.headers.index("toelichting")] = "Regel een.\r\nRegel twee."
    dataset = tablib.Dataset(row, headers=exported.headers)
    editor = UserFactory(role="Redacteur")
    result = StanceResource().import_data(dataset, user=editor, **IMPORT_KWARGS)
    assert not result.has_errors() and not result.has_validation_errors()
    stance.refresh_from_db()
    assert stance.explanation == TWO_LINES


def _unchanged_form_as_a_browser_sends_it(response) -> dict:
    """The change form's data, inlines included, with every line ending in "\r\n"."""

    def values(form):
        data = {}
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                lines = str(value).replace("\r\n", "\n")
                data[form.add_prefix(name)] = lines.replace("\n", "\r\n")
        return data

    data = values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(values(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(values(form))
    return data


def test_saving_a_stance_unchanged_in_the_admin_keeps_its_origin_and_review(admin_client, stance):
    Stance.objects.filter(pk=stance.pk).update(
        explanation=TWO_LINES, origin="party", review_status="submitted"
    )
    url = reverse("admin:positions_stance_change", args=[stance.pk])
    data = _unchanged_form_as_a_browser_sends_it(admin_client.get(url))
    assert "\r\n" in data["explanation"]

    assert admin_client.post(url, data).status_code == 302
    stance.refresh_from_db()
    assert (stance.origin, stance.review_status, stance.explanation) == (
        "party",
        "submitted",
        TWO_LINES,
    )


def migrate_line_endings():
    """The data migrations that rewrite text stored before the line endings were made "\n"."""
    for name in (
        "positions.migrations.0015_fixreview2_unix_newlines",
        "parties.migrations.0004_fixreview2_unix_newlines",
    ):
        importlib.import_module(name).forwards(apps, None)


def test_a_stance_stored_with_windows_line_endings_saved_unchanged_keeps_origin_and_review(
    admin_client, stance
):
    Stance.objects.filter(pk=stance.pk).update(
        explanation="Regel een.\r\nRegel twee.", origin="confirmed", review_status="approved"
    )
    migrate_line_endings()
    url = reverse("admin:positions_stance_change", args=[stance.pk])

    data = _unchanged_form_as_a_browser_sends_it(admin_client.get(url))
    assert admin_client.post(url, data).status_code == 302
    stance.refresh_from_db()
    assert (stance.origin, stance.review_status, stance.explanation) == (
        "confirmed",
        "approved",
        TWO_LINES,
    )


def test_a_statement_stored_with_windows_line_endings_saved_unchanged_reopens_nothing(
    admin_client, stance
):
    Statement.objects.filter(pk=stance.statement_id).update(text="Meer\r\nhuurwoningen.")
    Stance.objects.filter(pk=stance.pk).update(origin="confirmed", review_status="approved")
    migrate_line_endings()
    url = reverse("admin:positions_statement_change", args=[stance.statement_id])

    data = _unchanged_form_as_a_browser_sends_it(admin_client.get(url))
    page = admin_client.post(url, data, follow=True).content.decode()

    assert "opnieuw ingediend en gecontroleerd" not in page
    stance.refresh_from_db()
    assert (stance.origin, stance.review_status) == ("confirmed", "approved")
    assert Statement.objects.get(pk=stance.statement_id).text == "Meer\nhuurwoningen."
