"""The evidence panel of the stance forms in the admin: the passages of the party's programmes that
best match the statement, each with a button that copies its verbatim quote, document and lines
into the form (positions/static/positions/evidence.js).

A stance form shows only a link to its panel; htmx loads the panel in place, and without
JavaScript the link opens it as a page of its own. So a statement page costs the same whatever the
number of parties, and no programme is searched until an editor asks.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Func, TextField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .manifesto import location, quote_of_lines
from .models import ManifestoDocument, Party, Passage, Stance, Statement
from .search import Match, find_passages

LIMIT = 5
# "Meer resultaten" adds this many, up to MAX_LIMIT.
MORE = 10
MAX_LIMIT = 45
TEMPLATE = "admin/positions/evidence.html"
EVIDENCE_URL = "positions_stance_evidence"


@dataclass(frozen=True)
class Evidence:
    document_id: int
    document: str
    heading: str
    location: str
    text: str
    quote: str


class OriginalLines(Func):
    """Lines `line_start` to `line_end` (1-based) of a text, cut out by PostgreSQL."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        text, start, end = parts
        return (
            f"array_to_string((string_to_array({text}, chr(10)))[{start}:{end}], chr(10))",
            params,
        )


def _quotes(matches: list[Match]) -> dict[int, str]:
    """The verbatim lines of the original of each matched passage, by passage.

    PostgreSQL cuts the lines out, so a programme's text (hundreds of kB) never leaves the
    database; SQLite runs in the process, where Python cuts them from the text.
    """
    if not matches:
        return {}
    if connection.vendor == "postgresql":
        lines = dict(
            Passage.objects.filter(pk__in=[m.passage_id for m in matches])
            .annotate(lines=OriginalLines("document__original_text", "line_start", "line_end"))
            .values_list("pk", "lines")
        )
        return {
            m.passage_id: quote_of_lines(lines[m.passage_id], 1, m.line_end - m.line_start + 1)
            for m in matches
        }
    originals = dict(
        ManifestoDocument.objects.filter(pk__in={m.document_id for m in matches}).values_list(
            "pk", "original_text"
        )
    )
    return {
        m.passage_id: quote_of_lines(originals[m.document_id], m.line_start, m.line_end)
        for m in matches
    }


def evidence_for(
    statement: Statement, party: Party, limit: int = LIMIT, words: str = ""
) -> list[Evidence]:
    """The passages of the party's programmes that best match the editor's own words, or else the
    statement, best first; none when the party does not take part in the statement's election."""
    query = words.strip() or f"{statement.title} {statement.text}"
    matches = find_passages(party, query, election=statement.election, limit=limit)
    quotes = _quotes(matches)
    return [
        Evidence(
            m.document_id,
            m.document,
            m.heading,
            location(m.line_start, m.line_end),
            m.text,
            quotes[m.passage_id],
        )
        for m in matches
    ]


class EvidenceSearchForm(forms.Form):
    """The editor's own words to search with, and how many passages to show."""

    woorden = forms.CharField(required=False, max_length=300)
    aantal = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)

    def words_and_limit(self) -> tuple[str, int]:
        if not self.is_valid():
            return "", LIMIT
        return self.cleaned_data["woorden"] or "", self.cleaned_data["aantal"] or LIMIT


class EvidenceAdminMixin:
    """Adds the read-only field `evidence` to a stance form (StanceAdmin, StanceInline): a link
    that loads the passages for the stance's statement and party."""

    @property
    def media(self):
        return super().media + forms.Media(
            js=["django_htmx/htmx-2.min.js", "positions/evidence.js"],
            css={"all": ["positions/evidence.css"]},
        )

    @admin.display(description=_("passages uit het programma"))
    def evidence(self, obj):
        ready = obj is not None and obj.statement_id and obj.party_id
        url = (
            reverse(f"{self.admin_site.name}:{EVIDENCE_URL}", args=[obj.statement_id, obj.party_id])
            if ready
            else ""
        )
        return render_to_string(f"{TEMPLATE}#link", {"url": url})


class EvidenceViewAdmin:
    """The evidence panel's own view, on the stance admin: `stance/passages/<statement>/<party>/`.

    Open to staff who may see passages (`positions.view_passage`, which every editorial role has).
    """

    def get_urls(self):
        return [
            path(
                "passages/<int:statement_id>/<int:party_id>/",
                self.admin_site.admin_view(require_GET(self.evidence_view)),
                name=EVIDENCE_URL,
            ),
            *super().get_urls(),
        ]

    def evidence_view(self, request: HttpRequest, statement_id: int, party_id: int) -> HttpResponse:
        if not request.user.has_perm("positions.view_passage"):
            raise PermissionDenied
        statement = get_object_or_404(Statement.objects.select_related("election"), pk=statement_id)
        party = get_object_or_404(Party, pk=party_id)
        search = EvidenceSearchForm(request.GET)
        words, limit = search.words_and_limit()
        passages = evidence_for(statement, party, limit=limit, words=words)
        url = reverse(f"{self.admin_site.name}:{EVIDENCE_URL}", args=[statement_id, party_id])
        context = {
            "passages": passages,
            "fill": bool(request.htmx),
            "url": url,
            "words": words,
            "more": urlencode({"woorden": words, "aantal": limit + MORE})
            if len(passages) == limit and limit < MAX_LIMIT
            else "",
        }
        if request.htmx:
            response = render(request, f"{TEMPLATE}#passages", context)
        else:
            stance = Stance.objects.filter(statement=statement, party=party)
            context |= {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Passages voor {party}: {statement.title}",
                "statement": statement,
                "stance_id": stance.values_list("pk", flat=True).first(),
            }
            response = render(request, TEMPLATE, context)
        patch_vary_headers(response, ["HX-Request"])
        return response
