import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from positions.roles import sync_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_url(election, name="statistics", *args):
    return reverse(f"admin:stats_electionstatistics_{name}", args=[election.pk, *args])


def perms(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def staff_with(*codenames):
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_staff_without_the_permission_cannot_see_the_statistics(client, known, election):
    client.force_login(UserFactory())
    assert client.get(page_url(election)).status_code == 403
    assert client.get(page_url(election, "export", "csv")).status_code == 403


def test_staff_without_the_permission_are_not_shown_the_statistics_in_the_admin(client, db):
    client.force_login(UserFactory(role="Redacteur"))
    assert "Statistieken" in client.get(reverse("admin:index")).content.decode()
    client.force_login(UserFactory())
    assert "Statistieken" not in client.get(reverse("admin:index")).content.decode()


def test_staff_who_see_the_tables_are_not_offered_the_microdata(client, released, election):
    client.force_login(staff_with("view_electionstatistics"))
    page = client.get(page_url(election))
    assert page.status_code == 200
    assert "Antwoorden per stelling" in page.content.decode()
    assert "microdata" not in page.content.decode()


def test_staff_who_see_the_tables_cannot_download_the_microdata(client, known, election):
    client.force_login(staff_with("view_electionstatistics"))
    assert client.get(page_url(election, "microdata", "csv")).status_code == 403


def test_the_permission_downloads_the_microdata_whatever_the_group(client, known, election):
    client.force_login(staff_with("view_electionstatistics", "view_microdata"))
    assert client.get(page_url(election, "microdata", "csv")).status_code == 200


def test_a_renamed_beheerder_group_keeps_the_microdata(client, released, election):
    user = UserFactory(role="Beheerder")
    Group.objects.filter(name="Beheerder").update(name="Beheer")
    client.force_login(user)
    assert "microdata" in client.get(page_url(election)).content.decode()
    assert client.get(page_url(election, "microdata", "csv")).status_code == 200


def test_the_migration_grants_the_microdata_to_beheerder_only():
    assert {"view_electionstatistics", "view_microdata"} <= perms("Beheerder")
    for role in ("Redacteur", "Eindredacteur"):
        assert "view_electionstatistics" in perms(role)
        assert "view_microdata" not in perms(role)


def test_syncing_the_roles_keeps_the_statistics_permissions():
    sync_roles()
    assert {"view_electionstatistics", "view_microdata"} <= perms("Beheerder")
    assert "view_electionstatistics" in perms("Redacteur")
