import datetime

import pytest

from positions import catalog
from stats import aggregate
from stats.aggregate import NA, AgreementCell, PartyRow, StatementRow, Tallies

from .conftest import MARCH_17, MARCH_18, add_completions

NONE_10 = (None,) * 10


# Pure functions: no database.


def test_median_of_an_odd_count_is_the_middle_value():
    assert aggregate.median({0: 10, 5000: 3, 10000: 12}) == 5000


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert aggregate.median({2000: 1, 3000: 1, 7000: 1, 9000: 1}) == 5000


def test_a_score_of_100_falls_in_the_last_bucket():
    assert aggregate.histogram({0: 1, 999: 2, 1000: 3, 10000: 4}) == [3, 3, 0, 0, 0, 0, 0, 0, 0, 4]


def test_a_tie_shares_the_best_match():
    tallies = Tallies()
    tallies.add_layout([7], ["alfa", "bravo", "charlie"], [{}], [], [(b"\x00\x01", 3), (b"", 2)])
    assert tallies.best == {"alfa": 1.5, "bravo": 1.5}
    assert tallies.with_best == 3


def test_layouts_are_merged_by_statement_id_and_party_slug():
    tallies = Tallies()
    tallies.add_layout([1, 2], ["a", "b"], [{"agree": 4}, {"skip": 1}], [(1, b"\x13\x88", 5)], [])
    tallies.add_layout([2, 1], ["b", "a"], [{"skip": 2}, {"agree": 3}], [(0, b"\x13\x88", 6)], [])
    assert tallies.answers == {1: {"agree": 7}, 2: {"skip": 3}}
    assert tallies.scores == {"b": {5000: 11}}


def test_a_threshold_below_one_voter_is_refused():
    with pytest.raises(ValueError, match="threshold is at least 1 voter"):
        aggregate.build_report(None, Tallies(), threshold=0)


# The known data set (tests/stats/conftest.py), counted in SQL.


def test_completions_per_day(known):
    report = aggregate.report(known)
    assert report.completions == 25
    assert report.days == [(MARCH_17, 12), (MARCH_18, 13)]


def test_answers_per_statement_with_fewer_than_ten_suppressed(known):
    report = aggregate.report(known)
    assert [
        (s.number, s.agree, s.neutral, s.disagree, s.skip, s.important) for s in report.statements
    ] == [
        (1, 12, None, 10, None, 10),
        (2, 12, None, 10, None, None),
        (3, 12, None, 10, None, None),
    ]


def test_score_distribution_and_best_match_per_party(known):
    report = aggregate.report(known)
    assert report.parties == [
        PartyRow("alfa", "Alfa", "#555555", 25, 54.0, 50.0, (10, *(None,) * 8, 12), 54.0),
        PartyRow("bravo", "Bravo", "#555555", 25, 46.0, 50.0, (12, *(None,) * 8, 10), 46.0),
        PartyRow("charlie", "Charlie", "#555555", NA, NA, NA, (NA,) * 10, NA),
    ]


def test_share_of_answering_voters_who_agree_with_each_party(known):
    report = aggregate.report(known)
    assert [c for c in report.agreement if c.statement in (1, 3)] == [
        AgreementCell(1, "alfa", "agree", 48.0),
        AgreementCell(1, "bravo", "disagree", 40.0),
        AgreementCell(1, "charlie", "none", NA),
        AgreementCell(3, "alfa", "agree", 54.5),  # 12 of the 22 who did not skip
        AgreementCell(3, "bravo", "disagree", 45.5),
        AgreementCell(3, "charlie", "none", NA),
    ]


def test_a_lower_threshold_shows_the_small_cells(known):
    report = aggregate.report(known, threshold=3)
    assert report.statements[0] == StatementRow(
        1, known.statements[0].id, "Stelling 1", 12, 3, 10, None, 10
    )


def test_a_date_range_counts_only_its_days(known):
    report = aggregate.report(known, date_from=MARCH_18, date_to=MARCH_18, threshold=1)
    assert report.days == [(MARCH_18, 13)]
    assert report.statements[0].agree is None  # nobody agreed on the 18th
    assert report.statements[0].disagree == 10


def test_an_election_without_completions_has_an_empty_report(election):
    report = aggregate.report(aggregate.election_data(election))
    assert report.is_empty
    assert report.completions is None


def test_completions_of_an_earlier_version_count_by_statement(
    known, election, django_capture_on_commit_callbacks
):
    statement = election.statements.get(order=3)
    statement.order = 4
    first = election.statements.get(order=1)
    first.order = 3
    with django_capture_on_commit_callbacks(execute=True):
        statement.save()
        first.save()
    data = catalog.published_election("test")
    assert [s.title for s in data.statements] == ["Stelling 2", "Stelling 1", "Stelling 3"]
    add_completions(data, 5, ["agree", "disagree", "agree"], day=datetime.date(2026, 3, 19))
    report = aggregate.report(data)
    by_title = {s.title: s for s in report.statements}
    assert (by_title["Stelling 1"].agree, by_title["Stelling 1"].disagree) == (12, 15)
    assert (by_title["Stelling 2"].agree, by_title["Stelling 2"].disagree) == (17, 10)
