"""Bad values posted to every form of the party's pages: a form error or a 4xx, never a 500.

The test client re-raises any exception a view lets through, so a 500 fails with its traceback."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parties.invitations import new_token
from tests.factories import ContactFactory, UserFactory
from tests.parties.conftest import statements

pytestmark = pytest.mark.django_db

BAD_VALUES = ["abc", "-1", "0", "9223372036854775808", "", "\x00", "x" * 100_000, "ja\x00"]
FORMS = {
    "statement": ["agrees", "position", "explanation", "document", "quote"],
    "reply": ["text"],
    "programmes": ["title", "upload"],
    "submit": ["confirm"],
}


def _urls(round_):
    statement = statements(round_)[0]
    return {
        "statement": reverse("parties:statement", args=[statement.pk]),
        "reply": reverse("parties:reply", args=[statement.pk]),
        "programmes": reverse("parties:programmes"),
        "submit": reverse("parties:submit"),
    }


@pytest.mark.parametrize("mode", ["answer", "check"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_bad_values_in_any_field_are_never_a_server_error(party_client, party_round, form, mode):
    party_round.mode = mode
    party_round.save()
    url = _urls(party_round)[form]
    for value in BAD_VALUES:
        everywhere = party_client.post(url, dict.fromkeys(FORMS[form], value))
        assert everywhere.status_code < 500, (form, value)
        for field in FORMS[form]:
            response = party_client.post(url, {field: value})
            assert response.status_code < 500, (form, field, value)


@pytest.mark.parametrize(
    "query",
    [
        {"woorden": "x" * 5000},
        {"woorden": "\x00"},
        {"woorden": "& | ! ( ) :* <->"},
        {"gebruik": "abc"},
        {"gebruik": "9223372036854775808"},
        {"gebruik": "-1"},
        {"gebruik": "1", "position": "abc", "agrees": "\x00", "explanation": "x" * 10_000},
    ],
)
def test_bad_search_values_are_never_a_server_error(party_client, party_round, query):
    url = _urls(party_round)["statement"]
    assert party_client.get(url, query).status_code < 500
    assert party_client.get(url, query, headers={"HX-Request": "true"}).status_code < 500


@pytest.mark.parametrize("statement_id", ["0", "9223372036854775808", "99999999999999999999999"])
def test_bad_statement_ids_are_a_404(party_client, party_round, statement_id):
    assert party_client.get(f"/partij/stelling/{statement_id}/").status_code == 404
    assert party_client.post(f"/partij/stelling/{statement_id}/reactie/").status_code == 404


def test_a_programme_that_is_not_what_it_says_is_a_form_error(party_client, party_round):
    for name, data in [
        ("plan.pdf", b"not a pdf"),
        ("plan.txt", b"\xff\xfe\x00"),
        ("leeg.txt", b""),
    ]:
        upload = SimpleUploadedFile(name, data)
        response = party_client.post(
            reverse("parties:programmes"), {"title": "Plan", "upload": upload}
        )
        assert response.status_code == 400, name


@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_values_in_the_login_and_invitation_forms(client, party_round, value):
    contact = ContactFactory(round=party_round, user=None, accepted_at=None)
    token = new_token(contact, UserFactory())
    fields = {"new_password1": value, "new_password2": value, "username": value, "password": value}
    for url in (reverse("parties:invitation", args=[token]), reverse("parties:login")):
        assert client.post(url, fields).status_code < 500
