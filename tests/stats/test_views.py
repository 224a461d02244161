import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from positions.models import Election
from stats.models import Completion
from tests.factories import UserFactory
from tests.pages import parse, table_rows

pytestmark = pytest.mark.django_db


def page_url(election, name="statistics", *args):
    return reverse(f"admin:stats_electionstatistics_{name}", args=[election.pk, *args])


# The admin statistics page


def test_the_page_shows_each_table_behind_its_chart(admin_client, known, election):
    page = admin_client.get(page_url(election)).content.decode()
    tree = parse(page)
    charts = [svg.attrs["aria-describedby"] for svg in tree.select("svg") if "role" in svg.attrs]
    assert charts == ["table-days", "table-statements", "table-parties", "table-parties"]
    assert "Ingevulde stemhulpen: 25." in page
    assert table_rows(tree.select_one("#table-days"))[1:] == [
        ["di 17 maart 2026", "12"],
        ["wo 18 maart 2026", "13"],
    ]
    # The three neutral answers and the three skips are fewer than ten: suppressed.
    assert table_rows(tree.select_one("#table-statements"))[1:] == [
        ["1. Stelling 1", "12", "<10", "10", "<10", "10"],
        ["2. Stelling 2", "12", "<10", "10", "<10", "<10"],
        ["3. Stelling 3", "12", "<10", "10", "<10", "<10"],
    ]
    # Alfa is the best match of 12 voters and shares it with Bravo for 3: 13.5 of 25.
    alfa, bravo, charlie = table_rows(tree.select_one("#table-parties"))[1:]
    assert alfa == ["Alfa", "25", "54,0", "50,0", "10", *["<10"] * 8, "12", "54,0%"]
    assert bravo == ["Bravo", "25", "46,0", "50,0", "12", *["<10"] * 8, "10", "46,0%"]
    assert charlie == ["Charlie", *["<10"] * 14]
    assert "cdn" not in page.lower()


def test_the_page_links_the_downloads_with_the_date_range(admin_client, known, election):
    page = admin_client.get(page_url(election), {"from": "2026-03-18"}).content.decode()
    assert f'href="{page_url(election, "export", "xlsx")}?from=2026-03-18"' in page
    assert f'href="{page_url(election, "microdata", "csv")}?from=2026-03-18"' in page
    assert "Ingevulde stemhulpen: 13." in page


def test_a_bad_date_is_a_form_error(admin_client, election):
    response = admin_client.get(page_url(election), {"from": "18-03-2026"})
    assert response.status_code == 400
    assert "Voer een geldige datum in." in response.content.decode()


def test_an_election_without_completions_says_so(admin_client, election):
    page = admin_client.get(page_url(election)).content.decode()
    assert "nog geen ingevulde stemhulpen" in page


def test_the_list_links_every_election_to_its_statistics(admin_client, election):
    page = admin_client.get(reverse("admin:stats_electionstatistics_changelist")).content.decode()
    assert f'href="{page_url(election)}"' in page


def test_an_editor_sees_the_tables_but_no_microdata(client, known, election):
    client.force_login(UserFactory(role="Redacteur"))
    page = client.get(page_url(election)).content.decode()
    assert "Antwoorden per stelling" in page
    assert "microdata" not in page


def test_an_editor_may_not_download_the_microdata(client, known, election):
    client.force_login(UserFactory(role="Eindredacteur"))
    response = client.get(page_url(election, "microdata", "csv"))
    assert response.status_code == 403


def test_someone_without_an_account_is_sent_to_the_login(client, election):
    response = client.get(page_url(election))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_beheerder_downloads_the_microdata_as_a_stream(client, known, election, tmp_path):
    client.force_login(UserFactory(role="Beheerder"))
    response = client.get(page_url(election, "microdata", "csv"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="test-microdata.csv"'
    out = tmp_path / "m.csv"
    call_command(
        "export_stats",
        "--election=test",
        "--microdata",
        "--format=csv",
        f"--out={out}",
        stdout=io.StringIO(),
    )
    assert out.read_bytes().count(b"\r\n") == 1 + 25
    assert b"".join(response.streaming_content) == out.read_bytes()


def test_the_microdata_as_json_from_the_admin(admin_client, known, election):
    response = admin_client.get(page_url(election, "microdata", "json"), {"to": "2026-03-17"})
    document = json.loads(b"".join(response.streaming_content))
    assert document["to"] == "2026-03-17"
    assert len(document["tables"]["microdata"]["rows"]) == 12


def test_the_microdata_is_not_offered_as_a_spreadsheet(admin_client, election):
    assert admin_client.get(page_url(election, "microdata", "xlsx")).status_code == 404


def test_the_tables_download_as_xlsx(admin_client, known, election, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = admin_client.get(page_url(election, "export", "xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="test-statistieken.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert list(workbook["days"].values)[1][1] == 12


# The public JSON


def api_url(slug="test"):
    return reverse("stats:api-election-stats", args=[slug])


def test_the_public_json_has_the_suppressed_tables(client, known, tmp_path):
    response = client.get(api_url())
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    out = tmp_path / "stats.json"
    call_command(
        "export_stats", "--election=test", "--format=json", f"--out={out}", stdout=io.StringIO()
    )
    assert response.json() == json.loads(out.read_text())
    assert response.json()["tables"]["statements"]["rows"][0] == [
        1,
        "Stelling 1",
        12,
        None,
        10,
        None,
        10,
    ]


def test_the_public_json_is_served_from_the_cache(client, known):
    first = client.get(api_url()).json()
    assert first["completions"] == 25
    Completion.objects.all().delete()
    assert client.get(api_url()).json() == first


def test_the_public_json_of_a_draft_election_is_not_found(client, election):
    Election.objects.filter(pk=election.pk).update(status=Election.Status.DRAFT)
    response = client.get(api_url())
    assert response.status_code == 404
    assert response.json() == {"error": "election: no published election 'test'"}


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"from": "gisteren"}, "from: Voer een geldige datum in."),
        ({"from": "2026-03-18", "to": "2026-03-01"}, "range: De begindatum ligt na de einddatum."),
    ],
)
def test_a_bad_date_range_is_a_400_naming_the_field(client, election, query, error):
    response = client.get(api_url(), query)
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_the_methodology_page_tells_what_is_recorded(client, db):
    page = client.get(reverse("quiz:methodology")).content.decode()
    assert "bewaren we voor de statistiek één anonieme regel: de dag (niet het tijdstip)" in page
