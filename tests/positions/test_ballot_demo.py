"""The demo ballot day of 9 June 2024: its data files and `load_ballot_demo`."""

import csv
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from positions import catalog
from positions.manifesto import original_lines
from positions.models import BallotDay, Election, Stance

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
BALLOT_DEMO = FIXTURES / "ballot_demo"
MANIFESTOS = FIXTURES / "manifestos"
EUROPE, CHAMBER = "europees-parlement-2024-demo", "kamer-2024-demo"


def coded_stances() -> list[dict]:
    rows = []
    for path in sorted(BALLOT_DEMO.glob("stances_*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            rows += [{**row, "file": path.name} for row in csv.DictReader(f)]
    return rows


def test_every_quote_is_verbatim_in_its_source_at_the_lines_given():
    quoted = [row for row in coded_stances() if row["quote"]]
    assert len(quoted) == 27
    wrong = []
    for row in quoted:
        text = (MANIFESTOS / row["document"]).read_text(encoding="utf-8")
        lines = original_lines(text)[int(row["line_start"]) - 1 : int(row["line_end"])]
        if row["quote"] not in "\n".join(lines):
            wrong.append((row["file"], row["statement_id"], row["party"]))
    assert wrong == []


def test_each_level_quotes_its_own_programme():
    documents = {(row["party"], row["document"][:3]) for row in coded_stances() if row["quote"]}
    assert documents == {
        ("vooruit-europa", "000"),
        ("vooruit", "001"),
        ("groen-europa", "002"),
        ("groen", "002"),
    }


def load(folder: Path = BALLOT_DEMO) -> str:
    out = StringIO()
    call_command("load_ballot_demo", seed_dir=folder, manifestos=MANIFESTOS, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the tests of this module that only read it."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            output = load()
            yield output
            transaction.set_rollback(True)


def test_the_demo_is_a_published_day_of_two_elections(loaded, db):
    assert "2 elections, 13 statements (6 shared), 27 sourced stances, 11 without" in loaded
    day = BallotDay.objects.get(slug="verkiezingen-9-juni-2024-demo")
    assert day.status == BallotDay.Status.PUBLISHED
    assert catalog.published_ballot_day(day.slug).elections == (EUROPE, CHAMBER)
    for slug in (EUROPE, CHAMBER):
        assert Election.objects.get(slug=slug).published_version.number == 1


def test_vooruit_runs_at_both_levels_with_each_level_s_stance(loaded, db):
    europe, chamber = catalog.published_election(EUROPE), catalog.published_election(CHAMBER)
    shared = europe.statement_ids & chamber.statement_ids
    assert len(shared) == 6
    for statement_id in shared:
        assert europe.stance(statement_id, "vooruit-europa").document == (
            "Vooruit: Europees programma 2024"
        )
        assert chamber.stance(statement_id, "vooruit").document == (
            "Vooruit: verkiezingsprogramma 2024"
        )


def test_each_party_runs_at_both_levels_as_a_row_per_level(loaded, db):
    assert catalog.published_election(EUROPE).party_slugs == ("groen-europa", "vooruit-europa")
    assert catalog.published_election(CHAMBER).party_slugs == ("groen", "vooruit")


def test_groen_s_one_programme_gives_the_same_stance_at_both_levels(loaded, db):
    europe, chamber = catalog.published_election(EUROPE), catalog.published_election(CHAMBER)
    for statement_id in europe.statement_ids & chamber.statement_ids:
        assert europe.stance(statement_id, "groen-europa") == chamber.stance(statement_id, "groen")


def test_a_programme_silent_on_a_statement_is_an_explicit_none(loaded, db):
    stance = Stance.objects.get(party__slug="groen", statement__order=1)
    assert (stance.position, stance.quote) == ("none", "")


def test_loading_twice_freezes_no_new_version(loaded, db):
    load()
    for slug in (EUROPE, CHAMBER):
        assert Election.objects.get(slug=slug).versions.count() == 1


def test_a_quote_outside_its_lines_stops_the_load(db, tmp_path):
    folder = tmp_path / "ballot_demo"
    shutil.copytree(BALLOT_DEMO, folder)
    path = folder / "stances_vooruit-europa.csv"
    text = path.read_text(encoding="utf-8").replace(
        "vooruit-europa,agree,000_e5efe9921f71ec62.txt,2269,2273",
        "vooruit-europa,agree,000_e5efe9921f71ec62.txt,2270,2273",
    )
    path.write_text(text, encoding="utf-8")
    before = (BallotDay.objects.count(), Stance.objects.count())
    with pytest.raises(CommandError, match="row 2: the quote is in 000.* but not within lines"):
        load(folder)
    assert (BallotDay.objects.count(), Stance.objects.count()) == before
