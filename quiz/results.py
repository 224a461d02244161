"""The result page: the ranking plus, per party, the statement-by-statement comparison."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from positions.catalog import ElectionData, PartyData, StanceData, StatementData

from . import landscape, scoring
from .answers import VoterAnswers


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
    rank: int | None = None
    coverage: float = 0.0
    answered: int = 0

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(self.score)

    @property
    def ranked(self) -> bool:
        return self.rank is not None


def ranking(data: ElectionData, voter: VoterAnswers, method: str | None = None):
    return scoring.rank(
        voter.values(),
        voter.important,
        scoring.party_positions(data, voter.chosen_parties(data)),
        method or data.method,
        data.ranking_threshold,
    )


def build_result(data: ElectionData, voter: VoterAnswers) -> dict:
    parties = {p.slug: p for p in data.parties}
    answered = sum(1 for a in voter.answers.values() if a != "skip")
    results = [
        PartyResult(parties[m.party], m.score, m.compared, m.rank, round(m.coverage, 3), answered)
        for m in ranking(data, voter)
    ]
    return {
        "election": data,
        "results": results,
        "ranked": [r for r in results if r.ranked],
        "unranked": [r for r in results if not r.ranked],
        "ties": tie_sentences(results),
        "answered": answered,
        "total": len(data.statements),
        "method": data.method,
    }


ORDINALS = {
    1: _lazy("eerste"),
    2: _lazy("tweede"),
    3: _lazy("derde"),
    4: _lazy("vierde"),
    5: _lazy("vijfde"),
}


def tie_sentences(results: Sequence[PartyResult]) -> str:
    """In words, every place that more than one party shares: "A en B staan samen op de eerste
    plaats." """
    places: dict[int, list[str]] = {}
    for r in results:
        if r.rank is not None:
            places.setdefault(r.rank, []).append(r.party.name)
    sentences = []
    for place, names in places.items():
        if len(names) < 2:
            continue
        parties = _("%(parties)s en %(last)s") % {
            "parties": ", ".join(names[:-1]),
            "last": names[-1],
        }
        if place in ORDINALS:
            sentence = _("%(parties)s staan samen op de %(ordinal)s plaats.") % {
                "parties": parties,
                "ordinal": ORDINALS[place],
            }
        else:
            sentence = _("%(parties)s staan samen op plaats %(place)d.") % {
                "parties": parties,
                "place": place,
            }
        sentences.append(sentence)
    return " ".join(sentences)


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
    positions = {
        p.slug: p.positions for p in scoring.party_positions(data, [p.slug for p in parties])
    }
    return landscape.build(
        data.axis_x_label,
        data.axis_y_label,
        axes,
        voter.values(),
        [(p.short_name, p.colour, positions[p.slug]) for p in parties],
        voter_label=_("Gedeeld") if shared else _("Jij"),
    )


def too_few(r: PartyResult) -> str:
    return ngettext(
        "vergeleken op %(compared)d van je %(answered)d antwoord: te weinig om te rangschikken",
        "vergeleken op %(compared)d van je %(answered)d antwoorden: te weinig om te rangschikken",
        r.answered,
    ) % {"compared": r.compared, "answered": r.answered}


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
    for r in result["results"]:
        score = "–" if r.percent is None else f"{r.percent}%"
        compared = ngettext(
            "%(count)d stelling vergeleken", "%(count)d stellingen vergeleken", r.compared
        ) % {"count": r.compared}
        if r.ranked:
            lines.append(f"{r.rank}. {r.party.name}: {score} ({compared})")
        else:
            lines.append(f"– {r.party.name}: {score} ({too_few(r) if r.compared else compared})")
    if result.get("ties"):
        lines.append(result["ties"])
    lines.append(_("Bekijk het resultaat: %(url)s") % {"url": url})
    return "\n".join(lines)
