import datetime
import json
import statistics

import pytest
from django.urls import reverse
from django.utils import timezone

from stats import aggregate, privacy, releases
from stats.models import DayCount, Release

from .conftest import MARCH_18, MARCH_19, add_completions

pytestmark = pytest.mark.django_db


def api(client, **query):
    return client.get(reverse("stats:api-election-stats", args=["test"]), query)


def finish(client):
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "disagree"})
    assert client.get(reverse("quiz:result", args=["test"])).status_code == 200


def test_one_more_completion_changes_no_read_until_its_day_closes(client, election, known):
    """The differencing attack: read, let one voter finish, read again."""
    today = timezone.localdate()
    releases.make_releases(election, known, today=today)
    before = api(client).content
    finish(client)
    assert api(client).content == before
    assert api(client, nocache="1").content == before
    assert releases.make_releases(election, known, today=today) == []
    assert api(client).content == before


def test_a_release_never_changes_once_made(election, known):
    made = {r.key: r.body for r in releases.make_releases(election, known, today=MARCH_19)}
    add_completions(known, 5, ["agree"] * 3, day=MARCH_18)  # cannot happen, rows are of today
    releases.make_releases(election, known, today=MARCH_19 + datetime.timedelta(days=1))
    for key, body in made.items():
        kind, day = releases.parse_key(key)
        assert Release.objects.get(kind=kind, last_day=day, simulated=False).body == body


def test_adjacent_periods_differ_by_the_noisy_day_not_the_exact_one(client, election, known):
    """Comparing every day up to the 17th with every day up to the 18th gives the release of the
    18th: counted with noise drawn once, never the exact count of that day."""
    releases.make_releases(election, known, today=MARCH_19)
    day = DayCount.objects.get(day=MARCH_18)
    assert day.exact["days"] == {"2026-03-18": 13}
    assert day.noisy["completions"] != 13  # continuous noise: exactly 13 has probability 0
    up_to_17 = api(client, release="to-2026-03-17").json()["tables"]["days"]["rows"]
    up_to_18 = api(client, release="to-2026-03-18").json()["tables"]["days"]["rows"]
    only_18 = api(client, release="day-2026-03-18").json()["tables"]["days"]["rows"]
    assert up_to_18 == up_to_17 + only_18
    released = privacy.clamp(day.noisy["completions"])
    assert only_18[0][1] == (released if released >= 10 else "<10")


def test_every_closed_day_is_released_even_without_completions(election, known):
    made = releases.make_releases(election, known, today=datetime.date(2026, 3, 21))
    assert [r.key for r in made] == [
        f"{kind}-2026-03-{day}" for day in (17, 18, 19, 20) for kind in ("day", "to")
    ]
    assert DayCount.objects.get(day=datetime.date(2026, 3, 20)).exact["days"] == {}


def test_today_is_never_released(election, known):
    made = releases.make_releases(election, known, today=MARCH_18)
    assert [r.key for r in made] == ["day-2026-03-17", "to-2026-03-17"]


def test_the_command_releases_each_published_election(election, known, capsys):
    from django.core.management import call_command

    call_command("make_releases")
    assert "test: " in capsys.readouterr().out
    assert Release.objects.filter(kind="to").exists()
    call_command("make_releases")
    assert "test: 0 new releases" in capsys.readouterr().out


def test_the_command_refuses_an_unknown_election(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--election: no published election with slug 'x'"):
        call_command("make_releases", "--election=x")


def test_a_release_states_its_budget(election, known):
    body = json.loads(releases.make_releases(election, known, today=MARCH_19)[0].body)
    assert body["privacy"]["mechanism"].startswith("Gaussian, OpenDP")
    assert body["privacy"]["epsilon_per_voter"] == round(privacy.epsilon(), 3)
    assert body["privacy"]["rho_per_voter"] == privacy.RHO


def test_released_counts_are_whole_non_negative_and_consistent(election, known):
    for release in releases.make_releases(election, known, today=MARCH_19):
        report = releases.release_report(known, releases.noisy_days(release), threshold=1)
        total = sum(n or 0 for _, n in report.days)
        for s in report.statements:
            parts = [s.agree, s.neutral, s.disagree, s.skip]
            assert all(isinstance(n, int) and n >= 0 for n in (n or 0 for n in parts))
            assert sum(n or 0 for n in parts) in (0, total)
            assert (s.important or 0) <= total
        for p in report.parties:
            if p.voters is aggregate.NA:
                continue
            assert (p.voters or 0) <= total
            assert sum(n or 0 for n in p.histogram) in (0, p.voters or 0)


# The noise itself (no database)


def test_the_noise_has_the_stated_spread_and_no_bias():
    measured = privacy.measure(range(600), ["a", "b"], aggregate.Tallies())
    noisy = privacy.add_noise(measured)["answers"]
    draws = [n for cells in noisy.values() for n in cells.values()]
    spread = privacy.noise_scales(600, 2)[0]
    assert len(draws) == 3000
    assert abs(statistics.mean(draws)) < 4 * spread / 3000**0.5
    assert 0.9 * spread < statistics.stdev(draws) < 1.1 * spread


def test_the_budget_is_spent_exactly_once_per_voter():
    assert privacy.spent(30, 15) == pytest.approx(privacy.RHO)
    assert privacy.sensitivities(30, 15) == pytest.approx((92**0.5, 10000 * 15**0.5))


def test_apportioning_keeps_the_total_and_drops_negatives():
    assert privacy.apportion([3.2, -1.0, 5.5, 0.4], 20) == [7, 0, 12, 1]
    assert privacy.apportion([-1.0, -2.0], 5) == [0, 0]


def test_a_median_is_read_from_the_classes():
    assert releases._median([0, 0, 10, 10, 0, 0, 0, 0, 0, 0]) == 30.0
