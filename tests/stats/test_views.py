import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pyarrow import parquet as pq

from positions.models import Election
from stats.models import Release
from tests.factories import UserFactory
from tests.pages import parse, table_rows

from .conftest import MARCH_18

pytestmark = pytest.mark.django_db


def page_url(election, name="statistics", *args):
    return reverse(f"admin:stats_electionstatistics_{name}", args=[election.pk, *args])


# The admin statistics page


def exact():
    release = Release.objects.get(kind="to", last_day=MARCH_18, simulated=False)
    return {"release": release.pk, "exact": "on"}


def test_the_page_shows_each_table_behind_its_chart(admin_client, released, election):
    page = admin_client.get(page_url(election), exact()).content.decode()
    tree = parse(page)
    charts = [svg.attrs["aria-describedby"] for svg in tree.select("svg") if "role" in svg.attrs]
    assert charts == ["table-days", "table-statements", "table-parties", "table-parties"]
    assert "Ingevulde stemhulpen: 25." in page
    assert "Exacte cijfers, zonder ruis: niet publiceren." in page
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
    # Charlie took no position at all: nothing to compare, not a small number.
    assert charlie == ["Charlie", *["–"] * 14]
    assert "cdn" not in page.lower()


def test_the_page_shows_the_newest_release_as_published(admin_client, released, election):
    page = admin_client.get(page_url(election)).content.decode()
    assert "Publicatie van 17 maart 2026 tot en met 18 maart 2026." in page
    assert "Met ruis, zoals gepubliceerd." in page
    assert "Hoe de cijfers kiezers beschermen" in page
    assert "privacybudget ε = 2,348 per kiezer, δ = 10⁻⁷" in page


def test_the_page_links_the_downloads_of_its_release(admin_client, released, election):
    day = Release.objects.get(kind="day", last_day=MARCH_18, simulated=False)
    page = admin_client.get(page_url(election), {"release": day.pk}).content.decode()
    assert "Publicatie van 18 maart 2026." in page
    assert f'href="{page_url(election, "export", "xlsx")}?release={day.pk}"' in page
    microdata = page_url(election, "microdata", "csv")
    assert f'href="{microdata}?from=2026-03-18&amp;to=2026-03-18"' in page


def test_an_unknown_release_is_a_form_error(admin_client, released, election):
    response = admin_client.get(page_url(election), {"release": "12345"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze." in response.content.decode()


def test_an_election_without_releases_says_so(admin_client, election):
    page = admin_client.get(page_url(election)).content.decode()
    assert "Er is nog geen publicatie" in page


def test_the_list_links_every_election_to_its_statistics(admin_client, election):
    page = admin_client.get(reverse("admin:stats_electionstatistics_changelist")).content.decode()
    assert f'href="{page_url(election)}"' in page


def test_an_editor_sees_the_released_tables_but_no_microdata(client, released, election):
    client.force_login(UserFactory(role="Redacteur"))
    page = client.get(page_url(election)).content.decode()
    assert "Antwoorden per stelling" in page
    assert "microdata" not in page
    assert "Exacte cijfers" not in page


def test_an_editor_cannot_ask_for_the_exact_figures(client, released, election):
    client.force_login(UserFactory(role="Redacteur"))
    page = client.get(page_url(election), exact()).content.decode()
    assert "Met ruis, zoals gepubliceerd." in page


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


def test_a_beheerder_downloads_the_microdata_as_parquet(client, known, election):
    client.force_login(UserFactory(role="Beheerder"))
    response = client.get(page_url(election, "microdata", "parquet"), {"from": "2026-03-18"})
    assert response["Content-Disposition"] == 'attachment; filename="test-microdata.parquet"'
    table = pq.read_table(io.BytesIO(b"".join(response.streaming_content)))
    assert table.num_rows == 13
    assert set(table.column("day").to_pylist()) == {MARCH_18}


def test_the_microdata_is_not_offered_as_a_spreadsheet(admin_client, election):
    assert admin_client.get(page_url(election, "microdata", "xlsx")).status_code == 404


def test_the_exact_tables_download_as_xlsx(
    admin_client, released, election, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = admin_client.get(page_url(election, "export", "xlsx"), exact())
    disposition = 'attachment; filename="test-statistieken-to-2026-03-18.xlsx"'
    assert response["Content-Disposition"] == disposition
    workbook = load_workbook(io.BytesIO(response.content))
    assert list(workbook["days"].values)[1][1] == 12


def test_the_page_reads_no_completion(admin_client, released, election):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        admin_client.get(page_url(election), exact())
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if "stats_completion" in q["sql"]]


# The public JSON


def api_url(slug="test"):
    return reverse("stats:api-election-stats", args=[slug])


def test_the_public_json_is_the_newest_release_as_stored(client, released):
    response = client.get(api_url())
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    stored = Release.objects.get(kind="to", last_day=MARCH_18, simulated=False)
    assert response.content.decode() == stored.body
    document = response.json()
    assert (document["release"], document["from"], document["to"]) == (
        "to-2026-03-18",
        "2026-03-17",
        "2026-03-18",
    )
    assert document["privacy"]["epsilon_per_voter"] == 2.348
    assert document["privacy"]["delta"] == 1e-07


def test_the_public_json_selects_a_release_by_its_key(client, released):
    document = client.get(api_url(), {"release": "day-2026-03-17"}).json()
    assert document["release"] == "day-2026-03-17"
    assert [day for day, _ in document["tables"]["days"]["rows"]] == ["2026-03-17"]


def test_the_public_json_ignores_every_other_parameter(client, released):
    plain = client.get(api_url()).content
    for query in ({"from": "2026-03-18"}, {"to": "2026-03-17"}, {"nocache": "1"}, {"x": "y"}):
        assert client.get(api_url(), query).content == plain


@pytest.mark.parametrize("key", ["to-2026-03-19", "day-2026-02-30", "week-2026-03-17", "to"])
def test_a_release_that_does_not_exist_is_a_404_naming_it(client, released, key):
    response = client.get(api_url(), {"release": key})
    assert response.status_code == 404
    assert response.json()["error"].startswith(f"release: no release '{key}'")


def test_the_public_read_is_one_query(client, released, django_assert_num_queries):
    client.get(api_url())  # the election's catalog entry is cached from here on
    with django_assert_num_queries(1):
        assert client.get(api_url(), {"release": "day-2026-03-18"}).status_code == 200


def test_the_list_of_releases(client, released):
    listing = client.get(reverse("stats:api-election-releases", args=["test"])).json()
    assert listing["releases"] == [
        {
            "release": "day-2026-03-18",
            "kind": "day",
            "first_day": "2026-03-18",
            "last_day": "2026-03-18",
        },
        {
            "release": "to-2026-03-18",
            "kind": "to",
            "first_day": "2026-03-17",
            "last_day": "2026-03-18",
        },
        {
            "release": "day-2026-03-17",
            "kind": "day",
            "first_day": "2026-03-17",
            "last_day": "2026-03-17",
        },
        {
            "release": "to-2026-03-17",
            "kind": "to",
            "first_day": "2026-03-17",
            "last_day": "2026-03-17",
        },
    ]


def test_before_the_first_release_the_public_json_says_so(client, known):
    response = client.get(api_url())
    assert response.status_code == 404
    assert response.json() == {"error": "release: no release 'latest' of 'test' yet"}


def test_the_public_json_of_a_draft_election_is_not_found(client, election):
    Election.objects.filter(pk=election.pk).update(status=Election.Status.DRAFT)
    response = client.get(api_url())
    assert response.status_code == 404
    assert response.json() == {"error": "election: no published election 'test'"}


def test_the_methodology_page_tells_what_is_recorded(client, db):
    page = client.get(reverse("quiz:methodology")).content.decode()
    assert "bewaren we voor de statistiek één anonieme regel: de dag (niet het tijdstip)" in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "budget de confidentialité ε = 2,348 par électeur, δ = 10⁻⁷"),
        ("en", "privacy budget ε = 2.348 per voter, δ = 10⁻⁷"),
    ],
)
def test_the_privacy_statement_is_translated(
    admin_client, released, election, settings, language, words
):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = admin_client.get(page_url(election)).content.decode()
    assert words in page
