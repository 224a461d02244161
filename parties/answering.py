"""What a party contact does in its round: answer (or check) one statement, see how far it is,
submit everything, and reply to a contested answer.

The rules (see `Round`): until the deadline, and while the election is not published, an open
answer (or a statement without one, also one added after the round was submitted) and a contested
answer can change; a submitted or accepted one cannot. The page carries the statement's text it
shows (`wording_of`) and in check mode the coding (`coding_of`): an answer on a text or a coding
the editors changed meanwhile is refused. The
views and tests call these functions; every save names its author and reason in the answer's
history.
"""

import hashlib
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from positions.manifesto import locate_quote, location
from positions.models import (
    FIVE_POINT_ONLY,
    ManifestoDocument,
    Position,
    Scale,
    Stance,
    Statement,
    unix_newlines,
)
from positions.workflow import TAKES_A_SIDE, NotAllowed

from .models import Answer, AnswerStatus, Comment, Mode, Round

MAX_COMMENT = 2000


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


@dataclass(frozen=True)
class Submission:
    """What a party sends for one statement, as its form cleaned it."""

    agrees: bool | None = None
    position: str = ""
    explanation: str = ""
    document: ManifestoDocument | None = None
    quote: str = ""
    # Check mode: the coding the page showed (`coding_of`); None when the caller shows none.
    coding: str | None = None
    # The statement's text the page showed (`wording_of`); None when the caller shows none.
    wording: str | None = None


def positions_for(scale: int) -> list[str]:
    """The positions a party may give in an election of this scale, "geen standpunt" last."""
    return [p.value for p in Position if scale == Scale.FIVE or p.value not in FIVE_POINT_ONLY]


def may_edit(round_: Round, answer: Answer | None) -> bool:
    """Whether the party can still change its answer on a statement: a statement without an
    answer (one added after submitting too), an open or a contested answer, until the deadline
    and while the election is not published."""
    if round_.is_past_deadline or round_.election.is_published:
        return False
    return answer is None or answer.status in (AnswerStatus.OPEN, AnswerStatus.CONTESTED)


def coding_of(stance: Stance | None) -> str:
    """The editors' coding as a check-mode page shows it: a new revision is another coding."""
    return "" if stance is None else f"{stance.pk}-{stance.revision}"


def wording_of(text: str) -> str:
    """The statement's text as the answer page carries it: another text is another wording."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check(round_: Round, stance: Stance | None, given: Submission) -> dict[str, str]:
    """Why this submission cannot be stored (field -> message); empty when it can."""
    errors = _check_mode(stance, given) if round_.mode == Mode.CHECK else _answer_mode(given)
    if given.position and given.position not in positions_for(round_.election.scale):
        errors["position"] = _("Dit standpunt kan niet bij een verkiezing met 3 standen.")
    if len(given.explanation) > round_.explanation_limit:
        errors["explanation"] = _(
            "De toelichting mag hoogstens %(limit)s tekens tellen; deze telt er %(count)s."
        ) % {"limit": round_.explanation_limit, "count": len(given.explanation)}
    if "document" not in errors and "quote" not in errors:
        errors |= _source_problems(round_, given)
    return errors


def _answer_mode(given: Submission) -> dict[str, str]:
    if not given.position:
        return {"position": _("Kies een standpunt.")}
    errors = {}
    if given.position in TAKES_A_SIDE:
        if not given.explanation.strip():
            errors["explanation"] = _("Licht dit standpunt toe.")
        if not given.quote.strip():
            errors["quote"] = _("Geef een citaat uit een eigen programma als bron.")
        if given.document is None:
            errors["document"] = _("Kies het programma waaruit het citaat komt.")
    return errors


def _check_mode(stance: Stance | None, given: Submission) -> dict[str, str]:
    if given.agrees is None:
        return {"agrees": _("Zeg of u akkoord gaat met de codering of bezwaar maakt.")}
    if given.agrees and stance is None:
        return {
            "agrees": _(
                "De redactie heeft hier nog geen standpunt gecodeerd: akkoord gaan kan niet, "
                "maak bezwaar met een voorstel."
            )
        }
    if given.agrees:
        return {}
    errors = {}
    if not given.explanation.strip():
        errors["explanation"] = _("Geef de reden van uw bezwaar.")
    if given.position in TAKES_A_SIDE and not (given.document and given.quote.strip()):
        # Accepted, the proposal becomes the party's own stance: its source must be the party's.
        errors["quote"] = _(
            "Een voorgesteld standpunt heeft een bron nodig: kies een eigen programma en geef "
            "een citaat."
        )
    return errors


def _source_problems(round_: Round, given: Submission) -> dict[str, str]:
    """A source is one of the party's own programmes with a verbatim quote from it."""
    has_quote = bool(given.quote.strip())
    if given.document is None:
        if not has_quote:
            return {}
        return {"document": _("Kies het programma waaruit het citaat komt.")}
    if given.document.party_id != round_.party_id:
        return {"document": _("Dit is geen programma van uw partij.")}
    if not has_quote:
        return {"quote": _("Geef het citaat uit dit programma.")}
    return {}


def _locate(document: ManifestoDocument, quote: str) -> tuple[str, str] | None:
    """The quote as the programme writes it and its lines, or None when it is not verbatim."""
    text = ManifestoDocument.objects.values_list("original_text", flat=True).get(pk=document.pk)
    found = locate_quote(text, quote)
    if found is None:
        return None
    verbatim, line_start, line_end = found
    return verbatim, location(line_start, line_end)


def own_stance(round_: Round, statement) -> Stance | None:
    """The editors' coding of the round's party on a statement, as check mode shows it."""
    return (
        Stance.objects.filter(statement=statement, party_id=round_.party_id)
        .select_related("document")
        .defer("document__original_text")
        .first()
    )


def save_answer(round_: Round, statement, user, given: Submission) -> Answer:
    """Store the party's answer on one statement, or raise ValidationError (by field) or
    NotAllowed (the answer is frozen)."""
    given = _unix_newlines(given)
    stance = own_stance(round_, statement) if round_.mode == Mode.CHECK else None
    errors = check(round_, stance, given)
    quote, where = "", ""
    if not errors and given.quote.strip():
        found = _locate(given.document, given.quote)
        if found is None:
            errors["quote"] = _(
                "Dit citaat staat niet letterlijk in “%(title)s”. Kopieer het uit het programma, "
                "bijvoorbeeld met de zoekfunctie hieronder."
            ) % {"title": given.document.title}
        else:
            quote, where = found
    if errors:
        raise ValidationError(errors)
    agreeing = round_.mode == Mode.CHECK and given.agrees
    with transaction.atomic():
        answer = (
            Answer.objects.select_for_update().filter(round=round_, statement=statement).first()
        )
        if not may_edit(round_, answer):
            raise NotAllowed(frozen_reason(round_))
        if round_.mode == Mode.CHECK:
            stance = (
                Stance.objects.select_for_update(of=("self",))
                .filter(statement=statement, party_id=round_.party_id)
                .first()
            )
            if given.coding is not None and given.coding != coding_of(stance):
                raise ValidationError(
                    {
                        "coding": _(
                            "De redactie heeft dit standpunt intussen gewijzigd; bekijk het "
                            "opnieuw."
                        )
                    }
                )
        text = Statement.objects.values_list("text", flat=True).get(pk=statement.pk)
        if given.wording is not None and given.wording != wording_of(text):
            raise ValidationError(
                {
                    "wording": _(
                        "De redactie heeft de tekst van de stelling intussen gewijzigd; lees de "
                        "nieuwe tekst en bewaar uw antwoord opnieuw."
                    )
                }
            )
        answer = answer or Answer(round=round_, statement=statement)
        answer.statement_text = text
        answer.seen_stance = stance
        answer.seen_revision = stance.revision if stance else None
        answer.agrees = given.agrees if round_.mode == Mode.CHECK else None
        answer.position = "" if agreeing else given.position
        answer.explanation = "" if agreeing else given.explanation.strip()
        answer.document = None if agreeing or not quote else given.document
        answer.quote, answer.location = ("", "") if agreeing else (quote, where)
        answer.updated_by = user
        answer._history_user = user
        answer._change_reason = "Antwoord van de partij bewaard"
        answer.save()
    return answer


def _unix_newlines(given: Submission) -> Submission:
    return replace(
        given, explanation=unix_newlines(given.explanation), quote=unix_newlines(given.quote)
    )


def frozen_reason(round_: Round) -> str:
    if round_.election.is_published:
        return _("De verkiezing is gepubliceerd: antwoorden kunnen niet meer veranderen.")
    if round_.is_past_deadline:
        return _("De uiterste datum is voorbij: antwoorden kunnen niet meer veranderen.")
    return _("Dit antwoord is ingediend en kan niet meer veranderen.")


def progress(round_: Round) -> Progress:
    statements = round_.statements()
    answered = Answer.objects.filter(round=round_, statement__in=statements).count()
    return Progress(answered, statements.count())


def unanswered(round_: Round) -> list:
    answered = Answer.objects.filter(round=round_).values("statement")
    return list(round_.statements().exclude(pk__in=answered))


def submit_all(round_: Round, user) -> int:
    """Submit every open and contested answer; returns how many. Refused past the deadline, with
    statements unanswered, with nothing left to submit, or with an answer on a statement text or
    a coding the editors changed since (it could never be accepted)."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().select_related("election").get(pk=round_.pk)
        if round_.election.is_published:
            raise NotAllowed(_("De verkiezing is gepubliceerd: indienen kan niet meer."))
        if round_.is_past_deadline:
            raise NotAllowed(_("De uiterste datum is voorbij: indienen kan niet meer."))
        missing = unanswered(round_)
        if missing:
            names = ", ".join(str(s) for s in missing)
            raise NotAllowed(_("Nog niet beantwoord: %(statements)s.") % {"statements": names})
        answers = list(
            Answer.objects.select_for_update(of=("self",))
            .select_related("statement")
            .filter(round=round_, status__in=[AnswerStatus.OPEN, AnswerStatus.CONTESTED])
        )
        if not answers:
            raise NotAllowed(_("Er is niets meer in te dienen."))
        outdated = _answering_old_versions(round_, answers)
        if outdated:
            names = ", ".join(str(s) for s in outdated)
            raise NotAllowed(
                _(
                    "De stelling of de codering veranderde nadat u antwoordde: bekijk "
                    "%(statements)s opnieuw en bewaar uw antwoord."
                )
                % {"statements": names}
            )
        for answer in answers:
            answer.status = AnswerStatus.SUBMITTED
            answer._history_user = user
            answer._change_reason = "Door de partij ingediend"
            answer.save(update_fields=["status", "updated_at"])
        round_.submitted_at, round_.submitted_by = timezone.now(), user
        round_._history_user = user
        round_._change_reason = "Antwoorden door de partij ingediend"
        round_.save(update_fields=["submitted_at", "submitted_by"])
    return len(answers)


def _answering_old_versions(round_: Round, answers: list[Answer]) -> list:
    """The statements of answers given on a text or a coding the editors changed since: an
    editor could never accept them (`Answer.answers_an_old_version`)."""
    stances = {}
    if round_.mode == Mode.CHECK:
        stances = {
            s.statement_id: s
            for s in Stance.objects.filter(
                party_id=round_.party_id, statement__in=[a.statement_id for a in answers]
            ).only("pk", "revision", "statement_id")
        }
    outdated = []
    for answer in answers:
        answer.round = round_
        if answer.answers_an_old_version(stances.get(answer.statement_id)):
            outdated.append(answer.statement)
    return outdated


def reply(answer: Answer, user, text: str) -> Comment:
    """The party's reply in the thread of a contested answer, until the deadline."""
    text = unix_newlines(text).strip()
    round_ = answer.round
    if (
        answer.status != AnswerStatus.CONTESTED
        or round_.is_past_deadline
        or round_.election.is_published
    ):
        raise NotAllowed(
            _("U kunt alleen op een betwist antwoord reageren, tot de uiterste datum.")
        )
    if not text:
        raise ValidationError({"text": _("Schrijf een reactie.")})
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            {"text": _("Een reactie telt hoogstens %(limit)s tekens.") % {"limit": MAX_COMMENT}}
        )
    return Comment.objects.create(answer=answer, author=user, by_party=True, text=text)
