import datetime
import io

import pyarrow as pa
import pytest
from pyarrow import parquet as pq

from stats import exporters, releases, rowgroups
from stats.exporters import MicrodataExporter
from stats.models import Completion, DayMicrodata

from .conftest import MARCH_17, MARCH_18, MARCH_19, add_completions

pytestmark = pytest.mark.django_db

MARCH_20 = datetime.date(2026, 3, 20)


def microdata(data, **options) -> pa.Table:
    buffer = io.BytesIO()
    exporters.write_parquet(buffer, {}, [MicrodataExporter(data, **options)])
    return pq.read_table(io.BytesIO(buffer.getvalue()))


def test_an_export_of_stored_days_is_the_table_of_the_live_export(known, election):
    live = microdata(known)
    releases.make_releases(election, known, today=MARCH_19)
    assert sorted(DayMicrodata.objects.values_list("day", "rows")) == [
        (MARCH_17, 12),
        (MARCH_18, 13),
    ]
    assert microdata(known).equals(live)


def test_a_closed_day_is_exported_from_its_stored_file(known, election):
    releases.make_releases(election, known, today=MARCH_19)
    Completion.objects.filter(day=MARCH_17).delete()
    assert microdata(known).column("day").to_pylist().count(MARCH_17) == 12


def test_a_period_of_stored_and_open_days_is_the_table_of_the_live_export(known, election):
    add_completions(known, 4, ["skip", "agree", "neutral"], day=MARCH_19)
    live = microdata(known)
    releases.make_releases(election, known, today=MARCH_19)
    assert not DayMicrodata.objects.filter(day=MARCH_19).exists()
    assert microdata(known).equals(live)
    assert microdata(known, date_from=MARCH_18).equals(
        live.filter(pa.compute.greater_equal(live.column("day"), pa.scalar(MARCH_18)))
    )


def test_a_day_between_stored_days_is_read_live(known, election):
    releases.make_releases(election, known, today=MARCH_20)
    DayMicrodata.objects.filter(day=MARCH_18).delete()
    live = microdata(known, simulated=True)  # read live: no simulated rows here
    assert microdata(known).equals(live)


def test_simulated_rows_are_not_stored_and_exported_only_when_asked(known, election):
    add_completions(known, 5, ["skip", "skip", "skip"], day=MARCH_17)
    Completion.objects.filter(answers=b"sss").update(simulated=True)
    releases.make_releases(election, known, today=MARCH_19)
    assert DayMicrodata.objects.get(day=MARCH_17).rows == 12
    assert microdata(known).num_rows == 25
    assert microdata(known, simulated=True).num_rows == 30


def test_joined_files_read_as_their_tables_one_after_the_other():
    first = pa.table({"n": [1, 2, 3], "word": pa.array(["a", "b", "a"]).dictionary_encode()})
    second = pa.table({"n": [4], "word": pa.array(["c"]).dictionary_encode()})
    files = []
    for table in (first, second):
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        files.append(buffer.getvalue())
    out = io.BytesIO()
    rowgroups.join(out, files)
    joined = pq.read_table(io.BytesIO(out.getvalue()))
    assert joined.to_pylist() == first.to_pylist() + second.to_pylist()
    assert pq.ParquetFile(io.BytesIO(out.getvalue())).metadata.num_row_groups == 2


def test_files_of_different_schemas_are_not_joined():
    files = []
    for table in (pa.table({"n": [1]}), pa.table({"m": [1]})):
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        files.append(buffer.getvalue())
    with pytest.raises(rowgroups.FooterError):
        rowgroups.join(io.BytesIO(), files)
