"""Middleware of the project's own."""

from django.contrib.messages.middleware import MessageMiddleware
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers
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


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, for a site without language prefixes in its URLs.

    The language comes from the language cookie or the browser's preference; Django's version
    also looks for a language in the path, twice per request, which this site never has."""

    def process_request(self, request):
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
