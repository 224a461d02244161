"""Voter pages rendered once per process and then served as stored HTML.

A statement page depends on the published content, the language, the statement and the voter's
answer to it, never on who asks: everyone who gave the same answer to statement 7 sees the same
HTML. Each process renders such a page once and keeps it, keyed by the content's fingerprint
(`ElectionData.version`), so a correction can never be served from an old entry and nothing
needs clearing. What differs per request (the CSRF token; on the result page the ranking and
the share texts) is rendered as a placeholder and filled in on the way out.

The store is a plain dict per process, bounded in bytes: reading it costs no network round trip
and no unpickling, which is what keeps a statement step close to the framework's floor.
"""

import re
import secrets
from collections.abc import Callable, Hashable, Sequence
from threading import Lock

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from positions.catalog import ElectionData, PartyData

from .answers import VoterAnswers
from .results import (
    PartyResult,
    comparison_row,
    landscape_for,
    min_answers,
    stability_text,
    summary_text,
    table_row,
)

MAX_BYTES = 64 * 1024 * 1024


class HtmlStore:
    """A mapping of keys to rendered HTML, at most `max_bytes` of text; the oldest go first.

    Entries never go stale (their keys name the content), so there is nothing to invalidate;
    first in, first out is enough to bound the memory, and costs nothing on a read."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self.size = 0
        self._items: dict[Hashable, str | tuple[str, ...]] = {}
        self._lock = Lock()
        self.get = self._items.get

    def set(self, key: Hashable, html: str | tuple[str, ...]) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = html
            self.size += _length(html)
            while self.size > self.max_bytes and self._items:
                oldest = next(iter(self._items))
                self.size -= _length(self._items.pop(oldest))

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._items)


store = HtmlStore()


def _length(html: str | tuple[str, ...]) -> int:
    return len(html) if isinstance(html, str) else sum(map(len, html))


def join(
    template_name: str,
    prefix: tuple,
    keys: Sequence[tuple],
    context: Callable[[int], dict],
    language: str | None = None,
) -> SafeString:
    """Pieces of HTML one after the other, piece i depending only on `prefix + keys[i]` (and the
    language); `context(i)` is only called for a piece not stored yet."""
    prefix = (template_name, language or get_language(), *prefix)
    get = store.get
    parts = []
    for i, key in enumerate(keys):
        html = get(prefix + key)
        if html is None:
            html = render_to_string(template_name, context(i))
            store.set(prefix + key, html)
        parts.append(html)
    return mark_safe("".join(parts))


# A stored page with slots is kept as segments: text, a slot's name, text, a slot's name, ...
_MARK = "slot" + secrets.token_hex(16)
_SLOTS = re.compile(re.escape(_MARK) + r"(\w+)" + re.escape(_MARK))
CSRF_SLOT = "csrf_token"


def _placeholders(names) -> dict:
    return {name: mark_safe(f"{_MARK}{name}{_MARK}") for name in names}


def _segments(key: tuple, render_html: Callable[[], str]) -> tuple[str, ...]:
    segments = store.get(key)
    if segments is None:
        segments = tuple(_SLOTS.split(render_html()))
        store.set(key, segments)
    return segments


def _fill(segments: tuple[str, ...], slots: dict, request: HttpRequest | None = None) -> str:
    values = {name: conditional_escape(value) for name, value in slots.items()}
    if request is not None and CSRF_SLOT in segments[1::2]:
        values[CSRF_SLOT] = csrf_token(request)
    parts = list(segments)
    for i in range(1, len(parts), 2):
        parts[i] = values[parts[i]]
    return "".join(parts)


def piece(
    template_name: str,
    key: tuple,
    context: Callable[[], dict],
    language: str | None = None,
    **slots: str,
) -> SafeString:
    """One piece of HTML that depends only on `key` (and the language), with `slots`: HTML that
    varies more often than the piece, rendered into it as placeholders and put in afterwards."""
    full_key = (template_name, language or get_language(), *key)
    segments = _segments(
        full_key, lambda: render_to_string(template_name, context() | _placeholders(slots))
    )
    return mark_safe(_fill(segments, slots))


def from_htmx(request: HttpRequest) -> bool:
    """`bool(request.htmx)`, read straight from the request's environment.

    django-htmx reads `request.headers`, which Django builds from all of the request's headers
    on first use: a tenth of the cost of a stored statement page."""
    return request.META.get("HTTP_HX_REQUEST") == "true"


def render(
    request: HttpRequest,
    template_name: str,
    key: tuple,
    context: Callable[[], dict],
    status: int = 200,
    **slots: str,
) -> HttpResponse:
    """Render `template_name` like `django.shortcuts.render`, from the store when it has it.

    `key` must name everything the page depends on besides the language, whether htmx asked and
    the `slots` (HTML, or text to escape first, put into the stored page on every request);
    `context` is only called on a miss. The page may use `request.htmx` and `csrf_token`, nothing
    else of the request: the CSRF token is a slot of its own, filled in per response."""
    full_key = (template_name, get_language(), from_htmx(request), *key)

    def render_html():
        values = context() | _placeholders([*slots, CSRF_SLOT])
        return render_to_string(template_name, values, request=request)

    segments = _segments(full_key, render_html)
    response = HttpResponse(_fill(segments, slots, request), status=status)
    # Stored apart for htmx, so the page varies on HX-Request. The CSRF token is made from the
    # CSRF cookie; Django's CSRF middleware says so in Vary only when it sends the cookie, which
    # `csrf_token` leaves out when the browser has it.
    vary = ("Cookie", "HX-Request") if CSRF_SLOT in segments[1::2] else ("HX-Request",)
    patch_vary_headers(response, vary)
    return response


_CHARS = csrf.CSRF_ALLOWED_CHARS
_INDEX = {char: i for i, char in enumerate(_CHARS)}
# Random bytes to mask characters: each of the 62 characters from 4 byte values, the 8 bytes
# left over deleted, so that every character is equally likely.
_TO_CHAR = bytes(ord(_CHARS[b % len(_CHARS)]) for b in range(256))
_LEFT_OVER = bytes(range(256 - 256 % len(_CHARS), 256))


def _random_chars(count: int) -> str:
    """`count` characters drawn uniformly from the CSRF alphabet, in one call to the random
    source per 256 bytes."""
    chars = ""
    while len(chars) < count:
        chars += secrets.token_bytes(count).translate(_TO_CHAR, _LEFT_OVER).decode()
    return chars[:count]


def csrf_token(request: HttpRequest) -> str:
    """Django's `get_token`, with the random characters drawn in one call to the random source,
    and the cookie sent only when the browser does not have it yet.

    `get_token` draws its 32 mask characters one `secrets.choice` at a time, and a new secret's
    32 as many, which costs as much as the rest of a stored page. The mask only has to differ
    unpredictably per response (against BREACH on compressed pages); the result is the same
    `mask + cipher` that Django's CSRF middleware unmasks. A first visit gets a new secret and
    the cookie, as with `get_token`; later pages do not send the same cookie back (`get_token`
    does, to restart its year of validity: sending it again on every page is a tenth of a
    stored page's cost, and a cookie that expires gets replaced on the next page)."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = _random_chars(csrf.CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    elif request.COOKIES.get(settings.CSRF_COOKIE_NAME) != secret:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_chars(len(secret))
    n = len(_CHARS)
    cipher = [_CHARS[(_INDEX[a] + _INDEX[b]) % n] for a, b in zip(secret, mask, strict=True)]
    return mask + "".join(cipher)


def result_page(
    request: HttpRequest,
    data: ElectionData,
    voter: VoterAnswers,
    result: dict,
    chosen: list[PartyData],
    share_url: str,
    shared: bool,
) -> HttpResponse:
    """The result page, from pieces every voter with the same answer to a statement shares.

    Only the ranking's order, places and scores, the table's answer column and the share texts are
    particular to a voter; each is put together from stored pieces or filled into a slot."""
    language = get_language()
    slugs = tuple(p.slug for p in chosen)
    statements = voter.asked(data)
    answers = [(s.id, voter.answers.get(s.id), s.id in voter.important) for s in statements]
    ranked, unranked = result["ranked"], result["unranked"]
    stability = stability_text(data, result["stability"], shared)
    key = (
        data.version,
        shared,
        result["answered"],
        result["total"],
        len(result["results"]),
        slugs,
        len(ranked),
        bool(result["ties"]),
        bool(stability),
    )
    summary = summary_text(result, share_url)
    return render(
        request,
        "quiz/result.html",
        key,
        lambda: (
            result
            | {
                "shared": shared,
                "table_parties": chosen,
                "ranked_count": len(ranked),
                "unranked_count": len(unranked),
                "has_tie": bool(result["ties"]),
                "has_stability": bool(stability),
                "threshold_percent": round(data.ranking_threshold * 100),
                "min_answers": min_answers(data),
            }
        ),
        ranking=rank_items(data, voter, ranked, shared),
        unranked=rank_items(data, voter, unranked, shared),
        ties=result["ties"],
        stability=stability,
        table=join(
            "quiz/result.html#grid-row",
            (data.version, slugs),
            answers,
            lambda i: {"row": table_row(data, voter, statements[i], slugs)},
            language,
        ),
        landscape=_landscape(landscape_for(data, voter, chosen, shared), data.fallback, shared),
        share_url=share_url,
        summary=summary,
        summary_rows=str(summary.count("\n") + 1),
    )


def rank_items(
    data: ElectionData, voter: VoterAnswers, results: Sequence[PartyResult], shared: bool
) -> SafeString:
    """Parties of a ranking, each with its comparison and sources: the result page's, and each
    election's on a ballot day's result."""
    statements = voter.asked(data)
    answers = [(s.id, voter.answers.get(s.id), s.id in voter.important) for s in statements]
    language = get_language()
    return mark_safe(
        "".join(_rank_item(data, voter, statements, answers, r, language, shared) for r in results)
    )


def _rank_item(
    data, voter, statements, answers: list[tuple], result: PartyResult, language, shared: bool
) -> SafeString:
    """One party in the ranking, with the voter's answers beside its stances."""
    party = result.party.slug
    rows = join(
        "quiz/result.html#comparison-row",
        (data.version, party),
        answers,
        lambda i: {"row": comparison_row(data, voter, statements[i], party)},
        language,
    )
    return piece(
        "quiz/result.html#rank-item",
        (data.version, shared, result),
        lambda: {"r": result, "shared": shared},
        language,
        rows=rows,
    )


def _landscape(landscape, fallback: frozenset[str], shared: bool) -> SafeString:
    """The landscape; `fallback` names the election's texts shown in Dutch for want of a
    translation (its axis labels among them)."""
    if landscape is None:
        return mark_safe("")
    return join(
        "quiz/result.html#landscape",
        (landscape, fallback, shared),
        [()],
        lambda _: {"landscape": landscape, "fallback": fallback, "shared": shared},
    )
