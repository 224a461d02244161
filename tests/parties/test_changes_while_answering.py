"""What the party answers is what its page showed: a statement text or a coding the editors
change while the page is open is refused, also through "Gebruik dit citaat" and after a form
error, and an answer on an old text or coding cannot be submitted again unchanged."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from parties import answering, reviewing
from parties.answering import Submission
from parties.models import Answer, Round
from positions.models import Passage, Stance, Statement
from tests.factories import AnswerFactory, UserFactory, party_round
from tests.pages import text
from tests.parties.conftest import statements
from tests.positions.test_admin import _change_form_data
from tests.positions.test_line_endings import migrate_line_endings

pytestmark = pytest.mark.django_db

CHANGED_CODING = "De redactie heeft dit standpunt intussen gewijzigd; bekijk het opnieuw."
CHANGED_TEXT = "De redactie heeft de tekst van de stelling intussen gewijzigd"


@pytest.fixture
def editor():
    return UserFactory(username="els", role="Redacteur")


def _url(statement):
    return reverse("parties:statement", args=[statement.pk])


def _carried(page, name) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)"', page.content.decode())
    return found.group(1) if found else None


def _stance(round_):
    return Stance.objects.get(statement=statements(round_)[0], party=round_.party)


def _recode(round_, editor, position="disagree"):
    """The editor changes the party's coding in the admin."""
    browser = Client()
    browser.force_login(editor)
    url = reverse("admin:positions_stance_change", args=[_stance(round_).pk])
    data = _change_form_data(browser.get(url))
    data["position"] = position
    assert browser.post(url, data).status_code == 302


def test_an_edit_of_the_stance_outside_the_admin_form_refuses_the_old_coding(
    party_client, check_round, editor
):
    statement = statements(check_round)[0]
    page = party_client.get(_url(statement))
    stance = _stance(check_round)
    stance.position = "disagree"
    stance.record_edit(editor)
    stance.save()

    response = party_client.post(
        _url(statement), {"agrees": "ja", "coding": _carried(page, "coding")}
    )

    assert response.status_code == 400
    assert CHANGED_CODING in response.content.decode()
    assert not Answer.objects.exists()


def test_use_this_quote_keeps_the_coding_the_page_showed(party_client, check_round, editor):
    statement = statements(check_round)[0]
    page = party_client.get(_url(statement))
    _recode(check_round, editor)
    passage = Passage.objects.filter(document__party=check_round.party).first()
    part = party_client.get(
        _url(statement),
        {"gebruik": passage.pk, "agrees": "ja", "coding": _carried(page, "coding")},
        HTTP_HX_REQUEST="true",
    )
    assert _carried(part, "coding") == _carried(page, "coding")

    response = party_client.post(
        _url(statement), {"agrees": "ja", "coding": _carried(part, "coding")}
    )

    assert response.status_code == 400
    assert CHANGED_CODING in response.content.decode()
    assert text(response.content, ".coding strong") == "oneens"
    # Now that the page shows the new coding, the party may agree with it.
    again = party_client.post(
        _url(statement), {"agrees": "ja", "coding": _carried(response, "coding")}
    )
    assert again.status_code == 302


def test_a_form_error_keeps_the_coding_the_page_showed(party_client, check_round, editor):
    statement = statements(check_round)[0]
    page = party_client.get(_url(statement))
    _recode(check_round, editor)
    error = party_client.post(
        _url(statement), {"agrees": "nee", "coding": _carried(page, "coding")}
    )
    assert error.status_code == 400
    assert _carried(error, "coding") == _carried(page, "coding")

    response = party_client.post(
        _url(statement), {"agrees": "ja", "coding": _carried(error, "coding")}
    )

    assert response.status_code == 400
    assert CHANGED_CODING in response.content.decode()
    assert not Answer.objects.exists()


def test_a_statement_text_changed_while_the_page_was_open_is_refused(party_client, party_round):
    statement = statements(party_round)[0]
    page = party_client.get(_url(statement))
    Statement.objects.filter(pk=statement.pk).update(
        text="Er moeten minder sociale huurwoningen komen."
    )

    response = party_client.post(
        _url(statement), {"position": "none", "wording": _carried(page, "wording")}
    )

    assert response.status_code == 400
    assert CHANGED_TEXT in response.content.decode()
    assert text(response.content, "h1") == "Er moeten minder sociale huurwoningen komen."
    assert not Answer.objects.exists()
    again = party_client.post(
        _url(statement), {"position": "none", "wording": _carried(response, "wording")}
    )
    assert again.status_code == 302
    assert Answer.objects.get().statement_text == "Er moeten minder sociale huurwoningen komen."


@pytest.mark.parametrize("coding", ["9" * 41, "\x00"])
def test_a_broken_coding_is_named_on_the_page(party_client, check_round, coding):
    response = party_client.post(
        _url(statements(check_round)[0]), {"agrees": "ja", "coding": coding}
    )
    assert response.status_code == 400
    assert text(response.content, "#answer-form .error")


def _contested_after_a_text_change(round_, user, editor):
    for statement in round_.statements():
        answering.save_answer(round_, statement, user, Submission(position="none"))
    answering.submit_all(round_, user)
    first = statements(round_)[0]
    Statement.objects.filter(pk=first.pk).update(text="Er moeten minder huurwoningen komen.")
    answer = Answer.objects.get(statement=first)
    reviewing.contest(answer, editor, "De stelling is veranderd.")
    return answer


def test_an_answer_on_an_old_text_is_not_submitted_again_unchanged(
    party_client, party_round, contact, editor
):
    answer = _contested_after_a_text_change(party_round, contact.user, editor)

    response = party_client.post(reverse("parties:submit"))

    assert response.status_code == 400
    assert "bekijk 1. Huurwoningen opnieuw en bewaar uw antwoord" in response.content.decode()
    answer.refresh_from_db()
    assert answer.status == "contested"
    # Saved again on the new text, it goes.
    page = party_client.get(_url(answer.statement))
    party_client.post(
        _url(answer.statement), {"position": "none", "wording": _carried(page, "wording")}
    )
    assert party_client.post(reverse("parties:submit")).status_code == 302
    assert Round.objects.get().answers.filter(status="submitted").count() == 3


def test_the_review_page_does_not_promise_to_confirm_an_agreement_with_an_old_coding(
    admin_client,
):
    round_ = party_round(mode="check")
    first = round_.election.statements.get(order=1)
    answer = AnswerFactory(round=round_, statement=first, agrees=True, position="", explanation="")
    stance = Stance.objects.get(statement=first, party=round_.party)
    stance.record_edit(UserFactory(username="els", role="Redacteur"))
    stance.save()

    page = admin_client.get(reverse("admin:parties_round_review", args=[round_.pk])).content

    effect = text(page, f"#antwoord-{answer.pk} .effect")
    assert effect.startswith("Aanvaarden kan niet")
    assert "bevestigd" not in effect


def test_an_answer_on_a_text_stored_with_windows_line_endings_is_accepted_after_the_migration(
    editor,
):
    round_ = party_round()
    first = round_.election.statements.get(order=1)
    answer = AnswerFactory(round=round_, statement=first, position="none", explanation="")
    Statement.objects.filter(pk=first.pk).update(text="Meer\r\nhuurwoningen.")
    Answer.objects.filter(pk=answer.pk).update(statement_text="Meer\r\nhuurwoningen.")
    migrate_line_endings()

    reviewing.accept(answer, editor)

    assert Stance.objects.get(statement=first, party=round_.party).origin == "party"


def test_use_this_quote_without_javascript_fills_the_quote_and_saves_nothing(
    party_client, party_round
):
    statement = statements(party_round)[1]
    passage = Passage.objects.get(document__party=party_round.party, text__contains="trein")
    url = f"{_url(statement)}?woorden=trein&gebruik={passage.pk}"

    page = party_client.post(url, {"position": "agree", "explanation": "Al getypt"})

    assert page.status_code == 200
    content = page.content.decode()
    assert "Al getypt" in content and "De trein rijdt elk kwartier." in content
    assert page.context["form"].initial["position"] == "agree"
    assert not Answer.objects.exists()


def test_a_quote_filled_in_alone_without_the_pages_coding_is_not_saved_as_agreed(
    party_client, check_round, editor
):
    statement = statements(check_round)[0]
    _recode(check_round, editor)
    passage = Passage.objects.filter(document__party=check_round.party).first()
    part = party_client.get(
        _url(statement), {"gebruik": passage.pk, "agrees": "ja"}, HTTP_HX_REQUEST="true"
    )

    response = party_client.post(
        _url(statement),
        {"agrees": "ja", "coding": _carried(part, "coding"), "wording": _carried(part, "wording")},
    )

    assert response.status_code == 400
    assert not Answer.objects.exists()
