"""The open-data and matching API: plain JSON, published elections only, nothing recorded.

No view reads a cookie, so none needs CSRF protection (`csrf_exempt`): a POST where only GET
is allowed gets its 405, a cross-site POST can change nothing."""

import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from positions import catalog

from . import answers, scoring


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
                }
            )
    return JsonResponse(
        {
            "slug": data.slug,
            "name": data.name,
            "date": data.date.isoformat(),
            "statements": [
                {"id": s.id, "theme": s.theme, "title": s.title, "text": s.text}
                for s in data.statements
            ],
            "parties": [{"slug": p.slug, "name": p.name} for p in data.parties],
            "stances": stances,
        }
    )


def parse_match_request(body: bytes, data: catalog.ElectionData):
    """Validate a match request; raise BadRequest naming the field that is wrong."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadRequest("body: not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadRequest("body: expected a JSON object")
    unknown = set(payload) - {"answers", "important", "parties", "method"}
    if unknown:
        raise BadRequest(f"{sorted(unknown)[0]}: unknown field")

    raw_answers = payload.get("answers")
    if not isinstance(raw_answers, dict):
        raise BadRequest("answers: expected an object of statement id to 1, 0, -1 or null")
    ids = data.statement_ids
    values = {}
    for key, value in raw_answers.items():
        if not answers.is_id(key) or int(key) not in ids:
            raise BadRequest(f"answers: unknown statement {key!r}")
        if value is not None and (not _is_int(value) or value not in (1, 0, -1)):
            raise BadRequest(f"answers.{key}: expected 1, 0, -1 or null")
        values[int(key)] = value

    important = payload.get("important", [])
    if not isinstance(important, list) or not all(_is_int(i) for i in important):
        raise BadRequest("important: expected a list of statement ids")
    for statement_id in important:
        if statement_id not in ids:
            raise BadRequest(f"important: unknown statement {statement_id}")

    parties = payload.get("parties")
    if parties is None:
        parties = list(data.party_slugs)
    if not isinstance(parties, list) or not all(isinstance(p, str) for p in parties):
        raise BadRequest("parties: expected a list of party slugs")
    for slug in parties:
        if slug not in data.party_slugs:
            raise BadRequest(f"parties: unknown party {slug!r}")
    if not parties:
        raise BadRequest("parties: choose at least one party")

    method = payload.get("method", data.method)
    if method not in scoring.METHODS:
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
    matches = scoring.rank(
        values, important, scoring.party_positions(data, parties), method, data.ranking_threshold
    )
    return JsonResponse(
        {
            "method": method,
            "results": [
                {
                    "party": m.party,
                    "score": None if m.score is None else round(m.score, 1),
                    "compared": m.compared,
                    "rank": m.rank,
                    "coverage": round(m.coverage, 3),
                }
                for m in matches
            ],
        }
    )
