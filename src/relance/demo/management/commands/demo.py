"""`relance demo`: load the demo company (Acme France and Acme Industries) and print logins."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relance.core.defaults import pending_migrations
from relance.core.models import Entity
from relance.demo import generator
from relance.demo.alerts import demo_alerts
from relance.demo.answers import demo_answers
from relance.demo.collections import demo_collect
from relance.demo.history import demo_snapshots, partial_payments
from relance.demo.replies import demo_replies
from relance.ledger.choices import ItemKind


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Build a deterministic demo company: two entities, customers with contacts and a "
        "year of invoices, and the users admin, alice, bob, carol and dave (created or reset, "
        f"password {generator.PASSWORD!r}: for demos only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=_positive, default=500, help="default 500")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD; default today"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if any entity exists (for `make demo`)",
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete the demo entities first, if loaded"
        )
        parser.add_argument(
            "--engine-days",
            type=int,
            default=30,
            help="run the collection engine over the last N days (default 30; 0: not at all)",
        )
        parser.add_argument(
            "--logins", action="store_true", help="only print the demo logins; build nothing"
        )

    def handle(self, *args, **options):
        pending = pending_migrations()
        if pending:
            raise CommandError(
                f"The database is not migrated ({len(pending)} migrations pending): "
                "run `relance migrate` first."
            )
        if options["logins"]:
            return self.print_logins()
        if options["if_empty"] and Entity.objects.exists():
            if not generator.demo_exists():
                self.stdout.write("The database already has entities: demo not loaded.")
                return None
            self.stdout.write("The demo is already loaded: nothing to do.")
            return self.print_logins()
        if generator.demo_exists() and not options["replace"]:
            raise CommandError(
                "The demo entities (acme-fr, acme-uk) already exist; "
                "run `relance demo --replace` to delete and rebuild them."
            )
        today = options["today"] or timezone.localdate()
        if isinstance(today, str):  # call_command() passes options unparsed
            today = date.fromisoformat(today)
        started = time.monotonic()
        if options["replace"]:
            generator.demo_delete()
        entities = generator.demo_build(
            customers=options["customers"],
            seed=options["seed"],
            today=today,
            progress=self.progress if options["customers"] >= 10_000 else None,
        )
        partial_payments(entities=entities, seed=options["seed"], today=today)
        if options["engine_days"]:
            collected = demo_collect(
                entities=entities, today=today, days=options["engine_days"], seed=options["seed"]
            )
            self.stdout.write(
                f"Engine replayed over the last {collected['days']} days: "
                f"{collected['sent']:,} automatic messages sent (emails kept in memory, SMS "
                f"written to var/outbox/: none left), {collected['worked']:,} actions "
                f"confirmed or done by the team, {collected['settled']:,} reminded invoices "
                "paid a few days later."
            )
            answered = demo_answers(entities=entities, today=today)
            self.stdout.write(
                f"{answered} customers answered through their page (dispute, promise, payment "
                "announced, comment, call-back, new contact, card): see Collections → Responses."
            )
            replied = demo_replies(entities=entities)
            self.stdout.write(
                f"{sum(replied.values())} emails received and read by the assistant "
                f"({', '.join(f'{kind} {count}' for kind, count in sorted(replied.items()))})."
            )
        history = demo_snapshots(entities=entities, today=today)
        self.stdout.write(
            f"Insights: {history['snapshots']:,} customer snapshots over the last "
            f"{history['days']} days, rebuilt from the items' history."
        )
        alerts = demo_alerts(today=today)
        self.stdout.write(f"{alerts} personal alerts evaluated: see My alerts.")
        self.print_summary(today, options["seed"], time.monotonic() - started)
        self.print_logins()
        return None

    def progress(self, done: int, total: int) -> None:
        self.stdout.write(f"  {done:,} / {total:,} customers")

    def print_summary(self, today: date, seed: int, seconds: float) -> None:
        summary = generator.demo_summary()
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded in {seconds:.1f} s (seed {seed}, today {today}).")
        )
        for slug, name, currency, customers in summary["entities"]:
            self.stdout.write(f"  {name} ({slug}, {currency}): {customers:,} customers")
        self.stdout.write(f"  Contacts: {summary['contacts']:,}")
        kinds = ", ".join(
            f"{ItemKind(kind).label.lower()}s {count:,}" for kind, count in summary["items"].items()
        )
        self.stdout.write(f"  Items: {kinds}")
        for currency, receivable, credits in summary["balances"]:
            self.stdout.write(
                f"  Open {currency}: invoices {receivable:,.2f}, "
                f"credit notes and payments {credits:,.2f}, net {receivable - credits:,.2f}"
            )

    def print_logins(self) -> None:
        rows = generator.logins()
        if not rows:
            self.stdout.write("No demo users yet: run `relance demo` first.")
            return
        self.stdout.write(f"Open {generator.URL} and log in as:")
        width = max(len(role) for _user, role, _scope in rows)
        self.stdout.write(f"  {'username':<9} {'role':<{width}}  entities")
        for username, role, scope in rows:
            self.stdout.write(f"  {username:<9} {role:<{width}}  {scope}")
        self.stdout.write(
            f"Password for every demo user: {generator.PASSWORD} "
            "(demo only: change it or remove these users on a real installation)."
        )
