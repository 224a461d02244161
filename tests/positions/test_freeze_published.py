"""`freeze_published`: the demo fixture gets a frozen version, and share links name it."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from positions.models import Election

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


def load_demo() -> str:
    call_command("loaddata", DEMO, verbosity=0)
    out = StringIO()
    call_command("freeze_published", stdout=out)
    return out.getvalue()


def test_the_demo_fixture_is_published_with_a_frozen_version(client):
    assert load_demo() == "voorbeeldstad: version 1\n"
    election = Election.objects.get(slug="voorbeeldstad")
    assert election.published_version.number == 1
    client.post(reverse("quiz:statement", args=["voorbeeldstad", 1]), {"answer": "agree"})
    page = client.get(reverse("quiz:result", args=["voorbeeldstad"])).content.decode()
    assert f"v={election.published_version.pk}" in page


def test_loading_the_demo_again_publishes_the_same_version():
    load_demo()
    assert load_demo() == ""
    election = Election.objects.get(slug="voorbeeldstad")
    assert election.versions.count() == 1
    assert election.published_version.number == 1


def test_a_changed_demo_gets_a_new_version():
    load_demo()
    Election.objects.filter(slug="voorbeeldstad").update(name="Voorbeeldstad 2")
    out = StringIO()
    call_command("freeze_published", stdout=out)
    assert out.getvalue() == "voorbeeldstad: version 2\n"


def test_a_draft_election_is_not_frozen():
    call_command("loaddata", DEMO, verbosity=0)
    Election.objects.filter(slug="voorbeeldstad").update(status=Election.Status.DRAFT)
    call_command("freeze_published", stdout=StringIO())
    assert not Election.objects.get(slug="voorbeeldstad").versions.exists()
