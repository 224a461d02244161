"""The result page says in words how firmly the first party is first."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PartyFactory, StanceFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

RESULT = reverse("quiz:result", args=["test"])


def answer(client, *answers):
    for n, value in enumerate(answers, 1):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": value})


def stability(page: bytes) -> str | None:
    found = parse(page).select("p.stability")
    return found[0].text if found else None


def test_the_first_party_stays_first_whichever_answer_is_left_out(client, election):
    answer(client, "agree", "agree", "agree")
    assert stability(client.get(RESULT).content) == (
        "Alfa blijft bovenaan als we één van je antwoorden weglaten: in 3 van de 3 gevallen. "
        "Ook met de andere rekenmethoden staat Alfa alleen bovenaan. Wat dit betekent"
    )


def test_the_count_is_of_this_voters_answers(client, election, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delta = PartyFactory(name="Delta", slug="delta")
        election.parties.add(delta)
        for statement, position in zip(
            election.statements.order_by("order"), ["agree", "agree", "neutral"], strict=True
        ):
            StanceFactory(statement=statement, party=delta, position=position)
    answer(client, "agree", "agree", "agree")
    assert "in 2 van de 3 gevallen" in stability(client.get(RESULT).content)
    other = Client()
    answer(other, "agree", "agree", "skip")
    # Alfa and Delta agree on both answers: a shared first place, so nothing to say.
    assert stability(other.get(RESULT).content) is None


def test_a_shared_result_speaks_of_the_shared_answers(election):
    page = Client().get(reverse("quiz:shared", args=["test"]) + "?a=aa-").content
    assert stability(page).startswith(
        "Alfa blijft bovenaan als we één van de gedeelde antwoorden weglaten: in 2 van de 2 "
        "gevallen."
    )


def test_another_method_may_put_another_party_first(
    client, election, django_capture_on_commit_callbacks
):
    """Near is one step off on two statements, Split the same on one and opposite on the other:
    equal under agreement, but the euclidean distance weighs Split's large difference more."""
    with django_capture_on_commit_callbacks(execute=True):
        election.parties.clear()
        election.method = "euclidean"
        election.save()
        near, split = (
            PartyFactory(name="Near", slug="near"),
            PartyFactory(name="Split", slug="split"),
        )
        election.parties.add(near, split)
        for statement, n, s in zip(
            election.statements.order_by("order"),
            ["neutral", "neutral", "agree"],
            ["agree", "disagree", "agree"],
            strict=True,
        ):
            StanceFactory(statement=statement, party=near, position=n)
            StanceFactory(statement=statement, party=split, position=s)
    answer(client, "agree", "agree", "agree")
    text = stability(client.get(RESULT).content)
    assert "Met de overeenstemming staat geen partij alleen bovenaan." in text
    assert "Met de cityblock-afstand staat geen partij alleen bovenaan." in text


def test_one_answer_gives_one_case(client, election):
    answer(client, "agree")
    assert "in 0 van 1 geval." in stability(client.get(RESULT).content)


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "reste en tête"), ("en", "stays on top")],
)
def test_the_text_is_in_the_voters_language(election, language, words):
    voter = Client(headers={"accept-language": language})
    for n in (1, 2, 3):
        voter.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    assert words in stability(voter.get(RESULT).content)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", "Deelt ze de eerste plaats, zakt ze, of valt ze onder de drempel, dan niet."),
        ("fr", "S’il partage la première place, recule ou passe sous le seuil, il ne compte pas."),
        ("en", "If it shares the first place, drops, or falls below the threshold, it does not."),
    ],
)
def test_the_methodology_page_defines_staying_first(db, language, words):
    voter = Client(headers={"accept-language": language})
    page = voter.get(reverse("quiz:methodology")).content
    assert words in page.decode()
