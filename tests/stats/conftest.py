import datetime

import pytest

from positions import catalog
from quiz.answers import VoterAnswers
from quiz.results import build_result
from stats import recording, releases
from stats.models import Completion

MARCH_17 = datetime.date(2026, 3, 17)
MARCH_18 = datetime.date(2026, 3, 18)


def add_completions(data, count, answers, important=(), day=MARCH_18, parties=None):
    """`count` completions of the same voter, scored by the quiz itself. `answers` and
    `important` go by statement number."""
    voter = VoterAnswers(
        {s.id: a for s, a in zip(data.statements, answers, strict=True)},
        {data.statement(n).id for n in important},
        parties,
    )
    results = build_result(data, voter)["results"]
    row = recording.pack(
        [s.id for s in data.statements],
        data.party_slugs,
        voter.answers,
        voter.important,
        {r.party.slug: r.score for r in results},
        [r.party.slug for r in results if r.rank == 1],
    )
    layout = recording.layout_of(data)
    Completion.objects.bulk_create(Completion(layout=layout, day=day, **row) for _ in range(count))


@pytest.fixture
def known(election):
    """25 completions of the `election` fixture (Alfa agrees with all three statements, Bravo
    disagrees with all, Charlie has no stance):

    - 12 on 17 March answered agree, agree, agree: Alfa 100, Bravo 0;
    - 10 on 18 March answered disagree x3, statement 1 mattering more: Alfa 0, Bravo 100;
    - 3 on 18 March answered neutral, neutral, skip: Alfa 50, Bravo 50, a shared best match.
    """
    data = catalog.published_election("test")
    add_completions(data, 12, ["agree"] * 3, day=MARCH_17)
    add_completions(data, 10, ["disagree"] * 3, important=[1])
    add_completions(data, 3, ["neutral", "neutral", "skip"])
    return data


MARCH_19 = datetime.date(2026, 3, 19)


@pytest.fixture
def released(known, election):
    """The `known` completions released on 19 March: 17 and 18 March are closed."""
    releases.make_releases(election, known, today=MARCH_19)
    return known
