"""A ballot day's own name and introduction in French and English, as voters see them."""

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from positions.catalog import BallotDayData, BallotDayText
from positions.models import BallotDayTranslation
from tests.factories import UserFactory, ballot_day
from tests.pages import parse, text, texts
from tests.positions.test_admin import _change_form_data
from tests.positions.test_translations import add_inline

SLUG = "negen-juni"


def day_data(**fields) -> BallotDayData:
    values = {
        "slug": SLUG,
        "name": "Verkiezingen van 9 juni",
        "date": datetime.date(2024, 6, 9),
        "intro": "Drie verkiezingen op één dag.",
        "elections": ("europa", "kamer"),
    }
    return BallotDayData(**(values | fields))


def test_a_translated_day_is_shown_in_the_voter_s_language():
    data = day_data(translations={"fr": BallotDayText("Élections du 9 juin", "Trois élections.")})
    french = data.localized("fr")
    assert (french.name, french.intro, french.fallback) == (
        "Élections du 9 juin",
        "Trois élections.",
        frozenset(),
    )


def test_an_untranslated_intro_falls_back_to_dutch_and_is_named():
    french = day_data(translations={"fr": BallotDayText("Élections du 9 juin")}).localized("fr")
    assert (french.intro, french.fallback) == ("Drie verkiezingen op één dag.", {"intro"})


def test_the_day_s_fingerprint_covers_its_translations():
    translated = day_data(translations={"en": BallotDayText("Elections of 9 June")})
    assert translated.version != day_data().version
    assert translated.localized("en").version == translated.version


@pytest.fixture
def day(db):
    return ballot_day(intro="Drie verkiezingen op één dag.")


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def translate(day, language="fr", **fields):
    values = {"name": "Élections du 9 juin", "intro": "Trois élections le même jour."}
    return BallotDayTranslation.objects.create(day=day, language=language, **(values | fields))


def day_page(client):
    return client.get(reverse("quiz:day", args=[SLUG])).content.decode()


def test_the_day_page_shows_the_translated_name_and_intro(client, day):
    translate(day)
    page = day_page(in_language(client, "fr"))
    assert text(page, "h1") == "Élections du 9 juin"
    assert text(page, ".intro") == "Trois élections le même jour."


def test_the_day_page_marks_the_dutch_text_where_no_translation(client, day):
    translate(day, language="en", name="Elections of 9 June", intro="")
    english = day_page(in_language(client, "en"))
    assert text(english, "h1") == "Elections of 9 June"
    assert text(english, ".intro") == "Drie verkiezingen op één dag. (Nederlands)"
    french = day_page(in_language(client, "fr"))
    assert text(french, "h1") == "Verkiezingen van 9 juni (Nederlands)"
    assert parse(french).select_one("h1").attrs.get("lang") == "nl"


def test_the_start_page_lists_the_day_in_the_voter_s_language(client, day):
    translate(day, language="en", name="Elections of 9 June")
    page = in_language(client, "en").get("/").content.decode()
    assert "Elections of 9 June" in texts(page, ".card-link strong")


def test_a_statement_step_of_the_day_is_titled_in_the_voter_s_language(client, day):
    translate(day, language="en", name="Elections of 9 June")
    response = in_language(client, "en").get(reverse("quiz:day-statement", args=[SLUG, 1]))
    assert text(response.content.decode(), "title").endswith("– Elections of 9 June")


def test_a_new_translation_changes_the_stored_pages(
    client, day, django_capture_on_commit_callbacks
):
    in_language(client, "fr")
    step = reverse("quiz:day-statement", args=[SLUG, 1])
    assert text(day_page(client), "h1") == "Verkiezingen van 9 juni (Nederlands)"
    client.get(step)
    with django_capture_on_commit_callbacks(execute=True):
        translate(day)
    assert text(day_page(client), "h1") == "Élections du 9 juin"
    title = text(client.get(step).content.decode(), "title")
    assert title.endswith("– Élections du 9 juin")


def test_a_day_has_one_translation_per_language(day):
    translate(day)
    with pytest.raises(IntegrityError, match="ballot_day_translation_unique|language"):
        translate(day, name="Encore")


def test_a_day_translation_is_french_or_english(day):
    with pytest.raises(IntegrityError, match="ballot_day_translation_language"):
        translate(day, language="de")


def test_an_eindredacteur_translates_the_day_on_its_page(
    client, day, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(role="Eindredacteur"))
    url = reverse("admin:positions_ballotday_change", args=[day.pk])
    data = _change_form_data(client.get(url))
    data = add_inline(data, "translations", language="fr", name="Élections du 9 juin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    assert text(day_page(in_language(Client(), "fr")), "h1") == "Élections du 9 juin"
