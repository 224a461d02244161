import hashlib

from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect, FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from .importing import ImportResult, import_manifesto, split_for_import
from .manifesto import ManifestoError, read_text
from .models import (
    BallotDay,
    Election,
    ManifestoDocument,
    Position,
    not_shareable,
    published_shares,
    shares_across_days,
    unshare_across_days,
)

MAX_UPLOAD = 20 * 1024 * 1024
# The largest id a 64-bit integer column holds; SQLite raises an OverflowError beyond it.
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """Whether a submitted value can be a row's id at all, before any database sees it."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A foreign key whose malformed id ("abc", 2**63) is a form error, not a database error."""

    def to_python(self, value):
        if value not in self.empty_values and not hasattr(value, "_meta") and not is_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            if not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class IdAutocompleteSelect(AutocompleteSelect):
    """Shows a form sent back with a malformed id without asking the database for it."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if is_id(v)], attr)


class CheckedIdsAdmin:
    """For admins and inlines: related fields take only well-formed ids."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        """An action on rows chosen by a malformed id ("abc") leaves those rows out, instead of
        a database error."""
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(is_id(pk) for pk in selected):
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, [pk for pk in selected if is_id(pk)])
        return super().response_action(request, queryset)


class ManifestoUploadForm(forms.ModelForm):
    """A new programme from a .txt or .pdf file; the admin then imports its passages."""

    upload = forms.FileField(
        label=_("bestand"),
        help_text=_("Het programma als .txt (UTF-8) of .pdf. De tekst wordt letterlijk bewaard."),
    )

    class Meta:
        model = ManifestoDocument
        fields = ["party", "title", "election_name", "year", "country", "language", "coverage"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if not upload.name.lower().endswith((".txt", ".pdf")):
            raise forms.ValidationError(_("Alleen .txt- of .pdf-bestanden."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        try:
            self.text = read_text(upload.read(), upload.name)
            self.split = split_for_import(self.text)
        except ManifestoError as exc:
            raise forms.ValidationError(f"{upload.name}: {exc}") from None
        return upload

    def clean(self):
        cleaned = super().clean()
        party, text = cleaned.get("party"), getattr(self, "text", None)
        if party and text:
            sha256 = hashlib.sha256(text.encode()).hexdigest()
            existing = ManifestoDocument.objects.filter(party=party, sha256=sha256).first()
            if existing:
                raise forms.ValidationError(
                    _("Dit bestand is al geïmporteerd als “%(title)s”."),
                    params={"title": existing.title},
                )
        return cleaned

    def import_document(self) -> ImportResult:
        """Store the valid form's programme and its passages (`positions.importing`)."""
        document = self.instance
        return import_manifesto(
            document.party,
            self.text,
            split=self.split,
            title=document.title,
            election_name=document.election_name,
            year=document.year,
            country=document.country,
            coverage=document.coverage,
            language=document.language,
        )


class _SharedChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows().values():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows())


class SharedChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that reads its rows once for all the forms of a formset.

    Django gives every form its own copy of the form class's fields; the copies share `_shared`,
    so the stance forms of a statement, one per party, read the parties once instead of once per
    form, and look a submitted value up in those rows. The admin builds the formset class anew
    for each request, so the rows live for one request. `shared` may hand it rows already read:
    `{"rows": {pk: row}}`.
    """

    iterator = _SharedChoiceIterator

    def __init__(self, queryset, *, shared: dict | None = None, **kwargs):
        super().__init__(queryset, **kwargs)
        self._shared = {} if shared is None else shared

    def rows(self) -> dict:
        if "rows" not in self._shared:
            self._shared["rows"] = {obj.pk: obj for obj in self.queryset}
        return self._shared["rows"]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        model = self.queryset.model
        if isinstance(value, model):
            value = value.pk
        try:
            found = self.rows().get(model._meta.pk.to_python(value))
        except ValidationError:
            found = None
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


class SharedAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete select for a SharedChoiceField: its chosen option comes from the
    shared rows, not from a query per form."""

    def optgroups(self, name, value, attr=None):
        field = self.choices.field
        chosen = {str(v) for v in value if str(v) not in field.empty_values}
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk, obj in field.rows().items():
            if str(pk) in chosen:
                label = field.label_from_instance(obj)
                options.append(self.create_option(name, pk, label, True, len(options)))
        return [(None, options, 0)]


class StanceInlineForm(forms.ModelForm):
    """A stance on the statement page.

    The form of a party without a stance starts with no position chosen, so that choosing
    "geen standpunt" is a change and is stored; left alone, the stance stays missing.

    An existing stance sent back unchanged skips the model's validation: its row is in the
    database, which already holds it to every constraint, and checking it again would cost
    queries for every party of the election.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        position = self.fields.get("position")
        if self.instance.pk is None and position is not None:
            position.choices = [("", "---------"), *Position.choices]
            position.initial = ""
            self.initial["position"] = ""

    def _post_clean(self):
        if self.instance.pk is not None and not self.has_changed():
            return
        super()._post_clean()


class CheckedInlineFormSet(BaseInlineFormSet):
    """An inline formset whose management form cannot make a save fail.

    A negative count of existing rows, or an id sent in a form for a new row, would have the
    save insert rows that exist already; both are refused as a form error.
    """

    def clean(self):
        super().clean()
        pk = self.model._meta.pk.name
        forged = any(
            getattr(form, "cleaned_data", {}).get(pk) is not None for form in self.extra_forms
        )
        if self.initial_form_count() < 0 or forged:
            raise ValidationError(
                _("Dit formulier kwam onvolledig aan. Open de pagina opnieuw en probeer nog eens."),
                code="management_form",
            )


class CheckedInline:
    """For inlines: a formset never builds more forms than the inline may hold, whatever count a
    post claims (Django would build up to a thousand more)."""

    formset = CheckedInlineFormSet
    most_forms = 100

    def get_formset(self, request, obj=None, **kwargs):
        max_num = self.get_max_num(request, obj, **kwargs)
        kwargs.setdefault("max_num", self.most_forms if max_num is None else max_num)
        kwargs.setdefault("absolute_max", kwargs["max_num"])
        return super().get_formset(request, obj, **kwargs)


class StatementForm(forms.ModelForm):
    """A statement may be shared only with other elections of its own election's ballot day."""

    def clean(self):
        cleaned = super().clean()
        election, shared = cleaned.get("election"), cleaned.get("shared_with")
        if election is None or not shared:
            return cleaned
        others = not_shareable(election, shared)
        if others:
            self.add_error(
                "shared_with",
                _(
                    "Een stelling kan alleen gedeeld worden met andere verkiezingen van de "
                    "verkiezingsdag van haar eigen verkiezing: %(elections)s past niet."
                )
                % {"elections": ", ".join(sorted({str(e) for e in others}))},
            )
        return cleaned


# The day of a ballot day not saved yet, for `shares_across_days`.
NEW_DAY = object()


class BallotDayForm(forms.ModelForm):
    """A ballot day and the elections it groups (each election belongs to at most one day)."""

    elections = IdMultipleChoiceField(
        queryset=Election.objects.all(),
        required=False,
        label=_("verkiezingen"),
        widget=FilteredSelectMultiple(_("verkiezingen"), is_stacked=False),
        help_text=_("Een verkiezing die al bij een andere dag hoort, verhuist naar deze."),
    )

    class Meta:
        model = BallotDay
        fields = ["name", "slug", "date", "intro"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["elections"].initial = list(self.instance.elections.all())

    def clean(self):
        """Moving an election to or off this day takes away its sharing with the elections of
        the day it leaves; refused while a published election asks such a statement."""
        cleaned = super().clean()
        chosen = cleaned.get("elections")
        if chosen is None:
            return cleaned
        day = self.instance.pk or NEW_DAY
        moves = {e.pk: day for e in chosen if e.ballot_day_id != self.instance.pk}
        if self.instance.pk:
            leaving = self.instance.elections.exclude(pk__in=[e.pk for e in chosen])
            moves |= {e.pk: None for e in leaving}
        moving = Election.objects.filter(pk__in=moves)
        published = published_shares(shares_across_days(moving, moves))
        if published:
            self.add_error("elections", unshare_first(published))
        return cleaned

    def save_elections(self, day: BallotDay) -> None:
        """Put the chosen elections on `day` and the others off it; the sharing between an
        election that moved and the elections of the day it left is taken away."""
        chosen = self.cleaned_data["elections"]
        moved = []
        for election in day.elections.exclude(pk__in=[e.pk for e in chosen]):
            election.ballot_day = None
            election.save(update_fields=["ballot_day"])
            moved.append(election)
        for election in chosen:
            if election.ballot_day_id != day.pk:
                election.ballot_day = day
                election.save(update_fields=["ballot_day"])
                moved.append(election)
        unshare_across_days(moved)


def unshare_first(published: list[str]) -> str:
    return _(
        "Deze verplaatsing haalt gedeelde stellingen weg bij een gepubliceerde verkiezing "
        "(%(shares)s). Haal het delen eerst weg op de stelling zelf, als correctie."
    ) % {"shares": "; ".join(published)}


class ElectionForm(forms.ModelForm):
    """An election moved to another ballot day (or off its day) takes its sharing with it, as
    on the day's page (`BallotDayForm`)."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "ballot_day" in self.changed_data and "ballot_day" in cleaned:
            day = cleaned["ballot_day"]
            moves = {self.instance.pk: day.pk if day else None}
            published = published_shares(shares_across_days([self.instance], moves))
            if published:
                self.add_error("ballot_day", unshare_first(published))
        return cleaned
