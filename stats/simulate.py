"""Synthetic completions for demonstrations and benchmarks, drawn around the parties' profiles.

Each synthetic voter leans towards one party (parties differ in popularity, as in a poll),
sometimes also towards a second one, and mostly answers as that party would, with some moderation
towards neutral, some disagreement and a few skipped statements. A few statements matter more to
them; a few choose only some parties. Completions pile up towards election day.

Scoring a million voters with `quiz.scoring` would take minutes, so `Scorer` computes the same
numbers from per-statement lookup tables; a test holds it equal to `quiz.scoring.score`. The
statistics do not import the quiz: the caller passes the quiz's `Rules` (the project-level
command `simulate_results` and the benchmark, which may import both).

Every row is marked `simulated`: releases and exports leave such rows out unless asked.
"""

import datetime
import itertools
import math
import operator
import random
import struct
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from positions.catalog import ElectionData

from . import codec
from .models import Completion, random_key

SKIP = 0.04
SECOND_PARTY = 0.35
ALL_PARTIES = 0.92
BATCH = 5000


@dataclass(frozen=True)
class Rules:
    """The numbers of the quiz's scoring (`quiz.scoring`), passed in by the caller."""

    answer_values: Mapping[str, int | None]
    position_values: Mapping[str, int | None]
    important_weight: int
    scale_range: int

    @classmethod
    def of(cls, scoring) -> "Rules":
        """The rules of a scoring module such as `quiz.scoring`."""
        return cls(
            scoring.ANSWER_VALUES,
            scoring.POSITION_VALUES,
            scoring.IMPORTANT_WEIGHT,
            scoring.SCALE_RANGE,
        )


class Scorer:
    """`quiz.scoring.score` for every party at once, from answer bytes (see `stats.codec`)."""

    def __init__(self, method: str, positions: Sequence[Sequence[int | None]], rules: Rules):
        self.method, self.rules = method, rules
        # Per party, per statement: answer byte -> (points or distance) << 16 | weight
        self.tables = [
            [self._column(position) for position in party_positions]
            for party_positions in positions
        ]

    def _column(self, position: int | None) -> list[int]:
        column = [0] * 128
        for code in codec.CODES:
            answer, important = codec.decode(code)
            value = self.rules.answer_values[answer]
            if value is None or position is None:
                continue
            weight = self.rules.important_weight if important else 1
            difference = abs(value - position)
            if self.method == "agreement":
                amount = weight * (self.rules.scale_range - difference)
            elif self.method == "cityblock":
                amount = weight * difference
            else:
                amount = weight * difference**2
            column[code] = amount << 16 | weight
        return column

    def _score(self, packed: int) -> float | None:
        amount, weight = packed >> 16, packed & 0xFFFF
        scale = self.rules.scale_range
        if not weight:
            return None
        if self.method == "agreement":
            return 100 * amount / (scale * weight)
        if self.method == "cityblock":
            return 100 * (1 - amount / (scale * weight))
        return 100 * (1 - math.sqrt(amount) / math.sqrt(weight * scale**2))

    def scores(self, answers: bytes, chosen: Sequence[bool]) -> list[float | None]:
        return [
            self._score(sum(map(operator.getitem, table, answers))) if keep else None
            for table, keep in zip(self.tables, chosen, strict=True)
        ]


@dataclass(frozen=True)
class Profile:
    """What the synthetic electorate of one election looks like."""

    positions: list[list[int | None]]  # per party, per statement: 1, 0, -1 or None
    popularity: list[float]
    days: list[datetime.date]
    day_weights: list[float]


def profile(data: ElectionData, rng: random.Random, days: int, rules: Rules) -> Profile:
    positions = [
        [rules.position_values[data.stance(s.id, p.slug).position] for s in data.statements]
        for p in data.parties
    ]
    popularity = [rng.gammavariate(1.5, 1.0) for _ in data.parties]
    dates = [data.date - datetime.timedelta(days=d) for d in range(days)]
    # Most voters use a voting aid in the last week; the busiest day is election day.
    weights = [math.exp(-d / 6) for d in range(days)]
    return Profile(positions, popularity, dates, weights)


def _answer(rng: random.Random, position: int | None) -> str:
    r = rng.random()
    if r < SKIP:
        return "skip"
    r = rng.random()
    if position is None:
        return "agree" if r < 0.35 else "neutral" if r < 0.65 else "disagree"
    if position == 0:
        return "neutral" if r < 0.5 else "agree" if r < 0.75 else "disagree"
    same, opposite = ("agree", "disagree") if position > 0 else ("disagree", "agree")
    return same if r < 0.62 else "neutral" if r < 0.88 else opposite


def voter(rng: random.Random, p: Profile) -> tuple[bytes, list[bool]]:
    """One synthetic voter's answer bytes and which parties they compare with."""
    parties = range(len(p.positions))
    home = rng.choices(parties, p.popularity)[0]
    second = rng.choices(parties, p.popularity)[0] if rng.random() < SECOND_PARTY else home
    answers = []
    for i in range(len(p.positions[home])):
        leaning = second if rng.random() < 0.3 else home
        answers.append(_answer(rng, p.positions[leaning][i]))
    opinions = [i for i, a in enumerate(answers) if a in ("agree", "disagree")]
    important = set(rng.sample(opinions, min(len(opinions), rng.choice((0, 0, 1, 2, 3, 3, 4, 5)))))
    blob = bytes(codec.code(a, i in important) for i, a in enumerate(answers))
    if rng.random() < ALL_PARTIES:
        chosen = [True] * len(p.positions)
    else:
        chosen = [i == home or rng.random() < 0.5 for i in parties]
    return blob, chosen


def completions(
    data: ElectionData, count: int, seed: int, rules: Rules, days: int = 30
) -> Iterator[tuple[datetime.date, bytes, bytes, bytes]]:
    """`count` synthetic completions as (day, answers, scores, best), the same for the same
    seed."""
    rng = random.Random(seed)
    p = profile(data, rng, days, rules)
    scorer = Scorer(data.method, p.positions, rules)
    pack = struct.Struct(f">{len(data.parties)}H").pack
    days_drawn = iter(())
    for _ in range(count):
        answers, chosen = voter(rng, p)
        scores = scorer.scores(answers, chosen)
        scored = [s for s in scores if s is not None]
        top = max(scored, default=None)
        best = bytes(i for i, s in enumerate(scores) if s is not None and s == top)
        day = next(days_drawn, None)
        if day is None:
            days_drawn = iter(rng.choices(p.days, p.day_weights, k=1000))
            day = next(days_drawn)
        yield day, answers, pack(*(codec.hundredths(s) for s in scores)), best


def _copy(layout_id: int, rows: Iterable[tuple]) -> None:
    table = connection.ops.quote_name(Completion._meta.db_table)
    sql = f"COPY {table} (id, layout_id, simulated, day, answers, scores, best) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row((random_key(), layout_id, True, *row))


def _bulk_create(layout_id: int, rows: Iterable[tuple]) -> None:
    Completion.objects.bulk_create(
        [
            Completion(
                layout_id=layout_id,
                simulated=True,
                day=day,
                answers=answers,
                scores=scores,
                best=best,
            )
            for day, answers, scores, best in rows
        ]
    )


@dataclass
class Timing:
    rows: int = 0
    generating: float = 0.0
    inserting: float = 0.0


def insert(layout_id: int, rows: Iterable[tuple], progress=None) -> Timing:
    """Insert rows in one transaction: PostgreSQL COPY, elsewhere bulk_create in batches."""
    write = _copy if connection.vendor == "postgresql" else _bulk_create
    timing = Timing()
    rows = iter(rows)
    with transaction.atomic():
        while True:
            started = time.perf_counter()
            batch = list(itertools.islice(rows, BATCH))
            timing.generating += time.perf_counter() - started
            if not batch:
                return timing
            started = time.perf_counter()
            write(layout_id, batch)
            timing.inserting += time.perf_counter() - started
            timing.rows += len(batch)
            if progress:
                progress(timing.rows)
