"""HTTP hygiene: HEAD wherever GET works, and errors that speak the language of their address."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

MATCH = reverse("quiz:api-match", args=["test"])
ROUTE_KWARGS = {"slug": "test", "number": 1}


def named_routes(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from named_routes(entry.url_patterns, entry.namespace or namespace)
        elif entry.name and namespace in ("quiz", "stats"):
            yield f"{namespace}:{entry.name}", list(entry.pattern.converters)


ROUTES = dict(named_routes(get_resolver().url_patterns))


@pytest.mark.parametrize("name", ROUTES)
def test_head_answers_like_get(client, election, name):
    url = reverse(name, kwargs={key: ROUTE_KWARGS[key] for key in ROUTES[name]})
    assert client.head(url).status_code == client.get(url).status_code


def test_every_page_a_voter_opens_answers_head(client, election):
    for name in ("quiz:home", "quiz:methodology"):
        assert client.head(reverse(name)).status_code == 200
    for name in ("quiz:election", "quiz:overview", "quiz:parties", "quiz:result"):
        assert client.head(reverse(name, args=["test"])).status_code == 200, name
    assert client.head(reverse("quiz:statement", args=["test", 1])).status_code == 200


def test_an_unknown_api_path_is_a_json_404(client, db):
    response = client.get("/api/elections/test/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"error": "path: no API endpoint at /api/elections/test/nothing-here"}


def test_the_bare_api_prefix_is_a_json_404(client, db):
    assert client.get("/api/").json()["error"].startswith("path: ")


def test_get_on_the_match_endpoint_is_a_json_405_naming_post(client, election):
    response = client.get(MATCH)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {"error": "method: GET is not allowed here, only POST"}


def test_post_on_a_read_only_endpoint_is_a_json_405(client, election):
    response = client.post(reverse("quiz:api-elections"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"].startswith("method: POST")


def test_an_oversized_body_is_a_json_413(client, election, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post(MATCH, '{"answers": {}}' + " " * 200, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"error": "body: larger than 100 bytes"}


def test_a_csrf_failure_under_api_is_json(election):
    response = Client(enforce_csrf_checks=True).post("/api/")
    assert response.status_code == 403
    assert response.json()["error"].startswith("csrf: ")


def test_a_csrf_failure_on_a_voter_page_says_to_reload(election):
    url = reverse("quiz:statement", args=["test", 1])
    response = Client(enforce_csrf_checks=True).post(url, {"answer": "agree"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Je sessie is verlopen" in page
    assert "laad de pagina opnieuw" in page


def test_a_csrf_failure_speaks_the_voters_language(election):
    url = reverse("quiz:statement", args=["test", 1])
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "fr"})
    page = client.post(url, {"answer": "agree"}).content.decode()
    assert '<html lang="fr">' in page
    assert "Votre session a expiré" in page


def test_a_csrf_failure_of_an_htmx_post_reloads_the_page(election):
    url = reverse("quiz:statement", args=["test", 1])
    client = Client(enforce_csrf_checks=True, headers={"HX-Request": "true"})
    response = client.post(url, {"answer": "agree"})
    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"


def test_after_a_csrf_failure_a_reload_can_answer(election):
    """The failure page hands out a fresh CSRF cookie: the voter's next try goes through."""
    url = reverse("quiz:statement", args=["test", 1])
    client = Client(enforce_csrf_checks=True)
    client.post(url, {"answer": "agree"})
    page = client.get(url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(url, {"answer": "agree", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_server_error_under_api_is_json(election, monkeypatch):
    def fail():
        raise RuntimeError("database gone")

    monkeypatch.setattr("positions.catalog.published_elections", fail)
    response = Client(raise_request_exception=False).get(reverse("quiz:api-elections"))
    assert response.status_code == 500
    assert response.json()["error"].startswith("server: ")


def test_a_voter_who_opens_a_button_address_gets_a_page(client, election):
    response = client.get(reverse("quiz:restart", args=["test"]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Deze pagina opent zo niet" in response.content.decode()


def test_an_oversized_form_on_a_voter_page_is_a_413_page(client, election, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    url = reverse("quiz:statement", args=["test", 1])
    response = client.post(url, {"answer": "agree", "filler": "x" * 200})
    assert response.status_code == 413
    assert "Dit verzoek kon Stemhulp niet lezen" in response.content.decode()
