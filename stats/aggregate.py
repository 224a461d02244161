"""The statistics of one election: raw counts from SQL, turned into suppressed tables here.

`collect()` asks the database for counts (one pass over the rows per kind of count); everything
after that is pure: `Tallies` merges the counts of each recorded layout by statement id and party
slug, and `build_report()` turns them into the tables that the admin page, the public JSON and
every export show. A cell that counts fewer voters than the threshold is suppressed (None).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from positions import catalog
from positions.catalog import ElectionData
from positions.models import Election

from . import codec
from .models import Completion, Layout

THRESHOLD = 10
BUCKETS = 10
SCORE_SCALE = 100  # scores are stored in hundredths of a point

POSITIONS = ("agree", "neutral", "disagree")


@dataclass
class Tallies:
    """Raw counts of one election, keyed by statement id and party slug."""

    days: dict[datetime.date, int] = field(default_factory=dict)
    # statement id -> agree, neutral, disagree, skip or important -> voters
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


def collect(
    slug: str, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> Tallies:
    """Count the completions of an election (between two days, inclusive) in SQL."""
    shapes = defaultdict(list)
    for layout in Layout.objects.filter(election__slug=slug).order_by("pk"):
        shapes[layout.shape].append(layout.pk)
    tallies = Tallies()
    if not shapes:
        return tallies
    all_ids = [pk for ids in shapes.values() for pk in ids]
    with _analytic_queries():
        tallies.days = dict(
            Completion.objects.for_layouts(all_ids).between(date_from, date_to).day_counts()
        )
        for (statements, parties), ids in shapes.items():
            rows = Completion.objects.for_layouts(ids).between(date_from, date_to)
            tallies.add_layout(
                statements,
                parties,
                rows.answer_counts(len(statements)),
                rows.score_counts(len(parties)),
                rows.best_counts(),
            )
    return tallies


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
    share: float | None  # percent of the voters who answered the statement


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


def _statement_row(statement, counts: Counter, threshold: int) -> StatementRow:
    return StatementRow(
        statement.number,
        statement.id,
        statement.title,
        *(suppress(counts[name], threshold) for name in (*codec.ANSWERS, "important")),
    )


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
            share = None
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
            _statement_row(s, tallies.answers.get(s.id, Counter()), threshold)
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
) -> Report:
    return build_report(data, collect(data.slug, date_from, date_to), threshold, date_from, date_to)
