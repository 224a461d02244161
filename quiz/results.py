"""The result page: the ranking plus, per party, the statement-by-statement comparison."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import landscape, scoring
from .answers import VoterAnswers
from .catalog import ElectionData, PartyData, StanceData, StatementData


@dataclass(frozen=True)
class Row:
    statement: StatementData
    answer: str | None
    important: bool
    stance: StanceData

    @property
    def agrees(self) -> bool | None:
        voter = scoring.ANSWER_VALUES.get(self.answer) if self.answer else None
        party = scoring.POSITION_VALUES[self.stance.position]
        if voter is None or party is None:
            return None
        return voter == party


@dataclass(frozen=True)
class PartyResult:
    party: PartyData
    score: float | None
    compared: int

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(self.score)


def ranking(data: ElectionData, voter: VoterAnswers, method: str | None = None):
    return scoring.rank(
        voter.values(),
        voter.important,
        data.party_positions(voter.chosen_parties(data)),
        method or data.method,
    )


def build_result(data: ElectionData, voter: VoterAnswers) -> dict:
    parties = {p.slug: p for p in data.parties}
    results = [
        PartyResult(parties[match.party], match.score, match.compared)
        for match in ranking(data, voter)
    ]
    return {
        "election": data,
        "results": results,
        "answered": sum(1 for a in voter.answers.values() if a != "skip"),
        "total": len(data.statements),
        "method": data.method,
    }


@dataclass(frozen=True)
class TableRow:
    statement: StatementData
    answer: str | None
    important: bool
    positions: tuple[str, ...]


def comparison_row(
    data: ElectionData, voter: VoterAnswers, statement: StatementData, party: str
) -> Row:
    """One statement of the comparison with one party: the voter's answer beside its stance."""
    return Row(
        statement,
        voter.answers.get(statement.id),
        statement.id in voter.important,
        data.stance(statement.id, party),
    )


def table_row(
    data: ElectionData, voter: VoterAnswers, statement: StatementData, parties: Sequence[str]
) -> TableRow:
    """One statement with the voter's answer and the position of each party, in that order."""
    return TableRow(
        statement,
        voter.answers.get(statement.id),
        statement.id in voter.important,
        tuple(data.stance(statement.id, slug).position for slug in parties),
    )


def landscape_for(
    data: ElectionData, voter: VoterAnswers, parties: Sequence[PartyData], shared: bool = False
) -> landscape.Landscape | None:
    axes = {s.id: (s.axis, s.axis_direction) for s in data.statements if s.axis}
    positions = {p.slug: p.positions for p in data.party_positions([p.slug for p in parties])}
    return landscape.build(
        data.axis_x_label,
        data.axis_y_label,
        axes,
        voter.values(),
        [(p.short_name, p.colour, positions[p.slug]) for p in parties],
        voter_label=_("Gedeeld") if shared else _("Jij"),
    )


def min_answers(data: ElectionData) -> int:
    """Below this many answers the result page warns that the advice rests on few answers.

    Half the statements, rounded up; an editor's setting per election may replace it later."""
    return (len(data.statements) + 1) // 2


def summary_text(result: dict, url: str) -> str:
    """The result as plain text to paste anywhere: the ranking and the link that reproduces it."""
    lines = [
        _("Mijn resultaat in de Stemhulp %(election)s") % {"election": result["election"].name},
        _("Ik gaf mijn mening over %(answered)d van de %(total)d stellingen.")
        % {"answered": result["answered"], "total": result["total"]},
    ]
    for n, r in enumerate(result["results"], 1):
        score = "–" if r.percent is None else f"{r.percent}%"
        compared = ngettext(
            "%(count)d stelling vergeleken", "%(count)d stellingen vergeleken", r.compared
        ) % {"count": r.compared}
        lines.append(f"{n}. {r.party.name}: {score} ({compared})")
    lines.append(_("Bekijk het resultaat: %(url)s") % {"url": url})
    return "\n".join(lines)
