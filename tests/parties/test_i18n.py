"""The party's pages speak Dutch, French and English; every message of them is translated."""

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

ROOT = Path(settings.BASE_DIR)
_STRING = r"u('(?:[^'\\]|\\.)*')"
_CALL = re.compile(rf"\b(n?p?gettext)\({_STRING}(?:,\s*{_STRING})?(?:,\s*{_STRING})?")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
}


def _messages() -> set[tuple[str | None, str]]:
    """(context, message) of everything the party's pages and their code mark for translation."""
    found = set()
    for path in (ROOT / "templates" / "parties").glob("*.html"):
        for match in _CALL.finditer(templatize(path.read_text(encoding="utf-8"), str(path))):
            name, *args = match.groups()
            args = [ast.literal_eval(a) for a in args if a]
            found.add(
                (args[0], args[1])
                if name.startswith(("pgettext", "npgettext"))
                else (None, args[0])
            )
    for name in ("answering.py", "forms.py", "views.py"):
        for _line, message, _comments, context in extract_from_file(
            "python", ROOT / "parties" / name, keywords=KEYWORDS
        ):
            found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def test_the_messages_are_found():
    assert {
        (None, "Alles indienen"),
        ("antwoord", "betwist"),
        (None, "Nog niet beantwoord: %(statements)s."),
        (None, "%(counter)s passage, de best passende eerst."),
    } <= _messages()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_message_of_the_partys_pages_is_translated(language):
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as source:
        catalog = read_po(source)
    untranslated = []
    for context, message in sorted(_messages(), key=str):
        entry = catalog.get(message, context=context)
        strings = () if entry is None else entry.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(strings):
            untranslated.append(message)
    assert untranslated == []


@pytest.fixture
def compiled():
    if runpy.run_path(str(ROOT / "scripts" / "compile_messages.py"))["compile_all"]():
        translation.trans_real._translations.clear()


def test_the_dashboard_in_french(compiled, party_client):
    party_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    text = party_client.get(reverse("parties:home")).content.decode()
    assert "0 affirmations sur 3 répondues" in text and "Tout envoyer" in text
