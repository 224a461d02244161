"""The statistics pages of the admin: per election the tables, their charts and the downloads.

Seeing the aggregate tables takes the permission `stats.view_electionstatistics` (every editorial
role has it). The microdata, one row per completed quiz, takes `stats.view_microdata`: the group
"Beheerder" is granted it by migration, and keeps it under any other name.
"""

import io

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import aggregate, charts, exporters
from .forms import RangeForm
from .models import ElectionStatistics


def can_export_microdata(user) -> bool:
    return user.has_perm("stats.view_microdata")


def _download(response, slug: str, what: str, extension: str):
    response["Content-Disposition"] = f'attachment; filename="{slug}-{what}.{extension}"'
    return response


@admin.register(ElectionStatistics)
class ElectionStatisticsAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "status", "statistics_link"]
    list_display_links = None
    list_filter = ["status"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("statistieken"))
    def statistics_link(self, obj):
        url = reverse("admin:stats_electionstatistics_statistics", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Bekijken"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/statistieken/",
                view(self.statistics_view),
                name="stats_electionstatistics_statistics",
            ),
            path(
                "<int:pk>/statistieken/tabellen.<str:fmt>",
                view(self.export_view),
                name="stats_electionstatistics_export",
            ),
            path(
                "<int:pk>/statistieken/microdata.<str:fmt>",
                view(self.microdata_view),
                name="stats_electionstatistics_microdata",
            ),
            *super().get_urls(),
        ]

    def _lookup(self, request, pk: int):
        """The election, its voter-facing data and the requested date range (or the form's
        errors)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        election = get_object_or_404(ElectionStatistics, pk=pk)
        return election, aggregate.election_data(election), RangeForm(request.GET)

    def statistics_view(self, request, pk: int):
        election, data, form = self._lookup(request, pk)
        report = aggregate.report(data, *form.range()) if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Statistieken: %(election)s") % {"election": election.name},
            "election": election,
            "form": form,
            "report": report,
            "charts": charts.for_report(report) if report else None,
            "answer_colours": charts.ANSWER_COLOURS,
            "buckets": list(range(0, 100, 100 // aggregate.BUCKETS)),
            "formats": list(exporters.WRITERS),
            "microdata_formats": exporters.MICRODATA_FORMATS,
            "can_export_microdata": can_export_microdata(request.user),
            "query": request.GET.urlencode(),
        }
        status = 200 if report else 400
        return TemplateResponse(request, "stats/statistics.html", context, status=status)

    def export_view(self, request, pk: int, fmt: str):
        election, data, form = self._lookup(request, pk)
        if fmt not in exporters.WRITERS:
            raise Http404(f"Unknown format {fmt!r}")
        if not form.is_valid():
            return HttpResponse(form.first_error(), status=400, content_type="text/plain")
        report = aggregate.report(data, *form.range())
        tables = exporters.report_exporters(report)
        buffer = io.BytesIO()
        exporters.WRITERS[fmt](buffer, exporters.report_meta(report), tables)
        content_type, extension = exporters.media_type(fmt, len(tables))
        response = HttpResponse(buffer.getvalue(), content_type=content_type)
        return _download(response, data.slug, "statistieken", extension)

    def microdata_view(self, request, pk: int, fmt: str):
        election, data, form = self._lookup(request, pk)
        if not can_export_microdata(request.user):
            raise PermissionDenied
        if fmt not in exporters.MICRODATA_FORMATS:
            raise Http404(f"Unknown format {fmt!r}")
        if not form.is_valid():
            return HttpResponse(form.first_error(), status=400, content_type="text/plain")
        exporter = exporters.MicrodataExporter(data, *form.range())
        if fmt == "csv":
            chunks = exporters.csv_stream(exporter)
        else:
            meta = exporters.microdata_meta(data, *form.range())
            chunks = exporters.json_stream(meta, [exporter])
        content_type, extension = exporters.media_type(fmt, 1)
        response = StreamingHttpResponse(chunks, content_type=content_type)
        return _download(response, data.slug, "microdata", extension)
