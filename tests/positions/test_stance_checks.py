"""What the stance forms refuse or store: a deliberate "geen standpunt", quotes that are verbatim
in a programme of the stance's own party, and only parties of the election."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from positions.models import Stance
from tests.factories import ManifestoDocumentFactory, PartyFactory
from tests.positions.test_admin import _statement_page_data

pytestmark = pytest.mark.django_db

PROGRAMME = (
    "Inleiding\nWij willen meer sociale\nhuurwoningen bouwen.\nDe belasting blijft gelijk.\n"
)


@pytest.fixture
def draft(election):
    election.status = "draft"
    election.save()
    return election


def _charlie_form(draft, stances):
    charlie = draft.parties.get(slug="charlie")
    return next(i for i, f in enumerate(stances.forms) if f.initial.get("party") == charlie.pk)


def test_a_deliberate_geen_standpunt_is_stored(admin_client, draft):
    statement = draft.statements.get(order=1)
    url, data, stances = _statement_page_data(admin_client, statement)
    data[stances.add_prefix(str(_charlie_form(draft, stances))) + "-position"] = "none"
    assert admin_client.post(url, data).status_code == 302
    assert statement.stances.get(party__slug="charlie").position == "none"


def test_a_party_form_left_alone_stays_missing(admin_client, draft):
    statement = draft.statements.get(order=1)
    url, data, stances = _statement_page_data(admin_client, statement)
    assert admin_client.post(url, data).status_code == 302
    assert not statement.stances.filter(party__slug="charlie").exists()


def _quote_post(admin_client, draft, quote, document):
    statement = draft.statements.get(order=1)
    url, data, stances = _statement_page_data(admin_client, statement)
    prefix = stances.add_prefix(str(_charlie_form(draft, stances)))
    data.update(
        {
            f"{prefix}-position": "agree",
            f"{prefix}-explanation": "Omdat.",
            f"{prefix}-document": str(document.pk),
            f"{prefix}-quote": quote,
            f"{prefix}-location": "regel 9999",
        }
    )
    response = admin_client.post(url, data)
    errors = (
        response.context["inline_admin_formsets"][0].formset.errors
        if response.status_code == 200
        else None
    )
    return response, errors, statement


def test_a_verbatim_quote_gets_the_lines_where_it_stands(admin_client, draft):
    charlie = draft.parties.get(slug="charlie")
    document = ManifestoDocumentFactory(party=charlie, original_text=PROGRAMME)
    quote = "Wij willen meer sociale\r\nhuurwoningen bouwen."
    response, _, statement = _quote_post(admin_client, draft, quote, document)
    assert response.status_code == 302
    stance = statement.stances.get(party=charlie)
    assert (stance.quote, stance.location) == (
        "Wij willen meer sociale\nhuurwoningen bouwen.",
        "regels 2-3",
    )


def test_a_made_up_quote_is_a_form_error(admin_client, draft):
    charlie = draft.parties.get(slug="charlie")
    document = ManifestoDocumentFactory(party=charlie, original_text=PROGRAMME)
    made_up = "Wij schaffen alles af."
    response, errors, statement = _quote_post(admin_client, draft, made_up, document)
    assert response.status_code == 200
    assert any("niet letterlijk" in str(e.get("quote")) for e in errors)
    assert not statement.stances.filter(party=charlie).exists()


def test_a_programme_of_another_party_is_a_form_error(admin_client, draft):
    alfa_programme = ManifestoDocumentFactory(
        party=draft.parties.get(slug="alfa"), original_text=PROGRAMME
    )
    response, errors, _ = _quote_post(
        admin_client, draft, "De belasting blijft gelijk.", alfa_programme
    )
    assert response.status_code == 200
    assert any("geen programma van deze partij" in str(e.get("document")) for e in errors)


def test_the_stance_add_form_refuses_a_party_outside_the_election(admin_client, draft):
    outsider = PartyFactory(name="Buiten")
    statement = draft.statements.get(order=1)
    response = admin_client.post(
        reverse("admin:positions_stance_add"),
        {
            "statement": statement.pk,
            "party": outsider.pk,
            "position": "none",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "doet niet mee" in str(response.context["adminform"].form.errors["party"])
    assert not Stance.objects.filter(party=outsider).exists()


def test_every_stance_of_the_real_programme_demo_passes_the_form_checks(db):
    """The quotes coded from the real programmes are accepted as they are, at the same lines."""
    call_command("load_seed_demo", verbosity=0)
    stances = Stance.objects.select_related("statement__election").exclude(quote="")
    assert stances.count() > 40
    for stance in stances:
        location = stance.location
        stance.full_clean()
        assert stance.location == location, stance
