"""Load the demo election grounded in real party programmes.

The data is in fixtures/seed_demo (CSV) and fixtures/manifestos (the programme texts).

Idempotent: parties, documents, the election, its statements and every (statement, party) stance
are created or updated in one transaction. A stance the CSVs do not give becomes an explicit
"none". A quote that is not verbatim in its document, within the lines given, stops the load.
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from positions import publishing
from positions.importing import ManifestoError, import_manifesto
from positions.manifesto import original_lines
from positions.models import (
    Election,
    ManifestoDocument,
    Origin,
    Party,
    Position,
    ReviewStatus,
    Stance,
    Statement,
    Theme,
)

ELECTION_SLUG = "programmas-2019-2024"
PARTIES = [
    # slug, name, short name, colour, website
    ("vooruit", "Vooruit", "Vooruit", "#e3051b", "https://www.vooruit.org"),
    ("groen", "Groen", "Groen", "#3c9a36", "https://www.groen.be"),
    ("spa", "sp.a (socialistische partij anders, sinds 2021 Vooruit)", "sp.a", "#9b1b30", ""),
    ("groenlinks-pvda", "GroenLinks-PvdA", "GL-PvdA", "#0f6e4f", "https://groenlinkspvda.nl"),
]
ELECTION_NAME = "Demo: stellingen getoetst aan echte partijprogramma's (2019-2024)"
ELECTION_INTRO = (
    "Dit is een demonstratie van Stemhulp, geen stemadvies voor een echte verkiezing. "
    "De standpunten zijn letterlijk geciteerd uit vijf partijteksten, maar die teksten horen bij "
    "verschillende verkiezingen en landen, en een aantal is maar één hoofdstuk: "
    "Vooruit (België, verkiezingen van 9 juni 2024: het volledige programma en het Europese "
    "programma), Groen (België, 2024: alleen het hoofdstuk Internationaal), sp.a (België, "
    "verkiezingen van 26 mei 2019: één pagina over asiel en migratie; de partij heet sinds 2021 "
    "Vooruit) en GroenLinks-PvdA (Nederland, Tweede Kamerverkiezing van 22 november 2023: alleen "
    "hoofdstuk 7 over Europa en de wereld). Zegt een tekst niets over een stelling, dan staat er "
    "'geen standpunt': dat gaat over dat stuk tekst, niet noodzakelijk over de partij. Bij elk "
    "standpunt ziet u het citaat en de regels waar het in de bron staat."
)
STANCE_COLUMNS = [
    "statement_id",
    "party",
    "position",
    "document",
    "line_start",
    "line_end",
    "quote",
    "explanation",
]


@dataclass(frozen=True)
class StanceRow:
    where: str
    statement_id: int
    party: str
    position: str
    document: str
    line_start: int | None
    line_end: int | None
    quote: str
    explanation: str


def read_csv(path: Path, columns: list[str]) -> list[dict]:
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"{path.name}: missing columns {', '.join(missing)}")
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CommandError(f"{path}: cannot read: {exc}") from None


def _line(value: str, where: str) -> int | None:
    if not value.strip():
        return None
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"{where}: line number {value!r} is not a whole number") from None
    if number < 1:
        raise CommandError(f"{where}: line numbers start at 1, not {number}")
    return number


def read_stances(folder: Path) -> list[StanceRow]:
    rows = []
    for path in sorted(folder.glob("stances_*.csv")):
        for n, row in enumerate(read_csv(path, STANCE_COLUMNS), start=2):
            where = f"{path.name} row {n}"
            try:
                statement_id = int(row["statement_id"])
            except ValueError:
                raise CommandError(f"{where}: statement_id {row['statement_id']!r}") from None
            rows.append(
                StanceRow(
                    where,
                    statement_id,
                    row["party"].strip(),
                    row["position"].strip(),
                    row["document"].strip(),
                    _line(row["line_start"], where),
                    _line(row["line_end"], where),
                    row["quote"],
                    row["explanation"].strip(),
                )
            )
    return rows


def check_quote(row: StanceRow, text: str) -> str | None:
    """Why a row's quote is not acceptable, or None."""
    if row.line_start is None or row.line_end is None or row.line_end < row.line_start:
        return "a quote needs line_start <= line_end"
    if row.quote not in text:
        return f"the quote is not verbatim in {row.document}: {row.quote[:60]!r}"
    span = "\n".join(original_lines(text)[row.line_start - 1 : row.line_end])
    if row.quote not in span:
        return (
            f"the quote is in {row.document} but not within lines {row.line_start}-{row.line_end}"
        )
    return None


def location(row: StanceRow) -> str:
    if row.line_start == row.line_end:
        return f"regel {row.line_start}"
    return f"regels {row.line_start}-{row.line_end}"


def save_stance(
    statement: Statement, party: Party, row: StanceRow | None, document: ManifestoDocument | None
) -> str:
    """Store the stance `row` gives (from `document`), or an explicit "none" without a row;
    returns which of the two it stored: "sourced" or "none"."""
    defaults = {
        # The CSVs are the reviewed coding: loaded stances count as approved.
        "review_status": ReviewStatus.APPROVED,
        "position": Position.NONE,
        "explanation": "",
        "document": None,
        "quote": "",
        "location": "",
    }
    if row is not None:
        defaults.update(
            position=row.position,
            explanation=row.explanation,
            document=document,
            quote=row.quote,
            location=location(row) if row.quote else "",
        )
    stance = Stance.objects.filter(statement=statement, party=party).first()
    if stance is None:
        stance = Stance(statement=statement, party=party)
    changed = any(getattr(stance, name) != value for name, value in defaults.items())
    for name, value in defaults.items():
        setattr(stance, name, value)
    if changed and stance.pk:
        # Another coding: not what a party gave or confirmed, and a new revision (a party's
        # answer on the old one is refused).
        stance.origin = Origin.EDITORS
        stance.revision += 1
    stance.save()
    return "sourced" if defaults["quote"] else "none"


class Command(BaseCommand):
    help = "Load the demo election whose stances are quoted from real party programmes."

    def add_arguments(self, parser):
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        parser.add_argument("--seed-dir", type=Path, default=fixtures / "seed_demo")
        parser.add_argument("--manifestos", type=Path, default=fixtures / "manifestos")

    def handle(self, *args, **options):
        seed_dir, manifestos = options["seed_dir"], options["manifestos"]
        documents_csv = read_csv(
            seed_dir / "documents.csv",
            ["file", "party", "title", "election_name", "year", "country", "coverage"],
        )
        statements_csv = read_csv(seed_dir / "statements.csv", ["id", "theme", "title", "text"])
        stance_rows = read_stances(seed_dir)
        with transaction.atomic():
            parties = self.load_parties()
            documents = self.load_documents(documents_csv, manifestos, parties)
            election = self.load_election(parties)
            statements = self.load_statements(election, statements_csv)
            counts = self.load_stances(stance_rows, statements, parties, documents)
            publishing.freeze_if_changed(election, "load_seed_demo")
        self.stdout.write(
            f"Loaded “{election.name}”: {len(parties)} parties, {len(documents)} documents, "
            f"{len(statements)} statements, {counts['sourced']} sourced stances, "
            f"{counts['none']} without a stance."
        )

    def load_parties(self) -> dict[str, Party]:
        parties = {}
        for slug, name, short_name, colour, website in PARTIES:
            parties[slug], _ = Party.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "short_name": short_name,
                    "colour": colour,
                    "website": website,
                },
            )
        return parties

    def load_documents(self, rows, folder: Path, parties) -> dict[str, ManifestoDocument]:
        documents = {}
        for row in rows:
            party = parties.get(row["party"])
            if party is None:
                raise CommandError(f"documents.csv: unknown party {row['party']!r}")
            path = folder / row["file"]
            try:
                text = path.read_text(encoding="utf-8")
                result = import_manifesto(
                    party,
                    text,
                    title=row["title"],
                    election_name=row["election_name"],
                    year=int(row["year"]) if row["year"] else None,
                    country=row["country"],
                    coverage=row["coverage"],
                )
            except (OSError, UnicodeDecodeError, ManifestoError, ValueError) as exc:
                raise CommandError(f"{path}: {exc}") from None
            self.stdout.write(f"  {row['file']}: {result.summary()}")
            documents[row["file"]] = result.document
        return documents

    def load_election(self, parties) -> Election:
        election, _ = Election.objects.update_or_create(
            slug=ELECTION_SLUG,
            defaults={
                "name": ELECTION_NAME,
                "date": datetime.date(2024, 6, 9),
                "intro": ELECTION_INTRO,
                "status": Election.Status.PUBLISHED,
            },
        )
        election.parties.set(parties.values())
        return election

    def load_statements(self, election: Election, rows) -> dict[int, Statement]:
        statements = {}
        for row in rows:
            number = int(row["id"])
            theme, _ = Theme.objects.get_or_create(name=row["theme"].strip())
            statements[number], _ = Statement.objects.update_or_create(
                election=election,
                order=number,
                defaults={"theme": theme, "title": row["title"], "text": row["text"]},
            )
        election.statements.exclude(order__in=statements).delete()
        return statements

    def load_stances(self, rows, statements, parties, documents) -> dict[str, int]:
        problems, given = [], {}
        for row in rows:
            problem = self.check_row(row, statements, parties, documents, given)
            if problem:
                problems.append(f"{row.where}: {problem}")
            else:
                given[(row.statement_id, row.party)] = row
        if problems:
            raise CommandError(f"{len(problems)} stance problem(s):\n" + "\n".join(problems))
        counts = {"sourced": 0, "none": 0}
        for number, statement in statements.items():
            for slug, party in parties.items():
                row = given.get((number, slug))
                document = documents.get(row.document) if row is not None else None
                counts[save_stance(statement, party, row, document)] += 1
        return counts

    def check_row(self, row, statements, parties, documents, given) -> str | None:
        if row.statement_id not in statements:
            return f"unknown statement {row.statement_id}"
        if row.party not in parties:
            return f"unknown party {row.party!r}"
        if (row.statement_id, row.party) in given:
            return f"a second stance for statement {row.statement_id} and {row.party}"
        if row.position not in Position.values:
            return f"position {row.position!r} is not one of {', '.join(Position.values)}"
        if row.document and row.document not in documents:
            return f"unknown document {row.document!r}"
        if row.document and documents[row.document].party.slug != row.party:
            return f"{row.document} is not a document of {row.party}"
        if row.position != Position.NONE and not row.quote:
            return f"position {row.position!r} without a quote"
        if row.quote:
            if not row.document:
                return "a quote without its document"
            return check_quote(row, documents[row.document].original_text)
        return None
