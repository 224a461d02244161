"""The editorial workflow in the admin: review transitions, the publish matrix, corrections of a
published election, and optimistic locking of statement and stance forms.

The admin classes in `admin.py` mix these in; the rules themselves live in `workflow.py` and
`publishing.py`, so the admin, the import and the tests all enforce the same thing on the server.
"""

import os
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm

from . import publishing, workflow
from .models import Election, Stance, Statement, unix_newlines
from .publishing import election_of, elections_of
from .spreadsheets import FORMATS, IMPORT_KWARGS

REVISION_FIELD = "loaded_revision"
# The name django-import-export gives an uploaded file while the import awaits confirmation.
UPLOAD_NAME = re.compile(r"tmp\w{6,}")
CORRECTION_FIELD = "correction_note"
_OWN_FIELDS = {REVISION_FIELD, CORRECTION_FIELD}


def is_published(obj) -> bool:
    election = election_of(obj) if obj is not None else None
    return bool(election and election.pk and election.is_published)


def changed_content(form) -> list[str]:
    return [name for name in form.changed_data if name not in _OWN_FIELDS]


class _EditorialFormMixin:
    """Refuses to overwrite a row someone else saved since this form was loaded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[REVISION_FIELD].initial = self.instance.revision
        if self.is_bound:
            # A textarea sent back unchanged is no change: stored text ends its lines in "\n".
            self.data = _unix_newlines(self.data)

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get(REVISION_FIELD)
        if self.instance.pk and changed_content(self):
            # Inside the admin's transaction: the row stays locked until this save commits.
            model = type(self.instance)
            current = (
                model.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("revision", flat=True)
                .first()
            )
            if current != loaded:
                raise ValidationError(self._conflict_message(), code="conflict")
            # A stance's save counts its new revision itself (`Stance.record_edit`).
            stance = isinstance(self.instance, Stance)
            self.instance.revision = current if stance else current + 1
        return cleaned

    def _conflict_message(self) -> str:
        history = getattr(self.instance, "history", None)
        latest = history.select_related("history_user").first() if history else None
        who = ""
        if latest is not None:
            name = latest.history_user.get_username() if latest.history_user else "iemand"
            who = f" ({name}, {date_format(localtime(latest.history_date), 'j F H:i')})"
        return (
            f"Iemand anders heeft '{self.instance}' opgeslagen nadat jij dit formulier "
            f"opende{who}. "
            "Jouw wijzigingen zijn niet bewaard, zodat niets ongemerkt wordt overschreven. "
            "Open de pagina opnieuw en breng je wijzigingen opnieuw aan."
        )


def _unix_newlines(data):
    if not hasattr(data, "lists"):
        return {k: unix_newlines(v) if isinstance(v, str) else v for k, v in data.items()}
    data = data.copy()
    for key, values in list(data.lists()):
        data.setlist(key, [unix_newlines(v) if isinstance(v, str) else v for v in values])
    return data


def editorial_form(form_class, *, locking: bool = True, correction: bool = False):
    """The given admin form plus a hidden revision field, and a correction note if asked."""
    attrs = {"__module__": __name__}
    bases = (form_class,)
    if locking:
        attrs[REVISION_FIELD] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        bases = (_EditorialFormMixin, form_class)
    if correction:
        attrs[CORRECTION_FIELD] = forms.CharField(
            label=_("reden van de correctie"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "Deze verkiezing is gepubliceerd. Opslaan maakt een nieuwe versie voor kiezers; "
                "de reden komt in de geschiedenis."
            ),
        )
    return type(form_class.__name__, bases, attrs)


def _may_correct(request: HttpRequest) -> bool:
    return request.user.has_perm("positions.correct_published")


class EditorialAdmin:
    """For the admins of Election, Statement and Stance.

    A published election is read-only except for a correction by an Eindredacteur, which is
    recorded as a new frozen version; nothing of a published election can be deleted.
    """

    locking = True

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and is_published(obj) and not _may_correct(request):
            return False
        return allowed

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_published(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", self.form)
        kwargs["form"] = editorial_form(base, locking=self.locking, correction=is_published(obj))
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not _may_correct(request):
            if db_field.name == "election" and self.model is Statement:
                kwargs["queryset"] = Election.objects.filter(status=Election.Status.DRAFT)
            if db_field.name == "statement" and self.model is Stance:
                kwargs["queryset"] = Statement.objects.filter(
                    election__status=Election.Status.DRAFT
                ).select_related("election")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Taken before the save: an election the statement is no longer shared with changes too.
        obj._elections_before = elections_of(obj) if change else []
        correction = is_published(obj)
        if isinstance(obj, Stance) and (not change or changed_content(form)):
            obj.record_edit(request.user, correction=correction)
        if correction:
            obj._change_reason = (form.cleaned_data.get(CORRECTION_FIELD) or "Correctie")[:100]
        super().save_model(request, obj, form, change)
        if isinstance(obj, Statement) and change and correction and "text" in form.changed_data:
            obj.drop_party_marks(request.user)
        elif isinstance(obj, Statement) and change and "text" in form.changed_data:
            reopened = obj.reopen_review(request.user)
            if reopened:
                self.message_user(
                    request,
                    f"De stelling is gewijzigd: {reopened} standpunt(en) moeten opnieuw "
                    "ingediend en gecontroleerd worden.",
                    messages.WARNING,
                )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Stance:
            return super().save_formset(request, form, formset, change)
        correction = is_published(form.instance)
        for stance in formset.save(commit=False):
            stance.record_edit(request.user, correction=correction)
            stance.save()
        for stance in formset.deleted_objects:
            stance.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = changed_content(form) or any(f.has_changed() for f in formsets)
        if not (changed and _may_correct(request)):
            return
        before = getattr(form.instance, "_elections_before", [])
        elections = {e.pk: e for e in [*before, *elections_of(form.instance)]}
        published = [e for e in elections.values() if e.is_published]
        for election in published:
            note = form.cleaned_data.get(CORRECTION_FIELD, "")
            version = publishing.record_correction(election, request.user, note)
            of = f" van {election}" if len(published) > 1 else ""
            self.message_user(
                request,
                f"Correctie vastgelegd: kiezers{of} zien nu versie {version.number}.",
                messages.WARNING,
            )


class EditorialInline:
    """For inlines of stances on the statement page: same locking, same published rules."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = editorial_form(kwargs.pop("form", self.form))
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if REVISION_FIELD in fields else [*fields, REVISION_FIELD]

    def _frozen(self, request, obj) -> bool:
        return is_published(obj) and not _may_correct(request)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_published(obj)


class StanceReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("opmerking"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


REVIEW_ACTIONS = {"submit", "approve", "send_back"}


def _run_transition(stance: Stance, user, action: str, comment: str = "") -> None:
    if action == "submit":
        stance.submit(user)
    elif action == "approve":
        stance.approve(user)
    else:
        stance.send_back(user, comment)


class StanceReviewAdmin:
    """Review states on the stance admin: a review page per stance and bulk actions."""

    actions = ["submit_for_review", "approve_stances"]

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("positions.approve_stance")

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            "review_status",
            "review_comment",
            "edited_by",
            "submitted_by",
            "reviewed_by",
        ]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "review_status"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "review_status"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="positions_stance_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        stance = self.get_object(request, object_id)
        if stance is None:
            raise Http404("Dit standpunt bestaat niet.")
        if not self.has_view_permission(request, stance):
            raise PermissionDenied
        form = StanceReviewForm(request.POST or None)
        status = 200
        if request.method == "POST":
            action = request.POST.get("action")
            if action not in REVIEW_ACTIONS or not form.is_valid():
                return HttpResponse("Onbekende actie.", status=400)
            try:
                _run_transition(stance, request.user, action, form.cleaned_data["comment"])
            except workflow.NotAllowed as exc:
                form.add_error(None, str(exc))
                status = 400 if self.has_change_permission(request, stance) else 403
            else:
                self.message_user(request, f"{stance}: {stance.get_review_status_display()}.")
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Controle: {stance}",
            "stance": stance,
            "form": form,
            "can_submit": request.user.has_perm("positions.change_stance"),
            "can_review": self.has_approve_permission(request),
        }
        return render(request, "admin/positions/stance/review.html", context, status=status)

    def _bulk(self, request, queryset, action: str, done: str) -> None:
        moved, refused = 0, []
        for stance in queryset.select_related("statement__election", "party"):
            try:
                _run_transition(stance, request.user, action)
                moved += 1
            except workflow.NotAllowed as exc:
                refused.append(f"{stance}: {exc}")
        if moved:
            self.message_user(request, f"{moved} standpunt(en) {done}.")
        for reason in refused[:10]:
            self.message_user(request, reason, messages.ERROR)
        if len(refused) > 10:
            self.message_user(request, f"… en nog {len(refused) - 10} geweigerd.", messages.ERROR)

    @admin.action(description=_("Indienen ter controle"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._bulk(request, queryset, "submit", "ingediend")

    @admin.action(description=_("Goedkeuren"), permissions=["approve"])
    def approve_stances(self, request, queryset):
        self._bulk(request, queryset, "approve", "goedgekeurd")


class PublishAdmin:
    """The election's publish matrix, the publish gate and its frozen versions."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "status", "published_version"]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "matrix_link"]

    @admin.display(description=_("overzicht"))
    def matrix_link(self, obj):
        url = reverse("admin:positions_election_matrix", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("standpunten per partij"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/overzicht/",
                view(self.matrix_view),
                name="positions_election_matrix",
            ),
            path(
                "<path:object_id>/publiceren/",
                view(self.publish_view),
                name="positions_election_publish",
            ),
            path(
                "<path:object_id>/intrekken/",
                view(self.unpublish_view),
                name="positions_election_unpublish",
            ),
            *super().get_urls(),
        ]

    def _election(self, request, object_id) -> Election:
        election = self.get_object(request, object_id)
        if election is None:
            raise Http404("Deze verkiezing bestaat niet.")
        if not self.has_view_permission(request, election):
            raise PermissionDenied
        return election

    def matrix_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        election = self._election(request, object_id)
        gate = publishing.gate_for(election)
        stance_ids = {
            (sid, pid): pk
            for sid, pid, pk in Stance.objects.for_election(election).values_list(
                "statement_id", "party_id", "pk"
            )
        }
        add_url = reverse("admin:positions_stance_add")
        rows = []
        for (sid, label), cells in gate.rows():
            row = []
            for pid, state in cells:
                pk = stance_ids.get((sid, pid))
                url = (
                    reverse("admin:positions_stance_review", args=[pk])
                    if pk
                    else f"{add_url}?statement={sid}&party={pid}"
                )
                row.append({"state": state, "label": workflow.STATE_LABELS[state], "url": url})
            rows.append({"label": label, "cells": row})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Standpunten per partij: {election}",
            "election": election,
            "gate": gate,
            "rows": rows,
            "legend": [(s, workflow.STATE_LABELS[s]) for s in workflow.CELL_STATES],
            "versions": election.versions.select_related("created_by", "withdrawn_by")[:20],
            "can_publish": request.user.has_perm("positions.publish_election"),
        }
        return render(request, "admin/positions/election/matrix.html", context)

    @staticmethod
    def _back_to_matrix(election) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:positions_election_matrix", args=[election.pk]))

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return require_POST(self._publish)(request, object_id)

    def _publish(self, request, object_id):
        election = self._election(request, object_id)
        if not request.user.has_perm("positions.publish_election"):
            raise PermissionDenied
        try:
            version = publishing.publish(election, request.user)
        except workflow.NotAllowed as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, f"Gepubliceerd als versie {version.number}.")
        return self._back_to_matrix(election)

    def unpublish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Asks for a reason before withdrawing; the reason goes into the election's history and
        the list of versions."""
        election = self._election(request, object_id)
        if not request.user.has_perm("positions.publish_election"):
            raise PermissionDenied
        form = UnpublishForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                try:
                    publishing.unpublish(election, request.user, reason)
                except workflow.NotAllowed as exc:
                    form.add_error(None, str(exc))
                else:
                    self.log_change(request, election, f"Publicatie ingetrokken: {reason}")
                    self.message_user(
                        request, "De verkiezing is weer een concept en niet meer zichtbaar."
                    )
                    return self._back_to_matrix(election)
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Publicatie intrekken: {election}",
            "election": election,
            "form": form,
        }
        return render(request, "admin/positions/election/unpublish.html", context, status=status)


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("reden"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kiezers zien de verkiezing niet meer; wie halverwege is, krijgt te lezen dat ze "
            "is ingetrokken. De reden komt in de geschiedenis en bij de versies."
        ),
        error_messages={"required": _("Geef een reden: waarom wordt de publicatie ingetrokken?")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(self.fields["reason"].error_messages["required"])
        return reason


class ColumnsExportForm(SelectableFieldsExportForm):
    """Names each column as it stands in the file ("Verkiezing"), not by its English attribute."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return capfirst(field.column_name if field else field_name)


class SpreadsheetAdmin(ImportExportMixin):
    """CSV and XLSX import with a preview, export of the (filtered) list.

    Importing needs the add and change permissions of the model, exporting the view permission.
    Any invalid row blocks the whole import: nothing is written.
    """

    import_formats = FORMATS
    export_formats = FORMATS
    export_form_class = ColumnsExportForm

    def has_import_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and (
            request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        return {**super().get_import_data_kwargs(**kwargs), **IMPORT_KWARGS}

    def process_import(self, request, **kwargs):
        """The confirmed import, refused with a message when the form names no file this
        import made (an upload stored as /tmp/tmpXXXXXXXX) or a format not offered."""
        if request.method == "POST" and self.has_import_permission(request):
            name = os.path.basename(request.POST.get("import_file_name", ""))
            fmt = request.POST.get("format", "")
            known = fmt.isascii() and fmt.isdigit() and int(fmt) < len(self.get_import_formats())
            if not (UPLOAD_NAME.fullmatch(name) and known):
                return self._import_again(request)
            try:
                return super().process_import(request, **kwargs)
            except (OSError, UnicodeDecodeError):
                return self._import_again(request)
        return super().process_import(request, **kwargs)

    def _import_again(self, request):
        self.message_user(
            request,
            "Dit importbestand is niet meer beschikbaar. Kies het bestand opnieuw.",
            messages.ERROR,
        )
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):
            message = (
                "Dit bestand is geen UTF-8-tekst. Bewaar het in je rekenblad als "
                "'CSV UTF-8' of als .xlsx en probeer opnieuw."
            )
        else:
            message = (
                "Dit bestand kon niet gelezen worden. Kies het formaat dat bij het bestand past "
                "(csv of xlsx)."
            )
        form.add_error("import_file", message)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            f"Import klaar: {totals['new']} nieuw, {totals['update']} gewijzigd, "
            f"{totals['skip']} ongewijzigd ({self.opts.verbose_name_plural}).",
        )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                "Niets geïmporteerd: het bestand bevat fouten. Controleer het opnieuw.",
                messages.ERROR,
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        return super().process_result(result, request)
