"""Message templates: emails rendered per second and seconds for 1,000 merged letters (wall
and CPU time, the items as a table in the body's font; the PDF read back with pdftotext).

Runs in a fresh process on a throwaway SQLite database (var/bench/templating.sqlite3, made
anew each run): N customers with 5 open items each, the contexts loaded set-based, then every
customer's email rendered, then one PDF of 1,000 one-page letters.
"""

import argparse
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = textwrap.dedent(
    """
    import datetime, sys, time
    from decimal import Decimal
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from relance.core.models import Entity
    from relance.customers.models import Contact, Customer
    from relance.ledger.models import Item
    from relance.templating.letters import default_processes, letters_pdf
    from relance.templating.render import render_context
    from relance.templating.selectors import build_contexts, template_by_name
    from relance.templating.services import template_create

    customers_wanted, letters_wanted = int(sys.argv[1]), int(sys.argv[2])
    today = datetime.date(2026, 3, 1)
    entity = Entity.objects.create(
        slug="acme-fr", name="Acme France", country="FR", currency="EUR", language="fr",
        iban="FR7630006000011234567890189", bic="AGRIFRPP", late_interest_rate=Decimal("10"),
        recovery_fee=Decimal("40"), address_line1="5 avenue Foch", postal_code="75016",
        city="Paris", siret="73282932000074",
    )
    customers = Customer.objects.bulk_create(
        Customer(entity=entity, external_id=f"C{n:06d}", name=f"Client {n} SARL",
                 address_line1=f"{n} rue de la Paix", postal_code="75002", city="Paris",
                 country="FR", language="fr" if n % 3 else "en", currency="EUR")
        for n in range(customers_wanted)
    )
    Contact.objects.bulk_create(
        Contact(customer=c, first_name="Claire", last_name=f"Martin{c.pk}", is_collection=True)
        for c in customers
    )
    Item.objects.bulk_create(
        Item(entity=entity, customer=c, number=f"F{c.pk:06d}-{k}",
             issue_date=today - datetime.timedelta(days=30 + 20 * k),
             due_date=today - datetime.timedelta(days=20 * k - 10),
             amount=Decimal("1234.56") + k, open_amount=Decimal("1234.56") + k, currency="EUR")
        for c in customers for k in range(5)
    )
    body = (
        "<p>Bonjour #contact_name,</p><p>Sauf erreur de notre part, le compte #customer_number"
        " de <strong>#customer_name</strong> présente un solde de #total_due, dont"
        " #overdue_amount échus depuis #max_days_overdue jours :</p><p>#items_list</p>"
        "<p>Merci de régler sous huit jours. #bank_details</p><p>#user_name, #company_name</p>"
    )
    variants = {"fr": {"subject": "Relance #customer_number", "body": body},
                "en": {"subject": "Reminder #customer_number", "body": body}}
    template_create(name="bench email", channel="email", variants=variants)
    template_create(name="bench letter", channel="letter", letter_type="registered",
                    variants=variants)
    email, letter = template_by_name("bench email"), template_by_name("bench letter")

    started = time.perf_counter()
    queryset = Customer.objects.select_related("entity", "collector").order_by("pk")
    contexts = build_contexts(queryset, today)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    for ctx in contexts.values():
        render_context(email, ctx)
    rendered = time.perf_counter() - started
    n = len(contexts)
    print(f"{n:,} customers × 5 items: contexts loaded in {loaded:.2f} s")
    print(f"emails rendered per second: {n / rendered:,.0f} ({n:,} in {rendered:.2f} s)")
    print(f"emails per second including the load: {n / (loaded + rendered):,.0f}")

    import os, resource, subprocess, tempfile

    def cpu() -> float:
        own, children = (resource.getrusage(who) for who in
                         (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    chosen = list(contexts.values())[:letters_wanted]
    started, cpu_started = time.perf_counter(), cpu()
    letters = [render_context(letter, ctx, language="fr") for ctx in chosen]
    pdf = letters_pdf(letters)
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
    processes = default_processes(len(letters))
    print(f"{len(letters):,} letters merged into one PDF: {seconds:.1f} s "
          f"({len(pdf) / 1e6:.1f} MB, {len(letters) / seconds:.0f} letters/s, "
          f"{processes} process{'es' if processes > 1 else ''})")
    # On a shared machine the wall time says little: the CPU time of this process and its
    # workers, divided by the workers, is what an idle machine with that many cores takes.
    print(f"  CPU time {cpu_seconds:.1f} s: about {cpu_seconds / processes:.1f} s on "
          f"{processes} idle core{'s' if processes > 1 else ''} "
          f"(load average {os.getloadavg()[0]:.1f} during the run)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True,
                              text=True, check=True).stdout
    first, last = chosen[0].customer.name, chosen[-1].customer.name
    assert text.index(first) < text.index(last), "the letters are not in order"
    print(f"  pdftotext reads {text.count(chr(12)):,} pages, {first} first and {last} last")
    """
)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench templating")
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--letters", type=int, default=1_000)
    args, _unknown = parser.parse_known_args(argv)
    database = ROOT / "var" / "bench" / "templating.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "relance.config.settings",
    }
    subprocess.run(
        [sys.executable, "-c", MEASURE, str(args.customers), str(max(args.letters, 1))],
        env=env,
        check=True,
        cwd=ROOT,
    )
