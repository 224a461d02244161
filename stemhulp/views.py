"""Error answers: `{"error": "<topic>: <why>"}` under /api/, the voters' HTML pages elsewhere."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.http import require_safe

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, or 413 for a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (raised when it is read)."""
    if isinstance(exception, RequestDataTooBig):
        status = 413
        message = f"body: larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes"
    else:
        status, message = 400, "request: cannot be read"
    if is_api(request):
        return api_error(message, status)
    return render(request, "400.html", status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(f"path: no API endpoint at {request.path}", 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error("server: an internal error, try again later", 500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A voter whose page was open too long, or whose browser blocks cookies, gets a page in
    their language that says what to do; rendering it sets a fresh CSRF cookie, so a reload
    is enough; htmx, which shows no error response, is told to reload the page. The reason is
    in the log (django.security.csrf)."""
    if is_api(request):
        return api_error(f"csrf: {reason}", 403)
    response = render(request, "403_csrf.html", status=403)
    if request.headers.get("HX-Request") == "true":
        response["HX-Refresh"] = "true"
    return response


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    if is_api(request):
        message = f"method: {request.method} is not allowed here, only {allowed}"
        response = api_error(message, 405)
    else:
        response = render(request, "405.html", status=405)
    response["Allow"] = allowed
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""
    return HttpResponseRedirect(static("favicon.svg"))
