"""The admin login is throttled by account and by address; a staff session ends on logout, when
a Beheerder ends it, and after the idle timeout, while voters keep a cookie-only session."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staff.models import StaffSession
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "geheim-wachtwoord"


def attempt(username, password, address="10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password, "next": INDEX})
    return client, response


@pytest.fixture
def anna(db):
    return UserFactory(username="anna", role="Redacteur")


def test_the_right_password_is_refused_after_five_wrong_ones_for_the_account(anna):
    for n in range(5):
        attempt("anna", "fout", address=f"10.0.0.{n + 1}")
    _, response = attempt("anna", PASSWORD, address="10.0.1.1")
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()


def test_an_overlong_user_name_is_a_form_error(anna):
    _, response = attempt("a" * 300, "fout")
    assert response.status_code == 200
    assert "niet meer dan 150 tekens" in response.content.decode()


def test_an_address_that_guesses_many_accounts_is_refused(anna):
    for n in range(5):
        attempt(f"iemand{n}", "fout", address="10.9.9.9")
    _, response = attempt("anna", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429


def test_a_few_wrong_passwords_then_the_right_one_log_in(anna):
    for _ in range(3):
        attempt("anna", "fout")
    client, response = attempt("anna", PASSWORD)
    assert response.status_code == 302
    assert client.get(INDEX).status_code == 200


def logged_in(address="10.0.0.1") -> Client:
    client, response = attempt("anna", PASSWORD, address)
    assert response.status_code == 302
    return client


def copy_of(client) -> Client:
    copy = Client()
    copy.cookies = client.cookies.__class__(client.cookies)
    return copy


def test_logging_out_ends_the_session_also_for_a_copied_cookie(anna):
    client = logged_in()
    stolen = copy_of(client)
    assert stolen.get(INDEX).status_code == 200
    client.post(reverse("admin:logout"))
    assert stolen.get(INDEX).status_code == 302
    assert not StaffSession.objects.exists()


def test_a_beheerder_ends_someone_s_session(anna):
    client = logged_in()
    StaffSession.objects.filter(user=anna).delete()
    assert client.get(INDEX).status_code == 302


def test_an_idle_session_is_logged_out(anna, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client = logged_in()
    StaffSession.objects.update(last_seen=timezone.now() - datetime.timedelta(minutes=31))
    assert client.get(INDEX).status_code == 302


def test_an_active_session_stays_open(anna, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client = logged_in()
    StaffSession.objects.update(last_seen=timezone.now() - datetime.timedelta(minutes=29))
    assert client.get(INDEX).status_code == 200
    assert StaffSession.objects.get().last_seen > timezone.now() - datetime.timedelta(minutes=1)


def test_a_voter_s_session_is_never_looked_up(client, election, django_assert_num_queries):
    client.post(reverse("quiz:statement", args=[election.slug, 1]), {"answer": "agree"})
    with django_assert_num_queries(0):
        client.get(reverse("quiz:statement", args=[election.slug, 2]))
    assert not StaffSession.objects.exists()


def test_a_beheerder_may_end_sessions_and_clear_lock_outs(client):
    beheerder = UserFactory(role="Beheerder")
    assert beheerder.has_perm("staff.delete_staffsession")
    assert beheerder.has_perm("axes.delete_accessattempt")
    assert not UserFactory(role="Eindredacteur").has_perm("staff.delete_staffsession")
