"""Voter pages rendered once per process and then served as stored HTML.

A statement page depends on the published content, the language, the statement and the voter's
answer to it, never on who asks: everyone who gave the same answer to statement 7 sees the same
HTML. Each process renders such a page once and keeps it, keyed by the content's fingerprint
(`ElectionData.version`), so a correction can never be served from an old entry and nothing
needs clearing. The one part that differs per request, the CSRF token, is rendered as a
placeholder and filled in on the way out.

The store is a plain dict per process, bounded in bytes: reading it costs no network round trip
and no unpickling, which is what keeps a statement step close to the framework's floor.
"""

import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from contextlib import suppress
from threading import Lock

from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .answers import VoterAnswers
from .catalog import ElectionData, PartyData
from .results import PartyResult, comparison_row, landscape_for, summary_text, table_row

CSRF_PLACEHOLDER = "csrf" + secrets.token_hex(16)
MAX_BYTES = 64 * 1024 * 1024


class HtmlStore:
    """A least-recently-used mapping of keys to rendered HTML, at most `max_bytes` of text."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> str | None:
        html = self._items.get(key)
        if html is not None:
            with suppress(KeyError):  # evicted by another thread meanwhile: still valid
                self._items.move_to_end(key)
        return html

    def set(self, key: Hashable, html: str) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = html
            self.size += len(html)
            while self.size > self.max_bytes and self._items:
                _, evicted = self._items.popitem(last=False)
                self.size -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._items)


store = HtmlStore()


def join(template_name: str, items: Iterable[tuple[tuple, Callable[[], dict]]]) -> SafeString:
    """Pieces of HTML, each depending only on its key (and the language), one after the other.

    `items` are `(key, context)` pairs; `context` is only called for a piece not stored yet."""
    language = get_language()
    parts = []
    for key, context in items:
        full_key = (template_name, language, *key)
        html = store.get(full_key)
        if html is None:
            html = render_to_string(template_name, context())
            store.set(full_key, html)
        parts.append(html)
    return mark_safe("".join(parts))


def piece(template_name: str, key: tuple, context: Callable[[], dict], **slots: str) -> SafeString:
    """One piece of HTML that depends only on `key` (and the language), with `slots`: HTML that
    varies more often than the piece, rendered into it as placeholders and put in afterwards."""
    html = join(template_name, [(key, lambda: context() | _slot_placeholders(slots))])
    for name, value in slots.items():
        html = html.replace(_SLOT + name, conditional_escape(value))
    return mark_safe(html)


_SLOT = "slot" + secrets.token_hex(16)


def _slot_placeholders(slots: dict) -> dict:
    return {name: mark_safe(_SLOT + name) for name in slots}


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
    else of the request."""
    full_key = (template_name, get_language(), bool(request.htmx), *key)
    html = store.get(full_key)
    if html is None:
        values = context() | _slot_placeholders(slots) | {"csrf_token": CSRF_PLACEHOLDER}
        html = render_to_string(template_name, values, request=request)
        store.set(full_key, html)
    for name, value in slots.items():
        html = html.replace(_SLOT + name, conditional_escape(value))
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, csrf_token(request))
    return HttpResponse(html, status=status)


_CHARS = csrf.CSRF_ALLOWED_CHARS
_INDEX = {char: i for i, char in enumerate(_CHARS)}
# Random bytes to mask characters: each of the 62 characters from 4 byte values, the 8 bytes
# left over deleted, so that every character is equally likely.
_TO_CHAR = bytes(ord(_CHARS[b % len(_CHARS)]) for b in range(256))
_LEFT_OVER = bytes(range(256 - 256 % len(_CHARS), 256))


def csrf_token(request: HttpRequest) -> str:
    """Django's `get_token`, with the mask drawn in one call to the random source.

    `get_token` draws its 32 mask characters one `secrets.choice` at a time, which costs as much
    as the rest of a stored statement page. The mask only has to differ unpredictably per
    response (against BREACH on compressed pages); the result is the same `mask + cipher` that
    Django's CSRF middleware unmasks, and a first visit still goes through `get_token`, which
    makes the secret and sets the cookie."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return csrf.get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = ""
    while len(mask) < len(secret):
        mask += secrets.token_bytes(len(secret)).translate(_TO_CHAR, _LEFT_OVER).decode()
    mask = mask[: len(secret)]
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

    Only the ranking's order and scores, the table's answer column and the share texts are
    particular to a voter; each is put together from stored pieces or filled into a slot."""
    slugs = tuple(p.slug for p in chosen)
    key = (data.version, shared, result["answered"], len(result["results"]), slugs)
    return render(
        request,
        "quiz/result.html",
        key,
        lambda: result | {"shared": shared, "table_parties": chosen},
        ranking=mark_safe("".join(_rank_item(data, voter, r) for r in result["results"])),
        table=_table(data, voter, slugs),
        landscape=_landscape(landscape_for(data, voter, chosen)),
        share_url=share_url,
        summary=summary_text(result, share_url),
    )


def _rank_item(data: ElectionData, voter: VoterAnswers, result: PartyResult) -> SafeString:
    return piece(
        "quiz/result.html#rank-item",
        (data.version, result),
        lambda: {"r": result},
        rows=_comparison(data, voter, result.party.slug),
    )


def _answer_key(data: ElectionData, voter: VoterAnswers, statement) -> tuple:
    answer = voter.answers.get(statement.id)
    return (data.version, statement.id, answer, statement.id in voter.important)


def _comparison(data: ElectionData, voter: VoterAnswers, party: str) -> SafeString:
    """The voter's answers beside one party's stances."""
    return join(
        "quiz/result.html#comparison-row",
        (
            (
                (*_answer_key(data, voter, s), party),
                lambda s=s: {"row": comparison_row(data, voter, s, party)},
            )
            for s in data.statements
        ),
    )


def _table(data: ElectionData, voter: VoterAnswers, parties: tuple[str, ...]) -> SafeString:
    return join(
        "quiz/result.html#grid-row",
        (
            (
                (*_answer_key(data, voter, s), parties),
                lambda s=s: {"row": table_row(data, voter, s, parties)},
            )
            for s in data.statements
        ),
    )


def _landscape(landscape) -> SafeString:
    if landscape is None:
        return mark_safe("")
    return join("quiz/result.html#landscape", [((landscape,), lambda: {"landscape": landscape})])
