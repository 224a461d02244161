import datetime

import factory
from factory.django import DjangoModelFactory

from positions.models import Election, ManifestoDocument, Party, Stance, Statement, Theme


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
