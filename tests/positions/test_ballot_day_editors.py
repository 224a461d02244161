"""Editors' lists, corrections and spreadsheets count what each election asks through sharing."""

import pytest
import tablib
from django.urls import reverse

from positions import catalog, publishing
from positions.models import Election, Stance, Statement
from positions.spreadsheets import IMPORT_KWARGS, StanceResource, StatementResource
from tests.factories import ElectionFactory, UserFactory
from tests.positions.test_ballot_days import correct, draft_day, versions

pytestmark = pytest.mark.django_db


def listed(client, admin: str, query: str) -> list[str]:
    response = client.get(reverse(f"admin:positions_{admin}_changelist") + query)
    assert response.status_code == 200
    return sorted(str(row) for row in response.context["cl"].result_list)


def election_pk(slug: str) -> int:
    return Election.objects.get(slug=slug).pk


def test_a_stance_missing_for_a_party_of_the_election_a_statement_is_shared_with_counts(
    admin_client,
):
    draft_day()
    assert listed(admin_client, "statement", "?missing=yes") == []
    Stance.objects.filter(party__slug="volt", statement__order=1).delete()  # Europe's party
    assert listed(admin_client, "statement", "?missing=yes") == ["1. Gedeeld een"]
    assert "1. Gedeeld een" not in listed(admin_client, "statement", "?missing=no")


def test_the_statement_list_of_an_election_includes_those_shared_with_it(admin_client):
    draft_day()
    query = f"?election__id__exact={election_pk('europa')}"
    assert listed(admin_client, "statement", query) == [
        "1. Gedeeld een",
        "2. Gedeeld twee",
        "3. Alleen Europa",
    ]


def test_the_stance_list_of_an_election_has_its_parties_stances_on_shared_statements(
    admin_client,
):
    draft_day()
    response = admin_client.get(
        reverse("admin:positions_stance_changelist")
        + f"?statement__election__id__exact={election_pk('europa')}"
    )
    stances = {(s.statement.order, s.party.slug) for s in response.context["cl"].result_list}
    assert stances == {
        (1, "vooruit-europa"),
        (1, "volt"),
        (2, "vooruit-europa"),
        (2, "volt"),
        (3, "vooruit-europa"),
        (3, "volt"),
    }


def test_a_bad_election_in_the_filter_lists_nothing(admin_client):
    draft_day()
    assert listed(admin_client, "statement", "?election__id__exact=abc") == []


@pytest.fixture
def eindredacteur(client):
    client.force_login(UserFactory(role="Eindredacteur"))
    return client


def test_taking_an_election_off_a_shared_statement_freezes_a_new_version_of_it(
    eindredacteur, django_capture_on_commit_callbacks
):
    publishing.publish_ballot_day(draft_day(), UserFactory(is_superuser=True))
    statement = Statement.objects.get(order=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = correct(
            eindredacteur, statement, shared_with=[], correction_note="Alleen federaal"
        )
    page = response.content.decode()
    assert "Correctie vastgelegd: kiezers van Europees Parlement zien nu versie 2." in page
    assert versions() == {"europa": 2, "kamer": 2}
    europe = catalog.published_election("europa")
    assert [s.title for s in europe.statements] == ["Gedeeld twee", "Alleen Europa"]


def test_a_voter_who_started_keeps_the_shared_statement_they_answered(
    client, eindredacteur, django_capture_on_commit_callbacks
):
    publishing.publish_ballot_day(draft_day(), UserFactory(is_superuser=True))
    client.post(reverse("quiz:statement", args=["europa", 1]), {"answer": "agree"})
    with django_capture_on_commit_callbacks(execute=True):
        correct(eindredacteur, Statement.objects.get(order=1), shared_with=[])
    page = client.get(reverse("quiz:statement", args=["europa", 1])).content.decode()
    assert "Eerst gedeeld." in page


def day_export(resource, slug: str) -> tablib.Dataset:
    queryset = (
        resource()
        .get_queryset()
        .filter(pk__in=resource._meta.model.objects.for_election(Election.objects.get(slug=slug)))
    )
    return resource().export(queryset)


def test_a_statement_row_names_the_elections_it_is_shared_with(db):
    draft_day()
    exported = day_export(StatementResource, "europa")
    assert exported["verkiezing"] == ["kamer", "kamer", "europa"]
    assert exported["ook gesteld in"] == ["europa", "europa", ""]


@pytest.mark.parametrize("resource", [StatementResource, StanceResource])
def test_an_exported_election_of_a_day_reimports_unchanged(db, resource):
    draft_day()
    before = sorted(Statement.shared_with.through.objects.values_list("statement", "election"))
    dataset = tablib.Dataset().load(day_export(resource, "europa").export("csv"), format="csv")
    result = resource().import_data(dataset, **IMPORT_KWARGS)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(dataset)
    after = sorted(Statement.shared_with.through.objects.values_list("statement", "election"))
    assert after == before


STATEMENT_HEADER = "verkiezing,nummer,thema,titel,stelling,uitleg,ook gesteld in\r\n"


def import_statements(csv: str):
    dataset = tablib.Dataset().load(STATEMENT_HEADER + csv, format="csv")
    return StatementResource().import_data(dataset, **IMPORT_KWARGS)


def test_an_import_shares_a_statement_with_another_election_of_the_day(db):
    draft_day()
    result = import_statements("kamer,4,Zorg,Alleen Kamer,Voor de Kamer.,,europa\r\n")
    assert not result.has_errors() and not result.has_validation_errors()
    statement = Statement.objects.get(order=4)
    assert list(statement.shared_with.values_list("slug", flat=True)) == ["europa"]


def test_sharing_with_an_election_of_another_day_is_refused_by_row(db):
    draft_day()
    ElectionFactory(slug="elders")
    result = import_statements("kamer,4,Zorg,Alleen Kamer,Voor de Kamer.,,elders\r\n")
    [invalid] = result.invalid_rows
    assert "rij 1: een stelling kan alleen gedeeld worden met andere verkiezingen van de " in str(
        invalid.error_dict
    )
    assert "elders past niet" in str(invalid.error_dict)
    assert not Statement.objects.get(order=4).shared_with.exists()


def test_sharing_with_an_unknown_election_is_named(db):
    draft_day()
    result = import_statements("kamer,4,Zorg,Alleen Kamer,Voor de Kamer.,,nergens\r\n")
    assert "rij 1: verkiezing 'nergens' bestaat niet" in str(result.invalid_rows[0].error_dict)


def test_unsharing_from_a_published_election_by_import_is_refused(db):
    draft_day()
    Election.objects.filter(slug="europa").update(status="published")
    result = import_statements("kamer,1,Zorg,Gedeeld een,Eerst gedeeld.,,\r\n")
    assert "verkiezing 'europa' is gepubliceerd" in str(result.invalid_rows[0].error_dict)
    assert Statement.objects.get(order=1).shared_with.exists()


def test_a_stance_on_a_shared_statement_of_a_published_election_is_not_imported(db):
    draft_day()
    Election.objects.filter(slug="europa").update(status="published")
    csv = "verkiezing,stelling,partij,standpunt\r\nkamer,1,vooruit-europa,oneens\r\n"
    dataset = tablib.Dataset().load(csv, format="csv")
    result = StanceResource().import_data(dataset, **IMPORT_KWARGS)
    assert "verkiezing 'europa' is gepubliceerd" in str(result.invalid_rows[0].error_dict)
    stance = Stance.objects.get(statement__order=1, party__slug="vooruit-europa")
    assert stance.position == "agree"
