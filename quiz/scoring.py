"""The matching methodology: a voter's answers against each party's positions.

Pure functions, no database. The rules are published on the methodology page
(`templates/quiz/methodology.html`); change them only together with that page and the tests.

Values on the 3-point scale: agree = +1, neutral = 0, disagree = -1; `None` means the voter skipped
the statement or the party has no stance on it.

The ranking rule: a party is compared on the statements the voter answered and the party took a
stance on. Its coverage is that number over the statements the voter answered. Only a party
compared on at least one statement and with a coverage of at least the election's threshold is
ranked: a party with a stance on three statements would otherwise top the list by chance. Ranked
parties come first, highest score first; scores equal as exact fractions share a place
("1", "1", "3"). The others follow unnumbered, by name, those compared on nothing last.
"""

import functools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from positions.catalog import DEFAULT_THRESHOLD

POSITION_VALUES: dict[str, int | None] = {"agree": 1, "neutral": 0, "disagree": -1, "none": None}
ANSWER_VALUES: dict[str, int | None] = {"agree": 1, "neutral": 0, "disagree": -1, "skip": None}
SCALE_RANGE = 2
IMPORTANT_WEIGHT = 2
METHODS = ("agreement", "cityblock", "euclidean")


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
) -> tuple[float | None, int]:
    """Return (score 0-100 or None when nothing could be compared, statements compared)."""
    pairs = list(_pairs(answers, important, positions))
    if not pairs:
        return None, 0
    total_weight = sum(w for w, _, _ in pairs)
    if method == "agreement":
        points = sum(w * (SCALE_RANGE - abs(a - p)) for w, a, p in pairs)
        return 100 * points / (SCALE_RANGE * total_weight), len(pairs)
    if method == "cityblock":
        distance = sum(w * abs(a - p) for w, a, p in pairs)
        return 100 * (1 - distance / (SCALE_RANGE * total_weight)), len(pairs)
    if method == "euclidean":
        distance = math.sqrt(sum(w * (a - p) ** 2 for w, a, p in pairs))
        return 100 * (1 - distance / math.sqrt(total_weight * SCALE_RANGE**2)), len(pairs)
    raise ValueError(f"unknown method {method!r}")


def exact_score(
    answers: Mapping[int, int | None],
    important: Collection[int],
    positions: Mapping[int, int | None],
    method: str = "agreement",
) -> Fraction | None:
    """An exact fraction in the same order as `score`: two parties tie when theirs are equal.

    Agreement and cityblock scores are fractions already; the euclidean score is
    1 - sqrt(x), so 1 - x orders it the same way without a square root."""
    pairs = list(_pairs(answers, important, positions))
    if not pairs:
        return None
    total_weight = sum(w for w, _, _ in pairs)
    if method in ("agreement", "cityblock"):
        distance = sum(w * abs(a - p) for w, a, p in pairs)
        return 1 - Fraction(distance, SCALE_RANGE * total_weight)
    if method == "euclidean":
        distance = sum(w * (a - p) ** 2 for w, a, p in pairs)
        return 1 - Fraction(distance, SCALE_RANGE**2 * total_weight)
    raise ValueError(f"unknown method {method!r}")


def rank(
    answers: Mapping[int, int | None],
    important: Collection[int],
    parties: Sequence[PartyPositions],
    method: str = "agreement",
    threshold: float | Decimal | Fraction = DEFAULT_THRESHOLD,
) -> list[Match]:
    """Ranked parties by score, highest first, a tie sharing its place and ordered by more
    statements compared, then name; then the parties below the threshold by name; then those
    compared on nothing, by name."""
    important = frozenset(important)
    threshold = _fraction(threshold)
    answered = sum(1 for a in answers.values() if a is not None)
    ranked, below, nothing = [], [], []
    for party in parties:
        value, compared = score(answers, important, party.positions, method)
        coverage = compared / answered if answered else 0.0
        if compared == 0:
            nothing.append(Match(party.slug, party.name, value, compared, None, coverage))
        elif compared * threshold.denominator >= threshold.numerator * answered:
            exact = exact_score(answers, important, party.positions, method)
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
