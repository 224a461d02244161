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

# Every position but "geen standpunt", the 5-point scale's strong ones included.
TAKES_A_SIDE = frozenset({"strongly_agree", "agree", "neutral", "disagree", "strongly_disagree"})


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


def content_problems(stance: StanceFacts) -> list[str]:
    """Why this stance cannot be published as it is (empty when it can)."""
    if stance.position not in TAKES_A_SIDE:
        return []
    problems = []
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


def cell_state(stance: StanceFacts | None) -> str:
    if stance is None:
        return MISSING
    if content_problems(stance):
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
) -> Gate:
    """Every (statement, party) needs an approved, complete stance before publication."""
    statements, parties = tuple(statements), tuple(parties)
    cells = {
        (sid, pid): cell_state(stances.get((sid, pid)))
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
                detail += ": " + ", ".join(content_problems(stances[sid, pid]))
            problems.append(f"{statement} – {party}: {detail}")
    return Gate(statements, parties, cells, tuple(problems))
