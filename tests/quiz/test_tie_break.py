"""Reserve statements: left out of the normal run, offered before the result when the first two
parties are close and a reserve statement separates them; the voter may decline."""

from dataclasses import replace
from unittest.mock import patch

import pytest
from django.test import Client
from django.urls import reverse

from positions import catalog, snapshots
from positions.catalog import ElectionData
from stats import codec
from stats.models import Completion
from tests.factories import StanceFactory, StatementFactory
from tests.pages import places, text

pytestmark = pytest.mark.django_db

PARTIES = reverse("quiz:parties", args=["test"])
OFFER = reverse("quiz:tie-break", args=["test"])
RESULT = reverse("quiz:result", args=["test"])


def statement_url(number):
    return reverse("quiz:statement", args=["test", number])


@pytest.fixture
def reserve(election, django_capture_on_commit_callbacks):
    """Statement 4 separates Alfa (agree) from Bravo (disagree); statement 5 does not."""
    alfa, bravo = election.parties.get(slug="alfa"), election.parties.get(slug="bravo")
    with django_capture_on_commit_callbacks(execute=True):
        separating = StatementFactory(election=election, order=4, title="Reserve A", reserve=True)
        StanceFactory(statement=separating, party=alfa, position="agree")
        StanceFactory(statement=separating, party=bravo, position="disagree")
        alike = StatementFactory(election=election, order=5, title="Reserve B", reserve=True)
        StanceFactory(statement=alike, party=alfa, position="agree")
        StanceFactory(statement=alike, party=bravo, position="agree")
    return separating


def answer(client, *answers):
    for n, value in enumerate(answers, 1):
        response = client.post(statement_url(n), {"answer": value})
    return response


def close_race(client):
    """Alfa and Bravo both at 50%: agree with one each."""
    answer(client, "agree", "disagree", "skip")
    return client.post(PARTIES, {"parties": ["alfa", "bravo", "charlie"]})


def test_the_normal_run_ends_before_the_reserve_statements(client, reserve):
    assert answer(client, "agree", "agree", "agree").url == reverse("quiz:overview", args=["test"])
    assert text(client.get(statement_url(3)).content, ".progress-text") == "Stelling 3 / 3"
    assert client.get(statement_url(4)).status_code == 404


def test_a_close_race_with_a_separating_reserve_statement_is_offered_before_the_result(
    client, reserve
):
    assert close_race(client).url == OFFER
    page = client.get(OFFER)
    assert text(page.content, "#offer-text").startswith(
        "De twee partijen bovenaan liggen dicht bij elkaar: Alfa en Bravo. Er is 1 extra stelling "
        "waarover ze het oneens zijn."
    )


def test_accepted_reserve_statements_are_asked_and_count_like_any_statement(client, reserve):
    close_race(client)
    accepted = client.post(OFFER, {"choice": "yes"})
    assert accepted.url == statement_url(4)
    page = client.get(statement_url(4)).content
    assert text(page, ".progress-text") == "Extra stelling · Stelling 4 / 4"
    assert client.post(statement_url(4), {"answer": "agree"}).url == RESULT
    result = client.get(RESULT).content
    assert places(result) == [("1.", "Alfa"), ("2.", "Bravo")]
    assert "Je gaf je mening over 3 van de 4 stellingen." in result.decode()


def test_with_htmx_the_last_reserve_statement_leads_to_the_result(client, reserve):
    close_race(client)
    client.post(OFFER, {"choice": "yes"})
    response = client.post(statement_url(4), {"answer": "agree"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == RESULT


def test_declining_goes_to_the_result_and_is_not_asked_again(client, reserve):
    close_race(client)
    assert client.post(OFFER, {"choice": "no"}).url == RESULT
    assert places(client.get(RESULT).content) == [("1.", "Alfa"), ("1.", "Bravo")]
    assert client.post(PARTIES, {"parties": ["alfa", "bravo"]}).url == RESULT
    assert client.get(statement_url(4)).status_code == 404


def test_no_choice_is_a_form_error(client, reserve):
    close_race(client)
    response = client.post(OFFER, {})
    assert response.status_code == 400
    assert text(response.content, ".error") == "Kies of je de extra stellingen wilt beantwoorden."


def test_parties_further_apart_than_the_margin_get_no_offer(client, reserve):
    answer(client, "agree", "agree", "agree")
    assert client.post(PARTIES, {"parties": ["alfa", "bravo"]}).url == RESULT
    assert client.get(OFFER).url == RESULT


def test_the_editors_margin_decides_what_is_close(
    client, election, reserve, django_capture_on_commit_callbacks
):
    """Alfa 100% on two answers, Bravo 50%: 50 points apart, close only with a margin of 50."""
    with django_capture_on_commit_callbacks(execute=True):
        election.tie_break_margin = 50
        election.save()
    answer(client, "agree", "neutral")
    assert client.post(PARTIES, {"parties": ["alfa", "bravo"]}).url == OFFER


def test_no_offer_when_no_reserve_statement_separates_the_two(client, election, reserve):
    reserve.stances.filter(party__slug="bravo").update(position="agree")
    catalog.invalidate(election)
    close_race(client)
    assert client.get(OFFER).url == RESULT


def test_a_reserve_statement_step_does_no_database_query(
    client, reserve, django_assert_num_queries
):
    close_race(client)
    client.post(OFFER, {"choice": "yes"})
    with django_assert_num_queries(0):
        shown = client.get(statement_url(4))
    assert shown.status_code == 200


def test_the_api_lists_reserve_statements_and_matches_their_answers(client, reserve):
    data = client.get(reverse("quiz:api-election", args=["test"])).json()
    assert [(s["title"], s["reserve"]) for s in data["statements"]] == [
        ("Stelling 1", False),
        ("Stelling 2", False),
        ("Stelling 3", False),
        ("Reserve A", True),
        ("Reserve B", True),
    ]
    response = client.post(
        reverse("quiz:api-match", args=["test"]),
        {"answers": {str(reserve.id): 1}},
        content_type="application/json",
    )
    assert response.json()["results"][0] == {
        "party": "alfa",
        "score": 100.0,
        "compared": 1,
        "rank": 1,
        "coverage": 1.0,
    }


def test_a_shared_result_counts_the_reserve_statements_answered(client, reserve):
    close_race(client)
    client.post(OFFER, {"choice": "yes"})
    client.post(statement_url(4), {"answer": "agree"})
    page = Client().get(reverse("quiz:shared", args=["test"]) + "?a=ad-a-").content.decode()
    assert "De gedeelde antwoorden geven een mening over 3 van de 4 stellingen." in page


def test_marking_a_statement_reserve_changes_the_fingerprint_and_survives_freezing(
    election, reserve
):
    data = catalog.published_election("test")
    assert data.reserve == {reserve.id, reserve.id + 1}
    thawed = snapshots.decode(ElectionData, snapshots.encode(data))
    assert (thawed.reserve, thawed.version) == (data.reserve, data.version)
    assert replace(data, reserve=frozenset()).version != data.version


def test_editors_mark_reserve_statements_and_set_the_margin(admin_client, election):
    statement = election.statements.get(order=1)
    page = admin_client.get(reverse("admin:positions_statement_change", args=[statement.pk]))
    assert b'name="reserve"' in page.content
    page = admin_client.get(reverse("admin:positions_election_change", args=[election.pk]))
    assert b'name="tie_break_margin"' in page.content and b'name="min_answers"' in page.content


def test_a_declined_offer_still_counts_the_completion(client, reserve):
    close_race(client)
    client.post(OFFER, {"choice": "no"})
    client.get(RESULT)
    [completion] = completion_answers()
    assert completion[-2:] == [("skip", False), ("skip", False)]


def test_answered_reserve_statements_are_counted_with_the_completion(client, reserve):
    close_race(client)
    client.post(OFFER, {"choice": "yes"})
    client.post(statement_url(4), {"answer": "agree"})
    client.get(RESULT)
    [completion] = completion_answers()
    assert completion[-2:] == [("agree", False), ("skip", False)]


def test_a_run_without_an_offer_counts_the_completion(client, reserve):
    answer(client, "agree", "agree", "agree")
    client.post(PARTIES, {"parties": ["alfa", "bravo", "charlie"]})
    client.get(RESULT)
    assert len(completion_answers()) == 1


def test_the_offer_of_a_withdrawn_election_says_it_was_withdrawn(client, reserve):
    close_race(client)
    with patch.object(catalog, "published_election", return_value=None):
        response = client.get(OFFER)
    assert response.status_code == 410
    assert text(response.content, "h1") == "Deze stemhulp is ingetrokken"


def completion_answers() -> list[list[tuple[str, bool]]]:
    return [codec.unpack_answers(c.answers) for c in Completion.objects.all()]
