"""Delete the tokens of counted quiz runs whose cookies have expired.

    manage.py purge_counted_runs

Recording a completion also deletes a batch now and then; run this daily (cron, a systemd timer)
so the table stays small after a busy day. Safe to run at any time, on any node.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from stats.recording import purge_expired_runs


class Command(BaseCommand):
    help = "Delete the replay tokens of counted quiz runs whose cookies have expired."

    def handle(self, *args, **options):
        deleted = purge_expired_runs(timezone.localdate())
        if options["verbosity"] >= 1:
            self.stdout.write(f"Deleted {deleted:,} expired run tokens.")
