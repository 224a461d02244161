"""Load the demo ballot day grounded in real party programmes: "Verkiezingen 9 juni 2024 (demo)".

Two elections of that day: the European Parliament and the federal Chamber. Each party runs at
both as a party row per level: Vooruit with its European programme (000) for Europe and its full
programme (001) for the Chamber; Groen with the chapter "Internationaal" (002) of the one
programme it wrote for every election of that day, imported once for each of its rows.
Statements on what both levels decide (migration, climate, trade) are shared; a few belong to
one level. The data is in fixtures/ballot_demo (CSV, as fixtures/seed_demo) and the programme
texts in fixtures/manifestos.

Idempotent, in one transaction. Every (statement, party) of an election that asks the statement
gets a stance; one the CSVs do not give becomes an explicit "none". A quote that is not verbatim
in its document, within the lines given, stops the load (the check of `load_seed_demo`). The
day and both elections are published, each election as a frozen version.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from positions import publishing
from positions.models import (
    BallotDay,
    Election,
    ManifestoDocument,
    Party,
    Statement,
    Theme,
)

from . import load_seed_demo
from .load_seed_demo import read_csv, read_stances, save_stance

DAY_SLUG = "verkiezingen-9-juni-2024-demo"
DAY_NAME = "Verkiezingen 9 juni 2024 (demo)"
DAY_INTRO = (
    "Een demonstratie van een verkiezingsdag: op 9 juni 2024 kozen Belgen tegelijk het Europees "
    "Parlement en de Kamer. Hier beantwoord je de stellingen over wat beide niveaus beslissen "
    "(migratie, klimaat, handel) één keer, en per verkiezing een paar eigen stellingen als extra "
    "ronde. Geen stemadvies: er doen maar twee partijen mee. Vooruit met zijn Europese programma "
    "voor het Europees Parlement en zijn volledige programma voor de Kamer; Groen met alleen het "
    "hoofdstuk Internationaal van zijn programma voor alle verkiezingen van die dag. Zegt een "
    "tekst niets over een stelling, dan staat er 'geen standpunt': dat gaat over die tekst, niet "
    "noodzakelijk over de partij. Elk standpunt citeert het programma van zijn eigen niveau, "
    "met de regels waar het staat."
)
ELECTIONS = {
    # slug: name, parties
    "europees-parlement-2024-demo": (
        "Europees Parlement 2024 (demo)",
        ["vooruit-europa", "groen-europa"],
    ),
    "kamer-2024-demo": ("Kamer 2024 (demo)", ["vooruit", "groen"]),
}
PARTIES = {
    "vooruit-europa": ("Vooruit", "Vooruit", "#e3051b", "https://www.vooruit.org"),
    "groen-europa": ("Groen", "Groen", "#3c9a36", "https://www.groen.be"),
    **{slug: rest for slug, *rest in load_seed_demo.PARTIES if slug in ("vooruit", "groen")},
}


class Command(load_seed_demo.Command):
    help = "Load the demo ballot day of 9 June 2024, quoted from real party programmes."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(seed_dir=Path(settings.BASE_DIR) / "fixtures" / "ballot_demo")

    def handle(self, *args, **options):
        seed_dir, manifestos = options["seed_dir"], options["manifestos"]
        documents_csv = read_csv(
            seed_dir / "documents.csv",
            ["file", "party", "title", "election_name", "year", "country", "coverage"],
        )
        statements_csv = read_csv(
            seed_dir / "statements.csv",
            ["id", "theme", "title", "text", "election", "shared_with"],
        )
        stance_rows = read_stances(seed_dir)
        with transaction.atomic():
            parties = self.load_parties()
            documents = self.load_documents(documents_csv, manifestos, parties)
            day, elections = self.load_day(parties)
            statements = self.load_day_statements(elections, statements_csv)
            counts = self.load_day_stances(stance_rows, statements, parties, documents)
            for election in elections.values():
                publishing.freeze_if_changed(election, "load_ballot_demo")
        self.stdout.write(
            f"Loaded “{day.name}”: {len(elections)} elections, {len(statements)} statements "
            f"({sum(1 for s in statements.values() if s.shared_with.exists())} shared), "
            f"{counts['sourced']} sourced stances, {counts['none']} without a stance."
        )

    def load_parties(self) -> dict[str, Party]:
        parties = {}
        for slug, (name, short_name, colour, website) in PARTIES.items():
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

    def load_day(self, parties) -> tuple[BallotDay, dict[str, Election]]:
        date = datetime.date(2024, 6, 9)
        day, _ = BallotDay.objects.update_or_create(
            slug=DAY_SLUG,
            defaults={
                "name": DAY_NAME,
                "date": date,
                "intro": DAY_INTRO,
                "status": BallotDay.Status.PUBLISHED,
            },
        )
        elections = {}
        for slug, (name, party_slugs) in ELECTIONS.items():
            elections[slug], _ = Election.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "date": date,
                    "intro": DAY_INTRO,
                    "status": Election.Status.PUBLISHED,
                    "ballot_day": day,
                },
            )
            elections[slug].parties.set([parties[p] for p in party_slugs])
        return day, elections

    def load_day_statements(self, elections, rows) -> dict[int, Statement]:
        statements = {}
        for row in rows:
            number, home = int(row["id"]), elections.get(row["election"])
            shared = [s for s in row["shared_with"].split() if s]
            if home is None or any(s not in elections or s == row["election"] for s in shared):
                raise CommandError(f"statements.csv row {number}: unknown or wrong election")
            theme, _ = Theme.objects.get_or_create(name=row["theme"].strip())
            Statement.objects.filter(order=number, election__in=elections.values()).exclude(
                election=home
            ).delete()
            statements[number], _ = Statement.objects.update_or_create(
                election=home,
                order=number,
                defaults={"theme": theme, "title": row["title"], "text": row["text"]},
            )
            statements[number].shared_with.set([elections[s] for s in shared])
        Statement.objects.filter(election__in=elections.values()).exclude(
            order__in=statements
        ).delete()
        return statements

    def load_documents(
        self, rows, folder: Path, parties
    ) -> dict[tuple[str, str], ManifestoDocument]:
        """By file and party: a programme written for both levels is imported for each row."""
        documents = {}
        for row in rows:
            loaded = super().load_documents([row], folder, parties)
            documents[(row["file"], row["party"])] = loaded[row["file"]]
        return documents

    def load_day_stances(self, rows, statements, parties, documents) -> dict[str, int]:
        problems, given = [], {}
        for row in rows:
            own = {file: doc for (file, party), doc in documents.items() if party == row.party}
            problem = self.check_row(row, statements, parties, own, given)
            if problem is None and not self.runs_for(statements[row.statement_id], row.party):
                problem = f"{row.party} takes no part in an election asking {row.statement_id}"
            if problem:
                problems.append(f"{row.where}: {problem}")
            else:
                given[(row.statement_id, row.party)] = row
        if problems:
            raise CommandError(f"{len(problems)} stance problem(s):\n" + "\n".join(problems))
        counts = {"sourced": 0, "none": 0}
        for number, statement in statements.items():
            for slug, party in parties.items():
                if not self.runs_for(statement, slug):
                    continue
                row = given.get((number, slug))
                document = documents.get((row.document, slug)) if row is not None else None
                counts[save_stance(statement, party, row, document)] += 1
        return counts

    @staticmethod
    def runs_for(statement: Statement, party_slug: str) -> bool:
        """Whether the party runs in an election that asks the statement."""
        slugs = {statement.election.slug, *(e.slug for e in statement.shared_with.all())}
        return any(party_slug in ELECTIONS[s][1] for s in slugs)
