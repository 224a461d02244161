"""Odd input that once reached a 500, or counted a result twice, answered as it should be."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from stats.exporters import write_xlsx
from stats.models import Completion
from tests.factories import ElectionFactory
from tests.pages import ranking

pytestmark = pytest.mark.django_db

SHARED = reverse("quiz:shared", args=["test"])
MATCH = reverse("quiz:api-match", args=["test"])


@pytest.mark.parametrize("query", ["a=aaa&v=%C2%B2", "a=aaa&i=%C2%B2", "a=aaa&v=" + "9" * 40])
def test_a_share_link_with_odd_digits_is_a_400(client, election, query):
    assert client.get(f"{SHARED}?{query}").status_code == 400


@pytest.mark.parametrize(
    "body",
    ['{"answers": {"²": 1}}', '{"answers": {"١": 1}}', "[" * 100_000, "1" * 5000],
)
def test_odd_json_for_the_match_api_is_a_400(client, election, body):
    response = client.post(MATCH, body, content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()


def test_replaying_a_saved_cookie_does_not_count_a_result_again(client, election):
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    cookies = client.cookies.output(header="", sep=";")
    first = client.get(reverse("quiz:result", args=["test"]))
    assert Completion.objects.count() == 1
    replay = Client(HTTP_COOKIE=cookies)
    again = replay.get(reverse("quiz:result", args=["test"]))
    assert (
        ranking(again.content)
        == ranking(first.content)
        == [
            ("Alfa", "100%"),
            ("Bravo", "0%"),
            ("Charlie", "–"),
        ]
    )
    assert Completion.objects.count() == 1


@pytest.mark.parametrize("slug", ["admin", "api", "methode", "static"])
def test_an_election_cannot_take_the_address_of_another_page(slug):
    election = ElectionFactory.build(slug=slug)
    with pytest.raises(ValidationError, match="het adres van een andere pagina"):
        election.full_clean()


def test_the_xlsx_export_drops_control_characters(tmp_path):
    class Table:
        identifier = "tabel"

        def iter_rows(self):
            yield ["titel"]
            yield ["Een\x0btitel uit Word"]

    path = tmp_path / "out.xlsx"
    with path.open("wb") as out:
        write_xlsx(out, {}, [Table()])
    sheet = load_workbook(path).active
    assert sheet["A2"].value == "Eentitel uit Word"
