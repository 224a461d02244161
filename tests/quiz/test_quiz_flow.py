import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from positions import catalog
from positions.models import Election
from stats.models import Completion
from tests.factories import ElectionFactory, PartyFactory, StanceFactory, StatementFactory
from tests.pages import parse, places, ranking, text, texts, unranked

pytestmark = pytest.mark.django_db


def statement_url(n, slug="test"):
    return reverse("quiz:statement", args=[slug, n])


def answer_all(client, answers, slug="test"):
    for n, answer in enumerate(answers, 1):
        client.post(statement_url(n, slug), {"answer": answer})


def test_home_lists_only_published_elections(client, election):
    ElectionFactory(name="Geheime verkiezing", status=Election.Status.DRAFT)
    page = client.get("/").content.decode()
    assert "Testverkiezing" in page
    assert "Geheime verkiezing" not in page


def test_draft_election_is_not_found(client):
    draft = ElectionFactory(status=Election.Status.DRAFT)
    assert client.get(reverse("quiz:election", args=[draft.slug])).status_code == 404
    assert client.get(statement_url(1, draft.slug)).status_code == 404


def test_statement_page_shows_text_theme_and_progress(client, election):
    page = client.get(statement_url(2)).content.decode()
    assert text(page, "#statement-text") == election.statements.get(order=2).text
    assert text(page, ".theme") == "Wonen"
    assert text(page, ".progress-text") == "Stelling 2 / 3"


def test_unknown_statement_number_is_not_found(client, election):
    assert client.get(statement_url(4)).status_code == 404


def test_answer_without_javascript_redirects_to_next_statement(client, election):
    response = client.post(statement_url(1), {"answer": "agree"})
    assert response.status_code == 302
    assert response.url == statement_url(2)


def test_last_answer_redirects_to_overview(client, election):
    answer_all(client, ["agree", "agree"])
    response = client.post(statement_url(3), {"answer": "skip"})
    assert response.url == reverse("quiz:overview", args=["test"])


def test_invalid_answer_is_a_400_with_a_message(client, election):
    response = client.post(statement_url(1), {"answer": "misschien"})
    assert response.status_code == 400
    assert "Kies eens, neutraal, oneens" in response.content.decode()


def test_htmx_answer_returns_next_card_fragment_and_pushes_url(client, election):
    response = client.post(statement_url(1), {"answer": "agree"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Stelling 2 / 3" in body
    assert "<html" not in body
    assert response["HX-Push-Url"] == statement_url(2)
    assert "HX-Request" in response["Vary"]


def test_htmx_last_answer_redirects_client_to_overview(client, election):
    answer_all(client, ["agree", "agree"])
    response = client.post(statement_url(3), {"answer": "agree"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("quiz:overview", args=["test"])


def test_going_back_shows_the_answer_given(client, election):
    client.post(statement_url(1), {"answer": "disagree"})
    page = client.get(statement_url(1)).content.decode()
    assert 'value="disagree" class="answer disagree" aria-pressed="true"' in page


def test_changing_an_answer_changes_the_result(client, election):
    answer_all(client, ["agree", "agree", "agree"])
    client.post(statement_url(1), {"answer": "disagree"})
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    # Alfa agrees with all three, Bravo disagrees: each now shares two of the three answers.
    assert ranking(page) == [("Alfa", "67%"), ("Bravo", "33%"), ("Charlie", "–")]


def test_statement_step_does_no_database_query_once_cached(
    client, election, django_assert_num_queries
):
    catalog.published_election("test")
    with django_assert_num_queries(0):
        shown = client.get(statement_url(1))
        answered = client.post(statement_url(1), {"answer": "agree", "important": "1"})
        swapped = client.post(
            statement_url(2), {"answer": "neutral"}, headers={"HX-Request": "true"}
        )
    assert shown.status_code == 200
    assert answered.url == statement_url(2)
    assert text(swapped.content, ".progress-text") == "Stelling 3 / 3"


def test_overview_saves_important_statements(client, election):
    answer_all(client, ["agree", "agree", "agree"])
    s1 = election.statements.get(order=1)
    response = client.post(reverse("quiz:overview", args=["test"]), {"important": [s1.id]})
    assert response.url == reverse("quiz:parties", args=["test"])
    page = parse(client.get(reverse("quiz:overview", args=["test"])).content)
    boxes = page.select("ol.overview input")
    assert [box.attrs["value"] for box in boxes if "checked" in box.attrs] == [str(s1.id)]
    assert len(boxes) == 3


def test_overview_rejects_an_unknown_statement(client, election):
    response = client.post(reverse("quiz:overview", args=["test"]), {"important": ["999999"]})
    assert response.status_code == 400


def test_choosing_no_party_is_a_form_error(client, election):
    response = client.post(reverse("quiz:parties", args=["test"]), {})
    assert response.status_code == 400
    assert "Kies minstens één partij." in response.content.decode()


def test_result_ranks_parties_and_shows_sources(client, election):
    answer_all(client, ["agree", "agree", "agree"])
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert ranking(page) == [("Alfa", "100%"), ("Bravo", "0%"), ("Charlie", "–")]
    assert texts(page, ".rank p.muted") == [
        "3 stellingen vergeleken",
        "3 stellingen vergeleken",
        "0 stellingen vergeleken",
    ]
    alfa, _, charlie = texts(page, ".rank table.comparison")
    assert "Wij willen meer sociale huurwoningen." in alfa
    assert "Programma Alfa, regel 1" in alfa
    assert charlie.count("geen standpunt") == 3


def test_result_numbers_the_ranked_parties_and_shows_the_rest_apart(client, election):
    answer_all(client, ["agree", "agree", "agree"])
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert places(page) == [("1.", "Alfa"), ("2.", "Bravo")]
    assert text(page, "#unranked-heading") == "Te weinig vergeleken om te rangschikken"
    assert unranked(page) == [("Charlie", "0 stellingen vergeleken")]
    assert "samen op" not in page


def test_a_tie_shares_its_place_and_is_said_in_words(client, election):
    answer_all(client, ["agree", "disagree", "neutral"])
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert places(page) == [("1.", "Alfa"), ("1.", "Bravo")]
    assert text(page, "p.notice") == "Alfa en Bravo staan samen op de eerste plaats."


def test_a_stored_result_page_never_shows_another_voters_tie(client, election):
    answer_all(client, ["agree", "agree", "agree"])
    assert "samen op" not in client.get(reverse("quiz:result", args=["test"])).content.decode()
    other = Client()
    answer_all(other, ["agree", "disagree", "neutral"])
    page = other.get(reverse("quiz:result", args=["test"])).content.decode()
    assert places(page) == [("1.", "Alfa"), ("1.", "Bravo")]
    assert text(page, "p.notice") == "Alfa en Bravo staan samen op de eerste plaats."


def test_a_party_below_the_threshold_is_shown_apart_with_its_score(client, election):
    delta = PartyFactory(name="Delta", short_name="D", slug="delta")
    election.parties.add(delta)
    StanceFactory(statement=election.statements.get(order=1), party=delta, position="agree")
    answer_all(client, ["agree", "agree", "agree"])
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert places(page) == [("1.", "Alfa"), ("2.", "Bravo")]
    assert unranked(page) == [
        ("Delta", "vergeleken op 1 van je 3 antwoorden: te weinig om te rangschikken"),
        ("Charlie", "0 stellingen vergeleken"),
    ]
    assert ("Delta", "100%") in ranking(page)


def test_the_threshold_is_the_elections(client, election):
    delta = PartyFactory(name="Delta", short_name="D", slug="delta")
    election.parties.add(delta)
    StanceFactory(statement=election.statements.get(order=1), party=delta, position="agree")
    election.ranking_threshold = "0.30"
    election.save()
    answer_all(client, ["agree", "agree", "agree"])
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert places(page) == [("1.", "Alfa"), ("1.", "Delta"), ("3.", "Bravo")]
    assert "minstens 30% van de stellingen" in page


def test_the_result_in_french_says_why_a_party_is_not_ranked(client, election):
    delta = PartyFactory(name="Delta", short_name="D", slug="delta")
    election.parties.add(delta)
    StanceFactory(statement=election.statements.get(order=1), party=delta, position="agree")
    answer_all(client, ["agree", "disagree", "neutral"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert text(page, "#unranked-heading") == "Trop peu comparés pour être classés"
    assert unranked(page)[0] == (
        "Delta",
        "comparé sur 1 de tes 3 réponses : trop peu pour être classé",
    )
    assert text(page, "p.notice") == "Alfa et Bravo partagent la première place."


def test_result_only_shows_chosen_parties(client, election):
    answer_all(client, ["agree", "agree", "agree"])
    client.post(reverse("quiz:parties", args=["test"]), {"parties": ["bravo"]})
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert ranking(page) == [("Bravo", "0%")]


def test_restart_forgets_the_answers(client, election):
    answer_all(client, ["agree", "agree", "agree"])
    client.post(reverse("quiz:restart", args=["test"]))
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert "Je gaf je mening over 0 van de 3 stellingen." in page


def test_election_page_offers_to_continue_where_the_voter_was(client, election):
    client.post(statement_url(1), {"answer": "agree"})
    page = client.get(reverse("quiz:election", args=["test"])).content.decode()
    assert f'href="{statement_url(2)}">Verder waar je was' in page


def test_methodology_page_documents_the_three_methods(client, db):
    page = client.get(reverse("quiz:methodology")).content.decode()
    for heading in ("Overeenstemming", "Cityblock-afstand", "Euclidische afstand"):
        assert heading in page


@pytest.mark.parametrize(
    ("language", "rule"),
    [
        ("nl", "op minstens de helft van de stellingen die je beantwoordde"),
        ("fr", "sur au moins la moitié des affirmations auxquelles tu as répondu"),
        ("en", "on at least half of the statements you answered"),
    ],
)
def test_methodology_page_states_the_ranking_rule(client, db, language, rule):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    rules = texts(client.get(reverse("quiz:methodology")).content, "li")
    assert any(rule in item for item in rules)
    assert any("1, 1, 3" in item for item in rules)


def test_edit_of_a_published_election_is_visible_on_the_next_request(
    client, election, django_capture_on_commit_callbacks
):
    client.get(statement_url(1))
    statement = election.statements.get(order=1)
    statement.text = "Een nieuwe formulering."
    with django_capture_on_commit_callbacks(execute=True):
        statement.save()
    assert "Een nieuwe formulering." in client.get(statement_url(1)).content.decode()


def test_unpublishing_hides_the_election_at_once(
    client, election, django_capture_on_commit_callbacks
):
    assert client.get(statement_url(1)).status_code == 200
    election.status = Election.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        election.save()
    assert client.get(statement_url(1)).status_code == 404


def test_adding_a_statement_extends_the_quiz(client, election, django_capture_on_commit_callbacks):
    client.get(statement_url(1))
    with django_capture_on_commit_callbacks(execute=True):
        StatementFactory(election=election, order=4)
    assert "Stelling 1 / 4" in client.get(statement_url(1)).content.decode()


def test_result_page_costs_two_inserts_whatever_the_size(
    client, election, django_assert_max_num_queries
):
    for n in range(4, 21):
        StatementFactory(election=election, order=n)
    earlier_voter = Client()
    answer_all(earlier_voter, ["disagree"] * 20)
    earlier_voter.get(reverse("quiz:result", args=["test"]))
    answer_all(client, ["agree"] * 20)
    assert Completion.objects.count() == 1
    with django_assert_max_num_queries(4):  # savepoint, run token and completion, release
        response = client.get(reverse("quiz:result", args=["test"]))
    assert ranking(response.content) == [("Alfa", "100%"), ("Bravo", "0%"), ("Charlie", "–")]
    assert Completion.objects.count() == 2
    with django_assert_max_num_queries(0):
        again = client.get(reverse("quiz:result", args=["test"]))
    assert ranking(again.content) == ranking(response.content)


def test_an_unknown_page_says_so_in_dutch(client, db):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()
