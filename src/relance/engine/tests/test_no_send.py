"""`relance run --no-send`: a real run (created, cancelled, due dates moved, skipped) that
executes nothing; the due automatic actions wait for the next run that sends."""

import pytest
from django.core import mail
from django.core.management import call_command

from relance.agenda.models import Action
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db


def test_no_send_plans_for_real_and_sends_nothing(scenario_s, acme_daily):
    make_invoice(make_customer(acme_daily), "C1", d(1, 31))
    summary = run_day(entity=acme_daily, day=d(3, 1), send=False)
    assert (summary.skipped, summary.created, summary.sent, summary.unsent) == (1, 1, 0, 1)
    assert list(Action.objects.order_by("id").values_list("step_name", "status")) == [
        ("courtesy", "skipped"),
        ("first", "planned"),
    ]
    assert mail.outbox == []
    again = run_day(entity=acme_daily, day=d(3, 1), send=False)
    assert (again.created, again.skipped, again.updated, again.unsent) == (0, 0, 0, 1)
    # The next run that sends catches up: as example C, one day late.
    run_day(entity=acme_daily, day=d(3, 1))
    assert list(Action.objects.order_by("id").values_list("step_name", "status")) == [
        ("courtesy", "skipped"),
        ("first", "sent"),
        ("second", "planned"),
    ]
    assert len(mail.outbox) == 1


def test_the_command_says_what_was_left_unsent(scenario_s, acme_daily, capsys):
    make_invoice(make_customer(acme_daily), "C1", d(1, 31))
    call_command("run", "--date", "2026-03-01", "--no-send")
    out = capsys.readouterr().out
    assert "sent: 0" in out
    assert "due automatic actions not sent (--no-send): 1" in out
    assert mail.outbox == []
