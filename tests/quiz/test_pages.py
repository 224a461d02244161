"""Voter pages served from stored HTML: the same page as a fresh render, with its own CSRF token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from quiz import pages

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def statement_url(n, slug="test"):
    return reverse("quiz:statement", args=[slug, n])


def without_tokens(html: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


def test_voters_with_the_same_answer_get_the_same_statement_page(election):
    first, second = Client(), Client()
    for client in (first, second):
        client.post(statement_url(1), {"answer": "agree"})
    stored_before = len(pages.store)
    one = first.get(statement_url(1)).content.decode()
    two = second.get(statement_url(1)).content.decode()
    assert without_tokens(one) == without_tokens(two)
    assert len(pages.store) == stored_before + 1


def test_a_stored_page_shows_the_voters_own_answer(election):
    agreeing, disagreeing = Client(), Client()
    agreeing.post(statement_url(1), {"answer": "agree"})
    disagreeing.post(statement_url(1), {"answer": "disagree"})
    agreeing.get(statement_url(1))
    page = disagreeing.get(statement_url(1)).content.decode()
    assert re.search(r'value="disagree"[^>]*aria-pressed="true"', page)
    assert not re.search(r'value="agree"[^>]*aria-pressed="true"', page)


def test_every_response_carries_a_freshly_masked_csrf_token(client, election):
    tokens = {TOKEN.search(client.get(statement_url(1)).content.decode())[1] for _ in range(3)}
    assert len(tokens) == 3


def test_the_token_in_a_stored_page_is_accepted_by_the_csrf_check(election):
    client = Client(enforce_csrf_checks=True)
    client.get(statement_url(1))
    token = TOKEN.search(client.get(statement_url(1)).content.decode())[1]
    response = client.post(statement_url(1), {"answer": "agree", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_first_visit_gets_the_csrf_cookie_and_a_token_that_matches_it(election):
    client = Client(enforce_csrf_checks=True)
    response = client.get(reverse("quiz:home"))
    assert "csrftoken" in response.cookies
    assert "Cookie" in response["Vary"]
    page = client.get(statement_url(1)).content.decode()
    token = TOKEN.search(page)[1]
    response = client.post(statement_url(1), {"answer": "agree", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_browser_that_has_the_csrf_cookie_is_not_sent_it_again(election):
    client = Client()
    client.get(reverse("quiz:home"))
    response = client.get(reverse("quiz:home"))
    assert "csrftoken" not in response.cookies
    assert "Cookie" in response["Vary"]


def test_a_csrf_cookie_in_the_old_masked_form_is_replaced_by_its_secret(election):
    client = Client()
    client.cookies["csrftoken"] = "a" * 64
    response = client.get(reverse("quiz:home"))
    assert len(response.cookies["csrftoken"].value) == 32


def test_a_tampered_token_is_refused(election):
    client = Client(enforce_csrf_checks=True)
    client.get(statement_url(1))
    token = TOKEN.search(client.get(statement_url(1)).content.decode())[1]
    tampered = token[:-1] + ("a" if token[-1] != "a" else "b")
    response = client.post(statement_url(1), {"answer": "agree", "csrfmiddlewaretoken": tampered})
    assert response.status_code == 403


def test_htmx_gets_the_card_and_a_plain_request_the_whole_page(client, election):
    client.get(statement_url(1))
    card = client.get(statement_url(1), headers={"HX-Request": "true"}).content.decode()
    page = client.get(statement_url(1)).content.decode()
    assert not card.startswith("<!doctype html>")
    assert page.startswith("<!doctype html>")


def test_text_from_editors_is_escaped_in_stored_result_rows(client, election):
    stance = election.statements.get(order=1).stances.get(party__slug="bravo")
    stance.explanation = "<script>alert(1)</script> & meer"
    stance.save()
    for n in (1, 2, 3):
        client.post(statement_url(n), {"answer": "agree"})
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer" in page
    assert "<script>alert(1)" not in page


def test_the_share_text_of_a_stored_result_is_escaped(client, election):
    election.name = "Test <b>vet</b>"
    election.save()
    for n in (1, 2, 3):
        client.post(statement_url(n), {"answer": "agree"})
    page = client.get(reverse("quiz:result", args=["test"])).content.decode()
    summary = re.search(r'<textarea id="share-summary"[^>]*>(.*?)</textarea>', page, re.S)[1]
    assert summary.startswith("Mijn resultaat in de Stemhulp Test &lt;b&gt;vet&lt;/b&gt;")


def test_two_voters_see_their_own_ranking_from_shared_rows(election):
    """Alfa agrees with every statement, Bravo disagrees, Charlie has no stance."""
    agreeing, disagreeing = Client(), Client()
    for n in (1, 2, 3):
        agreeing.post(statement_url(n), {"answer": "agree"})
        disagreeing.post(statement_url(n), {"answer": "disagree"})
    url = reverse("quiz:result", args=["test"])
    first = re.findall(r'class="party-name">([^<]+)<', agreeing.get(url).content.decode())
    second = re.findall(r'class="party-name">([^<]+)<', disagreeing.get(url).content.decode())
    assert first == ["Alfa", "Bravo", "Charlie"]
    assert second == ["Bravo", "Alfa", "Charlie"]


def test_the_store_forgets_the_oldest_pages_beyond_its_size():
    store = pages.HtmlStore(max_bytes=10)
    store.set("a", "12345")
    store.set("b", "12345")
    store.set("c", "12345")
    assert store.get("a") is None
    assert store.get("b") == store.get("c") == "12345"
    assert store.size == 10


@pytest.mark.parametrize("page", ["quiz:home", "quiz:election"])
def test_a_page_stored_apart_for_htmx_says_it_varies_on_hx_request(client, election, page):
    url = reverse(page, args=[] if page == "quiz:home" else [election.slug])
    plain = client.get(url)
    htmx = client.get(url, headers={"HX-Request": "true"})
    assert "HX-Request" in plain["Vary"]
    assert "HX-Request" in htmx["Vary"]
