"""A statement whose text changes after review sends its stances back to review, and the publish
gate holds it until they are reviewed again."""

import pytest
import tablib
from django.urls import reverse

from positions.models import Stance
from positions.publishing import gate_for
from positions.spreadsheets import IMPORT_KWARGS, StatementResource
from tests.factories import UserFactory, reviewed_election
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


def edit_statement(client, statement, **changes):
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    data = _change_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(username="anna", role="Redacteur"))
    return client


def statuses(statement) -> set[str]:
    return set(statement.stances.values_list("review_status", flat=True))


def test_a_changed_statement_text_sends_its_approved_stances_back_to_draft(editor):
    election = reviewed_election()
    statement = election.statements.get(order=1)
    response = edit_statement(editor, statement, text="De gemeente moet maatregel X schrappen.")
    assert response.status_code == 302
    assert statuses(statement) == {"draft"}
    assert statuses(election.statements.get(order=2)) == {"approved"}


def test_the_publish_gate_holds_a_statement_whose_text_changed(editor):
    election = reviewed_election()
    statement = election.statements.get(order=1)
    edit_statement(editor, statement, text="Het tegendeel.")
    gate = gate_for(election)
    assert not gate.open
    assert "1. Stelling 1 – A: concept" in gate.problems


def test_the_history_says_why_a_stance_went_back(editor):
    election = reviewed_election()
    statement = election.statements.get(order=1)
    edit_statement(editor, statement, text="Het tegendeel.")
    latest = Stance.objects.get(statement=statement, party__slug="alfa").history.first()
    assert (latest.history_change_reason, latest.history_user.username) == (
        "Stelling gewijzigd: opnieuw controleren",
        "anna",
    )


def test_a_changed_explanation_keeps_the_stances_approved(editor):
    election = reviewed_election()
    statement = election.statements.get(order=1)
    edit_statement(editor, statement, explanation="Andere achtergrond.")
    assert statuses(statement) == {"approved"}


def test_an_imported_statement_text_change_sends_its_stances_back(db):
    election = reviewed_election(slug="gr2026")
    csv = (
        "verkiezing,nummer,thema,titel,stelling,uitleg\r\n"
        "gr2026,1,Wonen,Stelling 1,Het tegendeel.,Neutrale achtergrond.\r\n"
    )
    result = StatementResource().import_data(
        tablib.Dataset().load(csv, format="csv"), **IMPORT_KWARGS
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert statuses(election.statements.get(order=1)) == {"draft"}
