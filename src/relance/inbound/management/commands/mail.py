"""`relance mail fetch [--entity SLUG]`: read the entities' mailboxes now (the beat does it
every 5 minutes) and say, per mailbox, what came of it. Exits non-zero when a mailbox could
not be read, after trying the others."""

from django.core.management.base import BaseCommand, CommandError

from relance.core.models import Entity
from relance.inbound.fetching import mailboxes_fetch

COUNTS = (
    "fetched",
    "stored",
    "duplicates",
    "replies",
    "auto_replies",
    "bounces",
    "unassigned",
    "refused",
    "failed",
)


class Command(BaseCommand):
    help = "Received email: fetch the replies and bounces from the entities' IMAP mailboxes."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        fetch = actions.add_parser("fetch", help="read what is new in the IMAP mailboxes")
        fetch.add_argument("--entity", metavar="SLUG", help="only this entity's mailbox")

    def handle(self, *args, action, entity=None, **options):
        scope = None
        if entity:
            scope = Entity.objects.filter(slug=entity).first()
            if scope is None:
                raise CommandError(f"Unknown entity {entity!r}")
        summaries = mailboxes_fetch(entity=scope)
        if not summaries:
            self.stdout.write("No active IMAP mailbox connector.")
            return
        for summary in summaries:
            counts = ", ".join(
                f"{name.replace('_', '-')} {getattr(summary, name)}" for name in COUNTS
            )
            self.stdout.write(f"{summary.entity}: {counts}")
            if summary.error:
                self.stderr.write(f"{summary.entity}: mailbox not read: {summary.error}")
        failed = [s.entity for s in summaries if s.error]
        if failed:
            raise CommandError(f"Mailbox not read for {', '.join(failed)}")
