"""A collector confirms an automatic email in Chromium, within the sending hours: the page
says when it leaves, and the send tick of the server (the in-process scheduler, as `make
demo` runs it without a broker) sends it to the SMTP server without anyone running
anything."""

import datetime
import re
import threading
import time

import pytest
from playwright.sync_api import expect

from relance.agenda.models import Action
from relance.delivery.tests.conftest import smtp  # noqa: F401 (the real SMTP server)
from relance.engine import sendtick
from relance.engine.tests.conftest import EVERY_DAY, make_customer, make_invoice
from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


def _to_confirm(entity) -> Action:
    template = MessageTemplateFactory(
        name="First reminder",
        channel="email",
        variants={"fr": ("Relance #customer_name", "<p>Bonjour, vous devez #total_due.</p>")},
    )
    steps = [{"name": "first", "channel": "email", "mode": "auto_confirm", "template": template}]
    scenario = ScenarioFactory(name="Confirmed emails", steps=steps)
    entity.default_scenario = scenario
    entity.save()
    customer = make_customer(entity, name="Dupont SA", email="compta@dupont.example")
    today = entity.today()
    return Action.objects.create(
        entity=entity,
        customer=customer,
        scenario=scenario,
        step=scenario.steps.get(),
        step_position=1,
        step_name="first",
        channel="email",
        mode="auto_confirm",
        reference=make_invoice(customer, "F1", today - 3 * DAY),
        status="to_confirm",
        created_on=today,
        due_date=today,
    )


def test_a_confirmed_email_is_sent_by_the_tick(
    live_server,
    page,
    acme,
    bob,
    log_in,
    smtp,  # noqa: F811
    settings,
    monkeypatch,
):
    # Sending hours around the clock, every day: whenever the test runs, it is inside them.
    acme.working_days, acme.holidays_country = EVERY_DAY, ""
    acme.sending_start, acme.sending_end = datetime.time(0, 0), datetime.time(23, 59, 59)
    acme.email = "recouvrement@acme.example"
    acme.save()
    action = _to_confirm(acme)
    settings.CELERY_BROKER_URL, settings.SEND_TICK_IN_PROCESS = "", True
    monkeypatch.setattr(sendtick, "_started", [])
    stop = threading.Event()
    ticker = sendtick.start_in_process(minutes=0.05, stop=stop)  # a tick every 3 s
    try:
        log_in("bob")
        page.goto(f"{live_server.url}/agenda/actions/{action.pk}/")
        expect(page.locator(".departure")).to_contain_text(
            re.compile(r"Once confirmed, it leaves today (around|at) \d\d:\d\d\.")
        )
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("alert")).to_contain_text(
            re.compile(r"Action confirmed: it leaves today (around|at) \d\d:\d\d\.")
        )
        for _ in range(150):  # nobody runs anything: the server's tick sends it
            if smtp.messages:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        ticker.join(10)

    [message] = smtp.messages
    assert message["To"] == "compta@dupont.example"
    assert message["Subject"] == "Relance Dupont SA"
    assert message["Message-ID"] == f"<relance.action-{action.pk}-1@acme.example>"
    page.reload()
    expect(page.locator(".action-status")).to_have_text("Sent")
    expect(page.locator(".sent-message")).to_contain_text("Relance Dupont SA")
