"""Alert rules: each kind matches the right customers, scoped to the owner, stored as hits."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from relance.alerts.models import AlertHit
from relance.alerts.services import alert_rule_create, alert_rule_evaluate, alerts_evaluate
from relance.engine.tests.conftest import make_customer, make_invoice

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def matched(rule) -> set[str]:
    alert_rule_evaluate(rule=rule)
    return set(
        AlertHit.objects.filter(rule=rule, evaluated_on=rule.last_evaluated_on).values_list(
            "customer__name", flat=True
        )
    )


@pytest.fixture
def customers(acme, globex):
    today = acme.today()
    big = make_customer(acme, name="Big", credit_limit=Decimal("500"))
    make_invoice(big, "B-1", today - 50 * DAY, amount=Decimal("1000"))
    small = make_customer(acme, name="Small", credit_limit=Decimal("5000"))
    make_invoice(small, "S-1", today - 5 * DAY, amount=Decimal("100"))
    make_invoice(small, "S-2", today + 10 * DAY, amount=Decimal("200"), promise_date=today - DAY)
    kept = make_customer(acme, name="Kept")
    make_invoice(kept, "K-1", today + 10 * DAY, amount=Decimal("300"), promise_date=today + DAY)
    paid = make_customer(acme, name="Paid")
    make_invoice(
        paid,
        "P-1",
        today - 40 * DAY,
        amount=Decimal("300"),
        open_amount=Decimal("0"),
        promise_date=today - 3 * DAY,
    )
    abroad = make_customer(globex, name="Abroad", credit_limit=Decimal("10"), currency="GBP")
    make_invoice(
        abroad,
        "A-1",
        today - 60 * DAY,
        amount=Decimal("2000"),
        currency="GBP",
        promise_date=today - 2 * DAY,
    )


def test_overdue_above(alice, customers):
    rule = alert_rule_create(owner=alice, name="Big debts", kind="overdue_above", amount=500)
    assert matched(rule) == {"Big", "Abroad"}


def test_over_the_credit_limit(alice, customers):
    rule = alert_rule_create(owner=alice, name="Limit", kind="over_credit_limit")
    assert matched(rule) == {"Big", "Abroad"}


def test_invoice_more_than_n_days_late(alice, customers):
    rule = alert_rule_create(owner=alice, name="Late", kind="invoice_late", days=30)
    assert matched(rule) == {"Big", "Abroad"}
    rule.days = 3
    rule.save()
    assert matched(rule) == {"Big", "Small", "Abroad"}


def test_broken_promise(alice, customers):
    rule = alert_rule_create(owner=alice, name="Promises", kind="broken_promise")
    assert matched(rule) == {"Small", "Abroad"}


def test_scoped_to_the_customers_the_owner_sees(bob, customers):
    rule = alert_rule_create(owner=bob, name="Promises", kind="broken_promise")
    assert matched(rule) == {"Small"}


def test_a_parameter_is_required(alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        alert_rule_create(owner=alice, name="No amount", kind="overdue_above")


def test_evaluate_all_is_one_query_per_rule_and_idempotent(
    alice, bob, customers, django_assert_max_num_queries
):
    alert_rule_create(owner=alice, name="Limit", kind="over_credit_limit")
    alert_rule_create(owner=bob, name="Promises", kind="broken_promise")
    alerts_evaluate()
    with django_assert_max_num_queries(2 + 2 * 8):
        results = alerts_evaluate()
    assert sorted(results.values()) == [1, 2]
    assert AlertHit.objects.count() == 3  # the rerun replaced the day's hits

    # In 2030 Kept's promise is broken too.
    alerts_evaluate(day=datetime.date(2030, 1, 1))
    assert AlertHit.objects.filter(evaluated_on=datetime.date(2030, 1, 1)).count() == 4


def test_command(alice, customers, capsys):
    alert_rule_create(owner=alice, name="Limit", kind="over_credit_limit")
    call_command("alerts", "evaluate")
    assert "1 rules evaluated, 2 customers matched" in capsys.readouterr().out


def test_my_alerts_page_counts_and_links(client, alice, bob, customers):
    mine = alert_rule_create(owner=bob, name="Promises", kind="broken_promise")
    theirs = alert_rule_create(owner=alice, name="Secret", kind="broken_promise")
    alerts_evaluate()
    client.force_login(bob)
    html = client.get(reverse("alerts:list")).content.decode()
    assert f'data-rule="{mine.pk}" data-count="1"' in html
    assert "Secret" not in html
    detail = client.get(reverse("alerts:detail", args=[mine.pk])).content.decode()
    small = mine.hits.get().customer
    assert small.get_absolute_url() in detail
    assert client.get(reverse("alerts:detail", args=[theirs.pk])).status_code == 404


def test_create_from_the_page(client, bob, customers):
    client.force_login(bob)
    response = client.post(
        reverse("alerts:list"), {"name": "Over 50", "kind": "overdue_above", "amount": "50"}
    )
    assert response.status_code == 302
    rule = bob.alert_rules.get()
    assert rule.hits.count() == 2  # evaluated at once: Big and Small


def test_a_read_only_user_keeps_personal_alerts(client, acme):
    """Decided (docs/accounts.md): an alert only lists customers its owner may see and
    changes nothing, so a read-only user may have alerts like anyone else."""
    from relance.accounts.tests.factories import UserFactory
    from relance.alerts.models import AlertRule

    dave = UserFactory(username="dave", role="read_only", all_entities=True)
    client.force_login(dave)
    data = {"name": "Big", "kind": "overdue_above", "amount": "1000"}
    assert client.post(reverse("alerts:list"), data).status_code == 302
    assert AlertRule.objects.get(owner=dave).name == "Big"
