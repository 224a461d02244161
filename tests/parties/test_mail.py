"""The party round's mails and the mail settings."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from parties import invitations
from parties.mail import send_invitation, send_reminder, when
from parties.models import Contact
from positions.models import Party
from tests.factories import party_round
from tests.test_settings import manage

pytestmark = pytest.mark.django_db


def closing(round, when: datetime.datetime):
    round.deadline = when
    round.save()
    return round


def test_the_invitation_says_who_what_until_when_and_has_the_link(settings):
    settings.SITE_URL = "https://stemhulp.example"
    round = closing(party_round(), datetime.datetime(2026, 12, 7, 16, 0, tzinfo=datetime.UTC))
    contact = round.contacts.get()
    token = invitations.new_token(contact, None)
    send_invitation(contact, token)
    [message] = mail.outbox
    assert message.to == ["anna@alfa.example"]
    assert message.subject == f"Uitnodiging: de standpunten van Alfa voor {round.election}"
    body = message.body
    assert body.startswith("Beste Anna,\n")
    assert f"namens Alfa mee te werken aan de stemhulp voor {round.election}." in body
    assert "hoogstens 500 tekens" in body
    assert "Uiterste datum: maandag 7 december 2026 om 17:00." in body
    assert f"\nhttps://stemhulp.example/partij/uitnodiging/{token}/\n" in body
    assert f"De link werkt één keer en is geldig tot {when(contact.expires_at)}." in body
    assert "&" not in body and "&#x27;" not in body


def test_a_line_break_in_the_partys_name_is_a_space_in_the_subject():
    round = party_round()
    Party.objects.filter(pk=round.party_id).update(name="Alfa\nBcc: x@elders.example")
    contact = Contact.objects.select_related("round__party", "round__election").get(round=round)
    send_invitation(contact, invitations.new_token(contact, None))
    [message] = mail.outbox
    assert message.subject == (
        f"Uitnodiging: de standpunten van Alfa Bcc: x@elders.example voor {round.election}"
    )
    assert message.recipients() == ["anna@alfa.example"]


def test_the_invitation_in_check_mode_explains_checking():
    round = party_round(mode="check")
    contact = round.contacts.get()
    send_invitation(contact, invitations.new_token(contact, None))
    body = mail.outbox[0].body
    assert "hoe de redactie het standpunt van je partij heeft gecodeerd" in body
    assert "tekens" not in body


def test_the_reminder_gives_progress_and_the_link_to_the_partys_page(settings, django_user_model):
    settings.SITE_URL = "https://stemhulp.example"
    round = party_round()
    contact = round.contacts.get()
    contact.user = django_user_model.objects.create_user("anna-alfa", is_staff=False)
    send_reminder(contact, answered=1, total=2)
    [message] = mail.outbox
    assert message.subject == f"Herinnering: de standpunten van Alfa voor {round.election}"
    assert "Tot nu toe is 1 stelling van de 2 beantwoord." in message.body
    assert "\nhttps://stemhulp.example/partij/\n" in message.body


def test_a_reminder_to_a_contact_who_never_accepted_points_to_the_invitation():
    round = party_round()
    contact = round.contacts.get()
    invitations.new_token(contact, None)
    send_reminder(contact, answered=0, total=2)
    body = mail.outbox[0].body
    assert "Tot nu toe zijn 0 stellingen van de 2 beantwoord." in body
    assert "Je hebt je uitnodiging nog niet aanvaard." in body
    assert "/partij/" not in body


def test_the_link_is_valid_for_a_week():
    contact = party_round().contacts.get()
    invitations.new_token(contact, None)
    assert contact.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)


# Settings, read from the environment (in a subprocess, as Django reads them once).

SHOW = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.SITE_URL)"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-variety-0123456789",
    "ALLOWED_HOSTS": "stemhulp.example",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


def settings_line(**env) -> str:
    result = manage("shell", "-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


def test_development_writes_mails_to_the_console():
    assert settings_line() == (
        "django.core.mail.backends.console.EmailBackend http://localhost:8000"
    )


def test_an_email_host_sends_over_smtp_with_tls_by_default():
    show = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_HOST_PASSWORD)"
    )
    result = manage("shell", "-c", show, EMAIL_HOST="smtp.example", EMAIL_HOST_PASSWORD="geheim")
    assert result.stdout.splitlines()[-1] == "587 True False geheim"
    assert settings_line(EMAIL_HOST="smtp.example").startswith(
        "django.core.mail.backends.smtp.EmailBackend "
    )


def test_production_links_go_to_the_first_allowed_host_unless_site_url_is_set():
    assert settings_line(**PRODUCTION).endswith(" https://stemhulp.example")
    line = settings_line(**PRODUCTION, SITE_URL="https://www.stemhulp.example/")
    assert line.endswith(" https://www.stemhulp.example")


@pytest.mark.parametrize(
    ("env", "error"),
    [
        (
            {"EMAIL_HOST": "smtp.example", "EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"},
            "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true",
        ),
        ({"EMAIL_HOST": "smtp.example", "EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
        ({"SITE_URL": "stemhulp.example"}, "SITE_URL must start with http:// or https://"),
    ],
)
def test_a_malformed_mail_setting_fails_loudly(env, error):
    result = manage("check", **env)
    assert result.returncode != 0
    assert error in result.stderr


def test_production_with_smtp_passes_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        EMAIL_HOST="smtp.example",
        EMAIL_HOST_USER="stemhulp",
        EMAIL_HOST_PASSWORD="geheim",
        DEFAULT_FROM_EMAIL="Stemhulp <redactie@stemhulp.example>",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
