"""Cleaning and splitting programme text: pure functions, no database."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from positions.manifesto import (
    REPLACEMENT,
    ManifestoError,
    clean_quote,
    quote_of_lines,
    read_text,
    split_passages,
)

MANIFESTOS = Path(settings.BASE_DIR) / "fixtures" / "manifestos"
SEEDS = sorted(p.name for p in MANIFESTOS.glob("*.txt"))
RUNNING_HEAD = re.compile(
    r"\d{1,3} VOORUIT MET [A-Z ,]+"
    r"|VOORUIT MET [A-Z ,]+ \d{1,3}\b"
    r"|Basisprogramma 2024 - Internationaal"
)


@pytest.fixture(scope="module")
def seeds():
    """Every seed split once for the module: {file name: (original text, SplitDocument)}."""
    result = {}
    for name in SEEDS:
        text = (MANIFESTOS / name).read_text(encoding="utf-8")
        result[name] = (text, split_passages(text))
    return result


def texts(split) -> list[str]:
    return [p.text for p in split.passages]


def test_there_are_five_seeds():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("name", SEEDS)
def test_no_replacement_character_is_left_in_passages_or_headings(seeds, name):
    _, split = seeds[name]
    assert split.passages
    assert not [p for p in split.passages if REPLACEMENT in p.text + p.heading]


@pytest.mark.parametrize("name", SEEDS)
def test_no_running_page_head_is_inside_a_passage(seeds, name):
    _, split = seeds[name]
    assert not [p.text for p in split.passages if RUNNING_HEAD.search(p.text)]


def test_every_lost_ligature_of_the_european_programme_is_restored(seeds):
    original, split = seeds["000_e5efe9921f71ec62.txt"]
    assert split.repairs.ligatures_repaired == original.count(REPLACEMENT) == 126
    assert split.repairs.ligatures_unrepaired == 0


@pytest.mark.parametrize(
    "word", ["financiële", "efficiënte", "reflecteren", "offline", "koolstofgrensheffing"]
)
def test_restored_words_read_as_dutch(seeds, word):
    _, split = seeds["000_e5efe9921f71ec62.txt"]
    assert any(word in text for text in texts(split))


def test_a_passage_points_at_its_lines_in_the_original(seeds):
    original, split = seeds["001_a1ab2e670109c3b5.txt"]
    passage = next(p for p in split.passages if p.text.startswith("69. "))
    first_line = original.split("\n")[passage.line_start - 1]
    assert first_line.startswith("69.\t")
    assert passage.line_end >= passage.line_start


def test_numbered_resolutions_are_passages_under_their_section(seeds):
    _, split = seeds["001_a1ab2e670109c3b5.txt"]
    resolutions = [p for p in split.passages if re.match(r"\d{1,4}\. ", p.text)]
    assert len(resolutions) == 1199
    first = resolutions[0]
    assert first.text.startswith("1. Vooruit wil de welvaartsstaat versterken.")
    assert first.heading.endswith("1.1.1. Een gezonde begroting")


def test_line_end_syllable_breaks_are_joined(seeds):
    _, split = seeds["001_a1ab2e670109c3b5.txt"]
    first = next(p for p in split.passages if p.text.startswith("1. "))
    assert "uw koopkracht en gezondheid beschermen" in first.text


def test_a_hyphen_before_a_conjunction_stays(seeds):
    _, split = seeds["001_a1ab2e670109c3b5.txt"]
    assert any("klimaat- of milieu-impact" in text for text in texts(split))


def test_stray_part_numbers_and_web_leftovers_are_dropped(seeds):
    original, split = seeds["004_d503ce06c17b3303.txt"]
    assert "Hoog contrast" in original and "vlaggen" in original
    assert split.passages[0].text.startswith("De EU moet socialer.")
    assert split.passages[0].heading.endswith("7.1 Een solidair en daadkrachtig Europa")
    assert not [t for t in texts(split) if "Hoog contrast" in t or "vlaggen" in t]


def test_editorial_cross_references_are_removed(seeds):
    original, split = seeds["000_e5efe9921f71ec62.txt"]
    assert "(1105)" in original and "(668)" in original
    assert not [t for t in texts(split) if "(1105)" in t or "(668)" in t]


def test_a_sentence_cut_by_a_page_footer_is_one_passage(seeds):
    _, split = seeds["002_91a67b71aa9cce27.txt"]
    assert any("(zoals de NVR, SCIV en CCIV) te versterken." in t for t in texts(split))


def test_non_breaking_spaces_become_plain_spaces(seeds):
    original, split = seeds["003_7419e7420237cc78.txt"]
    assert "\u00a0" in original
    assert not [t for t in texts(split) if "\u00a0" in t]
    assert any("wie hier in België aankomt" in t for t in texts(split))


def test_a_line_end_hyphen_is_joined_only_into_a_word():
    text = "De EU-\nlidstaten beschermen onze gezond-\nheid zonder klimaat-\nof milieu-impact.\n"
    assert texts(split_passages(text)) == [
        "De EU-lidstaten beschermen onze gezondheid zonder klimaat- of milieu-impact."
    ]


def test_blank_lines_inside_a_sentence_do_not_split_it():
    text = "Wij willen dat de regering\n\nmeer investeert in scholen.\n\nNieuwe zin.\n"
    split = split_passages(text)
    assert texts(split) == ["Wij willen dat de regering meer investeert in scholen.", "Nieuwe zin."]
    assert [(p.line_start, p.line_end) for p in split.passages] == [(1, 3), (5, 5)]


def test_bullets_are_passages_of_their_own():
    text = "Wat willen we?\n• Betaalbare huur.\n• Meer\nsociale woningen.\n"
    assert texts(split_passages(text)) == [
        "Wat willen we?",
        "Betaalbare huur.",
        "Meer sociale woningen.",
    ]


def test_a_quote_is_shown_with_the_same_repairs():
    quote = (
        "zo e\ufffdciënt mogelijk voor onze gezond-\nheid\n\n"
        "12 VOORUIT MET EEN STERKE EUROPESE UNIE\n\nen de o\ufffdine wereld."
    )
    assert clean_quote(quote) == "zo efficiënt mogelijk voor onze gezondheid en de offline wereld."


def test_a_plain_quote_is_unchanged():
    assert clean_quote("Wij willen meer sociale huurwoningen.") == (
        "Wij willen meer sociale huurwoningen."
    )


def test_quote_of_lines_is_verbatim_in_the_original(seeds):
    original, split = seeds["000_e5efe9921f71ec62.txt"]
    passage = split.passages[10]
    quote = quote_of_lines(original, passage.line_start, passage.line_end)
    assert quote in original
    assert clean_quote(quote) == passage.text


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "leeg.txt", "leeg"),
        (b"  \n\n", "leeg.txt", "leeg"),
        (b"\x00\x01\x02", "kapot.txt", "binair"),
        ("Financi\u00eble".encode("latin-1"), "latin1.txt", "geen UTF-8"),
        (b"%PDF-1.4 rommel", "kapot.pdf", "geen leesbare PDF"),
    ],
)
def test_a_file_that_is_not_a_programme_is_refused(data, filename, message):
    with pytest.raises(ManifestoError, match=message):
        read_text(data, filename)


def test_a_plain_quote_is_cleaned_without_loading_the_word_list():
    from positions import manifesto

    manifesto._dictionary_lexicon.cache_clear()
    assert manifesto.clean_quote("Wij willen\nmeer woningen.") == "Wij willen meer woningen."
    assert manifesto._dictionary_lexicon.cache_info().currsize == 0
