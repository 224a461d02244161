"""The open-data and matching API: plain JSON, published elections only, nothing recorded.

No view reads a cookie, so none needs CSRF protection (`csrf_exempt`): a POST where only GET
is allowed gets its 405, a cross-site POST can change nothing."""

import functools
import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from positions import catalog
from positions.models import Scale, answers_for

from . import answers, ballot, scoring


class BadRequest(Exception):
    pass


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@csrf_exempt
@require_safe
def elections(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "elections": [
                {"slug": e["slug"], "name": e["name"], "date": e["date"].isoformat()}
                for e in catalog.published_elections()
            ]
        }
    )


@csrf_exempt
@require_safe
def election(request: HttpRequest, slug: str) -> JsonResponse:
    data = catalog.published_election(slug)
    if data is None:
        return _error(f"election: no published election '{slug}'", status=404)
    stances = []
    for s in data.statements:
        for p in data.parties:
            stance = data.stance(s.id, p.slug)
            source = None
            if stance.has_source:
                source = {
                    "document": stance.document,
                    "quote": stance.quote,
                    "location": stance.location,
                }
            stances.append(
                {
                    "statement": s.id,
                    "party": p.slug,
                    "position": scoring.POSITION_VALUES[stance.position],
                    "explanation": stance.explanation,
                    "source": source,
                    "origin": stance.origin,
                }
            )
    return JsonResponse(
        {
            "slug": data.slug,
            "name": data.name,
            "date": data.date.isoformat(),
            "scale": data.scale,
            "statements": [
                {
                    "id": s.id,
                    "theme": s.theme,
                    "title": s.title,
                    "text": s.text,
                    "reserve": s.id in data.reserve,
                }
                for s in data.statements
            ],
            "parties": [{"slug": p.slug, "name": p.name} for p in data.parties],
            "stances": stances,
        }
    )


# The answer values of the match API per scale, highest first: those `scoring.ANSWER_VALUES`
# gives the scale's answers, skipping (null) aside.
ANSWER_VALUES = {
    scale: tuple(
        sorted({scoring.ANSWER_VALUES[a] for a in answers_for(scale)} - {None}, reverse=True)
    )
    for scale in Scale.values
}


@functools.lru_cache(maxsize=64)
def _statement_keys(ids: frozenset[int]) -> dict[str, int]:
    """The statement ids as the JSON keys they arrive as ("12": 12)."""
    return {str(i): i for i in ids}


def parse_match_request(body: bytes, data: catalog.ElectionData):
    """Validate a match request; raise BadRequest naming the field that is wrong."""
    return parse_match(body, data.statement_ids, data.party_slugs, data.method, data.scale)


def parse_match(body: bytes, ids, party_slugs, default_method: str | None, scale: int = 3):
    """`parse_match_request` for any set of statement ids and parties; with no default method,
    a request without one gets None. `scale` 5 also takes 2 and -2 as answers."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadRequest("body: not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadRequest("body: expected a JSON object")
    unknown = set(payload) - {"answers", "important", "parties", "method"}
    if unknown:
        raise BadRequest(f"{sorted(unknown)[0]}: unknown field")

    allowed = ANSWER_VALUES[scale]
    expected = ", ".join(str(v) for v in allowed) + " or null"
    raw_answers = payload.get("answers")
    if not isinstance(raw_answers, dict):
        raise BadRequest(f"answers: expected an object of statement id to {expected}")
    keys = _statement_keys(ids)
    values = {}
    for key, value in raw_answers.items():
        statement_id = keys.get(key)
        if statement_id is None:
            if not answers.is_id(key) or int(key) not in ids:
                raise BadRequest(f"answers: unknown statement {key!r}")
            statement_id = int(key)
        if value is not None and (not _is_int(value) or value not in allowed):
            raise BadRequest(f"answers.{key}: expected {expected}")
        values[statement_id] = value

    important = payload.get("important", [])
    if not isinstance(important, list) or not all(_is_int(i) for i in important):
        raise BadRequest("important: expected a list of statement ids")
    for statement_id in important:
        if statement_id not in ids:
            raise BadRequest(f"important: unknown statement {statement_id}")

    parties = payload.get("parties")
    if parties is None:
        parties = list(party_slugs)
    if not isinstance(parties, list) or not all(isinstance(p, str) for p in parties):
        raise BadRequest("parties: expected a list of party slugs")
    for slug in parties:
        if slug not in party_slugs:
            raise BadRequest(f"parties: unknown party {slug!r}")
    if not parties:
        raise BadRequest("parties: choose at least one party")

    method = payload.get("method", default_method)
    if (method is not None or "method" in payload) and method not in scoring.METHODS:
        raise BadRequest(f"method: expected one of {', '.join(scoring.METHODS)}")
    return values, set(important), parties, method


@csrf_exempt
@require_POST
def match(request: HttpRequest, slug: str) -> JsonResponse:
    data = catalog.published_election(slug)
    if data is None:
        return _error(f"election: no published election '{slug}'", status=404)
    try:
        values, important, parties, method = parse_match_request(request.body, data)
    except BadRequest as exc:
        return _error(str(exc))
    return JsonResponse(
        {
            "method": method,
            "results": _results(data, values, important, parties, method),
            "stability": _stability(data, values, important, parties, method),
        }
    )


def _stability(data: catalog.ElectionData, values, important, parties, method) -> dict | None:
    """How firmly one election's first party is first, as the match endpoints give it."""
    stability = scoring.stability(
        values,
        important,
        scoring.party_positions(data, parties),
        method,
        data.ranking_threshold,
        data.scale,
    )
    return stability and {
        "leave_one_out": [stability.kept, stability.total],
        "methods": stability.methods,
    }


def _results(data: catalog.ElectionData, values, important, parties, method) -> list[dict]:
    """The ranked parties of one election as the match endpoints give them."""
    positions = scoring.party_positions(data, parties)
    matches = scoring.rank(values, important, positions, method, data.ranking_threshold, data.scale)
    return [
        {
            "party": m.party,
            "score": None if m.score is None else round(m.score, 1),
            "compared": m.compared,
            "rank": m.rank,
            "coverage": round(m.coverage, 3),
        }
        for m in matches
    ]


@csrf_exempt
@require_safe
def ballot_days(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "ballot_days": [
                {
                    "slug": d.slug,
                    "name": d.name,
                    "date": d.date.isoformat(),
                    "elections": list(d.elections),
                }
                for d in catalog.published_ballot_days()
            ]
        }
    )


@csrf_exempt
@require_safe
def ballot_day(request: HttpRequest, slug: str) -> JsonResponse:
    """The day's elections, and each statement once with the elections that ask it: a shared
    statement is listed by several; its id is the one each election's own endpoint lists."""
    day, elections = catalog.published_ballot_day_with_elections(slug)
    if not elections:
        return _error(f"ballot_day: no published ballot day '{slug}'", status=404)
    plan = ballot.plan(day, elections)
    return JsonResponse(
        {
            "slug": day.slug,
            "name": day.name,
            "date": day.date.isoformat(),
            "elections": [
                {"slug": e.slug, "name": e.name, "statements": [s.id for s in e.regular]}
                for e in elections
            ],
            "shared": [s.statement.id for s in plan.round_steps()],
            "statements": [
                {
                    "id": s.statement.id,
                    "theme": s.statement.theme,
                    "title": s.statement.title,
                    "text": s.statement.text,
                    "elections": list(s.elections),
                }
                for s in plan.steps
            ],
        }
    )


def _check_scales(values: dict, elections) -> None:
    """On a day that mixes scales, 2 and -2 only answer statements of 5-point elections."""
    for e in elections:
        for statement_id, value in values.items():
            if value in (2, -2) and e.scale != 5 and statement_id in e.statement_ids:
                raise BadRequest(f"answers.{statement_id}: expected 1, 0, -1 or null")


@csrf_exempt
@require_POST
def ballot_day_match(request: HttpRequest, slug: str) -> JsonResponse:
    """Answers keyed by statement id, as for one election; each level's `results` and
    `stability` are what that election's match gives for the answers to its own statements.
    `parties` may name parties of any level; a level none of them runs in ranks all its parties,
    as the day's result page does.
    Without `method`, each level uses its own, and the top-level `method` is theirs when they
    agree, else null."""
    day, elections = catalog.published_ballot_day_with_elections(slug)
    if not elections:
        return _error(f"ballot_day: no published ballot day '{slug}'", status=404)
    ids = frozenset().union(*(e.statement_ids for e in elections))
    slugs = tuple(dict.fromkeys(p for e in elections for p in e.party_slugs))
    try:
        scale = max(e.scale for e in elections)
        values, important, parties, method = parse_match(request.body, ids, slugs, None, scale)
        _check_scales(values, elections)
    except BadRequest as exc:
        return _error(str(exc))
    levels = []
    for e in elections:
        level_parties = [p for p in parties if p in e.party_slugs] or list(e.party_slugs)
        level_values = {k: v for k, v in values.items() if k in e.statement_ids}
        level_important = {i for i in important if i in e.statement_ids}
        level = (e, level_values, level_important, level_parties, method or e.method)
        levels.append(
            {
                "election": e.slug,
                "method": method or e.method,
                "results": _results(*level),
                "stability": _stability(*level),
            }
        )
    methods = {level["method"] for level in levels}
    return JsonResponse(
        {"method": method or min(methods) if len(methods) == 1 else method, "levels": levels}
    )
