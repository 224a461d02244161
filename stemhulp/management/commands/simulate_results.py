"""Fill the statistics of an election with synthetic completions (for demos and benchmarks).

    manage.py simulate_results --election SLUG --count N --seed S [--days D] [--force]

Answers are drawn around the parties' stances (see `stats.simulate`), scored by the quiz's own
rules, and inserted in one transaction (PostgreSQL COPY, elsewhere bulk_create in batches). Every
row is marked as simulated: releases and exports leave such rows out unless asked. A published
election is refused unless --force.

This command lives in the project package because it joins the quiz (its scoring rules) and the
statistics (their storage), which do not import each other.
"""

from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError

from positions.models import Election
from quiz import scoring
from stats import aggregate, simulate
from stats.management.progress import Progress
from stats.recording import layout_of


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return int(value)


class Command(BaseCommand):
    help = "Insert synthetic completed quizzes, drawn around the parties' profiles, marked."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, metavar="SLUG")
        parser.add_argument("--count", required=True, type=_positive, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument("--days", type=_positive, default=30, metavar="D")
        parser.add_argument("--force", action="store_true", help="Also into a published election")

    def handle(self, *args, **options):
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            raise CommandError(f"--election: no election with slug {options['election']!r}")
        if election.status == Election.Status.PUBLISHED and not options["force"]:
            raise CommandError(
                f"--election: {election.slug} is published; add --force to add simulated rows"
            )
        data = aggregate.election_data(election)
        if not data.statements or not data.parties:
            raise CommandError("--election: the election needs statements and parties")
        layout = layout_of(data)
        count = options["count"]
        progress = Progress(self.stderr, "Inserting", count)
        rules = simulate.Rules.of(scoring)
        rows = simulate.completions(data, count, options["seed"], rules, options["days"])
        timing = simulate.insert(layout.pk, rows, progress)
        progress.finish()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Inserted {timing.rows:,} simulated completions into {election.slug}: "
                f"{timing.rows / max(timing.inserting, 1e-9):,.0f} rows/s inserting "
                f"({timing.inserting:.1f} s), {timing.generating:.1f} s generating"
            )
