import pytest
from django.db import IntegrityError
from django.urls import reverse

from positions.models import Stance
from tests.factories import PartyFactory, StanceFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_one_stance_per_party_per_statement_is_enforced_by_the_database(election):
    stance = election.statements.first().stances.first()
    with pytest.raises(IntegrityError):
        Stance.objects.create(statement=stance.statement, party=stance.party, position="neutral")


def test_a_quote_needs_a_source_document(election):
    statement = election.statements.first()
    charlie = election.parties.get(slug="charlie")
    with pytest.raises(IntegrityError):
        Stance.objects.create(statement=statement, party=charlie, quote="Zomaar iets.")


def test_election_list_shows_how_complete_the_stance_matrix_is(admin_client, election):
    page = admin_client.get(reverse("admin:positions_election_changelist")).content.decode()
    assert "6 / 9 (67%)" in page


def test_statement_form_offers_a_stance_form_for_each_party_without_one(admin_client, election):
    statement = election.statements.get(order=1)
    response = admin_client.get(reverse("admin:positions_statement_change", args=[statement.pk]))
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.total_form_count() == 3
    charlie = election.parties.get(slug="charlie")
    assert [f.initial.get("party") for f in formset.extra_forms] == [charlie.pk]


def test_stances_for_all_parties_are_saved_from_the_statement_page(admin_client, election):
    statement = election.statements.get(order=1)
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    formset = admin_client.get(url).context["inline_admin_formsets"][0].formset
    data = {
        "election": election.pk,
        "theme": statement.theme_id,
        "order": 1,
        "title": statement.title,
        "text": statement.text,
        "explanation": "",
        "stances-TOTAL_FORMS": 3,
        "stances-INITIAL_FORMS": 2,
        "stances-MIN_NUM_FORMS": 0,
        "stances-MAX_NUM_FORMS": 1000,
    }
    for i, form in enumerate(formset.forms):
        stance = form.instance
        data.update(
            {
                f"stances-{i}-id": stance.pk or "",
                f"stances-{i}-statement": statement.pk,
                f"stances-{i}-party": stance.party_id if stance.pk else form.initial["party"],
                f"stances-{i}-position": stance.position if stance.pk else "neutral",
                f"stances-{i}-explanation": stance.explanation,
                f"stances-{i}-document": stance.document_id or "",
                f"stances-{i}-quote": stance.quote,
                f"stances-{i}-location": stance.location,
            }
        )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert statement.stances.get(party__slug="charlie").position == "neutral"


def test_statements_can_be_filtered_to_those_missing_stances(admin_client, election):
    other = StatementFactory(election=election, order=9, title="Volledig gecodeerd")
    for party in election.parties.all():
        StanceFactory(statement=other, party=party)
    url = reverse("admin:positions_statement_changelist")
    missing = admin_client.get(url, {"missing": "yes"}).content.decode()
    complete = admin_client.get(url, {"missing": "no"}).content.decode()
    assert "Stelling 1" in missing and "Volledig gecodeerd" not in missing
    assert "Volledig gecodeerd" in complete and "Stelling 1" not in complete


def test_stance_list_filters_by_party(admin_client, election):
    PartyFactory(name="Los")
    url = reverse("admin:positions_stance_changelist")
    page = admin_client.get(url, {"party__id__exact": election.parties.get(slug="bravo").pk})
    assert page.context["cl"].result_count == 3
