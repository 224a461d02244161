"""Parquet exports (pyarrow), which pandas, polars, R (arrow) and DuckDB read directly.

Columns are typed: a day is a date, a count or share a float64, an answer a dictionary of words,
a weight an int8, a score a float64. A suppressed cell is NaN and a cell with nothing to count is
null, so the two stay apart (pandas merges them unless read with `dtype_backend="pyarrow"`).

The microdata is converted with Arrow's compute functions, never per cell in Python: the packed
answer and score bytes of many rows become one buffer, and each column is a strided `take` from
it and a lookup. On PostgreSQL the rows of each day and version even arrive as one blob per field
(`string_agg`), so no Python object is made per row (`day_batches`); within a day they are put in
the order of their random keys, never the order they were stored in.
"""

import datetime
import io
import zipfile
from collections.abc import Iterator
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from positions.models import Scale, answers_for

from . import codec, rowgroups

ROW_GROUP_ROWS = 200_000
BATCH_ROWS = 50_000


def _column(values: list, suppressed: str) -> pa.Array:
    present = [v for v in values if v is not None and v != suppressed]
    if present and all(isinstance(v, datetime.date) for v in present):
        return pa.array(values, pa.date32())
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pa.array(
            [float("nan") if v == suppressed else v for v in values],
            pa.float64(),
            from_pandas=False,
        )
    return pa.array([None if v is None else str(v) for v in values], pa.string())


def table(exporter, readme: str = "") -> pa.Table:
    """A small table (one of a report's) with typed columns."""
    from .exporters import suppressed_text

    threshold = getattr(getattr(exporter, "report", None), "threshold", None)
    suppressed = suppressed_text(threshold) if threshold else object()
    rows = exporter.iter_rows()
    header = next(rows)
    columns = list(zip(*rows, strict=True)) or [()] * len(header)
    arrays = [_column(list(c), suppressed) for c in columns]
    return pa.table(dict(zip(header, arrays, strict=True)), metadata={"readme": readme})


def write(out: BinaryIO, meta: dict, exporters: list, readme: str) -> None:
    """One table as a Parquet file; several as a zip with a Parquet file per table."""
    if len(exporters) == 1:
        _write_one(out, exporters[0], readme)
        return
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("README.txt", readme)
        for exporter in exporters:
            buffer = io.BytesIO()
            _write_one(buffer, exporter, readme)
            archive.writestr(f"{exporter.identifier}.parquet", buffer.getvalue())


def _write_one(out: BinaryIO, exporter, readme: str) -> None:
    stored = getattr(exporter, "stored_parquet", None)
    if stored is not None and (files := stored(readme)):
        rowgroups.join(out, files)
        return
    batches = getattr(exporter, "arrow_batches", None)
    if batches is None or not write_batches(out, batches(), readme):
        pq.write_table(table(exporter, readme), out)


def write_batches(out: BinaryIO, batches: Iterator[pa.RecordBatch], readme: str) -> bool:
    """Write the batches as one Parquet file; False (and nothing written) if there are none."""
    writer = None
    for batch in batches:
        if writer is None:
            writer = pq.ParquetWriter(out, batch.schema.with_metadata({"readme": readme}))
        writer.write_batch(batch, row_group_size=ROW_GROUP_ROWS)
    if writer is None:
        return False
    writer.close()
    return True


def day_files(batches: Iterator[pa.RecordBatch], readme: str) -> Iterator[tuple]:
    """(day, rows, Parquet file) for each day of microdata batches in order of day, each file
    written as `write_batches` writes a whole export (on PostgreSQL a batch never spans two
    days, so the row groups are the same)."""
    day, buffer, writer, rows = None, None, None, 0
    for batch in batches:
        days = batch.column(0)
        for value in pc.unique(days):
            part = batch.filter(pc.equal(days, value)) if len(days) > 1 else batch
            if value.as_py() != day:
                if writer is not None:
                    writer.close()
                    yield day, rows, buffer.getvalue()
                day, buffer, rows = value.as_py(), io.BytesIO(), 0
                writer = pq.ParquetWriter(buffer, part.schema.with_metadata({"readme": readme}))
            writer.write_batch(part, row_group_size=ROW_GROUP_ROWS)
            rows += len(part)
    if writer is not None:
        writer.close()
        yield day, rows, buffer.getvalue()


_ANSWERS = answers_for(Scale.FIVE)
ANSWER_WORDS = pa.array(list(_ANSWERS), pa.string())
_ANSWER_INDEX = [0] * 128
_WEIGHT = [0] * 128
for _code in codec.CODES:
    _answer, _important = codec.decode(_code)
    _ANSWER_INDEX[_code] = _ANSWERS.index(_answer)
    _WEIGHT[_code] = 2 if _important else 1
ANSWER_INDEX = pa.array(_ANSWER_INDEX, pa.int8())
WEIGHT = pa.array(_WEIGHT, pa.int8())


def _bytes(blobs: list[bytes], width: int) -> pa.Array:
    """The blobs of a chunk, each `width` bytes, as one uint8 array."""
    return _uint8(b"".join(blobs), len(blobs) * width)


def _uint8(buffer, length: int) -> pa.Array:
    if not isinstance(buffer, pa.Buffer):
        buffer = pa.py_buffer(buffer)
    return pa.Array.from_buffers(pa.uint8(), length, [None, buffer])


def _arange(n: int) -> pa.Array:
    ones = pa.repeat(pa.scalar(1, pa.int32()), n)
    return pc.subtract(pc.cumulative_sum(ones), 1)


_STRIDES: dict[int, list[pa.Array]] = {}


def _stride(n: int, width: int, offset: int) -> pa.Array:
    """Every `width`th index from `offset`, `n` of them: one byte of each row. Kept per width
    for the longest `n` asked so far, and sliced (which copies nothing) for a shorter one."""
    strides = _STRIDES.get(width)
    if strides is None or len(strides[0]) < n:
        start = pc.multiply(_arange(n), width)
        strides = _STRIDES[width] = [pc.add(start, offset) for offset in range(width)]
    return strides[offset][:n]


def microdata_batches(
    chunks: Iterator[list[tuple]],
    header: list[str],
    statements: int,
    parties: int,
    versions: dict[int, str],
) -> Iterator[pa.RecordBatch]:
    """Record batches of raw microdata rows (day, layout id, answers, scores), all of one
    layout shape."""
    version_index = {pk: i for i, pk in enumerate(versions)}
    words = pa.array(list(versions.values()), pa.string())
    for rows in chunks:
        days, layouts, answers, scores = zip(*rows, strict=True)
        if days and isinstance(days[0], str):
            days = [datetime.date.fromisoformat(d) for d in days]
        layout = pa.array([version_index[pk] for pk in layouts], pa.int32())
        yield _batch(
            pa.array(days, pa.date32()),
            pa.DictionaryArray.from_arrays(layout, words),
            _bytes(answers, statements),
            _bytes(scores, 2 * parties),
            header,
            statements,
            parties,
        )


def _batch(days, versions, given, packed, header, statements, parties) -> pa.RecordBatch:
    """One record batch from the answer bytes and score bytes of its rows, each one buffer."""
    n = len(days)
    columns = [days, versions]
    codes = [pc.take(given, _stride(n, statements, i)) for i in range(statements)]
    for code in codes:
        columns.append(pa.DictionaryArray.from_arrays(pc.take(ANSWER_INDEX, code), ANSWER_WORDS))
    columns.extend(pc.take(WEIGHT, code) for code in codes)
    for i in range(parties):
        high = pc.cast(pc.take(packed, _stride(n, 2 * parties, 2 * i)), pa.uint16())
        low = pc.cast(pc.take(packed, _stride(n, 2 * parties, 2 * i + 1)), pa.uint16())
        value = pc.add(pc.shift_left(high, 8), low)
        missing = pc.equal(value, codec.NO_SCORE)
        score = pc.divide(pc.cast(value, pa.float64()), 100.0)
        columns.append(pc.if_else(missing, pa.scalar(None, pa.float64()), score))
    return pa.RecordBatch.from_arrays(columns, names=header)


def day_batches(
    groups: Iterator[tuple],
    header: list[str],
    statements: int,
    parties: int,
    versions: dict[int, str],
) -> Iterator[pa.RecordBatch]:
    """Record batches of (day, layout id, rows, keys, answers, scores) groups, each of the last
    three one blob of all the group's rows (`MicrodataExporter._day_groups`), all of one layout
    shape, at most `BATCH_ROWS` rows a batch. Rows are put in the order of their random keys
    (read as stored: a fixed shuffle of them)."""
    version_index = {pk: i for i, pk in enumerate(versions)}
    words = pa.array(list(versions.values()), pa.string())
    for day, layout_id, n, keys, answers, scores in groups:
        order = pc.sort_indices(pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(keys)]))
        all_given, all_packed = _fixed(answers, statements, n), _fixed(scores, 2 * parties, n)
        for start in range(0, n, BATCH_ROWS):
            part = order.slice(start, BATCH_ROWS)
            rows = len(part)
            given, packed = all_given.take(part), all_packed.take(part)
            index = pa.repeat(pa.scalar(version_index[layout_id], pa.int32()), rows)
            yield _batch(
                pa.repeat(pa.scalar(_as_date(day), pa.date32()), rows),
                pa.DictionaryArray.from_arrays(index, words),
                _uint8(given.buffers()[1], rows * statements),
                _uint8(packed.buffers()[1], rows * 2 * parties),
                header,
                statements,
                parties,
            )


def _fixed(blob: bytes, width: int, n: int) -> pa.Array:
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), n, [None, pa.py_buffer(blob)])


def _as_date(day) -> datetime.date:
    return datetime.date.fromisoformat(day) if isinstance(day, str) else day


def microdata_schema(header: list[str], statements: int, parties: int) -> pa.Schema:
    answer = pa.dictionary(pa.int8(), pa.string())
    types = [
        pa.date32(),
        pa.dictionary(pa.int32(), pa.string()),
        *[answer] * statements,
        *[pa.int8()] * statements,
        *[pa.float64()] * parties,
    ]
    return pa.schema(list(zip(header, types, strict=True)))


def typed_batches(
    chunks: Iterator[list[list]], header: list[str], statements: int, parties: int
) -> Iterator[pa.RecordBatch]:
    """Record batches of microdata rows already in the export's columns (mixed versions)."""
    schema = microdata_schema(header, statements, parties)
    plain = pa.schema(
        [f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in schema]
    )
    for rows in chunks:
        columns = [list(c) for c in zip(*rows, strict=True)]
        batch = pa.RecordBatch.from_arrays(
            [pa.array(c, f.type) for c, f in zip(columns, plain, strict=True)], schema=plain
        )
        yield pa.RecordBatch.from_arrays(
            [
                pc.dictionary_encode(c) if pa.types.is_dictionary(f.type) else c
                for c, f in zip(batch.columns, schema, strict=True)
            ],
            names=header,
        )
