"""The editorial rules, as pure functions: who may move a stance to which review state, and what
still stands between an election and its publication. No ORM here; the admin, the import and the
publish step all ask these same functions.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
RETURNED = "returned"

# Cell states of the publish matrix, in the order the legend lists them.
MISSING = "missing"
INCOMPLETE = "incomplete"
CELL_STATES = (MISSING, INCOMPLETE, DRAFT, RETURNED, SUBMITTED, APPROVED)

# Positions only an election on the 5-point scale allows (`models.FIVE_POINT_ONLY`).
STRONG = frozenset({"strongly_agree", "strongly_disagree"})
# Every position but "geen standpunt", the 5-point scale's strong ones included.
TAKES_A_SIDE = frozenset({"agree", "neutral", "disagree"}) | STRONG


class NotAllowed(Exception):
    """A transition or an edit the rules forbid; the message is shown to the editor."""


@dataclass(frozen=True)
class Actor:
    id: int
    can_edit: bool
    can_review: bool


@dataclass(frozen=True)
class StanceFacts:
    """What the rules need to know about one stance."""

    status: str
    position: str
    explanation: str
    has_source: bool
    edited_by: int | None = None
    submitted_by: int | None = None


def content_problems(stance: StanceFacts, scale: int | None = None) -> list[str]:
    """Why this stance cannot be published as it is (empty when it can); with `scale`, in an
    election on that scale (a strong position needs 5 points)."""
    if stance.position not in TAKES_A_SIDE:
        return []
    problems = []
    if scale is not None and scale != 5 and stance.position in STRONG:
        problems.append(
            f"“{STRONG_LABELS[stance.position]}” kan alleen bij 5 standen; deze verkiezing"
            " heeft er 3"
        )
    if not stance.explanation.strip():
        problems.append("toelichting ontbreekt")
    if not stance.has_source:
        problems.append("bron ontbreekt")
    return problems


def check_submit(actor: Actor, stance: StanceFacts) -> None:
    if not actor.can_edit:
        raise NotAllowed("Je mag geen standpunten bewerken.")
    if stance.status not in (DRAFT, RETURNED):
        raise NotAllowed("Alleen een concept of een teruggestuurd standpunt kan worden ingediend.")
    problems = content_problems(stance)
    if problems:
        raise NotAllowed("Nog niet volledig: " + ", ".join(problems) + ".")


def check_approve(actor: Actor, stance: StanceFacts) -> None:
    if not actor.can_review:
        raise NotAllowed("Alleen een eindredacteur mag standpunten goedkeuren.")
    if stance.status != SUBMITTED:
        raise NotAllowed("Alleen een ingediend standpunt kan worden goedgekeurd.")
    if actor.id in (stance.edited_by, stance.submitted_by):
        raise NotAllowed("Je kunt je eigen standpunt niet goedkeuren.")
    problems = content_problems(stance)
    if problems:
        raise NotAllowed("Nog niet volledig: " + ", ".join(problems) + ".")


def check_send_back(actor: Actor, stance: StanceFacts, comment: str) -> None:
    if not actor.can_review:
        raise NotAllowed("Alleen een eindredacteur mag standpunten terugsturen.")
    if stance.status not in (SUBMITTED, APPROVED):
        raise NotAllowed("Alleen een ingediend of goedgekeurd standpunt kan worden teruggestuurd.")
    if not comment.strip():
        raise NotAllowed("Geef een opmerking mee: wat moet er anders?")


def status_after_edit(status: str) -> str:
    """A changed stance needs a new review; a returned one stays returned until resubmitted."""
    return RETURNED if status == RETURNED else DRAFT


def cell_state(stance: StanceFacts | None, scale: int | None = None) -> str:
    if stance is None:
        return MISSING
    if content_problems(stance, scale):
        return INCOMPLETE
    return stance.status


@dataclass(frozen=True)
class Gate:
    """The publish matrix: one row per statement, one state per party, and what blocks."""

    statements: tuple[tuple[int, str], ...]
    parties: tuple[tuple[int, str], ...]
    cells: Mapping[tuple[int, int], str]
    problems: tuple[str, ...]

    @property
    def open(self) -> bool:
        return not self.problems

    def rows(self) -> list[tuple[tuple[int, str], list[tuple[int, str]]]]:
        return [
            (statement, [(pid, self.cells[statement[0], pid]) for pid, _ in self.parties])
            for statement in self.statements
        ]

    def missing_per_party(self) -> list[tuple[str, int]]:
        return [
            (label, sum(self.cells[sid, pid] != APPROVED for sid, _ in self.statements))
            for pid, label in self.parties
        ]

    def missing_per_statement(self) -> list[tuple[str, int]]:
        return [
            (label, sum(self.cells[sid, pid] != APPROVED for pid, _ in self.parties))
            for sid, label in self.statements
        ]


STRONG_LABELS = {"strongly_agree": "helemaal eens", "strongly_disagree": "helemaal oneens"}

STATE_LABELS = {
    MISSING: "ontbreekt",
    INCOMPLETE: "onvolledig",
    DRAFT: "concept",
    RETURNED: "teruggestuurd",
    SUBMITTED: "ingediend",
    APPROVED: "goedgekeurd",
}


def publish_gate(
    statements: Iterable[tuple[int, str]],
    parties: Iterable[tuple[int, str]],
    stances: Mapping[tuple[int, int], StanceFacts],
    scale: int | None = None,
) -> Gate:
    """Every (statement, party) needs an approved, complete stance before publication; with
    `scale`, one that fits an election on that scale. A stance is checked against its
    statement's own election when saved, so a strong stance can stand in a 3-point election
    that shares the statement, or in one switched from 5 to 3 points: the gate holds both."""
    statements, parties = tuple(statements), tuple(parties)
    cells = {
        (sid, pid): cell_state(stances.get((sid, pid)), scale)
        for sid, _ in statements
        for pid, _ in parties
    }
    problems = []
    if not statements:
        problems.append("De verkiezing heeft nog geen stellingen.")
    if not parties:
        problems.append("De verkiezing heeft nog geen partijen.")
    for sid, statement in statements:
        for pid, party in parties:
            state = cells[sid, pid]
            if state == APPROVED:
                continue
            detail = STATE_LABELS[state]
            if state == INCOMPLETE:
                detail += ": " + ", ".join(content_problems(stances[sid, pid], scale))
            problems.append(f"{statement} – {party}: {detail}")
    return Gate(statements, parties, cells, tuple(problems))
