"""A ballot day's statement step says what the parties of each level think, on request."""

import pytest

from tests.factories import ballot_day
from tests.pages import parse
from tests.quiz.test_ballot_days import step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(db):
    return ballot_day()


def arguments(client, number: int):
    page = parse(client.get(step_url(number)).content.decode())
    section = page.select_one("details.arguments")
    return (
        [h.text for h in section.select("h2")],
        [item.text for item in section.select("li")],
    )


def test_a_shared_statement_shows_each_level_s_parties_under_its_name(client, day):
    headings, items = arguments(client, 1)
    assert headings == ["Europees Parlement", "Kamer"]
    assert items == [
        "Volt: oneens volt over Gedeeld een.",
        "Vooruit: eens vooruit-europa over Gedeeld een.",
        "Groen: eens groen over Gedeeld een.",
        "Vooruit: oneens vooruit over Gedeeld een.",
    ]


def test_a_level_s_own_statement_shows_only_that_level_s_parties(client, day):
    headings, items = arguments(client, 4)  # the Chamber's own statement
    assert headings == []
    assert items == [
        "Groen: oneens groen over Alleen Kamer.",
        "Vooruit: eens vooruit over Alleen Kamer.",
    ]


def test_the_arguments_are_on_the_page_an_htmx_answer_brings(client, day):
    response = client.post(step_url(1), {"answer": "agree"}, headers={"HX-Request": "true"})
    page = parse(response.content.decode())
    assert "Dan gedeeld." in page.select_one("#statement-text").text
    assert [h.text for h in page.select("details.arguments h2")] == ["Europees Parlement", "Kamer"]
