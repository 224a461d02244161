"""The review page of a round: the party's answer beside the editors' stance, differences marked,
and the buttons to accept or contest a submitted answer."""

import pytest
from django.urls import reverse

from parties.models import Answer, Comment
from positions.models import Election, ManifestoDocument, Stance
from tests.factories import AnswerFactory, UserFactory, party_round
from tests.pages import text, texts

pytestmark = pytest.mark.django_db

QUOTE = "De belasting blijft gelijk."


def review_url(round):
    return reverse("admin:parties_round_review", args=[round.pk])


def answered_round(mode="answer"):
    """Alfa's round: statement 1 answered differently from the stance (position and source),
    statement 2 still open."""
    round = party_round(mode=mode)
    document = ManifestoDocument.objects.get(title="Programma Alfa")
    first, second = round.election.statements.order_by("order")
    AnswerFactory(
        round=round,
        statement=first,
        position="disagree",
        explanation="Omdat het nodig is.",
        document=document,
        quote=QUOTE,
    )
    AnswerFactory(round=round, statement=second, status="open")
    return round


def test_the_page_shows_the_answer_beside_the_stance_with_the_differences(admin_client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    page = admin_client.get(review_url(round)).content
    section = f"#antwoord-{answer.pk}"
    assert text(page, f"{section} .differences") == "Verschilt: standpunt, citaat"
    assert texts(page, f"{section} .field-position td") == ["oneens", "eens"]
    assert texts(page, f"{section} .field-position mark") == ["oneens"]
    assert texts(page, f"{section} .field-source mark") == [QUOTE]
    assert text(page, f"{section} .answer-status strong") == "ingediend"
    assert texts(page, f"{section} .decision button") == ["Aanvaarden", "Betwisten"]


def test_an_open_answer_has_no_buttons(admin_client):
    round = answered_round()
    answer = round.answers.get(statement__order=2)
    page = admin_client.get(review_url(round)).content
    assert text(page, f"#antwoord-{answer.pk} .answer-status strong") == "in bewerking"
    assert texts(page, f"#antwoord-{answer.pk} .decision button") == []


def test_accepting_from_the_page_writes_the_stance(admin_client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    response = admin_client.post(review_url(round), {"answer": answer.pk, "action": "accept"})
    assert response.status_code == 302
    assert response.url.endswith(f"#antwoord-{answer.pk}")
    stance = Stance.objects.get(statement=answer.statement, party=round.party)
    assert (stance.position, stance.quote, stance.origin) == ("disagree", QUOTE, "party")
    assert Answer.objects.get(pk=answer.pk).status == "accepted"


def test_contesting_from_the_page_shows_the_thread(admin_client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    data = {"answer": answer.pk, "action": "contest", "comment": "Waar staat dat precies?"}
    response = admin_client.post(review_url(round), data, follow=True)
    assert Answer.objects.get(pk=answer.pk).status == "contested"
    thread = texts(response.content, f"#antwoord-{answer.pk} .thread li")
    assert len(thread) == 1 and thread[0].startswith("Redactie (admin, ")
    assert thread[0].endswith("Waar staat dat precies?")


def test_contesting_without_a_comment_is_refused_on_the_page(admin_client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    response = admin_client.post(review_url(round), {"answer": answer.pk, "action": "contest"})
    assert response.status_code == 400
    assert "Geef een opmerking mee" in text(response.content, ".decision-errors")
    assert Answer.objects.get(pk=answer.pk).status == "submitted"
    assert not Comment.objects.exists()


def test_a_refused_accept_is_shown_as_an_error(admin_client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    Election.objects.filter(pk=round.election_id).update(status="published")
    response = admin_client.post(review_url(round), {"answer": answer.pk, "action": "accept"})
    assert response.status_code == 400
    assert "gepubliceerd" in text(response.content, ".decision-errors")


def test_an_agreement_is_shown_as_such(admin_client):
    round = party_round(mode="check")
    statement = round.election.statements.get(order=1)
    answer = AnswerFactory(round=round, statement=statement, agrees=True, position="")
    page = admin_client.get(review_url(round)).content
    assert text(page, f"#antwoord-{answer.pk} .differences") == (
        "De partij is akkoord met de codering."
    )
    assert text(page, f"#antwoord-{answer.pk} .effect") == (
        "Aanvaarden markeert het standpunt als “door de partij bevestigd”."
    )


def test_an_answer_of_another_round_cannot_be_decided_here(admin_client):
    round = answered_round()
    other = party_round_for_bravo(round)
    response = admin_client.post(review_url(round), {"answer": other.pk, "action": "accept"})
    assert response.status_code == 400
    assert Answer.objects.get(pk=other.pk).status == "submitted"


def party_round_for_bravo(round):
    from tests.factories import RoundFactory

    bravo = round.election.parties.get(slug="bravo")
    other = RoundFactory(election=round.election, party=bravo)
    return AnswerFactory(
        round=other,
        statement=round.election.statements.get(order=1),
        position="none",
        explanation="",
    )


@pytest.mark.parametrize("value", ["abc", "-1", "9223372036854775808", "\x00", ""])
def test_bad_values_are_a_form_error(admin_client, value):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    url = review_url(round)
    for data in ({"answer": value, "action": "accept"}, {"answer": answer.pk, "action": value}):
        assert admin_client.post(url, data).status_code == 400
    assert Answer.objects.get(pk=answer.pk).status == "submitted"
    data = {"answer": answer.pk, "action": "contest", "comment": value}
    assert admin_client.post(url, data).status_code in (302, 400)
    for bad in ("abc", "9223372036854775808"):
        bad_url = reverse("admin:parties_round_review", args=[bad])
        assert admin_client.get(bad_url).status_code in (302, 404)


def test_a_redacteur_reviews(client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    client.force_login(UserFactory(role="Redacteur"))
    assert client.get(review_url(round)).status_code == 200
    response = client.post(review_url(round), {"answer": answer.pk, "action": "accept"})
    assert response.status_code == 302


def test_staff_without_the_permission_cannot_decide(client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    user = UserFactory()
    client.force_login(user)
    assert client.get(review_url(round)).status_code == 403
    response = client.post(review_url(round), {"answer": answer.pk, "action": "accept"})
    assert response.status_code == 403
    assert Answer.objects.get(pk=answer.pk).status == "submitted"


def test_the_answer_history_is_readable(admin_client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    admin_client.post(
        review_url(round), {"answer": answer.pk, "action": "contest", "comment": "Bron?"}
    )
    page = admin_client.get(reverse("admin:parties_answer_history", args=[answer.pk])).content
    assert "Bron?" in page.decode()
    assert "betwist" in page.decode()


def test_the_page_reads_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    round = answered_round()
    with django_assert_max_num_queries(20):
        assert admin_client.get(review_url(round)).status_code == 200


def test_the_stance_history_names_the_editor_the_reason_and_the_origin(admin_client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    admin_client.post(review_url(round), {"answer": answer.pk, "action": "accept"})
    stance = Stance.objects.get(statement=answer.statement, party=round.party)
    page = admin_client.get(reverse("admin:positions_stance_history", args=[stance.pk]))
    latest = texts(page.content, "#change-history tbody tr")[0]
    assert "admin" in latest
    assert "Antwoord van de partij aanvaard" in latest
    assert "door de redactie gecodeerd uit het programma → door de partij gegeven" in latest


def test_the_page_can_show_only_the_submitted_answers(admin_client):
    round = answered_round()
    response = admin_client.get(review_url(round), {"status": "submitted"})
    assert texts(response.content, "section h2") == ["1. Stelling 1"]
    assert texts(response.content, ".status-filter strong") == ["ingediend (1)"]
    assert texts(response.content, ".status-filter a") == [
        "alle (2)",
        "in bewerking (1)",
        "aanvaard (0)",
        "betwist (0)",
    ]


def test_an_unknown_status_shows_every_statement(admin_client):
    round = answered_round()
    response = admin_client.get(review_url(round), {"status": "\x00abc"})
    assert response.status_code == 200
    assert texts(response.content, "section h2") == ["1. Stelling 1", "2. Stelling 2"]


def test_a_decision_keeps_the_filter(admin_client):
    round = answered_round()
    answer = round.answers.get(statement__order=1)
    url = review_url(round) + "?status=submitted"
    response = admin_client.post(url, {"answer": answer.pk, "action": "accept"})
    assert response.url == f"{url}#antwoord-{answer.pk}"
