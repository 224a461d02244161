"""An election that leaves its ballot day takes its statements with it and no longer asks the
other elections' statements: the sharing across days is taken away, on the day's page, on the
election's page and when the day is deleted; refused while a published election asks them."""

import pytest
from django.urls import reverse

from positions.models import BallotDay, Election, Statement
from tests.factories import BallotDayFactory, ballot_day
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


def shares() -> set[tuple[str, str]]:
    """Each (statement title, election slug) a statement is shared with."""
    rows = Statement.shared_with.through.objects.values_list("statement__title", "election__slug")
    return set(rows)


def asked(slug: str) -> list[str]:
    election = Election.objects.get(slug=slug)
    statements = Statement.objects.for_election(election).order_by("order")
    return list(statements.values_list("title", flat=True))


@pytest.fixture
def day(db) -> BallotDay:
    """A draft day: the Chamber's statements 1 and 2 are shared with Europe."""
    day = ballot_day(status=Election.Status.DRAFT)
    assert shares() == {("Gedeeld een", "europa"), ("Gedeeld twee", "europa")}
    return day


def day_url(day) -> str:
    return reverse("admin:positions_ballotday_change", args=[day.pk])


def post_day(client, day, elections):
    data = {**_change_form_data(client.get(day_url(day))), "elections": elections}
    return client.post(day_url(day), data)


def test_an_election_taken_off_the_day_on_its_page_is_unshared(admin_client, day):
    europe = Election.objects.get(slug="europa")
    kamer = Election.objects.get(slug="kamer")
    assert post_day(admin_client, day, [kamer.pk]).status_code == 302
    assert Election.objects.get(slug="europa").ballot_day is None
    assert shares() == set()
    assert asked("europa") == ["Alleen Europa"]
    assert europe.pk not in Statement.objects.get(order=1).shared_with.values_list("pk", flat=True)


def test_the_home_election_taken_off_the_day_takes_its_statements_along(admin_client, day):
    europe = Election.objects.get(slug="europa")
    assert post_day(admin_client, day, [europe.pk]).status_code == 302
    assert shares() == set()
    assert asked("kamer") == ["Gedeeld een", "Gedeeld twee", "Alleen Kamer"]
    assert asked("europa") == ["Alleen Europa"]


def test_an_election_moved_to_another_day_on_its_page_is_unshared(admin_client, day):
    europe = Election.objects.get(slug="europa")
    other = BallotDayFactory(name="Andere dag", slug="andere-dag")
    url = reverse("admin:positions_election_change", args=[europe.pk])
    data = {**_change_form_data(admin_client.get(url)), "ballot_day": str(other.pk)}
    assert admin_client.post(url, data).status_code == 302
    assert shares() == set()


def test_an_election_taken_off_its_day_on_its_page_is_unshared(admin_client, day):
    kamer = Election.objects.get(slug="kamer")
    url = reverse("admin:positions_election_change", args=[kamer.pk])
    data = {**_change_form_data(admin_client.get(url)), "ballot_day": ""}
    assert admin_client.post(url, data).status_code == 302
    assert shares() == set()


def test_elections_moving_together_to_a_new_day_keep_their_sharing(admin_client, day):
    europe, kamer = Election.objects.get(slug="europa"), Election.objects.get(slug="kamer")
    response = admin_client.post(
        reverse("admin:positions_ballotday_add"),
        {
            "name": "Nieuwe dag",
            "slug": "nieuwe-dag",
            "date": "2024-06-09",
            "elections": [europe.pk, kamer.pk],
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert len(shares()) == 2


def test_an_unrelated_edit_of_the_day_keeps_the_sharing(admin_client, day):
    both = list(day.elections.values_list("pk", flat=True))
    assert post_day(admin_client, day, both).status_code == 302
    assert len(shares()) == 2


def test_deleting_the_day_unshares_its_elections(admin_client, day):
    url = reverse("admin:positions_ballotday_delete", args=[day.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert shares() == set()


@pytest.mark.parametrize("published", ["europa", "kamer"])
def test_moving_an_election_that_shares_with_a_published_one_is_refused(
    admin_client, day, published
):
    Election.objects.filter(slug=published).update(status=Election.Status.PUBLISHED)
    kamer = Election.objects.get(slug="kamer")
    response = post_day(admin_client, day, [kamer.pk])
    assert response.status_code == 200
    assert "Haal het delen eerst weg op de stelling zelf" in response.content.decode()
    assert Election.objects.get(slug="europa").ballot_day_id == day.pk
    assert len(shares()) == 2


def test_taking_a_published_election_off_its_day_on_its_page_is_refused(admin_client, day):
    Election.objects.filter(slug="europa").update(status=Election.Status.PUBLISHED)
    europe = Election.objects.get(slug="europa")
    url = reverse("admin:positions_election_change", args=[europe.pk])
    data = {**_change_form_data(admin_client.get(url)), "ballot_day": ""}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Haal het delen eerst weg op de stelling zelf" in response.content.decode()
    assert len(shares()) == 2


def test_a_day_whose_published_election_shares_statements_cannot_be_deleted(admin_client, day):
    Election.objects.filter(slug="europa").update(status=Election.Status.PUBLISHED)
    url = reverse("admin:positions_ballotday_delete", args=[day.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert len(shares()) == 2
