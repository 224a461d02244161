"""The matching methodology: a voter's answers against each party's positions.

Pure functions, no database. The rules are published on the methodology page
(`templates/quiz/methodology.html`); change them only together with that page and the tests.

Values: strongly agree = +2, agree = +1, neutral = 0, disagree = -1, strongly disagree = -2 (the
strong values only on an election with the 5-point scale); `None` means the voter skipped the
statement or the party has no stance on it. The range R of a statement is the largest difference
between an answer and a stance: 2 on the 3-point scale, 4 on the 5-point scale.

The ranking rule: a party is compared on the statements the voter answered and the party took a
stance on. Its coverage is that number over the statements the voter answered. Only a party
compared on at least one statement and with a coverage of at least the election's threshold is
ranked: a party with a stance on three statements would otherwise top the list by chance. Ranked
parties come first, highest score first; scores equal as exact fractions share a place
("1", "1", "3"). The others follow unnumbered, by name, those compared on nothing last.

The stability of the advice: a party is first when it is ranked and every other ranked party
scores lower (a shared first place has no first party). For that party, `stability` counts in how
many of the answered statements, each left out in turn, it is still first, and names the first
party under each method.
"""

import functools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from positions.catalog import DEFAULT_THRESHOLD

POSITION_VALUES: dict[str, int | None] = {
    "strongly_agree": 2,
    "agree": 1,
    "neutral": 0,
    "disagree": -1,
    "strongly_disagree": -2,
    "none": None,
}
ANSWER_VALUES: dict[str, int | None] = {
    "strongly_agree": 2,
    "agree": 1,
    "neutral": 0,
    "disagree": -1,
    "strongly_disagree": -2,
    "skip": None,
}
# R on the 3-point scale; `scale_range` gives it for either scale.
SCALE_RANGES = {3: 2, 5: 4}
IMPORTANT_WEIGHT = 2
METHODS = ("agreement", "cityblock", "euclidean")


def scale_range(scale: int) -> int:
    """R: the largest difference between an answer and a stance on a scale of 3 or 5 points."""
    return SCALE_RANGES[scale]


@dataclass(frozen=True)
class PartyPositions:
    slug: str
    name: str
    positions: Mapping[int, int | None]


@dataclass(frozen=True)
class Match:
    party: str
    name: str
    score: float | None
    compared: int
    # The place among the ranked parties, shared on a tie; None when the party is not ranked.
    rank: int | None = None
    # Statements compared over statements the voter answered, 0..1.
    coverage: float = 0.0


def _pairs(answers, important, positions):
    """(weight, voter value, party value) for every statement both sides took a position on."""
    for statement, answer in answers.items():
        if answer is None:
            continue
        position = positions.get(statement)
        if position is None:
            continue
        yield (IMPORTANT_WEIGHT if statement in important else 1), answer, position


def score(
    answers: Mapping[int, int | None],
    important: Collection[int],
    positions: Mapping[int, int | None],
    method: str = "agreement",
    scale: int = 3,
) -> tuple[float | None, int]:
    """Return (score 0-100 or None when nothing could be compared, statements compared)."""
    pairs = list(_pairs(answers, important, positions))
    if not pairs:
        return None, 0
    total_weight = sum(w for w, _, _ in pairs)
    r = scale_range(scale)
    if method == "agreement":
        points = sum(w * (r - abs(a - p)) for w, a, p in pairs)
        return 100 * points / (r * total_weight), len(pairs)
    if method == "cityblock":
        distance = sum(w * abs(a - p) for w, a, p in pairs)
        return 100 * (1 - distance / (r * total_weight)), len(pairs)
    if method == "euclidean":
        distance = math.sqrt(sum(w * (a - p) ** 2 for w, a, p in pairs))
        return 100 * (1 - distance / math.sqrt(total_weight * r**2)), len(pairs)
    raise ValueError(f"unknown method {method!r}")


def exact_score(
    answers: Mapping[int, int | None],
    important: Collection[int],
    positions: Mapping[int, int | None],
    method: str = "agreement",
    scale: int = 3,
) -> Fraction | None:
    """An exact fraction in the same order as `score`: two parties tie when theirs are equal.

    Agreement and cityblock scores are fractions already; the euclidean score is
    1 - sqrt(x), so 1 - x orders it the same way without a square root."""
    pairs = list(_pairs(answers, important, positions))
    if not pairs:
        return None
    total_weight = sum(w for w, _, _ in pairs)
    r = scale_range(scale)
    if method in ("agreement", "cityblock"):
        distance = sum(w * abs(a - p) for w, a, p in pairs)
        return 1 - Fraction(distance, r * total_weight)
    if method == "euclidean":
        distance = sum(w * (a - p) ** 2 for w, a, p in pairs)
        return 1 - Fraction(distance, r**2 * total_weight)
    raise ValueError(f"unknown method {method!r}")


def rank(
    answers: Mapping[int, int | None],
    important: Collection[int],
    parties: Sequence[PartyPositions],
    method: str = "agreement",
    threshold: float | Decimal | Fraction = DEFAULT_THRESHOLD,
    scale: int = 3,
) -> list[Match]:
    """Ranked parties by score, highest first, a tie sharing its place and ordered by more
    statements compared, then name; then the parties below the threshold by name; then those
    compared on nothing, by name.

    The scores are those of `score` and `exact_score`, worked out from one pass in integers
    (`_sums`) rather than two per party."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    threshold = _fraction(threshold)
    r = scale_range(scale)
    answered = sum(1 for a in answers.values() if a is not None)
    ranked, below, nothing = [], [], []
    sums = _sums(answers, frozenset(important), parties, per_statement=False)
    for party, (_, compared, weight, linear, square, _) in zip(parties, sums, strict=True):
        coverage = compared / answered if answered else 0.0
        if compared == 0:
            nothing.append(Match(party.slug, party.name, None, 0, None, coverage))
            continue
        value = _score(method, r, weight, linear, square)
        if _is_ranked(compared, answered, threshold):
            points, maximum = _points(method, r, weight, linear, square)
            exact = Fraction(points, maximum)
            ranked.append((exact, compared, party.name.casefold(), party, value, coverage))
        else:
            below.append(Match(party.slug, party.name, value, compared, None, coverage))
    # Highest exact score first, then more statements compared, then by name.
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2], r[3].slug))
    places, previous = [], None
    for n, (exact, compared, _, party, value, coverage) in enumerate(ranked, 1):
        place = places[-1].rank if exact == previous else n
        places.append(Match(party.slug, party.name, value, compared, place, coverage))
        previous = exact
    return places + sorted(below, key=_by_name) + sorted(nothing, key=_by_name)


def _score(method: str, r: int, weight: int, linear: int, square: int) -> float:
    """The score 0-100 of `score`, with the same arithmetic, from a party's `_sums`."""
    if method == "agreement":
        return 100 * (r * weight - linear) / (r * weight)
    if method == "cityblock":
        return 100 * (1 - linear / (r * weight))
    return 100 * (1 - math.sqrt(square) / math.sqrt(weight * r**2))


@functools.lru_cache(maxsize=64)
def _fraction(threshold: float | Decimal | Fraction) -> Fraction:
    """The threshold as an exact fraction (0.5 as 1/2, not as the float nearest to it)."""
    return Fraction(str(threshold))


@dataclass(frozen=True)
class Stability:
    """How firmly `party` is first: still first in `kept` of `total` rankings that each leave one
    answered statement out; `methods` names the first party under each method, or None."""

    party: str
    kept: int
    total: int
    methods: Mapping[str, str | None]


def _sums(answers, important, parties, per_statement: bool = True):
    """Per party, over the statements compared, in integers: (slug, compared, total weight, sum
    of w·|a − p|, sum of w·(a − p)², {statement: (w, |a − p|)} or None without
    `per_statement`). Every method's score follows from them (`_points`)."""
    answered = [
        (statement, answer, IMPORTANT_WEIGHT if statement in important else 1)
        for statement, answer in answers.items()
        if answer is not None
    ]
    sums = []
    for party in parties:
        positions = party.positions
        compared = weight = linear = square = 0
        statements = {} if per_statement else None
        for statement, answer, w in answered:
            position = positions.get(statement)
            if position is None:
                continue
            d = answer - position if answer > position else position - answer
            compared += 1
            weight += w
            linear += w * d
            square += w * d * d
            if per_statement:
                statements[statement] = (w, d)
        sums.append((party.slug, compared, weight, linear, square, statements))
    return sums


def _points(method: str, r: int, weight: int, linear: int, square: int) -> tuple[int, int]:
    """(points, maximum): the exact score (`exact_score`) is points / maximum."""
    if method in ("agreement", "cityblock"):
        return r * weight - linear, r * weight
    if method == "euclidean":
        return r * r * weight - square, r * r * weight
    raise ValueError(f"unknown method {method!r}")


def _is_ranked(compared: int, answered: int, threshold: Fraction) -> bool:
    return compared >= 1 and compared * threshold.denominator >= threshold.numerator * answered


def _first(sums, method: str, r: int, answered: int, threshold: Fraction) -> str | None:
    best, first = None, None
    for slug, compared, weight, linear, square, _ in sums:
        if not _is_ranked(compared, answered, threshold):
            continue
        points, maximum = _points(method, r, weight, linear, square)
        if best is None or points * best[1] > best[0] * maximum:
            best, first = (points, maximum), slug
        elif points * best[1] == best[0] * maximum:
            first = None
    return first


def first_party(
    answers: Mapping[int, int | None],
    important: Collection[int],
    parties: Sequence[PartyPositions],
    method: str = "agreement",
    threshold: float | Decimal | Fraction = DEFAULT_THRESHOLD,
    scale: int = 3,
) -> str | None:
    """The slug of the party alone on the first place of `rank`, or None (a tie, none ranked)."""
    answered = sum(1 for a in answers.values() if a is not None)
    sums = _sums(answers, frozenset(important), parties)
    return _first(sums, method, scale_range(scale), answered, _fraction(threshold))


def stability(
    answers: Mapping[int, int | None],
    important: Collection[int],
    parties: Sequence[PartyPositions],
    method: str = "agreement",
    threshold: float | Decimal | Fraction = DEFAULT_THRESHOLD,
    scale: int = 3,
) -> Stability | None:
    """How firmly the first party is first; None when no party is first alone.

    Leaving a statement out takes its points, its maximum and its comparison off each party's
    totals (so coverage and the threshold are worked out again too), and scores are compared as
    fractions by cross-multiplying: one pass over statements x parties in integers, not a new
    ranking per statement."""
    threshold = _fraction(threshold)
    r = scale_range(scale)
    answered = [s for s, a in answers.items() if a is not None]
    sums = _sums(answers, frozenset(important), parties)
    methods = {m: _first(sums, m, r, len(answered), threshold) for m in METHODS}
    top = methods[method]
    if top is None:
        return None
    euclidean = method == "euclidean"
    best = r * r if euclidean else r
    left = len(answered) - 1
    totals = []
    for slug, _, weight, linear, square, per_statement in sums:
        points, maximum = _points(method, r, weight, linear, square)
        entry = (points, maximum, per_statement)
        if slug == top:
            top_points, top_maximum, top_statements = entry
        else:
            totals.append(entry)
    kept = 0
    for statement in answered:
        w, d = top_statements.get(statement, (0, 0))
        maximum = top_maximum - w * best
        points = top_points - w * (best - (d * d if euclidean else d))
        if not _is_ranked(len(top_statements) - (w > 0), left, threshold):
            continue
        for other_points, other_maximum, per_statement in totals:
            w, d = per_statement.get(statement, (0, 0))
            if not _is_ranked(len(per_statement) - (w > 0), left, threshold):
                continue
            other_maximum -= w * best
            other_points -= w * (best - (d * d if euclidean else d))
            if other_points * maximum >= points * other_maximum:
                break
        else:
            kept += 1
    return Stability(top, kept, len(answered), methods)


def tie_break(
    matches: Sequence[Match],
    parties: Sequence[PartyPositions],
    reserve: Sequence[int],
    margin: float,
) -> list[int]:
    """The reserve statements to offer: when the first two ranked parties of `matches` (a
    `rank` result) are at most `margin` points apart, those of `reserve` on which both took a
    stance and their stances differ, in the order given; else none."""
    ranked = [m for m in matches if m.rank is not None]
    if len(ranked) < 2 or ranked[0].score - ranked[1].score > margin + 1e-9:
        return []
    positions = {p.slug: p.positions for p in parties}
    first, second = positions[ranked[0].party], positions[ranked[1].party]
    return [
        s
        for s in reserve
        if first.get(s) is not None and second.get(s) is not None and first[s] != second[s]
    ]


def _by_name(match: Match) -> tuple[str, str]:
    return match.name.casefold(), match.party


# Party positions per election content fingerprint, computed once per process.
_positions: dict[str, dict[str, PartyPositions]] = {}


def party_positions(data, slugs=None) -> list[PartyPositions]:
    """The positions of an election's parties (all, or those in `slugs`) as scoring reads them."""
    table = _positions.get(data.version)
    if table is None:
        if len(_positions) >= 64:
            _positions.clear()
        table = _positions[data.version] = {
            party.slug: PartyPositions(
                party.slug,
                party.name,
                {
                    s.id: POSITION_VALUES[data.stance(s.id, party.slug).position]
                    for s in data.statements
                },
            )
            for party in data.parties
        }
    chosen = data.parties if slugs is None else [p for p in data.parties if p.slug in slugs]
    return [table[party.slug] for party in chosen]
