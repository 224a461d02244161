"""A validly signed session cookie whose content does not fit: the voter starts afresh."""

import pytest
from django.conf import settings
from django.contrib.sessions.serializers import JSONSerializer
from django.core import signing
from django.test import Client
from django.urls import reverse

from positions.publishing import record_correction
from tests.factories import ElectionFactory, StatementFactory

pytestmark = pytest.mark.django_db


def cookie_client(content) -> Client:
    """A browser holding a session cookie this server signed, with `content` inside."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = signing.dumps(
        content,
        compress=True,
        salt="django.contrib.sessions.backends.signed_cookies",
        serializer=JSONSerializer,
    )
    return client


def entry(**fields) -> dict:
    return {"quiz": {"test": fields}}


ODD_SESSIONS = {
    "session a list": [],
    "session a string": "quiz",
    "quiz a list": {"quiz": []},
    "quiz a string": {"quiz": "test"},
    "entry a list": {"quiz": {"test": []}},
    "entry a string": {"quiz": {"slug": "x", "test": "x"}},
    "unknown key": entry(slug="x"),
    "answers a list": entry(a=["agree"]),
    "an answer a list": entry(a={"1": ["agree"]}),
    "important a string": entry(i="1,2"),
    "important nested": entry(i=[[1], {"1": 1}]),
    "parties a string": entry(p="alfa"),
    "parties numbers": entry(p=[1, 2]),
    "parties nested": entry(p=[["alfa"]]),
    "recorded a string": entry(r="yes"),
    "run a number": entry(n=12),
    "version a string": entry(v="abc"),
    "version a float": entry(v=1.5),
    "version true": entry(v=True),
    "version too big": entry(v=10**30),
    "version negative": entry(v=-1),
    "version unknown": entry(v=987654),
    "seed a number": {"order_seed": 5},
    "seed a list": {"order_seed": [1, 2]},
    "seed an object": {"order_seed": {"a": 1}},
}


def pages(election) -> list[tuple]:
    """Every quiz page, as (method, URL name, arguments, data)."""
    first = str(election.statements.get(order=1).id)
    return [
        ("get", "quiz:home", [], {}),
        ("get", "quiz:election", ["test"], {}),
        ("get", "quiz:statement", ["test", 1], {}),
        ("post", "quiz:statement", ["test", 1], {"answer": "agree"}),
        ("get", "quiz:overview", ["test"], {}),
        ("post", "quiz:overview", ["test"], {"important": [first]}),
        ("get", "quiz:parties", ["test"], {}),
        ("post", "quiz:parties", ["test"], {"parties": ["alfa"]}),
        ("get", "quiz:result", ["test"], {}),
        ("get", "quiz:shared", ["test"], {"a": "aaa"}),
        ("post", "quiz:restart", ["test"], {}),
        ("get", "quiz:methodology", [], {}),
    ]


@pytest.fixture
def random_order(election):
    election.party_order = "random"
    election.save()
    return election


@pytest.mark.parametrize("content", ODD_SESSIONS.values(), ids=ODD_SESSIONS)
def test_an_odd_cookie_never_breaks_a_quiz_page(random_order, content):
    failing = []
    for method, name, args, data in pages(random_order):
        response = getattr(cookie_client(content), method)(reverse(name, args=args), data)
        if response.status_code not in (200, 302):
            failing.append((method, name, response.status_code))
    assert failing == []


def test_with_an_odd_cookie_the_voter_starts_afresh(election):
    client = cookie_client(entry(a=["agree"], i=[1]))
    page = client.get(reverse("quiz:overview", args=["test"])).content.decode()
    assert page.count("niet beantwoord") == 3


def test_the_answers_that_fit_are_kept_beside_an_odd_entry(election):
    statement = election.statements.get(order=1)
    client = cookie_client({"quiz": {"test": {"a": {str(statement.id): "agree"}}, "other": []}})
    page = client.get(reverse("quiz:election", args=["test"])).content.decode()
    assert reverse("quiz:statement", args=["test", 2]) in page


def test_a_cookie_naming_another_elections_version_gets_this_election(election, admin_user):
    other = ElectionFactory(slug="andere", parties=list(election.parties.all()))
    StatementFactory(election=other, order=1, text="Een stelling van de andere verkiezing.")
    version = record_correction(other, admin_user, "Gepubliceerd")
    response = cookie_client(entry(v=version.pk)).get(reverse("quiz:statement", args=["test", 1]))
    page = response.content.decode()
    assert "Een stelling van de andere verkiezing." not in page
    assert election.statements.get(order=1).text in page
