"""Statements and stances as CSV and XLSX: exact export, round trip, row-level errors."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from positions.models import Election, Stance, Statement
from positions.spreadsheets import IMPORT_KWARGS, StanceResource, StatementResource
from tests.factories import PartyFactory, StanceFactory, UserFactory, reviewed_election

pytestmark = pytest.mark.django_db

STANCES_CSV = (
    "verkiezing,stelling,partij,standpunt,toelichting,bron,citaat,vindplaats\r\n"
    "{slug},1,alfa,eens,Omdat het nodig is.,Programma Alfa,"
    "Wij willen meer sociale huurwoningen.,regel 1\r\n"
    "{slug},1,bravo,geen standpunt,,,,\r\n"
    "{slug},2,alfa,eens,Omdat het nodig is.,Programma Alfa,"
    "Wij willen meer sociale huurwoningen.,regel 1\r\n"
    "{slug},2,bravo,geen standpunt,,,,\r\n"
)


@pytest.fixture
def election(db):
    return reviewed_election(slug="gr2026")


ELECTION_FILTER = {StanceResource: "statement__election", StatementResource: "election"}


def export(resource, election):
    queryset = resource().get_queryset().filter(**{ELECTION_FILTER[resource]: election})
    return resource().export(queryset)


def snapshot_rows():
    return sorted(
        Stance.objects.values_list(
            "statement__order", "party__slug", "position", "explanation", "quote", "revision"
        )
    )


def test_an_election_exports_its_stances_exactly(election):
    assert export(StanceResource, election).csv == STANCES_CSV.format(slug="gr2026")


def test_positions_are_written_as_editors_say_them(election):
    assert export(StanceResource, election)["standpunt"] == [
        "eens",
        "geen standpunt",
        "eens",
        "geen standpunt",
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("resource", [StatementResource, StanceResource])
def test_an_exported_election_reimports_unchanged(election, resource, fmt):
    before = snapshot_rows(), list(Statement.objects.values())
    exported = export(resource, election).export(fmt)
    dataset = tablib.Dataset().load(exported, format=fmt)
    assert len(dataset) == {StatementResource: 2, StanceResource: 4}[resource]
    result = resource().import_data(dataset, **IMPORT_KWARGS)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(dataset) and result.totals["update"] == 0
    assert (snapshot_rows(), list(Statement.objects.values())) == before


def test_a_bad_position_is_a_row_level_error_and_nothing_is_written(election):
    csv = STANCES_CSV.format(slug="gr2026").replace(
        "gr2026,1,alfa,eens,Omdat het nodig is.", "gr2026,1,alfa,oneens,Toch niet."
    )
    csv = csv.replace("gr2026,2,bravo,geen standpunt", "gr2026,2,bravo,misschien")
    before = snapshot_rows()
    result = StanceResource().import_data(tablib.Dataset().load(csv, format="csv"), **IMPORT_KWARGS)
    [invalid] = result.invalid_rows
    assert invalid.number == 4
    assert invalid.error_dict["position"] == [
        "rij 4: standpunt 'misschien' is niet een van helemaal eens / eens / neutraal / oneens / "
        "helemaal oneens / geen standpunt"
    ]
    assert snapshot_rows() == before


def test_an_unknown_statement_is_named_in_the_error(election):
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,7,alfa,eens\r\n"
    result = StanceResource().import_data(tablib.Dataset().load(csv, format="csv"), **IMPORT_KWARGS)
    assert result.has_errors()
    assert "rij 1: verkiezing 'gr2026' heeft geen stelling '7'" in str(
        result.row_errors()[0][1][0].error
    )


def test_an_imported_change_needs_a_new_review(election):
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,1,bravo,neutraal\r\n"
    editor = UserFactory(role="Redacteur")
    StanceResource().import_data(
        tablib.Dataset().load(csv, format="csv"), user=editor, **IMPORT_KWARGS
    )
    stance = Stance.objects.get(statement__order=1, party__slug="bravo")
    assert (stance.position, stance.review_status, stance.edited_by) == ("neutral", "draft", editor)


def test_a_published_election_is_not_changed_by_an_import(election):
    Election.objects.filter(pk=election.pk).update(status="published")
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,1,bravo,neutraal\r\n"
    result = StanceResource().import_data(tablib.Dataset().load(csv, format="csv"), **IMPORT_KWARGS)
    assert "is gepubliceerd" in str(result.invalid_rows[0].error_dict)
    assert Stance.objects.get(statement__order=1, party__slug="bravo").position == "none"


def upload(client, csv, model="stance"):
    url = reverse(f"admin:positions_{model}_import")
    file = SimpleUploadedFile("standpunten.csv", csv.encode(), content_type="text/csv")
    return client.post(url, {"format": "0", "resource": "0", "import_file": file})


def test_the_admin_previews_an_import_before_writing(admin_client, election):
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,1,bravo,neutraal\r\n"
    response = upload(admin_client, csv)
    assert response.context["confirm_form"] is not None
    assert Stance.objects.get(statement__order=1, party__slug="bravo").position == "none"

    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    process = reverse("admin:positions_stance_process_import")
    assert admin_client.post(process, data).status_code == 302
    assert Stance.objects.get(statement__order=1, party__slug="bravo").position == "neutral"


def test_the_admin_shows_the_bad_row_and_offers_no_confirm(admin_client, election):
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,1,bravo,misschien\r\n"
    response = upload(admin_client, csv)
    assert "confirm_form" not in response.context
    assert "rij 1: standpunt &#x27;misschien&#x27; is niet een van" in response.content.decode()


def test_import_needs_the_add_and_change_permissions(client, election):
    viewer = UserFactory()
    viewer.user_permissions.add(*_perms("view_stance"))
    client.force_login(viewer)
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,1,bravo,neutraal\r\n"
    assert upload(client, csv).status_code == 403


def test_a_redacteur_imports_statements(client, election):
    client.force_login(UserFactory(role="Redacteur"))
    csv = "verkiezing,nummer,thema,titel,stelling,uitleg\r\ngr2026,3,Zorg,Zorg,Meer zorg.,\r\n"
    assert upload(client, csv, "statement").context["confirm_form"] is not None


def _perms(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename__in=codenames)


def test_the_admin_exports_the_filtered_election_as_csv(admin_client, election):
    StanceFactory()  # in another election
    url = reverse("admin:positions_stance_export")
    url += f"?statement__election__id__exact={election.pk}"
    form = admin_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if name != "export_items"}
    response = admin_client.post(url, {**data, "format": "0"})
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.decode() == STANCES_CSV.format(slug="gr2026")


def test_a_five_point_position_is_refused_on_a_three_point_election(election):
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,1,bravo,helemaal eens\r\n"
    result = StanceResource().import_data(tablib.Dataset().load(csv, format="csv"), **IMPORT_KWARGS)
    assert "kan alleen bij een verkiezing met 5 standen" in str(result.invalid_rows[0].error_dict)
    assert Stance.objects.get(statement__order=1, party__slug="bravo").position == "none"


def test_a_five_point_election_imports_five_point_positions(election):
    Election.objects.filter(pk=election.pk).update(scale=5)
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,1,bravo,helemaal oneens\r\n"
    StanceResource().import_data(tablib.Dataset().load(csv, format="csv"), **IMPORT_KWARGS)
    assert Stance.objects.get(statement__order=1, party__slug="bravo").position == (
        "strongly_disagree"
    )


def _import_statements(csv):
    dataset = tablib.Dataset().load(csv, format="csv")
    return StatementResource().import_data(dataset, **IMPORT_KWARGS)


STATEMENT_HEADER = "verkiezing,nummer,thema,titel,stelling,uitleg\r\n"


def test_a_statement_file_without_the_stelling_column_imports_nothing(election):
    result = _import_statements("verkiezing,nummer,thema,titel\r\ngr2026,3,Zorg,Zorg\r\n")
    assert "Kolom 'stelling' ontbreekt" in str(result.base_errors[0].error)
    assert not Statement.objects.filter(order=3).exists()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("gr2026,3,Zorg,,Meer zorg.,", "title", "Dit veld kan niet leeg zijn"),
        ("gr2026,3,Zorg,Zorg,,", "text", "Dit veld kan niet leeg zijn"),
        (
            f"gr2026,3,Zorg,{'x' * 200},Meer zorg.,",
            "title",
            "Zorg dat deze waarde niet meer dan 120 tekens bevat (het zijn er nu 200).",
        ),
    ],
)
def test_an_invalid_statement_row_is_named_for_editors_and_nothing_is_written(
    election, row, field, message
):
    with translation.override("nl"):
        result = _import_statements(STATEMENT_HEADER + row + "\r\n")
    [invalid] = result.invalid_rows
    assert invalid.error_dict[field] == [message]
    assert not Statement.objects.filter(order=3).exists()


@pytest.mark.parametrize("number", ["abc", "-4", ""])
def test_a_statement_number_that_is_not_a_whole_number_is_named_for_editors(election, number):
    result = _import_statements(STATEMENT_HEADER + f"gr2026,{number},Zorg,Zorg,Meer zorg.,\r\n")
    [(row, [error])] = result.row_errors()
    assert str(error.error) == f"rij 1: nummer '{number}' is geen geheel getal vanaf 1"
    assert not Statement.objects.filter(title="Zorg").exists()


def test_two_rows_with_the_same_number_are_refused(election):
    result = _import_statements(
        STATEMENT_HEADER + "gr2026,3,Zorg,Zorg,Meer zorg.,\r\ngr2026,3,Zorg,Wonen,Meer huizen.,\r\n"
    )
    [invalid] = result.invalid_rows
    assert invalid.non_field_specific_errors == [
        "rij 2: verkiezing 'gr2026', nummer '3' staat al in rij 1"
    ]
    assert not Statement.objects.filter(order=3).exists()


def test_a_stance_for_a_party_outside_the_election_is_refused(election):
    PartyFactory(slug="buiten")
    csv = "verkiezing,stelling,partij,standpunt\r\ngr2026,1,buiten,eens\r\n"
    result = StanceResource().import_data(tablib.Dataset().load(csv, format="csv"), **IMPORT_KWARGS)
    assert "doet niet mee" in str(result.invalid_rows[0].error_dict["party"])
    assert not Stance.objects.filter(party__slug="buiten").exists()


def test_an_imported_quote_that_is_not_in_the_programme_is_refused(election):
    csv = STANCES_CSV.format(slug="gr2026").replace(
        "gr2026,1,alfa,eens,Omdat het nodig is.,Programma Alfa,Wij willen meer sociale",
        "gr2026,1,alfa,eens,Omdat het nodig is.,Programma Alfa,Wij willen minder sociale",
    )
    before = snapshot_rows()
    result = StanceResource().import_data(tablib.Dataset().load(csv, format="csv"), **IMPORT_KWARGS)
    assert "niet letterlijk" in str(result.invalid_rows[0].error_dict["quote"])
    assert snapshot_rows() == before


def test_a_file_that_is_not_utf8_is_refused_in_dutch(admin_client, election):
    url = reverse("admin:positions_statement_import")
    data = (STATEMENT_HEADER + "gr2026,3,Zorg,Café,Meer zorg.,\r\n").encode("latin-1")
    file = SimpleUploadedFile("stellingen.csv", data, content_type="text/csv")
    response = admin_client.post(url, {"format": "0", "resource": "0", "import_file": file})
    assert response.context["form"].errors["import_file"] == [
        "Dit bestand is geen UTF-8-tekst. Bewaar het in je rekenblad als 'CSV UTF-8' of als "
        ".xlsx en probeer opnieuw."
    ]


@pytest.mark.parametrize("fmt", ["0", "1"])
def test_the_export_writes_a_formula_as_text_and_imports_it_unchanged(admin_client, election, fmt):
    formula = '=HYPERLINK("https://example.org","klik")'
    Stance.objects.filter(statement__order=1, party__slug="bravo").update(explanation=formula)
    url = reverse("admin:positions_stance_export")
    form = admin_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if name != "export_items"}
    content = admin_client.post(url, {**data, "format": fmt}).content
    dataset = tablib.Dataset().load(
        content if fmt == "1" else content.decode(), format=["csv", "xlsx"][int(fmt)]
    )
    assert "'" + formula in dataset["toelichting"]
    before = snapshot_rows()
    result = StanceResource().import_data(dataset, **IMPORT_KWARGS)
    assert result.totals["update"] == 0
    assert snapshot_rows() == before
