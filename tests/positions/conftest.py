import pytest

from positions.models import Stance
from tests.factories import reviewed_election


@pytest.fixture
def stance(db):
    """Alfa's stance on statement 1 of a fully coded election, still in draft."""
    election = reviewed_election(review_status="draft")
    return Stance.objects.get(statement__election=election, statement__order=1, party__slug="alfa")
