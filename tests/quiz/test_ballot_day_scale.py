"""A ballot day follows its elections' answer scale: five buttons where every election asking a
statement is on 5 points, three elsewhere; a shared link's strong answers only where they fit."""

import pytest
from django.urls import reverse

from positions.catalog import ElectionData
from positions.models import Election
from quiz.ballot import step_scale
from tests.factories import ballot_day
from tests.pages import parse

SLUG = "negen-juni"
FIVE = ["Helemaal eens", "Eens", "Neutraal", "Oneens", "Helemaal oneens"]
THREE = ["Eens", "Neutraal", "Oneens"]


def on_scale(scale: int) -> ElectionData:
    return ElectionData("x", "X", None, "", "agreement", (), (), scale=scale)


@pytest.mark.parametrize(
    ("scales", "expected"), [((5,), 5), ((5, 5), 5), ((5, 3), 3), ((3,), 3), ((), 3)]
)
def test_a_statement_is_answered_on_five_points_only_when_every_election_asking_it_is(
    scales, expected
):
    assert step_scale([on_scale(s) for s in scales]) == expected


def step_url(number: int) -> str:
    return reverse("quiz:day-statement", args=[SLUG, number])


def buttons(client, number: int) -> list[str]:
    return [
        b.text for b in parse(client.get(step_url(number)).content.decode()).select("button.answer")
    ]


@pytest.fixture
def five_point_day(db):
    """The ballot day with both elections on 5 points (statements 1 and 2 shared, 3 Europe's
    own, 4 the Chamber's own)."""
    day = ballot_day()
    Election.objects.update(scale=5)
    return day


@pytest.fixture
def mixed_day(db):
    """Europe on 5 points, the Chamber on 3."""
    day = ballot_day()
    Election.objects.filter(slug="europa").update(scale=5)
    return day


def test_a_day_on_five_points_offers_five_answers(client, five_point_day):
    assert buttons(client, 1) == FIVE
    assert buttons(client, 3) == FIVE


def test_a_strong_answer_on_a_five_point_day_counts_in_each_election(client, five_point_day):
    assert client.post(step_url(1), {"answer": "strongly_agree"}).status_code == 302
    client.post(step_url(2), {"answer": "agree"})
    page = parse(client.get(reverse("quiz:day-result", args=[SLUG])).content.decode())
    scores = {
        section.select_one("h2").text: [s.text for s in section.select("ol.ranking .score")]
        for section in page.select("section.level")
    }
    # Vooruit (EU) and Groen agree twice: 3 + 4 of 8 points; Volt and Vooruit disagree once.
    assert scores == {"Europees Parlement": ["88%", "62%"], "Kamer": ["88%", "62%"]}


def test_a_mixed_day_asks_shared_statements_on_three_points(client, mixed_day):
    assert buttons(client, 1) == THREE
    assert buttons(client, 3) == FIVE  # Europe's own
    assert buttons(client, 4) == THREE  # the Chamber's own


def test_a_strong_answer_to_a_statement_a_three_point_election_asks_is_refused(client, mixed_day):
    response = client.post(step_url(1), {"answer": "strongly_agree"})
    assert response.status_code == 400
    page = parse(response.content.decode())
    assert page.select_one(".error").text == "Kies eens, neutraal, oneens of sla de stelling over."
    assert [b.text for b in page.select("button.answer")] == THREE


def test_a_strong_answer_to_a_five_point_election_s_own_statement_is_kept(client, mixed_day):
    assert client.post(step_url(3), {"answer": "strongly_disagree"}).status_code == 302
    page = parse(client.get(step_url(3)).content.decode())
    pressed = [b.text for b in page.select("button.answer") if b.attrs["aria-pressed"] == "true"]
    assert pressed == ["Helemaal oneens"]


def shared(client, codes: str):
    url = reverse("quiz:day-shared", args=[SLUG])
    return client.get(url, {"a": codes, "v": "0.0"})


@pytest.mark.parametrize("codes", ["A---", "-D--", "---A"])
def test_a_shared_link_with_a_strong_answer_for_a_three_point_election_is_a_bad_request(
    client, mixed_day, codes
):
    response = shared(client, codes)
    assert response.status_code == 400
    assert "De link bevat een onbekend antwoord." in response.content.decode()


def test_a_shared_link_with_a_strong_answer_where_it_fits_is_read(client, mixed_day):
    response = shared(client, "aaA-")
    assert response.status_code == 200
    scores = [s.text for s in parse(response.content.decode()).select("ol.ranking .score")]
    assert all(not s.startswith("-") for s in scores)


def test_a_five_point_day_s_shared_link_keeps_strong_answers(client, five_point_day):
    client.post(step_url(1), {"answer": "strongly_agree"})
    client.post(step_url(2), {"answer": "strongly_disagree"})
    page = parse(client.get(reverse("quiz:day-result", args=[SLUG])).content.decode())
    link = page.select_one("#share-url").attrs["value"]
    assert "a=AD--" in link
    assert client.get(link).status_code == 200


def test_a_strong_answer_given_on_a_five_point_election_s_own_page_is_asked_again(
    client, mixed_day
):
    # Europe asks the shared statement 1 as its own statement 1, on 5 points.
    europe_step = reverse("quiz:statement", args=["europa", 1])
    assert client.post(europe_step, {"answer": "strongly_agree"}).status_code == 302
    page = parse(client.get(step_url(1)).content.decode())
    assert [b.attrs["aria-pressed"] for b in page.select("button.answer")] == ["false"] * 3
    result = parse(client.get(reverse("quiz:day-result", args=[SLUG])).content.decode())
    assert "Je gaf je mening over 0 van de 3 stellingen." in result.text
    scores = [s.text for s in result.select("ol.ranking .score")]
    assert all(not s.startswith("-") for s in scores)
