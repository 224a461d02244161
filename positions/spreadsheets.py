"""Statements and stances as CSV or XLSX, through django-import-export.

One row per statement (election slug + number) and one row per stance (election slug + statement
number + party slug), with Dutch column names and positions written as editors say them
("eens", "geen standpunt"). Exporting an election and importing that file again changes nothing.
A row for a published election is refused unless it is unchanged: corrections go through the
admin, where they are recorded as a new version.
"""

from contextvars import ContextVar

import tablib
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from .models import (
    FIVE_POINT_ONLY,
    Election,
    ManifestoDocument,
    Party,
    Position,
    Scale,
    Stance,
    Statement,
    Theme,
    not_shareable,
    unix_newlines,
)
from .publishing import elections_of

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Make a spreadsheet read a cell as text, never as a formula; `unescape_formula` undoes it
    on import, so an exported file imports unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _escaped(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([escape_formula(value) for value in row])
    return safe


class SafeCSV(CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_escaped(dataset), **kwargs)


class SafeXLSX(XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_escaped(dataset), **kwargs)


FORMATS = [SafeCSV, SafeXLSX]
# Any invalid row rolls the whole import back, also on the confirmed (second) run.
IMPORT_KWARGS = {"use_transactions": True, "rollback_on_validation_errors": True}

POSITION_BY_LABEL = {str(label).lower(): value for value, label in Position.choices}
POSITION_LABELS = " / ".join(str(label) for _, label in Position.choices)


# The number of the row being imported, for error messages (1 is the first row under the header,
# as the admin's import page counts).
_ROW_NUMBER: ContextVar[int | None] = ContextVar("row_number", default=None)


def _row() -> str:
    number = _ROW_NUMBER.get()
    return f"rij {number}: " if number else ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return unix_newlines(unescape_formula(_text(value)))


class OrderWidget(widgets.Widget):
    """A statement's number: a whole number from 1."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text.isdigit() or int(text) < 1:
            raise ValueError(f"{_row()}nummer '{text}' is geen geheel getal vanaf 1")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return value


class PositionWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value).lower()
        if text in POSITION_BY_LABEL:
            return POSITION_BY_LABEL[text]
        if text in Position.values:
            return text
        raise ValueError(f"{_row()}standpunt '{_text(value)}' is niet een van {POSITION_LABELS}")

    def render(self, value, obj=None, **kwargs):
        return str(Position(value).label) if value else ""


class ElectionWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        slug = _text(value)
        election = Election.objects.filter(slug=slug).first()
        if election is None:
            raise ValueError(f"{_row()}verkiezing '{slug}' bestaat niet")
        return election

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class SharedWithWidget(widgets.ManyToManyWidget):
    """The other elections of the day that ask the statement too, by slug: "europa, kamer"."""

    def __init__(self):
        super().__init__(Election, separator=",", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = {slug.strip() for slug in _text(value).split(",") if slug.strip()}
        found = list(Election.objects.filter(slug__in=slugs))
        unknown = slugs - {e.slug for e in found}
        if unknown:
            raise ValueError(f"{_row()}verkiezing '{sorted(unknown)[0]}' bestaat niet")
        return found

    def render(self, value, obj=None, **kwargs):
        return ", ".join(sorted(e.slug for e in value.all())) if value is not None else ""


class ThemeWidget(widgets.Widget):
    """A theme by name; a new name makes a new theme."""

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            raise ValueError(f"{_row()}thema is leeg")
        return Theme.objects.get_or_create(name=name)[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class StatementWidget(widgets.Widget):
    """A statement by its number within the election named in the same row."""

    def clean(self, value, row=None, **kwargs):
        slug, number = _text(row.get("verkiezing")), _text(value)
        statement = Statement.objects.filter(election__slug=slug, order=number or None).first()
        if not number.isdigit() or statement is None:
            raise ValueError(f"{_row()}verkiezing '{slug}' heeft geen stelling '{number}'")
        return statement

    def render(self, value, obj=None, **kwargs):
        return value.order if value else ""


class PartyWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        slug = _text(value)
        party = Party.objects.filter(slug=slug).first()
        if party is None:
            raise ValueError(f"{_row()}partij '{slug}' bestaat niet")
        return party

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class DocumentWidget(widgets.Widget):
    """A manifesto by its title, among the documents of the party named in the same row."""

    def clean(self, value, row=None, **kwargs):
        title = _text(value)
        if not title:
            return None
        party = _text(row.get("partij"))
        found = list(ManifestoDocument.objects.filter(party__slug=party, title=title)[:2])
        if len(found) != 1:
            reason = "is geen" if not found else "is niet eenduidig als"
            raise ValueError(f"{_row()}bron '{title}' {reason} programma van '{party}'")
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.title if value else ""


class _EditorialResource(resources.ModelResource):
    """Shared rules: every row is validated as the admin form validates it, a file names each row
    once, who imports is recorded, and a published election is not changed here."""

    # Columns without which a row cannot be read, and the columns that name the row.
    required_columns: tuple[str, ...] = ()
    key_columns: tuple[str, ...] = ()

    def election_of(self, instance) -> Election:
        raise NotImplementedError

    def before_import(self, dataset, **kwargs):
        missing = [c for c in self.required_columns if c not in (dataset.headers or [])]
        if missing:
            names = ", ".join(f"'{c}'" for c in missing)
            raise ValueError(
                f"Kolom {names} ontbreekt. Nodig zijn: {', '.join(self.required_columns)}."
            )
        self._seen_rows = {}

    def before_import_row(self, row, **kwargs):
        key = tuple(_text(row.get(column)).lower() for column in self.key_columns)
        number = kwargs.get("row_number")
        first = self._seen_rows.setdefault(key, number)
        if first != number:
            named = ", ".join(f"{c} '{v}'" for c, v in zip(self.key_columns, key, strict=True))
            raise ValidationError(f"rij {number}: {named} staat al in rij {first}")

    def import_row(self, row, instance_loader, **kwargs):
        token = _ROW_NUMBER.set(kwargs.get("row_number"))
        try:
            return super().import_row(row, instance_loader, **kwargs)
        finally:
            _ROW_NUMBER.reset(token)

    def elections_of(self, instance, row) -> list[Election]:
        """Every election the row changes: a shared statement's, and a stance's on one."""
        return elections_of(instance) if instance.pk else [self.election_of(instance)]

    def before_save_instance(self, instance, row, **kwargs):
        for election in self.elections_of(instance, row):
            if election.is_published:
                raise ValidationError(
                    f"{_row()}verkiezing '{election.slug}' is gepubliceerd; "
                    "corrigeer haar in de admin"
                )
        user = kwargs.get("user")
        if isinstance(instance, Stance) and user is not None:
            instance.record_edit(user)  # a new revision too
        else:
            instance.revision += 1


class StatementResource(_EditorialResource):
    election = fields.Field("election", "verkiezing", ElectionWidget())
    order = fields.Field("order", "nummer", OrderWidget())
    theme = fields.Field("theme", "thema", ThemeWidget())
    title = fields.Field("title", "titel", TextWidget())
    text = fields.Field("text", "stelling", TextWidget())
    explanation = fields.Field("explanation", "uitleg", TextWidget())
    shared_with = fields.Field("shared_with", "ook gesteld in", SharedWithWidget())

    required_columns = ("verkiezing", "nummer", "thema", "titel", "stelling")
    key_columns = ("verkiezing", "nummer")

    class Meta:
        model = Statement
        name = "Stellingen"
        fields = ["election", "order", "theme", "title", "text", "explanation", "shared_with"]
        import_id_fields = ["election", "order"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def election_of(self, instance):
        return instance.election

    def elections_of(self, instance, row) -> list[Election]:
        """The elections the statement is shared with before the row and after it."""
        shared = self.fields["shared_with"]
        try:
            after = shared.clean(row) if shared.column_name in row else []
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        others = not_shareable(instance.election, after)
        if others:
            names = ", ".join(sorted(e.slug for e in others))
            raise ValidationError(
                f"{_row()}een stelling kan alleen gedeeld worden met andere verkiezingen van de "
                f"verkiezingsdag van haar eigen verkiezing: {names} past niet"
            )
        return [*super().elections_of(instance, row), *after]

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        stored = Statement.objects.filter(pk=instance.pk).values_list("text", flat=True).first()
        instance._text_changed = stored is not None and stored != instance.text

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "_text_changed", False):
            instance.reopen_review(kwargs.get("user"))

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("election", "theme")
            .prefetch_related("shared_with")
        )


class StanceResource(_EditorialResource):
    election = fields.Field(
        "statement__election__slug", "verkiezing", widgets.CharWidget(), readonly=True
    )
    statement = fields.Field("statement", "stelling", StatementWidget())
    party = fields.Field("party", "partij", PartyWidget())
    position = fields.Field("position", "standpunt", PositionWidget())
    explanation = fields.Field("explanation", "toelichting", TextWidget())
    document = fields.Field("document", "bron", DocumentWidget())
    quote = fields.Field("quote", "citaat", TextWidget())
    location = fields.Field("location", "vindplaats", TextWidget())

    required_columns = ("verkiezing", "stelling", "partij", "standpunt")
    key_columns = ("verkiezing", "stelling", "partij")

    class Meta:
        model = Stance
        name = "Standpunten"
        fields = [
            "election",
            "statement",
            "party",
            "position",
            "explanation",
            "document",
            "quote",
            "location",
        ]
        import_id_fields = ["statement", "party"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def election_of(self, instance):
        return instance.statement.election

    def before_save_instance(self, instance, row, **kwargs):
        if instance.position in FIVE_POINT_ONLY and self.election_of(instance).scale != Scale.FIVE:
            raise ValidationError(
                f"{_row()}standpunt '{Position(instance.position).label}' kan alleen bij een "
                "verkiezing met 5 standen"
            )
        super().before_save_instance(instance, row, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("statement__election", "party", "document")
            .order_by("statement__election", "statement__order", "party__name")
        )
