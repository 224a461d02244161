"""Anonymous result statistics: one small row per completed quiz, counted in SQL.

A row holds no IP address, user agent, cookie, session or time of day: only the day, the answers,
which statements mattered more, and the scores (see `stats.codec` for the byte layout).
"""

import datetime

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

    def between(self, date_from=None, date_to=None):
        qs = self
        if date_from:
            qs = qs.filter(day__gte=date_from)
        if date_to:
            qs = qs.filter(day__lte=date_to)
        return qs

    def day_counts(self) -> list[tuple]:
        return list(self.values_list("day").annotate(n=Count("*")).order_by("day"))

    def answer_counts(self, statements: int) -> list[dict[str, int]]:
        """Per statement position: how many agreed, were neutral, disagreed or skipped, and how
        many marked it as mattering more. One pass, four counts per statement."""
        totals = {"rows": Count("pk")}
        for i in range(statements):
            for name in ("agree", "neutral", "disagree"):
                totals[f"{name}_{i}"] = Count("pk", filter=AnswerIs(i, name))
            totals[f"important_{i}"] = Count("pk", filter=MattersMore(i))
        totals = self.aggregate(**totals)
        counts = []
        for i in range(statements):
            given = {name: totals[f"{name}_{i}"] for name in ("agree", "neutral", "disagree")}
            skip = totals["rows"] - sum(given.values())
            counts.append({**given, "skip": skip, "important": totals[f"important_{i}"]})
        return counts

    def score_counts(self, parties: int) -> list[tuple[int, bytes, int]]:
        """(party position, packed score, rows) for every score that occurs, all in one query."""
        per_party = [
            self.annotate(party=Value(i), score=Substr("scores", 2 * i + 1, 2))
            .values_list("party", "score")
            .annotate(n=Count("*"))
            .order_by()
            for i in range(parties)
        ]
        if not per_party:
            return []
        rows = per_party[0].union(*per_party[1:], all=True)
        return [(party, bytes(score), n) for party, score, n in rows]

    def best_counts(self) -> list[tuple[bytes, int]]:
        """(packed best parties, rows): voters grouped by which parties matched them best."""
        rows = self.values_list("best").annotate(n=Count("*")).order_by()
        return [(bytes(best), n) for best, n in rows]


class Completion(models.Model):
    """One completed quiz. Rows are only ever inserted, never updated."""

    layout = models.ForeignKey(
        Layout, on_delete=models.CASCADE, related_name="completions", db_index=False
    )
    day = models.DateField(_("dag"))
    answers = models.BinaryField(_("antwoorden"))
    scores = models.BinaryField(_("scores"))
    best = models.BinaryField(_("beste match"))

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


class ElectionStatistics(Election):
    """The statistics pages of the admin, one per election."""

    class Meta:
        proxy = True
        verbose_name = _("statistiek")
        verbose_name_plural = _("statistieken")
