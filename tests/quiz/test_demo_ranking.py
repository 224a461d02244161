"""The failure the ranking rule is for, on the real demo: answering exactly like Vooruit."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from positions import catalog
from tests.pages import places, unranked

pytestmark = pytest.mark.django_db

SLUG = "programmas-2019-2024"
ANSWER_FOR = {"agree": "agree", "neutral": "neutral", "disagree": "disagree", "none": "skip"}


def test_answering_like_vooruit_ranks_vooruit_first_alone_and_spa_apart(client):
    call_command("load_seed_demo", stdout=StringIO())
    data = catalog.published_election(SLUG)
    assert data.ranking_threshold == 0.5
    for statement in data.statements:
        position = data.stance(statement.id, "vooruit").position
        url = reverse("quiz:statement", args=[SLUG, statement.number])
        client.post(url, {"answer": ANSWER_FOR[position]})
    page = client.get(reverse("quiz:result", args=[SLUG])).content.decode()
    assert places(page)[0] == ("1.", "Vooruit")
    assert [place for place, _ in places(page)].count("1.") == 1
    spa = [said for name, said in unranked(page) if name.startswith("sp.a")]
    assert spa == ["vergeleken op 3 van je 28 antwoorden: te weinig om te rangschikken"]
