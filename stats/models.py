"""Anonymous result statistics: one small row per completed quiz, counted in SQL, and the
releases made of them.

A row holds no IP address, user agent, cookie, session or time of day: only the day, the answers,
which statements mattered more, and the scores (see `stats.codec` for the byte layout). Its key is
random, so neither the key nor the order of keys tells when it was recorded.

What is public is never counted on a request: `DayCount` holds the counts of each closed day (the
exact ones and the noisy ones drawn once, see `stats.privacy`), and `Release` the published
tables, rendered once and served as stored (see `stats.releases`).
"""

import datetime
import secrets
from collections.abc import Sequence

from django.db import models
from django.db.models import Count, F, Func, Value
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from positions.models import Election, Method

from . import codec


class Layout(models.Model):
    """One version of an election as its completions were recorded: which statement and which
    party each byte of `Completion.answers` and `Completion.scores` stands for."""

    election = models.ForeignKey(
        # PROTECT: deleting an election must not silently drop its statistics; the statistics
        # admin deletes them first, in one statement.
        Election,
        on_delete=models.PROTECT,
        related_name="stats_layouts",
        verbose_name=_("verkiezing"),
    )
    version = models.CharField(_("versie"), max_length=12, help_text="ElectionData.version")
    method = models.CharField(_("rekenmethode"), max_length=16, choices=Method.choices)
    statements = models.JSONField(_("stellingen"), help_text=_("Stelling-id's, in quizvolgorde."))
    parties = models.JSONField(_("partijen"), help_text=_("Partij-slugs."))

    class Meta:
        verbose_name = _("opbouw van een versie")
        verbose_name_plural = _("opbouw van versies")
        constraints = [
            models.UniqueConstraint(fields=["election", "version"], name="layout_unique_version"),
        ]

    def __str__(self):
        return f"{self.election_id}:{self.version}"

    @property
    def shape(self) -> tuple[tuple[int, ...], tuple[str, ...]]:
        return tuple(self.statements), tuple(self.parties)


class _AnswerByte(Func):
    """A test on one answer byte. An aggregate's FILTER clause calls as_sql() directly (not
    as_sqlite()), so the SQLite form is chosen here."""

    output_field = models.BooleanField()
    sqlite_template = ""

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor == "sqlite":
            extra_context.setdefault("template", self.sqlite_template)
        return super().as_sql(compiler, connection, **extra_context)


class AnswerIs(_AnswerByte):
    """Whether the voter gave `answer` to the statement at a 0-based position, whether or not
    they marked it as mattering more (either case of its letter, see `stats.codec`)."""

    template = "(get_byte(%(expressions)s, %(position)d) | %(case_bit)d) = %(lower)d"
    # Comparing one-byte blobs is twice as fast in SQLite as reading the byte's value.
    sqlite_template = (
        "substr(%(expressions)s, %(position)d + 1, 1) IN (x'%(lower)02x', x'%(upper)02x')"
    )

    def __init__(self, position: int, answer: str):
        lower = codec.ANSWER_CODES[answer]
        super().__init__(
            F("answers"),
            position=int(position),
            lower=lower,
            upper=lower ^ codec.IMPORTANT_BIT,
            case_bit=codec.IMPORTANT_BIT,
        )


class MattersMore(_AnswerByte):
    """Whether the voter marked the statement at a 0-based position as mattering more (an
    upper-case letter, see `stats.codec`)."""

    template = "(get_byte(%(expressions)s, %(position)d) & %(case_bit)d) = 0"
    sqlite_template = "substr(%(expressions)s, %(position)d + 1, 1) < x'60'"

    def __init__(self, position: int):
        super().__init__(F("answers"), position=int(position), case_bit=codec.IMPORTANT_BIT)


class CompletionQuerySet(models.QuerySet):
    def for_layouts(self, layout_ids):
        return self.filter(layout__in=layout_ids)

    def real(self):
        """Without the rows of `simulate_results`."""
        return self.filter(simulated=False)

    def between(self, date_from=None, date_to=None):
        qs = self
        if date_from:
            qs = qs.filter(day__gte=date_from)
        if date_to:
            qs = qs.filter(day__lte=date_to)
        return qs

    def day_counts(self) -> list[tuple]:
        return list(self.values_list("day").annotate(n=Count("*")).order_by("day"))

    def answer_counts(
        self, statements: int, given: Sequence[str] = ("agree", "neutral", "disagree")
    ) -> dict[datetime.date, list[dict[str, int]]]:
        """Per day, per statement position: how many gave each of the `given` answers (on the
        5-point scale also the strong ones), how many skipped (every other row) and how many
        marked it as mattering more. One pass, a count per answer and statement."""
        totals = {"rows": Count("pk")}
        for i in range(statements):
            for name in given:
                totals[f"{name}_{i}"] = Count("pk", filter=AnswerIs(i, name))
            totals[f"important_{i}"] = Count("pk", filter=MattersMore(i))
        result = {}
        for row in self.values("day").annotate(**totals).order_by():
            counts = []
            for i in range(statements):
                answers = {name: row[f"{name}_{i}"] for name in given}
                skip = row["rows"] - sum(answers.values())
                counts.append({**answers, "skip": skip, "important": row[f"important_{i}"]})
            result[row["day"]] = counts
        return result

    def score_counts(self, parties: int) -> list[tuple[datetime.date, int, bytes, int]]:
        """(day, party position, packed score, rows) for every score that occurs, in one
        query."""
        per_party = [
            self.annotate(party=Value(i), score=Substr("scores", 2 * i + 1, 2))
            .values_list("day", "party", "score")
            .annotate(n=Count("*"))
            .order_by()
            for i in range(parties)
        ]
        if not per_party:
            return []
        rows = per_party[0].union(*per_party[1:], all=True)
        return [(_as_date(day), party, bytes(score), n) for day, party, score, n in rows]

    def best_counts(self) -> list[tuple[datetime.date, bytes, int]]:
        """(day, packed best parties, rows): voters grouped by which parties matched them
        best."""
        rows = self.values_list("day", "best").annotate(n=Count("*")).order_by()
        return [(day, bytes(best), n) for day, best, n in rows]


def _as_date(day) -> datetime.date:
    """A day from a UNION query, which SQLite returns as text."""
    return datetime.date.fromisoformat(day) if isinstance(day, str) else day


def random_key() -> int:
    """A primary key that says nothing about when its row was inserted."""
    return secrets.randbelow(2**63 - 1) + 1


class Completion(models.Model):
    """One completed quiz. Rows are only ever inserted, never updated."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    layout = models.ForeignKey(
        Layout, on_delete=models.CASCADE, related_name="completions", db_index=False
    )
    day = models.DateField(_("dag"))
    answers = models.BinaryField(_("antwoorden"))
    scores = models.BinaryField(_("scores"))
    best = models.BinaryField(_("beste match"))
    simulated = models.BooleanField(
        _("gesimuleerd"), default=False, help_text=_("Ingevoegd door simulate_results.")
    )

    objects = CompletionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ingevulde stemhulp")
        verbose_name_plural = _("ingevulde stemhulpen")
        permissions = [("view_microdata", _("Kan de microdata inzien en downloaden"))]
        indexes = [
            # CompletionQuerySet.for_layouts().between(): every aggregate, and day_counts().
            models.Index(fields=["layout", "day"], name="completion_layout_day"),
        ]

    def __str__(self):
        return f"{self.day} ({self.layout_id})"


class CountedRunQuerySet(models.QuerySet):
    def expired(self, today: datetime.date):
        return self.filter(expires__lt=today)


class CountedRun(models.Model):
    """A quiz run that was counted, so that replaying its cookie on any node does not count it
    again. Inserted in the same transaction as its `Completion`, yet never linked to it: a hash
    of the run's random token (not the token), and the day after which the cookie holding it
    has expired and the row may go. No time and no sequence number. (The storage order of rows
    still follows the inserts, but matching a row to a completion that way takes the voter's
    cookie to hash, and the cookie holds the answers anyway.)"""

    token = models.CharField(max_length=32, primary_key=True)
    expires = models.DateField()

    objects = CountedRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("getelde invulling")
        verbose_name_plural = _("getelde invullingen")
        indexes = [
            # CountedRunQuerySet.expired(): the daily purge.
            models.Index(fields=["expires"], name="countedrun_expires"),
        ]

    def __str__(self):
        return self.token


class DayCount(models.Model):
    """The counts of one election on one closed day, made once by `make_releases` and never
    changed: `exact` (a `stats.aggregate.Tallies` as JSON, for the Beheerder) and `noisy` (the
    same counts with noise drawn once, the only source of every public figure)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="day_counts")
    day = models.DateField(_("dag"))
    simulated = models.BooleanField(_("met gesimuleerde invullingen"), default=False)
    exact = models.JSONField()
    noisy = models.JSONField()

    class Meta:
        verbose_name = _("dagtelling")
        verbose_name_plural = _("dagtellingen")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "simulated", "day"], name="daycount_unique_day"
            ),
        ]

    def __str__(self):
        return f"{self.election_id}:{self.day}"


class DayMicrodata(models.Model):
    """The real completions of one election on one closed day as a Parquet file, written once by
    `make_releases` in the microdata export's columns, so that an export of closed days copies
    their row groups instead of reading and encoding the rows again (`stats.rowgroups`).
    `fingerprint` names the columns, versions and README it was written with; a file whose
    fingerprint is not the export's (a version published since) is not used."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="day_microdata")
    day = models.DateField(_("dag"))
    fingerprint = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    parquet = models.BinaryField()

    class Meta:
        verbose_name = _("microdata van een dag")
        verbose_name_plural = _("microdata per dag")
        constraints = [
            models.UniqueConstraint(fields=["election", "day"], name="daymicrodata_unique_day"),
        ]

    def __str__(self):
        return f"{self.election_id}:{self.day}"


class ReleaseQuerySet(models.QuerySet):
    def of(self, slug: str, simulated: bool = False):
        return self.filter(election__slug=slug, simulated=simulated)

    def listing(self):
        """Newest first, without the bodies and exact counts."""
        return self.order_by("-last_day", "kind").defer("body", "exact")


class Release(models.Model):
    """Published statistics of one closed period, rendered once: `body` is the JSON the public
    endpoint serves, byte for byte. Never changed after it is made."""

    class Kind(models.TextChoices):
        DAY = "day", _("één dag")
        TO_DATE = "to", _("tot en met die dag")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="releases")
    kind = models.CharField(_("soort"), max_length=3, choices=Kind.choices)
    first_day = models.DateField(_("eerste dag"))
    last_day = models.DateField(_("laatste dag"))
    simulated = models.BooleanField(_("met gesimuleerde invullingen"), default=False)
    body = models.TextField()
    # The exact counts of the same period (a `stats.aggregate.Tallies` as JSON), for the
    # Beheerder's page: one row to read instead of a day count per day. Never public.
    exact = models.JSONField()

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")
        constraints = [
            # Also the index of the public read: ReleaseQuerySet.of().filter(kind, last_day).
            models.UniqueConstraint(
                fields=["election", "simulated", "kind", "last_day"],
                name="release_unique_period",
            ),
        ]

    def __str__(self):
        return self.key

    @property
    def key(self) -> str:
        """How the public endpoint names it: `day-2026-03-17` or `to-2026-03-17`."""
        return f"{self.kind}-{self.last_day.isoformat()}"


class ElectionStatistics(Election):
    """The statistics pages of the admin, one per election."""

    class Meta:
        proxy = True
        verbose_name = _("statistiek")
        verbose_name_plural = _("statistieken")
