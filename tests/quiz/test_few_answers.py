"""Below half of the statements answered, the result says the advice rests on few answers."""

import pytest
from django.test import Client
from django.urls import reverse

from quiz.results import min_answers
from tests.pages import parse

pytestmark = pytest.mark.django_db

RESULT = reverse("quiz:result", args=["test"])


def answer(client, *answers):
    for n, value in enumerate(answers, 1):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": value})


def notice(page: bytes) -> str | None:
    found = parse(page).select(".few-answers")
    return found[0].text if found else None


def test_the_minimum_is_half_the_statements_rounded_up(election):
    from positions import catalog

    assert min_answers(catalog.published_election("test")) == 2


def test_one_answer_of_three_is_too_few(client, election):
    answer(client, "agree", "skip", "skip")
    assert notice(client.get(RESULT).content).startswith(
        "Let op: dit advies rust op weinig antwoorden, 1 van de 3 stellingen."
    )


def test_the_notice_comes_before_the_ranking(client, election):
    answer(client, "agree")
    page = client.get(RESULT).content.decode()
    assert page.index("few-answers") < page.index('class="ranking"')


def test_the_notice_leads_to_the_statements(client, election):
    answer(client, "agree")
    [link] = parse(client.get(RESULT).content).select(".few-answers a")
    assert link.attrs["href"] == reverse("quiz:overview", args=["test"])


def test_half_the_statements_is_enough(client, election):
    answer(client, "agree", "disagree", "skip")
    assert notice(client.get(RESULT).content) is None


def test_a_neutral_answer_counts_as_an_answer(client, election):
    answer(client, "neutral", "neutral")
    assert notice(client.get(RESULT).content) is None


def test_a_shared_result_with_few_answers_says_so_too(election):
    page = Client().get(reverse("quiz:shared", args=["test"]) + "?a=a--").content
    assert "1 van de 3 stellingen" in notice(page)


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "repose sur peu de réponses"), ("en", "rests on few answers")]
)
def test_the_notice_is_in_the_voters_language(client, election, settings, language, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    answer(client, "agree")
    assert words in notice(client.get(RESULT).content)


def test_editors_may_set_the_minimum_per_election(
    client, election, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        election.min_answers = 3
        election.save()
    answer(client, "agree", "disagree", "skip")
    assert notice(client.get(RESULT).content).startswith(
        "Let op: dit advies rust op weinig antwoorden, 2 van de 3 stellingen. Met minstens 3"
    )


def test_reserve_statements_do_not_raise_the_default_minimum(
    election, django_capture_on_commit_callbacks
):
    from positions import catalog
    from tests.factories import StatementFactory

    with django_capture_on_commit_callbacks(execute=True):
        StatementFactory(election=election, order=4, reserve=True)
        StatementFactory(election=election, order=5, reserve=True)
    assert min_answers(catalog.published_election("test")) == 2
