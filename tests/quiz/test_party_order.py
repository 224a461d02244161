import itertools

import pytest
from django.test import Client
from django.urls import reverse

from positions import catalog
from quiz import answers
from tests.factories import PartyFactory, StanceFactory
from tests.pages import parse, ranking, texts

pytestmark = pytest.mark.django_db

ALPHABETICAL = ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]


def argument_order(client) -> list[str]:
    page = client.get(reverse("quiz:statement", args=["test", 1])).content
    return texts(page, "details.arguments li strong")


def choice_order(client) -> list[str]:
    page = parse(client.get(reverse("quiz:parties", args=["test"])).content)
    return [box.attrs["value"] for box in page.select("input") if box.attrs["name"] == "parties"]


@pytest.fixture
def random_order(election):
    for name in ("Delta", "Echo", "Foxtrot", "Golf", "Hotel"):
        party = PartyFactory(name=name, slug=name.lower())
        election.parties.add(party)
        StanceFactory(statement=election.statements.get(order=1), party=party)
    election.party_order = "random"
    election.save()
    return election


@pytest.fixture
def known_seeds(monkeypatch):
    """Each new random value is the next of voter-1, voter-2, ...: a voter's seed is known, and a
    seed that is not kept in the session changes on the next request."""
    numbers = itertools.count(1)
    monkeypatch.setattr(answers.secrets, "token_hex", lambda n: f"voter-{next(numbers)}")


def test_parties_say_what_they_think_on_request(client, election):
    page = client.get(reverse("quiz:statement", args=["test", 1])).content.decode()
    assert "<summary>Wat zeggen de partijen?</summary>" in page
    assert "<li><strong>Alfa</strong>: eens<br><span>Omdat het nodig is.</span>" in page
    assert "<li><strong>Charlie</strong>: geen standpunt</li>" in page


def test_alphabetical_order_by_default(client, election):
    assert argument_order(client) == ["Alfa", "Bravo", "Charlie"]
    assert choice_order(client) == ["alfa", "bravo", "charlie"]


def test_random_order_stays_the_same_for_one_voter(client, random_order, known_seeds):
    first = argument_order(client)
    assert sorted(first) == ALPHABETICAL
    assert first != ALPHABETICAL
    assert argument_order(client) == first
    slugs = [name.lower() for name in first]
    assert choice_order(client) == slugs


def test_random_order_differs_between_voters(random_order):
    orders = {tuple(argument_order(Client())) for _ in range(6)}
    assert len(orders) > 1


def test_the_same_seed_gives_the_same_order(random_order):
    data = catalog.published_election("test")
    assert data.parties_in_order("abc") == data.parties_in_order("abc")
    assert data.parties_in_order("abc") != data.parties_in_order("xyz")
    assert sorted(p.name for p in data.parties_in_order("abc")) == [p.name for p in data.parties]


def test_the_ranking_ignores_the_neutral_order(client, random_order, known_seeds):
    assert argument_order(client) != ALPHABETICAL
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    page = client.get(reverse("quiz:result", args=["test"])).content
    ranked = [name for name, _ in ranking(page)]
    # Ranked by score; the new parties, compared on 1 of 3 answers, follow unranked by name.
    assert ranked == ["Alfa", "Bravo", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "Charlie"]
