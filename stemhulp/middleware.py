from csp.constants import UNSAFE_HASHES, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from .views import method_not_allowed

ADMIN_PREFIX = "/admin/"
# Two relaxations for the editors' admin only, both for templates of django-import-export and
# django-simple-history that we do not own: their `style="..."` attributes, and the one inline
# handler of the export page ("select all"), allowed by its hash and nothing else.
ADMIN_POLICY = {
    "style-src-attr": [UNSAFE_INLINE],
    "script-src-attr": [UNSAFE_HASHES, "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, with `ADMIN_POLICY` added under /admin/. Scripts and `<style>`
    elements there stay as strict as on the voters' pages."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), **ADMIN_POLICY}
        return parts


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
