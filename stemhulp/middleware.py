from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from .views import method_not_allowed

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, with one relaxation on the editors' admin only: style attributes.

    Templates of django-import-export and django-simple-history carry `style="..."`; scripts and
    `<style>` elements stay as strict as on the voters' pages."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), "style-src-attr": [UNSAFE_INLINE]}
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
