"""The editor's ranking threshold: stored, checked by the database, frozen with a version."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from positions import snapshots
from positions.catalog import ElectionData, load
from positions.models import Election
from tests.factories import reviewed_election

pytestmark = pytest.mark.django_db


def test_a_new_election_ranks_parties_compared_on_half_of_the_answers(election):
    assert load(election).ranking_threshold == 0.5


@pytest.mark.parametrize("threshold", ["-0.01", "1.01"])
def test_the_database_refuses_a_threshold_outside_0_to_1(election, threshold):
    with pytest.raises(IntegrityError, match="election_ranking_threshold_valid"):
        Election.objects.filter(pk=election.pk).update(ranking_threshold=threshold)


def test_the_election_admin_offers_the_threshold(admin_client, election):
    url = reverse("admin:positions_election_change", args=[election.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="ranking_threshold"' in page
    assert "Drempel om te rangschikken" in page


def test_a_frozen_version_keeps_its_threshold(db):
    election = reviewed_election()
    election.ranking_threshold = "0.75"
    election.save()
    frozen = snapshots.decode(ElectionData, snapshots.encode(load(election)))
    assert frozen.ranking_threshold == 0.75


def test_a_version_frozen_before_the_threshold_existed_loads_with_the_default(db):
    stored = snapshots.encode(load(reviewed_election()))
    del stored["ranking_threshold"]
    assert snapshots.decode(ElectionData, stored).ranking_threshold == 0.5


def test_a_new_threshold_is_a_new_version_of_the_voters_content(election):
    before = load(election).version
    election.ranking_threshold = "0.40"
    election.save()
    assert load(election).version != before
