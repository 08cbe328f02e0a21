"""`relance alerts evaluate [--date YYYY-MM-DD]`: evaluate every active alert rule;
`relance alerts digest`: mail each owner the customers of their last evaluation (once)."""

from django.core.management.base import BaseCommand

from relance.alerts.services import alerts_digest_send, alerts_evaluate
from relance.core.commands import option_day


class Command(BaseCommand):
    help = "Evaluate the users' alert rules, or send their digest emails."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        evaluate = actions.add_parser("evaluate", help="evaluate every active rule now")
        evaluate.add_argument("--date", help="evaluate as of this day (default: today)")
        actions.add_parser("digest", help="mail each owner the customers of their alerts")

    def handle(self, *args, action, **options):
        if action == "digest":
            sent = alerts_digest_send()
            self.stdout.write(f"{sent} digest emails sent")
            return
        day = option_day(options.get("date"), "--date")
        results = alerts_evaluate(day=day)
        self.stdout.write(
            f"{len(results)} rules evaluated, {sum(results.values())} customers matched"
        )
