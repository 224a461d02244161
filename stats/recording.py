"""Recording a completed quiz: one anonymous row, written in one short transaction on the voter's
request.

The one entry point of the statistics for the quiz: `quiz.views.result` calls
`record_completion()` with a `CompletedQuiz` of plain values (and the request's `client_key()`),
so that the statistics need nothing of the quiz's own types or rules, and the quiz nothing of the
statistics but these. The row has the day, the answers, which statements mattered more and each
party's score; nothing about the voter's browser, address or session.
A database error is logged and swallowed, and a cache that fails is done without: the voter
still gets their result.

Two guards keep a script from skewing the figures:

- each run of the quiz counts once, on any number of processes and nodes: a hash of the run's
  random token goes into `CountedRun` in the same transaction as the completion, and the
  database refuses it a second time;
- each client (its address, kept only as a keyed hash in the cache) has its completions recorded
  up to `STATS_COMPLETIONS_PER_CLIENT` per clock hour; beyond that they are not recorded.
"""

import contextlib
import datetime
import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from positions import catalog
from positions.catalog import ElectionData
from positions.models import Election

from . import codec
from .models import Completion, CountedRun, Layout

logger = logging.getLogger(__name__)

LAYOUT_TIMEOUT = 60 * 60 * 24
LIMIT_WINDOW = 60 * 60
# Expired run tokens are deleted a batch at a time, at most once per interval in each process.
PURGE_BATCH = 1000
PURGE_INTERVAL = 10 * 60
_next_purge = 0.0


@dataclass(frozen=True)
class CompletedQuiz:
    """What the quiz tells the statistics of one finished run."""

    election: str  # the election's slug
    version: str  # `ElectionData.version` of the content the voter answered
    method: str
    statements: Sequence[int]  # statement ids, in quiz order
    parties: Sequence[str]  # party slugs, in the election's order
    answers: Mapping[int, str]  # statement id -> agree, neutral, disagree or skip
    important: Collection[int]  # statement ids that mattered more
    scores: Mapping[str, float | None]  # party slug -> score shown; None: not compared
    first: Collection[str]  # the parties shown in first place
    # This run's random token (only a hash of it is stored): a completion with a token counted
    # before is not counted again, so a quiz that counts several times (one per level of a
    # ballot day) passes a token per count (each level's entry has its own run).
    run: str


def ensure_layout(
    slug: str, version: str, method: str, statements: Sequence[int], parties: Sequence[str]
) -> Layout:
    """The layout row of this election version, created the first time it is needed."""
    layout, _ = Layout.objects.get_or_create(
        election=Election.objects.get(slug=slug),
        version=version,
        defaults={"method": method, "statements": list(statements), "parties": list(parties)},
    )
    return layout


def layout_of(data: ElectionData) -> Layout:
    """`ensure_layout()` for an election as the catalog gives it (commands, benchmarks)."""
    statements = [s.id for s in data.statements]
    return ensure_layout(data.slug, data.version, data.method, statements, data.party_slugs)


def counts(completed: CompletedQuiz) -> bool:
    """A quiz counts once every statement has an answer (skipping is an answer), and only for a
    published election: an editor's preview of a draft is not a completion."""
    return set(completed.statements) <= set(completed.answers) and (
        catalog.published_election(completed.election) is not None
    )


def pack(
    statements: Sequence[int],
    parties: Sequence[str],
    answers: Mapping[int, str],
    important: Collection[int],
    scores: Mapping[str, float | None],
    first: Iterable[str] | None = None,
) -> dict:
    """The stored fields of one completion, as bytes (see `stats.codec`).

    `first` are the parties the voter was shown in first place; without it, the highest scores."""
    return {
        "answers": codec.pack_answers(statements, answers, important),
        "scores": codec.pack_scores(parties, scores),
        "best": codec.pack_best(parties, scores)
        if first is None
        else codec.pack_parties(parties, first),
    }


def client_key(request: HttpRequest) -> str:
    """Who a completion is counted against for the per-client limit: a keyed hash of the
    request's address, never stored in the database.

    The address is REMOTE_ADDR. Behind a proxy (`BEHIND_PROXY`) it is the last entry of
    X-Forwarded-For, the one the proxy appended itself: the entries before it are whatever the
    client chose to send. An IPv6 address counts by its /64, which one subscriber usually holds
    whole, so a client cannot take a fresh address for every completion.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        address = forwarded or address
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        pass
    else:
        if ip.version == 6:
            ip = ip.ipv4_mapped or ipaddress.ip_network(f"{ip}/64", strict=False)
        address = str(ip)
    return salted_hmac("stats.recording.client_key", address, algorithm="sha256").hexdigest()[:32]


def within_limit(client: str) -> bool:
    """Count one more completion of this client in this clock hour; whether it fits the limit.

    A cache that fails limits nothing: the completion is recorded and a warning logged."""
    limit = settings.STATS_COMPLETIONS_PER_CLIENT
    if not limit or not client:
        return True
    key = f"stats:client:{client}:{int(time.time()) // LIMIT_WINDOW}"
    try:
        return cache.add(key, 1, LIMIT_WINDOW) or cache.incr(key) <= limit
    except ValueError:
        return True  # the key expired between add() and incr(): a new hour
    except Exception:
        logger.warning("Cache unavailable: completions are not limited per client", exc_info=True)
        return True


def run_token(run: str) -> str:
    """What `CountedRun` keeps of a run's random token: a hash, so the table holds nothing
    that is in a cookie."""
    return hashlib.blake2b(run.encode(), digest_size=16, person=b"stemhulp-run").hexdigest()


def run_expires(today: datetime.date) -> datetime.date:
    """The day after which no cookie holding a run counted today can still be valid."""
    return today + datetime.timedelta(days=math.ceil(settings.SESSION_COOKIE_AGE / 86400) + 1)


def purge_expired_runs(today: datetime.date, batch: int | None = None) -> int:
    """Delete the run tokens that expired before `today` (at most `batch` of them); return how
    many went."""
    expired = CountedRun.objects.expired(today)
    if batch is not None:
        expired = CountedRun.objects.filter(pk__in=Subquery(expired.values("pk")[:batch]))
    return expired.delete()[0]


def _purge_now_and_then(today: datetime.date) -> None:
    global _next_purge
    if time.monotonic() < _next_purge:
        return
    _next_purge = time.monotonic() + PURGE_INTERVAL
    try:
        purge_expired_runs(today, PURGE_BATCH)
    except DatabaseError:
        logger.exception("Could not purge expired run tokens")


def _ensure_layout_cached(completed: CompletedQuiz, key: str) -> None:
    known = False
    with contextlib.suppress(Exception):
        known = cache.get(key) is not None
    if not known:
        ensure_layout(
            completed.election,
            completed.version,
            completed.method,
            completed.statements,
            completed.parties,
        )
        with contextlib.suppress(Exception):
            cache.set(key, True, LAYOUT_TIMEOUT)


def record_completion(completed: CompletedQuiz, client: str = "") -> bool:
    """Store one completed quiz; return whether this run is now in the statistics (also when an
    earlier request, on any node, counted it already).

    `client` is the request's `client_key()` (empty: no per-client limit). The layout of a new
    election version costs one extra statement, once per cache lifetime; every other completion
    is two INSERTs in one transaction.
    """
    if not counts(completed) or not within_limit(client):
        return False
    today = timezone.localdate()
    token = run_token(completed.run)
    layout_key = f"stats:layout:{completed.election}:{completed.version}"
    try:
        row = pack(
            completed.statements,
            completed.parties,
            completed.answers,
            completed.important,
            completed.scores,
            completed.first,
        )
        _ensure_layout_cached(completed, layout_key)
        layout = Layout.objects.filter(election__slug=completed.election, version=completed.version)
        with transaction.atomic():
            CountedRun.objects.create(token=token, expires=run_expires(today))
            Completion.objects.create(layout_id=Subquery(layout.values("pk")[:1]), day=today, **row)
    except (DatabaseError, Election.DoesNotExist, KeyError, ValueError) as exc:
        if isinstance(exc, IntegrityError) and _counted_already(token):
            return True  # its cookie is being replayed, or two requests raced
        logger.exception("Could not record a completion of %s", completed.election)
        _forget(layout_key)
        return False
    _purge_now_and_then(today)
    return True


def _counted_already(token: str) -> bool:
    try:
        return CountedRun.objects.filter(pk=token).exists()
    except DatabaseError:
        return False


def _forget(key: str) -> None:
    with contextlib.suppress(Exception):
        cache.delete(key)
