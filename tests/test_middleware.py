"""The editors' middleware (messages, the audit trail's request) runs on the admin only.

That the audit trail still names the editor is tested in tests/positions/test_audit.py."""

import pytest
from django.urls import reverse

from positions.models import Theme

pytestmark = pytest.mark.django_db


def test_an_admin_message_reaches_the_editor(admin_client):
    form = {"name": "Klimaat", "translations-TOTAL_FORMS": "0", "translations-INITIAL_FORMS": "0"}
    response = admin_client.post(reverse("admin:positions_theme_add"), form, follow=True)
    assert Theme.objects.filter(name="Klimaat").exists()
    assert 'class="success"' in response.content.decode()
