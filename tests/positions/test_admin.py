import pytest
from django.db import IntegrityError
from django.urls import reverse

from positions.models import Stance
from tests.factories import PartyFactory, StanceFactory, StatementFactory
from tests.pages import texts

pytestmark = pytest.mark.django_db

# SQLite names the columns of a broken unique constraint, PostgreSQL the constraint.
ONE_STANCE_PER_PARTY = (
    "positions_stance.statement_id, positions_stance.party_id|stance_unique_per_party_per_statement"
)


def test_one_stance_per_party_per_statement_is_enforced_by_the_database(election):
    stance = election.statements.first().stances.first()
    with pytest.raises(IntegrityError, match=ONE_STANCE_PER_PARTY):
        Stance.objects.create(statement=stance.statement, party=stance.party, position="neutral")


def test_a_quote_needs_a_source_document(election):
    statement = election.statements.first()
    charlie = election.parties.get(slug="charlie")
    with pytest.raises(IntegrityError, match="stance_quote_has_document"):
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


def _change_form_data(response):
    """The POST data the change form would send unchanged, inlines and management forms included."""

    def values(form):
        data = {}
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            key = form.add_prefix(name)
            data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
        return data

    data = values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(values(formset.management_form))
        for form in formset.forms:
            data.update(values(form))
    return data


def test_stances_for_all_parties_are_saved_from_the_statement_page(admin_client, election):
    statement = election.statements.get(order=1)
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    response = admin_client.get(url)
    data = _change_form_data(response)
    stances = response.context["inline_admin_formsets"][0].formset
    empty = len(stances.forms) - 1
    data[stances.add_prefix(str(empty)) + "-position"] = "neutral"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert statement.stances.get(party__slug="charlie").position == "neutral"


def test_statements_can_be_filtered_to_those_missing_stances(admin_client, election):
    other = StatementFactory(election=election, order=9, title="Volledig gecodeerd")
    for party in election.parties.all():
        StanceFactory(statement=other, party=party)
    url = reverse("admin:positions_statement_changelist")
    missing = admin_client.get(url, {"missing": "yes"}).content
    complete = admin_client.get(url, {"missing": "no"}).content
    assert sorted(texts(missing, "#result_list .field-title")) == [
        "Stelling 1",
        "Stelling 2",
        "Stelling 3",
    ]
    assert texts(complete, "#result_list .field-title") == ["Volledig gecodeerd"]


def test_stance_list_filters_by_party(admin_client, election):
    PartyFactory(name="Los")
    url = reverse("admin:positions_stance_changelist")
    page = admin_client.get(url, {"party__id__exact": election.parties.get(slug="bravo").pk})
    assert page.context["cl"].result_count == 3
    assert {stance.party.slug for stance in page.context["cl"].result_list} == {"bravo"}


def _statement_page_data(admin_client, statement):
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    response = admin_client.get(url)
    return url, _change_form_data(response), response.context["inline_admin_formsets"][0].formset


def test_a_party_outside_the_election_is_refused_on_the_statement_page(admin_client, election):
    statement = election.statements.get(order=1)
    url, data, stances = _statement_page_data(admin_client, statement)
    outsider = PartyFactory(name="Buiten")
    data[stances.add_prefix("0") + "-party"] = str(outsider.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["party"]
    assert not statement.stances.filter(party=outsider).exists()


def test_an_unknown_document_is_refused_on_the_statement_page(admin_client, election):
    statement = election.statements.get(order=1)
    url, data, stances = _statement_page_data(admin_client, statement)
    data[stances.add_prefix("0") + "-document"] = "999999"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["document"]


def test_an_edited_stance_is_still_held_to_the_database_s_rules(admin_client, election):
    statement = election.statements.get(order=1)
    url, data, stances = _statement_page_data(admin_client, statement)
    bravo = next(i for i, f in enumerate(stances.forms) if f.instance.party.slug == "bravo")
    data[stances.add_prefix(str(bravo)) + "-quote"] = "Een citaat zonder bron."
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[bravo]["document"] == [
        "Kies het programma waaruit het citaat komt."
    ]
    assert statement.stances.get(party__slug="bravo").quote == ""


def test_a_stance_can_be_deleted_from_the_statement_page(admin_client, election):
    election.status = "draft"
    election.save()
    statement = election.statements.get(order=1)
    url, data, stances = _statement_page_data(admin_client, statement)
    bravo = next(i for i, f in enumerate(stances.forms) if f.instance.party.slug == "bravo")
    data[stances.add_prefix(str(bravo)) + "-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not statement.stances.filter(party__slug="bravo").exists()


def test_a_five_point_position_on_a_three_point_election_is_a_form_error(admin_client, election):
    statement = election.statements.get(order=1)
    url, data, stances = _statement_page_data(admin_client, statement)
    bravo = next(i for i, f in enumerate(stances.forms) if f.instance.party.slug == "bravo")
    data[stances.add_prefix(str(bravo)) + "-position"] = "strongly_agree"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[bravo]["position"] == [
        "'helemaal eens' kan alleen bij een verkiezing met 5 standen; deze verkiezing heeft er 3."
    ]
    assert statement.stances.get(party__slug="bravo").position == "disagree"


def test_a_five_point_election_takes_five_point_positions(admin_client, election):
    election.scale = 5
    election.save()
    statement = election.statements.get(order=1)
    url, data, stances = _statement_page_data(admin_client, statement)
    bravo = next(i for i, f in enumerate(stances.forms) if f.instance.party.slug == "bravo")
    data[stances.add_prefix(str(bravo)) + "-position"] = "strongly_disagree"
    assert admin_client.post(url, data).status_code == 302
    assert statement.stances.get(party__slug="bravo").position == "strongly_disagree"
