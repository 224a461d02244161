"""The statistics of one election: raw counts from SQL, turned into suppressed tables here.

`collect_days()` asks the database for counts per day (one pass over the rows per kind of count);
everything after that is pure: `Tallies` merges the counts of each recorded layout by statement
id and party slug, and `build_report()` turns them into the tables that the admin page and the
exports show. A cell that counts fewer voters than the threshold is suppressed (None).

Only commands and downloads count in SQL; a page reads the counts that `make_releases` stored
per closed day (`stats.releases`).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from positions import catalog
from positions.catalog import ElectionData
from positions.models import Election, answers_for

from . import codec
from .models import Completion, Layout

THRESHOLD = 10
BUCKETS = 10
SCORE_SCALE = 100  # scores are stored in hundredths of a point

# The answers that take a position, in the order of the scale; the strong ones only occur on an
# election of 5 points.
POSITIONS = ("strongly_agree", "agree", "neutral", "disagree", "strongly_disagree")


@dataclass
class Tallies:
    """Raw counts of one election, keyed by statement id and party slug."""

    days: dict[datetime.date, int] = field(default_factory=dict)
    # statement id -> an answer of `answers_for(5)` or important -> voters
    answers: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # party slug -> score in hundredths -> voters with that score
    scores: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # party slug -> voters for whom it was the best match; a tie of k parties gives each 1/k
    best: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    with_best: int = 0

    def add_layout(
        self,
        statements: Sequence[int],
        parties: Sequence[str],
        answer_counts: Sequence[Mapping[str, int]],
        score_counts: Iterable[tuple[int, bytes, int]],
        best_counts: Iterable[tuple[bytes, int]],
    ) -> None:
        """Add the counts of one layout, whose byte positions stand for these statements and
        parties."""
        for statement_id, counts in zip(statements, answer_counts, strict=True):
            self.answers[statement_id].update(counts)
        for position, packed, n in score_counts:
            value = int.from_bytes(packed, "big")
            if value != codec.NO_SCORE:
                self.scores[parties[position]][value] += n
        for packed, n in best_counts:
            if not packed:
                continue
            self.with_best += n
            for position in packed:
                self.best[parties[position]] += n / len(packed)

    @property
    def completions(self) -> int:
        return sum(self.days.values())

    def merge(self, other: "Tallies") -> None:
        for day, n in other.days.items():
            self.days[day] = self.days.get(day, 0) + n
        for statement_id, counts in other.answers.items():
            self.answers[statement_id].update(counts)
        for slug, counts in other.scores.items():
            self.scores[slug].update(counts)
        for slug, n in other.best.items():
            self.best[slug] += n
        self.with_best += other.with_best

    def to_json(self) -> dict:
        return {
            "days": {day.isoformat(): n for day, n in self.days.items()},
            "answers": {str(sid): dict(c) for sid, c in self.answers.items()},
            "scores": {slug: {str(v): n for v, n in c.items()} for slug, c in self.scores.items()},
            "best": dict(self.best),
            "with_best": self.with_best,
        }

    @classmethod
    def from_json(cls, stored: Mapping) -> "Tallies":
        tallies = cls(
            days={datetime.date.fromisoformat(d): n for d, n in stored["days"].items()},
            with_best=stored["with_best"],
        )
        for sid, counts in stored["answers"].items():
            tallies.answers[int(sid)].update(counts)
        for slug, counts in stored["scores"].items():
            tallies.scores[slug].update({int(v): n for v, n in counts.items()})
        tallies.best.update(stored["best"])
        return tallies


@contextmanager
def _analytic_queries():
    """A read transaction for the wide aggregate queries. On PostgreSQL, JIT compilation of a
    query with hundreds of FILTER clauses costs more than it saves (6.6 s against 1.3 s for a
    million rows), so it is turned off for these queries only."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def collect_days(
    slug: str,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    simulated: bool = False,
) -> dict[datetime.date, Tallies]:
    """Count the completions of an election per day (between two days, inclusive) in SQL;
    the rows of `simulate_results` only when `simulated`."""
    shapes = defaultdict(list)
    for layout in Layout.objects.filter(election__slug=slug).order_by("pk"):
        shapes[layout.shape].append(layout.pk)
    days: dict[datetime.date, Tallies] = defaultdict(Tallies)
    if not shapes:
        return {}
    scale = Election.objects.values_list("scale", flat=True).get(slug=slug)
    given = [answer for answer in answers_for(scale) if answer != "skip"]
    with _analytic_queries():
        for (statements, parties), ids in shapes.items():
            rows = Completion.objects.for_layouts(ids).between(date_from, date_to)
            if not simulated:
                rows = rows.real()
            for day, n in rows.day_counts():
                days[day].days[day] = days[day].days.get(day, 0) + n
            answers = rows.answer_counts(len(statements), given)
            scores, best = defaultdict(list), defaultdict(list)
            for day, *count in rows.score_counts(len(parties)):
                scores[day].append(count)
            for day, *count in rows.best_counts():
                best[day].append(count)
            for day, counts in answers.items():
                days[day].add_layout(statements, parties, counts, scores[day], best[day])
    return dict(days)


def collect(
    slug: str,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    simulated: bool = False,
) -> Tallies:
    """Count the completions of an election (between two days, inclusive) in SQL."""
    return combine(collect_days(slug, date_from, date_to, simulated).values())


def combine(days: Iterable[Tallies]) -> Tallies:
    total = Tallies()
    for tallies in days:
        total.merge(tallies)
    return total


class NotApplicable:
    """A cell with nothing to count, such as the scores of a party without any stance or the
    agreement with a party that took no position: "–", never mistaken for a suppressed cell
    (None). False, like a missing value."""

    def __bool__(self):
        return False

    def __repr__(self):
        return "NA"


NA = NotApplicable()


def suppress(n: float, threshold: int) -> float | None:
    return n if n >= threshold else None


def _percent(part: float, whole: float) -> float:
    return round(100 * part / whole, 1)


def median(counts: Mapping[int, int]) -> float:
    """The median of values given as value -> how often; the mean of the middle two on an even
    count."""
    total = sum(counts.values())
    middle = [(total - 1) // 2, total // 2]
    found = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    return sum(found) / 2


def mean(counts: Mapping[int, int]) -> float:
    return sum(v * n for v, n in counts.items()) / sum(counts.values())


def histogram(counts: Mapping[int, int], buckets: int = BUCKETS) -> list[int]:
    """Voters per score bucket of equal width on 0-100; 100 falls in the last bucket."""
    top = 100 * SCORE_SCALE
    result = [0] * buckets
    for value, n in counts.items():
        result[min(value * buckets // top, buckets - 1)] += n
    return result


@dataclass(frozen=True)
class StatementRow:
    number: int
    id: int
    title: str
    agree: int | None
    neutral: int | None
    disagree: int | None
    skip: int | None
    important: int | None
    # Only on an election of 5 points; not applicable on 3.
    strongly_agree: int | None | NotApplicable = NA
    strongly_disagree: int | None | NotApplicable = NA


@dataclass(frozen=True)
class PartyRow:
    slug: str
    name: str
    colour: str
    voters: int | None
    mean: float | None
    median: float | None
    histogram: tuple[int | None, ...]
    best_share: float | None


@dataclass(frozen=True)
class AgreementCell:
    statement: int
    party: str
    position: str
    share: float | None | NotApplicable  # percent of the voters who answered the statement


@dataclass(frozen=True)
class Report:
    election: ElectionData
    date_from: datetime.date | None
    date_to: datetime.date | None
    threshold: int
    completions: int | None
    days: list[tuple[datetime.date, int | None]]
    statements: list[StatementRow]
    parties: list[PartyRow]
    agreement: list[AgreementCell]

    @property
    def is_empty(self) -> bool:
        return not self.days

    @property
    def agreement_rows(self) -> list[tuple[StatementRow, list[AgreementCell]]]:
        """The agreement cells as a matrix: per statement, one cell per party."""
        width = len(self.parties)
        return [
            (s, self.agreement[i * width : (i + 1) * width]) for i, s in enumerate(self.statements)
        ]


def statement_row(statement, counts: Mapping[str, int], scale: int, threshold: int) -> StatementRow:
    """The counts of one statement's answers (those of `answers_for(scale)`) and "matters
    more", suppressed under `threshold`."""
    names = (*answers_for(scale), "important")
    return StatementRow(
        statement.number,
        statement.id,
        statement.title,
        **{name: suppress(counts.get(name, 0), threshold) for name in names},
    )


def not_applicable_row(party) -> PartyRow:
    return PartyRow(party.slug, party.name, party.colour, NA, NA, NA, (NA,) * BUCKETS, NA)


def has_stances(data: ElectionData, slug: str) -> bool:
    """Whether a voter can be compared with the party at all."""
    return any(data.stance(s.id, slug).position in POSITIONS for s in data.statements)


def _party_row(party, scores: Counter, best: float, with_best: int, threshold: int) -> PartyRow:
    voters = sum(scores.values())
    shown = voters >= threshold
    return PartyRow(
        party.slug,
        party.name,
        party.colour,
        suppress(voters, threshold),
        round(mean(scores) / SCORE_SCALE, 1) if shown else None,
        round(median(scores) / SCORE_SCALE, 1) if shown else None,
        tuple(suppress(n, threshold) for n in histogram(scores)),
        _percent(best, with_best) if best >= threshold else None,
    )


def _agreement(data: ElectionData, tallies: Tallies, threshold: int) -> list[AgreementCell]:
    cells = []
    for statement in data.statements:
        counts = tallies.answers.get(statement.id, Counter())
        answered = sum(counts[position] for position in POSITIONS)
        for party in data.parties:
            position = data.stance(statement.id, party.slug).position
            share = NA if position not in POSITIONS else None
            if position in POSITIONS and counts[position] >= threshold:
                share = _percent(counts[position], answered)
            cells.append(AgreementCell(statement.number, party.slug, position, share))
    return cells


def build_report(
    data: ElectionData,
    tallies: Tallies,
    threshold: int = THRESHOLD,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Report:
    """The published tables: every count below `threshold` voters suppressed."""
    if threshold < 1:
        raise ValueError("the suppression threshold is at least 1 voter")
    return Report(
        election=data,
        date_from=date_from,
        date_to=date_to,
        threshold=threshold,
        completions=suppress(tallies.completions, threshold),
        days=[(day, suppress(n, threshold)) for day, n in sorted(tallies.days.items())],
        statements=[
            statement_row(s, tallies.answers.get(s.id, Counter()), data.scale, threshold)
            for s in data.statements
        ],
        parties=[
            _party_row(
                p,
                tallies.scores.get(p.slug, Counter()),
                tallies.best.get(p.slug, 0.0),
                tallies.with_best,
                threshold,
            )
            if has_stances(data, p.slug)
            else not_applicable_row(p)
            for p in data.parties
        ],
        agreement=_agreement(data, tallies, threshold),
    )


def election_data(election: Election) -> ElectionData:
    """The election as voters see it now: its published version, or else its live rows."""
    return catalog.published_election(election.slug) or catalog.load(election)


def report(
    data: ElectionData,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    threshold: int = THRESHOLD,
    simulated: bool = False,
) -> Report:
    """The exact tables, counted in SQL: for commands and the Beheerder's downloads."""
    tallies = collect(data.slug, date_from, date_to, simulated)
    return build_report(data, tallies, threshold, date_from, date_to)
