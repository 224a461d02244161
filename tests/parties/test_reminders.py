"""`manage.py remind_parties`: a reminder to the contacts of rounds closing soon, not submitted,
not twice within 20 hours."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import BadHeaderError
from django.core.management import CommandError, call_command
from django.utils import timezone

from parties.models import Round
from positions.models import Election
from tests.factories import AnswerFactory, ContactFactory, party_round

pytestmark = pytest.mark.django_db


def remind(*args) -> list[str]:
    out = StringIO()
    call_command("remind_parties", *args, stdout=out)
    return out.getvalue().splitlines()


def closing_in(days: float, **kwargs) -> Round:
    return party_round(deadline=timezone.now() + datetime.timedelta(days=days), **kwargs)


def test_the_contacts_of_a_round_closing_soon_are_reminded_one_line_each():
    round = closing_in(2)
    ContactFactory(round=round, email="bob@alfa.example")
    AnswerFactory(round=round, statement=round.election.statements.get(order=1), status="open")
    lines = remind()
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@alfa.example", "bob@alfa.example"]
    assert len(lines) == 2
    assert lines[0].startswith(
        f"anna@alfa.example: A – {round.election}, 1/2 beantwoord, uiterlijk "
    )
    assert "Tot nu toe is 1 stelling van de 2 beantwoord." in mail.outbox[0].body


def test_a_round_closing_later_is_not_reminded_yet():
    closing_in(4)
    assert remind() == []
    assert mail.outbox == []


def test_the_number_of_days_can_be_chosen():
    closing_in(4)
    assert len(remind("--days", "5")) == 1


def test_a_submitted_round_is_not_reminded():
    round = closing_in(1)
    for statement in round.election.statements.all():
        AnswerFactory(round=round, statement=statement)
    round.submitted_at = timezone.now()
    round.save()
    assert remind() == []


def test_a_submitted_round_with_a_statement_added_since_is_reminded():
    round = closing_in(1)
    AnswerFactory(round=round, statement=round.election.statements.get(order=1))
    round.submitted_at = timezone.now()
    round.save()
    assert len(remind()) == 1
    assert "Tot nu toe is 1 stelling van de 2 beantwoord." in mail.outbox[0].body


def test_a_round_of_a_published_election_is_not_reminded():
    round = closing_in(1)
    Election.objects.filter(pk=round.election_id).update(status=Election.Status.PUBLISHED)
    assert remind() == []


def test_a_submitted_round_with_contested_answers_is_reminded_of_them():
    round = closing_in(1)
    round.submitted_at = timezone.now()
    round.save()
    AnswerFactory(round=round, statement=round.election.statements.get(order=1), status="contested")
    assert len(remind()) == 1
    assert "De redactie heeft 1 antwoord betwist." in mail.outbox[0].body


def test_a_mail_refused_for_a_name_with_a_line_break_is_reported(monkeypatch):
    closing_in(2)

    def refuse(*args, **kwargs):
        raise BadHeaderError("Header values can't contain newlines")

    monkeypatch.setattr("parties.mail.send_mail", refuse)
    err = StringIO()
    with pytest.raises(CommandError, match="1 herinnering"):
        call_command("remind_parties", stdout=StringIO(), stderr=err)
    assert "anna@alfa.example: niet verstuurd (Header values" in err.getvalue()


def test_a_round_past_its_deadline_is_not_reminded():
    closing_in(-1)
    assert remind() == []


def test_a_round_is_not_reminded_twice_within_20_hours():
    round = closing_in(2)
    remind()
    assert remind() == []
    assert len(mail.outbox) == 1
    Round.objects.filter(pk=round.pk).update(
        reminded_at=timezone.now() - datetime.timedelta(hours=20, minutes=1)
    )
    assert len(remind()) == 1
    assert len(mail.outbox) == 2


def test_the_reminder_is_in_the_rounds_history():
    round = closing_in(2)
    remind()
    record = Round.objects.get(pk=round.pk).history.first()
    assert record.history_change_reason == "Herinnering verstuurd"
    assert record.reminded_at is not None


def test_a_mail_server_failure_is_reported_and_tried_again(settings, monkeypatch):
    round = closing_in(2)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("parties.management.commands.remind_parties.send_reminder", refuse)
    err = StringIO()
    with pytest.raises(CommandError, match="1 herinnering"):
        call_command("remind_parties", stdout=StringIO(), stderr=err)
    assert "anna@alfa.example: niet verstuurd (mail server down)" in err.getvalue()
    assert Round.objects.get(pk=round.pk).reminded_at is None


def test_negative_days_are_refused():
    with pytest.raises(CommandError, match="--days"):
        remind("--days", "-1")
