from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from positions.importing import ManifestoError, import_manifesto
from positions.manifesto import read_text
from positions.models import Party


class Command(BaseCommand):
    help = (
        "Import a party programme (.txt or .pdf): keep the text verbatim and split it into "
        "passages. Importing the same file again updates the document in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--party", required=True, help="slug of the party")
        parser.add_argument("--title", required=True)
        parser.add_argument("--election-name", default="", help="the election it was written for")
        parser.add_argument("--year", type=int)
        parser.add_argument("--country", default="", help="ISO 3166 code, e.g. BE")
        parser.add_argument("--coverage", default="", help="which part of the programme it is")

    def handle(self, *args, **options):
        path: Path = options["path"]
        party = Party.objects.filter(slug=options["party"]).first()
        if party is None:
            raise CommandError(f"unknown party {options['party']!r}")
        if len(options["country"]) not in (0, 2):
            raise CommandError(f"--country must be a 2-letter code, not {options['country']!r}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read: {exc.strerror}") from None
        try:
            result = import_manifesto(
                party,
                read_text(data, path.name),
                title=options["title"],
                election_name=options["election_name"],
                year=options["year"],
                country=options["country"],
                coverage=options["coverage"],
            )
        except ManifestoError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(result.summary())
