"""Microdata read from PostgreSQL with one binary `COPY` and turned into CSV text a column at a
time with Arrow's compute functions: no Python object per row or per cell.

When every row has the same shape (one layout shape, as `MicrodataExporter` checks), each row of
`COPY ... (FORMAT BINARY)` has the same width: a field count, then a length and the bytes of each
field. A block of rows is then one byte buffer, and byte `offset` of every row is a strided `take`
from it. Rows are ordered by PostgreSQL (the ordering is the export's, not the storage order).
"""

import itertools
from collections.abc import Iterator

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
from psycopg import pq

from . import codec
from .parquet import _uint8

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
HEADER = len(SIGNATURE) + 8  # then flags (4 bytes) and the length of an extension (4 bytes)
TRAILER = b"\xff\xff"
BLOCK_ROWS = 25_000
EIGHT = pa.scalar(8, pa.int32())


class CopyFormatError(ValueError):
    """The rows of a COPY were not of the width they were read as."""


def width(fields: list[int]) -> int:
    """Bytes of one row whose fields are `fields` bytes wide: the field count, and a length
    before each field."""
    return 2 + sum(4 + w for w in fields)


def starts(fields: list[int]) -> list[int]:
    """Where the bytes of each field begin in a row."""
    positions, position = [], 2
    for w in fields:
        positions.append(position + 4)
        position += 4 + w
    return positions


def fixed_rows(connection, statement: str, params, fields: list[int]) -> Iterator[pa.Array]:
    """The rows of `COPY (statement) TO STDOUT (FORMAT BINARY)` in blocks, each row a fixed-size
    list of its bytes, every row `fields` wide. `connection` is a psycopg connection; `params`
    are bound on the client (as psycopg does for any COPY)."""
    statement = psycopg.ClientCursor(connection).mogrify(statement, params)
    size = width(fields)
    limit = BLOCK_ROWS * size
    buffer = bytearray()
    started = False
    for data in _copy_out(connection, f"COPY ({statement}) TO STDOUT (FORMAT BINARY)"):
        buffer += data
        if len(buffer) < limit:
            continue
        if not started:
            buffer, started = _body(buffer), True
        rows = len(buffer) // size
        yield _checked(bytes(buffer[: rows * size]), rows, size, len(fields))
        del buffer[: rows * size]
    if not started:
        buffer = _body(buffer)
    if not buffer.endswith(TRAILER) or (len(buffer) - len(TRAILER)) % size:
        raise CopyFormatError("the rows of the COPY are not all of the same width")
    rows = (len(buffer) - len(TRAILER)) // size
    if rows:
        yield _checked(bytes(buffer[: rows * size]), rows, size, len(fields))


def _copy_out(connection, statement: str) -> Iterator[memoryview]:
    """The data of a COPY TO STDOUT, read from libpq directly: PostgreSQL sends a message per
    row, and psycopg's `Copy` costs three times as much per message. If the reader stops early,
    the rest is read and dropped, so that the connection is usable again."""
    pgconn = connection.pgconn
    pgconn.send_query(statement.encode())
    result = pgconn.get_result()
    if result.status != pq.ExecStatus.COPY_OUT:
        error = psycopg.errors.error_from_result(result, encoding=connection.info.encoding)
        while pgconn.get_result() is not None:
            pass
        raise error
    get = pgconn.get_copy_data
    message = get(0)
    try:
        while message[0] >= 0:
            yield message[1]
            message = get(0)
    finally:
        while message[0] >= 0:
            message = get(0)
        results = []
        while (result := pgconn.get_result()) is not None:
            results.append(result)
    for result in results:
        if result.status != pq.ExecStatus.COMMAND_OK:
            raise psycopg.errors.error_from_result(result, encoding=connection.info.encoding)


def _body(buffer: bytearray) -> bytearray:
    if not buffer.startswith(SIGNATURE):
        raise CopyFormatError("not the binary COPY format")
    extension = int.from_bytes(buffer[HEADER - 4 : HEADER], "big")
    return buffer[HEADER + extension :]


def _checked(block: bytes, rows: int, size: int, fields: int) -> pa.Array:
    data = pa.FixedSizeListArray.from_arrays(_uint8(block, rows * size), size)
    if not pc.all(pc.equal(byte(data, 1), fields)).as_py():
        raise CopyFormatError("the rows of the COPY are not all of the same width")
    return data


def byte(rows: pa.Array, offset: int) -> pa.Array:
    """Byte `offset` of each row."""
    return pc.take(rows.values, _stride(len(rows), rows.type.list_size, offset))


_STRIDES: dict[tuple[int, int], pa.Array] = {}


def _stride(n: int, size: int, offset: int) -> pa.Array:
    """`offset`, `offset + size`, ... (`n` of them), kept for the longest `n` asked so far.
    (`pc.list_element` does the same as a `take` of these, but three times slower.)"""
    stride = _STRIDES.get((size, offset))
    if stride is None or len(stride) < n:
        ones = pa.repeat(pa.scalar(1, pa.int32()), n)
        starts = pc.multiply(pc.subtract(pc.cumulative_sum(ones), 1), pa.scalar(size, pa.int32()))
        stride = _STRIDES[size, offset] = pc.add(starts, pa.scalar(offset, pa.int32()))
    return stride[:n]


def uint16(rows: pa.Array, offset: int) -> pa.Array:
    """The big-endian 16-bit number at `offset` of each row."""
    high = pc.cast(byte(rows, offset), pa.uint16())
    low = pc.cast(byte(rows, offset + 1), pa.uint16())
    return pc.bit_wise_or(pc.shift_left(high, pa.scalar(8, pa.uint16())), low)


def int32(rows: pa.Array, offset: int) -> pa.Array:
    """The big-endian 32-bit number at `offset` of each row."""
    value = pc.cast(byte(rows, offset), pa.int32())
    for i in range(1, 4):
        low = pc.cast(byte(rows, offset + i), pa.int32())
        value = pc.bit_wise_or(pc.shift_left(value, EIGHT), low)
    return value


# Answers rendered together: as many as keep a table of their texts at 2 ** 15 entries or fewer.
GROUP = next(k for k in range(8, 0, -1) if len(codec.CODES) ** k <= 2**15)
BASE = pa.scalar(len(codec.CODES), pa.int32())


class CsvText:
    """Microdata rows as CSV lines, from blocks of `COPY` rows with the fields: day (days since
    1970-01-01, int4), answers, scores, the version's index in `versions` plus one (int4).

    `GROUP` answers at a time are one lookup ("agree,skip,neutral,agree", and their weights
    "1,1,2,1"), so that a line is joined from few columns."""

    def __init__(self, statements: int, parties: int, versions: list[str], words, scores):
        self.statements, self.parties = statements, parties
        self.fields = [4, statements, 2 * parties, 4]
        self.day, self.answer, self.score, self.version = starts(self.fields)
        self.versions = pa.array(["", *versions], pa.string())
        index = [0] * 256
        for i, c in enumerate(codec.CODES):
            index[c] = i
        self.code_index = pa.array(index, pa.int32())
        self.groups = [range(i, min(i + GROUP, statements)) for i in range(0, statements, GROUP)]
        self.answers, self.weights = {}, {}
        for k in {len(g) for g in self.groups}:
            combinations = list(itertools.product(codec.CODES, repeat=k))
            self.answers[k] = pa.array([",".join(words[c] for c in cs) for cs in combinations])
            self.weights[k] = pa.array(
                [",".join("2" if codec.decode(c)[1] else "1" for c in cs) for cs in combinations]
            )
        self.scores = pa.array(scores, pa.string())
        self.last_scores = pa.array([s + "\r\n" for s in scores], pa.string())

    def text(self, data: pa.Array) -> bytes:
        """The CSV lines of a block of rows (from `fixed_rows`)."""
        days = pc.cast(pc.cast(int32(data, self.day), pa.date32()), pa.string())
        columns = [days, pc.take(self.versions, int32(data, self.version))]
        indexes = []
        for group in self.groups:
            value = None
            for i in group:
                code = pc.take(self.code_index, byte(data, self.answer + i))
                value = code if value is None else pc.add(pc.multiply(value, BASE), code)
            indexes.append((len(group), value))
        columns.extend(pc.take(self.answers[k], value) for k, value in indexes)
        columns.extend(pc.take(self.weights[k], value) for k, value in indexes)
        for i in range(self.parties):
            table = self.last_scores if i == self.parties - 1 else self.scores
            columns.append(pc.take(table, uint16(data, self.score + 2 * i)))
        lines = pc.binary_join_element_wise(*columns, ",")
        offsets = lines.buffers()[1]
        end = int.from_bytes(offsets[4 * len(lines) : 4 * len(lines) + 4].to_pybytes(), "little")
        return lines.buffers()[2].slice(0, end).to_pybytes()
