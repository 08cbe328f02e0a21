"""`relance unlock alice`, `relance unlock --ip 203.0.113.7`: lift a login lockout now
instead of waiting for the cool-off (AXES_COOLOFF_MINUTES)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from relance.accounts.services import user_unlock


class Command(BaseCommand):
    help = "Lift the login lockout of a username and/or an IP address."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="", help="the locked username")
        parser.add_argument("--ip", default="", help="the locked IP address")

    def handle(self, *args, username, ip, **options):
        try:
            count = user_unlock(username=username, ip_address=ip)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        what = " and ".join(filter(None, [username, ip]))
        if count:
            self.stdout.write(f"{what}: unlocked ({count} failed-attempt records removed).")
        else:
            self.stdout.write(f"{what}: no failed login on record, nothing to unlock.")
