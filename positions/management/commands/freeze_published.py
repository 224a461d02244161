"""Freeze a version of every published election that has none, or whose content changed.

Voters and share links read the frozen version (`positions.publishing`); an election loaded from
a fixture is published without one, so its share links would name no version.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from positions import publishing
from positions.models import Election


class Command(BaseCommand):
    help = "Freeze a version of each published election whose content has no frozen version yet."

    def handle(self, *args, **options):
        with transaction.atomic():
            elections = Election.objects.filter(status=Election.Status.PUBLISHED)
            for election in elections.select_related("published_version").order_by("slug"):
                version = publishing.freeze_if_changed(election, "freeze_published")
                if version is not None:
                    self.stdout.write(f"{election.slug}: version {version.number}")
