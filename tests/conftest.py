import pytest
from django.core.cache import cache

from positions import catalog
from quiz import pages
from tests.factories import (
    ElectionFactory,
    ManifestoDocumentFactory,
    PartyFactory,
    StanceFactory,
    StatementFactory,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty caches: the shared one and each process's own."""
    cache.clear()
    catalog.forget_local()
    pages.store.clear()
    yield
    cache.clear()
    catalog.forget_local()
    pages.store.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def election(db):
    """Published: 3 statements; Alfa agrees with all, Bravo disagrees, Charlie is silent."""
    a = PartyFactory(name="Alfa", short_name="A", slug="alfa")
    b = PartyFactory(name="Bravo", short_name="B", slug="bravo")
    c = PartyFactory(name="Charlie", short_name="C", slug="charlie")
    e = ElectionFactory(slug="test", name="Testverkiezing", parties=[a, b, c])
    document = ManifestoDocumentFactory(party=a, title="Programma Alfa")
    for n in (1, 2, 3):
        s = StatementFactory(election=e, order=n, title=f"Stelling {n}")
        StanceFactory(
            statement=s,
            party=a,
            position="agree",
            document=document,
            quote="Wij willen meer sociale huurwoningen.",
            location="regel 1",
        )
        StanceFactory(statement=s, party=b, position="disagree")
    return e


@pytest.fixture
def landscape(election):
    """The test election with both axes, so that the result page draws its landscape."""
    election.axis_x_label = "links – rechts"
    election.axis_y_label = "conservatief – progressief"
    election.save()
    for statement, axis in zip(election.statements.order_by("order"), "xy", strict=False):
        statement.axis = axis
        statement.save()
    return election
