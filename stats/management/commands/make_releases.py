"""Release the statistics of every day that has ended (for a scheduler).

    manage.py make_releases [--election SLUG] [--include-simulated]

Counts each closed day of each published election once and stores its releases (see
`stats.releases`); days released before are left as they are. Run it daily a few minutes after
midnight (cron, a systemd timer); running it more often, or on several nodes, is harmless.
"""

from django.core.management.base import BaseCommand, CommandError

from positions import catalog
from positions.models import Election
from stats import releases


class Command(BaseCommand):
    help = "Count and release every closed day of the published elections, once."

    def add_arguments(self, parser):
        parser.add_argument("--election", metavar="SLUG", help="Only this published election")
        parser.add_argument(
            "--include-simulated",
            action="store_true",
            help="Separate releases that include the rows of simulate_results (for demos)",
        )

    def handle(self, *args, **options):
        elections = Election.objects.published().order_by("slug")
        if options["election"]:
            elections = elections.filter(slug=options["election"])
            if not elections.exists():
                raise CommandError(
                    f"--election: no published election with slug {options['election']!r}"
                )
        for election in elections:
            data = catalog.published_election(election.slug)
            made = releases.make_releases(election, data, simulated=options["include_simulated"])
            if options["verbosity"] >= 1:
                last = f", up to {made[-1].last_day}" if made else ""
                self.stdout.write(f"{election.slug}: {len(made)} new releases{last}")
