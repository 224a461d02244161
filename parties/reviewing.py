"""The editors' decision on a party's answer: accept it into the stance, or contest it with a
comment that goes back to the party in the answer's thread.

`proposal` says what accepting an answer would write to the stance, and `differences` which of
those fields differ from the editors' stance; both are pure, so the review page marks exactly
what accepting would change. `accept` and `contest` lock the answer (and the stance) while they
check and write, so two editors deciding at once cannot both pass the check.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from positions.models import Origin, ReviewStatus, Stance
from positions.workflow import NotAllowed

from .models import Answer, AnswerStatus, Comment, Mode

# The stance's content, as the review page compares it.
CONTENT = ("position", "explanation", "document", "quote")
ACCEPTED_REASON = "Antwoord van de partij aanvaard"
OBJECTION_REASON = "Bezwaar van de partij aanvaard"
REASON_LENGTH = 100  # simple_history's history_change_reason


def proposal(mode: str, answer) -> dict:
    """The stance fields accepting this answer writes (field -> value; `document` as an id).

    In answer mode: the party's position, explanation and source. In check mode an agreement
    writes nothing; an objection writes what it proposes (a position, a better source, or both)
    with its reason as the party's explanation, and nothing when it proposes neither.
    """
    source = {"document": answer.document_id, "quote": answer.quote}
    if mode == Mode.ANSWER:
        return {"position": answer.position, "explanation": answer.explanation, **source}
    if answer.agrees is not False or not (answer.position or answer.document_id):
        return {}
    written = {"explanation": answer.explanation}
    if answer.position:
        written["position"] = answer.position
    if answer.document_id:
        written.update(source)
    return written


def differences(proposed: dict, stance) -> list[str]:
    """Which proposed fields differ from the stance (every one when there is no stance)."""
    if stance is None:
        return [name for name in CONTENT if name in proposed]
    current = {
        "position": stance.position,
        "explanation": stance.explanation.strip(),
        "document": stance.document_id,
        "quote": " ".join(stance.quote.split()),
    }
    shown = {
        "position": proposed.get("position"),
        "explanation": (proposed.get("explanation") or "").strip(),
        "document": proposed.get("document"),
        "quote": " ".join((proposed.get("quote") or "").split()),
    }
    return [name for name in CONTENT if name in proposed and shown[name] != current[name]]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def _locked_answer(answer_id: int) -> Answer:
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("round__election", "round__party", "statement__election")
        .get(pk=answer_id)
    )
    if answer.status != AnswerStatus.SUBMITTED:
        raise NotAllowed(
            f"Dit antwoord is {answer.get_status_display()}: alleen een ingediend antwoord kan "
            "worden aanvaard of betwist."
        )
    return answer


def _check_reviewer(editor) -> None:
    if not editor.has_perm("parties.review_answer"):
        raise NotAllowed("Je mag antwoorden van partijen niet beoordelen.")


def _check_draft(answer: Answer) -> None:
    if answer.round.election.is_published or answer.statement.election.is_published:
        raise NotAllowed(
            "De verkiezing is gepubliceerd: een standpunt verandert nu alleen nog door een "
            "correctie in de admin."
        )


def _decide(answer: Answer, editor, status: str, reason: str) -> None:
    answer.status = status
    answer.decided_by, answer.decided_at = editor, timezone.now()
    answer._history_user = editor
    answer._change_reason = _short(reason)
    answer.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])


def accept(answer: Answer, editor) -> None:
    """Accept a submitted answer into the party's stance on the statement.

    Content given or proposed by the party is written to the stance (made if missing), which
    then reads "door de partij gegeven" and waits, submitted by this editor, for another
    person's approval. An agreement marks the stance "door de partij bevestigd" and leaves its
    content and review alone. An objection without a proposal sends the stance back to the
    editors with the party's reason. Refused on a published election, and when the statement's
    text changed after the party answered (contest, so that the party answers the new text).
    """
    _check_reviewer(editor)
    with transaction.atomic():
        answer = _locked_answer(answer.pk)
        round = answer.round
        _check_draft(answer)
        if answer.statement_text != answer.statement.text:
            raise NotAllowed(
                "De tekst van de stelling is gewijzigd nadat de partij antwoordde. Betwist het "
                "antwoord, zodat de partij de nieuwe tekst beantwoordt."
            )
        stance = (
            Stance.objects.select_for_update(of=("self",))
            .select_related("statement__election")
            .filter(statement=answer.statement_id, party=round.party_id)
            .first()
        )
        written = proposal(round.mode, answer)
        if written:
            _write(stance, answer, written, editor)
            reason = ACCEPTED_REASON
        elif round.mode == Mode.CHECK and answer.agrees:
            _confirm(stance, answer, editor)
            reason = ACCEPTED_REASON
        else:
            if stance is not None:
                _return(stance, answer, editor)
            reason = OBJECTION_REASON
        _decide(answer, editor, AnswerStatus.ACCEPTED, reason)


def _write(stance, answer: Answer, written: dict, editor) -> None:
    if stance is None:
        stance = Stance(statement=answer.statement, party=answer.round.party)
    # The translations are of the editors' explanation: voters see the party's in Dutch until
    # the editors translate it again.
    retranslate = (
        stance.pk is not None
        and written.get("explanation", stance.explanation) != stance.explanation
    )
    for name, value in written.items():
        setattr(stance, "document_id" if name == "document" else name, value)
    if "quote" in written and not written["quote"]:
        stance.location = ""
    stance.origin = Origin.PARTY
    stance.review_status = ReviewStatus.SUBMITTED
    stance.edited_by = stance.submitted_by = editor
    stance.reviewed_by, stance.reviewed_at, stance.review_comment = None, None, ""
    try:
        stance.full_clean()
    except ValidationError as exc:
        messages = [f"{m}" for m in exc.messages]
        raise NotAllowed(
            "Het standpunt kan zo niet bewaard worden: " + " ".join(messages)
        ) from None
    stance.revision += 1  # an editor's form opened before this is refused on save
    stance._history_user = editor
    stance._change_reason = ACCEPTED_REASON
    stance.save()
    if retranslate:
        stance.translations.all().delete()


def _confirm(stance, answer: Answer, editor) -> None:
    """The party agreed with the coding it saw; refused when the editors changed it since (a new
    revision, or another stance)."""
    if stance is None:
        raise NotAllowed("Er is geen standpunt meer om te bevestigen.")
    seen = (answer.seen_stance_id, answer.seen_revision)
    if seen != (stance.pk, stance.revision):
        raise NotAllowed(
            "Het standpunt is gewijzigd nadat de partij akkoord ging. Betwist het antwoord, "
            "zodat de partij de nieuwe codering ziet."
        )
    stance.origin = Origin.CONFIRMED
    stance._history_user = editor
    stance._change_reason = ACCEPTED_REASON
    stance.save(update_fields=["origin", "updated_at"])


def _return(stance, answer: Answer, editor) -> None:
    """An objection without a proposal: the editors recode the stance before it is published."""
    stance.review_status = ReviewStatus.RETURNED
    stance.review_comment = f"Bezwaar van de partij: {answer.explanation.strip()}"
    stance.reviewed_by, stance.reviewed_at = editor, timezone.now()
    stance.origin = Origin.EDITORS
    stance._history_user = editor
    stance._change_reason = _short(stance.review_comment)
    stance.save(
        update_fields=[
            "review_status",
            "review_comment",
            "reviewed_by",
            "reviewed_at",
            "origin",
            "updated_at",
        ]
    )


def contest(answer: Answer, editor, comment: str) -> Comment:
    """Send a submitted answer back to the party with a comment; the party sees the thread and
    may revise the answer until the deadline. Refused on a published election: the party could
    no longer change its answer."""
    _check_reviewer(editor)
    comment = comment.strip()
    if not comment:
        raise NotAllowed("Geef een opmerking mee: wat moet de partij nog bekijken?")
    with transaction.atomic():
        answer = _locked_answer(answer.pk)
        _check_draft(answer)
        note = Comment.objects.create(answer=answer, author=editor, by_party=False, text=comment)
        _decide(answer, editor, AnswerStatus.CONTESTED, comment)
    return note
