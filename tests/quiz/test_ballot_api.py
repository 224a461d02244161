import pytest
from django.urls import reverse

from positions.models import Election, Statement
from tests.factories import BallotDayFactory, ElectionFactory, ballot_day

pytestmark = pytest.mark.django_db

SLUG = "negen-juni"


@pytest.fixture
def day(db):
    return ballot_day()


def ids() -> dict[str, int]:
    return dict(Statement.objects.values_list("title", "pk"))


def match(client, slug: str, payload: dict, url: str = "quiz:api-ballot-day-match"):
    return client.post(reverse(url, args=[slug]), payload, content_type="application/json")


def test_the_list_names_each_published_day_and_its_elections(client, day):
    draft = BallotDayFactory(status="draft")
    ElectionFactory(ballot_day=draft)
    assert client.get(reverse("quiz:api-ballot-days")).json() == {
        "ballot_days": [
            {
                "slug": SLUG,
                "name": "Verkiezingen van 9 juni",
                "date": "2024-06-09",
                "elections": ["europa", "kamer"],
            }
        ]
    }


def test_a_shared_statement_has_one_id_listed_by_each_of_its_elections(client, day):
    shared = ids()["Gedeeld een"]
    detail = client.get(reverse("quiz:api-ballot-day", args=[SLUG])).json()
    assert detail["shared"] == [shared, ids()["Gedeeld twee"]]
    [listed] = [s for s in detail["statements"] if s["id"] == shared]
    assert listed["elections"] == ["europa", "kamer"]
    for slug in ("europa", "kamer"):
        election = client.get(reverse("quiz:api-election", args=[slug])).json()
        assert shared in [s["id"] for s in election["statements"]]


def test_the_day_lists_each_level_s_own_statements(client, day):
    detail = client.get(reverse("quiz:api-ballot-day", args=[SLUG])).json()
    by_slug = {e["slug"]: e["statements"] for e in detail["elections"]}
    assert ids()["Alleen Europa"] in by_slug["europa"]
    assert ids()["Alleen Europa"] not in by_slug["kamer"]


def test_each_level_s_results_equal_that_election_s_own_match(client, day):
    answers = {
        str(ids()["Gedeeld een"]): 1,
        str(ids()["Gedeeld twee"]): -1,
        str(ids()["Alleen Europa"]): 0,
        str(ids()["Alleen Kamer"]): None,
    }
    important = [ids()["Gedeeld twee"], ids()["Alleen Europa"]]
    response = match(client, SLUG, {"answers": answers, "important": important})
    assert response.status_code == 200
    body = response.json()
    assert body["method"] == "agreement"
    assert [level["election"] for level in body["levels"]] == ["europa", "kamer"]
    for level in body["levels"]:
        own = client.get(reverse("quiz:api-election", args=[level["election"]])).json()
        own_ids = {s["id"] for s in own["statements"]}
        single = match(
            client,
            level["election"],
            {
                "answers": {k: v for k, v in answers.items() if int(k) in own_ids},
                "important": [i for i in important if i in own_ids],
            },
            url="quiz:api-match",
        ).json()
        assert level["results"] == single["results"]
        assert level["stability"] == single["stability"]
        assert level["results"]


def test_each_level_says_how_firmly_its_first_party_is_first(client, day):
    answers = {str(ids()["Gedeeld een"]): 1, str(ids()["Gedeeld twee"]): 1}
    levels = match(client, SLUG, {"answers": answers}).json()["levels"]
    assert [level["stability"]["leave_one_out"] for level in levels] == [[1, 2], [1, 2]]


def test_a_level_only_answer_changes_that_level_only(client, day):
    shared = {str(ids()["Gedeeld een"]): 1}
    before = match(client, SLUG, {"answers": shared}).json()["levels"]
    with_europe = {**shared, str(ids()["Alleen Europa"]): -1}
    after = match(client, SLUG, {"answers": with_europe}).json()["levels"]
    assert after[1] == before[1]
    assert after[0] != before[0]


def test_a_level_none_of_the_chosen_parties_runs_in_ranks_all_its_parties(client, day):
    """As the day's result page does (`quiz.ballot.choose_parties`): each level has a ranking."""
    answers = {str(ids()["Gedeeld een"]): 1}
    body = match(client, SLUG, {"answers": answers, "parties": ["volt"]}).json()
    everyone = match(client, SLUG, {"answers": answers}).json()
    assert [r["party"] for r in body["levels"][0]["results"]] == ["volt"]
    assert body["levels"][1] == everyone["levels"][1]
    assert body["levels"][1]["results"] != []


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"answers": {"999999": 1}}, "answers: unknown statement '999999'"),
        ({"answers": {}, "parties": ["nobody"]}, "parties: unknown party 'nobody'"),
        ({"answers": {}, "method": "guess"}, "method: expected one of"),
        ({"answers": {}, "method": None}, "method: expected one of"),
        ([], "body: expected a JSON object"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field(client, day, payload, error):
    response = match(client, SLUG, payload)
    assert response.status_code == 400
    assert response.json()["error"].startswith(error)


def test_an_unknown_day_is_a_404(client, day):
    response = match(client, "geen-dag", {"answers": {}})
    assert response.status_code == 404
    assert response.json() == {"error": "ballot_day: no published ballot day 'geen-dag'"}
    assert client.get(reverse("quiz:api-ballot-day", args=["geen-dag"])).status_code == 404


def test_a_strong_answer_is_taken_only_for_a_five_point_level(
    client, day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        europa = Election.objects.get(slug="europa")
        europa.scale = 5
        europa.save()
    own = str(ids()["Alleen Europa"])
    assert match(client, SLUG, {"answers": {own: 2}}).status_code == 200
    shared = str(ids()["Gedeeld een"])
    assert match(client, SLUG, {"answers": {shared: 2}}).json() == {
        "error": f"answers.{shared}: expected 1, 0, -1 or null"
    }
