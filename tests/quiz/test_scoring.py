from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.scoring import PartyPositions, exact_score, rank, score

AGREE, NEUTRAL, DISAGREE = 1, 0, -1


def test_equal_answer_scores_full_points():
    assert score({1: AGREE}, set(), {1: AGREE}) == (100.0, 1)


def test_one_step_apart_scores_half():
    assert score({1: AGREE}, set(), {1: NEUTRAL}) == (50.0, 1)


def test_opposite_scores_nothing():
    assert score({1: AGREE}, set(), {1: DISAGREE}) == (0.0, 1)


def test_important_statement_counts_double():
    # 2x2 points for statement 1, 0 for statement 2: 4 of 6.
    value, compared = score({1: AGREE, 2: AGREE}, {1}, {1: AGREE, 2: DISAGREE})
    assert value == pytest.approx(100 * 4 / 6)
    assert compared == 2


def test_skipped_statement_is_left_out_for_everyone():
    assert score({1: None, 2: AGREE}, set(), {1: DISAGREE, 2: AGREE}) == (100.0, 1)


def test_party_without_stance_is_compared_on_the_rest_only():
    assert score({1: AGREE, 2: AGREE}, set(), {1: None, 2: NEUTRAL}) == (50.0, 1)


def test_nothing_to_compare_gives_no_score():
    assert score({1: AGREE}, set(), {1: None}) == (None, 0)


def test_cityblock_equals_agreement_on_three_points():
    answers, positions = {1: AGREE, 2: NEUTRAL, 3: DISAGREE}, {1: NEUTRAL, 2: NEUTRAL, 3: AGREE}
    assert score(answers, {2}, positions, "cityblock") == score(answers, {2}, positions)


def test_euclidean_weighs_large_differences_more():
    # distances 2 (opposite) and 0: sqrt(4) / sqrt(2 * 4) -> 100 * (1 - 1/sqrt(2)).
    value, _ = score({1: AGREE, 2: AGREE}, set(), {1: DISAGREE, 2: AGREE}, "euclidean")
    assert value == pytest.approx(100 * (1 - 2**-0.5))


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown method"):
        score({1: AGREE}, set(), {1: AGREE}, "astrology")


def placed(matches):
    return [(m.party, m.rank) for m in matches]


def test_ranked_parties_come_by_score_highest_first():
    parties = [
        PartyPositions("d", "Delta", {1: DISAGREE, 2: DISAGREE}),
        PartyPositions("a", "Alfa", {1: AGREE, 2: AGREE}),
        PartyPositions("n", "November", {1: AGREE, 2: NEUTRAL}),
    ]
    ranked = rank({1: AGREE, 2: AGREE}, set(), parties)
    assert [(m.party, m.score, m.compared, m.rank) for m in ranked] == [
        ("a", 100.0, 2, 1),
        ("n", 75.0, 2, 2),
        ("d", 0.0, 2, 3),
    ]


def test_equal_scores_share_a_place_and_the_next_place_is_skipped():
    parties = [
        PartyPositions("z", "Zulu", {1: AGREE}),
        PartyPositions("a", "Alfa", {1: AGREE}),
        PartyPositions("d", "Delta", {1: DISAGREE}),
    ]
    assert placed(rank({1: AGREE}, set(), parties)) == [("a", 1), ("z", 1), ("d", 3)]


def test_within_a_tie_more_statements_compared_come_first_then_name():
    answers = {1: AGREE, 2: AGREE, 3: AGREE, 4: AGREE}
    parties = [
        PartyPositions("a", "Alfa", {1: AGREE, 2: AGREE}),
        PartyPositions("b", "Bravo", {1: AGREE, 2: AGREE}),
        PartyPositions("z", "Zulu", {1: AGREE, 2: AGREE, 3: AGREE, 4: AGREE}),
    ]
    assert placed(rank(answers, set(), parties)) == [("z", 1), ("a", 1), ("b", 1)]


def test_scores_equal_as_fractions_tie_whatever_the_floats_say():
    # 2 of 3 statements agreed against 4 of 6: the same score, 200/3, however it is rounded.
    answers = {n: AGREE for n in range(1, 7)}
    two_of_three = {1: AGREE, 2: AGREE, 3: DISAGREE}
    four_of_six = {1: AGREE, 2: AGREE, 3: AGREE, 4: AGREE, 5: DISAGREE, 6: DISAGREE}
    assert exact_score(answers, set(), two_of_three) == exact_score(answers, set(), four_of_six)
    parties = [
        PartyPositions("a", "Alfa", two_of_three),
        PartyPositions("b", "Bravo", four_of_six),
    ]
    assert placed(rank(answers, set(), parties, threshold=0)) == [("b", 1), ("a", 1)]


def test_euclidean_scores_equal_as_fractions_tie_though_their_floats_differ():
    """One statement the same and one opposite, once plain and once both counting double: the
    same score exactly, yet the square roots round differently in the last digit."""
    answers = {1: AGREE, 2: AGREE, 3: AGREE, 4: AGREE}
    plain = PartyPositions("z", "Zulu", {1: AGREE, 2: DISAGREE})
    doubled = PartyPositions("a", "Alfa", {3: AGREE, 4: DISAGREE})
    important = {3, 4}
    floats = [score(answers, important, p.positions, "euclidean")[0] for p in (plain, doubled)]
    assert floats[0] != floats[1]
    ranked = rank(answers, important, [plain, doubled], "euclidean")
    assert placed(ranked) == [("a", 1), ("z", 1)]


@pytest.mark.parametrize("method", ["agreement", "cityblock", "euclidean"])
def test_exact_scores_order_parties_as_their_scores_do(method):
    answers = {1: AGREE, 2: AGREE, 3: NEUTRAL}
    positions = [{1: AGREE, 2: NEUTRAL, 3: NEUTRAL}, {1: DISAGREE, 2: AGREE, 3: AGREE}]
    scores = [score(answers, {1}, p, method)[0] for p in positions]
    exact = [exact_score(answers, {1}, p, method) for p in positions]
    assert (scores[0] > scores[1]) == (exact[0] > exact[1])
    assert isinstance(exact[0], Fraction)


def test_a_party_compared_on_too_few_answers_is_not_ranked():
    """The failure this rule is for: 3 stances out of 28 answers cannot top the list."""
    answers = {n: AGREE for n in range(1, 29)}
    parties = [
        PartyPositions("spa", "sp.a", {1: AGREE, 2: AGREE, 3: AGREE}),
        PartyPositions("vooruit", "Vooruit", dict(answers)),
    ]
    vooruit, spa = rank(answers, set(), parties)
    assert (vooruit.party, vooruit.rank, vooruit.coverage) == ("vooruit", 1, 1.0)
    assert (spa.party, spa.rank, spa.score, spa.compared) == ("spa", None, 100.0, 3)
    assert spa.coverage == pytest.approx(3 / 28)


def test_coverage_counts_only_the_answers_the_voter_did_not_skip():
    answers = {1: AGREE, 2: None, 3: None, 4: AGREE}
    (match,) = rank(answers, set(), [PartyPositions("a", "Alfa", {1: AGREE})])
    assert (match.coverage, match.rank) == (0.5, 1)


def test_exactly_at_the_threshold_is_ranked_just_below_is_not():
    answers = {1: AGREE, 2: AGREE, 3: AGREE, 4: AGREE}
    parties = [
        PartyPositions("h", "Half", {1: AGREE, 2: AGREE}),
        PartyPositions("q", "Quarter", {1: AGREE}),
    ]
    assert placed(rank(answers, set(), parties)) == [("h", 1), ("q", None)]
    assert placed(rank(answers, set(), parties, threshold="0.51")) == [("h", None), ("q", None)]
    assert placed(rank(answers, set(), parties, threshold=0)) == [("h", 1), ("q", 1)]


def test_unranked_parties_follow_by_name_with_their_score():
    answers = {1: AGREE, 2: AGREE, 3: AGREE}
    parties = [
        PartyPositions("z", "Zulu", {1: AGREE}),
        PartyPositions("b", "bravo", {1: DISAGREE}),
        PartyPositions("r", "Ranked", {1: DISAGREE, 2: DISAGREE, 3: DISAGREE}),
    ]
    ranked = rank(answers, set(), parties)
    assert [(m.party, m.rank, m.score) for m in ranked] == [
        ("r", 1, 0.0),
        ("b", None, 0.0),
        ("z", None, 100.0),
    ]


def test_parties_with_nothing_to_compare_stay_last_even_with_no_threshold():
    answers = {1: AGREE, 2: AGREE}
    parties = [
        PartyPositions("a", "Alfa", {}),
        PartyPositions("z", "Zulu", {1: AGREE}),
        PartyPositions("m", "Mike", {1: AGREE, 2: AGREE}),
    ]
    assert placed(rank(answers, set(), parties, threshold=0)) == [
        ("m", 1),
        ("z", 1),
        ("a", None),
    ]
    assert placed(rank(answers, set(), parties, threshold=1)) == [
        ("m", 1),
        ("z", None),
        ("a", None),
    ]


def test_a_voter_who_skipped_everything_sees_no_ranking():
    parties = [PartyPositions("a", "Alfa", {1: AGREE}), PartyPositions("b", "Bravo", {})]
    assert [(m.party, m.rank, m.coverage) for m in rank({1: None}, set(), parties)] == [
        ("a", None, 0.0),
        ("b", None, 0.0),
    ]


@pytest.mark.parametrize("method", ["agreement", "cityblock", "euclidean"])
def test_the_same_rule_for_every_method(method):
    answers = {1: AGREE, 2: AGREE, 3: DISAGREE, 4: NEUTRAL}
    parties = [
        PartyPositions("few", "Few", {1: AGREE}),
        PartyPositions("far", "Far", {1: DISAGREE, 2: DISAGREE, 3: AGREE, 4: NEUTRAL}),
        PartyPositions("near", "Near", {1: AGREE, 2: AGREE, 3: NEUTRAL, 4: NEUTRAL}),
        PartyPositions("same", "Same", {1: AGREE, 2: AGREE, 3: DISAGREE}),
    ]
    assert placed(rank(answers, set(), parties, method)) == [
        ("same", 1),
        ("near", 2),
        ("far", 3),
        ("few", None),
    ]


# No time limit per example: on a busy machine a slow example is not a failure of the rules.
no_deadline = settings(deadline=None)
values = st.sampled_from([AGREE, NEUTRAL, DISAGREE])
answers_st = st.dictionaries(st.integers(1, 20), st.one_of(st.none(), values), min_size=1)
methods = st.sampled_from(["agreement", "cityblock", "euclidean"])


@no_deadline
@given(answers_st, st.data(), methods)
def test_scores_stay_between_0_and_100(answers, data, method):
    positions = data.draw(st.fixed_dictionaries({k: st.one_of(st.none(), values) for k in answers}))
    important = data.draw(st.sets(st.sampled_from(sorted(answers))))
    value, compared = score(answers, important, positions, method)
    assert (value is None) == (compared == 0)
    assert value is None or 0 <= value <= 100


@no_deadline
@given(st.dictionaries(st.integers(1, 20), values, min_size=1), st.data(), methods)
def test_answering_like_a_party_gives_100(positions, data, method):
    important = data.draw(st.sets(st.sampled_from(sorted(positions))))
    assert score(positions, important, positions, method)[0] == pytest.approx(100)


@no_deadline
@given(
    st.dictionaries(st.integers(1, 20), st.sampled_from([AGREE, DISAGREE]), min_size=1),
    st.data(),
    methods,
)
def test_exact_opposite_of_a_party_without_neutral_stances_gives_0(positions, data, method):
    important = data.draw(st.sets(st.sampled_from(sorted(positions))))
    opposite = {k: -v for k, v in positions.items()}
    assert score(opposite, important, positions, method)[0] == pytest.approx(0)


@no_deadline
@given(answers_st, st.data(), methods)
def test_marking_every_statement_important_changes_nothing(answers, data, method):
    positions = data.draw(st.fixed_dictionaries({k: st.one_of(st.none(), values) for k in answers}))
    plain = score(answers, set(), positions, method)
    doubled = score(answers, set(answers), positions, method)
    assert plain[1] == doubled[1]
    assert (plain[0] is None and doubled[0] is None) or plain[0] == pytest.approx(doubled[0])


@no_deadline
@given(answers_st, st.data(), methods, st.sampled_from([0, "0.25", "0.5", 1]))
def test_the_ranking_follows_the_rule(answers, data, method, threshold):
    parties = [
        PartyPositions(
            f"p{n}",
            f"P{n}",
            data.draw(st.fixed_dictionaries({k: st.one_of(st.none(), values) for k in answers})),
        )
        for n in range(4)
    ]
    matches = rank(answers, set(), parties, method, threshold)
    answered = sum(1 for a in answers.values() if a is not None)
    assert sorted(m.party for m in matches) == [p.slug for p in parties]
    ranked = [m for m in matches if m.rank is not None]
    assert matches[: len(ranked)] == ranked
    for m in matches:
        enough = m.compared > 0 and Fraction(m.compared, answered) >= Fraction(str(threshold))
        assert (m.rank is not None) == enough
    for before, after in zip(ranked, ranked[1:], strict=False):
        assert before.score >= after.score or before.score == pytest.approx(after.score)
        assert after.rank == before.rank or after.rank == ranked.index(after) + 1
    nothing = [m for m in matches if m.compared == 0]
    assert matches[len(matches) - len(nothing) :] == nothing


def reference_rank(answers, important, parties, method, threshold, scale):
    """The ranking rule spelled out with `score` and `exact_score`, party by party."""
    answered = sum(1 for a in answers.values() if a is not None)
    ranked, below, nothing = [], [], []
    for p in parties:
        value, compared = score(answers, important, p.positions, method, scale)
        coverage = compared / answered if answered else 0.0
        if compared == 0:
            nothing.append((p.name.casefold(), p.slug, None, 0, None, coverage))
        elif Fraction(compared, answered) >= Fraction(str(threshold)):
            exact = exact_score(answers, important, p.positions, method, scale)
            ranked.append((exact, compared, p.name.casefold(), p.slug, value, coverage))
        else:
            below.append((p.name.casefold(), p.slug, value, compared, None, coverage))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2], r[3]))
    result, previous = [], None
    for n, (exact, compared, _, slug, value, coverage) in enumerate(ranked, 1):
        place = result[-1][4] if exact == previous else n
        result.append((slug, value, compared, coverage, place))
        previous = exact
    for _, slug, value, compared, _, coverage in sorted(below) + sorted(nothing):
        result.append((slug, value, compared, coverage, None))
    return result


@no_deadline
@given(st.sampled_from([3, 5]), st.data(), methods, st.sampled_from([0, "0.25", "0.5", 1]))
def test_rank_gives_exactly_the_scores_and_places_of_the_rule(scale, data, method, threshold):
    """`rank` works in integers in one pass; its floats and places equal `score`'s and
    `exact_score`'s to the last bit."""
    values = st.sampled_from([2, 1, 0, -1, -2] if scale == 5 else [1, 0, -1])
    answers = data.draw(st.dictionaries(st.integers(1, 15), st.one_of(st.none(), values)))
    parties = [
        PartyPositions(
            f"p{n}",
            data.draw(st.sampled_from(["Alfa", "alfa", "Bravo", "Zulu"])),
            data.draw(st.fixed_dictionaries({k: st.one_of(st.none(), values) for k in answers})),
        )
        for n in range(data.draw(st.integers(1, 5)))
    ]
    important = data.draw(st.sets(st.sampled_from(sorted(answers)))) if answers else set()
    fast = [
        (m.party, m.score, m.compared, m.coverage, m.rank)
        for m in rank(answers, important, parties, method, threshold, scale)
    ]
    assert fast == reference_rank(answers, important, parties, method, threshold, scale)
