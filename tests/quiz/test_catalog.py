"""When the cached voter's view of an election is read again, and when it is not."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from positions import catalog
from positions.models import (
    Election,
    ElectionTranslation,
    StanceTranslation,
    Statement,
    StatementTranslation,
    ThemeTranslation,
)
from tests.factories import (
    ElectionFactory,
    ManifestoDocumentFactory,
    PartyFactory,
    StanceFactory,
    StatementFactory,
    ThemeFactory,
    UserFactory,
)


def queries_to_read(slug: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        catalog.published_election(slug)
    return len(queries)


def queries_to_list() -> int:
    with CaptureQueriesContext(connection) as queries:
        catalog.published_elections()
    return len(queries)


@pytest.fixture
def other(db):
    """A second published election with its own party, programme and theme."""
    delta = PartyFactory(name="Delta", short_name="D", slug="delta")
    other = ElectionFactory(slug="other", name="Andere verkiezing", parties=[delta])
    statement = StatementFactory(election=other, order=1, theme=ThemeFactory(name="Zorg"))
    StanceFactory(statement=statement, party=delta, document=ManifestoDocumentFactory(party=delta))
    return other


@pytest.fixture
def both_cached(election, other):
    catalog.published_election("test")
    catalog.published_election("other")
    catalog.published_elections()
    assert queries_to_read("test") == queries_to_read("other") == queries_to_list() == 0


def first_statement(election):
    return election.statements.get(order=1)


def edit_statement(election):
    statement = first_statement(election)
    statement.text = "Een nieuwe formulering."
    statement.save()


def edit_stance(election):
    stance = first_statement(election).stances.get(party__slug="alfa")
    stance.explanation = "Anders verwoord."
    stance.save()


def edit_party(election):
    party = election.parties.get(slug="bravo")
    party.name = "Bravo Nieuw"
    party.save()


def edit_document(election):
    document = election.parties.get(slug="alfa").documents.get()
    document.title = "Programma Alfa, herziene druk"
    document.save()


def edit_theme(election):
    theme = first_statement(election).theme
    theme.name = "Wonen en bouwen"
    theme.save()


def translate_statement(election):
    StatementTranslation.objects.create(
        statement=first_statement(election), language="en", title="One", text="Measure one."
    )


def translate_theme(election):
    ThemeTranslation.objects.create(
        theme=first_statement(election).theme, language="en", name="Housing"
    )


def translate_election(election):
    ElectionTranslation.objects.create(election=election, language="en", name="Test election")


def translate_stance(election):
    StanceTranslation.objects.create(
        stance=first_statement(election).stances.get(party__slug="alfa"),
        language="en",
        explanation="Because it is needed.",
    )


def remove_a_party(election):
    election.parties.remove(election.parties.get(slug="charlie"))


def add_the_election_to_a_party(election):
    PartyFactory(slug="echo").elections.add(election)


def clear_a_partys_elections(election):
    election.parties.get(slug="charlie").elections.clear()


def delete_a_statement(election):
    election.statements.get(order=3).delete()


CHANGES = [
    edit_statement,
    edit_stance,
    edit_party,
    edit_document,
    edit_theme,
    translate_statement,
    translate_theme,
    translate_stance,
    remove_a_party,
    add_the_election_to_a_party,
    clear_a_partys_elections,
    delete_a_statement,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_reloads_its_own_election_only(
    change, election, other, both_cached, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change(election)
    assert queries_to_read("test") > 0
    assert queries_to_read("other") == 0
    assert queries_to_list() == 0


def test_the_reloaded_election_shows_the_change(
    election, both_cached, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit_statement(election)
    assert catalog.published_election("test").statements[0].text == "Een nieuwe formulering."


def test_a_review_action_on_a_draft_election_keeps_published_ones_cached(
    election, both_cached, django_capture_on_commit_callbacks
):
    draft = ElectionFactory(status=Election.Status.DRAFT, parties=[PartyFactory()])
    stance = StanceFactory(
        statement=StatementFactory(election=draft), party=draft.parties.get(), position="none"
    )
    with django_capture_on_commit_callbacks(execute=True):
        stance.submit(UserFactory(role="Redacteur"))
    assert queries_to_read("test") == queries_to_read("other") == queries_to_list() == 0


def test_nothing_is_reloaded_before_the_commit(
    election, both_cached, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edit_statement(election)
    assert callbacks
    assert queries_to_read("test") == 0


def test_renaming_an_election_changes_the_list_only_for_it(
    election, other, both_cached, django_capture_on_commit_callbacks
):
    election.name = "Hernoemde verkiezing"
    with django_capture_on_commit_callbacks(execute=True):
        election.save()
    assert [e["name"] for e in catalog.published_elections()] == [
        "Andere verkiezing",
        "Hernoemde verkiezing",
    ]
    assert queries_to_read("other") == 0


def test_a_new_slug_leaves_nothing_under_the_old_one(
    election, both_cached, django_capture_on_commit_callbacks
):
    election.slug = "nieuw"
    with django_capture_on_commit_callbacks(execute=True):
        election.save()
    assert catalog.published_election("test") is None
    assert catalog.published_election("nieuw").slug == "nieuw"


def test_unpublishing_takes_the_election_off_the_list(
    election, both_cached, django_capture_on_commit_callbacks
):
    election.status = Election.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        election.save()
    assert [e["slug"] for e in catalog.published_elections()] == ["other"]


def test_invalidate_without_an_election_reloads_everything(
    both_cached, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        catalog.invalidate()
    assert queries_to_read("test") > 0
    assert queries_to_read("other") > 0
    assert queries_to_list() > 0


def test_invalidate_of_one_election_after_a_bulk_update(
    both_cached, django_capture_on_commit_callbacks
):
    Statement.objects.filter(election__slug="test", order=1).update(text="In bulk herschreven.")
    with django_capture_on_commit_callbacks(execute=True):
        catalog.invalidate("test")
    assert catalog.published_election("test").statements[0].text == "In bulk herschreven."
    assert queries_to_read("other") == 0


def lose_the_generation_keys():
    """What an eviction or a Redis restart does: the tokens go, entries may stay."""
    for key in [k for k in cache._cache if ":catalog:generation" in k or ":catalog:epoch" in k]:
        cache.delete(key.split(":", 2)[2])  # the key without its ":1:" version prefix


def test_old_entries_are_not_served_again_when_the_generation_is_lost(
    election, django_capture_on_commit_callbacks
):
    cache.clear()
    catalog.published_election("test")
    with django_capture_on_commit_callbacks(execute=True):
        edit_statement(election)
    assert catalog.published_election("test").statements[0].text == "Een nieuwe formulering."
    lose_the_generation_keys()
    assert catalog.published_election("test").statements[0].text == "Een nieuwe formulering."


def read_from_another_connection(slug: str) -> str:
    """The first statement's text as a concurrent voter request reads it."""
    seen = []

    def voter_request():
        try:
            seen.append(catalog.published_election(slug).statements[0].text)
        finally:
            connections.close_all()

    thread = threading.Thread(target=voter_request)
    thread.start()
    thread.join()
    return seen[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a second connection reading while the first writes: PostgreSQL only",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_read_between_save_and_commit_does_not_outlive_the_commit(election):
    old_text = first_statement(election).text
    with transaction.atomic():
        edit_statement(election)
        assert read_from_another_connection("test") == old_text
    assert catalog.published_election("test").statements[0].text == "Een nieuwe formulering."


def test_translating_an_election_reloads_it_and_the_list_only(
    election, other, both_cached, django_capture_on_commit_callbacks
):
    """The list of elections shows their translated names."""
    with django_capture_on_commit_callbacks(execute=True):
        translate_election(election)
    assert queries_to_read("test") > 0
    assert queries_to_read("other") == 0
    assert [e["names"] for e in catalog.published_elections()] == [{}, {"en": "Test election"}]


def test_a_translation_moved_to_another_election_reloads_both(
    election, other, both_cached, django_capture_on_commit_callbacks
):
    translation = ElectionTranslation.objects.create(election=other, language="fr", name="Autre")
    catalog.published_election("other")
    catalog.published_election("test")
    translation.election = election
    with django_capture_on_commit_callbacks(execute=True):
        translation.save()
    assert queries_to_read("test") > 0
    assert queries_to_read("other") > 0


def test_a_stance_translation_moved_to_another_election_reloads_both(
    election, other, both_cached, django_capture_on_commit_callbacks
):
    translation = StanceTranslation.objects.create(
        stance=other.statements.get().stances.get(), language="fr", explanation="Parce que."
    )
    catalog.published_election("other")
    catalog.published_election("test")
    translation.stance = first_statement(election).stances.get(party__slug="alfa")
    with django_capture_on_commit_callbacks(execute=True):
        translation.save()
    assert queries_to_read("test") > 0
    assert queries_to_read("other") > 0
