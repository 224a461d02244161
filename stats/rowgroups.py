"""Parquet files joined by row group, without decoding or encoding a value.

A Parquet file is `PAR1`, its row groups' column chunks one after the other, a footer (Thrift
compact protocol) that says where each chunk starts, the footer's length and `PAR1`. Files with
the same schema join by copying their chunks and writing one footer listing every row group,
with each chunk's offsets moved by where its file's chunks now start. pyarrow cannot do this
(its writer re-encodes every value, which costs more than reading the rows from the database),
so the footer is read and written here: only the fields that hold a position are touched, every
other field is written back as it was read.
"""

import struct
from collections.abc import Sequence
from typing import BinaryIO

MAGIC = b"PAR1"
STOP, TRUE, FALSE, I8, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(13)

# Field ids of the Parquet Thrift definitions (parquet.thrift).
FILE_ROWS, FILE_ROW_GROUPS, FILE_SCHEMA, FILE_METADATA = 3, 4, 2, 5
GROUP_COLUMNS, GROUP_OFFSET, GROUP_ORDINAL = 1, 5, 7
CHUNK_OFFSET, CHUNK_META, CHUNK_PAGE_INDEXES = 2, 3, (4, 6)
META_OFFSETS = (9, 10, 11, 14)  # data page, index page, dictionary page, bloom filter


class FooterError(ValueError):
    """Not a Parquet footer this module can move (for example one with page indexes)."""


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def byte(self) -> int:
        value = self.data[self.at]
        self.at += 1
        return value

    def varint(self) -> int:
        shift = value = 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    def integer(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def take(self, n: int) -> bytes:
        value = self.data[self.at : self.at + n]
        self.at += n
        return value

    def value(self, kind: int):
        if kind in (TRUE, FALSE):
            return kind == TRUE
        if kind == I8:
            return self.byte()
        if kind in (I16, I32, I64):
            return self.integer()
        if kind == DOUBLE:
            return self.take(8)
        if kind == BINARY:
            return self.take(self.varint())
        if kind in (LIST, SET):
            head = self.byte()
            size, item = head >> 4, head & 15
            if size == 15:
                size = self.varint()
            if item in (TRUE, FALSE):
                return item, [self.byte() == TRUE for _ in range(size)]
            return item, [self.value(item) for _ in range(size)]
        if kind == MAP:
            size = self.varint()
            if not size:
                return 0, 0, []
            head = self.byte()
            key, item = head >> 4, head & 15
            return key, item, [(self.value(key), self.value(item)) for _ in range(size)]
        if kind == STRUCT:
            fields, last = [], 0
            while (head := self.byte()) != STOP:
                delta, field_kind = head >> 4, head & 15
                field_id = last + delta if delta else self.integer()
                fields.append([field_id, field_kind, self.value(field_kind)])
                last = field_id
            return fields
        raise FooterError(f"unknown Thrift type {kind}")


class _Writer:
    def __init__(self):
        self.out = bytearray()

    def varint(self, value: int) -> None:
        while value > 0x7F:
            self.out.append((value & 0x7F) | 0x80)
            value >>= 7
        self.out.append(value)

    def integer(self, value: int) -> None:
        self.varint((value << 1) ^ (value >> 63))

    def value(self, kind: int, value) -> None:
        if kind in (TRUE, FALSE):
            return
        if kind == I8:
            self.out.append(value & 0xFF)
        elif kind in (I16, I32, I64):
            self.integer(value)
        elif kind == DOUBLE:
            self.out += value
        elif kind == BINARY:
            self.varint(len(value))
            self.out += value
        elif kind in (LIST, SET):
            item, items = value
            if len(items) < 15:
                self.out.append(len(items) << 4 | item)
            else:
                self.out.append(0xF0 | item)
                self.varint(len(items))
            for element in items:
                if item in (TRUE, FALSE):
                    self.out.append(TRUE if element else FALSE)
                else:
                    self.value(item, element)
        elif kind == MAP:
            key, item, items = value
            self.varint(len(items))
            if items:
                self.out.append(key << 4 | item)
                for k, v in items:
                    self.value(key, k)
                    self.value(item, v)
        elif kind == STRUCT:
            last = 0
            for field_id, field_kind, field_value in value:
                if field_kind in (TRUE, FALSE):
                    field_kind = TRUE if field_value else FALSE
                if 0 < field_id - last <= 15:
                    self.out.append((field_id - last) << 4 | field_kind)
                else:
                    self.out.append(field_kind)
                    self.integer(field_id)
                self.value(field_kind, field_value)
                last = field_id
            self.out.append(STOP)
        else:
            raise FooterError(f"unknown Thrift type {kind}")


def _field(fields: list, field_id: int) -> list | None:
    return next((f for f in fields if f[0] == field_id), None)


def _footer(data: bytes) -> tuple[int, list]:
    """Where the footer starts, and the footer as [field id, type, value] lists."""
    if len(data) < 12 or data[:4] != MAGIC or data[-4:] != MAGIC:
        raise FooterError("not a Parquet file")
    length = struct.unpack("<I", data[-8:-4])[0]
    start = len(data) - 8 - length
    return start, _Reader(data[start:-8]).value(STRUCT)


def _move(group: list, shift: int, ordinal: int) -> None:
    for chunk in _field(group, GROUP_COLUMNS)[2][1]:
        if any(_field(chunk, k) for k in CHUNK_PAGE_INDEXES):
            raise FooterError("page indexes are not moved")
        if offset := _field(chunk, CHUNK_OFFSET):
            offset[2] += shift
        for field_id in META_OFFSETS:
            if offset := _field(_field(chunk, CHUNK_META)[2], field_id):
                offset[2] += shift
    if offset := _field(group, GROUP_OFFSET):
        offset[2] += shift
    if number := _field(group, GROUP_ORDINAL):
        number[2] = ordinal


def join(out: BinaryIO, files: Sequence[bytes]) -> None:
    """Write the rows of `files` (Parquet files with the same schema and metadata, as one
    writer makes them), in order, as one Parquet file."""
    footers = [_footer(data) for data in files]
    if not footers:
        raise FooterError("nothing to join")
    first = footers[0][1]
    same = [_field(first, FILE_SCHEMA), _field(first, FILE_METADATA)]
    for _, footer in footers[1:]:
        if [_field(footer, FILE_SCHEMA), _field(footer, FILE_METADATA)] != same:
            raise FooterError("the files do not have the same schema")
    groups, rows, position = [], 0, len(MAGIC)
    for start, footer in footers:
        for group in _field(footer, FILE_ROW_GROUPS)[2][1]:
            _move(group, position - len(MAGIC), len(groups))
            groups.append(group)
        rows += _field(footer, FILE_ROWS)[2]
        position += start - len(MAGIC)
    _field(first, FILE_ROWS)[2] = rows
    _field(first, FILE_ROW_GROUPS)[2] = (STRUCT, groups)
    writer = _Writer()
    writer.value(STRUCT, first)
    out.write(MAGIC)
    for data, (start, _) in zip(files, footers, strict=True):
        out.write(memoryview(data)[len(MAGIC) : start])
    out.write(bytes(writer.out))
    out.write(struct.pack("<I", len(writer.out)))
    out.write(MAGIC)
