"""The 5-point scale, as /methode/ states it: strongly agree +2 .. strongly disagree -2, and a
statement gives R - |a - p| points with R = 4 (R = 2 on the 3-point scale)."""

import json
import math

import pytest
from django.test import Client
from django.urls import reverse

from quiz.scoring import PartyPositions, exact_score, rank, scale_range, score
from tests.pages import parse, ranking, text

STRONGLY_AGREE, AGREE, NEUTRAL, DISAGREE, STRONGLY_DISAGREE = 2, 1, 0, -1, -2


def test_the_range_is_4_on_five_points_and_2_on_three():
    assert (scale_range(5), scale_range(3)) == (4, 2)


@pytest.mark.parametrize(
    ("stance", "points"),
    [(STRONGLY_AGREE, 4), (AGREE, 3), (NEUTRAL, 2), (DISAGREE, 1), (STRONGLY_DISAGREE, 0)],
)
def test_agreement_gives_r_minus_the_difference(stance, points):
    assert score({1: STRONGLY_AGREE}, set(), {1: stance}, scale=5) == (100 * points / 4, 1)


def test_agree_against_disagree_is_half_way_on_five_points():
    assert score({1: AGREE}, set(), {1: DISAGREE}, scale=5) == (50.0, 1)
    assert score({1: AGREE}, set(), {1: DISAGREE}) == (0.0, 1)


def test_cityblock_uses_the_same_range():
    answers, positions = {1: STRONGLY_AGREE, 2: NEUTRAL}, {1: AGREE, 2: STRONGLY_DISAGREE}
    # distances 1 and 2 of 2 x 4: 100 * (1 - 3/8).
    assert score(answers, set(), positions, "cityblock", 5) == (62.5, 2)


def test_euclidean_uses_the_same_range():
    answers, positions = {1: STRONGLY_AGREE, 2: STRONGLY_AGREE}, {1: STRONGLY_DISAGREE, 2: 2}
    value, _ = score(answers, set(), positions, "euclidean", 5)
    assert value == pytest.approx(100 * (1 - math.sqrt(16) / math.sqrt(2 * 16)))


def test_the_exact_score_orders_five_point_scores_as_the_scores_do():
    answers = {1: STRONGLY_AGREE, 2: AGREE}
    near, far = {1: AGREE, 2: AGREE}, {1: NEUTRAL, 2: STRONGLY_AGREE}
    assert exact_score(answers, set(), near, scale=5) > exact_score(answers, set(), far, scale=5)
    parties = [PartyPositions("f", "Far", far), PartyPositions("n", "Near", near)]
    assert [(m.party, m.score, m.rank) for m in rank(answers, set(), parties, scale=5)] == [
        ("n", 87.5, 1),
        ("f", 62.5, 2),
    ]


@pytest.fixture
def five(election, django_capture_on_commit_callbacks):
    """The test election on the 5-point scale: Alfa strongly agrees with statement 1."""
    with django_capture_on_commit_callbacks(execute=True):
        election.scale = 5
        election.save()
        election.statements.get(order=1).stances.filter(party__slug="alfa").update(
            position="strongly_agree"
        )
    return election


def statement_url(number):
    return reverse("quiz:statement", args=["test", number])


@pytest.mark.django_db
def test_a_five_point_election_offers_five_answers(client, five):
    page = client.get(statement_url(1)).content
    assert [b.text for b in parse(page).select("button.answer")] == [
        "Helemaal eens",
        "Eens",
        "Neutraal",
        "Oneens",
        "Helemaal oneens",
    ]


@pytest.mark.django_db
def test_a_three_point_election_keeps_three_answers(client, election):
    page = client.get(statement_url(1)).content
    assert [b.text for b in parse(page).select("button.answer")] == ["Eens", "Neutraal", "Oneens"]


@pytest.mark.django_db
def test_a_strong_answer_on_a_three_point_election_is_refused(client, election):
    response = client.post(statement_url(1), {"answer": "strongly_agree"})
    assert response.status_code == 400
    assert text(response.content, ".error") == (
        "Kies eens, neutraal, oneens of sla de stelling over."
    )


@pytest.mark.django_db
def test_strong_answers_count_on_a_five_point_election(client, five):
    for n, answer in enumerate(["strongly_agree", "agree", "agree"], 1):
        client.post(statement_url(n), {"answer": answer})
    page = client.get(reverse("quiz:result", args=["test"])).content
    # Alfa takes the same positions; Bravo (disagree everywhere) gets 1 + 2 + 2 of 12 points.
    assert ranking(page) == [("Alfa", "100%"), ("Bravo", "42%"), ("Charlie", "–")]
    first_row = parse(page).select(".grid tbody tr")[0]
    assert [cell.text for cell in first_row.select("td")] == [
        "helemaal eens",
        "helemaal eens",
        "oneens",
        "geen standpunt",
    ]


@pytest.mark.django_db
def test_a_shared_five_point_result_keeps_the_strong_answers(client, five):
    client.post(statement_url(1), {"answer": "strongly_disagree"})
    client.post(statement_url(2), {"answer": "skip"})
    client.post(statement_url(3), {"answer": "skip"})
    page = client.get(reverse("quiz:result", args=["test"])).content
    link = parse(page).select_one("#share-url").attrs["value"]
    assert "a=D" in link
    shared = Client().get(link.split("testserver", 1)[1]).content
    assert ranking(shared)[:2] == [("Bravo", "75%"), ("Alfa", "0%")]


@pytest.mark.django_db
def test_a_strong_answer_in_a_three_point_share_link_is_refused(election):
    response = Client().get(reverse("quiz:shared", args=["test"]) + "?a=Aaa")
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_api_takes_2_and_minus_2_on_a_five_point_election(client, five):
    ids = list(five.statements.order_by("order").values_list("id", flat=True))
    data = client.get(reverse("quiz:api-election", args=["test"])).json()
    assert data["scale"] == 5
    assert data["stances"][0]["position"] == 2
    response = client.post(
        reverse("quiz:api-match", args=["test"]),
        json.dumps({"answers": {str(ids[0]): 2}}),
        content_type="application/json",
    )
    assert response.json()["results"][0]["score"] == 100.0


@pytest.mark.django_db
def test_the_api_names_the_five_answer_values_of_a_five_point_election(client, five):
    s1 = five.statements.get(order=1).id
    response = client.post(
        reverse("quiz:api-match", args=["test"]),
        json.dumps({"answers": {str(s1): 3}}),
        content_type="application/json",
    )
    assert response.json() == {"error": f"answers.{s1}: expected 2, 1, 0, -1, -2 or null"}


@pytest.mark.django_db
def test_the_api_refuses_2_on_a_three_point_election(client, election):
    s1 = election.statements.get(order=1).id
    response = client.post(
        reverse("quiz:api-match", args=["test"]),
        json.dumps({"answers": {str(s1): 2}}),
        content_type="application/json",
    )
    assert response.json() == {"error": f"answers.{s1}: expected 1, 0, -1 or null"}


@pytest.mark.django_db
def test_the_five_point_scale_changes_the_fingerprint_and_survives_freezing(five):
    from dataclasses import replace

    from positions import catalog, snapshots
    from positions.catalog import ElectionData

    data = catalog.published_election("test")
    assert data.scale == 5
    assert snapshots.decode(ElectionData, snapshots.encode(data)).scale == 5
    assert replace(data, scale=3).version != data.version


@pytest.mark.django_db
def test_the_landscape_puts_strongly_agree_at_the_end_of_the_axis(client, five, landscape):
    for n in (1, 2, 3):
        client.post(statement_url(n), {"answer": "strongly_agree"})
    page = client.get(reverse("quiz:result", args=["test"])).content
    rows = [r.text for r in parse(page).select(".landscape-table tbody tr")]
    # Alfa strongly agrees with statement 1 (the x axis) and agrees with statement 2 (y).
    assert rows[:2] == ["Jij 1,00 1,00", "A 1,00 0,50"]


def test_the_methodology_states_the_five_point_rule(client, db):
    page = client.get(reverse("quiz:methodology")).content
    assert "per stelling krijgt een partij R − |a − p| punten" in text(page, "#vijf-standen")


@pytest.mark.django_db
def test_statistics_keep_the_strong_answers(client, five):
    from stats import codec
    from stats.models import Completion

    for n, answer in enumerate(["strongly_agree", "strongly_disagree", "agree"], 1):
        client.post(statement_url(n), {"answer": answer})
    client.get(reverse("quiz:result", args=["test"]))
    answers = [a for a, _ in codec.unpack_answers(Completion.objects.get().answers)]
    assert answers == ["strongly_agree", "strongly_disagree", "agree"]
