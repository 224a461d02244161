"""The evidence panel of the stance forms: a link per stance, the passages on request (htmx
swaps them in; without JavaScript the link opens them as a page), for editors only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from positions.evidence import LIMIT, evidence_for
from positions.importing import import_manifesto
from positions.manifesto import quote_of_lines
from positions.search import find_passages
from tests.factories import (
    ElectionFactory,
    PartyFactory,
    StanceFactory,
    StatementFactory,
    UserFactory,
)
from tests.positions.test_search import PROGRAMME

pytestmark = pytest.mark.django_db


@pytest.fixture
def stance(db):
    """Alfa's stance on recognising Palestine; Alfa's programme says so on line 9."""
    party = PartyFactory(name="Alfa", slug="alfa")
    import_manifesto(party, PROGRAMME, title="Programma Alfa")
    statement = StatementFactory(
        election=ElectionFactory(status="draft", parties=[party]),
        title="Palestina erkennen",
        text="Ons land moet de staat Palestina erkennen.",
    )
    return StanceFactory(statement=statement, party=party)


def passages_url(stance) -> str:
    return reverse("admin:positions_stance_evidence", args=[stance.statement_id, stance.party_id])


def htmx_get(client, url):
    return client.get(url, headers={"HX-Request": "true"})


def test_the_stance_form_links_to_its_passages_instead_of_searching(admin_client, stance):
    page = admin_client.get(reverse("admin:positions_stance_change", args=[stance.pk]))
    html = page.content.decode()
    url = passages_url(stance)
    assert f'href="{url}" hx-get="{url}"' in html
    assert "Palestijnse staat" not in html
    assert "django_htmx/htmx-2.min.js" in html
    assert "positions/evidence.js" in html


def test_the_statement_page_links_each_party_s_stance_to_its_passages(admin_client, stance):
    bravo = PartyFactory(name="Bravo")
    stance.statement.election.parties.add(bravo)
    other = StanceFactory(statement=stance.statement, party=bravo)
    url = reverse("admin:positions_statement_change", args=[stance.statement_id])
    html = admin_client.get(url).content.decode()
    assert f'hx-get="{passages_url(stance)}"' in html
    assert f'hx-get="{passages_url(other)}"' in html


def test_htmx_gets_the_passages_with_quote_document_and_lines_to_fill_in(admin_client, stance):
    response = htmx_get(admin_client, passages_url(stance))
    html = response.content.decode()
    document = stance.party.documents.get()
    assert "<html" not in html
    assert "België erkent de Palestijnse staat, samen met andere Europese landen." in html
    assert 'data-quote="• België erkent de Palestijnse staat, samen met andere' in html
    assert 'data-location="regel 9"' in html
    assert f'data-document="{document.pk}" data-document-title="Programma Alfa"' in html
    assert "Gebruik deze passage" in html


def test_without_htmx_the_passages_are_a_page_with_the_quote_and_a_way_back(admin_client, stance):
    html = admin_client.get(passages_url(stance)).content.decode()
    assert "<html" in html
    assert '<pre class="evidence-quote">• België erkent de Palestijnse staat' in html
    assert "vindplaats “regel 9”" in html
    assert "data-evidence-fill" not in html
    statement_page = reverse("admin:positions_statement_change", args=[stance.statement_id])
    stance_page = reverse("admin:positions_stance_change", args=[stance.pk])
    assert f'<a href="{statement_page}">Terug naar de stelling</a>' in html
    assert f'<a href="{stance_page}">Terug naar het standpunt</a>' in html


def test_the_passages_vary_on_the_htmx_header(admin_client, stance):
    response = admin_client.get(passages_url(stance))
    assert "HX-Request" in response["Vary"]


def test_the_best_passage_comes_first(admin_client, stance):
    html = htmx_get(admin_client, passages_url(stance)).content.decode()
    assert html.index('data-location="regel') == html.index('data-location="regel 9"')


def test_a_party_outside_the_statement_s_election_gets_no_passages(admin_client, stance):
    outsider = PartyFactory(name="Buiten")
    import_manifesto(outsider, PROGRAMME, title="Programma Buiten")
    url = reverse("admin:positions_stance_evidence", args=[stance.statement_id, outsider.pk])
    html = htmx_get(admin_client, url).content.decode()
    assert "Geen passende passage gevonden" in html
    assert "data-quote" not in html


def test_an_unknown_statement_is_not_found(admin_client, stance):
    url = reverse("admin:positions_stance_evidence", args=[999999, stance.party_id])
    assert admin_client.get(url).status_code == 404


def test_a_redacteur_may_load_the_passages(client, stance):
    client.force_login(UserFactory(role="Redacteur"))
    assert "Palestijnse staat" in htmx_get(client, passages_url(stance)).content.decode()


def test_staff_without_the_passage_permission_is_refused(client, stance):
    client.force_login(UserFactory())
    response = htmx_get(client, passages_url(stance))
    assert response.status_code == 403
    assert "Palestijnse staat" not in response.content.decode()


def test_someone_not_logged_in_is_sent_to_the_login_page(client, stance):
    response = client.get(passages_url(stance))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_passages_cannot_be_posted_to(admin_client, stance):
    assert admin_client.post(passages_url(stance)).status_code == 405


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL cuts out the lines")
def test_postgresql_sends_the_quoted_lines_not_the_programme(admin_client, stance):
    with CaptureQueriesContext(connection) as captured:
        response = htmx_get(admin_client, passages_url(stance))
    assert 'data-quote="• België erkent de Palestijnse staat' in response.content.decode()
    reading_the_text = [q["sql"] for q in captured.captured_queries if "original_text" in q["sql"]]
    assert reading_the_text
    assert all("string_to_array" in sql for sql in reading_the_text)


def test_each_quote_is_the_verbatim_lines_of_the_original(stance):
    """The same on SQLite (Python cuts the lines) as on PostgreSQL (the database does)."""
    party = PartyFactory(name="Windows")
    stance.statement.election.parties.add(party)
    original = PROGRAMME.replace("\n", "\r\n") + "  \r\n"
    import_manifesto(party, original, title="Programma Windows")
    query = f"{stance.statement.title} {stance.statement.text}"
    matches = find_passages(party, query, limit=LIMIT)
    quotes = [passage.quote for passage in evidence_for(stance.statement, party)]
    assert matches
    assert quotes == [quote_of_lines(original, m.line_start, m.line_end) for m in matches]


def test_an_editor_searches_with_own_words(admin_client, stance):
    html = htmx_get(admin_client, passages_url(stance) + "?woorden=huurprijsrem").content.decode()
    assert html.index('data-location="regel') == html.index('data-location="regel 15"')
    assert 'name="woorden" value="huurprijsrem"' in html


def test_more_results_are_offered_when_the_list_is_full(admin_client, stance):
    words = "woorden=huurprijs+elektriciteit+kerncentrales+Palestijnse"
    page = admin_client.get(f"{passages_url(stance)}?{words}&aantal=2").content.decode()
    assert page.count('class="evidence-passage"') == 2
    assert "aantal=12" in page
    more = admin_client.get(f"{passages_url(stance)}?{words}&aantal=12").content.decode()
    assert more.count('class="evidence-passage"') > 2
    assert "evidence-more" not in more


def test_a_bad_count_falls_back_to_the_first_results(admin_client, stance):
    response = admin_client.get(passages_url(stance) + "?aantal=abc")
    assert response.status_code == 200


def test_a_party_without_a_stance_yet_has_its_passages_link_on_the_statement_page(
    admin_client, stance
):
    bravo = PartyFactory(name="Bravo", slug="bravo")
    stance.statement.election.parties.add(bravo)
    page = admin_client.get(reverse("admin:positions_statement_change", args=[stance.statement_id]))
    url = reverse("admin:positions_stance_evidence", args=[stance.statement_id, bravo.pk])
    assert f'href="{url}"' in page.content.decode()
