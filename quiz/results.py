"""The result page: the ranking plus, per party, the statement-by-statement comparison."""

from dataclasses import dataclass

from . import scoring
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
    rows: list[Row]

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
        PartyResult(
            parties[match.party],
            match.score,
            match.compared,
            [
                Row(
                    s,
                    voter.answers.get(s.id),
                    s.id in voter.important,
                    data.stance(s.id, match.party),
                )
                for s in data.statements
            ],
        )
        for match in ranking(data, voter)
    ]
    return {
        "election": data,
        "results": results,
        "answered": sum(1 for a in voter.answers.values() if a != "skip"),
        "total": len(data.statements),
        "method": data.method,
    }
