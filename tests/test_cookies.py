"""Every cookie Stemhulp sets carries its flags, checked with the settings of production mode."""

import json

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage import default_storage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.test_settings import manage

pytestmark = pytest.mark.django_db

COOKIE_SETTINGS = [
    f"{cookie}_COOKIE_{flag}"
    for cookie in ("SESSION", "CSRF", "LANGUAGE")
    for flag in ("SECURE", "HTTPONLY", "SAMESITE")
]


@pytest.fixture(scope="module")
def production_cookie_settings() -> dict:
    """The cookie settings as `DEBUG=false` computes them, read in a process of its own."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {COOKIE_SETTINGS!r}}}))"
    )
    result = manage(
        "shell",
        "-c",
        code,
        DEBUG="false",
        SECRET_KEY="production-secret-" + "x" * 40,
        ALLOWED_HOSTS="stemhulp.example",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture
def production(settings, production_cookie_settings):
    for name, value in production_cookie_settings.items():
        setattr(settings, name, value)


def flags(morsel) -> tuple:
    return bool(morsel["secure"]), bool(morsel["httponly"]), morsel["samesite"]


def test_the_session_cookie_is_secure_httponly_and_lax(client, election, production, settings):
    response = client.post(reverse("quiz:statement", args=["test", 1]), {"answer": "agree"})
    assert flags(response.cookies[settings.SESSION_COOKIE_NAME]) == (True, True, "Lax")


def test_the_csrf_cookie_is_secure_httponly_and_lax(client, election, production, settings):
    response = client.get(reverse("quiz:statement", args=["test", 1]))
    assert flags(response.cookies[settings.CSRF_COOKIE_NAME]) == (True, True, "Lax")


def test_the_language_cookie_is_secure_httponly_and_lax(client, db, production, settings):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert flags(response.cookies[settings.LANGUAGE_COOKIE_NAME]) == (True, True, "Lax")


def test_the_messages_cookie_is_secure_httponly_and_lax(production):
    request = RequestFactory().get("/admin/")
    storage = default_storage(request)
    storage.add(constants.SUCCESS, "Gepubliceerd.")
    response = HttpResponse()
    storage.update(response)
    assert flags(response.cookies[storage.cookie_name]) == (True, True, "Lax")
