"""Statements and stances as CSV or XLSX, through django-import-export.

One row per statement (election slug + number) and one row per stance (election slug + statement
number + party slug), with Dutch column names and positions written as editors say them
("eens", "geen standpunt"). Exporting an election and importing that file again changes nothing.
A row for a published election is refused unless it is unchanged: corrections go through the
admin, where they are recorded as a new version.
"""

from contextvars import ContextVar

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
)
from .publishing import elections_of

FORMATS = [CSV, XLSX]
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
    """Shared rules: who imports is recorded, and a published election is not changed here."""

    def election_of(self, instance) -> Election:
        raise NotImplementedError

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
        instance.revision += 1
        user = kwargs.get("user")
        if isinstance(instance, Stance) and user is not None:
            instance.record_edit(user)


class StatementResource(_EditorialResource):
    election = fields.Field("election", "verkiezing", ElectionWidget())
    order = fields.Field("order", "nummer", widgets.IntegerWidget())
    theme = fields.Field("theme", "thema", ThemeWidget())
    title = fields.Field("title", "titel", widgets.CharWidget())
    text = fields.Field("text", "stelling", widgets.CharWidget())
    explanation = fields.Field("explanation", "uitleg", widgets.CharWidget())
    shared_with = fields.Field("shared_with", "ook gesteld in", SharedWithWidget())

    class Meta:
        model = Statement
        name = "Stellingen"
        fields = ["election", "order", "theme", "title", "text", "explanation", "shared_with"]
        import_id_fields = ["election", "order"]
        skip_unchanged = True
        report_skipped = True

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
    explanation = fields.Field("explanation", "toelichting", widgets.CharWidget())
    document = fields.Field("document", "bron", DocumentWidget())
    quote = fields.Field("quote", "citaat", widgets.CharWidget())
    location = fields.Field("location", "vindplaats", widgets.CharWidget())

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
