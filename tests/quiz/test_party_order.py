import re

import pytest
from django.test import Client
from django.urls import reverse

from quiz import catalog
from tests.factories import PartyFactory, StanceFactory

pytestmark = pytest.mark.django_db


def argument_order(client) -> list[str]:
    page = client.get(reverse("quiz:statement", args=["test", 1])).content.decode()
    details = page.split("Wat zeggen de partijen?")[1].split("</details>")[0]
    return re.findall(r"<li><strong>([^<]+)</strong>", details)


def choice_order(client) -> list[str]:
    page = client.get(reverse("quiz:parties", args=["test"])).content.decode()
    return re.findall(r'name="parties" value="([a-z-]+)"', page)


@pytest.fixture
def random_order(election):
    for name in ("Delta", "Echo", "Foxtrot", "Golf", "Hotel"):
        party = PartyFactory(name=name, slug=name.lower())
        election.parties.add(party)
        StanceFactory(statement=election.statements.get(order=1), party=party)
    election.party_order = "random"
    election.save()
    return election


def test_parties_say_what_they_think_on_request(client, election):
    page = client.get(reverse("quiz:statement", args=["test", 1])).content.decode()
    assert "<summary>Wat zeggen de partijen?</summary>" in page
    assert '<li><strong>Alfa</strong>: eens<br><span lang="nl">Omdat het nodig is.</span>' in page
    assert "<li><strong>Charlie</strong>: geen standpunt</li>" in page


def test_alphabetical_order_by_default(client, election):
    assert argument_order(client) == ["Alfa", "Bravo", "Charlie"]
    assert choice_order(client) == ["alfa", "bravo", "charlie"]


def test_random_order_stays_the_same_for_one_voter(client, random_order):
    first = argument_order(client)
    assert argument_order(client) == first
    slugs = [name.lower() for name in first]
    assert choice_order(client) == slugs


def test_random_order_differs_between_voters(random_order):
    orders = {tuple(argument_order(Client())) for _ in range(6)}
    assert len(orders) > 1


def test_the_same_seed_gives_the_same_order(random_order):
    data = catalog.published_election("test")
    assert data.parties_in_order("abc") == data.parties_in_order("abc")
    assert sorted(p.name for p in data.parties_in_order("abc")) == [p.name for p in data.parties]


def test_the_ranking_ignores_the_neutral_order(client, random_order):
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    ranked = re.findall(r'<span class="party-name">([^<]+)</span>', page)
    # By score; the new parties tie with Alfa at 100% and follow it by name.
    assert ranked == ["Alfa", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "Bravo", "Charlie"]
