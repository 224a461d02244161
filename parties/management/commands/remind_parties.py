"""Remind the contacts of parties whose round closes soon and is not yet submitted, or has
answers the editors contested or statements added after it was submitted. Rounds of a published
election are not reminded.

    manage.py remind_parties [--days 3]

For a scheduler (cron, a systemd timer), e.g. daily or hourly: a round is reminded at most once
in 20 hours, so running it more often sends nothing twice. One line per mail sent. Exits 1 when
the mail server refused a mail, 0 otherwise. A round with a refused mail is tried again on the
next run, all its contacts: those who got the mail the first time get it twice.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.timezone import localtime

from parties.mail import MAIL_ERRORS, send_reminder
from parties.models import Answer, AnswerStatus, Round
from positions.models import Election, Statement

# Not twice within this time, however often the scheduler runs the command.
QUIET = datetime.timedelta(hours=20)
# What a party has answered: a position given, or (check mode) agreed or objected.
ANSWERED = Q(position__gt="") | Q(agrees__isnull=False)


def due(now) -> Q:
    """Not submitted, or submitted with answers the editors contested or statements added since,
    which the party may (re)submit until the deadline; not reminded lately, and on an election
    not yet published (nothing can be answered then)."""
    contested = Answer.objects.filter(round=OuterRef("pk"), status=AnswerStatus.CONTESTED)
    answer = Answer.objects.filter(round=OuterRef(OuterRef("pk")), statement=OuterRef("pk"))
    unanswered = Statement.objects.filter(
        Q(election=OuterRef("election")) | Q(shared_with=OuterRef("election")), ~Exists(answer)
    )
    return (
        (Q(submitted_at__isnull=True) | Exists(contested) | Exists(unanswered))
        & (Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - QUIET))
        & ~Q(election__status=Election.Status.PUBLISHED)
    )


class Command(BaseCommand):
    help = (
        "Mail a reminder to the contacts of party rounds whose deadline is near, not submitted "
        "or with contested answers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="remind when the deadline is within this many days (default 3)",
        )

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        now = timezone.now()
        closing = Round.objects.filter(
            due(now), deadline__gt=now, deadline__lte=now + datetime.timedelta(days=days)
        )
        failed = sum(self._remind(pk, now) for pk in closing.values_list("pk", flat=True))
        if failed:
            raise CommandError(f"{failed} herinnering(en) niet verstuurd; zie hierboven.")

    def _remind(self, pk: int, now) -> int:
        """Mail the round's contacts; the number of mails that failed."""
        with transaction.atomic():
            # Locked and checked again: two schedulers running at once remind once.
            round = (
                Round.objects.select_for_update(of=("self",))
                .select_related("party", "election")
                .filter(due(now), pk=pk)
                .first()
            )
            if round is None:
                return 0
            answered = Answer.objects.filter(ANSWERED, round=round).count()
            contested = round.answers.filter(status=AnswerStatus.CONTESTED).count()
            total = round.statements().count()
            deadline = f"{localtime(round.deadline):%Y-%m-%d %H:%M}"
            sent = failed = 0
            for contact in round.contacts.all():
                contact.round = round
                try:
                    send_reminder(contact, answered, total, contested)
                except MAIL_ERRORS as exc:
                    self.stderr.write(f"{contact.email}: niet verstuurd ({exc})")
                    failed += 1
                    continue
                sent += 1
                self.stdout.write(
                    f"{contact.email}: {round.party} – {round.election}, "
                    f"{answered}/{total} beantwoord, uiterlijk {deadline}"
                )
            if sent and not failed:
                round.reminded_at = now
                round._change_reason = "Herinnering verstuurd"
                round.save(update_fields=["reminded_at"])
            return failed
