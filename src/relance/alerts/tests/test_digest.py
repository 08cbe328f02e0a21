"""The daily digest: each owner gets one email, through a real SMTP server, listing the
customers of their alerts with the figures that matched, in their language, once a day."""

import pytest

from relance.alerts.models import AlertRule
from relance.alerts.services import alert_rule_create, alerts_digest_send
from relance.alerts.tasks import alerts_evaluate_daily
from relance.alerts.tests.conftest import rules
from relance.delivery.tests.conftest import smtp  # noqa: F401  (the real SMTP server)

pytestmark = pytest.mark.django_db


def test_the_daily_task_evaluates_then_mails_each_owner_once(smtp, alice, bob, customers):  # noqa: F811
    bob.language = "fr"
    bob.save()
    alert_rule_create(owner=alice, name="Late", criteria=rules(("days_overdue", "gt", "30")))
    alert_rule_create(
        owner=bob, name="Promesses", criteria=rules(("item_status", "eq", "promise_broken"))
    )
    alert_rule_create(owner=bob, name="Nobody", criteria=rules(("overdue_amount", "gt", "1e9")))
    quiet = alert_rule_create(
        owner=alice, name="Quiet", criteria=rules(("overdue_amount", "gt", "0"))
    )
    quiet.send_digest = False
    quiet.save()

    assert alerts_evaluate_daily() == {"rules": 4, "digests": 2}

    by_rcpt = {message["To"]: message for message in smtp.messages}
    assert set(by_rcpt) == {"alice@example.com", "bob@example.com"}
    to_alice = by_rcpt["alice@example.com"]
    assert to_alice["Subject"] == "Your alerts: 2 customers to look at"
    text = to_alice.get_body(("plain",)).get_content()
    assert "Late (2)" in text
    assert "Big" in text and "Days overdue: 50 days" in text
    assert "Abroad" in text and "Days overdue: 60 days" in text
    assert "Quiet" not in text  # its daily email is off
    assert "http://testserver" not in text and "/customers/" in text
    html = to_alice.get_body(("html",)).get_content()
    assert "<strong>50 days</strong>" in html

    to_bob = by_rcpt["bob@example.com"]
    body = to_bob.get_body(("plain",)).get_content()
    assert "Promesses (1)" in body and "Small" in body
    assert "Nobody" not in body  # a rule that matched no one is left out

    # Later the same day: nothing is sent twice.
    assert alerts_digest_send() == 0
    assert len(smtp.messages) == 2
    assert set(AlertRule.objects.values_list("digest_sent_on", flat=True)) == {
        AlertRule.objects.get(name="Late").last_evaluated_on,
        None,
    }


def test_the_digest_command(smtp, alice, customers, capsys):  # noqa: F811
    from django.core.management import call_command

    alert_rule_create(owner=alice, name="Late", criteria=rules(("days_overdue", "gt", "30")))
    call_command("alerts", "evaluate")
    call_command("alerts", "digest")
    call_command("alerts", "digest")
    out = capsys.readouterr().out
    assert "1 digest emails sent" in out and "0 digest emails sent" in out
    assert [message["To"] for message in smtp.messages] == ["alice@example.com"]
