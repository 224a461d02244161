"""Revocable staff sessions with an idle timeout, on top of signed-cookie sessions.

Login stores a token in the (signed) session and a `StaffSession` row; every request of a
logged-in account checks the row: gone (logged out, ended by a Beheerder) or idle longer than
`STAFF_IDLE_MINUTES`, and the session is logged out. A voter's request has no logged-in user, so
it never reaches the database here.

Login and logout are Django's own views; they announce themselves only through the
`user_logged_in` and `user_logged_out` signals, so that is where the row is made and removed.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.utils import timezone

from .models import StaffSession

TOKEN_KEY = "_staff_token"
# last_seen is written at most this often, not on every request.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def idle_timeout() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.STAFF_IDLE_MINUTES)


def _started(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    token = secrets.token_urlsafe(32)
    StaffSession.objects.create(
        token=token, user=user, last_seen=timezone.now(), address=request.META.get("REMOTE_ADDR")
    )
    request.session[TOKEN_KEY] = token


def _ended(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        StaffSession.objects.filter(token=request.session.get(TOKEN_KEY, "")).delete()


def connect() -> None:
    user_logged_in.connect(_started, dispatch_uid="staff_session_started")
    user_logged_out.connect(_ended, dispatch_uid="staff_session_ended")


def still_valid(request) -> bool:
    """Whether the logged-in session of this request may go on; touches it when it may."""
    token = request.session.get(TOKEN_KEY)
    now = timezone.now()
    row = StaffSession.objects.filter(token=token or "").only("last_seen", "user_id").first()
    if row is None or row.user_id != _user_id(request) or now - row.last_seen > idle_timeout():
        return False
    if now - row.last_seen > TOUCH_EVERY:
        StaffSession.objects.filter(pk=row.pk).update(last_seen=now)
    return True


def _user_id(request) -> int | None:
    try:
        return int(request.session[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


def StaffSessionMiddleware(get_response):  # noqa: N802 (a middleware factory, named as a class)
    """Logs out a session whose staff row is gone or idle; below AuthenticationMiddleware."""

    def middleware(request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            session = request.session
            accessed = session.accessed
            if SESSION_KEY not in session:
                # Looking was not using: a voter's page that never reads its session must not
                # start to vary on the cookie because of this check.
                session.accessed = accessed
            elif not still_valid(request):
                logout(request)
        return get_response(request)

    return middleware
