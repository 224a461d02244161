"""Fill the statistics of an election with synthetic completions (for demos and benchmarks).

    manage.py simulate_results --election SLUG --count N --seed S [--days D]

Answers are drawn around the parties' stances (see `stats.simulate`) and inserted in one
transaction: PostgreSQL COPY, elsewhere bulk_create in batches.
"""

from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError

from positions.models import Election
from stats import aggregate, simulate
from stats.management.progress import Progress
from stats.recording import ensure_layout


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return int(value)


class Command(BaseCommand):
    help = "Insert synthetic completed quizzes, drawn around the parties' profiles."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, metavar="SLUG")
        parser.add_argument("--count", required=True, type=_positive, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument("--days", type=_positive, default=30, metavar="D")

    def handle(self, *args, **options):
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            raise CommandError(f"--election: no election with slug {options['election']!r}")
        data = aggregate.election_data(election)
        if not data.statements or not data.parties:
            raise CommandError("--election: the election needs statements and parties")
        layout = ensure_layout(data)
        count = options["count"]
        progress = Progress(self.stderr, "Inserting", count)
        rows = simulate.completions(data, count, options["seed"], options["days"])
        timing = simulate.insert(layout.pk, rows, progress)
        progress.finish()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Inserted {timing.rows:,} completions into {election.slug}: "
                f"{timing.rows / max(timing.inserting, 1e-9):,.0f} rows/s inserting "
                f"({timing.inserting:.1f} s), {timing.generating:.1f} s generating"
            )
