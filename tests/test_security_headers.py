"""Content-Security-Policy without 'unsafe-inline', Permissions-Policy, and voter pages that
need no inline script or style to work under them."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: style attributes, event-handler attributes,
    `<style>` elements and scripts without `src`."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if "style" in names:
            self.found.append(f"<{tag} style>")
        self.found += [f"<{tag} {name}>" for name in names if name.startswith("on")]
        if tag == "style" or (tag == "script" and not names.get("src")):
            self.found.append(f"<{tag}> inline")


def inline_code(page: str) -> list[str]:
    parser = InlineCode()
    parser.feed(page)
    return parser.found


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in header.split(";"))


def voter_pages(client) -> dict[str, str]:
    """Every kind of page a voter sees, after answering the whole quiz."""
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    urls = {
        "home": reverse("quiz:home"),
        "election": reverse("quiz:election", args=["test"]),
        "statement": reverse("quiz:statement", args=["test", 2]),
        "overview": reverse("quiz:overview", args=["test"]),
        "parties": reverse("quiz:parties", args=["test"]),
        "result": reverse("quiz:result", args=["test"]),
        "shared result": reverse("quiz:shared", args=["test"]) + "?a=adn",
        "shared link broken": reverse("quiz:shared", args=["test"]) + "?a=x",
        "methode": reverse("quiz:methodology"),
        "not found": "/geen-verkiezing/",
    }
    return {name: client.get(url) for name, url in urls.items()}


def test_voter_pages_have_no_inline_script_or_style(client, landscape):
    pages = voter_pages(client)
    assert {name: inline_code(r.content.decode()) for name, r in pages.items()} == {
        name: [] for name in pages
    }


def test_voter_pages_send_a_policy_without_unsafe_inline(client, landscape):
    for name, response in voter_pages(client).items():
        assert "-attr" not in response["Content-Security-Policy"], name
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name


def test_the_policy_allows_only_this_sites_scripts_and_styles(client, db):
    policy = directives(client.get(reverse("quiz:home")))
    assert (policy["script-src"], policy["style-src"]) == ("'self'", "'self'")
    assert (policy["object-src"], policy["frame-ancestors"]) == ("'none'", "'none'")


def test_the_admin_alone_may_use_style_attributes(admin_client):
    policy = directives(admin_client.get(reverse("admin:index")))
    assert policy["style-src-attr"] == "'unsafe-inline'"
    assert (policy["script-src"], policy["style-src"]) == ("'self'", "'self'")
    assert policy["script-src-attr"].startswith("'unsafe-hashes' 'sha256-")


def test_the_api_sends_the_policy_too(client, election):
    assert (
        "default-src 'self'" in client.get(reverse("quiz:api-elections"))["Content-Security-Policy"]
    )


def test_camera_microphone_and_location_are_off(client, db):
    policy = client.get(reverse("quiz:home"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_a_changed_policy_setting_takes_effect(client, db, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get(reverse("quiz:home"))["Content-Security-Policy"] == "default-src 'none'"


def test_the_csrf_failure_page_works_under_the_policy(election):
    url = reverse("quiz:statement", args=["test", 1])
    response = Client(enforce_csrf_checks=True).post(url, {"answer": "agree"})
    assert response.status_code == 403
    assert inline_code(response.content.decode()) == []
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert 'href="/static/css/stemhulp' in response.content.decode()
