import functools
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from . import workflow
from .manifesto import clean_quote, locate_quote, location


class Position(models.TextChoices):
    """A party's position on a statement.

    Stored as a code, not a number: the 5-point scale adds "strongly_agree" and
    "strongly_disagree" without changing what the other stored values mean. The numeric value
    used for matching comes from `quiz.scoring.POSITION_VALUES`.
    """

    STRONGLY_AGREE = "strongly_agree", _("helemaal eens")
    AGREE = "agree", _("eens")
    NEUTRAL = "neutral", _("neutraal")
    DISAGREE = "disagree", _("oneens")
    STRONGLY_DISAGREE = "strongly_disagree", _("helemaal oneens")
    NONE = "none", _("geen standpunt")


# Positions only an election on the 5-point scale allows; a voter's strong answers likewise.
FIVE_POINT_ONLY = workflow.STRONG


def unix_newlines(text: str) -> str:
    """Text with every line ending as "\n": browsers send a textarea's lines ending in "\r\n"
    and a spreadsheet returns them as "\n", so stored text keeps one form and a round trip
    changes nothing."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Scale(models.IntegerChoices):
    THREE = 3, _("3 standen: eens, neutraal, oneens")
    FIVE = 5, _("5 standen: helemaal eens tot helemaal oneens")


_THREE_POINT_ANSWERS = ("agree", "neutral", "disagree", "skip")
_FIVE_POINT_ANSWERS = (*_THREE_POINT_ANSWERS, "strongly_agree", "strongly_disagree")


def answers_for(scale: int) -> tuple[str, ...]:
    """The answers a voter can give on an election of 3 or 5 points, skipping included. The
    strong ones come last, so that every other answer keeps its place (a column of the
    statistics) on either scale."""
    return _FIVE_POINT_ANSWERS if scale == Scale.FIVE else _THREE_POINT_ANSWERS


class ReviewStatus(models.TextChoices):
    DRAFT = workflow.DRAFT, _("concept")
    SUBMITTED = workflow.SUBMITTED, _("ingediend")
    APPROVED = workflow.APPROVED, _("goedgekeurd")
    RETURNED = workflow.RETURNED, _("teruggestuurd")


class Origin(models.TextChoices):
    """Where a stance comes from, as voters are told: coded by the editors from the quoted
    programme, given by the party in the party round, or coded by the editors and confirmed by
    the party. Any edit by the editors makes it the editors' coding again."""

    EDITORS = "editors", _("door de redactie gecodeerd uit het programma")
    PARTY = "party", _("door de partij gegeven")
    CONFIRMED = "confirmed", _("door de partij bevestigd")


class Method(models.TextChoices):
    AGREEMENT = "agreement", _("Overeenstemming (Wahl-O-Mat)")
    CITYBLOCK = "cityblock", _("Cityblock-afstand")
    EUCLIDEAN = "euclidean", _("Euclidische afstand")


RESERVED_SLUGS = frozenset({"admin", "api", "i18n", "methode", "static", "media", "dag", "partij"})


def validate_election_slug(value: str) -> None:
    """An election lives at /<slug>/, so it must not take the address of another page."""
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("'%(slug)s' is het adres van een andere pagina; kies een andere slug."),
            params={"slug": value},
        )


class BallotDay(models.Model):
    """Elections held on the same day, which voters can take as one quiz.

    Each election keeps everything it has (its parties, stances, publish gate, frozen versions);
    the day only groups them (`Election.ballot_day`). A statement belongs to one election, its
    home, and may be shared with other elections of the same day (`Statement.shared_with`): it
    keeps one id, each election lists and scores it, and voters answer it once. A party that runs
    at several levels with different stances is a Party row per level (Vooruit for Europe and
    Vooruit for the Chamber), so a stance stays one per statement and party, and everything that
    reads stances per election works for a shared statement as it is.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    date = models.DateField(_("datum"))
    intro = models.TextField(_("introductie"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("verkiezingsdag")
        verbose_name_plural = _("verkiezingsdagen")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="ballot_day_status_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("quiz:day", args=[self.slug])


class ElectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Election.Status.PUBLISHED)


class Election(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_election_slug])
    date = models.DateField(_("verkiezingsdatum"))
    intro = models.TextField(_("introductie"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    method = models.CharField(
        _("rekenmethode"), max_length=16, choices=Method.choices, default=Method.AGREEMENT
    )
    scale = models.PositiveSmallIntegerField(
        _("antwoordschaal"),
        choices=Scale.choices,
        default=Scale.THREE,
        help_text=_("Voor kiezers en standpunten. Kies ze voor je standpunten invult."),
    )
    parties = models.ManyToManyField(
        "Party", related_name="elections", blank=True, verbose_name=_("partijen")
    )
    party_order = models.CharField(
        _("volgorde van partijen"),
        max_length=16,
        choices=[("alphabetical", _("alfabetisch")), ("random", _("willekeurig per kiezer"))],
        default="alphabetical",
        help_text=_("Waar partijen niet op score staan: neutraal, alfabetisch of willekeurig."),
    )
    axis_x_label = models.CharField(
        _("horizontale as"),
        max_length=80,
        blank=True,
        help_text=_("Bijv. 'economisch links – rechts'. Leeg: geen politiek landschap."),
    )
    axis_y_label = models.CharField(
        _("verticale as"),
        max_length=80,
        blank=True,
        help_text=_("Bijv. 'progressief – conservatief'."),
    )

    ranking_threshold = models.DecimalField(
        _("drempel om te rangschikken"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "Een partij krijgt pas een plaats als ze vergeleken is op minstens dit deel van de "
            "stellingen die de kiezer beantwoordde (0 tot 1; 0,5 is de helft)."
        ),
    )

    min_answers = models.PositiveSmallIntegerField(
        _("minimum aantal antwoorden"),
        null=True,
        blank=True,
        help_text=_(
            "Onder dit aantal antwoorden zegt het resultaat dat het advies op weinig antwoorden "
            "rust. Leeg: de helft van de stellingen (zonder reservestellingen), naar boven "
            "afgerond."
        ),
    )
    tie_break_margin = models.PositiveSmallIntegerField(
        _("marge voor reservestellingen"),
        default=5,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Liggen de twee partijen bovenaan hoogstens zoveel procentpunten uit elkaar, dan "
            "krijgt de kiezer de reservestellingen aangeboden die hen onderscheiden."
        ),
    )
    ballot_day = models.ForeignKey(
        BallotDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="elections",
        verbose_name=_("verkiezingsdag"),
        help_text=_(
            "Verkiezingen op dezelfde dag kunnen stellingen delen en samen gepubliceerd worden."
        ),
    )

    published_version = models.ForeignKey(
        "ElectionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("gepubliceerde versie"),
        help_text=_("De bevroren versie die kiezers zien."),
    )

    # Optimistic locking: the admin form carries the revision it was loaded with.
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("verkiezing")
        verbose_name_plural = _("verkiezingen")
        permissions = [
            ("publish_election", _("Kan een verkiezing publiceren")),
            ("correct_published", _("Kan een gepubliceerde verkiezing corrigeren")),
            ("preview_election", _("Kan een conceptverkiezing als kiezer bekijken")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="election_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=["agreement", "cityblock", "euclidean"]),
                name="election_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(ranking_threshold__gte=0, ranking_threshold__lte=1),
                name="election_ranking_threshold_valid",
            ),
            models.CheckConstraint(
                condition=Q(tie_break_margin__lte=100), name="election_tie_break_margin_valid"
            ),
            models.CheckConstraint(condition=Q(scale__in=[3, 5]), name="election_scale_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("quiz:election", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Party(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    short_name = models.CharField(_("afkorting"), max_length=40)
    slug = models.SlugField(_("slug"), unique=True)
    colour = models.CharField(
        _("kleur"), max_length=7, default="#555555", help_text=_("Hexadecimaal, bijv. #1a7f37")
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"), name="party_colour_hex"
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class Theme(models.Model):
    name = models.CharField(_("naam"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self):
        return self.name


def not_shareable(election: "Election", shared) -> list["Election"]:
    """The elections among `shared` a statement of `election` cannot be shared with: its own,
    and any that is not of its election's ballot day."""
    return [
        e
        for e in shared
        if e.pk == election.pk
        or e.ballot_day_id is None
        or e.ballot_day_id != election.ballot_day_id
    ]


def shares_across_days(elections, moves=None) -> list[tuple["Statement", "Election"]]:
    """The sharing that involves `elections` (a statement of one of them shared with another
    election, or another's statement shared with one of them) and that does not stay within one
    ballot day: as saved, or once each election in `moves` (pk: ballot day pk or None) is on
    its new day. An election that leaves its day takes its statements with it, and no longer
    asks the statements of the elections it left."""
    moves = moves or {}

    def day(election):
        return moves.get(election.pk, election.ballot_day_id)

    pks = {e.pk for e in elections}
    rows = Statement.shared_with.through.objects.filter(
        Q(election__in=pks) | Q(statement__election__in=pks)
    ).select_related("statement__election", "election")
    return [
        (row.statement, row.election)
        for row in rows.order_by("statement__election", "statement__order", "election")
        if day(row.election) is None or day(row.election) != day(row.statement.election)
    ]


def unshare_across_days(elections) -> list[tuple["Statement", "Election"]]:
    """Take away the sharing of `elections` that their ballot days, as saved, no longer allow
    (`shares_across_days`); through each statement's `shared_with`, so that the voters' data of
    both elections follows. Returns what was unshared."""
    stale = shares_across_days(elections)
    for statement, election in stale:
        statement.shared_with.remove(election)
    return stale


def published_shares(shares) -> list[str]:
    """The shares (statement, election) among `shares` that a published election asks, as
    "election: statement" for an editor: taking those away is a correction, made on the
    statement, never a side effect of moving an election to another day."""
    return [
        f"{election}: {statement}"
        for statement, election in shares
        if election.is_published or statement.election.is_published
    ]


class StatementQuerySet(models.QuerySet):
    def for_election(self, election):
        """The statements an election asks: its own and those shared with it, in its order."""
        shared = Statement.shared_with.through.objects.filter(election=election)
        return self.filter(Q(election=election) | Q(pk__in=shared.values("statement")))


class Statement(models.Model):
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="statements", verbose_name=_("verkiezing")
    )
    shared_with = models.ManyToManyField(
        Election,
        related_name="shared_statements",
        blank=True,
        verbose_name=_("ook gesteld in"),
        help_text=_(
            "Andere verkiezingen van dezelfde verkiezingsdag die deze stelling ook stellen: "
            "kiezers beantwoorden ze één keer, elke verkiezing rekent ze mee."
        ),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="statements", verbose_name=_("thema")
    )
    order = models.PositiveIntegerField(_("volgorde"))
    title = models.CharField(_("korte titel"), max_length=120)
    text = models.TextField(_("stelling"))
    explanation = models.TextField(
        _("neutrale uitleg"), blank=True, help_text=_("Achtergrond voor kiezers, zonder oordeel.")
    )
    axis = models.CharField(
        _("as in het landschap"),
        max_length=1,
        blank=True,
        choices=[("x", _("horizontaal")), ("y", _("verticaal"))],
    )
    axis_direction = models.SmallIntegerField(
        _("richting"),
        default=1,
        choices=[
            (1, _("eens schuift naar het positieve eind")),
            (-1, _("eens schuift naar het negatieve eind")),
        ],
    )
    reserve = models.BooleanField(
        _("reservestelling"),
        default=False,
        help_text=_(
            "Niet in de gewone reeks: alleen aangeboden als de twee partijen bovenaan dicht bij "
            "elkaar liggen en deze stelling hen onderscheidt."
        ),
    )
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = StatementQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        ordering = ["election", "order"]
        verbose_name = _("stelling")
        verbose_name_plural = _("stellingen")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "order"], name="statement_order_unique_per_election"
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def reopen_review(self, user) -> int:
        """After a change of the text, every stance reviewed against the old text goes back to
        draft, so the publish gate holds the statement until its stances are reviewed again, and
        none still says the party gave or confirmed it. Returns how many changed."""
        reviewed = Q(review_status__in=[ReviewStatus.SUBMITTED, ReviewStatus.APPROVED])
        stances = list(self.stances.filter(reviewed | ~Q(origin=Origin.EDITORS)))
        for stance in stances:
            stance.review_status = workflow.status_after_edit(stance.review_status)
            # What the party gave or confirmed answered the old text.
            stance.origin = Origin.EDITORS
        bulk_update_with_history(
            stances,
            Stance,
            ["review_status", "origin"],
            default_user=user,
            default_change_reason="Stelling gewijzigd: opnieuw controleren",
        )
        return len(stances)

    def drop_party_marks(self, user) -> int:
        """After a correction of the text of a published statement: the stances keep their
        review (an Eindredacteur corrected it), but none still says the party gave or confirmed
        it, as the party answered the old text. Returns how many changed."""
        stances = list(self.stances.exclude(origin=Origin.EDITORS))
        for stance in stances:
            stance.origin = Origin.EDITORS
        bulk_update_with_history(
            stances,
            Stance,
            ["origin"],
            default_user=user,
            default_change_reason="Stelling gecorrigeerd: niet meer door de partij gegeven",
        )
        return len(stances)


# The languages editors translate voter-facing texts into; Dutch is the original.
TRANSLATED_LANGUAGES = [("fr", "Français"), ("en", "English")]


class ThemeTranslation(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("taal"), max_length=8, choices=TRANSLATED_LANGUAGES)
    name = models.CharField(_("naam"), max_length=120)

    class Meta:
        verbose_name = _("vertaling")
        verbose_name_plural = _("vertalingen")
        constraints = [
            models.UniqueConstraint(fields=["theme", "language"], name="theme_translation_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"


class StatementTranslation(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("taal"), max_length=8, choices=TRANSLATED_LANGUAGES)
    title = models.CharField(_("korte titel"), max_length=120)
    text = models.TextField(_("stelling"))
    explanation = models.TextField(_("neutrale uitleg"), blank=True)

    class Meta:
        verbose_name = _("vertaling")
        verbose_name_plural = _("vertalingen")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "language"], name="statement_translation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"


class ElectionTranslation(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("taal"), max_length=8, choices=TRANSLATED_LANGUAGES)
    name = models.CharField(_("naam"), max_length=200)
    intro = models.TextField(_("introductie"), blank=True)
    axis_x_label = models.CharField(_("horizontale as"), max_length=80, blank=True)
    axis_y_label = models.CharField(_("verticale as"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("vertaling")
        verbose_name_plural = _("vertalingen")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "language"], name="election_translation_unique"
            ),
            models.CheckConstraint(
                condition=Q(language__in=["fr", "en"]), name="election_translation_language"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"


class BallotDayTranslation(models.Model):
    day = models.ForeignKey(BallotDay, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("taal"), max_length=8, choices=TRANSLATED_LANGUAGES)
    name = models.CharField(_("naam"), max_length=200)
    intro = models.TextField(_("introductie"), blank=True)

    class Meta:
        verbose_name = _("vertaling")
        verbose_name_plural = _("vertalingen")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language"], name="ballot_day_translation_unique"
            ),
            models.CheckConstraint(
                condition=Q(language__in=["fr", "en"]), name="ballot_day_translation_language"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"


class ManifestoDocument(models.Model):
    """A party programme, kept verbatim so every quote can be found in it."""

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="documents", verbose_name=_("partij")
    )
    title = models.CharField(_("titel"), max_length=300)
    election_name = models.CharField(
        _("geschreven voor"),
        max_length=200,
        blank=True,
        help_text=_("De verkiezing waarvoor de partij dit programma schreef."),
    )
    year = models.PositiveIntegerField(_("jaar"), null=True, blank=True)
    country = models.CharField(_("land"), max_length=2, blank=True, help_text="ISO 3166, bijv. BE")
    language = models.CharField(_("taal"), max_length=8, default="nl")
    coverage = models.CharField(
        _("omvang"), max_length=300, blank=True, help_text=_("Welk deel van het programma dit is.")
    )
    original_text = models.TextField(_("oorspronkelijke tekst"))
    sha256 = models.CharField(max_length=64, editable=False)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["party", "title"]
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")
        constraints = [
            models.UniqueConstraint(fields=["party", "sha256"], name="document_unique_per_party"),
        ]

    def __str__(self):
        return self.title


class Passage(models.Model):
    document = models.ForeignKey(
        ManifestoDocument, on_delete=models.CASCADE, related_name="passages"
    )
    order = models.PositiveIntegerField()
    heading = models.CharField(max_length=300, blank=True)
    line_start = models.PositiveIntegerField(help_text="1-based line in the original text")
    line_end = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["document", "order"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="passage_order_unique"),
            models.CheckConstraint(
                condition=Q(line_end__gte=models.F("line_start")), name="passage_lines_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.document} r. {self.line_start}-{self.line_end}"


class StanceQuerySet(models.QuerySet):
    def for_election(self, election):
        """The stances of an election's parties on the statements it asks (shared ones too)."""
        return self.filter(
            statement__in=Statement.objects.for_election(election),
            party__in=Election.parties.through.objects.filter(election=election).values("party"),
        )


class Stance(models.Model):
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="stances", verbose_name=_("stelling")
    )
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="stances", verbose_name=_("partij")
    )
    position = models.CharField(
        _("standpunt"), max_length=20, choices=Position.choices, default=Position.NONE
    )
    explanation = models.TextField(_("toelichting van de partij"), blank=True)
    document = models.ForeignKey(
        ManifestoDocument,
        on_delete=models.PROTECT,
        related_name="stances",
        null=True,
        blank=True,
        verbose_name=_("bron"),
    )
    quote = models.TextField(
        _("citaat"), blank=True, help_text=_("Letterlijk overgenomen uit de oorspronkelijke tekst.")
    )
    # The quote as voters see it (`manifesto.clean_quote`), kept with the quote so that a voter's
    # page never loads the word list the cleaning may need.
    shown_quote = models.TextField(_("citaat zoals getoond"), blank=True, editable=False)
    location = models.CharField(
        _("vindplaats"), max_length=120, blank=True, help_text=_("Bijv. 'regels 120-124'.")
    )
    origin = models.CharField(
        _("herkomst"),
        max_length=16,
        choices=Origin.choices,
        default=Origin.EDITORS,
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)
    review_status = models.CharField(
        _("controle"),
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        editable=False,
    )
    review_comment = models.TextField(_("opmerking eindredactie"), blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("laatst bewerkt door"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("gecontroleerd door"),
    )
    reviewed_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True, editable=False)
    # Optimistic locking: the admin form carries the revision it was loaded with.
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = StanceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["revision", "updated_at", "shown_quote"])

    class Meta:
        ordering = ["statement", "party"]
        verbose_name = _("standpunt")
        verbose_name_plural = _("standpunten")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "party"], name="stance_unique_per_party_per_statement"
            ),
            models.CheckConstraint(
                condition=Q(position__in=[p.value for p in Position]), name="stance_position_valid"
            ),
            models.CheckConstraint(
                condition=Q(quote="") | Q(document__isnull=False), name="stance_quote_has_document"
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=[s.value for s in ReviewStatus]),
                name="stance_review_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(origin__in=[o.value for o in Origin]), name="stance_origin_valid"
            ),
        ]
        permissions = [("approve_stance", _("Kan standpunten goedkeuren of terugsturen"))]

    def __str__(self):
        return f"{self.party} – {self.statement}"

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None or "quote" in update_fields:
            self.shown_quote = clean_quote(self.quote)
            if update_fields is not None:
                update_fields = {*update_fields, "shown_quote"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def clean(self):
        """A stance names a party of an election that asks its statement, takes a position of
        that election's scale, and quotes a programme of that party verbatim; the lines it gives
        are where the quote stands."""
        self.explanation, self.quote = unix_newlines(self.explanation), unix_newlines(self.quote)
        errors = {}
        election = self.statement.election if self.statement_id else None
        if election and self.party_id and not self._party_takes_part():
            message = _("Deze partij doet niet mee aan “%(election)s”.")
            errors["party"] = message % {"election": election}
        if election and self.position in FIVE_POINT_ONLY and election.scale != Scale.FIVE:
            errors["position"] = _(
                "'%(position)s' kan alleen bij een verkiezing met 5 standen; deze "
                "verkiezing heeft er 3."
            ) % {"position": Position(self.position).label}
        if self.quote.strip() and not self.document_id:
            errors["document"] = _("Kies het programma waaruit het citaat komt.")
        elif self.document_id and self.party_id and "party" not in errors:
            errors.update(self._clean_quote())
        if errors:
            raise ValidationError(errors)

    def _party_takes_part(self) -> bool:
        """The party runs in the statement's own election or in one that shares it."""
        statement = self.statement
        elections = Q(pk=statement.election_id) | Q(shared_statements=statement)
        return Election.objects.filter(elections, parties=self.party_id).exists()

    def _clean_quote(self) -> dict:
        party_id, title, text = ManifestoDocument.objects.values_list(
            "party_id", "title", "original_text"
        ).get(pk=self.document_id)
        if party_id != self.party_id:
            message = _("“%(title)s” is geen programma van deze partij.")
            return {"document": message % {"title": title}}
        if not self.quote.strip():
            return {}
        found = locate_quote(text, self.quote)
        if found is None:
            message = _(
                "Dit citaat staat niet letterlijk in “%(title)s”. Kopieer het uit het programma, "
                "bijvoorbeeld met de zoekfunctie."
            )
            return {"quote": message % {"title": title}}
        self.quote, line_start, line_end = found
        self.location = location(line_start, line_end)
        return {}

    @property
    def has_source(self) -> bool:
        return bool(self.quote and self.document_id)

    def facts(self) -> workflow.StanceFacts:
        return workflow.StanceFacts(
            self.review_status,
            self.position,
            self.explanation,
            self.has_source,
            self.edited_by_id,
            self.submitted_by_id,
        )

    def record_edit(self, user, *, correction: bool = False) -> None:
        """Note who changed the content; outside a correction, it needs a new review. What the
        editors changed is no longer what the party gave or confirmed, and has a new revision: a
        form opened before it is refused, and so is a party's answer on the coding it replaced."""
        self.edited_by = user
        self.origin = Origin.EDITORS
        self.revision += 1
        if correction:
            self.review_status = ReviewStatus.APPROVED
            self.reviewed_by, self.reviewed_at = user, timezone.now()
        else:
            self.review_status = workflow.status_after_edit(self.review_status)

    def _check_draft(self) -> None:
        if self.statement.election.is_published:
            raise workflow.NotAllowed(
                "De verkiezing is gepubliceerd: alleen een correctie is nog mogelijk."
            )

    def _transition(self, user, check, changes: dict, reason: str = "") -> None:
        """Move the review state, checked against the stored row while it is locked.

        Two reviewers acting at once cannot both pass the check (the second waits for the first
        and sees its outcome), and only the review fields are written, so an edit of the content
        made meanwhile is kept.
        """
        with transaction.atomic():
            stored = (
                Stance.objects.select_for_update(of=("self",))
                .select_related("statement__election")
                .get(pk=self.pk)
            )
            stored._check_draft()
            check(actor_for(user), stored.facts())
            for name, value in changes.items():
                setattr(stored, name, value)
            stored._history_user = user
            if reason:
                stored._change_reason = reason
            stored.save(update_fields=[*changes, "updated_at"])
        for name in [*changes, "updated_at"]:
            setattr(self, name, getattr(stored, name))

    def submit(self, user) -> None:
        self._transition(
            user,
            workflow.check_submit,
            {"review_status": ReviewStatus.SUBMITTED, "submitted_by": user},
        )

    def approve(self, user) -> None:
        self._transition(
            user,
            workflow.check_approve,
            {
                "review_status": ReviewStatus.APPROVED,
                "review_comment": "",
                "reviewed_by": user,
                "reviewed_at": timezone.now(),
            },
        )

    def send_back(self, user, comment: str) -> None:
        self._transition(
            user,
            functools.partial(workflow.check_send_back, comment=comment),
            {
                "review_status": ReviewStatus.RETURNED,
                "review_comment": comment.strip(),
                "reviewed_by": user,
                "reviewed_at": timezone.now(),
            },
            reason=comment.strip()[:100],
        )


class StanceTranslation(models.Model):
    stance = models.ForeignKey(Stance, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("taal"), max_length=8, choices=TRANSLATED_LANGUAGES)
    explanation = models.TextField(_("toelichting van de partij"))

    class Meta:
        verbose_name = _("vertaling")
        verbose_name_plural = _("vertalingen")
        constraints = [
            models.UniqueConstraint(
                fields=["stance", "language"], name="stance_translation_unique"
            ),
            models.CheckConstraint(
                condition=Q(language__in=["fr", "en"]), name="stance_translation_language"
            ),
        ]

    def __str__(self):
        return f"{self.stance} ({self.language})"


def actor_for(user) -> workflow.Actor:
    return workflow.Actor(
        user.pk,
        can_edit=user.has_perm("positions.change_stance"),
        can_review=user.has_perm("positions.approve_stance"),
    )


class ElectionVersion(models.Model):
    """A frozen copy of an election as voters see it, made on publication and on each correction.

    Immutable: a voter who started on a version finishes on it, and the quiz caches it by id.
    """

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="versions", verbose_name=_("verkiezing")
    )
    number = models.PositiveIntegerField(_("versie"))
    data = models.JSONField(editable=False)
    note = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )
    withdrawal_reason = models.TextField(_("reden van intrekken"), blank=True)

    class Meta:
        ordering = ["election", "-number"]
        verbose_name = _("gepubliceerde versie")
        verbose_name_plural = _("gepubliceerde versies")
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="election_version_unique"),
        ]

    def __str__(self):
        return f"{self.election} v{self.number}"
