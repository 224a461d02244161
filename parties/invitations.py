"""Invitation links: a random token mailed to the contact, of which only the hash is stored;
single use, and valid for `INVITATION_VALID`."""

import hashlib
import secrets

from django.utils import timezone

from .models import INVITATION_VALID, Contact


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(contact: Contact, editor) -> str:
    """Give the contact a fresh link (an older one stops working) and return its token."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    contact.token_hash = token_hash(token)
    contact.invited_at, contact.expires_at = now, now + INVITATION_VALID
    contact.invited_by = editor
    contact.save(update_fields=["token_hash", "invited_at", "expires_at", "invited_by"])
    return token


def contact_for(token: str) -> Contact | None:
    """The contact whose unused, unexpired link this is; None for any other token."""
    if not token or len(token) > 100:
        return None
    contact = (
        Contact.objects.select_related("round__party", "round__election")
        .filter(token_hash=token_hash(token), expires_at__gt=timezone.now())
        .first()
    )
    return contact


def end_account(contact: Contact) -> None:
    """The contact's address changed: the account made for the old address stops working (it is
    deactivated, not deleted, so the answers' history keeps its name), and the contact is as if
    never invited, for a new invitation to the new address."""
    user = contact.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    contact.user, contact.accepted_at, contact.token_hash = None, None, ""
    contact.save(update_fields=["user", "accepted_at", "token_hash"])
