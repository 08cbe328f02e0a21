"""`relance alerts evaluate [--date YYYY-MM-DD]`: evaluate every active alert rule;
`relance alerts digest`: mail each owner the customers of their last evaluation (once)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from relance.alerts.services import alerts_digest_send, alerts_evaluate


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
        day = None
        if options.get("date"):
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: expected YYYY-MM-DD, got {options['date']!r}") from exc
        results = alerts_evaluate(day=day)
        self.stdout.write(
            f"{len(results)} rules evaluated, {sum(results.values())} customers matched"
        )
