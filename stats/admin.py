"""The statistics pages of the admin: per election the tables of a release, their charts and
the downloads.

Seeing the released tables (with noise, as published) takes the permission
`stats.view_electionstatistics` (every editorial role has it). The exact figures of the same
period and the microdata, one row per completed quiz, take `stats.view_microdata`: the group
"Beheerder" is granted it by migration, and keeps it under any other name. The page reads the
stored day counts (`stats.releases`), never the completions; the microdata download streams them.
"""

import io
import tempfile

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import aggregate, charts, exporters, privacy, releases
from .forms import RangeForm, ReleaseForm
from .models import ElectionStatistics, Release


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
        """The election, its voter-facing data and the release form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        election = get_object_or_404(ElectionStatistics, pk=pk)
        found = Release.objects.filter(election=election).listing()
        form = ReleaseForm(
            request.GET, releases=list(found), exact_allowed=can_export_microdata(request.user)
        )
        return election, aggregate.election_data(election), form

    def _report(self, data, form: ReleaseForm):
        """The tables of the chosen release: as released, or exact; None before any release."""
        release = form.selected()
        if release is None:
            return None, None
        if form.cleaned_data.get("exact"):
            exact = releases.exact_tallies(release)
            report = aggregate.build_report(
                data, exact, date_from=release.first_day, date_to=release.last_day
            )
        else:
            report = releases.release_report(data, releases.noisy_days(release))
        return release, report

    def statistics_view(self, request, pk: int):
        election, data, form = self._lookup(request, pk)
        release, report = self._report(data, form) if form.is_valid() else (None, None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Statistieken: %(election)s") % {"election": election.name},
            "election": election,
            "form": form,
            "release": release,
            "report": report,
            "exact": form.is_valid() and form.cleaned_data.get("exact"),
            "privacy": privacy.budget(len(data.statements), len(data.parties)),
            "threshold": aggregate.THRESHOLD,
            "positions": aggregate.POSITIONS,
            "charts": charts.for_report(report) if report else None,
            "answer_colours": charts.ANSWER_COLOURS,
            "buckets": list(range(0, 100, 100 // aggregate.BUCKETS)),
            "formats": list(exporters.WRITERS),
            "microdata_formats": exporters.MICRODATA_FORMATS,
            "can_export_microdata": can_export_microdata(request.user),
            "query": request.GET.urlencode(),
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "stats/statistics.html", context, status=status)

    def export_view(self, request, pk: int, fmt: str):
        election, data, form = self._lookup(request, pk)
        if fmt not in exporters.WRITERS:
            raise Http404(f"Unknown format {fmt!r}")
        if not form.is_valid():
            return HttpResponse(form.first_error(), status=400, content_type="text/plain")
        release, report = self._report(data, form)
        if report is None:
            raise Http404("No release yet")
        tables = exporters.report_exporters(report)
        meta = releases.release_meta(data, report, release.kind, release.simulated)
        if form.cleaned_data.get("exact"):
            meta = {**exporters.report_meta(report), "exact": True}
        buffer = io.BytesIO()
        exporters.WRITERS[fmt](buffer, meta, tables)
        content_type, extension = exporters.media_type(fmt, len(tables))
        response = HttpResponse(buffer.getvalue(), content_type=content_type)
        return _download(response, data.slug, f"statistieken-{release.key}", extension)

    def microdata_view(self, request, pk: int, fmt: str):
        if not self.has_view_permission(request):
            raise PermissionDenied
        election = get_object_or_404(ElectionStatistics, pk=pk)
        data, form = aggregate.election_data(election), RangeForm(request.GET)
        if not can_export_microdata(request.user):
            raise PermissionDenied
        if fmt not in exporters.MICRODATA_FORMATS:
            raise Http404(f"Unknown format {fmt!r}")
        if not form.is_valid():
            return HttpResponse(form.first_error(), status=400, content_type="text/plain")
        exporter = exporters.MicrodataExporter(data, *form.range())
        meta = exporters.microdata_meta(data, *form.range())
        content_type, extension = exporters.media_type(fmt, 1)
        if fmt == "parquet":
            # A Parquet file ends with its index, so it is written whole before it is sent.
            file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
            exporters.write_parquet(file, meta, [exporter])
            file.seek(0)
            response = FileResponse(file, content_type=content_type)
        elif fmt == "csv":
            response = StreamingHttpResponse(exporters.csv_stream(exporter), content_type)
        else:
            chunks = exporters.json_stream(meta, [exporter])
            response = StreamingHttpResponse(chunks, content_type=content_type)
        return _download(response, data.slug, "microdata", extension)
