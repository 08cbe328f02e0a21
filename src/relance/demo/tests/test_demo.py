import random
from datetime import date
from io import StringIO

import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, F, OuterRef
from schwifty import BIC, IBAN
from stdnum.fr import siren, siret, tva
from stdnum.gb import vat as gb_vat

from relance.accounts.models import User
from relance.core.models import Entity
from relance.customers.models import Contact, Customer, CustomField
from relance.demo import fakes, generator
from relance.ledger.models import Item

TODAY = date(2026, 11, 23)
DEMO = {"customers": 60, "seed": 1, "today": "2026-11-23", "engine_days": 0}


def demo(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **{**DEMO, **options})
    return out.getvalue()


def snapshot() -> list[tuple]:
    """What must not change between two runs with the same seed and day."""
    items = Item.objects.order_by("entity__slug", "kind", "number").values_list(
        "entity__slug",
        "kind",
        "number",
        "customer__external_id",
        "issue_date",
        "due_date",
        "amount",
        "open_amount",
        "disputed",
        "promise_date",
        "blocked",
    )
    customers = Customer.objects.order_by("entity__slug", "external_id").values_list(
        "external_id", "name", "legal_id", "city", "collector__username", "custom_field_data"
    )
    contacts = Contact.objects.order_by("external_id").values_list("external_id", "email", "phone")
    return [*items, *customers, *contacts]


def aging_bucket(due: date) -> str:
    days = (TODAY - due).days
    if days <= 0:
        return "not_due"
    return (
        "d1_30"
        if days <= 30
        else "d31_60"
        if days <= 60
        else "d61_90"
        if days <= 90
        else "d90_plus"
    )


@pytest.mark.django_db
def test_the_demo_builds_two_entities_with_valid_identifiers():
    output = demo()

    fr, uk = Entity.objects.get(slug="acme-fr"), Entity.objects.get(slug="acme-uk")
    assert (fr.name, fr.country, fr.currency, fr.language) == ("Acme France SAS", "FR", "EUR", "fr")
    assert (uk.name, uk.country, uk.currency, uk.language) == (
        "Acme Industries Ltd",
        "GB",
        "GBP",
        "en",
    )
    assert siren.is_valid(fr.siren) and siret.is_valid(fr.siret) and tva.is_valid(fr.vat_number)
    assert fr.siret.startswith(fr.siren) and fr.vat_number.endswith(fr.siren)
    assert IBAN(fr.iban).country_code == "FR" and BIC(fr.bic).country_code == "FR"
    assert gb_vat.is_valid(uk.vat_number) and uk.vat_number.startswith("GB")
    assert IBAN(uk.iban).country_code == "GB" and uk.company_number
    assert fr.late_interest_rate is None and fr.city == "Paris" and uk.city == "London"
    assert "Acme France SAS (acme-fr, EUR): 42 customers" in output
    assert "Acme Industries Ltd (acme-uk, GBP): 18 customers" in output
    assert "Open EUR" in output and "Open GBP" in output


@pytest.mark.django_db
def test_every_customer_is_valid_and_has_a_collection_contact():
    demo()

    assert Customer.objects.count() == 60
    assert not Customer.objects.exclude(
        Exists(Contact.objects.filter(customer=OuterRef("pk"), is_collection=True))
    ).exists()
    assert {field.name for field in CustomField.objects.all()} >= {
        "sales_region",
        "payment_terms_days",
        "account_opened",
    }
    for customer in Customer.objects.select_related("entity"):
        customer.full_clean()
        assert customer.currency == customer.entity.currency
        assert 1 <= customer.contacts.count() <= 3
        if customer.country == "FR":
            assert siren.is_valid(customer.legal_id)
    assert Customer.objects.filter(on_hold=True).exclude(hold_reason="").exists()
    assert Customer.objects.filter(tags__name="Key account").exists()
    assert Customer.objects.exclude(collector=None).exists()
    for contact in Contact.objects.select_related("customer"):
        contact.full_clean()
        assert contact.email.endswith(".example")
        for number in filter(None, [contact.phone, contact.mobile]):
            parsed = phonenumbers.parse(number)
            assert phonenumbers.is_valid_number(parsed)
            assert number == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            assert number.startswith("+33" if contact.customer.country == "FR" else "+44")
        if contact.mobile:
            assert contact.mobile.startswith(("+336", "+447"))


@pytest.mark.django_db
def test_items_cover_every_aging_bucket_and_every_situation():
    demo()

    items = Item.objects.all()
    for item in items.order_by("?")[:100]:
        item.full_clean()
        assert item.updated_at is not None and item.pdf == ""
    assert not items.filter(open_amount__gt=F("amount")).exists()
    assert not items.exclude(currency=F("customer__currency")).exists()
    assert not items.filter(issue_date__gt=TODAY).exists()
    assert not items.filter(issue_date__lt=date(2025, 11, 20)).exists()
    open_invoices = items.filter(kind="invoice", open_amount__gt=0)
    buckets = {aging_bucket(due) for due in open_invoices.values_list("due_date", flat=True)}
    assert buckets == {"not_due", "d1_30", "d31_60", "d61_90", "d90_plus"}
    assert items.filter(kind="invoice", open_amount=0).exists()  # paid
    assert open_invoices.exclude(open_amount=F("amount")).exists()  # partly paid
    disputed = items.filter(disputed=True)
    assert disputed.exists() and not disputed.filter(dispute_reason="").exists()
    assert not disputed.filter(dispute_date=None).exists()
    assert items.filter(promise_date__gt=TODAY).exists()  # kept promises to come
    assert items.filter(promise_date__lt=TODAY).exists()  # broken ones
    assert items.filter(kind="credit_note", open_amount__gt=0).exists()
    assert items.filter(kind="credit_note", open_amount=0).exists()
    assert items.filter(kind="payment", open_amount__gt=0).exists()
    terms = {
        (due - issue).days for issue, due in items.invoices().values_list("issue_date", "due_date")
    }
    assert terms == {30, 45, 60}


@pytest.mark.django_db
def test_item_numbers_follow_issue_dates_within_each_entity_kind_and_year():
    demo()

    for slug in generator.DEMO_SLUGS:
        for kind in ("invoice", "credit_note"):
            rows = list(
                Item.objects.filter(entity__slug=slug, kind=kind)
                .order_by("number")
                .values_list("number", "issue_date")
            )
            assert rows, (slug, kind)
            assert [day for _number, day in rows] == sorted(day for _number, day in rows)
            assert all(number[-11:-7] == str(day.year) for number, day in rows)
    assert Item.objects.filter(number__startswith="FA-2026-").exists()
    assert Item.objects.filter(number__startswith="INV-2026-").exists()


@pytest.mark.django_db
def test_the_users_of_every_role_with_their_entity_limits():
    output = demo()

    users = {user.username: user for user in User.objects.prefetch_related("entities")}
    expected = {
        "admin": ("administrator", True, set()),
        "alice": ("credit_manager", True, set()),
        "bob": ("collector", False, {"acme-fr"}),
        "carol": ("collector", False, {"acme-uk"}),
        "dave": ("read_only", True, set()),
    }
    for username, (role, sees_all, slugs) in expected.items():
        user = users[username]
        assert (user.role, user.sees_all_entities) == (role, sees_all)
        assert {entity.slug for entity in user.entities.all()} == slugs
        assert user.check_password("relance-demo") and user.first_name and user.email
        assert phonenumbers.is_valid_number(phonenumbers.parse(user.phone))
        assert username in output
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["alice"].is_superuser
    assert "relance-demo" in output and "demo only" in output
    assert set(
        Customer.objects.exclude(collector=None).values_list("collector__username", flat=True)
    ) == {"bob", "carol"}
    assert not Customer.objects.filter(entity__slug="acme-fr", collector__username="carol").exists()


@pytest.mark.django_db
def test_the_same_seed_and_day_give_the_same_data(monkeypatch):
    demo()
    first = snapshot()

    monkeypatch.setattr(generator, "CHUNK", 7)  # chunk size must not matter either
    demo(replace=True)

    assert snapshot() == first
    assert User.objects.get(username="bob").entities.get().slug == "acme-fr"


@pytest.mark.django_db
def test_another_seed_gives_other_data():
    demo()
    first = snapshot()

    demo(replace=True, seed=2)

    assert snapshot() != first


@pytest.mark.django_db
def test_a_second_run_is_refused_without_replace():
    demo()

    with pytest.raises(CommandError, match="--replace"):
        demo()


@pytest.mark.django_db
def test_if_empty_leaves_existing_data_untouched():
    demo()
    first = snapshot()

    output = demo(if_empty=True, seed=99, customers=10)

    assert "already loaded" in output
    assert snapshot() == first


@pytest.mark.django_db
def test_if_empty_builds_nothing_next_to_another_entity(globex):
    output = demo(if_empty=True)

    assert "already has entities" in output
    assert list(Entity.objects.values_list("slug", flat=True)) == ["globex-uk"]
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_logins_prints_the_table_and_builds_nothing():
    assert "No demo users" in demo(logins=True)
    assert not Entity.objects.exists()

    demo()
    output = demo(logins=True)

    assert "http://127.0.0.1:8000" in output and "relance-demo" in output
    assert "bob" in output and "acme-fr" in output
    assert "customers" not in output


def test_generated_legal_ids_are_valid_and_distinct():
    sirens = [fakes.siren_for(index) for index in range(2000)]
    vats = [fakes.gb_vat_for(index) for index in range(2000)]

    assert all(map(siren.is_valid, sirens)) and len(set(sirens)) == 2000
    assert all(map(gb_vat.is_valid, vats)) and len(set(vats)) == 2000
    assert siret.is_valid(fakes.siret_for(sirens[0], 18))


def test_generated_phones_are_valid_e164_of_their_country():
    rng = random.Random(3)
    for _ in range(200):
        for country, prefix in (("FR", "+336"), ("GB", "+447")):
            number = fakes.mobile(rng, country)
            parsed = phonenumbers.parse(number)
            assert number.startswith(prefix) and phonenumbers.is_valid_number(parsed)
    assert fakes.landline(rng, "FR", "69003", "Lyon").startswith("+334")
    assert fakes.landline(rng, "GB", "M1 2AB", "Manchester").startswith("+44161")


@pytest.mark.django_db
def test_the_demo_replays_the_engine_so_the_agenda_has_history_and_work():
    from relance.agenda.models import Action

    output = demo(engine_days=10)
    statuses = set(Action.objects.values_list("status", flat=True))
    sent_days = set(Action.objects.filter(status="sent").values_list("finished_on", flat=True))

    assert "Engine replayed over the last 10 days" in output
    assert all(entity.default_scenario for entity in Entity.objects.all())
    assert {"sent", "planned"} <= statuses
    assert len(sent_days) > 1
    assert max(sent_days) <= TODAY


@pytest.mark.django_db
def test_the_demo_team_works_the_agenda_between_runs():
    from relance.activity.models import CustomerEvent
    from relance.agenda.models import Action

    demo(engine_days=20)
    done = Action.objects.filter(status="done")
    events = CustomerEvent.objects.all()

    # Calls made on past days, with outcomes and their events on the same days.
    assert done.filter(channel="call").exists()
    assert max(done.values_list("finished_on", flat=True)) < TODAY
    assert {"action_confirmed", "call_outcome"} <= set(events.values_list("kind", flat=True))
    assert {e.day for e in events.filter(kind="call_outcome")} == {
        a.finished_on for a in done.filter(channel="call")
    }
    # Work left for today: manual actions open, confirmed SMS sent through the console.
    assert Action.objects.filter(mode="manual", finished_on__isnull=True).exists()
    assert Action.objects.filter(channel="sms", status="sent").exists()


@pytest.mark.django_db
def test_demo_customers_answered_through_their_page():
    from relance.agenda.models import CustomerResponse
    from relance.portal.models import PortalLink

    output = demo(engine_days=20)
    responses = CustomerResponse.objects.filter(channel="portal")

    assert "answered through their page" in output
    assert set(responses.values_list("kind", flat=True)) == {
        "dispute",
        "promise",
        "payment_announced",
        "comment",
        "callback",
        "contact_change",
        "payment",
    }
    assert responses.filter(entity__slug="acme-uk").count() >= 6  # as many as have been reached
    disputed = responses.get(entity__slug="acme-fr", kind="dispute").items.get()
    assert disputed.disputed and disputed.dispute_date
    promised = responses.get(entity__slug="acme-uk", kind="promise").items.all()
    assert promised and all(item.promise_date for item in promised)
    assert PortalLink.objects.filter(open_count=1, action__status="sent").count() == len(responses)
    paid = responses.get(kind="payment").items.get()
    assert paid.payment_pending_since is not None
    assert not responses.filter(handled_at__isnull=False).exists()  # unread for the team


@pytest.mark.django_db
def test_demo_customers_answered_by_email_and_the_assistant_read_them():
    from relance.agenda.models import CustomerResponse
    from relance.inbound.models import InboundEmail

    output = demo(engine_days=20)
    emails = InboundEmail.objects.all()
    replies = CustomerResponse.objects.filter(channel="email").select_related("proposal")

    assert "emails received and read by the assistant" in output
    # Every reply traced to the message it answers; one stranger per entity unassigned.
    assert emails.filter(status="unassigned").count() == 2
    assert not emails.filter(status="assigned", matched_by="").exists()
    # One reply per intent, each with the assistant's proposal, read right: every intent in
    # French; in English as many as customers were emailed (few in this small demo).
    intents = {
        "promise",
        "dispute",
        "payment_made",
        "copy_request",
        "contact_change",
        "out_of_office",
        "callback",
        "other",
    }
    french = [r.proposal.intent for r in replies.filter(entity__slug="acme-fr")]
    english = [r.proposal.intent for r in replies.filter(entity__slug="acme-uk")]
    assert sorted(french) == sorted(intents)
    assert len(english) >= 5 and len(set(english)) == len(english) and set(english) <= intents
    promise = replies.get(entity__slug="acme-fr", proposal__intent="promise").proposal
    assert promise.items.count() == 2 and promise.promised_on is not None
    # The out-of-office came back as an automatic reply: handled at once, no pause.
    assert not replies.filter(kind="auto_reply", handled_at__isnull=True).exists()
    # The remittance advice is kept with its reply.
    assert emails.filter(attachments__content_type="application/pdf").count() == 2
    # The bounce marked the address invalid.
    bounce = emails.get(entity__slug="acme-fr", kind="bounce")
    assert Contact.objects.filter(
        customer_id=bounce.customer_id, email_invalid_at__isnull=False
    ).exists()


@pytest.mark.django_db
def test_the_demo_has_credit_cover_and_personal_alerts_with_customers():
    from relance.alerts.models import AlertHit, AlertRule

    output = demo(customers=200)
    assert "7 personal alerts evaluated" in output
    insured = Customer.objects.exclude(insurer="")
    assert insured.count() >= 20
    assert not insured.filter(insured_amount__isnull=True).exists()
    assert insured.filter(insurance_expires_on__lt=TODAY).exists()  # some lapsed
    assert Customer.objects.exclude(guarantee_kind="").filter(guarantee_amount__gt=0).exists()
    assert set(AlertRule.objects.values_list("owner__username", flat=True)) == {
        "alice",
        "bob",
        "carol",
    }
    assert AlertRule.objects.filter(last_evaluated_on=TODAY).count() == 7
    with_hits = {hit.rule.name for hit in AlertHit.objects.select_related("rule")}
    assert "Limite de crédit dépassée" in with_hits
    assert "Insurance lapsed" in with_hits
    assert User.objects.get(username="alice").alert_customer_count > 0
    # Built again: the same rules, not twice as many.
    demo(customers=200, replace=True)
    assert AlertRule.objects.count() == 7


def test_the_demo_team_posts_registered_letters_with_a_tracking_number(acme, bob, monkeypatch):
    from relance.agenda.models import Action
    from relance.agenda.tests.test_views import make_action
    from relance.demo import collections
    from relance.scenarios.tests.factories import ScenarioFactory

    monkeypatch.setattr(collections, "DONE_SHARE", 1.0)
    scenario = ScenarioFactory(
        name="Letters", steps=[{"name": "notice", "channel": "call", "mode": "manual"}]
    )
    registered = make_action(acme, scenario, channel="registered_letter", name="Dupont SA")
    plain = make_action(acme, scenario, channel="letter", name="Martin SARL")
    collections.team_works(acme, acme.today(), random.Random(1))
    registered.refresh_from_db()
    plain.refresh_from_db()
    assert registered.status == plain.status == "done"
    assert registered.tracking_number.startswith("1A") and len(registered.tracking_number) == 13
    assert registered.carrier == "laposte" and plain.tracking_number == ""
    assert Action.objects.filter(tracking_number__startswith="1A").count() == 1


@pytest.mark.django_db
def test_the_demo_collects_after_every_step_that_ran():
    """Customers pay some reminded invoices a few days later (settled_on set), so that the
    chart "collected after each step" has an amount for every step that ran."""
    from relance.accounts.models import User
    from relance.analytics import selectors
    from relance.customers.selectors import visible_entity_todays

    output = demo(engine_days=30)
    alice = User.objects.get(username="alice")
    rows = selectors.collected_per_step(
        selectors.chart_actions(alice), visible_entity_todays(alice)
    )

    assert "reminded invoices paid a few days later" in output
    assert len({(row["scenario_id"], row["step_position"]) for row in rows}) >= 3
    assert [row for row in rows if not row["collected"]] == []
    settled = Item.objects.filter(actions__isnull=False, settled_on__isnull=False).distinct()
    assert settled.exists()
    assert not settled.filter(open_amount__gt=0).exists()
    assert not settled.filter(settled_on__gt=TODAY).exists()


@pytest.mark.django_db
def test_the_demo_has_a_year_of_snapshots_and_dated_payments():
    """Every day of the past year has its snapshots, rebuilt from the history: partial
    payments and the engine replay's payments are dated changes of the open amount, and
    today's snapshot is what the items owe now."""
    from django.db.models import Sum

    from relance.insights.models import CustomerSnapshot, SnapshotDay
    from relance.insights.selectors import monthly_figures
    from relance.ledger.models import ItemAmountChange

    output = demo(engine_days=10)
    acme = Entity.objects.get(slug="acme-fr")
    assert "customer snapshots over the last 365 days" in output
    assert SnapshotDay.objects.filter(entity=acme).count() == 365
    assert SnapshotDay.objects.filter(entity=acme).earliest("day").day == date(2025, 11, 24)
    partial = Item.objects.filter(open_amount__gt=0, open_amount__lt=F("amount"))
    assert partial.exists()
    assert not partial.exclude(
        Exists(ItemAmountChange.objects.filter(item=OuterRef("pk"), day__lte=TODAY))
    ).exists()
    replayed = Item.objects.filter(settled_on__gte=date(2026, 11, 14), actions__isnull=False)
    assert replayed.filter(amount_changes__open_amount_after=0).exists()
    today = CustomerSnapshot.objects.on(TODAY).filter(entity=acme, currency="EUR")
    open_now = Item.objects.filter(entity=acme, kind="invoice", currency="EUR", open_amount__gt=0)
    assert (
        today.aggregate(t=Sum("open_amount"))["t"] == open_now.aggregate(t=Sum("open_amount"))["t"]
    )
    months = monthly_figures(acme, date(2026, 1, 1), TODAY)
    assert len(months) == 11
    assert all(m.dso_simple and m.dso_countback and m.cei is not None for m in months)
