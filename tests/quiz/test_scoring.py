import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.scoring import PartyPositions, rank, score

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


def test_rank_orders_by_score_then_name_with_unscored_last():
    parties = [
        PartyPositions("z", "Zulu", {1: AGREE}),
        PartyPositions("n", "Nobody", {1: None}),
        PartyPositions("a", "Alfa", {1: AGREE}),
        PartyPositions("d", "Delta", {1: DISAGREE}),
    ]
    ranked = rank({1: AGREE}, set(), parties)
    assert [(m.party, m.score, m.compared) for m in ranked] == [
        ("a", 100.0, 1),
        ("z", 100.0, 1),
        ("d", 0.0, 1),
        ("n", None, 0),
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
