import json

from django.core.management.base import BaseCommand, CommandError

from positions.models import Election, Party
from positions.search import find_passages


class Command(BaseCommand):
    help = "Rank a party's programme passages for a query (a statement's text), best first."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--party", required=True, help="slug of the party")
        parser.add_argument("--election", help="slug of an election the party takes part in")
        parser.add_argument("--limit", type=int, default=5)
        parser.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args, **options):
        party = Party.objects.filter(slug=options["party"]).first()
        if party is None:
            raise CommandError(f"unknown party {options['party']!r}")
        election = None
        if options["election"]:
            election = Election.objects.filter(slug=options["election"]).first()
            if election is None:
                raise CommandError(f"unknown election {options['election']!r}")
            if not election.parties.filter(pk=party.pk).exists():
                raise CommandError(f"party {party.slug!r} is not in election {election.slug!r}")
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        matches = find_passages(party, options["query"], election, options["limit"])
        if options["json"]:
            self.stdout.write(json.dumps([m.as_json() for m in matches], ensure_ascii=False))
            return
        for m in matches:
            self.stdout.write(f"{m.score:.3f}  {m.document}, lines {m.line_start}-{m.line_end}")
            self.stdout.write(f"       {m.heading}\n       {m.text[:200]}\n")
