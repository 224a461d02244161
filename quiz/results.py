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
        data.scale,
    )


@dataclass(frozen=True)
class Offer:
    """Reserve statements offered before the result, and the two parties they separate."""

    statements: tuple[StatementData, ...]
    first: PartyData
    second: PartyData


def reserve_offer(data: ElectionData, voter: VoterAnswers) -> Offer | None:
    """The unanswered reserve statements that separate the voter's two first parties, when those
    are within the election's margin (`scoring.tie_break`); None when there are none."""
    unanswered = [s for s in data.statements if s.id in data.reserve and s.id not in voter.answers]
    if not unanswered:
        return None
    positions = scoring.party_positions(data, voter.chosen_parties(data))
    matches = ranking(data, voter)
    ids = scoring.tie_break(matches, positions, [s.id for s in unanswered], data.tie_break_margin)
    if not ids:
        return None
    parties = {p.slug: p for p in data.parties}
    first, second = [m for m in matches if m.rank is not None][:2]
    return Offer(
        tuple(s for s in unanswered if s.id in ids), parties[first.party], parties[second.party]
    )


def build_result(data: ElectionData, voter: VoterAnswers) -> dict:
    parties = {p.slug: p for p in data.parties}
    answered = sum(1 for a in voter.answers.values() if a != "skip")
    results = [
        PartyResult(parties[m.party], m.score, m.compared, m.rank, round(m.coverage, 3), answered)
        for m in ranking(data, voter)
    ]
    stability = scoring.stability(
        voter.values(),
        voter.important,
        scoring.party_positions(data, voter.chosen_parties(data)),
        data.method,
        data.ranking_threshold,
        data.scale,
    )
    return {
        "election": data,
        "results": results,
        "ranked": [r for r in results if r.ranked],
        "unranked": [r for r in results if not r.ranked],
        "ties": tie_sentences(results),
        "answered": answered,
        "total": len(voter.asked(data)),
        "method": data.method,
        "stability": stability,
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


METHOD_NAMES = {
    "agreement": _lazy("de overeenstemming"),
    "cityblock": _lazy("de cityblock-afstand"),
    "euclidean": _lazy("de euclidische afstand"),
}


def stability_text(data: ElectionData, stability: scoring.Stability | None, shared: bool) -> str:
    """In words, how firmly the first party is first (`scoring.stability`); "" when no party
    is first alone."""
    if stability is None:
        return ""
    names = {p.slug: p.name for p in data.parties}
    party = names[stability.party]
    values = {"party": party, "kept": stability.kept, "total": stability.total}
    if shared:
        text = ngettext(
            "%(party)s blijft bovenaan als we één van de gedeelde antwoorden weglaten: in "
            "%(kept)d van %(total)d geval.",
            "%(party)s blijft bovenaan als we één van de gedeelde antwoorden weglaten: in "
            "%(kept)d van de %(total)d gevallen.",
            stability.total,
        )
    else:
        text = ngettext(
            "%(party)s blijft bovenaan als we één van je antwoorden weglaten: in %(kept)d van "
            "%(total)d geval.",
            "%(party)s blijft bovenaan als we één van je antwoorden weglaten: in %(kept)d van de "
            "%(total)d gevallen.",
            stability.total,
        )
    sentences = [text % values]
    others = [m for m in scoring.METHODS if m != data.method]
    if all(stability.methods[m] == stability.party for m in others):
        sentences.append(
            _("Ook met de andere rekenmethoden staat %(party)s alleen bovenaan.") % {"party": party}
        )
    else:
        for method in others:
            first = stability.methods[method]
            if first is None:
                sentence = _("Met %(method)s staat geen partij alleen bovenaan.")
            else:
                sentence = _("Met %(method)s staat %(party)s bovenaan.")
            sentences.append(sentence % {"method": METHOD_NAMES[method], "party": names.get(first)})
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
    axes = {s.id: (s.axis, s.axis_direction) for s in data.regular if s.axis}
    # The landscape runs from -1 to +1: on the 5-point scale, strongly agree (+2) is +1.
    half = scoring.scale_range(data.scale) / 2

    def scaled(values):
        return values if half == 1 else {k: v if v is None else v / half for k, v in values.items()}

    positions = {
        p.slug: scaled(p.positions)
        for p in scoring.party_positions(data, [p.slug for p in parties])
    }
    return landscape.build(
        data.axis_x_label,
        data.axis_y_label,
        axes,
        scaled(voter.values()),
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
    """Below this many answers the result page warns that the advice rests on few answers: the
    editors' setting for the election, else half the regular statements, rounded up."""
    if data.min_answers is not None:
        return data.min_answers
    return (len(data.regular) + 1) // 2


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
