"""The election form refuses to overwrite what someone else saved meanwhile."""

import pytest
from django.urls import reverse

from tests.factories import ElectionFactory
from tests.positions.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


def test_the_second_of_two_saves_of_an_election_gets_a_conflict(admin_client):
    election = ElectionFactory(status="draft", intro="Oud.")
    url = reverse("admin:positions_election_change", args=[election.pk])
    first = _change_form_data(admin_client.get(url))
    second = _change_form_data(admin_client.get(url))
    first["intro"] = "Intro van Anna."
    assert admin_client.post(url, first).status_code == 302
    second["name"] = "Nieuwe naam van Ben"
    response = admin_client.post(url, second)
    assert response.status_code == 200
    assert "Iemand anders heeft" in str(response.context["adminform"].form.non_field_errors())
    election.refresh_from_db()
    assert election.intro == "Intro van Anna."
    assert election.name != "Nieuwe naam van Ben"
