"""The party choice: "Alle" and "Geen" tick every party or none, without JavaScript."""

import pytest
from django.urls import reverse

from tests.pages import parse

pytestmark = pytest.mark.django_db

PARTIES = reverse("quiz:parties", args=["test"])


def ticked(page: bytes) -> list[str]:
    boxes = parse(page).select("input")
    return sorted(
        b.attrs["value"] for b in boxes if b.attrs.get("name") == "parties" and "checked" in b.attrs
    )


def test_geen_unticks_every_party(client, election):
    response = client.post(PARTIES, {"select": "none", "parties": ["alfa", "bravo"]})
    assert response.status_code == 200
    assert ticked(response.content) == []


def test_alle_ticks_every_party(client, election):
    response = client.post(PARTIES, {"select": "all", "parties": ["alfa"]})
    assert ticked(response.content) == ["alfa", "bravo", "charlie"]


def test_a_shortcut_saves_nothing(client, election):
    client.post(PARTIES, {"parties": ["alfa"]})
    client.post(PARTIES, {"select": "all"})
    assert ticked(client.get(PARTIES).content) == ["alfa"]


def test_the_page_offers_both_shortcuts(client, election):
    buttons = parse(client.get(PARTIES).content).select("button")
    shortcuts = [(b.text, b.attrs["value"]) for b in buttons if b.attrs.get("name") == "select"]
    assert shortcuts == [("Alle", "all"), ("Geen", "none")]
