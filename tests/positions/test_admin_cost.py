"""What the editors' admin pages cost in queries: the same whatever the size of the election, and
never a programme's whole text where it is not shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ElectionFactory, ManifestoDocumentFactory, PartyFactory

pytestmark = pytest.mark.django_db


def queries_of(client, url, data=None) -> list[str]:
    """The SQL of one request, read before the next request resets Django's query log."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code in (200, 302)
    return [query["sql"] for query in captured.captured_queries]


def test_the_programme_list_never_reads_the_programme_texts(admin_client):
    for n in range(3):
        ManifestoDocumentFactory(title=f"Programma {n}", original_text="Heel lang. " * 1000)
    sql = queries_of(admin_client, reverse("admin:positions_manifestodocument_changelist"))
    assert any("positions_manifestodocument" in query for query in sql)
    assert not [query for query in sql if "original_text" in query]


def test_the_election_change_page_does_not_count_statements_or_stances(admin_client, election):
    sql = queries_of(admin_client, reverse("admin:positions_election_change", args=[election.pk]))
    assert any('FROM "positions_election"' in query for query in sql)
    assert not [query for query in sql if "positions_stance" in query]


def test_the_election_list_counts_only_the_stances_of_the_election_s_parties(
    admin_client, election
):
    outsider = PartyFactory(name="Buiten")
    other = ElectionFactory(parties=[outsider])
    statement = election.statements.get(order=1)
    statement.stances.create(party=outsider, position="agree")
    page = admin_client.get(reverse("admin:positions_election_changelist")).content.decode()
    assert "6 / 9 (67%)" in page
    assert other.name in page
