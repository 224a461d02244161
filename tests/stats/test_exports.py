import csv
import datetime
import io
import json
import math
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pyarrow import parquet as pq

from positions import catalog
from positions.models import Statement
from stats.models import Layout

from .conftest import add_completions

pytestmark = pytest.mark.django_db

BUCKETS = ",".join(f"score_{10 * i}_{10 * (i + 1)}" for i in range(10))


def export(tmp_path, fmt, *args):
    several = "--microdata" not in args and fmt in ("csv", "parquet")
    out = tmp_path / f"export.{'zip' if several else fmt}"
    call_command("export_stats", "--election", "test", "--format", fmt, "--out", str(out), *args)
    return out


def test_csv_export_is_a_zip_with_a_csv_per_table(known, tmp_path):
    archive = zipfile.ZipFile(export(tmp_path, "csv"))
    files = {name: archive.read(name).decode() for name in archive.namelist()}
    assert "suppressed, fewer than 10 voters" in files.pop("README.txt")
    assert files == {
        "days.csv": "day,completions\r\n2026-03-17,12\r\n2026-03-18,13\r\n",
        "statements.csv": (
            "statement,title,agree,neutral,disagree,skip,important\r\n"
            "1,Stelling 1,12,<10,10,<10,10\r\n"
            "2,Stelling 2,12,<10,10,<10,<10\r\n"
            "3,Stelling 3,12,<10,10,<10,<10\r\n"
        ),
        "parties.csv": (
            f"party,name,voters,mean,median,{BUCKETS},best_match_share\r\n"
            "alfa,Alfa,25,54.0,50.0,10,<10,<10,<10,<10,<10,<10,<10,<10,12,54.0\r\n"
            "bravo,Bravo,25,46.0,50.0,12,<10,<10,<10,<10,<10,<10,<10,<10,10,46.0\r\n"
            "charlie,Charlie,,,,,,,,,,,,,,\r\n"
        ),
        "agreement.csv": (
            "statement,party,party_position,agree_share\r\n"
            "1,alfa,agree,48.0\r\n1,bravo,disagree,40.0\r\n1,charlie,none,\r\n"
            "2,alfa,agree,48.0\r\n2,bravo,disagree,40.0\r\n2,charlie,none,\r\n"
            "3,alfa,agree,54.5\r\n3,bravo,disagree,45.5\r\n3,charlie,none,\r\n"
        ),
    }


def test_json_export_is_one_document_with_every_table(known, tmp_path):
    document = json.loads(export(tmp_path, "json").read_text())
    assert "not applicable" in document.pop("readme")
    assert {k: v for k, v in document.items() if k != "tables"} == {
        "election": "test",
        "name": "Testverkiezing",
        "from": None,
        "to": None,
        "threshold": 10,
        "completions": 25,
        "exact": True,
    }
    tables = document["tables"]
    assert tables["days"] == {
        "columns": ["day", "completions"],
        "rows": [["2026-03-17", 12], ["2026-03-18", 13]],
    }
    assert tables["statements"]["rows"][0] == [1, "Stelling 1", 12, "<10", 10, "<10", 10]
    assert tables["parties"]["rows"][1:] == [
        ["bravo", "Bravo", 25, 46.0, 50.0, 12, *["<10"] * 8, 10, 46.0],
        ["charlie", "Charlie", *[None] * 14],
    ]
    assert tables["agreement"]["rows"][6:] == [
        [3, "alfa", "agree", 54.5],
        [3, "bravo", "disagree", 45.5],
        [3, "charlie", "none", None],
    ]


def test_xlsx_export_has_a_sheet_per_table(known, tmp_path):
    workbook = load_workbook(export(tmp_path, "xlsx"))
    assert workbook.sheetnames == ["days", "statements", "parties", "agreement", "README"]
    statements = [list(row) for row in workbook["statements"].iter_rows(values_only=True)]
    assert statements == [
        ["statement", "title", "agree", "neutral", "disagree", "skip", "important"],
        [1, "Stelling 1", 12, "<10", 10, "<10", 10],
        [2, "Stelling 2", 12, "<10", 10, "<10", "<10"],
        [3, "Stelling 3", 12, "<10", 10, "<10", "<10"],
    ]
    assert list(workbook["agreement"].values)[3] == (1, "charlie", "none", None)
    days = list(workbook["days"].iter_rows(values_only=True))
    assert [(d.date().isoformat(), n) for d, n in days[1:]] == [
        ("2026-03-17", 12),
        ("2026-03-18", 13),
    ]


def test_a_date_range_limits_the_export(known, tmp_path):
    document = json.loads(export(tmp_path, "json", "--from", "2026-03-18").read_text())
    assert document["from"] == "2026-03-18"
    assert document["tables"]["days"]["rows"] == [["2026-03-18", 13]]


def test_editors_text_cannot_become_a_spreadsheet_formula(
    known, tmp_path, django_capture_on_commit_callbacks
):
    Statement.objects.filter(order=1).update(title='=HYPERLINK("http://example.com")')
    with django_capture_on_commit_callbacks(execute=True):
        catalog.invalidate()
    statements = zipfile.ZipFile(export(tmp_path, "csv")).read("statements.csv").decode()
    assert '1,"\'=HYPERLINK(""http://example.com"")",12' in statements
    sheet = load_workbook(export(tmp_path, "xlsx"))["statements"]
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '=HYPERLINK("http://example.com")'


def version():
    return Layout.objects.get().version


def test_microdata_csv_is_a_header_then_a_line_per_completion(known, tmp_path):
    lines = export(tmp_path, "csv", "--microdata").read_bytes().decode().split("\r\n")
    v = version()
    assert lines[0] == (
        "day,version,answer_1,answer_2,answer_3,weight_1,weight_2,weight_3,"
        "score_alfa,score_bravo,score_charlie"
    )
    assert lines[1:] == [
        *[f"2026-03-17,{v},agree,agree,agree,1,1,1,100,0,"] * 12,
        *[f"2026-03-18,{v},disagree,disagree,disagree,2,1,1,0,100,"] * 10,
        *[f"2026-03-18,{v},neutral,neutral,skip,1,1,1,50,50,"] * 3,
        "",
    ]


def test_microdata_json_has_typed_values(known, tmp_path):
    document = json.loads(export(tmp_path, "json", "--microdata").read_bytes().decode())
    table = document["tables"]["microdata"]
    assert len(table["rows"]) == 25
    assert table["rows"][-1] == [
        "2026-03-18",
        version(),
        "neutral",
        "neutral",
        "skip",
        1,
        1,
        1,
        50,
        50,
        None,
    ]


def test_microdata_of_an_earlier_version_follows_todays_columns(
    known, election, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        election.parties.remove(election.parties.get(slug="charlie"))
        Statement.objects.filter(order=3).update(title="Stelling drie")
        catalog.invalidate()
    data = catalog.published_election("test")
    add_completions(data, 1, ["skip", "agree", "disagree"], important=[2])
    document = json.loads(export(tmp_path, "json", "--microdata").read_bytes().decode())
    table = document["tables"]["microdata"]
    assert table["columns"][-2:] == ["score_alfa", "score_bravo"]
    newest = [row for row in table["rows"] if row[1] == data.version]
    assert newest == [
        ["2026-03-18", data.version, "skip", "agree", "disagree", 1, 2, 1, 66.67, 33.33]
    ]
    assert table["rows"][0][-2:] == [100, 0]  # an earlier row, without its Charlie column


def test_microdata_csv_and_json_agree_for_an_earlier_version(
    known, election, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        election.parties.remove(election.parties.get(slug="charlie"))
    with export(tmp_path, "csv", "--microdata").open(newline="") as f:
        header, *rows = csv.reader(f)
    assert rows[0][2:] == ["agree", "agree", "agree", "1", "1", "1", "100", "0"]
    table = json.loads(export(tmp_path, "json", "--microdata").read_text())["tables"]["microdata"]
    assert table["columns"] == header
    assert table["rows"][0][2:] == ["agree", "agree", "agree", 1, 1, 1, 100, 0]
    assert [["" if v is None else str(v) for v in row] for row in table["rows"]] == rows


def test_an_export_of_an_election_without_completions_has_headers_only(election, tmp_path):
    text = export(tmp_path, "csv", "--microdata").read_bytes().decode()
    assert text == (
        "day,version,answer_1,answer_2,answer_3,weight_1,weight_2,weight_3,"
        "score_alfa,score_bravo,score_charlie\r\n"
    )


def test_the_command_reports_what_it_wrote(known, tmp_path):
    stdout = io.StringIO()
    out = tmp_path / "m.csv"
    call_command(
        "export_stats",
        "--election=test",
        "--microdata",
        "--format=csv",
        f"--out={out}",
        stdout=stdout,
    )
    assert stdout.getvalue() == f"Wrote 25 completions of test to {out}\n"


def test_parquet_tables_keep_suppressed_and_not_applicable_apart(known, tmp_path):
    archive = zipfile.ZipFile(export(tmp_path, "parquet"))
    assert sorted(archive.namelist()) == [
        "README.txt",
        "agreement.parquet",
        "days.parquet",
        "parties.parquet",
        "statements.parquet",
    ]
    parties = pq.read_table(io.BytesIO(archive.read("parties.parquet"))).to_pylist()
    bravo, charlie = parties[1], parties[2]
    assert (bravo["voters"], bravo["score_0_10"], bravo["best_match_share"]) == (25, 12, 46.0)
    assert math.isnan(bravo["score_10_20"])  # suppressed
    assert charlie["voters"] is None  # nothing to compare
    days = pq.read_table(io.BytesIO(archive.read("days.parquet"))).to_pylist()
    assert days[0] == {"day": datetime.date(2026, 3, 17), "completions": 12}


def test_microdata_parquet_has_the_rows_of_the_csv(known, tmp_path):
    """In another order on PostgreSQL (that of the rows' random keys); the same rows."""
    with export(tmp_path, "csv", "--microdata").open(newline="") as f:
        header, *rows = csv.reader(f)
    table = pq.read_table(export(tmp_path, "parquet", "--microdata"))
    assert table.column_names == header
    assert "not applicable" in table.schema.metadata[b"readme"].decode()
    as_text = [
        ["" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in row.values()]
        for row in table.to_pylist()
    ]
    assert sorted(as_text) == sorted(rows)


def test_microdata_parquet_of_mixed_versions_has_the_rows_of_the_csv(
    known, election, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        election.parties.remove(election.parties.get(slug="charlie"))
    data = catalog.published_election("test")
    add_completions(data, 2, ["skip", "agree", "disagree"], important=[2])
    with export(tmp_path, "csv", "--microdata").open(newline="") as f:
        header, *rows = csv.reader(f)
    table = pq.read_table(export(tmp_path, "parquet", "--microdata"))
    as_text = [
        ["" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in row.values()]
        for row in table.to_pylist()
    ]
    assert sorted(as_text) == sorted(rows)


def test_a_parquet_export_of_an_election_without_completions_has_the_columns(election, tmp_path):
    table = pq.read_table(export(tmp_path, "parquet", "--microdata"))
    assert table.num_rows == 0
    assert table.column_names[:3] == ["day", "version", "answer_1"]
