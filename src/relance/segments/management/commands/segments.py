"""`relance segments recompute [--entity SLUG]`: recompute segment memberships now."""

from django.core.management.base import BaseCommand, CommandError

from relance.core.models import Entity
from relance.segments.models import Segment
from relance.segments.services import segments_recompute


class Command(BaseCommand):
    help = "Recompute which customers each segment holds (the engine also does it every run)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        recompute = actions.add_parser("recompute", help="recompute the memberships")
        recompute.add_argument("--entity", metavar="SLUG", help="only this entity's customers")

    def handle(self, *args, action, entity=None, **options):
        scope = None
        if entity:
            scope = Entity.objects.filter(slug=entity).first()
            if scope is None:
                raise CommandError(f"Unknown entity {entity!r}")
        counts = segments_recompute(entity=scope)
        names = dict(Segment.objects.filter(pk__in=counts).values_list("pk", "name"))
        for pk, count in counts.items():
            self.stdout.write(f"{names[pk]}: {count} customers")
        if not counts:
            self.stdout.write("No active segment.")
