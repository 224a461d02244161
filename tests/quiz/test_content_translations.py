"""Editors' French and English texts of an election and its stances, as voters see them."""

import datetime
from dataclasses import replace

import pytest
from django.conf import settings
from django.urls import reverse

from positions.catalog import ElectionData, ElectionText, StanceData
from positions.models import ElectionTranslation, StanceTranslation
from tests.factories import ElectionFactory
from tests.pages import parse, text, texts


def election_data(**fields) -> ElectionData:
    values = {
        "slug": "test",
        "name": "Gemeenteraad",
        "date": datetime.date(2026, 3, 18),
        "intro": "Kies je raad.",
        "method": "agreement",
        "statements": (),
        "parties": (),
        "axis_x_label": "links – rechts",
        "axis_y_label": "oud – nieuw",
    }
    return ElectionData(**(values | fields))


def test_a_translated_election_is_shown_in_the_voters_language():
    data = election_data(
        translations={"fr": ElectionText("Conseil", "Choisis.", "gauche – droite", "ancien – neuf")}
    )
    french = data.localized("fr")
    assert (french.name, french.intro, french.axis_x_label, french.axis_y_label) == (
        "Conseil",
        "Choisis.",
        "gauche – droite",
        "ancien – neuf",
    )
    assert french.fallback == frozenset()


def test_an_untranslated_election_falls_back_to_dutch_field_by_field():
    data = election_data(translations={"fr": ElectionText("Conseil", axis_x_label="gauche")})
    french = data.localized("fr")
    assert (french.name, french.intro, french.axis_x_label, french.axis_y_label) == (
        "Conseil",
        "Kies je raad.",
        "gauche",
        "oud – nieuw",
    )
    assert french.fallback == {"intro", "axis_y_label"}


def test_without_a_translation_every_dutch_text_is_named_as_fallback():
    english = election_data(intro="").localized("en")
    assert english.name == "Gemeenteraad"
    assert english.fallback == {"name", "axis_x_label", "axis_y_label"}


def test_dutch_voters_see_the_editors_text_unmarked():
    data = election_data(translations={"fr": ElectionText("Conseil")})
    assert data.localized("nl").name == "Gemeenteraad"
    assert data.localized("nl").fallback == frozenset()


def stance(**fields) -> StanceData:
    return StanceData("agree", "Omdat het moet.", "", "", "", **fields)


def test_a_stance_explanation_is_shown_in_the_voters_language():
    english = stance(translations={"en": "Because it must."}).localized("en")
    assert english.explanation == "Because it must."
    assert english.fallback == frozenset()


def test_an_untranslated_stance_explanation_is_dutch_and_named():
    french = stance(translations={"en": "Because it must."}).localized("fr")
    assert french.explanation == "Omdat het moet."
    assert french.fallback == {"explanation"}


def test_a_stance_without_explanation_has_nothing_to_fall_back_on():
    assert StanceData("agree", "", "", "", "").localized("fr").fallback == frozenset()


def test_localized_election_data_holds_localized_stances():
    data = election_data(stances={(1, "alfa"): stance(translations={"fr": "Parce que."})})
    assert data.localized("fr").stance(1, "alfa").explanation == "Parce que."
    assert data.stance(1, "alfa").explanation == "Omdat het moet."


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Andere naam"},
        {"intro": "Andere intro."},
        {"axis_y_label": "boven – onder"},
        {"translations": {"fr": ElectionText("Conseil")}},
        {"stances": {(1, "alfa"): stance(translations={"fr": "Parce que."})}},
    ],
)
def test_the_version_fingerprint_covers_every_text_and_translation(change):
    """Stored pages are keyed by it: a text it misses would be served stale."""
    base = election_data(stances={(1, "alfa"): stance()})
    assert replace(base, **change).version != base.version


# The voter's pages.


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def translate_election(election, language="fr", **fields):
    values = {"name": "Élection test", "intro": "Votez bien.", "axis_x_label": "gauche – droite"}
    return ElectionTranslation.objects.create(
        election=election, language=language, **(values | fields)
    )


def translate_stance(election, party="alfa", language="fr", explanation="Parce que c’est utile."):
    stance = election.statements.get(order=1).stances.get(party__slug=party)
    return StanceTranslation.objects.create(
        stance=stance, language=language, explanation=explanation
    )


def get(client, name, *args):
    return client.get(reverse(f"quiz:{name}", args=["test", *args])).content.decode()


@pytest.mark.django_db
def test_the_election_page_shows_the_translated_name_and_intro(client, election):
    translate_election(election)
    page = get(in_language(client, "fr"), "election")
    assert text(page, "h1") == "Élection test"
    assert text(page, ".intro") == "Votez bien."
    assert text(page, "title").startswith("Élection test")
    assert "(Nederlands)" not in page


@pytest.mark.django_db
def test_the_election_page_marks_the_dutch_name_where_no_translation(client, election):
    election.intro = "Kies goed."
    election.save()
    translate_election(election, language="en", intro="")
    french = parse(get(in_language(client, "fr"), "election"))
    assert french.select_one("h1").attrs.get("lang") == "nl"
    assert french.select_one("h1").text == "Testverkiezing (Nederlands)"
    english = parse(get(in_language(client, "en"), "election"))
    assert english.select_one("h1").text == "Élection test"
    assert english.select_one(".intro").attrs.get("lang") == "nl"
    assert english.select_one(".intro").text == "Kies goed. (Nederlands)"


@pytest.mark.django_db
def test_every_page_title_names_the_translated_election(client, election):
    translate_election(election, language="en", name="Test election")
    in_language(client, "en")
    for page in (get(client, "statement", 1), get(client, "overview"), get(client, "result")):
        assert "Test election" in text(page, "title")


@pytest.mark.django_db
def test_the_statement_page_shows_the_parties_translated_explanations(client, election):
    translate_stance(election)
    page = parse(get(in_language(client, "fr"), "statement", 1))
    alfa, bravo = page.select(".arguments li")[:2]
    assert alfa.select_one("span").attrs.get("lang") is None
    assert alfa.select_one("span").text == "Parce que c’est utile."
    assert bravo.select_one("span").attrs.get("lang") == "nl"
    assert bravo.select_one("span").text == "Omdat het nodig is. (Nederlands)"


@pytest.mark.django_db
def test_the_result_shows_the_parties_translated_explanations(client, election):
    translate_stance(election, language="en", explanation="Because it is needed.")
    in_language(client, "en")
    client.post(reverse("quiz:statement", args=["test", 1]), {"answer": "agree"})
    page = get(client, "result")
    explanations = texts(page, "table.comparison td p")
    assert "Because it is needed." in explanations
    assert "Omdat het nodig is. (Nederlands)" in explanations


@pytest.mark.django_db
def test_the_landscape_shows_translated_axis_labels(client, landscape):
    translate_election(landscape, language="en", axis_y_label="old – new")
    in_language(client, "en")
    for number in (1, 2):
        client.post(reverse("quiz:statement", args=["test", number]), {"answer": "agree"})
    page = parse(get(client, "result"))
    headers = page.select(".landscape-table thead th")
    assert [h.text for h in headers][1:] == ["gauche – droite", "old – new"]
    assert {t.text for t in page.select("figure.landscape svg text")} >= {
        "gauche",
        "droite",
        "old",
        "new",
    }


@pytest.mark.django_db
def test_the_landscape_marks_an_untranslated_axis_label(client, landscape):
    translate_election(landscape, language="en", axis_x_label="")
    in_language(client, "en")
    page = parse(get(client, "result"))
    x_header, y_header = page.select(".landscape-table thead th")[1:]
    assert (x_header.attrs.get("lang"), x_header.text) == ("nl", "links – rechts (Nederlands)")
    assert (y_header.attrs.get("lang"), y_header.text) == (
        "nl",
        "conservatief – progressief (Nederlands)",
    )


@pytest.mark.django_db
def test_a_new_translation_changes_the_stored_page(
    client, election, django_capture_on_commit_callbacks
):
    in_language(client, "fr")
    assert text(get(client, "election"), "h1") == "Testverkiezing (Nederlands)"
    with django_capture_on_commit_callbacks(execute=True):
        translate_election(election)
    assert text(get(client, "election"), "h1") == "Élection test"


@pytest.mark.django_db
def test_the_api_keeps_the_editors_dutch_texts(client, election):
    translate_election(election, language="en", name="Test election")
    translate_stance(election, language="en", explanation="Because.")
    data = in_language(client, "en").get(reverse("quiz:api-election", args=["test"])).json()
    assert data["name"] == "Testverkiezing"
    assert "Because." not in str(data)


@pytest.fixture
def other_election(db):
    return ElectionFactory(slug="andere", name="Andere verkiezing", date=datetime.date(2026, 1, 1))


@pytest.mark.django_db
def test_the_home_page_lists_the_translated_names(client, election, other_election):
    translate_election(election, language="en", name="Test election")
    page = parse(in_language(client, "en").get(reverse("quiz:home")).content)
    names = page.select(".elections strong")
    assert [n.text for n in names] == ["Test election", "Andere verkiezing (Nederlands)"]
    assert [n.attrs.get("lang") for n in names] == [None, "nl"]
