"""The editors' middleware (messages, the audit trail's request) runs on the admin only.

That the audit trail still names the editor is tested in tests/positions/test_audit.py."""

import pytest
from django.conf import settings
from django.urls import reverse

from positions.models import Theme

pytestmark = pytest.mark.django_db


def test_an_admin_message_reaches_the_editor(admin_client):
    form = {"name": "Klimaat", "translations-TOTAL_FORMS": "0", "translations-INITIAL_FORMS": "0"}
    response = admin_client.post(reverse("admin:positions_theme_add"), form, follow=True)
    assert Theme.objects.filter(name="Klimaat").exists()
    assert 'class="success"' in response.content.decode()


def test_the_browser_language_picks_the_interface_language(client, election):
    response = client.get("/", headers={"Accept-Language": "fr-BE,fr;q=0.9,nl;q=0.5"})
    assert '<html lang="fr">' in response.content.decode()
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]


def test_the_language_cookie_wins_over_the_browser(client, election):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in response.content.decode()


def test_without_a_preference_the_interface_is_dutch(client, election):
    response = client.get("/")
    assert '<html lang="nl">' in response.content.decode()
    assert response["Content-Language"] == "nl"
