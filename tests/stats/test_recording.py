import datetime
from http.cookies import SimpleCookie
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from positions import catalog
from positions.models import Election
from stats import codec, recording
from stats.models import Completion, CountedRun, Layout
from stats.recording import record_completion, run_token
from tests.factories import PartyFactory, StanceFactory
from tests.pages import ranking

pytestmark = pytest.mark.django_db


def result_url(slug="test"):
    return reverse("quiz:result", args=[slug])


def finish(client, answers=("agree", "neutral", "skip"), important=(1,), slug="test"):
    for n, answer in enumerate(answers, 1):
        data = {"answer": answer}
        if n in important:
            data["important"] = "1"
        client.post(reverse("quiz:statement", args=[slug, n]), data)
    return client.get(result_url(slug))


def test_result_records_answers_weights_scores_and_day(client, election):
    response = finish(client)
    assert response.status_code == 200
    row = Completion.objects.get()
    assert row.day == datetime.date.today()
    assert codec.unpack_answers(row.answers) == [
        ("agree", True),
        ("neutral", False),
        ("skip", False),
    ]
    # Alfa agrees everywhere: (2·2 + 1) / (2·3) = 83.33; Bravo disagrees: 1 / 6; Charlie: none.
    assert codec.unpack_scores(row.scores) == [83.33, 16.67, None]
    assert list(row.best) == [0]
    assert row.layout.method == "agreement"
    assert row.layout.parties == ["alfa", "bravo", "charlie"]
    assert row.layout.statements == list(
        election.statements.order_by("order").values_list("pk", flat=True)
    )


def test_the_best_match_is_the_first_ranked_party_not_an_unranked_higher_score(client, election):
    """Delta agrees on the one statement it has a stance on: 100%, but compared on 1 of 3."""
    delta = PartyFactory(name="Delta", short_name="D", slug="delta")
    election.parties.add(delta)
    StanceFactory(statement=election.statements.get(order=1), party=delta, position="agree")
    finish(client, answers=("agree", "disagree", "disagree"), important=())
    row = Completion.objects.get()
    assert row.layout.parties == ["alfa", "bravo", "charlie", "delta"]
    assert codec.unpack_scores(row.scores)[3] == 100.0
    assert list(row.best) == [1]


def test_a_tie_for_first_place_records_both(client, election):
    finish(client, answers=("agree", "disagree", "neutral"), important=())
    assert list(Completion.objects.get().best) == [0, 1]


def test_a_row_holds_nothing_that_could_identify_the_voter(client, election):
    visitor = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Bijzondere browser 1.0"}
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"}, **visitor)
    client.get(result_url(), **visitor)
    row = Completion.objects.values().get()
    assert set(row) == {"id", "layout_id", "day", "answers", "scores", "best", "simulated"}
    stored = repr(row) + repr(Layout.objects.values().get())
    session = client.cookies["sessionid"].value
    for trace in ("203.0.113.7", "Bijzondere browser", session[:20]):
        assert trace not in stored


def test_refresh_and_back_do_not_count_twice(client, election):
    finish(client)
    assert Completion.objects.count() == 1
    client.get(result_url())
    client.get(reverse("quiz:overview", args=["test"]))
    client.get(result_url())
    assert Completion.objects.count() == 1


def test_a_head_request_for_the_result_counts_nothing(client, election):
    for n, answer in enumerate(("agree", "neutral", "skip"), 1):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": answer})
    assert client.head(result_url()).status_code == 200
    assert Completion.objects.count() == 0
    client.get(result_url())
    assert Completion.objects.count() == 1


def test_changing_an_answer_after_the_result_does_not_count_again(client, election):
    before = ranking(finish(client).content)
    assert Completion.objects.count() == 1
    client.post(
        reverse("quiz:statement", args=["test", 1]), {"answer": "disagree", "important": "1"}
    )
    after = ranking(client.get(result_url()).content)
    assert after != before
    assert Completion.objects.count() == 1


def test_restarting_the_quiz_starts_a_new_run(client, election):
    finish(client)
    client.post(reverse("quiz:restart", args=["test"]))
    finish(client, answers=("disagree", "disagree", "disagree"), important=())
    assert Completion.objects.count() == 2


def test_a_replayed_cookie_does_not_count_again_in_another_process(client, election):
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    saved = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get(result_url())
    cache.clear()  # another worker or node, or this one once its cache has evicted the run
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = saved
    response = replay.get(result_url())
    assert response.status_code == 200
    assert Completion.objects.count() == 1


def test_a_replayed_cookie_is_marked_as_counted(client, election):
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    replay = Client()
    replay.cookies = SimpleCookie(client.cookies)
    client.get(result_url())
    assert replay.session["quiz"]["test"]["r"] is False
    replay.get(result_url())
    assert replay.session["quiz"]["test"]["r"] is True


def test_a_counted_run_keeps_a_hash_of_its_token_and_the_day_its_cookie_expires(client, election):
    finish(client)
    run = client.session["quiz"]["test"]["n"]
    row = CountedRun.objects.values().get()
    assert set(row) == {"token", "expires"}
    assert row["token"] == run_token(run) != run
    assert row["expires"] == timezone.localdate() + datetime.timedelta(days=8)


def test_recording_now_and_then_deletes_expired_run_tokens(client, election, monkeypatch):
    today = timezone.localdate()
    CountedRun.objects.create(token="expired", expires=today - datetime.timedelta(days=1))
    CountedRun.objects.create(token="expires-today", expires=today)
    monkeypatch.setattr(recording, "_next_purge", 0.0)
    finish(client)
    assert not CountedRun.objects.filter(token="expired").exists()
    assert CountedRun.objects.filter(token="expires-today").exists()
    assert CountedRun.objects.count() == 2


def test_a_lost_layout_is_logged_and_stored_again_on_the_next_visit(client, election, caplog):
    finish(client)
    Layout.objects.all().delete()  # the cache still says this version's layout exists
    other = Client()
    finish(other)
    assert not Completion.objects.exists()
    assert "Could not record a completion of test" in caplog.text
    other.get(result_url())
    assert Completion.objects.count() == 1


def test_an_unfinished_quiz_is_not_recorded(client, election):
    client.post(reverse("quiz:statement", args=["test", 1]), {"answer": "agree"})
    response = client.get(result_url())
    assert response.status_code == 200
    assert "Je gaf je mening over 1 van de 3 stellingen." in response.content.decode()
    assert not Completion.objects.exists()


def test_a_shared_result_link_records_nothing(client, election):
    response = client.get(reverse("quiz:shared", args=["test"]) + "?a=aaa")
    assert ranking(response.content) == [("Alfa", "100%"), ("Bravo", "0%"), ("Charlie", "–")]
    assert not Completion.objects.exists()


def test_a_draft_election_is_not_recorded(election):
    draft = Election.objects.get(slug="test")
    draft.status = Election.Status.DRAFT
    draft.save()
    data = catalog.load(draft)
    ids = [s.id for s in data.statements]
    completed = recording.CompletedQuiz(
        "test",
        data.version,
        data.method,
        ids,
        data.party_slugs,
        dict.fromkeys(ids, "agree"),
        (),
        {},
        (),
        "0123456789abcdef",
    )
    assert record_completion(completed) is False
    assert not Completion.objects.exists()


def test_a_database_error_still_shows_the_result_and_is_logged(client, election, caplog):
    with mock.patch.object(Completion.objects, "create", side_effect=DatabaseError("disk full")):
        response = finish(client)
    assert response.status_code == 200
    # Alfa agrees everywhere: (2·2 + 1) / (2·3); Bravo disagrees: 1 / 6.
    assert ranking(response.content) == [("Alfa", "83%"), ("Bravo", "17%"), ("Charlie", "–")]
    assert not Completion.objects.exists()
    assert "Could not record a completion of test" in caplog.text


def test_after_a_failed_recording_the_next_visit_records(client, election):
    with mock.patch.object(Completion.objects, "create", side_effect=DatabaseError("disk full")):
        finish(client)
    assert not Completion.objects.exists()
    client.get(result_url())
    assert Completion.objects.count() == 1


def test_the_result_page_reads_nothing_and_inserts_two_rows_in_one_transaction(client, election):
    finish(client)  # the first completion of this version also stores its layout
    other = client.__class__()
    for n in (1, 2):
        other.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    other.post(reverse("quiz:statement", args=["test", 3]), {"answer": "disagree"})
    with CaptureQueriesContext(connection) as queries:
        other.get(result_url())
    statements = [q["sql"].split(" (")[0] for q in queries]
    assert statements[0].startswith("SAVEPOINT")  # the transaction (nested in the test's)
    assert statements[1:3] == ['INSERT INTO "stats_countedrun"', 'INSERT INTO "stats_completion"']
    assert statements[3].startswith("RELEASE SAVEPOINT")
    assert len(statements) == 4


# Opting out


def test_the_parties_page_offers_to_leave_the_statistics_unticked(client, election):
    page = client.get(reverse("quiz:parties", args=["test"])).content.decode()
    assert 'name="not_counted"' in page
    assert 'name="not_counted" checked' not in page
    assert "Tel mijn antwoorden niet mee in de statistiek" in page
    assert "we bewaren niets van jouw antwoorden" in page


def test_a_voter_who_opts_out_gets_the_result_and_is_not_counted(client, election):
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    parties = ["alfa", "bravo", "charlie"]
    response = client.post(
        reverse("quiz:parties", args=["test"]), {"parties": parties, "not_counted": "on"}
    )
    assert response.url == result_url()
    result = client.get(result_url())
    assert ranking(result.content)[0] == ("Alfa", "100%")
    assert not Completion.objects.exists()
    assert "checked" in client.get(reverse("quiz:parties", args=["test"])).content.decode()


def test_a_voter_who_leaves_it_unticked_is_counted(client, election):
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    client.post(reverse("quiz:parties", args=["test"]), {"parties": ["alfa", "bravo"]})
    client.get(result_url())
    assert Completion.objects.count() == 1


def test_the_row_key_says_nothing_of_the_order(client, election):
    for _ in range(3):
        finish(Client())
    keys = sorted(Completion.objects.values_list("pk", flat=True))
    assert len(keys) == 3
    assert keys[-1] - keys[0] > 1000  # random over 63 bits, not 1, 2, 3
