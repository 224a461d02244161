import ast
import re
import runpy
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from positions import catalog
from positions.models import StatementTranslation, ThemeTranslation

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """`make` compiles the catalogues; compile them here too when pytest runs on its own."""
    if runpy.run_path(str(ROOT / "scripts" / "compile_messages.py"))["compile_all"]():
        translation.trans_real._translations.clear()


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def statement_page(client, n=1):
    return client.get(reverse("quiz:statement", args=["test", n])).content.decode()


def translate_first_statement(election, language="en", **fields):
    statement = election.statements.get(order=1)
    values = {"title": "Measure one", "text": "The town must take measure one."} | fields
    return StatementTranslation.objects.create(statement=statement, language=language, **values)


def test_dutch_is_the_default_language(client, election):
    page = statement_page(client)
    assert '<html lang="nl">' in page
    assert ">Eens</button>" in page


def test_the_interface_is_translated_into_french(client, election):
    page = statement_page(in_language(client, "fr"))
    assert '<html lang="fr">' in page
    assert ">D’accord</button>" in page
    assert "Affirmation 1 / 3" in page


def test_the_interface_is_translated_into_english(client, election):
    page = statement_page(in_language(client, "en"))
    assert ">Agree</button>" in page
    assert "Statement 1 / 3" in page


def test_the_language_switch_remembers_the_choice(client, election):
    url = reverse("quiz:statement", args=["test", 2])
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.url == url
    assert '<html lang="en">' in statement_page(client, 2)


def test_a_missing_translation_falls_back_to_dutch_visibly(client, election):
    page = statement_page(in_language(client, "en"))
    assert 'lang="nl">De gemeente moet maatregel' in page
    assert '<small class="fallback">(Nederlands)</small></h1>' in page


def test_a_translated_statement_is_shown_in_the_voters_language(client, election):
    translate_first_statement(election, explanation="Neutral background.")
    ThemeTranslation.objects.create(
        theme=election.statements.first().theme, language="en", name="Housing"
    )
    page = statement_page(in_language(client, "en"))
    assert 'tabindex="-1">The town must take measure one.</h1>' in page
    assert "<p>Neutral background.</p>" in page
    assert '<p class="theme">Housing</p>' in page
    card = page.split('<section id="statement-card"')[1].split('<details class="arguments">')[0]
    assert "(Nederlands)" not in card


def test_a_translation_without_explanation_shows_the_dutch_one_marked(client, election):
    translate_first_statement(election)
    page = statement_page(in_language(client, "en"))
    assert "The town must take measure one." in page
    assert (
        '<p lang="nl">Neutrale achtergrond. <small class="fallback">(Nederlands)</small></p>'
        in page
    )


def test_a_french_voter_does_not_see_the_english_translation(client, election):
    translate_first_statement(election)
    page = statement_page(in_language(client, "fr"))
    assert "measure one" not in page
    assert 'lang="nl">De gemeente moet maatregel' in page


def test_translations_reach_the_overview_and_the_result(client, election):
    translate_first_statement(election)
    in_language(client, "en")
    assert "Measure one" in client.get(reverse("quiz:overview", args=["test"])).content.decode()
    assert "Measure one" in client.get(reverse("quiz:result", args=["test"])).content.decode()


def test_a_new_translation_is_visible_on_the_next_request(
    client, election, django_capture_on_commit_callbacks
):
    in_language(client, "en")
    statement_page(client)
    with django_capture_on_commit_callbacks(execute=True):
        translate_first_statement(election)
    assert "The town must take measure one." in statement_page(client)


def test_translated_statement_step_does_no_database_query(
    client, election, django_assert_num_queries
):
    translate_first_statement(election)
    catalog.published_election("test")
    in_language(client, "en")
    with django_assert_num_queries(0):
        page = statement_page(client)
        answered = client.post(reverse("quiz:statement", args=["test", 1]), {"answer": "agree"})
    assert "The town must take measure one." in page
    assert answered.url == reverse("quiz:statement", args=["test", 2])


def test_the_api_keeps_the_editors_dutch_text(client, election):
    translate_first_statement(election)
    in_language(client, "en")
    data = client.get(reverse("quiz:api-election", args=["test"])).json()
    assert data["statements"][0]["text"].startswith("De gemeente moet maatregel")


def test_editors_add_translations_on_the_statement_page(admin_client, election):
    statement = election.statements.get(order=1)
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="translations-TOTAL_FORMS"' in page


def test_editors_add_translations_on_the_theme_page(admin_client, election):
    theme = election.statements.first().theme
    page = admin_client.get(
        reverse("admin:positions_theme_change", args=[theme.pk])
    ).content.decode()
    assert 'name="translations-TOTAL_FORMS"' in page


def test_untranslated_titles_in_the_result_are_marked(client, election):
    page = in_language(client, "fr").get(reverse("quiz:result", args=["test"])).content.decode()
    assert '<span lang="nl">Stelling 2 <small class="fallback">(Nederlands)</small></span>' in page


VOTER_TEMPLATES = [
    Path(settings.BASE_DIR) / "templates" / name
    for name in ("base.html", "400.html", "404.html", "405.html")
] + sorted((Path(settings.BASE_DIR) / "templates" / "quiz").glob("*.html"))
_GETTEXT_CALL = re.compile(r"\b(?:n?gettext)\(u('(?:[^'\\]|\\.)*')")


def _template_messages() -> set[str]:
    """Every message the voter's pages and the quiz app mark for translation."""
    messages = set()
    for path in VOTER_TEMPLATES:
        code = templatize(path.read_text(encoding="utf-8"), str(path))
        messages |= {ast.literal_eval(m) for m in _GETTEXT_CALL.findall(code)}
    keywords = {"_": None, "gettext": None, "gettext_lazy": None, "ngettext": (1, 2)}
    for path in (Path(settings.BASE_DIR) / "quiz").glob("*.py"):
        for _line, message, _comments, _context in extract_from_file(
            "python", path, keywords=keywords
        ):
            messages.add(message[0] if isinstance(message, tuple) else message)
    return messages


def test_the_messages_are_found_in_templates_and_code():
    """The check below is only as good as this list: a template tag, a block with a
    placeholder, a plural and a message from Python must all be in it."""
    assert {
        "Je resultaat",
        "%(counter)s stelling vergeleken",
        "Bekijk het resultaat: %(url)s",
        "Kies minstens één partij.",
    } <= _template_messages()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_message_of_the_voters_pages_is_translated(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as source:
        catalog = read_po(source)
    untranslated = [
        message
        for message in sorted(_template_messages())
        if catalog.get(message) is None
        or catalog[message].fuzzy
        or not all(
            catalog[message].string
            if isinstance(catalog[message].string, tuple)
            else [catalog[message].string]
        )
    ]
    assert untranslated == []


NARROW_NO_BREAK_SPACE = "\u202f"
# ":", ";", "?" and "!" with what precedes them, leaving out the "://" of an address.
_HIGH_SIGN = re.compile(r"(^|.)([:;?!])(?!//)", re.DOTALL)
_ENTITY = re.compile(r"&#?\w+;")


def test_french_puts_a_narrow_no_break_space_before_high_signs():
    """French typography: "Que disent les partis ?" with U+202F, never a plain space or none,
    so the sign is never alone at the start of a line."""
    path = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as source:
        catalog = read_po(source)
    wrong = [
        string
        for message in catalog
        if message.id
        for string in (message.string if isinstance(message.string, tuple) else [message.string])
        for before, _sign in _HIGH_SIGN.findall(_ENTITY.sub("", string))
        if before != NARROW_NO_BREAK_SPACE
    ]
    assert wrong == []
