"""Differential privacy for the published statistics: noise drawn once per election and closed
day, with OpenDP's Gaussian mechanism under zero-concentrated differential privacy (zCDP).

What is measured per day (`measure`): the completions, per statement the voters who agreed, were
neutral, disagreed, skipped (on an election of 5 points also strongly agreed or strongly
disagreed) and marked it as mattering more, per party the voters with a score,
their score in ten classes and the sum of their scores, and per party the voters for whom it was
the best match (a tie of k parties gives each 1/k). One voter changes each count by at most 1:
the completions, one answer and at most one "matters more" per statement, per party its voters
and one class, and the best matches by 1 in all. So the counts have an L2 sensitivity of
sqrt(2 + 2 * statements + 2 * parties); the score sums, of at most 100 points per party, one of
100 * sqrt(parties). The counts get `COUNT_SHARE` of the budget `RHO`, the sums the rest.

Every voter is in the counts of exactly one day, and every published figure (a day, the days so
far, the whole election) is computed from these noisy day counts only: adding them up, rounding,
clamping and suppressing is post-processing, which costs no budget. So the guarantee per voter is
that of one day, `epsilon()` at `DELTA`, however many releases are published.
"""

import math
from collections.abc import Mapping, Sequence
from functools import cache

import opendp.prelude as dp

from positions.models import Scale, answers_for

from . import aggregate

# OpenDP marks its mechanisms as "contrib" (their proofs are peer reviewed, not yet vetted by
# its own committee); they are the library's standard measurements.
dp.enable_features("contrib")

RHO = 0.1  # zCDP budget per voter (that is, per day)
DELTA = 1e-7
COUNT_SHARE = 0.8
SCORE_TOP = 100 * aggregate.SCORE_SCALE  # a score in hundredths of a point


def answer_cells(scale: int) -> tuple[str, ...]:
    """The counts measured per statement: one per answer of the scale, and "matters more"."""
    return (*answers_for(scale), "important")


def measure(
    statement_ids: Sequence[int],
    party_slugs: Sequence[str],
    tallies: aggregate.Tallies,
    scale: int = 3,
) -> dict:
    """The exact values that one day's release is made of."""
    parties = {}
    for slug in party_slugs:
        scores = tallies.scores.get(slug, {})
        parties[slug] = {
            "voters": sum(scores.values()),
            "histogram": aggregate.histogram(scores),
            "sum": sum(value * n for value, n in scores.items()),
            "best": tallies.best.get(slug, 0.0),
        }
    return {
        "completions": tallies.completions,
        "answers": {
            str(sid): {
                name: tallies.answers.get(sid, {}).get(name, 0) for name in answer_cells(scale)
            }
            for sid in statement_ids
        },
        "parties": parties,
    }


def _counts(measured: Mapping) -> list[float]:
    values = [measured["completions"]]
    for cells in measured["answers"].values():
        values.extend(cells.values())
    for party in measured["parties"].values():
        values.extend([party["voters"], *party["histogram"], party["best"]])
    return [float(v) for v in values]


def _sums(measured: Mapping) -> list[float]:
    return [float(party["sum"]) for party in measured["parties"].values()]


def _rebuild(measured: Mapping, counts: Sequence[float], sums: Sequence[float]) -> dict:
    counts = iter(counts)
    result = {"completions": next(counts), "answers": {}, "parties": {}}
    for sid, cells in measured["answers"].items():
        result["answers"][sid] = {name: next(counts) for name in cells}
    for slug, total in zip(measured["parties"], sums, strict=True):
        voters = next(counts)
        histogram = [next(counts) for _ in range(aggregate.BUCKETS)]
        result["parties"][slug] = {
            "voters": voters,
            "histogram": histogram,
            "best": next(counts),
            "sum": total,
        }
    return result


def sensitivities(statements: int, parties: int) -> tuple[float, float]:
    """The L2 sensitivity of the counts and of the score sums (see the module's docstring)."""
    return math.sqrt(2 + 2 * statements + 2 * parties), SCORE_TOP * math.sqrt(parties)


def _gaussian(scale: float):
    domain = dp.vector_domain(dp.atom_domain(T=float, nan=False))
    return dp.m.make_gaussian(domain, dp.l2_distance(T=float), scale=scale)


@cache
def _mechanisms(statements: int, parties: int):
    """The two measurements and their sensitivities, scaled to spend exactly `RHO`."""
    shares = (RHO * COUNT_SHARE, RHO * (1 - COUNT_SHARE))
    result = []
    for sensitivity, rho in zip(sensitivities(statements, parties), shares, strict=True):
        scale = max(sensitivity, 1e-9) / math.sqrt(2 * rho)
        mechanism = _gaussian(scale)
        if mechanism.map(sensitivity) > rho * (1 + 1e-9):
            raise AssertionError("the noise is too small for the budget")
        result.append((mechanism, sensitivity, scale))
    return result


def add_noise(measured: Mapping) -> dict:
    """`measured` with noise drawn once; the values are floats, not yet rounded or clamped."""
    (counts, *_), (sums, *_) = _mechanisms(len(measured["answers"]), len(measured["parties"]))
    noisy_sums = sums(_sums(measured)) if measured["parties"] else []
    return _rebuild(measured, counts(_counts(measured)), noisy_sums)


def spent(statements: int, parties: int) -> float:
    """The zCDP budget one voter spends, as OpenDP accounts it."""
    return sum(m.map(d) for m, d, _ in _mechanisms(statements, parties))


@cache
def epsilon(rho: float = RHO, delta: float = DELTA) -> float:
    """The (epsilon, delta) guarantee of a zCDP budget, by OpenDP's conversion."""
    unit = dp.m.make_gaussian(
        dp.atom_domain(T=float, nan=False),
        dp.absolute_distance(T=float),
        scale=1 / math.sqrt(2 * rho),
    )
    return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(unit), delta).map(1.0)[0]


def noise_scales(statements: int, parties: int) -> tuple[float, float]:
    """The standard deviation of the noise on each count and on each score sum (hundredths)."""
    return tuple(scale for *_, scale in _mechanisms(statements, parties))


def budget(statements: int, parties: int) -> dict:
    """What a release states about its privacy."""
    count_noise, sum_noise = noise_scales(statements, parties)
    return {
        "mechanism": "Gaussian, OpenDP, zero-concentrated differential privacy",
        "rho_per_voter": RHO,
        "epsilon_per_voter": round(epsilon(), 3),
        "delta": DELTA,
        "delta_text": _power_of_ten(DELTA),
        "noise_sd_count": round(count_noise, 2),
        "noise_sd_score_sum_points": round(sum_noise / aggregate.SCORE_SCALE, 2),
    }


def _power_of_ten(value: float) -> str:
    """1e-07 as 10⁻⁷, for people."""
    exponent = round(math.log10(value))
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def total(noisy_days: Sequence[Mapping]) -> dict:
    """The noisy values of several days added up (post-processing)."""
    result = {"completions": 0.0, "answers": {}, "parties": {}}
    for day in noisy_days:
        result["completions"] += day["completions"]
        for sid, cells in day["answers"].items():
            into = result["answers"].setdefault(sid, dict.fromkeys(answer_cells(Scale.THREE), 0.0))
            for name, n in cells.items():
                into[name] = into.get(name, 0.0) + n
        for slug, party in day["parties"].items():
            into = result["parties"].setdefault(
                slug,
                {"voters": 0.0, "histogram": [0.0] * aggregate.BUCKETS, "best": 0.0, "sum": 0.0},
            )
            for name in ("voters", "best", "sum"):
                into[name] += party[name]
            into["histogram"] = [
                a + b for a, b in zip(into["histogram"], party["histogram"], strict=True)
            ]
    return result


def apportion(parts: Sequence[float], whole: int) -> list[int]:
    """Non-negative whole numbers in the proportions of `parts` (negatives count as 0) that add
    up to `whole` (largest remainders); all 0 when no part is positive."""
    clamped = [max(p, 0.0) for p in parts]
    if whole <= 0 or not sum(clamped):
        return [0] * len(parts)
    exact = [p * whole / sum(clamped) for p in clamped]
    result = [math.floor(e) for e in exact]
    order = sorted(range(len(parts)), key=lambda i: exact[i] - result[i], reverse=True)
    for i in order[: whole - sum(result)]:
        result[i] += 1
    return result


def clamp(value: float, top: float | None = None) -> int:
    value = max(0, round(value))
    return value if top is None else min(value, round(top))
