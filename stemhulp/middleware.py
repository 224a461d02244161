from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from .views import method_not_allowed


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
