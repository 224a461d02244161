"""The editors' decision on a party's answer (parties.reviewing): accepting writes the stance,
contesting sends the answer back with a comment."""

from types import SimpleNamespace

import pytest

from parties import reviewing
from parties.models import Answer, Comment
from positions import catalog
from positions.models import Election, ManifestoDocument, Stance, StanceTranslation
from positions.workflow import NotAllowed
from tests.factories import (
    AnswerFactory,
    ManifestoDocumentFactory,
    StatementFactory,
    UserFactory,
    party_round,
)

QUOTE = "De belasting blijft gelijk."


def answer_of(**fields):
    defaults = {"agrees": None, "position": "", "explanation": "", "document_id": None, "quote": ""}
    return SimpleNamespace(**{**defaults, **fields})


# What accepting writes, and what differs: pure, no database.


def test_an_answer_proposes_its_whole_content():
    answer = answer_of(position="agree", explanation="Ja.", document_id=4, quote="Zo.")
    assert reviewing.proposal("answer", answer) == {
        "position": "agree",
        "explanation": "Ja.",
        "document": 4,
        "quote": "Zo.",
    }


def test_an_agreement_proposes_nothing():
    assert reviewing.proposal("check", answer_of(agrees=True)) == {}


def test_an_objection_without_a_position_or_source_proposes_nothing():
    assert reviewing.proposal("check", answer_of(agrees=False, explanation="Klopt niet.")) == {}


def test_an_objection_proposes_its_position_with_its_reason_and_keeps_the_source():
    answer = answer_of(agrees=False, explanation="Wij zijn tegen.", position="disagree")
    assert reviewing.proposal("check", answer) == {
        "position": "disagree",
        "explanation": "Wij zijn tegen.",
    }


def test_only_the_fields_that_differ_are_marked():
    stance = SimpleNamespace(
        position="agree", explanation="Ja.\n", document_id=4, quote="Zo  staat\nhet."
    )
    proposed = {"position": "agree", "explanation": "Ja.", "document": 5, "quote": "Zo staat het."}
    assert reviewing.differences(proposed, stance) == ["document"]


def test_without_a_stance_everything_proposed_differs():
    assert reviewing.differences({"position": "none", "explanation": ""}, None) == [
        "position",
        "explanation",
    ]


# Accepting and contesting.


@pytest.fixture
def editor(db):
    return UserFactory(username="els", role="Redacteur")


def alfa_stance(round, order=1):
    return Stance.objects.get(
        statement__election=round.election, statement__order=order, party=round.party
    )


def submitted(round, order=1, **fields):
    statement = round.election.statements.get(order=order)
    return AnswerFactory(round=round, statement=statement, **fields)


@pytest.mark.django_db
def test_accepting_an_answer_writes_the_stance_for_another_persons_approval():
    editor = UserFactory(username="eva", role="Eindredacteur")
    round = party_round()
    document = ManifestoDocument.objects.get(title="Programma Alfa")
    answer = submitted(
        round, position="disagree", explanation="Wij zijn tegen.", document=document, quote=QUOTE
    )
    reviewing.accept(answer, editor)
    stance = alfa_stance(round)
    assert (stance.position, stance.explanation, stance.quote, stance.location) == (
        "disagree",
        "Wij zijn tegen.",
        QUOTE,
        "regel 2",
    )
    assert (stance.origin, stance.review_status) == ("party", "submitted")
    assert stance.submitted_by == stance.edited_by == editor
    with pytest.raises(NotAllowed, match="eigen standpunt"):
        stance.approve(editor)
    stance.approve(UserFactory(username="piet", role="Eindredacteur"))
    assert Stance.objects.get(pk=stance.pk).review_status == "approved"


@pytest.mark.django_db
def test_the_decision_is_in_the_history_of_answer_and_stance(editor):
    round = party_round()
    answer = submitted(round, position="none", explanation="")
    reviewing.accept(answer, editor)
    stance_record = alfa_stance(round).history.first()
    answer_record = Answer.objects.get(pk=answer.pk).history.first()
    for record in (stance_record, answer_record):
        assert record.history_user == editor
        assert record.history_change_reason == "Antwoord van de partij aanvaard"
    answer = Answer.objects.get(pk=answer.pk)
    assert (answer.status, answer.decided_by) == ("accepted", editor)


@pytest.mark.django_db
def test_voters_see_the_partys_explanation_in_dutch_instead_of_the_old_translation(editor):
    round = party_round()
    stance = alfa_stance(round)
    StanceTranslation.objects.create(
        stance=stance, language="en", explanation="The editors' explanation."
    )
    answer = submitted(round, position="disagree", explanation="Wij zijn tegen.")
    reviewing.accept(answer, editor)
    shown = catalog.load(round.election).stances[(stance.statement_id, "alfa")].localized("en")
    assert (shown.explanation, shown.fallback) == ("Wij zijn tegen.", {"explanation"})


@pytest.mark.django_db
def test_the_translation_stays_when_the_explanation_does_not_change(editor):
    round = party_round()
    stance = alfa_stance(round)
    StanceTranslation.objects.create(stance=stance, language="en", explanation="In English.")
    answer = submitted(round, position="disagree", explanation=stance.explanation)
    reviewing.accept(answer, editor)
    shown = catalog.load(round.election).stances[(stance.statement_id, "alfa")].localized("en")
    assert shown.explanation == "In English."


@pytest.mark.django_db
def test_accepting_makes_a_missing_stance(editor):
    round = party_round()
    statement = StatementFactory(election=round.election, order=3, title="Stelling 3")
    answer = AnswerFactory(round=round, statement=statement, position="none", explanation="")
    reviewing.accept(answer, editor)
    stance = Stance.objects.get(statement=statement, party=round.party)
    assert (stance.position, stance.origin, stance.review_status) == ("none", "party", "submitted")


@pytest.mark.django_db
def test_a_quote_not_in_the_programme_is_refused_and_nothing_changes(editor):
    round = party_round()
    document = ManifestoDocument.objects.get(title="Programma Alfa")
    answer = submitted(round, document=document, quote="Dat hebben wij nooit gezegd.")
    before = alfa_stance(round).history.count()
    with pytest.raises(NotAllowed, match="niet letterlijk"):
        reviewing.accept(answer, editor)
    assert Answer.objects.get(pk=answer.pk).status == "submitted"
    assert alfa_stance(round).history.count() == before


@pytest.mark.django_db
def test_another_partys_programme_is_refused(editor):
    round = party_round()
    other = ManifestoDocumentFactory(title="Programma van een ander", original_text=QUOTE)
    answer = submitted(round, document=other, quote=QUOTE)
    with pytest.raises(NotAllowed, match="geen programma van deze partij"):
        reviewing.accept(answer, editor)


@pytest.mark.django_db
def test_accepting_an_agreement_confirms_the_stance_and_leaves_it_alone(editor):
    round = party_round(mode="check")
    answer = submitted(round, agrees=True, position="", explanation="")
    before = alfa_stance(round)
    reviewing.accept(answer, editor)
    after = alfa_stance(round)
    assert after.origin == "confirmed"
    assert (after.position, after.explanation, after.quote, after.review_status) == (
        before.position,
        before.explanation,
        before.quote,
        "approved",
    )
    record = after.history.first()
    assert (record.history_user, record.history_change_reason) == (
        editor,
        "Antwoord van de partij aanvaard",
    )


@pytest.mark.django_db
def test_an_agreement_with_a_coding_changed_since_is_refused(editor):
    round = party_round(mode="check")
    answer = submitted(round, agrees=True, position="", explanation="")
    stance = alfa_stance(round)
    stance.position = "neutral"
    stance.record_edit(editor)
    stance.save()
    with pytest.raises(NotAllowed, match="gewijzigd nadat de partij akkoord ging"):
        reviewing.accept(answer, editor)
    assert alfa_stance(round).origin == "editors"


@pytest.mark.django_db
def test_an_agreement_on_a_stance_without_history_is_accepted(editor):
    round = party_round(mode="check")
    answer = submitted(round, agrees=True, position="", explanation="")
    alfa_stance(round).history.all().delete()
    reviewing.accept(answer, editor)
    assert alfa_stance(round).origin == "confirmed"


@pytest.mark.django_db
def test_an_accepted_objection_with_a_position_writes_it_with_the_reason(editor):
    round = party_round(mode="check")
    answer = submitted(round, agrees=False, position="disagree", explanation="Wij zijn tegen.")
    reviewing.accept(answer, editor)
    stance = alfa_stance(round)
    assert (stance.position, stance.explanation, stance.quote) == (
        "disagree",
        "Wij zijn tegen.",
        "Wij willen meer sociale huurwoningen.",
    )
    assert (stance.origin, stance.review_status) == ("party", "submitted")


@pytest.mark.django_db
def test_an_accepted_objection_without_a_proposal_returns_the_stance_to_the_editors(editor):
    round = party_round(mode="check")
    answer = submitted(
        round, agrees=False, position="", explanation="Het citaat gaat over iets anders."
    )
    reviewing.accept(answer, editor)
    stance = alfa_stance(round)
    assert stance.review_status == "returned"
    assert stance.review_comment == "Bezwaar van de partij: Het citaat gaat over iets anders."
    assert stance.position == "agree"
    assert Answer.objects.get(pk=answer.pk).history.first().history_change_reason == (
        "Bezwaar van de partij aanvaard"
    )


@pytest.mark.django_db
def test_accepting_on_a_published_election_is_refused(editor):
    round = party_round()
    answer = submitted(round, position="none", explanation="")
    Election.objects.filter(pk=round.election_id).update(status=Election.Status.PUBLISHED)
    with pytest.raises(NotAllowed, match="gepubliceerd"):
        reviewing.accept(answer, editor)
    assert alfa_stance(round).position == "agree"


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["open", "accepted", "contested"])
def test_only_a_submitted_answer_can_be_decided(editor, status):
    answer = submitted(party_round(), status=status)
    with pytest.raises(NotAllowed, match="alleen een ingediend antwoord"):
        reviewing.accept(answer, editor)
    with pytest.raises(NotAllowed, match="alleen een ingediend antwoord"):
        reviewing.contest(answer, editor, "Waarom?")


@pytest.mark.django_db
def test_contesting_puts_the_comment_in_the_thread_and_the_history(editor):
    answer = submitted(party_round())
    reviewing.contest(answer, editor, "  Welk citaat bedoelt u?  ")
    answer = Answer.objects.get(pk=answer.pk)
    assert answer.status == "contested"
    assert [(c.author, c.by_party, c.text) for c in Comment.objects.filter(answer=answer)] == [
        (editor, False, "Welk citaat bedoelt u?")
    ]
    record = answer.history.first()
    assert (record.history_user, record.history_change_reason) == (editor, "Welk citaat bedoelt u?")


@pytest.mark.django_db
def test_contesting_needs_a_comment(editor):
    answer = submitted(party_round())
    with pytest.raises(NotAllowed, match="opmerking"):
        reviewing.contest(answer, editor, "   ")
    assert Answer.objects.get(pk=answer.pk).status == "submitted"
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_long_comment_is_shortened_in_the_history_only(editor):
    answer = submitted(party_round())
    reviewing.contest(answer, editor, "x" * 300)
    assert Comment.objects.get().text == "x" * 300
    assert len(Answer.objects.get(pk=answer.pk).history.first().history_change_reason) == 100


@pytest.mark.django_db
def test_staff_without_the_permission_cannot_decide():
    answer = submitted(party_round())
    with pytest.raises(NotAllowed, match="niet beoordelen"):
        reviewing.accept(answer, UserFactory())
    assert Answer.objects.get(pk=answer.pk).status == "submitted"
