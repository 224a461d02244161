"""find_passages: the same tests on SQLite (BM25 in Python) and PostgreSQL (full-text search)."""

import json
from io import StringIO

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command

from positions.importing import import_manifesto
from positions.search import find_passages
from tests.factories import ElectionFactory, PartyFactory

PROGRAMME = """KLIMAAT EN ENERGIE

De jongste kerncentrales blijven niet langer open dan gepland. We investeren in wind op zee.

We verlagen de btw op elektriciteit, zodat de energiefactuur betaalbaar blijft.

BUITENLANDS BELEID

• België erkent de Palestijnse staat, samen met andere Europese landen.
• We schorten het associatieakkoord met Israël op.
• De financiële steun aan Oekraïne blijft, zolang de oorlog duurt.

WONEN

Er komt een huurprijsrem: de huurprijs bij een nieuw huurcontract mag niet zomaar stijgen.
"""


@pytest.fixture
def party(db):
    party = PartyFactory(slug="alfa")
    import_manifesto(party, PROGRAMME, title="Programma Alfa")
    return party


def first_lines(matches) -> list[int]:
    return [m.line_start for m in matches]


def test_the_passage_about_the_statement_ranks_first(party):
    matches = find_passages(party, "Ons land moet de staat Palestina erkennen.")
    assert (
        matches[0].text == "België erkent de Palestijnse staat, samen met andere Europese landen."
    )
    assert (matches[0].document, matches[0].line_start, matches[0].line_end) == (
        "Programma Alfa",
        9,
        9,
    )


def test_words_match_by_their_stem(party):
    matches = find_passages(party, "Kerncentrale langer openhouden")
    assert first_lines(matches)[0] == 3


def test_accents_do_not_matter(party):
    matches = find_passages(party, "financiele steun")
    assert first_lines(matches)[0] == 11


def test_the_heading_counts_as_part_of_the_passage(party):
    matches = find_passages(party, "wonen")
    assert first_lines(matches) == [15]


def test_stop_words_alone_find_nothing(party):
    assert find_passages(party, "de het een van") == []


def test_a_word_in_no_passage_finds_nothing(party):
    assert find_passages(party, "ruimtevaart") == []


def test_only_the_party_s_own_passages_are_searched(party):
    other = PartyFactory(slug="bravo")
    import_manifesto(other, "Wij erkennen de Palestijnse staat meteen.\n", title="Bravo")
    assert {m.document for m in find_passages(party, "Palestijnse staat erkennen")} == {
        "Programma Alfa"
    }
    assert [m.document for m in find_passages(other, "Palestijnse staat erkennen")] == ["Bravo"]


def test_limit_caps_the_number_of_passages(party):
    assert len(find_passages(party, "energie huurprijs oorlog staat", limit=2)) == 2


def test_a_party_outside_the_election_gets_nothing(party):
    election = ElectionFactory(parties=[PartyFactory()])
    assert find_passages(party, "Palestijnse staat", election=election) == []
    election.parties.add(party)
    assert find_passages(party, "Palestijnse staat", election=election)


def run(*args) -> list[dict]:
    out = StringIO()
    call_command("find_passages", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_json_passages_with_original_lines(party):
    ElectionFactory(slug="demo", parties=[party])
    result = run("--election", "demo", "--party", "alfa", "--limit", "1", "--json", "huurprijsrem")
    assert result == [
        {
            "document": "Programma Alfa",
            "heading": "WONEN",
            "line_start": 15,
            "line_end": 15,
            "text": "Er komt een huurprijsrem: de huurprijs bij een nieuw huurcontract mag niet "
            "zomaar stijgen.",
        }
    ]


def test_the_command_refuses_a_party_outside_the_election(party):
    ElectionFactory(slug="demo")
    with pytest.raises(CommandError, match="party 'alfa' is not in election 'demo'"):
        run("--election", "demo", "--party", "alfa", "--json", "staat")


def test_the_command_refuses_an_unknown_party(db):
    with pytest.raises(CommandError, match="unknown party 'nope'"):
        run("--party", "nope", "--json", "staat")


def test_the_evidence_script_is_served_from_the_app_s_static_files():
    assert finders.find("positions/evidence.js")
