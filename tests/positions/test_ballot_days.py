"""Editors and ballot days: grouping elections, sharing statements, one gate for the day,
corrections per election."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from positions import catalog, publishing, workflow
from positions.models import BallotDay, Election, Party, Stance, Statement
from tests.factories import (
    BallotDayFactory,
    ElectionFactory,
    StatementFactory,
    UserFactory,
    ballot_day,
)
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def eindredacteur(client):
    client.force_login(UserFactory(role="Eindredacteur"))
    return client


def draft_day(**kwargs) -> BallotDay:
    return ballot_day(status=Election.Status.DRAFT, **kwargs)


def versions() -> dict[str, int]:
    return {
        e.slug: e.published_version.number if e.published_version else None
        for e in Election.objects.select_related("published_version")
    }


def test_an_election_asks_its_own_statements_and_those_shared_with_it(db):
    draft_day()
    europe = Election.objects.get(slug="europa")
    titles = list(
        Statement.objects.for_election(europe).order_by("order").values_list("title", flat=True)
    )
    assert titles == ["Gedeeld een", "Gedeeld twee", "Alleen Europa"]
    assert list(europe.statements.values_list("title", flat=True)) == ["Alleen Europa"]


def test_a_stance_on_a_shared_statement_belongs_to_the_elections_its_party_runs_in(db):
    draft_day()
    europe = Election.objects.get(slug="europa")
    parties = set(Stance.objects.for_election(europe).values_list("party__slug", flat=True))
    assert parties == {"vooruit-europa", "volt"}


def test_publishing_a_day_publishes_all_its_elections(db):
    day = draft_day()
    versions_made = publishing.publish_ballot_day(day, UserFactory(is_superuser=True))
    assert len(versions_made) == 2
    assert versions() == {"europa": 1, "kamer": 1}
    day.refresh_from_db()
    assert day.status == BallotDay.Status.PUBLISHED
    assert catalog.published_ballot_day(day.slug).elections == ("europa", "kamer")


def test_one_open_point_in_one_election_publishes_nothing(db):
    day = draft_day()
    Stance.objects.filter(party__slug="groen", statement__order=4).update(review_status="submitted")
    with pytest.raises(workflow.NotAllowed, match=r"Kamer \(1 punt\(en\) open\)"):
        publishing.publish_ballot_day(day, UserFactory(is_superuser=True))
    assert versions() == {"europa": None, "kamer": None}
    day.refresh_from_db()
    assert day.status == BallotDay.Status.DRAFT


def test_a_missing_stance_on_a_shared_statement_blocks_the_election_of_its_party(db):
    day = draft_day()
    Stance.objects.filter(party__slug="volt", statement__order=1).delete()
    with pytest.raises(workflow.NotAllowed, match=r"^Nog niet klaar om te publiceren: Europees"):
        publishing.publish_ballot_day(day, UserFactory(is_superuser=True))


def test_only_an_eindredacteur_publishes_a_day(db):
    with pytest.raises(workflow.NotAllowed):
        publishing.publish_ballot_day(draft_day(), UserFactory(role="Redacteur"))


def correct(client, obj, **changes):
    admin = "stance" if isinstance(obj, Stance) else "statement"
    url = reverse(f"admin:positions_{admin}_change", args=[obj.pk])
    data = {**_change_form_data(client.get(url)), **changes}
    return client.post(url, data, follow=True)


def test_correcting_a_stance_freezes_a_new_version_of_its_own_election_only(eindredacteur):
    publishing.publish_ballot_day(draft_day(), UserFactory(is_superuser=True))
    stance = Stance.objects.get(party__slug="vooruit", statement__order=1)
    response = correct(eindredacteur, stance, explanation="Gecorrigeerd.")
    assert "Correctie vastgelegd: kiezers zien nu versie 2." in response.content.decode()
    assert versions() == {"europa": 1, "kamer": 2}


def test_correcting_a_shared_statement_freezes_each_election_that_asks_it(eindredacteur):
    publishing.publish_ballot_day(draft_day(), UserFactory(is_superuser=True))
    statement = Statement.objects.get(order=1)
    response = correct(eindredacteur, statement, text="Eerst gedeeld, verbeterd.")
    page = response.content.decode()
    assert "Correctie vastgelegd: kiezers van Kamer zien nu versie 2." in page
    assert "Correctie vastgelegd: kiezers van Europees Parlement zien nu versie 2." in page
    europe = catalog.published_election("europa")
    assert europe.statement(1).text == "Eerst gedeeld, verbeterd."


def test_a_statement_is_shared_only_within_its_election_s_day(admin_client):
    draft_day()
    elsewhere = ElectionFactory(name="Elders", ballot_day=BallotDayFactory(), status="draft")
    statement = Statement.objects.get(order=4)
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    data = {**_change_form_data(admin_client.get(url)), "shared_with": [elsewhere.pk]}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Elders past niet" in response.content.decode()
    assert not statement.shared_with.exists()


def test_sharing_is_offered_only_to_a_statement_of_a_ballot_day(admin_client):
    statement = StatementFactory(election=ElectionFactory(status="draft"))
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    assert "shared_with" not in admin_client.get(url).context["adminform"].form.fields


def test_the_day_form_groups_elections(admin_client):
    first, second = ElectionFactory(name="Eerste"), ElectionFactory(name="Tweede")
    response = admin_client.post(
        reverse("admin:positions_ballotday_add"),
        {
            "name": "Dag",
            "slug": "dag",
            "date": "2024-06-09",
            "elections": [first.pk, second.pk],
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    day = BallotDay.objects.get(slug="dag")
    assert set(day.elections.values_list("name", flat=True)) == {"Eerste", "Tweede"}


def test_the_day_page_shows_each_election_s_gate(admin_client):
    day = draft_day()
    Stance.objects.filter(party__slug="groen", statement__order=4).delete()
    page = admin_client.get(reverse("admin:positions_ballotday_change", args=[day.pk]))
    text = page.content.decode()
    assert "Europees Parlement</a>: klaar" in text
    assert "Kamer</a>: 1 punt(en) open" in text


def test_the_publish_action_publishes_the_day(eindredacteur):
    day = draft_day()
    response = eindredacteur.post(
        reverse("admin:positions_ballotday_changelist"),
        {"action": "publish_days", "_selected_action": [day.pk]},
        follow=True,
    )
    assert "gepubliceerd, 2 verkiezing(en) bevroren." in response.content.decode()
    assert versions() == {"europa": 1, "kamer": 1}


def test_a_redacteur_is_not_offered_the_publish_action(client):
    client.force_login(UserFactory(role="Redacteur"))
    response = client.get(reverse("admin:positions_ballotday_changelist"))
    assert response.status_code == 403 or "publish_days" not in response.content.decode()


def test_an_edit_of_a_shared_statement_reaches_the_voters_of_each_election(
    client, django_capture_on_commit_callbacks
):
    ballot_day()  # published from live rows: an edit shows at once
    catalog.published_election("europa")
    with django_capture_on_commit_callbacks(execute=True):
        statement = Statement.objects.get(order=1)
        statement.text = "Nieuw gedeeld."
        statement.save()
    assert catalog.published_election("europa").statement(1).text == "Nieuw gedeeld."


def test_sharing_a_statement_changes_the_election_it_is_shared_with(
    django_capture_on_commit_callbacks,
):
    ballot_day()
    assert len(catalog.published_election("europa").statements) == 3
    with django_capture_on_commit_callbacks(execute=True):
        Statement.objects.get(order=4).shared_with.add(Election.objects.get(slug="europa"))
    assert len(catalog.published_election("europa").statements) == 4


def test_the_election_list_counts_shared_statements_and_their_stances(admin_client):
    draft_day()
    page = admin_client.get(reverse("admin:positions_election_changelist")).content.decode()
    # Europe: 3 statements (2 shared with it) x 2 parties; the Chamber: its 3 x 2 parties.
    assert page.count("6 / 6 (100%)") == 2


def test_a_published_day_reaches_the_start_page_on_commit(db, django_capture_on_commit_callbacks):
    day = draft_day()
    assert catalog.published_ballot_days() == []
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_ballot_day(day, UserFactory(is_superuser=True))
    assert [d.slug for d in catalog.published_ballot_days()] == [day.slug]


def test_the_matrix_of_an_election_has_a_row_for_each_statement_shared_with_it(admin_client):
    draft_day()
    europe = Election.objects.get(slug="europa")
    page = admin_client.get(reverse("admin:positions_election_matrix", args=[europe.pk]))
    text = page.content.decode()
    for title in ("Gedeeld een", "Gedeeld twee", "Alleen Europa"):
        assert title in text
    assert "Alleen Kamer" not in text


def test_a_shared_statement_offers_a_stance_form_for_the_parties_of_each_election(admin_client):
    draft_day()
    Stance.objects.filter(party__slug="volt", statement__order=1).delete()
    statement = Statement.objects.get(order=1)
    page = admin_client.get(reverse("admin:positions_statement_change", args=[statement.pk]))
    formset = next(f for f in page.context["inline_admin_formsets"] if f.opts.model is Stance)
    parties = {form.form["party"].value() for form in formset}
    assert {p for p in parties if p} == set(
        Election.objects.filter(ballot_day__isnull=False).values_list("parties", flat=True)
    )


def test_a_party_of_an_election_sharing_a_statement_may_take_a_stance_on_it(db):
    draft_day()
    stance = Stance.objects.get(statement__title="Gedeeld een", party__slug="volt")
    stance.full_clean()


def test_a_party_of_no_election_asking_a_statement_may_not_take_a_stance_on_it(db):
    draft_day()
    stance = Stance.objects.get(statement__title="Alleen Kamer", party__slug="vooruit")
    stance.party = Party.objects.get(slug="volt")
    with pytest.raises(ValidationError) as error:
        stance.full_clean()
    assert "Deze partij doet niet mee aan “Kamer”." in error.value.message_dict["party"]
