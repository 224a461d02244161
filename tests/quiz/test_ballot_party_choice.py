"""A voter on a ballot day chooses the parties to compare with, by name across the levels."""

import pytest
from django.test import Client
from django.urls import reverse

from stats.models import Completion
from tests.factories import ballot_day
from tests.pages import parse
from tests.quiz.test_ballot_days import SLUG, answer, levels, result_page, share_url

pytestmark = pytest.mark.django_db

PARTIES_URL = reverse("quiz:day-parties", args=[SLUG])


@pytest.fixture
def day(db):
    return ballot_day()


def choices(client) -> dict[str, bool]:
    page = parse(client.get(PARTIES_URL).content.decode())
    return {
        item.select_one("label").text: "checked" in item.select_one("input").attrs
        for item in page.select(".choices li")
    }


def test_each_party_is_offered_once_saying_where_it_runs_at_one_level_only(client, day):
    assert choices(client) == {
        "Groen (alleen Kamer)": True,
        "Volt (alleen Europees Parlement)": True,
        "Vooruit": True,
    }


def test_choosing_a_party_by_name_keeps_it_at_every_level(client, day):
    answer(client, "agree", "skip")
    response = client.post(PARTIES_URL, {"parties": ["Vooruit"]})
    assert response.url == reverse("quiz:day-result", args=[SLUG])
    assert levels(result_page(client)) == {
        "Europees Parlement": [("1. Vooruit", "100%")],
        "Kamer": [("1. Vooruit", "0%")],
    }


def test_a_level_without_any_chosen_party_shows_all_its_parties(client, day):
    answer(client, "agree", "skip")
    client.post(PARTIES_URL, {"parties": ["Volt"]})
    assert levels(result_page(client)) == {
        "Europees Parlement": [("1. Volt", "0%")],
        "Kamer": [("1. Groen", "100%"), ("2. Vooruit", "0%")],
    }
    assert choices(client) == {
        "Groen (alleen Kamer)": False,
        "Volt (alleen Europees Parlement)": True,
        "Vooruit": False,
    }


def test_choosing_no_party_is_a_400_with_a_message(client, day):
    response = client.post(PARTIES_URL, {})
    assert response.status_code == 400
    assert parse(response.content.decode()).select_one(".error").text == (
        "Kies minstens één partij."
    )


def test_without_javascript_none_unticks_every_party(client, day):
    response = client.post(PARTIES_URL, {"select": "none"})
    page = parse(response.content.decode())
    assert ["checked" in box.attrs for box in page.select(".choices input")] == [False] * 3


def test_an_unknown_party_is_refused(client, day):
    response = client.post(PARTIES_URL, {"parties": ["Nergens"]})
    assert response.status_code == 400


def test_the_share_link_carries_the_choice(client, day):
    answer(client, "agree", "skip")
    client.post(PARTIES_URL, {"parties": ["Vooruit", "Groen"]})
    mine = levels(result_page(client))
    url = share_url(client)
    assert "p=vooruit-europa.groen.vooruit" in url
    assert levels(parse(Client().get(url).content.decode())) == mine


def test_a_share_link_naming_a_party_that_does_not_run_is_a_400(client, day):
    answer(client, "agree", "skip")
    response = Client().get(share_url(client) + "&p=nergens")
    assert response.status_code == 400


def test_the_rounds_page_leads_to_the_choice_keeping_the_statistics_choice(client, day):
    answer(client, "agree", "skip")
    rounds = reverse("quiz:day-rounds", args=[SLUG])
    response = client.post(rounds, {"not_counted": "on", "next": "parties"})
    assert response.url == PARTIES_URL
    client.post(PARTIES_URL, {"parties": ["Vooruit"]})
    result_page(client)
    assert not Completion.objects.exists()
