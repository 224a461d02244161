from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import publishing, workflow
from .editorial import (
    EditorialAdmin,
    EditorialInline,
    PublishAdmin,
    SpreadsheetAdmin,
    StanceReviewAdmin,
)
from .evidence import EvidenceAdminMixin, EvidenceViewAdmin
from .forms import (
    BallotDayForm,
    CheckedIdsAdmin,
    CheckedInline,
    CheckedInlineFormSet,
    ElectionForm,
    ManifestoUploadForm,
    SharedAutocompleteSelect,
    SharedChoiceField,
    StanceInlineForm,
    StatementForm,
)
from .history import ReadableHistoryAdmin
from .models import (
    BallotDay,
    BallotDayTranslation,
    Election,
    ElectionTranslation,
    ManifestoDocument,
    Party,
    Stance,
    StanceTranslation,
    Statement,
    StatementTranslation,
    Theme,
    ThemeTranslation,
    published_shares,
    shares_across_days,
    unshare_across_days,
)
from .spreadsheets import StanceResource, StatementResource


def _count(queryset, election: str) -> Coalesce:
    """How many rows of `queryset` belong to the election of the outer row: a subquery per row,
    instead of a join of parties x statements x stances."""
    rows = queryset.filter(**{election: OuterRef("pk")}).order_by().values(election)
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)


class ElectionTranslationInline(CheckedInline, CheckedIdsAdmin, admin.StackedInline):
    """French and English name, introduction and axis labels; without one, voters see the Dutch
    text, marked as such."""

    model = ElectionTranslation
    fields = ["language", "name", "intro", "axis_x_label", "axis_y_label"]
    extra = 0
    max_num = 2


@admin.register(Election)
class ElectionAdmin(CheckedIdsAdmin, PublishAdmin, EditorialAdmin, admin.ModelAdmin):
    list_display = [
        "name",
        "date",
        "status",
        "method",
        "party_count",
        "statement_count",
        "stance_completeness",
    ]
    list_filter = ["status", "ballot_day"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["parties"]
    search_fields = ["name"]
    inlines = [ElectionTranslationInline]
    form = ElectionForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "ballot_day" in form.changed_data:
            unshare_across_days([obj])

    def get_queryset(self, request):
        """The counts are for the list only: the change page and the matrix need none of them."""
        queryset = super().get_queryset(request)
        if getattr(request.resolver_match, "url_name", None) != "positions_election_changelist":
            return queryset
        return queryset.annotate(
            n_parties=_count(Election.parties.through.objects, "election"),
            n_statements=_count(Statement.objects, "election")
            + _count(Statement.shared_with.through.objects, "election"),
            n_coded=_count(
                Stance.objects.filter(party__elections=OuterRef("pk")), "statement__election"
            )
            + _count(
                Stance.objects.filter(party__elections=OuterRef("pk")), "statement__shared_with"
            ),
        )

    @admin.display(description=_("partijen"), ordering="n_parties")
    def party_count(self, obj):
        return obj.n_parties

    @admin.display(description=_("stellingen"), ordering="n_statements")
    def statement_count(self, obj):
        return obj.n_statements

    @admin.display(description=_("standpunten ingevuld"))
    def stance_completeness(self, obj):
        expected = obj.n_parties * obj.n_statements
        if not expected:
            return "–"
        return f"{obj.n_coded} / {expected} ({round(100 * obj.n_coded / expected)}%)"


@admin.register(Party)
class PartyAdmin(CheckedIdsAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "slug", "colour", "website"]
    prepopulated_fields = {"slug": ["short_name"]}
    search_fields = ["name", "short_name"]


class ThemeTranslationInline(CheckedInline, CheckedIdsAdmin, admin.TabularInline):
    """French and English names; without one, voters see the Dutch name, marked as such."""

    model = ThemeTranslation
    extra = 0
    max_num = 2


@admin.register(Theme)
class ThemeAdmin(CheckedIdsAdmin, admin.ModelAdmin):
    search_fields = ["name"]
    inlines = [ThemeTranslationInline]


class StatementTranslationInline(CheckedInline, CheckedIdsAdmin, admin.StackedInline):
    """French and English texts; without one, voters see the Dutch text, marked as such."""

    model = StatementTranslation
    fields = ["language", "title", "text", "explanation"]
    extra = 0
    max_num = 2


class AllPartiesFormSet(CheckedInlineFormSet):
    """Offers one empty stance form for every party of the election that has none yet.

    Every form finds its stance among the rows the formset read once, not by a query of its own.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        missing = getattr(self, "missing_parties", [])
        self.initial_extra = [{"party": party.pk} for party in missing]
        self._stances = {}

    def _construct_form(self, i, **kwargs):
        """A party's empty form knows its party, so that its evidence panel can be opened before
        the stance is first saved."""
        form = super()._construct_form(i, **kwargs)
        if form.instance.pk is None and form.initial.get("party"):
            form.instance.party_id = form.initial["party"]
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields[name]
        if "rows" not in self._stances:
            self._stances["rows"] = {stance.pk: stance for stance in self.get_queryset()}
        form.fields[name] = SharedChoiceField(
            field.queryset,
            shared=self._stances,
            initial=field.initial,
            required=False,
            widget=field.widget,
        )


class StanceInline(
    CheckedInline, CheckedIdsAdmin, EvidenceAdminMixin, EditorialInline, admin.StackedInline
):
    model = Stance
    form = StanceInlineForm
    formset = AllPartiesFormSet
    fields = ["party", "position", "explanation", "document", "quote", "location", "evidence"]
    readonly_fields = ["evidence"]
    autocomplete_fields = ["document"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("statement", "party")

    def _missing(self, obj):
        if obj is None:
            return []
        if obj.election.ballot_day_id is None:
            return list(obj.election.parties.exclude(stances__statement=obj))
        running = Q(elections=obj.election_id) | Q(elections__shared_statements=obj)
        return list(Party.objects.filter(running).distinct().exclude(stances__statement=obj))

    def get_extra(self, request, obj=None, **kwargs):
        return len(self._missing(obj)) if obj else 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.missing_parties = self._missing(obj)
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Party and document choices are read once for the page, not once per party."""
        if db_field.name == "party":
            statement_id = request.resolver_match.kwargs.get("object_id")
            if statement_id:
                kwargs["queryset"] = Party.objects.filter(
                    Q(elections__statements=statement_id)
                    | Q(elections__shared_statements=statement_id)
                ).distinct()
        if db_field.name == "document":
            kwargs["queryset"] = ManifestoDocument.objects.defer("original_text")
            kwargs["widget"] = SharedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        if db_field.name in ("party", "document"):
            kwargs["form_class"] = SharedChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MissingStancesFilter(admin.SimpleListFilter):
    """Statements on which a party of any election asking them has no stance yet: the parties
    of its own election and, for a shared statement, those of each election it is shared with."""

    title = _("standpunten")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [("yes", _("ontbrekende standpunten")), ("no", _("volledig"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        running = Party.objects.filter(
            Q(elections__statements=OuterRef("pk")) | Q(elections__shared_statements=OuterRef("pk"))
        )
        has_stance = Stance.objects.filter(statement=OuterRef(OuterRef("pk")), party=OuterRef("pk"))
        missing = Exists(running.filter(~Exists(has_stance)))
        return queryset.filter(missing if self.value() == "yes" else ~missing)


class AskedInElectionFilter(admin.SimpleListFilter):
    """By election, counting what it asks through sharing: its own statements and those shared
    with it, and for stances those of its own parties on them (`for_election`)."""

    title = _("verkiezing")

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Election.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        asked = queryset.model.objects.for_election(int(value))
        return queryset.filter(pk__in=asked.values("pk"))


class StatementElectionFilter(AskedInElectionFilter):
    parameter_name = "election__id__exact"


class StanceElectionFilter(AskedInElectionFilter):
    parameter_name = "statement__election__id__exact"


@admin.register(Statement)
class StatementAdmin(
    CheckedIdsAdmin, ReadableHistoryAdmin, EditorialAdmin, SpreadsheetAdmin, SimpleHistoryAdmin
):
    form = StatementForm
    filter_horizontal = ["shared_with"]
    resource_classes = [StatementResource]

    def get_exclude(self, request, obj=None):
        """Sharing is offered once the statement's election belongs to a ballot day."""
        exclude = list(super().get_exclude(request, obj) or [])
        if obj is None or obj.election.ballot_day_id is None:
            exclude.append("shared_with")
        return exclude

    list_display = ["order", "title", "election", "theme"]
    list_display_links = ["title"]
    list_filter = [StatementElectionFilter, "theme", MissingStancesFilter]
    search_fields = ["title", "text"]
    list_select_related = ["election", "theme"]
    inlines = [StanceInline, StatementTranslationInline]


class StanceTranslationInline(CheckedInline, CheckedIdsAdmin, admin.TabularInline):
    """The party's explanation in French and English; without one, voters see the Dutch one,
    marked as such."""

    model = StanceTranslation
    fields = ["language", "explanation"]
    extra = 0
    max_num = 2


@admin.register(Stance)
class StanceAdmin(
    CheckedIdsAdmin,
    ReadableHistoryAdmin,
    EvidenceViewAdmin,
    EvidenceAdminMixin,
    StanceReviewAdmin,
    EditorialAdmin,
    SpreadsheetAdmin,
    SimpleHistoryAdmin,
):
    resource_classes = [StanceResource]
    readonly_fields = ["evidence"]
    list_display = ["statement", "party", "position", "has_source"]
    list_filter = [StanceElectionFilter, "party", "position", "statement__theme"]
    search_fields = ["statement__title", "explanation", "quote"]
    list_select_related = ["statement", "party"]
    autocomplete_fields = ["document"]
    inlines = [StanceTranslationInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "document":
            kwargs["queryset"] = ManifestoDocument.objects.defer("original_text")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def lookup_allowed(self, lookup, value, request=None):
        """The election filter keeps the address of the field filter it replaced."""
        if lookup == StanceElectionFilter.parameter_name:
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.display(boolean=True, description=_("bron"))
    def has_source(self, obj):
        return bool(obj.quote)


@admin.register(ManifestoDocument)
class ManifestoDocumentAdmin(CheckedIdsAdmin, admin.ModelAdmin):
    list_display = ["title", "party", "election_name", "year", "country"]
    list_filter = ["party", "country", "year"]
    search_fields = ["title"]
    exclude = ["original_text"]  # kept verbatim; too long for a form
    readonly_fields = ["passage_count", "imported_at"]

    def get_queryset(self, request):
        """Never the programme text itself (hundreds of kB each): no page of this admin shows it."""
        return super().get_queryset(request).defer("original_text")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ManifestoUploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    @admin.display(description=_("passages"))
    def passage_count(self, obj):
        return obj.passages.count()

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        result = form.import_document()
        obj.pk = result.document.pk
        obj.refresh_from_db()
        obj._state.adding = False
        self.message_user(request, result.summary())


class BallotDayTranslationInline(admin.StackedInline):
    """French and English name and introduction of the day; without one, voters see the Dutch
    text, marked as such."""

    model = BallotDayTranslation
    fields = ["language", "name", "intro"]
    extra = 0
    max_num = 2


@admin.register(BallotDay)
class BallotDayAdmin(CheckedIdsAdmin, admin.ModelAdmin):
    """Elections held on one day: grouped here, published together through one gate.

    Each election keeps its own matrix, review and corrections; the day's gate is every
    election's gate at once."""

    form = BallotDayForm
    list_display = ["name", "date", "status"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["status", "gate"]
    actions = ["publish_days", "unpublish_days"]
    inlines = [BallotDayTranslationInline]

    def get_fields(self, request, obj=None):
        fields = ["name", "slug", "date", "intro", "elections", "status"]
        return [*fields, "gate"] if obj else fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_elections(form.instance)

    def has_delete_permission(self, request, obj=None):
        """Not while a published election of the day asks a statement of another of its
        elections: deleting the day would take that sharing away."""
        if obj is not None and published_shares(self._shares_without(obj)):
            return False
        return super().has_delete_permission(request, obj)

    @staticmethod
    def _shares_without(day):
        elections = list(day.elections.all())
        return shares_across_days(elections, {e.pk: None for e in elections})

    def delete_model(self, request, obj):
        elections = list(obj.elections.all())
        super().delete_model(request, obj)
        unshare_across_days(elections)

    def delete_queryset(self, request, queryset):
        elections = list(Election.objects.filter(ballot_day__in=queryset))
        super().delete_queryset(request, queryset)
        unshare_across_days(elections)

    @admin.display(description=_("klaar om te publiceren"))
    def gate(self, obj):
        rows = []
        for election, gate in publishing.day_gate(obj).items():
            url = reverse("admin:positions_election_matrix", args=[election.pk])
            if election.is_published:
                state = _("gepubliceerd")
            elif gate.open:
                state = _("klaar")
            else:
                state = _("%(count)d punt(en) open") % {"count": len(gate.problems)}
            rows.append((url, election.name, state))
        if not rows:
            return _("Nog geen verkiezingen.")
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a>: {}</li>', rows)
        )

    def _permitted(self, request) -> bool:
        return request.user.has_perm("positions.publish_election")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._permitted(request):
            actions.pop("publish_days", None)
            actions.pop("unpublish_days", None)
        return actions

    @admin.action(description=_("Publiceer de gekozen verkiezingsdagen met hun verkiezingen"))
    def publish_days(self, request, queryset):
        for day in queryset:
            try:
                versions = publishing.publish_ballot_day(day, request.user)
            except workflow.NotAllowed as exc:
                self.message_user(request, f"{day}: {exc}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{day}: gepubliceerd, {len(versions)} verkiezing(en) bevroren."
                )

    @admin.action(description=_("Trek de gekozen verkiezingsdagen in"))
    def unpublish_days(self, request, queryset):
        for day in queryset:
            publishing.unpublish_ballot_day(day, request.user)
        self.message_user(request, "Kiezers zien deze verkiezingsdagen niet meer.")
