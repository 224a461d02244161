"""Importing a programme: the text kept verbatim, its passages rebuilt, all in one transaction."""

import hashlib
from dataclasses import dataclass

from django.db import transaction

from . import manifesto
from .manifesto import ManifestoError
from .models import ManifestoDocument, Party, Passage

__all__ = ["ImportResult", "ManifestoError", "import_manifesto"]


@dataclass(frozen=True)
class ImportResult:
    document: ManifestoDocument
    created: bool
    passages: int
    repairs: manifesto.Repairs

    def summary(self) -> str:
        r = self.repairs
        dropped = ", ".join(f"{n} {why}" for why, n in sorted(r.lines_dropped.items())) or "none"
        return (
            f"{'Imported' if self.created else 'Re-imported'} “{self.document.title}”: "
            f"{self.passages} passages; ligatures repaired {r.ligatures_repaired}, "
            f"unrepaired {r.ligatures_unrepaired}; hyphenations joined {r.hyphens_joined}, "
            f"kept {r.hyphens_kept}; lines dropped: {dropped}"
        )


def split_for_import(text: str) -> manifesto.SplitDocument:
    """The passages of a text, or a ManifestoError saying why it has none."""
    if not text.strip():
        raise ManifestoError("leeg: er staat geen tekst in")
    split = manifesto.split_passages(text)
    if not split.passages:
        raise ManifestoError("geen passages: niets erin leest als tekst")
    return split


def import_manifesto(
    party: Party,
    text: str,
    *,
    title: str,
    election_name: str = "",
    year: int | None = None,
    country: str = "",
    coverage: str = "",
    language: str = "nl",
    split: manifesto.SplitDocument | None = None,
) -> ImportResult:
    """Store a programme and its passages; the same text for the same party updates in place.

    `split` is the text already split (by `split_for_import`), to save doing it twice.
    """
    split = split or split_for_import(text)
    sha256 = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        document, created = ManifestoDocument.objects.update_or_create(
            party=party,
            sha256=sha256,
            defaults={
                "title": title,
                "election_name": election_name,
                "year": year,
                "country": country.upper(),
                "coverage": coverage,
                "language": language,
                "original_text": text,
            },
        )
        _store_passages(document, split)
    return ImportResult(document, created, len(split.passages), split.repairs)


def _store_passages(document: ManifestoDocument, split: manifesto.SplitDocument) -> None:
    document.passages.all().delete()
    Passage.objects.bulk_create(
        Passage(
            document=document,
            order=p.order,
            heading=p.heading,
            line_start=p.line_start,
            line_end=p.line_end,
            text=p.text,
        )
        for p in split.passages
    )


def index_unsplit() -> list[tuple[ManifestoDocument, int]]:
    """Split every programme that has no passages yet (one loaded from a fixture, say), so the
    evidence search finds it; (document, passages) for each."""
    done = []
    for document in ManifestoDocument.objects.filter(passages__isnull=True):
        split = manifesto.split_passages(document.original_text)
        with transaction.atomic():
            _store_passages(document, split)
        done.append((document, len(split.passages)))
    return done
