"""The stability of the advice, as /methode/ states it: how often the first party stays first
when one answered statement is left out, and which party is first under each method."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.scoring import METHODS, PartyPositions, first_party, rank, stability

AGREE, NEUTRAL, DISAGREE = 1, 0, -1


def test_a_party_that_agrees_everywhere_stays_first_whatever_is_left_out():
    answers = {1: AGREE, 2: AGREE, 3: DISAGREE}
    parties = [
        PartyPositions("a", "Alfa", {1: AGREE, 2: AGREE, 3: DISAGREE}),
        PartyPositions("b", "Bravo", {1: AGREE, 2: DISAGREE, 3: AGREE}),
    ]
    result = stability(answers, set(), parties)
    assert (result.party, result.kept, result.total) == ("a", 3, 3)
    assert result.methods == {"agreement": "a", "cityblock": "a", "euclidean": "a"}


def test_a_lead_that_rests_on_one_statement_is_lost_when_that_statement_is_left_out():
    # Alfa and Bravo agree on 1 and 2; only statement 3 puts Alfa ahead.
    answers = {1: AGREE, 2: AGREE, 3: AGREE}
    parties = [
        PartyPositions("a", "Alfa", {1: AGREE, 2: AGREE, 3: AGREE}),
        PartyPositions("b", "Bravo", {1: AGREE, 2: AGREE, 3: DISAGREE}),
    ]
    result = stability(answers, set(), parties)
    assert (result.party, result.kept, result.total) == ("a", 2, 3)


def test_sharing_the_first_place_after_leaving_out_does_not_count_as_staying_first():
    answers = {1: AGREE, 2: AGREE}
    parties = [
        PartyPositions("a", "Alfa", {1: AGREE, 2: AGREE}),
        PartyPositions("b", "Bravo", {1: AGREE, 2: DISAGREE}),
    ]
    # Leaving out statement 2 leaves both at 100%: a shared first place.
    assert stability(answers, set(), parties).kept == 1


def test_a_first_party_that_drops_below_the_threshold_does_not_stay_first():
    # Alfa has a stance on 2 of 4 answers: exactly at the threshold. Leave one of its two out
    # and it is compared on 1 of 3, too few to rank.
    answers = {1: AGREE, 2: AGREE, 3: AGREE, 4: AGREE}
    parties = [
        PartyPositions("a", "Alfa", {1: AGREE, 2: AGREE}),
        PartyPositions("b", "Bravo", {1: DISAGREE, 2: DISAGREE, 3: DISAGREE, 4: DISAGREE}),
    ]
    result = stability(answers, set(), parties)
    assert (result.party, result.kept, result.total) == ("a", 2, 4)


def test_skipped_statements_are_not_left_out_for_they_are_not_answers():
    answers = {1: AGREE, 2: None, 3: AGREE}
    parties = [PartyPositions("a", "Alfa", {1: AGREE, 2: AGREE, 3: AGREE})]
    assert stability(answers, set(), parties).total == 2


def test_with_a_single_answer_leaving_it_out_leaves_nobody_first():
    parties = [PartyPositions("a", "Alfa", {1: AGREE})]
    result = stability({1: AGREE}, set(), parties)
    assert (result.kept, result.total) == (0, 1)


def test_a_shared_first_place_has_no_stability():
    parties = [PartyPositions("a", "Alfa", {1: AGREE}), PartyPositions("b", "Bravo", {1: AGREE})]
    assert stability({1: AGREE}, set(), parties) is None


def test_no_ranked_party_has_no_stability():
    parties = [PartyPositions("a", "Alfa", {1: AGREE})]
    assert stability({1: None}, set(), parties) is None
    assert stability({1: AGREE, 2: AGREE, 3: AGREE}, set(), parties) is None


def test_the_other_methods_may_put_another_party_first():
    # Near is one step off on both statements, Split agrees on one and is opposite on the other:
    # the same points under agreement (a shared first place), but the euclidean distance
    # weighs Split's large difference more.
    answers = {1: AGREE, 2: AGREE, 3: AGREE}
    parties = [
        PartyPositions("near", "Near", {1: NEUTRAL, 2: NEUTRAL, 3: AGREE}),
        PartyPositions("split", "Split", {1: AGREE, 2: DISAGREE, 3: AGREE}),
    ]
    assert first_party(answers, set(), parties, "agreement") is None
    assert first_party(answers, set(), parties, "euclidean") == "near"
    result = stability(answers, set(), parties, "euclidean")
    assert result.methods == {"agreement": None, "cityblock": None, "euclidean": "near"}


def test_the_first_party_is_the_one_alone_on_the_first_place_of_the_ranking():
    answers = {1: AGREE, 2: DISAGREE}
    parties = [
        PartyPositions("a", "Alfa", {1: AGREE, 2: NEUTRAL}),
        PartyPositions("b", "Bravo", {1: AGREE, 2: DISAGREE}),
    ]
    assert first_party(answers, set(), parties) == "b"


def naive_stability(answers, important, parties, method, threshold, scale=3):
    """The definition, spelled out with whole rankings: one `rank` per statement left out."""

    def first(answers, important, method):
        matches = rank(answers, important, parties, method, threshold, scale)
        ones = [m for m in matches if m.rank == 1]
        return ones[0].party if len(ones) == 1 else None

    methods = {m: first(answers, important, m) for m in METHODS}
    top = methods[method]
    if top is None:
        return None
    answered = [s for s, a in answers.items() if a is not None]
    kept = sum(
        1
        for s in answered
        if first({k: v for k, v in answers.items() if k != s}, set(important) - {s}, method) == top
    )
    return top, kept, len(answered), methods


values = st.sampled_from([AGREE, NEUTRAL, DISAGREE])


@settings(deadline=None, max_examples=300)
@given(
    st.sampled_from([3, 5]),
    st.data(),
    st.sampled_from(METHODS),
    st.sampled_from([0, "0.25", "0.5", "0.8", 1]),
)
def test_the_fast_count_equals_the_naive_one(scale, data, method, threshold):
    """On either scale: strongly agree and strongly disagree only on the 5-point one."""
    values = st.sampled_from([2, 1, 0, -1, -2] if scale == 5 else [1, 0, -1])
    answers = data.draw(
        st.dictionaries(st.integers(1, 12), st.one_of(st.none(), values), min_size=1)
    )
    statements = sorted(answers)
    parties = [
        PartyPositions(
            f"p{n}",
            f"P{n}",
            data.draw(st.fixed_dictionaries({k: st.one_of(st.none(), values) for k in statements})),
        )
        for n in range(data.draw(st.integers(1, 5)))
    ]
    important = data.draw(st.sets(st.sampled_from(statements)))
    fast = stability(answers, important, parties, method, threshold, scale)
    expected = naive_stability(answers, important, parties, method, threshold, scale)
    if expected is None:
        assert fast is None
    else:
        assert (fast.party, fast.kept, fast.total, dict(fast.methods)) == expected


@pytest.mark.parametrize("method", METHODS)
def test_first_party_agrees_with_the_ranking_on_the_demo_shape(method):
    answers = {n: (AGREE, NEUTRAL, DISAGREE)[n % 3] for n in range(1, 31)}
    parties = [
        PartyPositions(f"p{k}", f"P{k}", {n: (AGREE, DISAGREE, None)[(n * k) % 3] for n in answers})
        for k in range(1, 6)
    ]
    matches = rank(answers, set(), parties, method)
    expected = matches[0].party if [m.rank for m in matches].count(1) == 1 else None
    assert first_party(answers, set(), parties, method) == expected
