"""The review states through the admin, as each role sees them."""

import pytest
from django.urls import reverse

from positions.models import Stance
from tests.factories import UserFactory
from tests.pages import text, texts
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


def review(client, stance, action, comment=""):
    url = reverse("admin:positions_stance_review", args=[stance.pk])
    return client.post(url, {"action": action, "comment": comment}, follow=True)


def test_a_redacteur_submits_a_complete_stance(client, stance):
    client.force_login(UserFactory(role="Redacteur"))
    review(client, stance, "submit")
    stance.refresh_from_db()
    assert stance.review_status == "submitted"


def test_a_redacteur_cannot_approve(client, stance):
    stance.review_status = "submitted"
    stance.save()
    client.force_login(UserFactory(role="Redacteur"))
    response = review(client, stance, "approve")
    assert response.status_code == 400
    assert "Alleen een eindredacteur mag standpunten goedkeuren." in response.content.decode()
    stance.refresh_from_db()
    assert stance.review_status == "submitted"


def test_an_eindredacteur_approves_what_someone_else_submitted(client, stance):
    stance.submit(UserFactory(role="Redacteur"))
    client.force_login(UserFactory(role="Eindredacteur"))
    review(client, stance, "approve")
    stance.refresh_from_db()
    assert stance.review_status == "approved"


def test_an_eindredacteur_cannot_approve_their_own_stance(client, stance):
    reviewer = UserFactory(role="Eindredacteur")
    stance.submit(reviewer)
    client.force_login(reviewer)
    response = review(client, stance, "approve")
    assert "Je kunt je eigen standpunt niet goedkeuren." in response.content.decode()
    stance.refresh_from_db()
    assert stance.review_status == "submitted"


def test_sent_back_with_a_comment_the_editor_sees_why(client, stance):
    stance.submit(UserFactory(role="Redacteur"))
    client.force_login(UserFactory(role="Eindredacteur"))
    page = review(client, stance, "send_back", "Citaat past niet bij de stelling.")
    assert texts(page.content, ".messagelist li") == ["A – 1. Stelling 1: teruggestuurd."]
    assert text(page.content, ".review-status") == "teruggestuurd"
    assert text(page.content, ".review-comment") == "Citaat past niet bij de stelling."
    stance.refresh_from_db()
    assert stance.review_status == "returned"


def test_editing_an_approved_stance_sends_it_back_to_draft(client, stance):
    Stance.objects.filter(pk=stance.pk).update(review_status="approved")
    editor = UserFactory(role="Redacteur")
    client.force_login(editor)
    url = reverse("admin:positions_stance_change", args=[stance.pk])
    data = _change_form_data(client.get(url))
    data["explanation"] = "Een nieuwe toelichting."
    assert client.post(url, data).status_code == 302
    stance.refresh_from_db()
    assert (stance.review_status, stance.edited_by) == ("draft", editor)


def actions_offered(client):
    response = client.get(reverse("admin:positions_stance_changelist"))
    return [name for name, _ in response.context["action_form"].fields["action"].choices]


def test_the_approve_action_is_offered_to_an_eindredacteur_only(client, stance):
    client.force_login(UserFactory(role="Redacteur"))
    assert "approve_stances" not in actions_offered(client)
    client.force_login(UserFactory(role="Eindredacteur"))
    assert "approve_stances" in actions_offered(client)


def test_bulk_approval_reports_the_stances_it_refused(client, stance):
    reviewer = UserFactory(role="Eindredacteur")
    stance.submit(reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:positions_stance_changelist"),
        {"action": "approve_stances", "_selected_action": [stance.pk]},
        follow=True,
    )
    assert "Je kunt je eigen standpunt niet goedkeuren." in response.content.decode()
