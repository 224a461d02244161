"""The matching methodology: a voter's answers against each party's positions.

Pure functions, no database. The rules are published on the methodology page
(`templates/quiz/methodology.html`); change them only together with that page and the tests.

Values on the 3-point scale: agree = +1, neutral = 0, disagree = -1; `None` means the voter skipped
the statement or the party has no stance on it.
"""

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

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


def rank(
    answers: Mapping[int, int | None],
    important: Collection[int],
    parties: Sequence[PartyPositions],
    method: str = "agreement",
) -> list[Match]:
    """Parties by score, highest first; ties and unscored parties in name order, unscored last."""
    important = frozenset(important)
    matches = [
        Match(party.slug, party.name, *score(answers, important, party.positions, method))
        for party in parties
    ]
    return sorted(
        matches,
        key=lambda m: (m.score is None, -(m.score or 0), m.name.casefold(), m.party),
    )
