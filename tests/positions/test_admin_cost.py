"""What the editors' admin pages cost in queries: the same whatever the size of the election, and
never a programme's whole text where it is not shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ElectionFactory,
    ManifestoDocumentFactory,
    PartyFactory,
    StanceFactory,
    StatementFactory,
)
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db

# Measured on SQLite and PostgreSQL, at 3 parties as at 12: 11 for the page (12 for the first
# request of a process), 32 for the save (of which 3 find the elections whose cached voter's view
# the save clears), plus 2 that check the changed stance's party and quote, plus 1 per request
# that checks the editor's session is still open. Before: 24 and 77 for the page, 41 and 140 for
# the save.
PAGE_QUERIES = 13
SAVE_QUERIES = 36


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


def statement_with_parties(n: int):
    """A draft statement with `n` parties, each with a programme; all but one have a stance."""
    parties = [PartyFactory() for _ in range(n)]
    statement = StatementFactory(
        election=ElectionFactory(status="draft", parties=parties),
        text="De huurprijs moet begrensd worden.",
    )
    for party in parties[1:]:
        document = ManifestoDocumentFactory(party=party, title=f"Programma {party.name}")
        document.passages.create(order=1, line_start=1, line_end=1, text="Meer sociale huur.")
        StanceFactory(
            statement=statement,
            party=party,
            document=document,
            quote="Wij willen meer sociale huurwoningen.",
            location="regel 1",
        )
    return statement


def change_page(statement) -> str:
    return reverse("admin:positions_statement_change", args=[statement.pk])


def saved_with_one_change(client, statement) -> dict:
    """The statement page's form as sent back with the first stance set to neutral."""
    data = _change_form_data(client.get(change_page(statement)))
    data["stances-0-position"] = "neutral"
    return data


@pytest.mark.parametrize("parties", [3, 12])
def test_the_statement_page_costs_at_most_a_dozen_queries(
    admin_client, django_assert_max_num_queries, parties
):
    statement = statement_with_parties(parties)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = admin_client.get(change_page(statement))
    assert response.status_code == 200


def test_the_statement_page_costs_the_same_at_3_and_at_12_parties(admin_client):
    counts = [
        len(queries_of(admin_client, change_page(statement_with_parties(n)))) for n in (3, 12)
    ]
    assert counts[0] == counts[1]


@pytest.mark.parametrize("parties", [3, 12])
def test_saving_one_stance_from_the_statement_page_costs_at_most_36_queries(
    admin_client, django_assert_max_num_queries, parties
):
    statement = statement_with_parties(parties)
    data = saved_with_one_change(admin_client, statement)
    with django_assert_max_num_queries(SAVE_QUERIES):
        response = admin_client.post(change_page(statement), data)
    assert response.status_code == 302
    assert statement.stances.order_by("party__name").first().position == "neutral"


def test_saving_one_stance_costs_the_same_at_3_and_at_12_parties(admin_client):
    counts = []
    for n in (3, 12):
        statement = statement_with_parties(n)
        data = saved_with_one_change(admin_client, statement)
        counts.append(len(queries_of(admin_client, change_page(statement), data)))
    assert counts[0] == counts[1]


def test_the_statement_page_reads_no_programme_text(admin_client):
    sql = queries_of(admin_client, change_page(statement_with_parties(3)))
    assert any("positions_manifestodocument" in query for query in sql)
    assert not [query for query in sql if "original_text" in query]


def test_the_stance_page_reads_no_programme_text(admin_client):
    stance = statement_with_parties(2).stances.get()
    sql = queries_of(admin_client, reverse("admin:positions_stance_change", args=[stance.pk]))
    assert any("positions_manifestodocument" in query for query in sql)
    assert not [query for query in sql if "original_text" in query]
