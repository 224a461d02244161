"""Moving through the statements: "Volgende" keeps the tick, the way back to the overview, the
list of all statements, and the line on neutral against skipping."""

import pytest
from django.urls import reverse

from tests.pages import parse, text, texts

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("quiz:overview", args=["test"])


def url(n, query=""):
    return reverse("quiz:statement", args=["test", n]) + query


def button(page, label):
    """The submit button with this text, as (name, value)."""
    [found] = [b for b in parse(page).select("button") if b.text.startswith(label)]
    return found.attrs.get("name"), found.attrs.get("value")


def test_volgende_on_an_answered_statement_posts_the_answer(client, election):
    client.post(url(1), {"answer": "disagree"})
    page = client.get(url(1)).content.decode()
    assert button(page, "Volgende") == ("answer", "disagree")


def test_volgende_with_the_tick_saves_it(client, election):
    client.post(url(1), {"answer": "disagree"})
    response = client.post(url(1), {"answer": "disagree", "important": "1"})
    assert response.url == url(2)
    page = client.get(url(1)).content.decode()
    assert 'name="important" value="1" checked' in page
    assert texts(page, ".answer")[2] == "Oneens"


def test_an_unanswered_statement_offers_no_volgende(client, election):
    assert "Volgende" not in text(client.get(url(1)).content, ".step-nav")


def test_the_last_answered_statement_posts_on_to_the_overview(client, election):
    for n in (1, 2, 3):
        client.post(url(n), {"answer": "agree"})
    page = client.get(url(3)).content.decode()
    assert button(page, "Naar het overzicht") == ("answer", "agree")


def test_the_overview_links_carry_the_way_back(client, election):
    client.post(url(1), {"answer": "agree"})
    page = client.get(OVERVIEW).content.decode()
    assert f'href="{url(1, "?terug=overzicht")}"' in page


def test_from_the_overview_the_statement_offers_the_way_back(client, election):
    client.post(url(1), {"answer": "agree"})
    page = client.get(url(1, "?terug=overzicht")).content.decode()
    assert button(page, "Terug naar het overzicht") == ("answer", "agree")
    assert "Volgende" not in text(page, ".step-nav")
    assert f'action="{url(1, "?terug=overzicht")}"' in page


def test_an_answer_changed_from_the_overview_goes_back_to_it(client, election):
    client.post(url(1), {"answer": "agree"})
    response = client.post(url(1, "?terug=overzicht"), {"answer": "disagree"})
    assert response.url == OVERVIEW


def test_an_answer_changed_from_the_overview_goes_back_with_htmx(client, election):
    response = client.post(
        url(1, "?terug=overzicht"), {"answer": "disagree"}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == OVERVIEW


def test_without_the_way_back_the_stored_page_is_not_served(client, election):
    client.post(url(1), {"answer": "agree"})
    client.get(url(1, "?terug=overzicht"))
    assert "Terug naar het overzicht" not in client.get(url(1)).content.decode()


def test_every_statement_can_be_reached_from_the_quiz(client, election):
    page = client.get(url(2)).content.decode()
    links = parse(page).select(".jump a")
    assert [a.attrs["href"] for a in links] == [url(1), url(2), url(3)]
    assert [a.attrs.get("aria-current") for a in links] == [None, "step", None]


def test_the_list_marks_the_answered_statements(client, election):
    client.post(url(1), {"answer": "agree"})
    client.post(url(2), {"answer": "skip"})
    page = client.get(url(3)).content.decode()
    assert texts(page, ".jump a") == ["1 (beantwoord)", "2 (beantwoord)", "3"]


def test_the_list_on_a_stored_page_follows_the_voters_answers(client, election):
    client.get(url(3))
    client.post(url(1), {"answer": "agree"})
    assert texts(client.get(url(3)).content, ".jump a") == ["1 (beantwoord)", "2", "3"]


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "een overgeslagen stelling"), ("fr", "une affirmation passée"), ("en", "skipped")],
)
def test_the_statement_says_what_neutral_and_skip_do(client, election, settings, language, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url(1)).content.decode()
    hint = parse(page).select_one(".hint")
    assert words in hint.text
    assert hint.select_one("a").attrs["href"] == reverse("quiz:methodology")
