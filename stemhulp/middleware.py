"""Middleware of the project's own."""

from django.contrib.messages.middleware import MessageMiddleware
from simple_history.middleware import HistoryRequestMiddleware

# Pages where editors work: only these keep messages and the audit trail's request context.
EDITOR_PATHS = ("/admin/",)


class EditorsMessageMiddleware(MessageMiddleware):
    """Django's messages, for the editors' pages only.

    Voters never get a message; skipping the message storage saves its signed cookie's work on
    every voter request."""

    def __call__(self, request):
        if not request.path_info.startswith(EDITOR_PATHS):
            return self.get_response(request)
        return super().__call__(request)


def EditorsHistoryMiddleware(get_response):  # noqa: N802 (a middleware factory, named as a class)
    """The audit trail's request context (who made a change), for the editors' pages only."""
    with_history = HistoryRequestMiddleware(get_response)

    def middleware(request):
        if request.path_info.startswith(EDITOR_PATHS):
            return with_history(request)
        return get_response(request)

    return middleware
