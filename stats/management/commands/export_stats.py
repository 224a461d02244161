"""Export the result statistics of an election to a file.

    manage.py export_stats --election SLUG [--from DATE --to DATE] [--microdata]
        [--include-simulated] --format csv|json|xlsx|parquet --out PATH

The exact figures, for the Beheerder (the published ones are the releases, see
`make_releases`): by default the aggregate tables, with small cells suppressed: a zip with a CSV
(or Parquet file) per table and a README, one JSON document, or one XLSX with a sheet per table.
With --microdata one row per completed quiz, unsuppressed (CSV: a header line, then a line per
completed quiz). `--out` must end in the format's extension (.zip for several CSV or Parquet
files). Rows of `simulate_results` are left out unless --include-simulated. The file appears
only when it is complete.
"""

import datetime
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from positions.models import Election
from stats import aggregate, exporters
from stats.management.progress import Progress


def _date(option: str, value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: expected a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Export the result statistics (or with --microdata, every completion) of an election."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, metavar="SLUG")
        parser.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY-MM-DD, included")
        parser.add_argument("--microdata", action="store_true", help="One row per completed quiz")
        parser.add_argument("--format", required=True, choices=list(exporters.WRITERS))
        parser.add_argument("--out", required=True, metavar="PATH")
        parser.add_argument(
            "--include-simulated", action="store_true", help="Also the rows of simulate_results"
        )

    def handle(self, *args, **options):
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            raise CommandError(f"--election: no election with slug {options['election']!r}")
        date_from = _date("--from", options["date_from"])
        date_to = _date("--to", options["date_to"])
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from: the first day comes after the last (--to)")
        fmt = options["format"]
        if options["microdata"] and fmt not in exporters.MICRODATA_FORMATS:
            raise CommandError(
                f"--format: the microdata is exported as {' or '.join(exporters.MICRODATA_FORMATS)}"
                " (a spreadsheet holds at most 1,048,576 rows)"
            )
        out = Path(options["out"])
        tables = 1 if options["microdata"] else len(exporters.AGGREGATES)
        extension = exporters.media_type(fmt, tables)[1]
        if out.suffix != f".{extension}":
            raise CommandError(f"--out: a {fmt} export of {tables} table(s) is a .{extension} file")
        data = aggregate.election_data(election)
        simulated = options["include_simulated"]
        if options["microdata"]:
            exporter = exporters.MicrodataExporter(data, date_from, date_to, simulated=simulated)
            total = exporter.count()
            exporter.progress = progress = Progress(self.stderr, "Exporting", total)
            meta = exporters.microdata_meta(data, date_from, date_to, simulated)
            tables = [exporter]
            what = f"{total:,} completions"
        else:
            progress = Progress(self.stderr, "Counting")
            progress(0)
            report = aggregate.report(data, date_from, date_to, simulated=simulated)
            meta, tables = exporters.report_meta(report), exporters.report_exporters(report)
            meta = {**meta, "exact": True, **({"simulated": True} if simulated else {})}
            what = f"{len(tables)} tables"
        self._write(out, lambda file: exporters.WRITERS[fmt](file, meta, tables))
        progress.finish()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Wrote {what} of {election.slug} to {out}")

    def _write(self, out: Path, write) -> None:
        """Write to a temporary file beside `out`, then rename it: never a half-written export."""
        try:
            handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out}: {exc.strerror}") from None
        try:
            with os.fdopen(handle, "wb") as file:
                write(file)
            os.chmod(temporary, 0o644)
            os.replace(temporary, out)
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out}: {exc.strerror}") from None
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
