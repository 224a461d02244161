"""A party round to work in: the draft election "Testronde" (3 statements), the party Alfa with
an imported programme, and its contact logged in."""

import pytest

from positions.importing import import_manifesto
from positions.models import Election, Stance
from tests.factories import (
    AcceptedContactFactory,
    ElectionFactory,
    PartyFactory,
    RoundFactory,
    StatementFactory,
)

QUOTE_LINE = "Wij bouwen elk jaar tienduizend sociale huurwoningen."

PROGRAMME = """Verkiezingsprogramma Alfa

Wonen

Wij bouwen elk jaar tienduizend sociale huurwoningen.
Huurprijzen worden begrensd.

Mobiliteit

Het openbaar vervoer wordt gratis voor jongeren.
De trein rijdt elk kwartier.
"""


@pytest.fixture
def party_round(db):
    """Answer mode; statements 1-3 on housing, transport and taxes."""
    return make_round()


def make_round():
    alfa = PartyFactory(name="Alfa", short_name="A", slug="alfa")
    election = ElectionFactory(
        name="Testronde", slug="testronde", status=Election.Status.DRAFT, parties=[alfa]
    )
    for order, (title, text) in enumerate(
        [
            ("Huurwoningen", "Er moeten meer sociale huurwoningen komen."),
            ("Openbaar vervoer", "Het openbaar vervoer moet gratis worden."),
            ("Belasting", "De belasting op arbeid moet omlaag."),
        ],
        1,
    ):
        StatementFactory(election=election, order=order, title=title, text=text)
    import_manifesto(alfa, PROGRAMME, title="Programma Alfa")
    return RoundFactory(election=election, party=alfa, mode="answer")


@pytest.fixture
def check_round(party_round):
    """The same round in check mode, with the editors' coding of statement 1 (agree)."""
    party_round.mode = "check"
    party_round.save()
    statement = party_round.statements().first()
    document = party_round.party.documents.get()
    Stance.objects.create(
        statement=statement,
        party=party_round.party,
        position="agree",
        explanation="Alfa wil meer sociale woningen.",
        document=document,
        quote="Wij bouwen elk jaar tienduizend sociale huurwoningen.",
        location="regel 5",
    )
    return party_round


@pytest.fixture
def contact(party_round):
    return AcceptedContactFactory(round=party_round, email="anna@alfa.example")


@pytest.fixture
def party_client(client, contact):
    client.force_login(contact.user)
    return client


def statements(round_):
    return list(round_.statements())
