"""The public statistics of a published election: its releases, served as they were made (see
`stats.releases`). A request selects one existing release by its key and never counts anything;
any other query parameter is ignored. The microdata is never public (see `stats.admin`)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from positions import catalog

from . import releases
from .models import Release

LATEST_CACHE_SECONDS = 5 * 60
RELEASE_CACHE_SECONDS = 24 * 60 * 60


def _not_found(error: str) -> JsonResponse:
    return JsonResponse({"error": error}, status=404)


@csrf_exempt
@require_safe
def election_stats(request: HttpRequest, slug: str) -> HttpResponse:
    """`?release=day-YYYY-MM-DD` or `to-YYYY-MM-DD`; without it, every day so far."""
    if catalog.published_election(slug) is None:
        return _not_found(f"election: no published election '{slug}'")
    key = request.GET.get("release", "")
    found = Release.objects.of(slug)
    if key:
        if (parsed := releases.parse_key(key)) is None:
            return _not_found(f"release: no release '{key}' (see the list of releases)")
        found = found.filter(kind=parsed[0], last_day=parsed[1])
    else:
        found = found.filter(kind=Release.Kind.TO_DATE).order_by("-last_day")
    body = found.values_list("body", flat=True).first()
    if body is None:
        return _not_found(f"release: no release '{key or 'latest'}' of '{slug}' yet")
    response = HttpResponse(body, content_type="application/json")
    seconds = RELEASE_CACHE_SECONDS if key else LATEST_CACHE_SECONDS
    patch_cache_control(response, public=True, max_age=seconds)
    return response


@csrf_exempt
@require_safe
def election_releases(request: HttpRequest, slug: str) -> HttpResponse:
    """The releases of a published election, newest first."""
    if catalog.published_election(slug) is None:
        return _not_found(f"election: no published election '{slug}'")
    rows = Release.objects.of(slug).order_by("-last_day", "kind")
    listing = [
        {"release": f"{kind}-{last:%Y-%m-%d}", "kind": kind, "first_day": first, "last_day": last}
        for kind, first, last in rows.values_list("kind", "first_day", "last_day")
    ]
    response = JsonResponse({"election": slug, "releases": listing})
    patch_cache_control(response, public=True, max_age=LATEST_CACHE_SECONDS)
    return response
