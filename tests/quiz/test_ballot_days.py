"""A voter on a ballot day: shared statements once, each level's own as an extra round, a
ranking per level side by side."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from positions import catalog, publishing
from positions.models import Election, Stance
from stats import codec
from stats.models import Completion
from tests.factories import UserFactory, ballot_day
from tests.pages import parse

pytestmark = pytest.mark.django_db

SLUG = "negen-juni"


def _texts(element, selector: str) -> list[str]:
    return [found.text for found in element.select(selector)]


def _text(element, selector: str) -> str:
    return element.select_one(selector).text


def step_url(number: int, slug: str = SLUG) -> str:
    return reverse("quiz:day-statement", args=[slug, number])


def result_page(client, slug: str = SLUG):
    response = client.get(reverse("quiz:day-result", args=[slug]))
    assert response.status_code == 200
    return parse(response.content.decode())


def levels(page) -> dict[str, list[tuple[str, str]]]:
    """Per level's heading, the ranked parties as (place and name, score)."""
    found = {}
    for section in page.select("section.level"):
        heading = section.select_one("h2").text
        found[heading] = [
            (
                " ".join(e.text for e in item.select(".place") + item.select(".party-name")),
                item.select_one(".score").text,
            )
            for item in section.select("ol.ranking li.rank")
        ]
    return found


def answer(client, *answers: str, start: int = 1, slug: str = SLUG):
    for number, value in enumerate(answers, start):
        response = client.post(step_url(number, slug), {"answer": value})
        assert response.status_code == 302


@pytest.fixture
def day(db):
    return ballot_day()


def test_the_start_page_lists_the_ballot_day(client, day):
    page = parse(client.get("/").content.decode())
    assert day.name in _texts(page, ".card-link strong")


def test_the_shared_statements_come_first_and_then_the_rounds_page(client, day):
    page = parse(client.get(step_url(1)).content.decode())
    assert _text(page, "#statement-text") == "Eerst gedeeld."
    assert _text(page, ".progress-text") == "Stelling 1 / 2"
    client.post(step_url(1), {"answer": "agree"})
    response = client.post(step_url(2), {"answer": "agree"})
    assert response.url == reverse("quiz:day-rounds", args=[SLUG])
    rounds = parse(client.get(response.url).content.decode())
    assert _texts(rounds, ".card-link strong") == ["Europees Parlement", "Kamer"]


def test_a_shared_statement_answered_once_is_scored_in_each_level(client, day):
    answer(client, "agree", "skip")
    assert levels(result_page(client)) == {
        "Europees Parlement": [("1. Vooruit", "100%"), ("2. Volt", "0%")],
        "Kamer": [("1. Groen", "100%"), ("2. Vooruit", "0%")],
    }


def test_a_level_only_statement_changes_one_ranking_only(client, day):
    answer(client, "agree", "skip")
    before = levels(result_page(client))
    client.post(step_url(4), {"answer": "agree"})  # the Chamber's own statement
    after = levels(result_page(client))
    assert after["Europees Parlement"] == before["Europees Parlement"]
    assert after["Kamer"] == [("1. Groen", "50%"), ("1. Vooruit", "50%")]


def test_a_party_at_one_level_only_is_ranked_at_that_level_only(client, day):
    answer(client, "agree", "agree")
    ranked = levels(result_page(client))
    assert [name for name, _ in ranked["Europees Parlement"]] == ["1. Vooruit", "2. Volt"]
    assert "Volt" not in str(ranked["Kamer"])


def test_the_result_says_where_the_first_place_differs_between_levels(client, day):
    answer(client, "agree", "skip")
    page = result_page(client)
    assert _text(page, ".top-differs") == (
        "Je beste match verschilt per verkiezing: Europees Parlement: Vooruit; Kamer: Groen."
    )


def test_the_result_says_so_when_the_same_party_leads_everywhere(client, day):
    answer(client, "disagree", "skip")
    client.post(step_url(3), {"answer": "agree", "important": "1"})
    client.post(step_url(4), {"answer": "agree"})
    page = result_page(client)
    assert (
        _text(page, ".top-same") == "Bij elke verkiezing staat dezelfde partij bovenaan: Vooruit."
    )


def test_each_level_shows_its_comparison_and_sources(client, day):
    answer(client, "agree", "skip")
    page = result_page(client)
    [europe, chamber] = page.select("section.level")
    assert "vooruit-europa over Gedeeld een." in europe.text
    assert "vooruit over Gedeeld een." in chamber.text
    assert "vooruit-europa" not in chamber.text
    assert "Programma vooruit, regel 1" in chamber.text


def test_the_statement_step_does_no_database_query_once_cached(
    client, day, django_assert_num_queries
):
    client.get(step_url(1))
    client.post(step_url(1), {"answer": "agree"})
    client.get(step_url(2))
    with django_assert_num_queries(0):
        response = client.get(step_url(2))
    assert response.status_code == 200
    with django_assert_num_queries(0):
        response = client.post(step_url(2), {"answer": "neutral"})
    assert response.status_code == 302


def test_with_htmx_an_answer_brings_the_next_statement_and_its_address(client, day):
    response = client.post(step_url(1), {"answer": "agree"}, headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == step_url(2)
    assert _text(parse(response.content.decode()), "#statement-text") == "Dan gedeeld."
    assert "HX-Request" in response["Vary"]


def test_a_stored_statement_page_shows_the_voter_s_own_answer(client, day):
    Client().post(step_url(1), {"answer": "disagree"})
    client.post(step_url(1), {"answer": "agree"})
    page = parse(client.get(step_url(1)).content.decode())
    pressed = [b.text for b in page.select("button.answer") if b.attrs["aria-pressed"] == "true"]
    assert pressed == ["Eens"]


def test_an_answer_on_the_day_is_there_when_coming_in_through_one_election(client, day):
    answer(client, "agree", "disagree")
    page = parse(client.get(reverse("quiz:statement", args=["europa", 2])).content.decode())
    pressed = [b.text for b in page.select("button.answer") if b.attrs["aria-pressed"] == "true"]
    assert pressed == ["Oneens"]


def test_an_unknown_step_or_day_is_not_found(client, day):
    assert client.get(step_url(5)).status_code == 404
    assert client.get(reverse("quiz:day", args=["geen-dag"])).status_code == 404


def test_a_draft_ballot_day_is_not_shown(client):
    ballot_day(status=Election.Status.DRAFT)
    assert client.get(reverse("quiz:day", args=[SLUG])).status_code == 404


def test_a_completion_counts_once_per_level(client, day):
    answer(client, "agree", "skip")
    result_page(client)
    result_page(client)
    assert Completion.objects.count() == 2
    assert sorted(Completion.objects.values_list("layout__election__slug", flat=True)) == [
        "europa",
        "kamer",
    ]


def test_a_voter_may_leave_the_statistics_before_the_result(client, day):
    answer(client, "agree", "skip")
    rounds = client.get(reverse("quiz:day-rounds", args=[SLUG])).content.decode()
    assert "Tel mijn antwoorden niet mee in de statistiek" in rounds
    response = client.post(reverse("quiz:day-rounds", args=[SLUG]), {"not_counted": "on"})
    assert response.url == reverse("quiz:day-result", args=[SLUG])
    assert _text(result_page(client), "h1") == "Je resultaat per verkiezing"
    assert Completion.objects.count() == 0
    rounds = client.get(reverse("quiz:day-rounds", args=[SLUG])).content.decode()
    assert (
        'name="not_counted" aria-describedby="not-counted-help" id="id_not_counted" checked'
        in rounds
    )


def test_going_to_the_result_through_the_form_counts_as_before(client, day):
    answer(client, "agree", "skip")
    client.post(reverse("quiz:day-rounds", args=[SLUG]))
    result_page(client)
    assert Completion.objects.count() == 2


def test_nothing_is_counted_before_the_shared_statements_are_answered(client, day):
    answer(client, "agree")
    result_page(client)
    assert Completion.objects.count() == 0


def share_url(client) -> str:
    page = result_page(client)
    [field] = page.select("#share-url")
    return field.attrs["value"].removeprefix("http://testserver")


def test_a_share_link_reproduces_the_result_for_anyone(client, day):
    answer(client, "agree", "skip")
    client.post(step_url(4), {"answer": "agree"})
    mine = levels(result_page(client))
    response = Client().get(share_url(client))
    assert response.status_code == 200
    assert levels(parse(response.content.decode())) == mine


def test_a_damaged_share_link_says_what_is_wrong(client, day):
    answer(client, "agree", "skip")
    url = share_url(client).replace("a=as", "a=xs")
    response = Client().get(url)
    assert response.status_code == 400
    assert _text(parse(response.content.decode()), ".error") == (
        "De link bevat een onbekend antwoord."
    )


def publish_day(status="draft"):
    day = ballot_day(status=Election.Status.DRAFT)
    publishing.publish_ballot_day(day, UserFactory(is_superuser=True))
    return day


def correct_federal_vooruit(django_capture_on_commit_callbacks):
    chamber = Election.objects.get(slug="kamer")
    with django_capture_on_commit_callbacks(execute=True):
        Stance.objects.filter(party__slug="vooruit", statement__order=1).update(position="agree")
        catalog.invalidate(chamber)
        publishing.record_correction(chamber, UserFactory(is_superuser=True), "Correctie")


def test_a_voter_finishes_on_the_versions_they_started(client, django_capture_on_commit_callbacks):
    publish_day()
    answer(client, "agree", "skip")
    started = share_url(client)
    correct_federal_vooruit(django_capture_on_commit_callbacks)
    assert levels(result_page(client))["Kamer"] == [("1. Groen", "100%"), ("2. Vooruit", "0%")]
    newcomer = Client()
    answer(newcomer, "agree", "skip")
    assert levels(result_page(newcomer))["Kamer"] == [("1. Groen", "100%"), ("1. Vooruit", "100%")]
    assert share_url(client) == started


def test_a_share_link_keeps_the_versions_it_was_made_on(client, django_capture_on_commit_callbacks):
    publish_day()
    answer(client, "agree", "skip")
    url = share_url(client)
    correct_federal_vooruit(django_capture_on_commit_callbacks)
    shared = levels(parse(Client().get(url).content.decode()))
    assert shared["Kamer"] == [("1. Groen", "100%"), ("2. Vooruit", "0%")]


def test_restarting_forgets_the_day_s_answers(client, day):
    answer(client, "agree", "agree")
    response = client.post(reverse("quiz:day-restart", args=[SLUG]))
    assert response.url == step_url(1)
    page = parse(client.get(reverse("quiz:day", args=[SLUG])).content.decode())
    assert _text(page, "a.button.primary") == "Start de stemhulp"


@pytest.mark.parametrize(
    ("language", "progress", "counts_for"),
    [
        (
            "fr",
            "Tour supplémentaire Europees Parlement : affirmation 1 / 1",
            "Compte seulement pour : Europees Parlement",
        ),
        (
            "en",
            "Extra round Europees Parlement: statement 1 / 1",
            "Counts only for: Europees Parlement",
        ),
    ],
)
def test_an_extra_round_speaks_the_voter_s_language(client, day, language, progress, counts_for):
    client.cookies["django_language"] = language
    page = parse(client.get(step_url(3)).content.decode())
    assert (_text(page, ".progress-text"), _text(page, ".counts-for")) == (progress, counts_for)


def test_an_election_of_the_day_offers_the_whole_day(client, day):
    page = parse(client.get(reverse("quiz:election", args=["kamer"])).content.decode())
    [link] = [a for a in page.select("p.notice a") if a.text == "Verkiezingen van 9 juni"]
    assert link.attrs["href"] == reverse("quiz:day", args=[SLUG])


def test_a_bad_answer_is_a_400_with_a_message(client, day):
    response = client.post(step_url(1), {"answer": "misschien"})
    assert response.status_code == 400
    assert parse(response.content.decode()).select_one("p.error").text


def test_with_htmx_the_last_shared_answer_leads_to_the_rounds(client, day):
    client.post(step_url(1), {"answer": "agree"})
    response = client.post(step_url(2), {"answer": "agree"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("quiz:day-rounds", args=[SLUG])


def test_the_rounds_page_says_how_far_each_round_is(client, day):
    answer(client, "agree", "agree")
    client.post(step_url(3), {"answer": "agree"})
    page = parse(client.get(reverse("quiz:day-rounds", args=[SLUG])).content.decode())
    assert _texts(page, ".card-link span") == [
        "1 van 1 extra stelling beantwoord",
        "0 van 1 extra stelling beantwoord",
    ]


@pytest.mark.parametrize("query", ["a=as--&v=0", "a=as-&v=0.0", "a=as--&v=0.x"])
def test_a_share_link_that_does_not_fit_the_day_is_a_400(client, day, query):
    response = client.get(f"{reverse('quiz:day-shared', args=[SLUG])}?{query}")
    assert response.status_code == 400


def test_the_result_costs_a_few_queries_per_level(client, day, django_assert_max_num_queries):
    earlier = Client()
    answer(earlier, "agree", "agree")
    result_page(earlier)
    answer(client, "disagree", "agree")
    with django_assert_max_num_queries(8):  # per level: savepoint, run token, completion, release
        page = result_page(client)
    assert len(page.select("section.level")) == 2
    assert Completion.objects.count() == 4


def test_a_level_answered_on_few_statements_says_so(client, day):
    answer(client, "agree", "skip")
    client.post(step_url(3), {"answer": "agree"})  # Europe: 2 of 3 answered, the Chamber 1 of 3
    [europe, chamber] = result_page(client).select("section.level")
    assert not europe.select(".few-answers")
    assert chamber.select_one(".few-answers").text == (
        "Let op: dit advies rust op weinig antwoorden, 1 van de 3 stellingen. "
        "Met minstens 2 antwoorden zegt het meer. Beantwoord meer stellingen"
    )
    link = chamber.select_one(".few-answers a")
    assert link.attrs["href"] == reverse("quiz:day-rounds", args=[SLUG])


def test_a_shared_day_result_invites_to_take_the_day(client, day):
    answer(client, "agree", "skip")
    page = parse(Client().get(share_url(client)).content.decode())
    [link] = page.select("p.notice a")
    assert (link.text, link.attrs["href"]) == (
        "Doe zelf de stemhulp",
        reverse("quiz:day", args=[SLUG]),
    )


def test_an_extra_round_not_taken_is_recorded_as_skipped(client, day):
    answer(client, "agree", "disagree")
    client.post(step_url(3), {"answer": "neutral"})  # Europe's round; the Chamber's not taken
    result_page(client)
    recorded = {
        c.layout.election.slug: [answer for answer, _ in codec.unpack_answers(bytes(c.answers))]
        for c in Completion.objects.select_related("layout__election")
    }
    assert recorded == {
        "europa": ["agree", "disagree", "neutral"],
        "kamer": ["agree", "disagree", "skip"],
    }


def test_the_result_as_text_has_each_level_and_the_link(client, day):
    answer(client, "agree", "skip")
    page = client.get(reverse("quiz:day-result", args=[SLUG])).content.decode()
    link = parse(page).select_one("#share-url").attrs["value"]
    summary = re.search(r'<textarea id="share-summary"[^>]*>(.*?)</textarea>', page, re.S)[1]
    assert html.unescape(summary).split("\n") == [
        "Mijn resultaat in de Stemhulp Verkiezingen van 9 juni",
        "",
        "Europees Parlement",
        "Ik gaf mijn mening over 1 van de 3 stellingen.",
        "1. Vooruit: 100% (1 stelling vergeleken)",
        "2. Volt: 0% (1 stelling vergeleken)",
        "",
        "Kamer",
        "Ik gaf mijn mening over 1 van de 3 stellingen.",
        "1. Groen: 100% (1 stelling vergeleken)",
        "2. Vooruit: 0% (1 stelling vergeleken)",
        "",
        f"Bekijk het resultaat: {link}",
    ]


def test_each_level_says_how_firmly_its_first_party_is_first(client, day):
    answer(client, "agree", "agree")
    page = result_page(client)
    assert [s.text for s in page.select("section.level .stability")] == [
        "Vooruit blijft bovenaan als we één van je antwoorden weglaten: in 1 van de 2 gevallen. "
        "Ook met de andere rekenmethoden staat Vooruit alleen bovenaan. Wat dit betekent",
        "Groen blijft bovenaan als we één van je antwoorden weglaten: in 1 van de 2 gevallen. "
        "Ook met de andere rekenmethoden staat Groen alleen bovenaan. Wat dit betekent",
    ]
