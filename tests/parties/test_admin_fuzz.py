"""Bad values posted into every field of the party round's admin forms (the round with its
contacts, added and changed) answer a form error, never a 500, and save nothing.

As in tests/positions/test_admin_fuzz.py, the test client re-raises any exception a view lets
through, so a 500 fails the test with its traceback."""

import pytest
from django.core import mail
from django.urls import reverse

from parties.models import Contact, Round
from tests.factories import party_round
from tests.positions.test_admin import _change_form_data
from tests.positions.test_admin_fuzz import BAD_IDS, BAD_VALUES, _id_fields

pytestmark = pytest.mark.django_db

PAGES = ["round change", "round add"]


def _url(round, page: str) -> str:
    if page == "round add":
        return reverse("admin:parties_round_add")
    return reverse("admin:parties_round_change", args=[round.pk])


@pytest.mark.parametrize("page", PAGES)
def test_bad_values_in_any_field_are_never_a_server_error(admin_client, page):
    """Each bad value in every field at once, then each alone in each field that takes an id."""
    round = party_round()
    url = _url(round, page)
    response = admin_client.get(url)
    data = _change_form_data(response)
    if page == "round add":
        data.update({"election": round.election_id, "party": round.party_id})
    posts = [{name: value for name in data} for value in BAD_VALUES]
    posts += [{**data, name: value} for name in _id_fields(response) for value in BAD_IDS]
    posts += [{**data, name: value} for name in data for value in BAD_VALUES]
    before = list(Round.objects.values_list("pk", "mode", "deadline", "explanation_limit"))
    for post in posts:
        response = admin_client.post(url, post)
        assert response.status_code == 200, post
    assert list(Round.objects.values_list("pk", "mode", "deadline", "explanation_limit")) == before
    assert list(Contact.objects.values_list("email", flat=True)) == ["anna@alfa.example"]
    assert mail.outbox == []


@pytest.mark.parametrize("field", ["contacts-TOTAL_FORMS", "contacts-INITIAL_FORMS"])
@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_management_form_counts_are_a_form_error(admin_client, field, value):
    round = party_round()
    url = reverse("admin:parties_round_change", args=[round.pk])
    data = _change_form_data(admin_client.get(url))
    assert admin_client.post(url, {**data, field: value}).status_code in (200, 302)
    assert list(Contact.objects.values_list("round", "email")) == [(round.pk, "anna@alfa.example")]


@pytest.mark.parametrize(
    ("changelist", "action"),
    [
        ("admin:parties_round_changelist", "invite_again"),
        ("admin:positions_stance_changelist", "approve_stances"),
        ("admin:positions_ballotday_changelist", "unpublish_days"),
    ],
)
@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_forged_selection_for_an_action_is_never_a_server_error(
    admin_client, changelist, action, value
):
    party_round()
    data = {"action": action, "_selected_action": [value], "index": "0"}
    assert admin_client.post(reverse(changelist), data).status_code in (200, 302)
