"""The public statistics of a published election: the aggregate tables as JSON, suppressed and
cacheable. The microdata is never public (see `stats.admin`)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_page
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from positions import catalog

from . import aggregate, exporters
from .forms import RangeForm

PUBLIC_CACHE_SECONDS = 5 * 60


@csrf_exempt
@require_safe
@cache_page(PUBLIC_CACHE_SECONDS)
def election_stats(request: HttpRequest, slug: str) -> HttpResponse:
    data = catalog.published_election(slug)
    if data is None:
        return JsonResponse({"error": f"election: no published election '{slug}'"}, status=404)
    form = RangeForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.first_error()}, status=400)
    report = aggregate.report(data, *form.range())
    body = b"".join(
        exporters.json_stream(exporters.report_meta(report), exporters.report_exporters(report))
    )
    return HttpResponse(body, content_type="application/json")
