"""Exports of the statistics: one small class per table, and shared writers for each format.

An exporter has an `identifier`, a `verbose_name` and `iter_rows()`, which yields the header
first, then the rows. The aggregate tables are small and come from one `aggregate.Report`. The
microdata (one row per completed quiz) is large: on PostgreSQL its CSV comes from one binary
COPY rendered a column at a time (`stats.columnar`) and its Parquet from one blob per day
(`stats.parquet`); otherwise it is streamed from a server-side cursor and its CSV and JSON lines
are rendered with lookup tables.

Writers: CSV (one table as a .csv, several as a .zip of CSVs; cells of editors' text that start
with = + - @ are escaped against formula injection), JSON (one document, streamed), XLSX
(openpyxl write-only mode, a sheet per table) and Parquet (`stats.parquet`; several tables as a
.zip). Each export with several tables carries `README` (a file in the zip, a sheet, a JSON key).
"""

import csv
import datetime
import hashlib
import io
import json
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.models import Aggregate, Count, F, Func, Q
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from positions.catalog import ElectionData

from . import codec
from .aggregate import BUCKETS, NA, Report
from .models import Completion, DayMicrodata, Layout

CHUNK_ROWS = 5000
README = """Stemhulp: result statistics

Cells
- "<10" (CSV, XLSX, JSON) or NaN (Parquet): suppressed, fewer than 10 voters.
- empty (CSV, XLSX), null (JSON, Parquet): not applicable, nothing to count: the agreement with
  a party that took no position, the scores of a party without any stance, or (microdata) a
  statement or party that the voter's version of the election did not have.

Released tables (with "release" and "privacy" in the JSON) carry noise: each day's counts were
drawn once with differential privacy (OpenDP, Gaussian mechanism), then rounded, made
non-negative and consistent (the answers to a statement add up to the completions). Exact tables
and the microdata are for the Beheerder and not for publication.

Tables
- days: completions per day.
- statements: per statement, voters who agreed, were neutral, disagreed, skipped (on an election
  of 5 points also strongly_agree and strongly_disagree), and who marked it as mattering more.
- parties: per party, voters with a score, mean and median score (0-100), voters per score
  class of 10 points, and the share of voters for whom it was the best match (ties shared).
- agreement: per statement and party, the share of voters answering the statement who took the
  party's position.
- microdata: one row per completed quiz, in order of day and content: day, version, answer and
  weight (1, or 2 when it mattered more) per statement, score per party.
"""
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Make a spreadsheet read a cell as text, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _json(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def _score_text(value: float) -> str:
    return f"{value:g}"


def _text(value, as_json: bool) -> str:
    """One microdata cell as CSV or JSON text."""
    if value is None:
        return "null" if as_json else ""
    if isinstance(value, float):
        return _score_text(value)
    return _json(value) if as_json else str(value)


class Exporter:
    identifier = ""
    verbose_name = ""
    text_columns: frozenset[str] = frozenset()  # columns holding editors' text

    def header(self) -> list[str]:
        raise NotImplementedError

    def rows(self) -> Iterable[list]:
        raise NotImplementedError

    def iter_rows(self) -> Iterator[list]:
        """The header, then the rows."""
        yield self.header()
        yield from self.rows()

    def csv_bytes(self) -> Iterator[bytes]:
        for chunk in self.csv_chunks():
            yield chunk.encode()

    def csv_chunks(self) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        rows = self.iter_rows()
        header = next(rows)
        text = [name in self.text_columns for name in header]
        writer.writerow([escape_formula(name) for name in header])
        for n, row in enumerate(rows, 1):
            writer.writerow([escape_formula(v) if t else v for v, t in zip(row, text, strict=True)])
            if n % CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    def json_chunks(self) -> Iterator[str]:
        """The rows (not the header) as JSON arrays, a line each, in chunks."""
        batch = []
        for row in self.rows():
            batch.append(_json(row))
            if len(batch) == CHUNK_ROWS:
                yield ",\n".join(batch)
                batch = []
        if batch:
            yield ",\n".join(batch)


class ReportExporter(Exporter):
    """A table of a report. A suppressed cell is written as the text "<10" (the threshold), a
    cell with nothing to count as empty (JSON null); Parquet has NaN and null instead."""

    def __init__(self, report: Report):
        self.report = report

    def values(self) -> Iterable[list]:
        raise NotImplementedError

    def rows(self) -> Iterator[list]:
        suppressed = suppressed_text(self.report.threshold)
        for row in self.values():
            yield [suppressed if v is None else None if v is NA else v for v in row]


def suppressed_text(threshold: int) -> str:
    return f"<{threshold}"


class DaysExporter(ReportExporter):
    identifier = "days"
    verbose_name = _("Ingevulde stemhulpen per dag")

    def header(self):
        return ["day", "completions"]

    def values(self):
        return [[day, n] for day, n in self.report.days]


class StatementsExporter(ReportExporter):
    identifier = "statements"
    verbose_name = _("Antwoorden per stelling")
    text_columns = frozenset({"title"})

    def header(self):
        return ["statement", "title", *self._answers()]

    def values(self):
        answers = self._answers()
        return [
            [s.number, s.title, *(getattr(s, a) for a in answers)] for s in self.report.statements
        ]

    def _answers(self) -> list[str]:
        """The counted answers and "important"; the strong answers only on 5 points."""
        if self.report.election.scale == 5:
            return [
                "strongly_agree",
                "agree",
                "neutral",
                "disagree",
                "strongly_disagree",
                "skip",
                "important",
            ]
        return ["agree", "neutral", "disagree", "skip", "important"]


BUCKET_COLUMNS = [f"score_{10 * i}_{10 * (i + 1)}" for i in range(BUCKETS)]


class PartiesExporter(ReportExporter):
    identifier = "parties"
    verbose_name = _("Matchscores per partij")
    text_columns = frozenset({"name"})

    def header(self):
        return ["party", "name", "voters", "mean", "median", *BUCKET_COLUMNS, "best_match_share"]

    def values(self):
        return [
            [p.slug, p.name, p.voters, p.mean, p.median, *p.histogram, p.best_share]
            for p in self.report.parties
        ]


class AgreementExporter(ReportExporter):
    identifier = "agreement"
    verbose_name = _("Eens met de partij, per stelling")

    def header(self):
        return ["statement", "party", "party_position", "agree_share"]

    def values(self):
        return [[c.statement, c.party, c.position, c.share] for c in self.report.agreement]


AGGREGATES = {
    cls.identifier: cls
    for cls in (DaysExporter, StatementsExporter, PartiesExporter, AgreementExporter)
}


def report_meta(report: Report) -> dict:
    return {
        "election": report.election.slug,
        "name": report.election.name,
        "from": report.date_from,
        "to": report.date_to,
        "threshold": report.threshold,
        "completions": report.completions,
    }


def microdata_meta(data: ElectionData, date_from=None, date_to=None, simulated=False) -> dict:
    meta = {"election": data.slug, "name": data.name, "from": date_from, "to": date_to}
    return {**meta, "simulated": True} if simulated else meta


def report_exporters(report: Report) -> list[Exporter]:
    return [cls(report) for cls in AGGREGATES.values()]


class _Renderer:
    """Microdata rows of the current layout as CSV or JSON text, a chunk at a time, by table
    lookup: two answer bytes at a time become "agree,neutral" (or `"agree","neutral"`) and
    "1,2" in one step, and a packed score becomes "66.67". Needs statements and parties."""

    def __init__(self, statements: int, parties: int, versions: dict[int, str], as_json: bool):
        def word(code: int) -> str:
            answer = codec.decode(code)[0]
            return f'"{answer}"' if as_json else answer

        def weight(code: int) -> str:
            return "2" if codec.decode(code)[1] else "1"

        # Indices: a pair of answer bytes (0x4141 and up), or a lone last byte (below 0x80).
        self.words, self.weights = [""] * 65536, [""] * 65536
        for hi in codec.CODES:
            self.words[hi], self.weights[hi] = word(hi), weight(hi)
            for lo in codec.CODES:
                self.words[hi << 8 | lo] = f"{word(hi)},{word(lo)}"
                self.weights[hi << 8 | lo] = f"{weight(hi)},{weight(lo)}"
        self.scores = ["null" if as_json else ""] * 65536
        for value in range(100 * 100 + 1):
            self.scores[value] = _score_text(value / 100)
        self.answers = struct.Struct(">" + "H" * (statements // 2) + "B" * (statements % 2)).unpack
        self.unpack_scores = struct.Struct(f">{parties}H").unpack
        quote = _json if as_json else str
        self.versions = {pk: quote(version) for pk, version in versions.items()}
        self.days = _DayText(quote)
        self.open, self.close = ("[", "]") if as_json else ("", "")

    def lines(self, rows: list[tuple]) -> list[str]:
        words, weights = self.words.__getitem__, self.weights.__getitem__
        scores, unpack_scores = self.scores.__getitem__, self.unpack_scores
        answers, days, versions, join = self.answers, self.days, self.versions, ",".join
        start, end = self.open, self.close
        return [
            f"{start}{days[day]},{versions[layout]},{join(map(words, pairs := answers(given)))},"
            f"{join(map(weights, pairs))},{join(map(scores, unpack_scores(packed)))}{end}"
            for day, layout, given, packed in rows
        ]


class _DayText(dict):
    """A day as CSV or JSON text, computed once per day."""

    def __init__(self, quote):
        super().__init__()
        self.quote = quote

    def __missing__(self, day):
        self[day] = text = self.quote(_as_date(day).isoformat())
        return text


def _as_date(day) -> datetime.date:
    return datetime.date.fromisoformat(day) if isinstance(day, str) else day


class _Concatenated(Aggregate):
    """The bytes of a column of every row in a group, one after the other (PostgreSQL)."""

    function = "string_agg"
    template = "%(function)s(%(expressions)s, ''::bytea)"
    output_field = models.BinaryField()


class MicrodataExporter(Exporter):
    """One row per completed quiz: day, version, each answer, each weight, each party's score.

    Rows come in order of day and content, never in the order they were recorded, so that row
    order cannot be matched against the time of a visit. Columns follow the election as it is
    now; rows of an earlier version with other statements or parties are mapped by statement id
    and party slug (empty where the earlier version had no such statement or party).
    """

    identifier = "microdata"
    verbose_name = _("Microdata: één rij per ingevulde stemhulp")

    def __init__(
        self,
        data: ElectionData,
        date_from: datetime.date | None = None,
        date_to: datetime.date | None = None,
        progress: Callable[[int], None] | None = None,
        simulated: bool = False,
        days: Q | None = None,
    ):
        self.data, self.date_from, self.date_to = data, date_from, date_to
        self.progress, self.simulated, self.days = progress, simulated, days
        self.layouts = {
            layout.pk: layout for layout in Layout.objects.filter(election__slug=data.slug)
        }
        self.shape = (tuple(s.id for s in data.statements), data.party_slugs)

    def _queryset(self):
        rows = Completion.objects.for_layouts(list(self.layouts)).between(
            self.date_from, self.date_to
        )
        if self.days is not None:
            rows = rows.filter(self.days)
        return rows if self.simulated else rows.real()

    def count(self) -> int:
        return self._queryset().count() if self.layouts else 0

    def header(self) -> list[str]:
        numbers = [s.number for s in self.data.statements]
        return [
            "day",
            "version",
            *(f"answer_{n}" for n in numbers),
            *(f"weight_{n}" for n in numbers),
            *(f"score_{slug}" for slug in self.data.party_slugs),
        ]

    def _chunks(self) -> Iterator[list[tuple]]:
        """Raw rows (day, layout id, answers, scores) in lists of CHUNK_ROWS."""
        if not self.layouts:
            return
        query = (
            self._queryset()
            .order_by("day", "answers", "scores")
            .values_list("day", "layout_id", "answers", "scores")
        )
        sql, params = query.query.get_compiler(query.db).as_sql()
        done = 0
        # A server-side cursor on PostgreSQL; inside a transaction it streams the result
        # instead of first materialising all of it.
        connection = connections[query.db]
        with transaction.atomic(using=query.db), connection.chunked_cursor() as cursor:
            if connection.vendor == "postgresql":
                # Binary results: bytea arrives as bytes, not as hex text (a third faster).
                cursor.cursor.execute(sql, params, binary=True)
            else:
                cursor.execute(sql, params)
            # Fetch the next chunk in a second thread while this one renders the last: the
            # database sends rows while Python writes them (a third faster on two cores).
            with ThreadPoolExecutor(max_workers=1) as reader:
                ahead = reader.submit(cursor.fetchmany, CHUNK_ROWS)
                while rows := ahead.result():
                    ahead = reader.submit(cursor.fetchmany, CHUNK_ROWS)
                    yield rows
                    done += len(rows)
                    if self.progress:
                        self.progress(done)

    def _day_groups(self) -> Iterator[tuple]:
        """(day, layout id, rows, keys, answers, scores) per day and version, each of the last
        three one blob of all its rows (PostgreSQL), a group at a time."""
        if not self.layouts:
            return
        query = (
            self._queryset()
            .values("day", "layout_id")
            .annotate(
                n=Count("*"),
                keys=_Concatenated(Func(F("id"), function="int8send")),
                given=_Concatenated(F("answers")),
                packed=_Concatenated(F("scores")),
            )
            .order_by("day", "layout_id")
            .values_list("day", "layout_id", "n", "keys", "given", "packed")
        )
        sql, params = query.query.get_compiler(query.db).as_sql()
        connection = connections[query.db]
        done = 0
        with transaction.atomic(using=query.db):
            with connection.cursor() as setting:
                setting.execute("SET LOCAL jit = off")
            cursor = connection.chunked_cursor()
            cursor.cursor.execute(sql, params, binary=True)
            try:
                while group := cursor.fetchone():
                    yield group
                    done += group[2]
                    if self.progress:
                        self.progress(done)
            finally:
                cursor.close()

    def _one_shape(self) -> bool:
        """Whether every version has today's statements and parties (and there are some)."""
        same = all(layout.shape == self.shape for layout in self.layouts.values())
        return bool(self.layouts) and same and all(self.shape)

    def _on_postgresql(self) -> bool:
        return connections[self._queryset().db].vendor == "postgresql"

    def _typed(self, row: tuple) -> list:
        """One row in this export's columns, as values."""
        day, layout_id, answers, scores = row
        layout = self.layouts[layout_id]
        given = dict(zip(layout.statements, codec.unpack_answers(answers), strict=True))
        given_scores = dict(zip(layout.parties, codec.unpack_scores(scores), strict=True))
        statements = [given.get(sid) for sid in self.shape[0]]
        return [
            _as_date(day),
            layout.version,
            *(a[0] if a else None for a in statements),
            *((2 if a[1] else 1) if a else None for a in statements),
            *(given_scores.get(slug) for slug in self.shape[1]),
        ]

    def rows(self) -> Iterator[list]:
        for chunk in self._chunks():
            yield from map(self._typed, chunk)

    def _lines(self, as_json: bool) -> Iterator[list[str]]:
        fast = all(layout.shape == self.shape for layout in self.layouts.values())
        if fast and all(self.shape):
            versions = {pk: layout.version for pk, layout in self.layouts.items()}
            renderer = _Renderer(len(self.shape[0]), len(self.shape[1]), versions, as_json)
            yield from map(renderer.lines, self._chunks())
            return
        start, end = ("[", "]") if as_json else ("", "")
        for chunk in self._chunks():
            yield [
                start + ",".join(_text(v, as_json) for v in self._typed(row)) + end for row in chunk
            ]

    def arrow_batches(self):
        """The rows as Arrow record batches (for Parquet)."""
        from . import parquet

        if self._one_shape():
            versions = {pk: layout.version for pk, layout in self.layouts.items()}
            shape = (self.header(), len(self.shape[0]), len(self.shape[1]), versions)
            if self._on_postgresql():
                yield from parquet.day_batches(self._day_groups(), *shape)
            else:
                yield from parquet.microdata_batches(self._chunks(), *shape)
            return
        yield from parquet.typed_batches(
            (list(map(self._typed, chunk)) for chunk in self._chunks()),
            self.header(),
            len(self.shape[0]),
            len(self.shape[1]),
        )

    def fingerprint(self, readme: str) -> str:
        """What a stored day's Parquet file (`DayMicrodata`) must have been written with to be
        part of this export: the columns, the versions (the version column's dictionary, in
        its order) and the README in the file's metadata."""
        versions = [layout.version for layout in self.layouts.values()]
        text = json.dumps([self.header(), versions, readme])
        return hashlib.sha256(text.encode()).hexdigest()

    def day_files(self, readme: str) -> Iterator[tuple]:
        """(day, rows, Parquet file) for each day with rows; None if the rows are not of one
        shape (each day would then be written with columns of its own)."""
        from . import parquet

        if not self._one_shape():
            return None
        return parquet.day_files(self.arrow_batches(), readme)

    def stored_parquet(self, readme: str) -> list[bytes] | None:
        """The export as Parquet files to join (`stats.rowgroups`), in order of day: each closed
        day's file as `make_releases` stored it, and the rows of the days not stored (the open
        day) written as a live export writes them, from one query. None when no stored day is
        part of it (simulated rows asked for, rows of several shapes, nothing stored yet)."""
        if self.simulated or not self._one_shape():
            return None
        days = DayMicrodata.objects.filter(
            election__slug=self.data.slug, fingerprint=self.fingerprint(readme)
        )
        if self.date_from:
            days = days.filter(day__gte=self.date_from)
        if self.date_to:
            days = days.filter(day__lte=self.date_to)
        stored = list(days.order_by("day").values_list("day", "rows", "parquet"))
        if not any(rows for _, rows, _ in stored):
            return None
        first, last = stored[0][0], stored[-1][0]
        gaps = {first + datetime.timedelta(days=n) for n in range((last - first).days)}
        gaps -= {day for day, _, _ in stored}
        # Ranges and a short list, not "not one of the stored days", which no index serves.
        others = Q(day__lt=first) | Q(day__gt=last) | Q(day__in=sorted(gaps))
        rest = MicrodataExporter(self.data, self.date_from, self.date_to, days=others)
        files = sorted([*stored, *rest.day_files(readme)], key=lambda file: file[0])
        if self.progress:
            self.progress(sum(rows for _, rows, _ in files))
        return [bytes(parquet) for _, rows, parquet in files if rows]

    def _copy(self, fields: str, order: str, fields_width: list[int]) -> Iterator:
        """Blocks of rows of `fields` in `order` from one binary COPY (`stats.columnar`)."""
        from . import columnar

        query = self._queryset()
        connection = connections[query.db]
        rows = query.order_by().values_list("day", "answers", "scores", "layout_id")
        sql, params = rows.query.get_compiler(query.db).as_sql()
        statement = f"SELECT {fields} FROM ({sql}) AS completion ORDER BY {order}"
        done = 0
        connection.ensure_connection()
        blocks = columnar.fixed_rows(
            connection.connection, statement, [list(self.layouts), *params], fields_width
        )
        with connection.wrap_database_errors:
            for block in blocks:
                yield block
                done += len(block)
                if self.progress:
                    self.progress(done)

    def csv_chunks(self) -> Iterator[str]:
        # Every cell is a date, a version fingerprint, an answer word or a number: nothing to
        # quote and nothing a spreadsheet could read as a formula.
        yield ",".join(self.header()) + "\r\n"
        for lines in self._lines(as_json=False):
            yield "\r\n".join(lines) + "\r\n"

    def csv_bytes(self) -> Iterator[bytes]:
        """On PostgreSQL with one layout shape, the rows come in one binary COPY and become CSV
        a column at a time (`stats.columnar`); the same text as `csv_chunks`, several times
        faster."""
        if not (self._one_shape() and self._on_postgresql()):
            yield from super().csv_bytes()
            return
        from . import columnar

        words = [codec.decode(c)[0] if c in codec.CODES else "" for c in range(256)]
        scores = [""] * 65536
        for value in range(100 * 100 + 1):
            scores[value] = _score_text(value / 100)
        text = columnar.CsvText(
            len(self.shape[0]),
            len(self.shape[1]),
            [layout.version for layout in self.layouts.values()],
            words,
            scores,
        )
        fields = "day - DATE '1970-01-01', answers, scores, array_position(%s, layout_id)"
        yield (",".join(self.header()) + "\r\n").encode()
        yield from map(text.text, self._copy(fields, "day, answers, scores", text.fields))

    def json_chunks(self) -> Iterator[str]:
        for lines in self._lines(as_json=True):
            yield ",\n".join(lines)


# Writers


def csv_stream(exporter: Exporter) -> Iterator[bytes]:
    return exporter.csv_bytes()


def json_stream(meta: dict, exporters: list[Exporter]) -> Iterator[bytes]:
    """One JSON document: the meta fields, then `tables` with `columns` and `rows` per table."""
    head = ", ".join(f"{_json(k)}: {_json(v)}" for k, v in meta.items())
    yield ("{" + head + (", " if head else "") + '"tables": {').encode()
    for i, exporter in enumerate(exporters):
        opening = f"{',' if i else ''}\n{_json(exporter.identifier)}: "
        yield f'{opening}{{"columns": {_json(exporter.header())}, "rows": ['.encode()
        for j, chunk in enumerate(exporter.json_chunks()):
            yield f"{',' if j else ''}\n{chunk}".encode()
        yield b"\n]}"
    yield b"\n}}\n"


def write_csv(out: BinaryIO, meta: dict, exporters: list[Exporter]) -> None:
    """One table as CSV; several as a zip with a CSV per table."""
    if len(exporters) == 1:
        for chunk in csv_stream(exporters[0]):
            out.write(chunk)
        return
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        for exporter in exporters:
            with archive.open(f"{exporter.identifier}.csv", "w") as member:
                for chunk in csv_stream(exporter):
                    member.write(chunk)


def write_json(out: BinaryIO, meta: dict, exporters: list[Exporter]) -> None:
    for chunk in json_stream({**meta, "readme": README}, exporters):
        out.write(chunk)


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters pasted into a title
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula
        return cell
    return value


def write_xlsx(out: BinaryIO, meta: dict, exporters: list[Exporter]) -> None:
    workbook = Workbook(write_only=True)
    for exporter in exporters:
        sheet = workbook.create_sheet(title=exporter.identifier)
        for row in exporter.iter_rows():
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    if len(exporters) > 1:
        readme = workbook.create_sheet(title="README")
        for line in README.splitlines():
            readme.append([line])
    workbook.save(out)


def write_parquet(out: BinaryIO, meta: dict, exporters: list[Exporter]) -> None:
    from . import parquet

    parquet.write(out, meta, exporters, README)


WRITERS = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx, "parquet": write_parquet}
MICRODATA_FORMATS = ("csv", "json", "parquet")  # a spreadsheet holds at most 1,048,576 rows


def media_type(fmt: str, tables: int) -> tuple[str, str]:
    """(content type, file extension) of an export."""
    if tables > 1 and fmt in ("csv", "parquet"):
        return "application/zip", "zip"
    return {
        "csv": ("text/csv", "csv"),
        "json": ("application/json", "json"),
        "parquet": ("application/vnd.apache.parquet", "parquet"),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    }[fmt]
