"""Which reserve statements break a close race (`scoring.tie_break`), as /methode/ states it."""

from quiz.scoring import Match, PartyPositions, tie_break

AGREE, DISAGREE = 1, -1


def ranked(*scores):
    return [Match(f"p{n}", f"P{n}", s, 1, n + 1) for n, s in enumerate(scores)]


TWO = [
    PartyPositions("p0", "P0", {10: AGREE, 11: AGREE, 12: None}),
    PartyPositions("p1", "P1", {10: DISAGREE, 11: AGREE, 12: AGREE}),
]


def test_reserve_statements_are_offered_when_the_first_two_are_within_the_margin():
    assert tie_break(ranked(60.0, 55.0), TWO, [10, 11, 12], 5) == [10]


def test_no_reserve_statement_is_offered_beyond_the_margin():
    assert tie_break(ranked(60.0, 54.9), TWO, [10, 11, 12], 5) == []


def test_only_statements_on_which_both_took_different_stances_separate_them():
    assert tie_break(ranked(50.0, 50.0), TWO, [11, 12], 5) == []


def test_one_ranked_party_needs_no_tie_break():
    assert (
        tie_break([Match("p0", "P0", 50.0, 3, 1), Match("p1", "P1", 50.0, 1)], TWO, [10], 5) == []
    )
