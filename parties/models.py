"""The party round: a party contact answers (or checks) the statements of one election for one
party; editors accept each answer into the stance or contest it with a comment.

Answers are kept apart from stances: what a party sends never reaches voters until an editor has
accepted it into the `positions.Stance`, which then goes through the ordinary review and publish
gate. The stance's `origin` tells voters that the party gave or confirmed it.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from positions.models import Election, ManifestoDocument, Party, Position, Stance, Statement


class Mode(models.TextChoices):
    ANSWER = "answer", _("de partij antwoordt")
    CHECK = "check", _("de partij controleert de codering")


class RoundQuerySet(models.QuerySet):
    def open(self):
        """Rounds a party can still work in: not past their deadline."""
        return self.filter(deadline__gt=timezone.now())


class Round(models.Model):
    """One party's part in the party round of one election."""

    election = models.ForeignKey(
        Election,
        on_delete=models.CASCADE,
        related_name="party_rounds",
        verbose_name=_("verkiezing"),
    )
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("partij")
    )
    mode = models.CharField(_("werkwijze"), max_length=8, choices=Mode.choices)
    deadline = models.DateTimeField(_("uiterste datum"))
    explanation_limit = models.PositiveSmallIntegerField(
        _("lengte van de toelichting"),
        default=500,
        validators=[MinValueValidator(50), MaxValueValidator(2000)],
        help_text=_("Het grootste aantal tekens dat de partij per toelichting mag gebruiken."),
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    reminded_at = models.DateTimeField(
        _("laatst herinnerd op"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "party"]
        verbose_name = _("partijronde")
        verbose_name_plural = _("partijrondes")
        constraints = [
            models.UniqueConstraint(fields=["election", "party"], name="round_unique_per_party"),
            models.CheckConstraint(condition=Q(mode__in=["answer", "check"]), name="round_mode"),
            models.CheckConstraint(
                condition=Q(explanation_limit__gte=50, explanation_limit__lte=2000),
                name="round_explanation_limit",
            ),
        ]
        permissions = [("review_answer", _("Kan antwoorden van partijen aanvaarden of betwisten"))]

    def __str__(self):
        return f"{self.party} – {self.election}"

    @property
    def is_past_deadline(self) -> bool:
        return timezone.now() >= self.deadline

    def statements(self):
        """The statements the party answers: every statement its election asks, reserve ones too."""
        return Statement.objects.for_election(self.election).order_by("order", "pk")


class Contact(models.Model):
    """A person who answers for a party in one round: invited by e-mail with a single-use,
    expiring link that sets a password. The account it makes can only reach this round."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partijronde")
    )
    name = models.CharField(_("naam"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="party_contact",
        verbose_name=_("account"),
    )
    # sha256 of the invitation token: the link in the e-mail is the only copy of the token.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("link geldig tot"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("aanvaard op"), null=True, blank=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )

    class Meta:
        ordering = ["round", "email"]
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="contact_unique_per_round"),
        ]

    def __str__(self):
        return self.name or self.email


INVITATION_VALID = datetime.timedelta(days=7)


class AnswerStatus(models.TextChoices):
    OPEN = "open", _("in bewerking")
    SUBMITTED = "submitted", _("ingediend")
    ACCEPTED = "accepted", _("aanvaard")
    CONTESTED = "contested", _("betwist")


class Answer(models.Model):
    """The party's answer on one statement.

    In "answer" mode the party gives position, explanation and source. In "check" mode it agrees
    with the editors' coding (`agrees`), or objects with a reason (`explanation`) and may propose
    a better position and source.
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="answers", verbose_name=_("partijronde")
    )
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="party_answers",
        verbose_name=_("stelling"),
    )
    agrees = models.BooleanField(_("akkoord met de codering"), null=True, blank=True)
    position = models.CharField(_("standpunt"), max_length=20, choices=Position.choices, blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
    document = models.ForeignKey(
        ManifestoDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_answers",
        verbose_name=_("bron"),
    )
    quote = models.TextField(_("citaat"), blank=True)
    location = models.CharField(_("vindplaats"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.OPEN
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    # What the party answered on, so that an editor cannot accept an answer into a statement or
    # a coding the party never saw: the statement's text, and in check mode the editors' stance
    # with its revision as the page showed it. Every editors' change of a stance's content
    # bumps its revision (`Stance.record_edit`, accepting a party's answer, the demo loader).
    statement_text = models.TextField(_("stelling zoals beantwoord"), blank=True, editable=False)
    seen_stance = models.ForeignKey(
        Stance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("getoonde codering"),
    )
    seen_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "statement__order"]
        verbose_name = _("antwoord van een partij")
        verbose_name_plural = _("antwoorden van partijen")
        constraints = [
            models.UniqueConstraint(fields=["round", "statement"], name="answer_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in AnswerStatus]), name="answer_status"
            ),
            models.CheckConstraint(
                condition=Q(position__in=["", *[p.value for p in Position]]),
                name="answer_position_valid",
            ),
            models.CheckConstraint(
                condition=Q(quote="") | Q(document__isnull=False), name="answer_quote_has_document"
            ),
        ]

    def __str__(self):
        return f"{self.round.party} – {self.statement}"

    def answers_an_old_version(self, stance: Stance | None) -> bool:
        """Whether the statement's text changed after the party answered, or, for an agreement,
        the editors' coding (`stance`, the current one) did: such an answer cannot be accepted,
        the party looks again and saves it."""
        if self.statement_text != self.statement.text:
            return True
        if self.round.mode != Mode.CHECK or not self.agrees:
            return False
        current = (stance.pk, stance.revision) if stance else (None, None)
        return (self.seen_stance_id, self.seen_revision) != current


class Comment(models.Model):
    """One message in the thread of an answer: an editor contesting it, the party replying."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="comments", verbose_name=_("antwoord")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    by_party = models.BooleanField(_("van de partij"))
    text = models.TextField(_("opmerking"))
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        ordering = ["answer", "created_at", "pk"]
        verbose_name = _("opmerking")
        verbose_name_plural = _("opmerkingen")

    def __str__(self):
        return self.text[:60]
