from django.core.management.base import BaseCommand

from positions.importing import index_unsplit


class Command(BaseCommand):
    help = (
        "Split every programme that has no passages yet (for example one loaded from a fixture), "
        "so the evidence search of editors and parties finds it."
    )

    def handle(self, *args, **options):
        for document, passages in index_unsplit():
            self.stdout.write(f"{document.title}: {passages} passages")
