import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from positions.models import (
    BallotDay,
    Election,
    ManifestoDocument,
    Party,
    Stance,
    Statement,
    Theme,
)


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party

    name = factory.Sequence(lambda n: f"Partij {n:02d}")
    short_name = factory.Sequence(lambda n: f"P{n:02d}")
    slug = factory.Sequence(lambda n: f"partij-{n:02d}")


class ElectionFactory(DjangoModelFactory):
    class Meta:
        model = Election
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Verkiezing {n}")
    slug = factory.Sequence(lambda n: f"verkiezing-{n}")
    date = datetime.date(2026, 3, 18)
    status = Election.Status.PUBLISHED

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.add(*extracted)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["name"]

    name = "Wonen"


class StatementFactory(DjangoModelFactory):
    class Meta:
        model = Statement

    election = factory.SubFactory(ElectionFactory)
    theme = factory.SubFactory(ThemeFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Stelling {n}")
    text = factory.Sequence(lambda n: f"De gemeente moet maatregel {n} nemen.")
    explanation = "Neutrale achtergrond."


class ManifestoDocumentFactory(DjangoModelFactory):
    class Meta:
        model = ManifestoDocument

    party = factory.SubFactory(PartyFactory)
    title = factory.Sequence(lambda n: f"Programma {n}")
    original_text = "Wij willen meer sociale huurwoningen.\nDe belasting blijft gelijk.\n"
    sha256 = factory.Sequence(lambda n: f"{n:064d}")


class StanceFactory(DjangoModelFactory):
    class Meta:
        model = Stance

    statement = factory.SubFactory(StatementFactory)
    party = factory.SubFactory(PartyFactory)
    position = "agree"
    explanation = "Omdat het nodig is."


class UserFactory(DjangoModelFactory):
    """A staff account; `role="Redacteur"` (or Eindredacteur, Beheerder) puts it in that group."""

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"redacteur{n}")
    is_staff = True
    password = factory.django.Password("geheim-wachtwoord")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.add(Group.objects.get(name=extracted))


def reviewed_election(status=Election.Status.DRAFT, review_status="approved", **kwargs):
    """Two statements x two parties, every stance complete and in the given review state."""
    alfa = PartyFactory(name="Alfa", short_name="A", slug="alfa")
    bravo = PartyFactory(name="Bravo", short_name="B", slug="bravo")
    election = ElectionFactory(status=status, parties=[alfa, bravo], **kwargs)
    document = ManifestoDocumentFactory(party=alfa, title="Programma Alfa")
    for order in (1, 2):
        statement = StatementFactory(election=election, order=order, title=f"Stelling {order}")
        StanceFactory(
            statement=statement,
            party=alfa,
            position="agree",
            document=document,
            quote="Wij willen meer sociale huurwoningen.",
            location="regel 1",
            review_status=review_status,
        )
        StanceFactory(
            statement=statement,
            party=bravo,
            position="none",
            explanation="",
            review_status=review_status,
        )
    return election


class BallotDayFactory(DjangoModelFactory):
    class Meta:
        model = BallotDay

    name = factory.Sequence(lambda n: f"Verkiezingsdag {n}")
    slug = factory.Sequence(lambda n: f"dag-{n}")
    date = datetime.date(2024, 6, 9)
    status = BallotDay.Status.PUBLISHED


def ballot_day(status=Election.Status.PUBLISHED, review_status="approved", **kwargs):
    """A day with two levels. "Europa": Vooruit (its European row) and Volt; "Kamer": Vooruit
    (its federal row) and Groen. Statements 1 and 2 are shared (home "Kamer"), 3 is Europe's
    own, 4 the Chamber's own. Every stance is complete and in `review_status`:

    | statement      | Vooruit EU | Volt     | Vooruit fed | Groen    |
    | 1 shared       | agree      | disagree | disagree    | agree    |
    | 2 shared       | agree      | agree    | agree       | agree    |
    | 3 Europe only  | agree      | disagree |             |          |
    | 4 Chamber only |            |          | agree       | disagree |
    """
    kwargs = {"name": "Verkiezingen van 9 juni", "slug": "negen-juni", **kwargs}
    day = BallotDayFactory(
        status=BallotDay.Status.PUBLISHED
        if status == Election.Status.PUBLISHED
        else BallotDay.Status.DRAFT,
        **kwargs,
    )
    vooruit_eu = PartyFactory(name="Vooruit", short_name="Vooruit", slug="vooruit-europa")
    volt = PartyFactory(name="Volt", short_name="Volt", slug="volt")
    vooruit = PartyFactory(name="Vooruit", short_name="Vooruit", slug="vooruit")
    groen = PartyFactory(name="Groen", short_name="Groen", slug="groen")
    europe = ElectionFactory(
        name="Europees Parlement",
        slug="europa",
        status=status,
        ballot_day=day,
        parties=[vooruit_eu, volt],
    )
    chamber = ElectionFactory(
        name="Kamer", slug="kamer", status=status, ballot_day=day, parties=[vooruit, groen]
    )
    statements = [
        StatementFactory(election=chamber, order=1, title="Gedeeld een", text="Eerst gedeeld."),
        StatementFactory(election=chamber, order=2, title="Gedeeld twee", text="Dan gedeeld."),
        StatementFactory(election=europe, order=3, title="Alleen Europa", text="Voor Europa."),
        StatementFactory(election=chamber, order=4, title="Alleen Kamer", text="Voor de Kamer."),
    ]
    for shared in statements[:2]:
        shared.shared_with.add(europe)
    positions = {
        vooruit_eu: ["agree", "agree", "agree", None],
        volt: ["disagree", "agree", "disagree", None],
        vooruit: ["disagree", "agree", None, "agree"],
        groen: ["agree", "agree", None, "disagree"],
    }
    for party, row in positions.items():
        document = ManifestoDocumentFactory(party=party, title=f"Programma {party.slug}")
        for statement, position in zip(statements, row, strict=True):
            if position is not None:
                StanceFactory(
                    statement=statement,
                    party=party,
                    position=position,
                    explanation=f"{party.slug} over {statement.title}.",
                    document=document,
                    quote="Wij willen meer sociale huurwoningen.",
                    location="regel 1",
                    review_status=review_status,
                )
    return day


# Party round


class RoundFactory(DjangoModelFactory):
    """A round in answer mode closing in a week; pass `election` and `party` of one another."""

    class Meta:
        model = "parties.Round"

    election = factory.SubFactory(ElectionFactory, status=Election.Status.DRAFT)
    party = factory.SubFactory(PartyFactory)
    mode = "answer"
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = "parties.Contact"

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@partij.example")


class AcceptedContactFactory(ContactFactory):
    """A contact who accepted the invitation: a non-staff account named by the e-mail."""

    user = factory.SubFactory(
        UserFactory,
        username=factory.SelfAttribute("..email"),
        email=factory.SelfAttribute("..email"),
        is_staff=False,
    )
    accepted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(DjangoModelFactory):
    """A submitted answer in answer mode: agree, with an explanation and no source."""

    class Meta:
        model = "parties.Answer"

    round = factory.SubFactory(RoundFactory)
    statement = factory.SubFactory(StatementFactory)
    position = "agree"
    explanation = "Zo staat het in ons programma."
    status = "submitted"
    # Given on the page as it is now: the statement's text and the party's current stance.
    statement_text = factory.LazyAttribute(lambda a: a.statement.text)
    seen_stance = factory.LazyAttribute(
        lambda a: a.statement.stances.filter(party=a.round.party_id).first()
    )
    seen_revision = factory.LazyAttribute(lambda a: a.seen_stance and a.seen_stance.revision)


def party_round(mode="answer", review_status="approved", **kwargs):
    """The two-party election of `reviewed_election`, in draft, with a round for Alfa closing in
    a week and one contact, Anna, not yet invited."""
    election = reviewed_election(review_status=review_status)
    alfa = election.parties.get(slug="alfa")
    round = RoundFactory(election=election, party=alfa, mode=mode, **kwargs)
    ContactFactory(round=round, name="Anna", email="anna@alfa.example")
    return round
