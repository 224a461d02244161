"""Recording a completed quiz: one anonymous row, written with one INSERT on the voter's request.

Called explicitly by `quiz.views.result`. The row has the day, the answers, which statements
mattered more and each party's score; nothing about the voter's browser, address or session.
A database error is logged and swallowed: the voter still gets their result.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Subquery
from django.utils import timezone

from positions.models import Election
from quiz import catalog
from quiz.answers import VoterAnswers
from quiz.catalog import ElectionData

from . import codec
from .models import Completion, Layout

logger = logging.getLogger(__name__)

LAYOUT_TIMEOUT = 60 * 60 * 24


def ensure_layout(data: ElectionData) -> Layout:
    """The layout row of this election version, created the first time it is needed."""
    layout, _ = Layout.objects.get_or_create(
        election=Election.objects.get(slug=data.slug),
        version=data.version,
        defaults={
            "method": data.method,
            "statements": [s.id for s in data.statements],
            "parties": list(data.party_slugs),
        },
    )
    return layout


def counts(data: ElectionData, voter: VoterAnswers) -> bool:
    """A quiz counts once every statement has an answer (skipping is an answer), and only for a
    published election: an editor's preview of a draft is not a completion."""
    return (
        voter.first_unanswered(data) is None and catalog.published_election(data.slug) is not None
    )


def pack(data: ElectionData, voter: VoterAnswers, scores: dict[str, float | None]) -> dict:
    """The stored fields of one completion, as bytes (see `stats.codec`)."""
    statement_ids = [s.id for s in data.statements]
    return {
        "answers": codec.pack_answers(statement_ids, voter.answers, voter.important),
        "scores": codec.pack_scores(data.party_slugs, scores),
        "best": codec.pack_best(data.party_slugs, scores),
    }


def record_completion(data: ElectionData, voter: VoterAnswers, results: Iterable) -> bool:
    """Store one completed quiz; return whether it was stored.

    `results` are the ranked `quiz.results.PartyResult`s the voter is shown. The layout of a new
    election version costs one extra statement, once per cache lifetime; every other completion
    is a single INSERT.
    """
    if not counts(data, voter):
        return False
    run_key = f"stats:run:{voter.run}"
    if not cache.add(run_key, True, settings.SESSION_COOKIE_AGE):
        return False  # this run was counted already: its cookie is being replayed
    key = f"stats:layout:{data.slug}:{data.version}"
    try:
        row = pack(data, voter, {r.party.slug: r.score for r in results})
        if cache.get(key) is None:
            ensure_layout(data)
            cache.set(key, True, LAYOUT_TIMEOUT)
        layout = Layout.objects.filter(election__slug=data.slug, version=data.version)
        with transaction.atomic():
            Completion.objects.create(
                layout_id=Subquery(layout.values("pk")[:1]), day=timezone.localdate(), **row
            )
    except (DatabaseError, Election.DoesNotExist, ValueError):
        logger.exception("Could not record a completion of %s", data.slug)
        cache.delete_many([key, run_key])
        return False
    return True
