"""Issue M2.3's "Done when", in Chromium at a phone's width (390 px): the engine's email
reaches a real SMTP server with the customer's page link of the default template's button;
on that page the customer disputes one invoice, promises a date for another, announces a
payment (with a PDF proof) for a third and pays a fourth by card through the (fake) Stripe;
the collector finds the four answers under Collections → Responses with the counter at 4,
and the next day's run sends those four invoices no reminder. axe-core finds no serious or
critical violation on the page, on arrival and after the answers."""

import copy
import datetime
import json
import re
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from relance.delivery.tests.conftest import smtp  # noqa: F401 (the real SMTP server)

# The engine's fixtures: Acme working every day, the email template, scenario S.
from relance.engine.tests.conftest import acme_daily, email_template, scenario_s  # noqa: F401
from relance.payments.tests.fake_stripe import FakeStripe, sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEBHOOK_SECRET = "whsec_test_relance"
CHECKOUT_ORIGIN = "https://checkout.stripe.test"  # where the fake's sessions send the payer
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# A real one-page PDF (what a bank's transfer confirmation looks like to the upload check).
PROOF_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The page's rate limits count in the cache: start with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_relance"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    # As settings.py does for https://checkout.stripe.com when a key is set: the "Pay by
    # card" form's redirect to the checkout is held to the CSP's form-action.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(CHECKOUT_ORIGIN)
    settings.CONTENT_SECURITY_POLICY = policy
    yield fake
    fake.stop()


@pytest.fixture
def dupont(acme_daily, scenario_s, bob):  # noqa: F811 (the imported fixtures)
    """Dupont SA, bob's customer, with four overdue invoices to answer (the fourth in
    dollars, so that the card pays it alone) and a fifth that stays due; scenario S sends
    the default "First reminder" template."""
    from relance.engine.tests.conftest import make_customer, make_invoice
    from relance.templating.defaults import default_templates
    from relance.templating.models import MessageTemplate

    default_templates()
    first = MessageTemplate.objects.get(default_key="first-reminder")
    scenario_s.steps.filter(channel="email").update(template=first)
    acme_daily.iban, acme_daily.bic = "FR7630006000011234567890189", "AGRIFRPP"
    acme_daily.save()
    customer = make_customer(
        acme_daily, email="compta@dupont.example", name="Dupont SA", language="fr", collector=bob
    )
    today = acme_daily.today()
    due = {"F-001": 10, "F-002": 8, "F-003": 6, "US-004": 6, "F-005": 1}
    for number, days in due.items():
        make_invoice(
            customer,
            number,
            today - datetime.timedelta(days=days),
            amount=Decimal("1000.00"),
            currency="USD" if number.startswith("US") else "EUR",
        )
    return customer


def _check(form, number):
    form.get_by_label(number, exact=True).check()


def _answer(page, kind, title, fill):
    page.get_by_text(title, exact=True).click()
    form = page.locator(f"form[action*='/answer/{kind}/']")
    fill(form)
    form.get_by_role("button", name="Send").click()
    page.wait_for_load_state("load")
    expect(page.locator("#done")).to_be_visible()


def _axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (loaded by add_init_script
    before the page's own scripts: the page's CSP refuses an inline one)."""
    result = page.evaluate("async () => await axe.run()")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [[n["target"], n.get("failureSummary")] for n in v["nodes"]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _post_webhook(live_server, session):
    payload = json.dumps(
        {
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": session["id"],
                    "payment_status": "paid",
                    "amount_total": session["amount_total"],
                    "currency": session["currency"],
                }
            },
        }
    )
    request = urllib.request.Request(
        live_server.url + "/payments/stripe/webhook/",
        data=payload.encode(),
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": sign(payload, WEBHOOK_SECRET),
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def test_a_customer_answers_from_the_emailed_link_and_the_engine_stops(
    live_server,
    page,
    settings,
    smtp,  # noqa: F811
    fake_stripe,
    dupont,
    log_in,
    tmp_path,
):
    from relance.agenda.choices import OPEN_STATUSES
    from relance.agenda.models import Action, CustomerResponse
    from relance.engine.runner import run_day
    from relance.ledger.models import Item

    settings.SITE_URL = live_server.url
    entity = dupont.entity
    today = entity.today()

    # The engine sends the first reminder; the test reads the link off the real SMTP.
    run_day(entity=entity, day=today)
    [message] = smtp.messages
    assert message["To"] == "compta@dupont.example"
    assert message["Subject"].strip() == "Relance : facture(s) échue(s) – Dupont SA"  # the default
    html = message.get_body("html").get_content()
    [button] = [tag for tag in re.findall(r"<a\b[^>]*>", html) if "interactive-button" in tag]
    href = re.search(r'href="([^"]+)"', button).group(1)
    assert href.startswith(live_server.url)
    sent = Action.objects.get(customer=dupont, status="sent")
    assert sent.reference.number == "F-001"

    # The customer's page on a phone: the statement of open items, nothing wider than it.
    page.set_viewport_size({"width": 390, "height": 844})
    # axe-core as an init script: the page's Content-Security-Policy (script-src 'self')
    # refuses the inline <script> that page.add_script_tag would add, and rightly so.
    page.add_init_script(path=str(AXE))
    page.goto(href)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("a[hreflang=en]").click()
    expect(page.get_by_role("heading", name="Your open items")).to_be_visible()
    for number in ("F-001", "F-002", "F-003", "US-004", "F-005"):
        expect(page.get_by_role("cell", name=number)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)

    # Dispute F-001, promise F-002, announce the payment of F-003 with its proof.
    _answer(
        page,
        "dispute",
        "I dispute an invoice",
        lambda form: (
            _check(form, "F-001"),
            form.get_by_label("Reason").select_option("quality"),
            form.get_by_label("Explain").fill("Damaged on delivery"),
        ),
    )
    promised = today + datetime.timedelta(days=5)
    _answer(
        page,
        "promise",
        "I will pay on a date",
        lambda form: (
            _check(form, "F-002"),
            form.get_by_label("I will pay on").fill(promised.isoformat()),
        ),
    )
    proof = tmp_path / "transfer.pdf"
    proof.write_bytes(PROOF_PDF)
    _answer(
        page,
        "paid",
        "I have paid",
        lambda form: (
            _check(form, "F-003"),
            form.get_by_label("Paid on").fill(today.isoformat()),
            form.get_by_label("Amount").fill("1000.00"),
            form.get_by_label("Payment reference").fill("VIR-2026-77"),
            form.get_by_label(re.compile("Proof of payment")).set_input_files(str(proof)),
        ),
    )
    expect(page.get_by_role("cell", name=re.compile(r"F-001.*disputed"))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"F-002.*promised for"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = _axe_violations(page)  # with its "done" note
    assert violations == [], json.dumps(violations, indent=2)

    # Pay US-004 by card: the page opens a session at the fake Stripe and goes there
    # (not a real page: the browser is answered locally); Stripe then calls the webhook.
    page.route(
        CHECKOUT_ORIGIN + "/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Stripe</p>"),
    )
    page.get_by_role("button", name="Pay by card (USD)").click()
    page.wait_for_url(re.compile(r"^https://checkout\.stripe\.test/"))
    [session] = fake_stripe.sessions.values()
    assert session["amount_total"] == 100000 and session["currency"] == "usd"
    assert _post_webhook(live_server, session) == 200
    page.goto(session["success_url"])
    # The confirmed payment settled US-004: no longer owed, no longer listed.
    expect(page.get_by_role("cell", name=re.compile(r"US-004"))).to_have_count(0)

    items = {item.number: item for item in Item.objects.filter(customer=dupont)}
    assert items["F-001"].disputed
    assert items["F-002"].promise_date == promised
    assert items["F-003"].payment_announced_on == today
    assert items["US-004"].payment_pending_since is not None
    assert (items["US-004"].open_amount, items["US-004"].settled_on) == (0, today)
    assert not items["F-005"].disputed and items["F-005"].promise_date is None
    announced = CustomerResponse.objects.get(kind="payment_announced")
    assert announced.attachment.read() == PROOF_PDF

    # bob, the collector, finds the four answers under Collections → Responses.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()
    log_in("bob")
    page.get_by_role("link", name="Collections", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.locator(".menu-unhandled")).to_have_text("4")
    page.locator(".agenda-tabs").get_by_role("link", name=re.compile("Responses")).click()
    page.wait_for_load_state("load")
    expect(page.locator(".counter-unhandled")).to_have_text("4")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    for kind in ("Dispute", "Promise to pay", "Payment announced", "Online payment"):
        expect(rows.filter(has_text=kind)).to_have_count(1)

    # The next day's run (as `relance run` does it): the answered invoices leave the dunning
    # (disputed; promised and announced, within the grace days; paid online, pending), so
    # the reminder planned for F-001 is cancelled and the next cycle is about F-005 alone.
    answered = [items[n] for n in ("F-001", "F-002", "F-003", "US-004")]
    [planned] = Action.objects.filter(customer=dupont, status__in=OPEN_STATUSES)
    assert (planned.step_name, planned.reference.number) == ("second", "F-001")
    run_day(entity=entity, day=today + datetime.timedelta(days=1))
    planned.refresh_from_db()
    assert (planned.status, planned.reason) == ("cancelled", "reference changed")
    still_open = Action.objects.filter(customer=dupont, status__in=OPEN_STATUSES)
    assert not still_open.filter(reference__in=answered).exists()
    assert [(a.step_name, a.reference.number) for a in still_open] == [("first", "F-005")]
    assert len(smtp.messages) == 1  # nothing more was sent


def test_the_customer_page_passes_axe(live_server, page, settings, dupont):
    from relance.portal.services import portal_link_issue

    settings.SITE_URL = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.add_init_script(path=str(AXE))
    page.goto(portal_link_issue(customer=dupont))
    expect(page.get_by_role("cell", name="F-001")).to_be_visible()
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
