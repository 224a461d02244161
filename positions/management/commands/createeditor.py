import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from positions.roles import BEHEERDER, EINDREDACTEUR, REDACTEUR, ROLES, sync_roles

ROLE_NAMES = {"redacteur": REDACTEUR, "eindredacteur": EINDREDACTEUR, "beheerder": BEHEERDER}
PASSWORD_ENV = "EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create an editor account with one role (redacteur, eindredacteur or beheerder), or "
        "change the role of an existing one. Asks for a password; with --no-input it is read "
        f"from ${PASSWORD_ENV}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLE_NAMES), required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, username, role, email, interactive, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = None
        if user is None:
            password = self._password(interactive)
            try:
                validate_password(password, User(username=username, email=email))
            except ValidationError as exc:
                raise CommandError("password: " + " ".join(exc.messages)) from None
        with transaction.atomic():
            sync_roles()
            if user is None:
                user = User.objects.create_user(username, email=email, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.remove(*Group.objects.filter(name__in=ROLES))
            user.groups.add(Group.objects.get(name=ROLE_NAMES[role]))
        self.stdout.write(f"{username} is now {ROLE_NAMES[role]}.")

    def _password(self, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(f"--no-input needs the password in ${PASSWORD_ENV}")
            return password
        password = getpass.getpass("Wachtwoord: ")
        if password != getpass.getpass("Wachtwoord (nogmaals): "):
            raise CommandError("the two passwords differ")
        return password
