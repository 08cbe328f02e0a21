"""The issue's "Done when", end to end: the engine (`relance run`) sends scenario S's emails
through a real SMTP server; the customers answer into a real IMAP mailbox (Dovecot) — a
human reply, an out-of-office, a bounce, a reply found only by its invoice number, and a
message that matches nothing; `relance mail fetch` attaches each to the right customer and
action; the bounce puts the email in error and creates the fallback letter; a second fetch
stores nothing new; the next run sends nothing to the customers who replied.

The entity's calendar is pinned to the replayed days (as delivery/tests/test_bounces.py
does), and the replies are dated on them."""

import io
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from relance.activity.models import CustomerEvent
from relance.agenda.models import Action
from relance.core.models import Entity
from relance.delivery.tests.conftest import connector, smtp  # noqa: F401 (the SMTP server)
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d
from relance.inbound.choices import InboundKind, InboundStatus, MatchedBy
from relance.inbound.models import InboundEmail
from relance.inbound.tests import mails

pytestmark = pytest.mark.django_db
REPLIED = datetime(2026, 2, 4, 9, 30, tzinfo=UTC)


class Clock:
    def __init__(self, monkeypatch):
        self.day = d(1, 15)
        monkeypatch.setattr(Entity, "today", lambda entity: self.day)


def relance(clock, *args, day: date | None = None) -> str:
    clock.day = day or clock.day
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def run(clock, entity, day: date) -> None:
    relance(clock, "run", "--date", day.isoformat(), "--entity", entity.slug, day=day)


def sent_to(smtp, address: str):  # noqa: F811
    """The last message the SMTP server delivered to `address`, as the customer got it."""
    return [m for m in smtp.messages if m["To"] == address][-1]


def test_replies_bounces_and_the_pause_through_the_mailbox(
    monkeypatch,
    scenario_s,
    acme_daily,
    smtp,  # noqa: F811
    dovecot,
    mailbox,
    tmp_path,
):
    clock = Clock(monkeypatch)
    scenario_s.steps.filter(name="first").update(fallback_channel="letter")
    connector(acme_daily, "letter", "console", path=str(tmp_path))
    acme_daily.reply_pause_max_days = 15
    acme_daily.save()
    people = {
        "dupont": ("Dupont SA", "compta@dupont.example", "F-2026-0101"),
        "martin": ("Martin SARL", "factures@martin.example", "F-2026-0102"),
        "bernard": ("Bernard & fils", "old@bernard.example", "F-2026-0103"),
        "leroy": ("Leroy SAS", "ap@leroy.example", "F-2026-0777"),
    }
    customers = {}
    for key, (name, email, number) in people.items():
        customers[key] = make_customer(acme_daily, name=name, email=email)
        make_invoice(customers[key], number, d(1, 31), issue=d(1, 1))
    for day in (d(1, 19), d(1, 26), d(1, 27), d(2, 3)):
        run(clock, acme_daily, day)
    assert len(smtp.messages) == 8  # courtesy and first, to each of the four
    first = {key: sent_to(smtp, people[key][1]) for key in people}
    assert first["dupont"]["Reply-To"].startswith("recouvrement+a")

    # 02-04: the answers come into the mailbox.
    dovecot.append(
        mails.reply(
            sender="compta@dupont.example",
            to=first["dupont"]["Reply-To"],
            in_reply_to=first["dupont"]["Message-ID"],
            body="Bonjour, nous réglerons le 15 février.\n",
            quoted=first["dupont"].get_body("plain").get_content(),
            date=REPLIED,
        ),
        mails.auto_reply(
            sender="factures@martin.example",
            to=first["martin"]["Reply-To"],
            in_reply_to=first["martin"]["Message-ID"],
            date=REPLIED,
        ),
        mails.dsn(
            recipient="old@bernard.example",
            original_message_id=first["bernard"]["Message-ID"],
            date=REPLIED,
        ),
        mails.reply(
            sender="assistante@leroy.example",
            to="recouvrement@acme.example",
            subject="Facture F-2026-0777",
            body="La facture F-2026-0777 sera payée vendredi.\n",
            date=REPLIED,
        ),
        mails.reply(
            sender="promo@shop.example",
            to="recouvrement@acme.example",
            subject="-50 % this week",
            body="Our best offers.\n",
            date=REPLIED,
        ),
    )
    clock.day = d(2, 4)
    out = relance(clock, "mail", "fetch", "--entity", acme_daily.slug)
    assert out.strip() == (
        "acme-fr: fetched 5, stored 5, duplicates 0, replies 3, auto-replies 1, bounces 1, "
        "unassigned 1, refused 0, failed 0"
    )

    emails = {e.sender: e for e in InboundEmail.objects.select_related("response")}
    actions = {
        key: Action.objects.get(customer=customers[key], step_name="first", channel="email")
        for key in people
    }
    dupont = emails["compta@dupont.example"]
    assert (dupont.kind, dupont.matched_by) == (InboundKind.REPLY, MatchedBy.IN_REPLY_TO)
    assert (dupont.customer, dupont.action) == (customers["dupont"], actions["dupont"])
    assert dupont.response.body.strip() == "Bonjour, nous réglerons le 15 février."
    martin = emails["factures@martin.example"]
    assert (martin.kind, martin.customer, martin.action) == (
        InboundKind.AUTO_REPLY,
        customers["martin"],
        actions["martin"],
    )
    assert martin.response.kind == "auto_reply" and martin.response.handled_at is not None
    bounce = next(e for e in emails.values() if e.kind == InboundKind.BOUNCE)
    assert (bounce.customer, bounce.action) == (customers["bernard"], actions["bernard"])
    leroy = emails["assistante@leroy.example"]
    assert (leroy.matched_by, leroy.customer) == (MatchedBy.INVOICE, customers["leroy"])
    assert leroy.action == actions["leroy"]
    stray = emails["promo@shop.example"]
    assert stray.status == InboundStatus.UNASSIGNED and stray.customer is None

    # The bounce: the email action closed, the letter planned at once.
    bounced = Action.objects.get(pk=actions["bernard"].pk)
    assert (bounced.status, bounced.reason) == ("cancelled", "bounced")
    assert bounced.error_message == "Email sending error (invalid or blocked address)"
    letter = Action.objects.get(customer=customers["bernard"], planned_by="fallback")
    assert (letter.channel, letter.status, letter.step_name) == ("letter", "planned", "first")
    assert customers["bernard"].contacts.get().email_invalid_reason

    # A second fetch stores nothing new, even when the server delivers the same mail again.
    assert "fetched 0, stored 0" in relance(clock, "mail", "fetch")
    raws = [e.raw.open("rb").read() for e in InboundEmail.objects.order_by("id")]
    dovecot.append(*raws)
    assert "fetched 5, stored 0, duplicates 5" in relance(clock, "mail", "fetch")
    assert InboundEmail.objects.count() == 5

    # The pause is on Dupont's timeline; the next run sends nothing to who replied.
    assert CustomerEvent.objects.filter(customer=customers["dupont"], kind="reply_paused")
    before = len(smtp.messages)
    run(clock, acme_daily, d(2, 15))
    new = [m["To"] for m in smtp.messages[before:]]
    assert new == ["factures@martin.example"]  # the out-of-office paused nothing
    for key in ("dupont", "leroy"):
        second = Action.objects.get(customer=customers[key], step_name="second")
        assert second.status in ("planned", "to_confirm") and second.due_date == d(2, 15)
    assert Action.objects.get(pk=letter.pk).status == "sent"  # the fallback letter left
