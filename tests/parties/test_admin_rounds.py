"""Editors set up a party round in the admin: round, contacts and their invitations, the
per-party progress list, and who may do it."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import BadHeaderError
from django.urls import reverse
from django.utils import timezone

from parties import invitations
from parties.models import Contact, Round
from tests.factories import (
    AcceptedContactFactory,
    AnswerFactory,
    ContactFactory,
    ElectionFactory,
    PartyFactory,
    RoundFactory,
    UserFactory,
    party_round,
    reviewed_election,
)
from tests.pages import text, texts

pytestmark = pytest.mark.django_db

ADD = reverse("admin:parties_round_add")
LIST = reverse("admin:parties_round_changelist")


def add_form(election, party, **fields):
    deadline = timezone.localtime() + datetime.timedelta(days=10)
    return {
        "election": election.pk,
        "party": party.pk,
        "mode": "answer",
        "deadline_0": deadline.strftime("%Y-%m-%d"),
        "deadline_1": "17:00:00",
        "explanation_limit": "400",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
        "contacts-0-name": "Anna Alfa",
        "contacts-0-email": "anna@alfa.example",
        **fields,
    }


def link_in(message) -> str:
    return re.search(r"https?://\S+/partij/uitnodiging/\S+/", message.body).group(0)


def test_a_new_round_invites_its_contact_by_mail(admin_client, settings):
    settings.SITE_URL = "https://stemhulp.example"
    election = reviewed_election()
    alfa = election.parties.get(slug="alfa")
    response = admin_client.post(ADD, add_form(election, alfa), follow=True)
    assert texts(response.content, ".messagelist li")[0] == (
        "Uitnodiging verstuurd aan anna@alfa.example."
    )
    [message] = mail.outbox
    assert message.to == ["anna@alfa.example"]
    link = link_in(message)
    assert link.startswith("https://stemhulp.example/partij/uitnodiging/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    contact = invitations.contact_for(token)
    assert contact == Contact.objects.get(email="anna@alfa.example")
    assert contact.invited_by.is_superuser
    assert contact.round.explanation_limit == 400


def test_without_a_mail_server_the_editor_is_told_the_mail_is_only_in_the_log(
    admin_client, settings, capsys
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    election = reviewed_election()
    response = admin_client.post(
        ADD, add_form(election, election.parties.get(slug="alfa")), follow=True
    )
    assert (
        "Er is geen mailserver ingesteld (EMAIL_HOST): de e-mail staat alleen in het log van de "
        "server." in texts(response.content, ".messagelist li")
    )
    assert "/partij/uitnodiging/" in capsys.readouterr().out


def test_a_mail_django_refuses_is_an_error_message_not_a_server_error(admin_client, monkeypatch):
    def refuse(*args, **kwargs):
        raise BadHeaderError("Header values can't contain newlines")

    monkeypatch.setattr("parties.mail.send_mail", refuse)
    election = reviewed_election()
    response = admin_client.post(
        ADD, add_form(election, election.parties.get(slug="alfa")), follow=True
    )
    assert texts(response.content, ".messagelist li")[0].startswith(
        "De uitnodiging aan anna@alfa.example kon niet verstuurd worden (Header values"
    )
    assert Round.objects.get().contacts.get().email == "anna@alfa.example"


def test_a_party_not_in_the_election_is_a_form_error(admin_client):
    election = reviewed_election()
    stranger = PartyFactory(name="Zulu")
    response = admin_client.post(ADD, add_form(election, stranger))
    assert response.status_code == 200
    assert "Zulu doet niet mee aan" in text(response.content, ".field-party .errorlist")
    assert not Round.objects.exists()
    assert mail.outbox == []


def test_a_published_election_gets_no_round(admin_client):
    party = PartyFactory()
    election = ElectionFactory(parties=[party])
    response = admin_client.post(ADD, add_form(election, party))
    assert "gepubliceerd" in text(response.content, ".field-election .errorlist")
    assert not Round.objects.exists()


def test_a_deadline_in_the_past_is_a_form_error(admin_client):
    election = reviewed_election()
    data = add_form(election, election.parties.get(slug="alfa"), deadline_0="2020-01-01")
    response = admin_client.post(ADD, data)
    assert "toekomst" in text(response.content, ".field-deadline .errorlist")


def test_one_round_per_party_per_election(admin_client):
    round = party_round()
    response = admin_client.post(ADD, add_form(round.election, round.party))
    assert response.status_code == 200
    assert Round.objects.count() == 1


def test_the_mode_cannot_change_once_the_party_has_answered(admin_client):
    round = party_round()
    AnswerFactory(round=round, statement=round.election.statements.first(), status="open")
    url = reverse("admin:parties_round_change", args=[round.pk])
    data = add_form(round.election, round.party, mode="check")
    data.update({"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"})
    response = admin_client.post(url, data)
    assert "al geantwoord" in text(response.content, ".field-mode .errorlist")
    assert Round.objects.get().mode == "answer"


def test_a_contact_added_later_is_invited_and_the_others_are_not_mailed_again(admin_client):
    round = party_round()
    anna = round.contacts.get()
    url = reverse("admin:parties_round_change", args=[round.pk])
    data = add_form(round.election, round.party)
    data.update(
        {
            "contacts-TOTAL_FORMS": "2",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": anna.pk,
            "contacts-0-round": round.pk,
            "contacts-0-name": anna.name,
            "contacts-0-email": anna.email,
            "contacts-1-name": "Bob",
            "contacts-1-email": "bob@alfa.example",
        }
    )
    assert admin_client.post(url, data).status_code == 302
    assert [m.to for m in mail.outbox] == [["bob@alfa.example"]]


def test_a_new_address_for_a_contact_who_has_not_accepted_gets_a_new_link(admin_client):
    round = party_round()
    anna = round.contacts.get()
    old = invitations.new_token(anna, None)
    url = reverse("admin:parties_round_change", args=[round.pk])
    data = add_form(round.election, round.party)
    data.update(
        {
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": anna.pk,
            "contacts-0-round": round.pk,
            "contacts-0-email": "anna@elders.example",
        }
    )
    assert admin_client.post(url, data).status_code == 302
    assert [m.to for m in mail.outbox] == [["anna@elders.example"]]
    assert invitations.contact_for(old) is None


def test_inviting_again_gives_a_new_link_and_the_old_one_stops_working(admin_client):
    round = party_round()
    contact = round.contacts.get()
    old = invitations.new_token(contact, None)
    response = admin_client.post(
        LIST, {"action": "invite_again", "_selected_action": [round.pk]}, follow=True
    )
    assert response.status_code == 200
    [message] = mail.outbox
    new = link_in(message).rstrip("/").rsplit("/", 1)[1]
    assert invitations.contact_for(old) is None
    assert invitations.contact_for(new) == contact


def test_inviting_again_skips_a_contact_who_accepted(admin_client):
    round = party_round()
    round.contacts.update(accepted_at=timezone.now())
    response = admin_client.post(
        LIST, {"action": "invite_again", "_selected_action": [round.pk]}, follow=True
    )
    assert mail.outbox == []
    assert texts(response.content, ".messagelist li") == [
        "Geen nieuwe link: anna@alfa.example heeft de uitnodiging al aanvaard (voor een vergeten "
        "wachtwoord: vink “nieuwe link sturen” aan bij de contactpersoon)."
    ]


def contact_form(round, contact, **fields):
    data = add_form(round.election, round.party)
    data.update(
        {
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": contact.pk,
            "contacts-0-round": round.pk,
            "contacts-0-name": contact.name,
            "contacts-0-email": contact.email,
            **fields,
        }
    )
    return data


def test_a_new_link_lets_a_contact_who_accepted_set_a_new_password(admin_client, client):
    round = party_round()
    anna = AcceptedContactFactory(round=round, name="Anna", email="anna@partij.example")
    url = reverse("admin:parties_round_change", args=[round.pk])
    data = contact_form(round, anna, **{"contacts-0-new_link": "on"})
    assert admin_client.post(url, data).status_code == 302
    [message] = [m for m in mail.outbox if m.to == ["anna@partij.example"]]
    password = "een-nieuw-wachtwoord-7"
    response = client.post(link_in(message), {"new_password1": password, "new_password2": password})
    assert response.url == reverse("parties:home")
    client.post(reverse("parties:logout"))
    login = {"username": "anna@partij.example", "password": password}
    assert client.post(reverse("parties:login"), login).url == reverse("parties:home")


def test_a_new_address_for_a_contact_who_accepted_ends_the_old_account(admin_client, client):
    round = party_round()
    anna = AcceptedContactFactory(round=round, name="Anna", email="anna@partij.example")
    client.force_login(anna.user)
    url = reverse("admin:parties_round_change", args=[round.pk])
    data = contact_form(round, anna, **{"contacts-0-email": "opvolger@partij.example"})
    assert admin_client.post(url, data).status_code == 302
    assert client.get(reverse("parties:home")).url.startswith(reverse("parties:login"))
    assert [m.to for m in mail.outbox] == [["opvolger@partij.example"]]


def test_the_list_shows_each_partys_progress(admin_client):
    round = party_round()
    statements = list(round.election.statements.order_by("order"))
    AnswerFactory(round=round, statement=statements[0], status="accepted")
    AnswerFactory(round=round, statement=statements[1], status="contested")
    ContactFactory(round=round, name="Bob", accepted_at=timezone.now())
    round.contacts.filter(name="Anna").update(expires_at=timezone.now() - datetime.timedelta(1))
    bravo = round.election.parties.get(slug="bravo")
    RoundFactory(election=round.election, party=bravo, mode="check")
    response = admin_client.get(LIST, {"election__id__exact": round.election_id})
    rows = {
        party: (contacts, answered, accepted, contested)
        for party, contacts, answered, accepted, contested in zip(
            texts(response.content, "#result_list .field-party"),
            texts(response.content, "#result_list .field-contact_list"),
            texts(response.content, "#result_list .field-progress"),
            texts(response.content, "#result_list .field-accepted"),
            texts(response.content, "#result_list .field-contested"),
            strict=True,
        )
    }
    assert rows == {
        "A": ("Anna (link verlopen), Bob (aanvaard)", "2 / 2", "1", "1"),
        "B": ("–", "0 / 2", "0", "0"),
    }


def test_the_list_filters_by_election(admin_client):
    round = party_round()
    other = RoundFactory()
    response = admin_client.get(LIST, {"election__id__exact": other.election_id})
    assert texts(response.content, "#result_list .field-party") == [str(other.party)]
    assert str(round.party) not in texts(response.content, "#result_list .field-party")


def test_the_list_reads_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    for _ in range(3):
        party_round_without_conflict()
    with django_assert_max_num_queries(12):
        assert admin_client.get(LIST).status_code == 200


def party_round_without_conflict():
    party = PartyFactory()
    election = ElectionFactory(status="draft", parties=[party])
    round = RoundFactory(election=election, party=party)
    ContactFactory(round=round)
    return round


def test_editors_roles_may_run_the_round():
    for role in ("Redacteur", "Eindredacteur"):
        codes = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert {"add_round", "change_round", "add_contact", "review_answer"} <= codes
        assert {"view_answer", "view_comment"} <= codes
        assert not codes & {"delete_round", "change_answer", "delete_answer"}
    beheerder = Group.objects.get(name="Beheerder").permissions
    assert {"delete_round", "change_answer", "delete_comment", "review_answer"} <= set(
        beheerder.values_list("codename", flat=True)
    )


def test_a_redacteur_sets_up_a_round(client):
    election = reviewed_election()
    client.force_login(UserFactory(role="Redacteur"))
    response = client.post(ADD, add_form(election, election.parties.get(slug="alfa")))
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_staff_without_a_role_cannot_open_the_rounds(client):
    client.force_login(UserFactory())
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
