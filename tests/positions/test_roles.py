import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from positions.models import Election, Stance
from tests.factories import ElectionFactory, UserFactory, reviewed_election

pytestmark = pytest.mark.django_db


def perms(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_the_migration_creates_the_three_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Redacteur",
        "Eindredacteur",
        "Beheerder",
    }


def test_a_redacteur_edits_but_cannot_approve_publish_or_correct():
    codes = perms("Redacteur")
    assert {"change_stance", "change_statement", "preview_election"} <= codes
    assert not codes & {"approve_stance", "publish_election", "correct_published"}


def test_an_eindredacteur_also_approves_publishes_and_corrects():
    assert {"approve_stance", "publish_election", "correct_published"} <= perms("Eindredacteur")


def test_a_beheerder_manages_users_too():
    assert {"add_user", "change_group", "delete_election"} <= perms("Beheerder")


def test_createeditor_makes_a_staff_account_with_one_role(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "lang-en-veilig-2026")
    call_command("createeditor", "anna", "--role", "eindredacteur", "--no-input")
    anna = User.objects.get(username="anna")
    assert anna.is_staff and not anna.is_superuser
    assert list(anna.groups.values_list("name", flat=True)) == ["Eindredacteur"]
    assert anna.check_password("lang-en-veilig-2026")


def test_createeditor_changes_the_role_of_an_existing_account():
    user = UserFactory(username="bob", role="Eindredacteur")
    call_command("createeditor", "bob", "--role", "redacteur", "--no-input")
    assert list(user.groups.values_list("name", flat=True)) == ["Redacteur"]


def test_createeditor_without_a_password_fails_with_one_line(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="EDITOR_PASSWORD"):
        call_command("createeditor", "carla", "--role", "redacteur", "--no-input")
    assert not User.objects.filter(username="carla").exists()


def test_createeditor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "1234")
    with pytest.raises(CommandError, match="password"):
        call_command("createeditor", "dirk", "--role", "redacteur", "--no-input")
    assert not User.objects.filter(username="dirk").exists()


def test_staff_without_a_role_cannot_open_the_stances(client):
    client.force_login(UserFactory())
    assert client.get(reverse("admin:positions_stance_changelist")).status_code == 403


def test_a_redacteur_edits_a_stance_of_a_draft_election(client):
    election = reviewed_election()
    stance = Stance.objects.filter(statement__election=election).first()
    client.force_login(UserFactory(role="Redacteur"))
    response = client.get(reverse("admin:positions_stance_change", args=[stance.pk]))
    assert response.context["has_change_permission"]


def test_a_redacteur_cannot_change_a_published_election(client):
    election = reviewed_election(status=Election.Status.PUBLISHED)
    statement = election.statements.first()
    client.force_login(UserFactory(role="Redacteur"))
    url = reverse("admin:positions_statement_change", args=[statement.pk])
    assert not client.get(url).context["has_change_permission"]
    response = client.post(url, {"title": "Gewijzigd"})
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.title == "Stelling 1"


def test_nobody_deletes_a_stance_of_a_published_election(admin_client):
    election = reviewed_election(status=Election.Status.PUBLISHED)
    stance = Stance.objects.filter(statement__election=election).first()
    response = admin_client.post(
        reverse("admin:positions_stance_delete", args=[stance.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Stance.objects.filter(pk=stance.pk).exists()


def test_a_redacteur_cannot_add_a_statement_to_a_published_election(client):
    published = reviewed_election(status=Election.Status.PUBLISHED)
    draft = ElectionFactory(status=Election.Status.DRAFT)
    client.force_login(UserFactory(role="Redacteur"))
    form = client.get(reverse("admin:positions_statement_add")).context["adminform"].form
    assert list(form.fields["election"].queryset) == [draft]
    assert published not in form.fields["election"].queryset
