"""The statistics of an election on the 5-point scale: strong answers are their own categories."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from positions import catalog
from stats import aggregate, releases
from stats.models import Release
from tests.factories import ElectionFactory, PartyFactory, StanceFactory, StatementFactory
from tests.pages import parse, table_rows

from .conftest import MARCH_18, MARCH_19, add_completions

pytestmark = pytest.mark.django_db


@pytest.fixture
def five():
    """Published, 5 points, 3 statements: Alfa strongly agrees with all, Bravo disagrees. On
    18 March 12 voters strongly agreed with all three, 11 agreed and 10 strongly disagreed."""
    alfa = PartyFactory(name="Alfa", slug="alfa")
    bravo = PartyFactory(name="Bravo", slug="bravo")
    election = ElectionFactory(slug="five", name="Vijf", parties=[alfa, bravo], scale=5)
    for n in (1, 2, 3):
        statement = StatementFactory(election=election, order=n, title=f"Stelling {n}")
        StanceFactory(statement=statement, party=alfa, position="strongly_agree")
        StanceFactory(statement=statement, party=bravo, position="disagree")
    data = catalog.published_election("five")
    add_completions(data, 12, ["strongly_agree"] * 3)
    add_completions(data, 11, ["agree"] * 3)
    add_completions(data, 10, ["strongly_disagree"] * 3)
    return election


def test_strong_answers_are_counted_as_their_own_answers_not_as_skipped(five):
    report = aggregate.report(catalog.published_election("five"))
    first = report.statements[0]
    assert (first.strongly_agree, first.agree, first.disagree, first.strongly_disagree) == (
        12,
        11,
        None,
        10,
    )
    assert first.skip is None  # nobody skipped: fewer than ten


def test_a_strong_stance_is_compared_with_the_strong_answers(five):
    report = aggregate.report(catalog.published_election("five"))
    alfa = next(c for c in report.agreement if c.statement == 1 and c.party == "alfa")
    assert alfa.share == 36.4  # 12 of the 33 who answered
    assert report.parties[0].voters == 33


def test_released_strong_answers_add_up_to_the_completions(five):
    data = catalog.published_election("five")
    releases.make_releases(five, data, today=MARCH_19)
    release = Release.objects.get(kind="to", last_day=MARCH_18, simulated=False)
    report = releases.release_report(data, releases.noisy_days(release), threshold=1)
    total = sum(n or 0 for _, n in report.days)
    for s in report.statements:
        parts = [s.strongly_agree, s.agree, s.neutral, s.disagree, s.strongly_disagree, s.skip]
        parts = [n or 0 for n in parts]  # a count of 0 is under the threshold of 1
        assert all(isinstance(n, int) and n >= 0 for n in parts)
        assert sum(parts) == total


def test_the_page_shows_the_strong_answers_of_a_5_point_election(admin_client, five):
    releases.make_releases(five, catalog.published_election("five"), today=MARCH_19)
    release = Release.objects.get(kind="to", last_day=MARCH_18, simulated=False)
    url = reverse("admin:stats_electionstatistics_statistics", args=[five.pk])
    page = admin_client.get(url, {"release": release.pk, "exact": "on"}).content.decode()
    header, first, *_ = table_rows(parse(page).select_one("#table-statements"))
    assert header == [
        "Stelling",
        "helemaal eens",
        "eens",
        "neutraal",
        "oneens",
        "helemaal oneens",
        "overgeslagen",
        "belangrijk",
    ]
    assert first == ["1. Stelling 1", "12", "11", "<10", "<10", "10", "<10", "<10"]


def test_the_page_of_a_3_point_election_has_no_strong_columns(admin_client, released, election):
    release = Release.objects.get(kind="to", last_day=MARCH_18, simulated=False)
    url = reverse("admin:stats_electionstatistics_statistics", args=[election.pk])
    page = admin_client.get(url, {"release": release.pk, "exact": "on"}).content.decode()
    assert "helemaal" not in page


def test_the_statements_export_of_a_5_point_election_has_the_strong_answers(five, tmp_path):
    out = tmp_path / "five.json"
    call_command(
        "export_stats", "--election=five", "--format=json", f"--out={out}", stdout=io.StringIO()
    )
    statements = json.loads(out.read_text())["tables"]["statements"]
    assert statements["columns"][2:] == [
        "strongly_agree",
        "agree",
        "neutral",
        "disagree",
        "strongly_disagree",
        "skip",
        "important",
    ]
    assert statements["rows"][0][2:] == [12, 11, "<10", "<10", 10, "<10", "<10"]
