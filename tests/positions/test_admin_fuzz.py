"""Bad values posted into every field of every editors' form answer a form error, never a 500.

The test client re-raises any exception a view lets through, so a 500 fails the test with its
traceback."""

import tempfile
from pathlib import Path

import pytest
from django.forms import ModelChoiceField
from django.urls import reverse

from positions.models import ManifestoDocument, Party, Stance, Theme
from tests.factories import BallotDayFactory, ManifestoDocumentFactory, reviewed_election
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db

BAD_VALUES = ["abc", "-1", "9223372036854775808", "\x00"]
BAD_IDS = ["abc", "9223372036854775808"]


def _pages(election):
    statement = election.statements.get(order=1)
    stance = Stance.objects.get(statement=statement, party__slug="alfa")
    document = ManifestoDocument.objects.get(title="Programma Alfa")
    change = [
        ("election", election.pk),
        ("party", Party.objects.get(slug="alfa").pk),
        ("theme", Theme.objects.first().pk),
        ("statement", statement.pk),
        ("stance", stance.pk),
        ("manifestodocument", document.pk),
    ]
    ballot_day = BallotDayFactory()
    election.ballot_day = ballot_day
    election.save()
    change.append(("ballotday", ballot_day.pk))
    return [
        *[reverse(f"admin:positions_{model}_change", args=[pk]) for model, pk in change],
        *[
            reverse(f"admin:positions_{model}_add")
            for model in ("election", "party", "theme", "statement", "stance", "ballotday")
        ],
    ]


PAGES = [
    "election change",
    "party change",
    "theme change",
    "statement change",
    "stance change",
    "manifestodocument change",
    "ballotday change",
    "election add",
    "party add",
    "theme add",
    "statement add",
    "stance add",
    "ballotday add",
]


def _id_fields(response) -> list[str]:
    """The posted names of the fields that take a row's id: where a database reads the value."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += inline.formset.forms
    return [
        form.add_prefix(name)
        for form in forms
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField)
    ]


@pytest.mark.parametrize("page", range(len(PAGES)), ids=PAGES)
def test_bad_values_in_any_field_are_never_a_server_error(admin_client, page):
    """Each bad value in every field at once, then each alone in each field that takes an id."""
    election = reviewed_election()
    ManifestoDocumentFactory(party=election.parties.get(slug="bravo"), title="Programma Bravo")
    url = _pages(election)[page]
    response = admin_client.get(url)
    data = _change_form_data(response)
    posts = [{name: value for name in data} for value in BAD_VALUES]
    posts += [{**data, name: value} for name in _id_fields(response) for value in BAD_IDS]
    for post in posts:
        response = admin_client.post(url, post)
        assert response.status_code in (200, 302), post


@pytest.mark.parametrize(
    "field", ["stances-TOTAL_FORMS", "stances-INITIAL_FORMS", "translations-INITIAL_FORMS"]
)
@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_management_form_counts_on_the_statement_page_are_a_form_error(
    admin_client, field, value
):
    statement = reviewed_election().statements.get(order=1)
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    data = _change_form_data(admin_client.get(url))
    before = list(Stance.objects.values_list("pk", "statement", "party"))
    assert admin_client.post(url, {**data, field: value}).status_code in (200, 302)
    assert list(Stance.objects.values_list("pk", "statement", "party")) == before


@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_values_in_the_review_and_withdrawal_forms_are_never_a_server_error(
    admin_client, value
):
    election = reviewed_election(review_status="submitted")
    stance = Stance.objects.filter(statement__election=election).first()
    review = reverse("admin:positions_stance_review", args=[stance.pk])
    for data in ({"action": value, "comment": value}, {"action": "send_back", "comment": value}):
        assert admin_client.post(review, data).status_code in (200, 302, 400)
    unpublish = reverse("admin:positions_election_unpublish", args=[election.pk])
    assert admin_client.post(unpublish, {"reason": value}).status_code in (200, 302, 400)
    for bad_id in BAD_IDS:
        matrix = reverse("admin:positions_election_matrix", args=[bad_id])
        assert admin_client.get(matrix).status_code in (302, 404)


@pytest.mark.parametrize("model", ["stance", "statement"])
@pytest.mark.parametrize("value", [*BAD_VALUES, "tmpgone123456"])
def test_a_forged_import_confirmation_is_refused(admin_client, model, value):
    reviewed_election()
    url = reverse(f"admin:positions_{model}_process_import")
    for data in (
        {"format": value, "resource": "0", "import_file_name": "tmpab12cd34"},
        {"format": "0", "resource": value, "import_file_name": value},
    ):
        data["original_file_name"] = "a.csv"
        response = admin_client.post(url, data)
        assert response.status_code == 302
        assert response.url == reverse(f"admin:positions_{model}_import")


def test_an_import_confirmation_cannot_name_another_file(admin_client):
    election = reviewed_election(slug="gr2026")
    kept = Path(tempfile.gettempdir()) / f"stemhulp-{election.pk}-keep.csv"
    kept.write_text("verkiezing,stelling,partij,standpunt\r\ngr2026,1,bravo,neutraal\r\n")
    try:
        url = reverse("admin:positions_stance_process_import")
        data = {"format": "0", "resource": "0", "original_file_name": "a.csv"}
        admin_client.post(url, {**data, "import_file_name": f"../{kept.name}"})
        assert kept.exists()
    finally:
        kept.unlink(missing_ok=True)
    assert Stance.objects.get(statement__order=1, party__slug="bravo").position == "none"
