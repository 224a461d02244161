import json

import pytest
from django.urls import reverse

from positions.models import Election
from tests.factories import ElectionFactory, PartyFactory, StanceFactory
from tests.pages import ranking

pytestmark = pytest.mark.django_db


def match(client, payload, slug="test"):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(
        reverse("quiz:api-match", args=[slug]), body, content_type="application/json"
    )


def ids(election):
    return list(election.statements.order_by("order").values_list("id", flat=True))


def test_elections_lists_published_only(client, election):
    ElectionFactory(status=Election.Status.DRAFT)
    assert client.get("/api/elections/").json() == {
        "elections": [{"slug": "test", "name": "Testverkiezing", "date": "2026-03-18"}]
    }


def test_election_detail_has_statements_parties_and_every_stance(client, election):
    data = client.get("/api/elections/test/").json()
    s1 = ids(election)[0]
    assert [p["slug"] for p in data["parties"]] == ["alfa", "bravo", "charlie"]
    assert data["statements"][0] == {
        "id": s1,
        "theme": "Wonen",
        "title": "Stelling 1",
        "text": election.statements.get(id=s1).text,
        "reserve": False,
    }
    assert len(data["stances"]) == 9
    assert data["stances"][0] == {
        "statement": s1,
        "party": "alfa",
        "position": 1,
        "explanation": "Omdat het nodig is.",
        "source": {
            "document": "Programma Alfa",
            "quote": "Wij willen meer sociale huurwoningen.",
            "location": "regel 1",
        },
        "origin": "editors",
    }
    charlie = [s for s in data["stances"] if s["party"] == "charlie"][0]
    assert charlie["position"] is None and charlie["source"] is None


def test_draft_election_detail_is_404(client, db):
    draft = ElectionFactory(status=Election.Status.DRAFT)
    response = client.get(f"/api/elections/{draft.slug}/")
    assert response.status_code == 404
    assert "error" in response.json()


def test_match_ranks_parties_a_tie_shares_its_place_unscored_last(client, election):
    s1, s2, s3 = ids(election)
    response = match(client, {"answers": {str(s1): 1, str(s2): 1, str(s3): -1}, "important": [s3]})
    assert response.json() == {
        "method": "agreement",
        "results": [
            {"party": "alfa", "score": 50.0, "compared": 3, "rank": 1, "coverage": 1.0},
            {"party": "bravo", "score": 50.0, "compared": 3, "rank": 1, "coverage": 1.0},
            {"party": "charlie", "score": None, "compared": 0, "rank": None, "coverage": 0.0},
        ],
        "stability": None,
    }


def test_match_filters_parties_and_accepts_a_method(client, election):
    s1, _, _ = ids(election)
    response = match(client, {"answers": {str(s1): 0}, "parties": ["bravo"], "method": "euclidean"})
    assert response.json() == {
        "method": "euclidean",
        "results": [{"party": "bravo", "score": 50.0, "compared": 1, "rank": 1, "coverage": 1.0}],
        "stability": {
            "leave_one_out": [0, 1],
            "methods": {"agreement": "bravo", "cityblock": "bravo", "euclidean": "bravo"},
        },
    }


def test_match_says_how_often_the_first_party_stays_first_and_who_is_first_per_method(
    client, election
):
    delta = PartyFactory(name="Delta", slug="delta")
    election.parties.add(delta)
    s1, s2, s3 = ids(election)
    StanceFactory(statement_id=s1, party=delta, position="agree")
    StanceFactory(statement_id=s2, party=delta, position="agree")
    StanceFactory(statement_id=s3, party=delta, position="neutral")
    response = match(client, {"answers": {str(s1): 1, str(s2): 1, str(s3): 1}})
    # Alfa agrees on all three; left out statement 3, Delta agrees on all that remain too.
    assert response.json()["stability"] == {
        "leave_one_out": [2, 3],
        "methods": {"agreement": "alfa", "cityblock": "alfa", "euclidean": "alfa"},
    }


def test_match_gives_no_rank_to_a_party_compared_on_too_few_answers(client, election):
    delta = PartyFactory(name="Delta", slug="delta")
    election.parties.add(delta)
    StanceFactory(statement=election.statements.get(order=1), party=delta, position="agree")
    s1, s2, s3 = ids(election)
    response = match(client, {"answers": {str(s1): 1, str(s2): 1, str(s3): 1}})
    assert response.json()["results"] == [
        {"party": "alfa", "score": 100.0, "compared": 3, "rank": 1, "coverage": 1.0},
        {"party": "bravo", "score": 0.0, "compared": 3, "rank": 2, "coverage": 1.0},
        {"party": "delta", "score": 100.0, "compared": 1, "rank": None, "coverage": 0.333},
        {"party": "charlie", "score": None, "compared": 0, "rank": None, "coverage": 0.0},
    ]


def test_match_reads_a_statement_id_written_with_a_leading_zero(client, election):
    s1 = ids(election)[0]
    plain = match(client, {"answers": {str(s1): 1}}).json()
    padded = match(client, {"answers": {f"0{s1}": 1}}).json()
    assert padded == plain
    assert plain["results"][0]["compared"] == 1


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ("{not json", "body: not valid JSON"),
        ("[1, 2]", "body: expected a JSON object"),
        ({}, "answers: expected an object of statement id to 1, 0, -1 or null"),
        ({"answers": {"999999": 1}}, "answers: unknown statement '999999'"),
        ({"answers": {"abc": 1}}, "answers: unknown statement 'abc'"),
        ({"answers": {"S1": 2}}, "answers.S1: expected 1, 0, -1 or null"),
        ({"answers": {"S1": True}}, "answers.S1: expected 1, 0, -1 or null"),
        ({"answers": {"S1": "1"}}, "answers.S1: expected 1, 0, -1 or null"),
        ({"answers": {}, "important": "S1"}, "important: expected a list of statement ids"),
        ({"answers": {}, "important": [999999]}, "important: unknown statement 999999"),
        ({"answers": {}, "parties": ["nope"]}, "parties: unknown party 'nope'"),
        ({"answers": {}, "parties": []}, "parties: choose at least one party"),
        ({"answers": {}, "parties": "alfa"}, "parties: expected a list of party slugs"),
        (
            {"answers": {}, "method": "magic"},
            "method: expected one of agreement, cityblock, euclidean",
        ),
        ({"answers": {}, "extra": 1}, "extra: unknown field"),
    ],
)
def test_bad_match_request_is_a_400_naming_the_field(client, election, payload, error):
    s1 = str(ids(election)[0])
    if isinstance(payload, dict):
        payload = json.loads(json.dumps(payload).replace('"S1"', f'"{s1}"'))
        error = error.replace("S1", s1)
    response = match(client, payload)
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_match_on_unknown_election_is_404(client, db):
    assert match(client, {"answers": {}}, slug="nope").status_code == 404


def test_html_result_and_api_agree(client, election):
    s1, s2, s3 = ids(election)
    for n, answer in enumerate(["agree", "disagree", "neutral"], 1):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": answer})
    client.post(reverse("quiz:overview", args=["test"]), {"important": [s2]})
    page = client.get(reverse("quiz:result", args=["test"])).content
    api = match(client, {"answers": {str(s1): 1, str(s2): -1, str(s3): 0}, "important": [s2]})
    names = {"alfa": "Alfa", "bravo": "Bravo", "charlie": "Charlie"}
    assert ranking(page) == [
        (names[r["party"]], "–" if r["score"] is None else f"{round(r['score'])}%")
        for r in api.json()["results"]
    ]
