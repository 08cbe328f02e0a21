"""`relance setup`: the installation defaults, idempotent, safe to run on every start."""

import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relance.accounts.choices import Role
from relance.accounts.models import User
from relance.core.defaults import pending_migrations, run_defaults

PASSWORD_VARIABLE = "RELANCE_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "Check the database is migrated and create the installation defaults that are "
        "missing; with --admin, also create a superuser administrator."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin",
            metavar="USERNAME",
            help=f"create this administrator if absent, with the password in ${PASSWORD_VARIABLE}",
        )
        parser.add_argument("--email", default="", help="the administrator's email")

    def handle(self, *args, admin=None, email="", **options):
        pending = pending_migrations()
        if pending:
            raise CommandError(
                f"The database is not migrated ({len(pending)} migrations pending, "
                f"first {pending[0]}): run `relance migrate` first."
            )
        with transaction.atomic():
            created = run_defaults()
            if admin:
                created += self.admin_create(admin, email)
        if created:
            for line in created:
                self.stdout.write(f"Created {line}")
        else:
            self.stdout.write("Everything was already in place.")

    def admin_create(self, username: str, email: str) -> list[str]:
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"User {username!r} already exists: left unchanged")
            return []
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            raise CommandError(
                f"{PASSWORD_VARIABLE} is not set: put the administrator's password in it "
                f"to create {username!r} (it is never read from the command line)."
            )
        user = User(username=username, email=email, role=Role.ADMINISTRATOR, all_entities=True)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(f"{PASSWORD_VARIABLE}: {' '.join(exc.messages)}") from exc
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        return [f"administrator {username!r} (superuser)"]
