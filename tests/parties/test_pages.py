"""What a party contact sees and does on its pages under /partij/."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parties import answering
from parties.answering import Submission
from parties.models import Answer, AnswerStatus, Comment
from positions.models import Election, Passage
from tests.pages import text
from tests.parties.conftest import PROGRAMME, QUOTE_LINE, statements

pytestmark = pytest.mark.django_db


def _url(statement):
    return reverse("parties:statement", args=[statement.pk])


def _answer_all(round_):
    for statement in statements(round_):
        answering.save_answer(round_, statement, None, Submission(position="none"))


def test_the_dashboard_shows_party_election_deadline_and_progress(party_client, party_round):
    answering.save_answer(
        party_round, statements(party_round)[0], None, Submission(position="none")
    )
    text = party_client.get(reverse("parties:home")).content.decode()
    assert "Alfa: Testronde" in text
    assert "1 van 3 stellingen beantwoord" in text
    assert "nog niet beantwoord" in text
    assert "Alles indienen" in text


def test_the_dashboard_says_when_the_deadline_passed(party_client, party_round):
    party_round.deadline = timezone.now() - datetime.timedelta(hours=1)
    party_round.save()
    text = party_client.get(reverse("parties:home")).content.decode()
    assert "verlopen" in text
    assert "Alles indienen" not in text


def test_contested_answers_come_first_with_their_thread(party_client, party_round):
    _answer_all(party_round)
    answer = Answer.objects.get(statement=statements(party_round)[2])
    answer.status = AnswerStatus.CONTESTED
    answer.save()
    Comment.objects.create(answer=answer, by_party=False, text="Welke bron heeft u?")
    text = party_client.get(reverse("parties:home")).content.decode()
    assert text.index("3. Belasting") < text.index("1. Huurwoningen")
    assert "Welke bron heeft u?" in text


def test_answering_saves_and_goes_to_the_next_statement(party_client, party_round):
    first, second = statements(party_round)[:2]
    response = party_client.post(
        _url(first),
        {
            "position": "agree",
            "explanation": "Wij bouwen.",
            "document": party_round.party.documents.get().pk,
            "quote": QUOTE_LINE,
        },
    )
    assert response.status_code == 302 and response.url == _url(second)
    assert Answer.objects.get().location == "regel 5"


def test_a_made_up_quote_is_a_form_error(party_client, party_round):
    response = party_client.post(
        _url(statements(party_round)[0]),
        {
            "position": "agree",
            "explanation": "Wij bouwen.",
            "document": party_round.party.documents.get().pk,
            "quote": "Wij bouwen een miljoen huizen.",
        },
    )
    assert response.status_code == 400
    assert "staat niet letterlijk in" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_form_shows_and_enforces_the_explanation_limit(party_client, party_round):
    party_round.explanation_limit = 60
    party_round.save()
    url = _url(statements(party_round)[0])
    assert 'maxlength="60"' in party_client.get(url).content.decode()
    response = party_client.post(url, {"position": "none", "explanation": "x" * 61})
    assert response.status_code == 400
    assert "Hoogstens 60 tekens" in response.content.decode()


def test_three_point_election_offers_no_strong_positions(party_client, party_round):
    text = party_client.get(_url(statements(party_round)[0])).content.decode()
    assert 'value="agree"' in text and 'value="strongly_agree"' not in text


def test_check_mode_shows_the_editors_coding(party_client, check_round):
    text = party_client.get(_url(statements(check_round)[0])).content.decode()
    assert "Codering door de redactie" in text
    assert "Alfa wil meer sociale woningen." in text
    assert QUOTE_LINE in text and "regel 5" in text


def test_check_mode_without_a_coding_says_so(party_client, check_round):
    text = party_client.get(_url(statements(check_round)[1])).content.decode()
    assert "De redactie codeerde hier nog geen standpunt." in text


def _coding(page) -> str:
    """The coding a check-mode page carries in its form."""
    found = re.search(r'name="coding" value="([^"]*)"', page.content.decode())
    return found.group(1)


def test_check_mode_agreeing(party_client, check_round):
    url = _url(statements(check_round)[0])
    coding = _coding(party_client.get(url))
    response = party_client.post(url, {"agrees": "ja", "coding": coding})
    assert response.status_code == 302
    assert Answer.objects.get().agrees is True


def test_the_evidence_search_finds_passages_with_the_partys_words(party_client, party_round):
    url = _url(statements(party_round)[0])
    text = party_client.get(url, {"woorden": "trein kwartier"}).content.decode()
    assert "De trein rijdt elk kwartier." in text
    assert "Gebruik dit citaat" in text


def test_the_evidence_search_with_htmx_answers_the_fragment(party_client, party_round):
    url = _url(statements(party_round)[0])
    response = party_client.get(url, {"woorden": "trein"}, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="evidence"')
    assert "HX-Request" in response["Vary"]


def test_the_evidence_search_shows_more_than_five(party_client, party_round):
    lines = "\n\n".join(f"Paragraaf {n}: wij steunen de fietser." for n in range(12))
    party_client.post(
        reverse("parties:programmes"),
        {"title": "Fietsplan", "upload": SimpleUploadedFile("fiets.txt", lines.encode())},
    )
    text = party_client.get(_url(statements(party_round)[0]), {"woorden": "fietser"})
    assert text.content.decode().count("Gebruik dit citaat") > 5


def test_using_a_passage_fills_quote_and_programme(party_client, party_round):
    passage = Passage.objects.get(text__contains="trein")
    response = party_client.get(
        _url(statements(party_round)[1]), {"woorden": "trein", "gebruik": passage.pk}
    )
    form = response.context["form"]
    assert form.initial["quote"] == (
        "Het openbaar vervoer wordt gratis voor jongeren.\nDe trein rijdt elk kwartier."
    )
    assert form.initial["document"] == passage.document_id


def test_using_a_passage_with_htmx_keeps_what_was_typed(party_client, party_round):
    passage = Passage.objects.get(text__contains="trein")
    response = party_client.get(
        _url(statements(party_round)[1]),
        {"gebruik": passage.pk, "explanation": "Al getypt", "position": "agree"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="answer-form"')
    assert "Al getypt" in text and "De trein rijdt elk kwartier." in text


def test_previous_and_next_links(party_client, party_round):
    first, second, third = statements(party_round)
    text = party_client.get(_url(second)).content.decode()
    assert f'href="{_url(first)}"' in text and f'href="{_url(third)}"' in text


def test_after_submitting_the_page_is_read_only(party_client, party_round, contact):
    _answer_all(party_round)
    answering.submit_all(party_round, contact.user)
    url = _url(statements(party_round)[0])
    text = party_client.get(url).content.decode()
    assert "kan niet meer veranderen" in text and "Bewaren" not in text
    response = party_client.post(url, {"position": "none"})
    assert response.status_code == 400
    assert Answer.objects.filter(status=AnswerStatus.SUBMITTED).count() == 3


def test_a_contested_answer_can_be_revised_after_submitting(party_client, party_round, contact):
    _answer_all(party_round)
    answering.submit_all(party_round, contact.user)
    statement = statements(party_round)[0]
    Answer.objects.filter(statement=statement).update(status=AnswerStatus.CONTESTED)
    text = party_client.get(_url(statement)).content.decode()
    assert "Bewaren" in text and "Reageren" in text
    response = party_client.post(_url(statement), {"position": "none", "explanation": "Zo."})
    assert response.status_code == 302
    assert response.url == _url(statements(party_round)[1])


def test_a_reply_joins_the_thread(party_client, party_round, contact):
    _answer_all(party_round)
    statement = statements(party_round)[0]
    Answer.objects.filter(statement=statement).update(status=AnswerStatus.CONTESTED)
    reply_url = reverse("parties:reply", args=[statement.pk])
    party_client.post(reply_url, {"text": "Zie hoofdstuk Wonen."})
    assert "Zie hoofdstuk Wonen." in party_client.get(_url(statement)).content.decode()


def test_submit_asks_to_confirm_first(party_client, party_round):
    _answer_all(party_round)
    text = party_client.get(reverse("parties:submit")).content.decode()
    assert "Ja, alles indienen" in text
    assert not Answer.objects.filter(status=AnswerStatus.SUBMITTED).exists()


def test_submit_lists_what_is_missing(party_client, party_round):
    text = party_client.get(reverse("parties:submit")).content.decode()
    assert "1. Huurwoningen" in text and "Ja, alles indienen" not in text
    response = party_client.post(reverse("parties:submit"))
    assert response.status_code == 400
    assert "Nog niet beantwoord: 1. Huurwoningen" in response.content.decode()


def test_submit_all(party_client, party_round):
    _answer_all(party_round)
    response = party_client.post(reverse("parties:submit"), follow=True)
    assert "3 antwoorden ingediend" in response.content.decode()
    party_round.refresh_from_db()
    assert party_round.submitted_at is not None


def test_uploading_a_programme(party_client, party_round):
    upload = SimpleUploadedFile("plan.txt", b"Wij planten bomen in elke straat.\n")
    response = party_client.post(
        reverse("parties:programmes"), {"title": "Groenplan", "upload": upload}, follow=True
    )
    text = response.content.decode()
    assert "“Groenplan” toegevoegd: 1 passage." in text
    assert party_round.party.documents.filter(title="Groenplan").exists()


def test_uploading_a_file_of_another_kind_is_a_form_error(party_client, party_round):
    upload = SimpleUploadedFile("plan.docx", b"PK\x03\x04")
    response = party_client.post(reverse("parties:programmes"), {"title": "Plan", "upload": upload})
    assert response.status_code == 400
    assert "Alleen .txt- of .pdf-bestanden." in response.content.decode()


def test_the_same_programme_twice_is_a_form_error(party_client, party_round):
    upload = SimpleUploadedFile("alfa.txt", PROGRAMME.encode())
    response = party_client.post(
        reverse("parties:programmes"), {"title": "Nog eens", "upload": upload}
    )
    assert "al geïmporteerd als “Programma Alfa”" in response.content.decode()


def upload(client, title="Groenplan"):
    file = SimpleUploadedFile("plan.txt", b"Wij planten bomen in elke straat.\n")
    return client.post(reverse("parties:programmes"), {"title": title, "upload": file})


def test_after_the_deadline_no_programme_can_be_added(party_client, party_round):
    party_round.deadline = timezone.now() - datetime.timedelta(hours=1)
    party_round.save()
    response = upload(party_client)
    assert response.status_code == 400
    assert text(response.content, "p.notice") == (
        "De uiterste datum is voorbij: er kunnen geen programma's meer bij."
    )
    assert not party_round.party.documents.filter(title="Groenplan").exists()


def test_on_a_published_election_no_programme_can_be_added(party_client, party_round):
    Election.objects.filter(pk=party_round.election_id).update(status=Election.Status.PUBLISHED)
    response = upload(party_client)
    assert response.status_code == 400
    assert "De stemhulp is gepubliceerd" in response.content.decode()
    assert not party_round.party.documents.filter(title="Groenplan").exists()


def test_after_submitting_a_programme_can_still_be_added_until_the_deadline(
    party_client, party_round, contact
):
    _answer_all(party_round)
    answering.submit_all(party_round, contact.user)
    assert upload(party_client).status_code == 302
    assert party_round.party.documents.filter(title="Groenplan").exists()


def test_a_title_the_party_has_already_is_a_form_error(party_client, party_round):
    response = upload(party_client, title="programma alfa")
    assert response.status_code == 400
    assert "Uw partij heeft al een programma met deze titel." in response.content.decode()
    assert party_round.party.documents.count() == 1


def test_the_programmes_history_in_the_admin_says_which_contact_added_it(
    party_client, party_round, contact, admin_client
):
    upload(party_client)
    document = party_round.party.documents.get(title="Groenplan")
    url = reverse("admin:positions_manifestodocument_history", args=[document.pk])
    row = text(admin_client.get(url).content, "#change-history tbody tr")
    assert "anna@alfa.example" in row
    assert "Toegevoegd door de partij, in de partijronde A – Testronde" in row


def test_the_dashboard_reads_a_fixed_number_of_rows(
    party_client, party_round, django_assert_max_num_queries
):
    _answer_all(party_round)
    Answer.objects.update(status=AnswerStatus.CONTESTED)
    for answer in Answer.objects.all():
        Comment.objects.create(answer=answer, by_party=False, text="Waarom?")
    # The user, its staff session, contact and round; statements, answers, comments; progress.
    with django_assert_max_num_queries(9):
        party_client.get(reverse("parties:home"))
