"""Middleware of the project's own."""

import functools

from csp.constants import HEADER, UNSAFE_HASHES, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers
from simple_history.middleware import HistoryRequestMiddleware

from .views import method_not_allowed

# Pages where people with an account work, editors and party contacts: only these keep messages
# and the audit trail's request context.
EDITOR_PATHS = ("/admin/", "/partij/")


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

    async_capable = False

    def __call__(self, request):
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


ADMIN_PREFIX = "/admin/"
# Two relaxations for the editors' admin only, both for templates of django-import-export and
# django-simple-history that we do not own: their `style="..."` attributes, and the one inline
# handler of the export page ("select all"), allowed by its hash and nothing else.
ADMIN_POLICY = {
    "style-src-attr": [UNSAFE_INLINE],
    "script-src-attr": [UNSAFE_HASHES, "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, with `ADMIN_POLICY` added under /admin/, and its header built once.

    django-csp builds the header anew for every response, about 0.1 ms: a third of a bare Django
    request. Here the usual case takes a cached header; anything else (a per-view decorator, a
    nonce, a report-only policy, excluded prefixes) takes django-csp's own path."""

    def process_response(self, request, response):
        header = _policy(request.path_info.startswith(ADMIN_PREFIX))
        if header is None or hasattr(request, "_csp_nonce") or vars(response).keys() & _OWN:
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # Django's debug pages run inline code
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[HEADER] = header
        return response

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), **ADMIN_POLICY}
        return parts


# What django-csp's decorators set on a response.
_OWN = {f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro")}


@functools.cache
def _policy(admin: bool) -> str | None:
    """The header for every response, or None when a setting asks for django-csp's own path."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or policy.get(
        "EXCLUDE_URL_PREFIXES"
    ):
        return None
    return build_policy(update=ADMIN_POLICY if admin else None)


@receiver(setting_changed)
def _forget_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


class MethodNotAllowedMiddleware:
    """Give the empty 405 of `require_safe` / `require_POST` a body: JSON under /api/, a page
    for voters. Last in MIDDLEWARE, so the others add their headers to the new response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            return method_not_allowed(request, response["Allow"])
        return response
