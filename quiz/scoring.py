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
SCALE_RANGE = 2
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
    compared on nothing, by name."""
    important = frozenset(important)
    threshold = _fraction(threshold)
    answered = sum(1 for a in answers.values() if a is not None)
    ranked, below, nothing = [], [], []
    for party in parties:
        value, compared = score(answers, important, party.positions, method, scale)
        coverage = compared / answered if answered else 0.0
        if compared == 0:
            nothing.append(Match(party.slug, party.name, value, compared, None, coverage))
        elif compared * threshold.denominator >= threshold.numerator * answered:
            exact = exact_score(answers, important, party.positions, method, scale)
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


# Agreement and cityblock order parties alike (both are 1 - sum w|a - p| / sum wR): one count.
_SAME_ORDER = {"cityblock": "agreement"}


def _totals(answers, important, parties, method, scale=3):
    """Per party: (slug, points, maximum, {statement: (points, maximum)}) over the statements
    compared, in integers; the party's exact score (`exact_score`) is points / maximum."""
    r = scale_range(scale)
    if method in ("agreement", "cityblock"):
        best, distance = r, abs
    elif method == "euclidean":
        best, distance = r**2, lambda d: d * d
    else:
        raise ValueError(f"unknown method {method!r}")
    answered = [
        (statement, answer, IMPORTANT_WEIGHT if statement in important else 1)
        for statement, answer in answers.items()
        if answer is not None
    ]
    totals = []
    for party in parties:
        positions = party.positions
        points = maximum = 0
        contributions = {}
        for statement, answer, weight in answered:
            position = positions.get(statement)
            if position is None:
                continue
            p, m = weight * (best - distance(answer - position)), weight * best
            contributions[statement] = (p, m)
            points += p
            maximum += m
        totals.append((party.slug, points, maximum, contributions))
    return totals


def _is_ranked(compared: int, answered: int, threshold: Fraction) -> bool:
    return compared >= 1 and compared * threshold.denominator >= threshold.numerator * answered


def _first(totals, answered: int, threshold: Fraction) -> str | None:
    best, first = None, None
    for slug, points, maximum, contributions in totals:
        if not _is_ranked(len(contributions), answered, threshold):
            continue
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
    totals = _totals(answers, frozenset(important), parties, method, scale)
    return _first(totals, answered, _fraction(threshold))


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
    important = frozenset(important)
    answered = [s for s, a in answers.items() if a is not None]
    left = len(answered) - 1
    totals = {_SAME_ORDER.get(method, method): _totals(answers, important, parties, method, scale)}
    methods = {}
    for other in METHODS:
        order = _SAME_ORDER.get(other, other)
        if order not in totals:
            totals[order] = _totals(answers, important, parties, other, scale)
        methods[other] = _first(totals[order], len(answered), threshold)
    top = methods[method]
    if top is None:
        return None
    own = totals[_SAME_ORDER.get(method, method)]
    (_, top_points, top_maximum, top_contributions) = next(t for t in own if t[0] == top)
    others = [t for t in own if t[0] != top]
    kept = 0
    for statement in answered:
        p, m = top_contributions.get(statement, (0, 0))
        points, maximum = top_points - p, top_maximum - m
        compared = len(top_contributions) - (statement in top_contributions)
        if not _is_ranked(compared, left, threshold):
            continue
        for _, other_points, other_maximum, contributions in others:
            q, n = contributions.get(statement, (0, 0))
            other_compared = len(contributions) - (statement in contributions)
            if _is_ranked(other_compared, left, threshold) and (
                other_points - q
            ) * maximum >= points * (other_maximum - n):
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
