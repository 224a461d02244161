"""Quotes are cleaned when they are written, so a voter's page never loads the word list."""

import importlib

import pytest
import tablib
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from positions import catalog, manifesto, publishing, snapshots
from positions.models import ManifestoDocument, Stance
from positions.spreadsheets import IMPORT_KWARGS, StanceResource
from tests.factories import ManifestoDocumentFactory, StanceFactory, reviewed_election

pytestmark = pytest.mark.django_db

DAMAGED = "zo e\ufffdciënt mogelijk voor onze gezond-\nheid."
REPAIRED = "zo efficiënt mogelijk voor onze gezondheid."


def quoted_stance(quote=DAMAGED):
    document = ManifestoDocumentFactory()
    return StanceFactory(party=document.party, document=document, quote=quote)


def no_word_list(*args, **kwargs):
    raise AssertionError("the Dutch word list was loaded")


def test_a_saved_quote_is_shown_repaired():
    assert quoted_stance().shown_quote == REPAIRED


def test_saving_only_the_quote_repairs_it_too():
    stance = quoted_stance("Eerst dit.")
    stance.quote = DAMAGED
    stance.save(update_fields=["quote"])
    stance.refresh_from_db()
    assert stance.shown_quote == REPAIRED


def test_building_the_voters_view_cleans_nothing(monkeypatch):
    stance = quoted_stance()
    stance.statement.election.parties.add(stance.party)
    monkeypatch.setattr(manifesto, "_dictionary_lexicon", no_word_list)
    monkeypatch.setattr(manifesto, "dutch_words", no_word_list)
    monkeypatch.setattr(manifesto, "clean_quote", no_word_list)
    data = catalog.load(stance.statement.election)
    assert data.stance(stance.statement_id, stance.party.slug).quote == REPAIRED


def test_the_migration_repairs_the_quotes_already_stored():
    stance = quoted_stance()
    Stance.objects.filter(pk=stance.pk).update(shown_quote="")
    migration = importlib.import_module("positions.migrations.0007_stance_shown_quote")
    migration.fill_shown_quotes(apps, None)
    stance.refresh_from_db()
    assert stance.shown_quote == REPAIRED


def test_a_frozen_version_keeps_the_repaired_quote():
    stance = quoted_stance()
    election = stance.statement.election
    election.parties.add(stance.party)
    frozen = snapshots.decode(catalog.ElectionData, publishing.snapshot(election))
    assert frozen.stance(stance.statement_id, stance.party.slug).quote == REPAIRED


def test_a_quote_imported_from_a_spreadsheet_is_shown_repaired():
    reviewed_election(slug="gr2026")
    ManifestoDocument.objects.filter(title="Programma Alfa").update(original_text=DAMAGED + "\n")
    csv = (
        "verkiezing,stelling,partij,standpunt,toelichting,bron,citaat,vindplaats\r\n"
        'gr2026,1,alfa,eens,Omdat het nodig is.,Programma Alfa,"' + DAMAGED + '",regel 1\r\n'
    )
    result = StanceResource().import_data(tablib.Dataset().load(csv, format="csv"), **IMPORT_KWARGS)
    assert not result.has_errors() and not result.has_validation_errors()
    stance = Stance.objects.get(statement__order=1, party__slug="alfa")
    assert (stance.quote, stance.shown_quote) == (DAMAGED, REPAIRED)


def test_the_demo_fixture_carries_its_quotes_as_shown():
    """`loaddata` stores rows as they are written, without `save()`: the fixture holds both."""
    call_command("loaddata", settings.BASE_DIR / "fixtures" / "demo.json", verbosity=0)
    stances = Stance.objects.exclude(quote="")
    assert stances.exists()
    assert [s.shown_quote for s in stances] == [manifesto.clean_quote(s.quote) for s in stances]
