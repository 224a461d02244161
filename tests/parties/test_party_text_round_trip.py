"""A party's explanation typed in a browser (lines ending in "\\r\\n") survives the editors'
spreadsheet round trip: re-importing the exported file keeps "door de partij gegeven"."""

import pytest
import tablib
from django.urls import reverse

from parties import answering, reviewing
from parties.answering import Submission
from parties.models import Answer
from positions.models import Stance
from positions.spreadsheets import IMPORT_KWARGS, SafeXLSX, StanceResource
from tests.factories import UserFactory
from tests.parties.conftest import QUOTE_LINE, statements

pytestmark = pytest.mark.django_db


def test_an_accepted_party_explanation_survives_an_xlsx_round_trip(
    party_client, party_round, contact
):
    first, *others = statements(party_round)
    response = party_client.post(
        reverse("parties:statement", args=[first.pk]),
        {
            "position": "agree",
            "explanation": "Regel een.\r\nRegel twee.",
            "document": party_round.party.documents.get().pk,
            "quote": QUOTE_LINE,
        },
    )
    assert response.status_code == 302
    for statement in others:
        answering.save_answer(party_round, statement, contact.user, Submission(position="none"))
    answering.submit_all(party_round, contact.user)
    editor = UserFactory(username="els", role="Redacteur")
    reviewing.accept(Answer.objects.get(statement=first), editor)

    exported = SafeXLSX().export_data(StanceResource().export(queryset=Stance.objects.all()))
    dataset = tablib.Dataset().load(exported, format="xlsx")
    result = StanceResource().import_data(dataset, user=editor, **IMPORT_KWARGS)
    assert result.totals["update"] == 0
    stance = Stance.objects.get(statement=first, party=party_round.party)
    assert (stance.origin, stance.review_status, stance.explanation) == (
        "party",
        "submitted",
        "Regel een.\nRegel twee.",
    )
