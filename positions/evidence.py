"""The evidence panel of the stance forms in the admin: the passages of the party's programmes that
best match the statement, each with a button that copies its verbatim quote, document and lines
into the form (positions/static/positions/evidence.js)."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .manifesto import quote_of_lines
from .models import ManifestoDocument, Stance
from .search import find_passages

LIMIT = 5


@dataclass(frozen=True)
class Evidence:
    document_id: int
    document: str
    heading: str
    location: str
    text: str
    quote: str


def location(line_start: int, line_end: int) -> str:
    if line_start == line_end:
        return f"regel {line_start}"
    return f"regels {line_start}-{line_end}"


def evidence_for(stance: Stance, limit: int = LIMIT) -> list[Evidence]:
    statement, party = stance.statement, stance.party
    matches = find_passages(party, f"{statement.title} {statement.text}", limit=limit)
    originals = dict(
        ManifestoDocument.objects.filter(pk__in={m.document_id for m in matches}).values_list(
            "pk", "original_text"
        )
    )
    return [
        Evidence(
            m.document_id,
            m.document,
            m.heading,
            location(m.line_start, m.line_end),
            m.text,
            quote_of_lines(originals[m.document_id], m.line_start, m.line_end),
        )
        for m in matches
    ]


class EvidenceAdminMixin:
    """Adds the read-only field `evidence` to a stance form (StanceAdmin, StanceInline)."""

    @property
    def media(self):
        return super().media + forms.Media(
            js=["positions/evidence.js"], css={"all": ["positions/evidence.css"]}
        )

    @admin.display(description=_("passages uit het programma"))
    def evidence(self, obj):
        ready = obj is not None and obj.statement_id and obj.party_id
        return render_to_string(
            "admin/positions/evidence.html",
            {"ready": bool(ready), "passages": evidence_for(obj) if ready else []},
        )
