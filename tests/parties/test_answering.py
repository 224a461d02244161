"""The round's rules for one answer, submitting and replying (`parties.answering`)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parties import answering
from parties.answering import NotAllowed, Submission
from parties.models import Answer, AnswerStatus, Comment
from positions.models import ManifestoDocument
from tests.factories import ManifestoDocumentFactory, PartyFactory
from tests.parties.conftest import statements

pytestmark = pytest.mark.django_db

QUOTE = "Wij bouwen elk jaar tienduizend sociale huurwoningen."


def _document(round_):
    return ManifestoDocument.objects.get(party=round_.party)


def _agree(round_, **changes):
    given = {
        "position": "agree",
        "explanation": "Wij willen meer woningen.",
        "document": _document(round_),
        "quote": QUOTE,
    }
    return Submission(**(given | changes))


def _errors(round_, given, statement=None):
    statement = statement or statements(round_)[0]
    with pytest.raises(ValidationError) as caught:
        answering.save_answer(round_, statement, None, given)
    return {field: " ".join(messages) for field, messages in caught.value.message_dict.items()}


def _answer_all(round_, user=None):
    for statement in statements(round_):
        answering.save_answer(round_, statement, user, Submission(position="none"))


def test_a_side_taking_answer_is_stored_with_the_lines_of_its_quote(party_round, contact):
    statement = statements(party_round)[0]
    answer = answering.save_answer(party_round, statement, contact.user, _agree(party_round))
    answer.refresh_from_db()
    assert (answer.position, answer.quote, answer.location) == ("agree", QUOTE, "regel 5")
    assert answer.status == AnswerStatus.OPEN


def test_the_history_names_the_contact_and_the_reason(party_round, contact):
    statement = statements(party_round)[0]
    answer = answering.save_answer(party_round, statement, contact.user, _agree(party_round))
    last = answer.history.first()
    assert (last.history_user, last.history_change_reason) == (
        contact.user,
        "Antwoord van de partij bewaard",
    )


def test_a_quote_not_in_the_programme_is_refused(party_round):
    errors = _errors(party_round, _agree(party_round, quote="Wij schaffen alle huur af."))
    assert "staat niet letterlijk in “Programma Alfa”" in errors["quote"]


def test_a_side_taking_answer_needs_explanation_and_source(party_round):
    errors = _errors(party_round, Submission(position="disagree"))
    assert set(errors) == {"explanation", "quote", "document"}


def test_no_position_needs_nothing_else(party_round):
    answer = answering.save_answer(
        party_round, statements(party_round)[0], None, Submission(position="none")
    )
    assert (answer.position, answer.quote) == ("none", "")


def test_an_answer_needs_a_position(party_round):
    assert set(_errors(party_round, Submission(explanation="iets"))) == {"position"}


def test_another_partys_programme_is_refused(party_round):
    other = ManifestoDocumentFactory(party=PartyFactory(), original_text=QUOTE)
    errors = _errors(party_round, _agree(party_round, document=other))
    assert errors["document"] == "Dit is geen programma van uw partij."


def test_a_strong_position_is_refused_on_a_three_point_election(party_round):
    errors = _errors(party_round, _agree(party_round, position="strongly_agree"))
    assert "3 standen" in errors["position"]


def test_the_explanation_limit_is_enforced(party_round):
    party_round.explanation_limit = 50
    errors = _errors(party_round, _agree(party_round, explanation="x" * 51))
    assert "hoogstens 50 tekens" in errors["explanation"]


def test_check_mode_agreeing_stores_only_the_agreement(check_round):
    statement = statements(check_round)[0]
    answer = answering.save_answer(check_round, statement, None, Submission(agrees=True))
    assert (answer.agrees, answer.position, answer.quote) == (True, "", "")


def test_check_mode_agreeing_needs_a_coding(check_round):
    errors = _errors(check_round, Submission(agrees=True), statements(check_round)[1])
    assert "nog geen standpunt gecodeerd" in errors["agrees"]


def test_check_mode_an_objection_needs_a_reason(check_round):
    assert set(_errors(check_round, Submission(agrees=False))) == {"explanation"}


def test_check_mode_an_objection_may_propose_position_and_source(check_round):
    given = Submission(
        agrees=False,
        position="neutral",
        explanation="We zeggen ook iets over huurprijzen.",
        document=_document(check_round),
        quote="Huurprijzen worden begrensd.",
    )
    answer = answering.save_answer(check_round, statements(check_round)[0], None, given)
    assert (answer.agrees, answer.position, answer.location) == (False, "neutral", "regel 6")


def test_progress_counts_answered_statements(party_round):
    answering.save_answer(
        party_round, statements(party_round)[0], None, Submission(position="none")
    )
    assert answering.progress(party_round) == answering.Progress(1, 3)


def test_submit_all_refuses_and_names_unanswered_statements(party_round, contact):
    answering.save_answer(
        party_round, statements(party_round)[0], None, Submission(position="none")
    )
    with pytest.raises(NotAllowed, match="Nog niet beantwoord: 2. Openbaar vervoer, 3. Belasting"):
        answering.submit_all(party_round, contact.user)


def test_submit_all_submits_every_answer_and_the_round(party_round, contact):
    _answer_all(party_round)
    assert answering.submit_all(party_round, contact.user) == 3
    party_round.refresh_from_db()
    assert party_round.submitted_by == contact.user
    assert set(Answer.objects.values_list("status", flat=True)) == {AnswerStatus.SUBMITTED}


def test_submitting_is_in_the_history_of_the_round_and_each_answer(party_round, contact):
    _answer_all(party_round)
    answering.submit_all(party_round, contact.user)
    last = party_round.history.first()
    assert (last.history_user, last.history_change_reason) == (
        contact.user,
        "Antwoorden door de partij ingediend",
    )
    reasons = {a.history.first().history_change_reason for a in Answer.objects.all()}
    assert reasons == {"Door de partij ingediend"}


def test_submit_all_is_refused_past_the_deadline(party_round, contact):
    _answer_all(party_round)
    party_round.deadline = timezone.now() - datetime.timedelta(minutes=1)
    party_round.save()
    with pytest.raises(NotAllowed, match="uiterste datum is voorbij"):
        answering.submit_all(party_round, contact.user)


def test_a_submitted_answer_is_frozen(party_round, contact):
    _answer_all(party_round)
    answering.submit_all(party_round, contact.user)
    with pytest.raises(NotAllowed, match="ingediend"):
        answering.save_answer(
            party_round, statements(party_round)[0], None, Submission(position="none")
        )


def test_no_answer_changes_after_the_deadline(party_round):
    party_round.deadline = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(NotAllowed, match="uiterste datum"):
        answering.save_answer(
            party_round, statements(party_round)[0], None, Submission(position="none")
        )


def test_a_contested_answer_can_be_revised_and_resubmitted(party_round, contact):
    _answer_all(party_round)
    answering.submit_all(party_round, contact.user)
    Answer.objects.filter(statement=statements(party_round)[0]).update(
        status=AnswerStatus.CONTESTED
    )
    answering.save_answer(party_round, statements(party_round)[0], None, _agree(party_round))
    assert answering.submit_all(party_round, contact.user) == 1
    assert Answer.objects.get(position="agree").status == AnswerStatus.SUBMITTED


def test_submit_all_with_nothing_left_is_refused(party_round, contact):
    _answer_all(party_round)
    answering.submit_all(party_round, contact.user)
    with pytest.raises(NotAllowed, match="niets meer in te dienen"):
        answering.submit_all(party_round, contact.user)


def test_a_reply_is_only_possible_on_a_contested_answer(party_round, contact):
    answer = answering.save_answer(
        party_round, statements(party_round)[0], None, Submission(position="none")
    )
    with pytest.raises(NotAllowed):
        answering.reply(answer, contact.user, "Waarom?")
    answer.status = AnswerStatus.CONTESTED
    comment = answering.reply(answer, contact.user, "  Zie ons programma.  ")
    assert (comment.by_party, comment.text) == (True, "Zie ons programma.")
    assert Comment.objects.count() == 1
