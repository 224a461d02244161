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
