"""The demo election grounded in real programmes: its data files and `load_seed_demo`."""

import csv
import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from positions.manifesto import original_lines
from positions.models import Election, ManifestoDocument, Stance

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEED_DEMO = FIXTURES / "seed_demo"
MANIFESTOS = FIXTURES / "manifestos"
SHARED = Path(os.environ.get("STEMHULP_SHARED_DIR", Path(settings.BASE_DIR).parent / "shared"))
STANCE_HEADER = "statement_id,party,position,document,line_start,line_end,quote,explanation\n"


def shared(relative: str) -> Path:
    """A file of the editorial folder beside the repository, which a lone clone does not have."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent; set STEMHULP_SHARED_DIR to compare with the shared seeds")
    return path


def coded_stances() -> list[dict]:
    rows = []
    for path in sorted(SEED_DEMO.glob("stances_*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            rows += [{**row, "file": path.name} for row in csv.DictReader(f)]
    return rows


def test_every_stance_quote_is_verbatim_in_its_source_at_the_lines_given():
    quoted = [row for row in coded_stances() if row["quote"]]
    assert quoted
    wrong = []
    for row in quoted:
        text = (MANIFESTOS / row["document"]).read_text(encoding="utf-8")
        lines = original_lines(text)[int(row["line_start"]) - 1 : int(row["line_end"])]
        if row["quote"] not in "\n".join(lines):
            wrong.append((row["file"], row["statement_id"], row["party"]))
    assert wrong == []


def test_every_agree_neutral_or_disagree_stance_has_a_quote():
    assert [
        (row["file"], row["statement_id"])
        for row in coded_stances()
        if row["position"] != "none" and not row["quote"]
    ] == []


def test_the_manifestos_are_byte_for_byte_the_shared_seeds():
    seeds = shared("seeds")
    names = sorted(p.name for p in seeds.glob("*.txt"))
    assert names == sorted(p.name for p in MANIFESTOS.glob("*.txt"))
    for name in names:
        assert (MANIFESTOS / name).read_bytes() == (seeds / name).read_bytes(), name


def test_the_statements_are_the_editorial_thirty():
    with shared("editorial/statements.csv").open(newline="", encoding="utf-8") as f:
        editorial = [(r["id"], r["theme"], r["text"]) for r in csv.DictReader(f)]
    with (SEED_DEMO / "statements.csv").open(newline="", encoding="utf-8") as f:
        ours = list(csv.DictReader(f))
    assert [(r["id"], r["theme"], r["text"]) for r in ours] == editorial
    assert all(0 < len(r["title"]) <= 120 for r in ours)


@pytest.fixture
def seed_dir(tmp_path):
    """A small seed: the two short programmes, two statements, stances written per test."""
    folder = tmp_path / "seed_demo"
    folder.mkdir()
    with (SEED_DEMO / "documents.csv").open(encoding="utf-8") as f:
        header, *rows = f.read().splitlines()
    small = [r for r in rows if r.startswith(("003_", "004_"))]
    (folder / "documents.csv").write_text("\n".join([header, *small]) + "\n", encoding="utf-8")
    (folder / "statements.csv").write_text(
        "id,theme,title,text\n"
        '1,Migratie / asiel,Altijd asiel,"Iedereen die Europa bereikt, moet altijd asiel '
        'kunnen aanvragen."\n'
        "2,Defensie,Dienstplicht terug,De militaire dienstplicht moet opnieuw worden ingevoerd.\n",
        encoding="utf-8",
    )
    return folder


def write_stances(folder: Path, *rows: str) -> None:
    (folder / "stances_test.csv").write_text(STANCE_HEADER + "".join(rows), encoding="utf-8")


AGREE_SPA = (
    "1,spa,agree,003_7419e7420237cc78.txt,3,3,"
    '"Asiel aanvragen is een absoluut recht",Asiel is een absoluut recht.\n'
)


def load(folder: Path) -> str:
    out = StringIO()
    call_command("load_seed_demo", seed_dir=folder, manifestos=MANIFESTOS, stdout=out)
    return out.getvalue()


def test_a_small_seed_loads_a_published_demo_election(db, seed_dir):
    write_stances(seed_dir, AGREE_SPA)
    output = load(seed_dir)
    election = Election.objects.get(slug="programmas-2019-2024")
    assert election.is_published
    assert "geen stemadvies" in election.intro
    assert election.published_version is not None
    stance = Stance.objects.get(statement__order=1, party__slug="spa")
    assert (stance.position, stance.location, stance.document.title) == (
        "agree",
        "regel 3",
        "sp.a: asiel en migratie (2019)",
    )
    assert "2 statements, 1 sourced stances, 7 without a stance" in output


def test_a_stance_the_csv_does_not_give_is_an_explicit_none(db, seed_dir):
    write_stances(seed_dir, AGREE_SPA)
    load(seed_dir)
    stance = Stance.objects.get(statement__order=2, party__slug="groen")
    assert (stance.position, stance.quote, stance.document) == ("none", "", None)


def test_loading_twice_changes_nothing(db, seed_dir):
    write_stances(seed_dir, AGREE_SPA)
    load(seed_dir)
    before = list(Stance.objects.order_by("pk").values_list("pk", "position", "quote"))
    load(seed_dir)
    assert list(Stance.objects.order_by("pk").values_list("pk", "position", "quote")) == before
    assert ManifestoDocument.objects.count() == 2
    assert Election.objects.get(slug="programmas-2019-2024").versions.count() == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            '1,spa,agree,003_7419e7420237cc78.txt,3,3,"Asiel is nooit een recht",x\n',
            "not verbatim in 003_7419e7420237cc78.txt",
        ),
        (
            '1,spa,agree,003_7419e7420237cc78.txt,4,5,"Asiel aanvragen is een absoluut recht",x\n',
            "not within lines 4-5",
        ),
        ("1,spa,agree,003_7419e7420237cc78.txt,,,,x\n", "position 'agree' without a quote"),
        ("1,spa,misschien,,,,,x\n", "position 'misschien' is not one of"),
        (
            '1,groen,agree,003_7419e7420237cc78.txt,3,3,"Asiel aanvragen",x\n',
            "003_7419e7420237cc78.txt is not a document of groen",
        ),
        ("9,spa,none,,,,,x\n", "unknown statement 9"),
    ],
)
def test_a_bad_stance_stops_the_load_and_writes_nothing(db, seed_dir, row, message):
    write_stances(seed_dir, row)
    with pytest.raises(CommandError, match=message):
        load(seed_dir)
    assert not Election.objects.exists()
    assert not ManifestoDocument.objects.exists()


def test_the_full_demo_sources_every_stance_or_says_there_is_none(db, client, tmp_path):
    shutil.copytree(SEED_DEMO, tmp_path / "seed_demo")
    load(tmp_path / "seed_demo")
    stances = Stance.objects.filter(statement__election__slug="programmas-2019-2024")
    assert stances.count() == 30 * 4
    assert not stances.exclude(position="none").filter(quote="").exists()
    assert stances.exclude(quote="").exists()
    for stance in stances.exclude(quote=""):
        assert stance.quote in stance.document.original_text
    response = client.get("/programmas-2019-2024/")
    assert response.status_code == 200
    assert "geen stemadvies" in response.content.decode()


def test_loading_another_coding_drops_the_partys_marker_and_counts_a_revision(db, seed_dir):
    write_stances(seed_dir, AGREE_SPA)
    load(seed_dir)
    Stance.objects.filter(party__slug="spa").update(origin="confirmed")
    load(seed_dir)
    assert Stance.objects.get(statement__order=1, party__slug="spa").origin == "confirmed"

    write_stances(seed_dir, AGREE_SPA.replace("Asiel is een absoluut recht.", "Altijd asiel."))
    load(seed_dir)

    stance = Stance.objects.get(statement__order=1, party__slug="spa")
    assert (stance.explanation, stance.origin, stance.revision) == ("Altijd asiel.", "editors", 1)
    untouched = Stance.objects.get(statement__order=2, party__slug="spa")
    assert (untouched.origin, untouched.revision) == ("confirmed", 0)
