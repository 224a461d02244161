"""A contact reaches its own round and nothing else; everyone else is kept out."""

import pytest
from django.urls import reverse

from parties import answering
from parties.answering import Submission
from parties.models import Answer, AnswerStatus, Comment
from positions.importing import import_manifesto
from positions.models import Statement
from tests.factories import (
    AcceptedContactFactory,
    ContactFactory,
    PartyFactory,
    RoundFactory,
    StatementFactory,
    UserFactory,
    ballot_day,
)
from tests.parties.conftest import statements

pytestmark = pytest.mark.django_db

SECRET = "Bravo wil de belasting verdubbelen."


@pytest.fixture
def bravo_round(party_round):
    """Party Bravo in the same election, with an answer, a contested thread and a programme."""
    bravo = PartyFactory(name="Bravo", short_name="B", slug="bravo")
    round_ = RoundFactory(election=party_round.election, party=bravo)
    import_manifesto(bravo, f"{SECRET}\n", title="Programma Bravo")
    statement = statements(round_)[0]
    answer = Answer.objects.create(
        round=round_,
        statement=statement,
        position="none",
        explanation=SECRET,
        status=AnswerStatus.CONTESTED,
    )
    Comment.objects.create(answer=answer, by_party=False, text=SECRET)
    ContactFactory(round=round_)
    return round_


PAGES = ["parties:home", "parties:submit", "parties:programmes"]


def test_nothing_of_another_partys_round_shows(party_client, bravo_round):
    urls = [reverse(name) for name in PAGES]
    urls += [reverse("parties:statement", args=[s.pk]) for s in statements(bravo_round)]
    urls.append(
        reverse("parties:statement", args=[statements(bravo_round)[0].pk]) + "?woorden=belasting"
    )
    for url in urls:
        text = party_client.get(url).content.decode()
        assert SECRET not in text and "Bravo" not in text, url


def test_a_statement_of_another_election_is_a_404(party_client, party_round):
    other = RoundFactory()
    statement = StatementFactory(election=other.election)
    url = reverse("parties:statement", args=[statement.pk])
    assert party_client.get(url).status_code == 404
    assert party_client.post(url, {"position": "none"}).status_code == 404
    assert (
        party_client.post(reverse("parties:reply", args=[statement.pk]), {"text": "x"}).status_code
        == 404
    )
    assert not Answer.objects.filter(statement=statement).exists()


def test_another_partys_programme_cannot_be_quoted(party_client, bravo_round, party_round):
    document = bravo_round.party.documents.get()
    response = party_client.post(
        reverse("parties:statement", args=[statements(party_round)[0].pk]),
        {"position": "agree", "explanation": "x", "document": document.pk, "quote": SECRET},
    )
    assert response.status_code == 400
    assert "Programma Bravo" not in response.content.decode()
    assert not Answer.objects.filter(round=party_round).exists()


def test_another_partys_passage_cannot_be_used(party_client, bravo_round, party_round):
    passage = bravo_round.party.documents.get().passages.get()
    url = reverse("parties:statement", args=[statements(party_round)[0].pk])
    text = party_client.get(url, {"gebruik": passage.pk}).content.decode()
    assert SECRET not in text


def test_posting_reaches_only_the_own_round(party_client, bravo_round, party_round):
    statement = statements(party_round)[0]
    party_client.post(reverse("parties:statement", args=[statement.pk]), {"position": "none"})
    party_client.post(reverse("parties:reply", args=[statement.pk]), {"text": "Hallo"})
    for s in statements(party_round):
        answering.save_answer(party_round, s, None, Submission(position="none"))
    party_client.post(reverse("parties:submit"))
    bravo_answer = Answer.objects.get(round=bravo_round)
    assert bravo_answer.status == AnswerStatus.CONTESTED
    assert list(bravo_answer.comments.values_list("text", flat=True)) == [SECRET]
    bravo_round.refresh_from_db()
    assert bravo_round.submitted_at is None


def test_a_contact_cannot_reach_the_admin(party_client):
    response = party_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_go_to_the_login_page(client, party_round, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("parties:login") + "?next=")


def test_anonymous_posts_change_nothing(client, party_round):
    statement = statements(party_round)[0]
    response = client.post(reverse("parties:statement", args=[statement.pk]), {"position": "none"})
    assert response.status_code == 302
    assert not Answer.objects.exists()


@pytest.mark.parametrize("name", PAGES)
def test_an_editor_gets_a_403_on_party_pages(client, party_round, name):
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_an_account_without_a_round_gets_a_403(client, party_round):
    client.force_login(UserFactory(is_staff=False))
    assert client.get(reverse("parties:home")).status_code == 403


def test_a_round_reaches_the_statements_shared_with_its_election_only(client):
    day = ballot_day(status="draft")
    europe = day.elections.get(slug="europa")
    round_ = RoundFactory(election=europe, party=europe.parties.get(slug="volt"))
    client.force_login(AcceptedContactFactory(round=round_).user)
    shared, own = Statement.objects.get(order=1), Statement.objects.get(order=3)
    chamber_only = Statement.objects.get(order=4)
    for statement in (shared, own):
        url = reverse("parties:statement", args=[statement.pk])
        assert client.get(url).status_code == 200
    response = client.post(reverse("parties:statement", args=[shared.pk]), {"position": "none"})
    assert response.status_code == 302
    assert client.get(reverse("parties:statement", args=[chamber_only.pk])).status_code == 404


def test_the_partys_pages_are_never_stored_by_a_browser_or_proxy(party_client):
    response = party_client.get(reverse("parties:home"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
