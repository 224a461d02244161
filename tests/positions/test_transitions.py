"""Review transitions against the stored row: no lost edits, no double decisions."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from positions import workflow
from positions.models import Stance
from tests.factories import UserFactory


def test_a_transition_keeps_an_edit_saved_since_the_stance_was_loaded(stance):
    editor_copy = Stance.objects.get(pk=stance.pk)
    editor_copy.explanation = "Intussen herschreven."
    editor_copy.save()
    stance.submit(UserFactory(role="Redacteur"))
    stance.refresh_from_db()
    assert (stance.review_status, stance.explanation) == ("submitted", "Intussen herschreven.")


def test_a_second_reviewer_with_an_old_copy_cannot_approve_again(stance):
    stance.submit(UserFactory(role="Redacteur"))
    first, second = UserFactory(role="Eindredacteur"), UserFactory(role="Eindredacteur")
    old_copy = Stance.objects.get(pk=stance.pk)
    stance.approve(first)
    with pytest.raises(workflow.NotAllowed, match="Alleen een ingediend standpunt"):
        old_copy.approve(second)
    stance.refresh_from_db()
    assert stance.reviewed_by == first


def test_a_transition_is_recorded_in_the_history_with_its_reviewer(stance):
    stance.submit(UserFactory(role="Redacteur"))
    reviewer = UserFactory(role="Eindredacteur")
    stance.send_back(reviewer, "Bron klopt niet.")
    last = stance.history.first()
    assert (last.review_status, last.history_user, last.history_change_reason) == (
        "returned",
        reviewer,
        "Bron klopt niet.",
    )


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two connections writing at once: PostgreSQL only (SQLite has one writer)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_at_once_cannot_both_approve(stance):
    stance.submit(UserFactory(role="Redacteur"))
    first, second = UserFactory(role="Eindredacteur"), UserFactory(role="Eindredacteur")
    outcome = []

    def second_reviewer():
        try:
            Stance.objects.get(pk=stance.pk).approve(second)
            outcome.append("approved")
        except workflow.NotAllowed as exc:
            outcome.append(str(exc))
        finally:
            connections.close_all()

    with transaction.atomic():
        stance.approve(first)
        thread = threading.Thread(target=second_reviewer)
        thread.start()
        deadline = time.monotonic() + 10
        while not waiting_for_a_lock() and time.monotonic() < deadline:
            time.sleep(0.05)
    thread.join()
    stance.refresh_from_db()
    assert outcome == ["Alleen een ingediend standpunt kan worden goedgekeurd."]
    assert stance.reviewed_by == first
