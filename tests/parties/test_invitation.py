"""Accepting an invitation, logging in and out as a party contact."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from parties.invitations import new_token
from parties.models import Contact
from tests.factories import ContactFactory, UserFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture
def invited(party_round):
    contact = ContactFactory(
        round=party_round, email="Bert@Alfa.example", user=None, accepted_at=None
    )
    return contact, new_token(contact, UserFactory())


def _url(token):
    return reverse("parties:invitation", args=[token])


def _accept(client, token, password=PASSWORD):
    return client.post(_url(token), {"new_password1": password, "new_password2": password})


def test_the_invitation_shows_party_election_and_user_name(client, invited):
    text = client.get(_url(invited[1])).content.decode()
    assert "<strong>Alfa</strong>" in text and "<strong>Testronde</strong>" in text
    assert "bert@alfa.example" in text


def test_the_invitation_page_is_never_stored(client, invited):
    assert "no-store" in client.get(_url(invited[1]))["Cache-Control"]


def test_accepting_makes_a_non_staff_account_and_logs_in(client, invited):
    contact, token = invited
    response = _accept(client, token)
    assert response.status_code == 302 and response.url == reverse("parties:home")
    contact.refresh_from_db()
    assert contact.user.username == "bert@alfa.example" and not contact.user.is_staff
    assert contact.accepted_at is not None and contact.token_hash == ""
    assert "Alfa: Testronde" in client.get(reverse("parties:home")).content.decode()


def test_a_taken_user_name_gets_the_rounds_id(client, invited):
    contact, token = invited
    User.objects.create(username="bert@alfa.example")
    _accept(client, token)
    contact.refresh_from_db()
    assert contact.user.username == f"bert@alfa.example-{contact.round_id}"


def test_a_weak_password_is_refused(client, invited):
    response = _accept(client, invited[1], password="12345678")
    assert response.status_code == 400
    assert not User.objects.filter(username="bert@alfa.example").exists()


def test_the_link_works_once(client, invited):
    _accept(client, invited[1])
    client.logout()
    response = client.get(_url(invited[1]))
    assert response.status_code == 404
    assert "al gebruikt" in response.content.decode()


def test_an_expired_link_says_so(client, invited):
    contact, token = invited
    Contact.objects.filter(pk=contact.pk).update(
        expires_at=contact.invited_at - datetime.timedelta(seconds=1)
    )
    response = client.get(_url(token))
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()


@pytest.mark.parametrize("token", ["onbekend", "x" * 500, "%00"])
def test_an_unknown_link_is_a_404(client, party_round, token):
    response = client.get(_url(token))
    assert response.status_code == 404
    assert _accept(client, token).status_code == 404


def test_a_contact_logs_in_and_out(client, contact):
    contact.user.set_password(PASSWORD)
    contact.user.save()
    response = client.post(
        reverse("parties:login"), {"username": contact.user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("parties:home")
    response = client.post(reverse("parties:logout"))
    assert response.url == reverse("parties:login")
    assert client.get(reverse("parties:home")).status_code == 302


def test_an_editors_right_password_gets_the_answer_of_a_wrong_one(client, db):
    editor = UserFactory(password=PASSWORD)
    url = reverse("parties:login")
    right = client.post(url, {"username": editor.username, "password": PASSWORD})
    wrong = client.post(url, {"username": editor.username, "password": "fout"})
    assert right.status_code == wrong.status_code == 200
    assert text(right.content, "p.error") == text(wrong.content, "p.error")
    assert "_auth_user_id" not in client.session


def test_an_editors_account_tried_here_counts_towards_the_throttle(client, db):
    editor = UserFactory(password=PASSWORD)
    url = reverse("parties:login")
    for _ in range(5):
        client.post(url, {"username": editor.username, "password": PASSWORD})
    assert client.post(url, {"username": editor.username, "password": PASSWORD}).status_code == 429


def test_logging_in_is_throttled(client, contact):
    contact.user.set_password(PASSWORD)
    contact.user.save()
    url = reverse("parties:login")
    for _ in range(5):
        client.post(url, {"username": contact.user.username, "password": "fout"})
    response = client.post(url, {"username": contact.user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(party_client):
    assert party_client.get(reverse("parties:logout")).status_code == 405


def test_a_new_link_for_an_existing_account_sets_its_password(client, contact):
    token = new_token(contact, UserFactory())
    assert contact.user.username in client.get(_url(token)).content.decode()
    _accept(client, token)
    contact.user.refresh_from_db()
    assert contact.user.check_password(PASSWORD)
    assert User.objects.filter(party_contact__isnull=False).count() == 1
