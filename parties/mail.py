"""The party round's mails, in Dutch plain text (templates/parties/mail/): the invitation with its
single-use link, and the reminder before the deadline. Links are absolute, from `SITE_URL`."""

from django.conf import settings
from django.core.mail import BadHeaderError, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from .models import Contact

# What sending a mail may raise besides a bug: the mail server's refusal or absence (OSError,
# smtplib's errors included), or a header Django refuses (BadHeaderError: a line break).
MAIL_ERRORS = (OSError, BadHeaderError)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def when(moment) -> str:
    """A moment as a Dutch reader expects it: "maandag 7 december 2026 om 17:00"."""
    moment = localtime(moment)
    return f"{date_format(moment, 'l j F Y')} om {date_format(moment, 'H:i')}"


def _send(contact: Contact, template: str, subject: str, **context) -> None:
    round = contact.round
    with translation.override("nl"):
        context = {
            "contact": contact,
            "party": round.party,
            "election": round.election,
            "mode": round.mode,
            "deadline": when(round.deadline),
            "explanation_limit": round.explanation_limit,
            **context,
        }
        body = render_to_string(f"parties/mail/{template}.txt", context)
    # A line break in a party's or election's name would make the header invalid.
    send_mail(" ".join(subject.split()), body, None, [contact.email])


def send_invitation(contact: Contact, token: str) -> None:
    """Mail the contact the link made by `invitations.new_token`; the mail is its only copy."""
    round = contact.round
    _send(
        contact,
        "invitation",
        f"Uitnodiging: de standpunten van {round.party.name} voor {round.election}",
        link=absolute(reverse("parties:invitation", args=[token])),
        valid_until=when(contact.expires_at),
    )


def send_reminder(contact: Contact, answered: int, total: int, contested: int = 0) -> None:
    """Remind the contact of the deadline, with how far the party is and how many answers the
    editors contested."""
    round = contact.round
    _send(
        contact,
        "reminder",
        f"Herinnering: de standpunten van {round.party.name} voor {round.election}",
        link=absolute(reverse("parties:home")),
        answered=answered,
        total=total,
        contested=contested,
        valid_until=when(contact.expires_at) if contact.expires_at else "",
    )
