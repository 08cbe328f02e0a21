"""My alerts pages: the list, the rule builder (create, edit), a rule's customers with their
figures, deletion, and the menu's badge."""

import pytest
from django.urls import reverse

from relance.alerts.models import AlertRule
from relance.alerts.services import alert_rule_create, alerts_evaluate
from relance.alerts.tests.conftest import DAY, rules

pytestmark = pytest.mark.django_db


def builder_post(name: str, *leaves, **extra) -> dict:
    """What the rule builder posts: one group g0 of rules."""
    return {
        "name": name,
        "is_active": "on",
        "send_digest": "on",
        "group": ["0"],
        "g0-op": "and",
        "g0-field": [f for f, _lookup, _value in leaves],
        "g0-lookup": [lookup for _f, lookup, _value in leaves],
        "g0-value": [value for _f, _lookup, value in leaves],
        **extra,
    }


def test_create_from_the_builder_evaluates_at_once(client, bob, customers):
    client.force_login(bob)
    response = client.post(
        reverse("alerts:create"), builder_post("Over 50", ("overdue_amount", "gt", "50"))
    )
    rule = bob.alert_rules.get()
    assert response.status_code == 302
    assert response["Location"] == rule.get_absolute_url()
    assert rule.criteria == rules(("overdue_amount", "gt", "50"))
    assert set(rule.hits.values_list("customer__name", flat=True)) == {"Big", "Small"}


def test_a_bad_rule_is_shown_on_the_form_and_nothing_is_saved(client, bob):
    client.force_login(bob)
    response = client.post(
        reverse("alerts:create"), builder_post("Bad", ("overdue_amount", "gt", "lots"))
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Overdue amount: &#x27;lots&#x27; is not an amount." in html  # field, bad value
    assert 'value="lots"' in html  # the builder keeps what was typed
    assert not AlertRule.objects.exists()


def test_detail_lists_customers_with_the_figure_that_matched(client, bob, customers):
    rule = alert_rule_create(owner=bob, name="Late", criteria=rules(("days_overdue", "gt", "30")))
    alerts_evaluate()
    client.force_login(bob)
    html = client.get(reverse("alerts:detail", args=[rule.pk])).content.decode()
    assert "Big" in html and "Small" not in html
    assert "Days overdue:</span> <strong>50 days</strong>" in html
    assert "Days overdue greater than 30" in html


def test_edit_and_delete_only_ones_own(client, alice, bob, customers):
    mine = alert_rule_create(owner=bob, name="Mine", criteria=rules(("overdue_amount", "gt", "50")))
    theirs = alert_rule_create(
        owner=alice, name="Secret", criteria=rules(("overdue_amount", "gt", "50"))
    )
    client.force_login(bob)
    page = client.get(reverse("alerts:edit", args=[mine.pk])).content.decode()
    assert 'name="g0-value" value="50"' in page
    response = client.post(
        reverse("alerts:edit", args=[mine.pk]),
        builder_post("Mine", ("overdue_amount", "gt", "500")),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.criteria["rules"][0]["value"] == "500"
    # Evaluated again at once: Small's 100 no longer matches.
    assert list(mine.hits.values_list("customer__name", flat=True)) == ["Big"]
    for name in ("edit", "detail", "delete"):
        method = client.post if name == "delete" else client.get
        assert method(reverse(f"alerts:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("alerts:delete", args=[mine.pk])).status_code == 302
    assert list(AlertRule.objects.values_list("name", flat=True)) == ["Secret"]


def test_list_and_menu_badge_count_customers_once(client, bob, customers):
    alert_rule_create(owner=bob, name="Late", criteria=rules(("overdue_amount", "gt", "50")))
    alert_rule_create(
        owner=bob, name="Promises", criteria=rules(("item_status", "eq", "promise_broken"))
    )
    alerts_evaluate()
    client.force_login(bob)
    html = client.get(reverse("customers:list")).content.decode()
    # Big and Small, Small again: two customers.
    assert 'menu-alerts" title="Customers in my alerts">2</span>' in html
    page = client.get(reverse("alerts:list")).content.decode()
    assert page.count('class="alert-rule') == 2


def test_no_badge_without_alerts(client, bob):
    client.force_login(bob)
    assert "menu-alerts" not in client.get(reverse("alerts:list")).content.decode()


def test_a_read_only_user_keeps_personal_alerts(client, acme):
    """Decided (docs/accounts.md): an alert only lists customers its owner may see and
    changes nothing, so a read-only user may have alerts like anyone else."""
    from relance.accounts.tests.factories import UserFactory

    dave = UserFactory(username="dave", role="read_only", all_entities=True)
    client.force_login(dave)
    data = builder_post("Big", ("overdue_amount", "gt", "1000"))
    assert client.post(reverse("alerts:create"), data).status_code == 302
    assert AlertRule.objects.get(owner=dave).name == "Big"


def test_rules_read_in_words_with_choice_labels(client, bob, customers):
    alert_rule_create(
        owner=bob,
        name="Promises",
        criteria=rules(("item_status", "eq", "promise_broken"), ("guarantee_kind", "is_empty", "")),
    )
    client.force_login(bob)
    html = client.get(reverse("alerts:list")).content.decode()
    assert "Status of an open invoice is Promise broken · Guarantee is empty" in html


def test_the_alert_page_queries_do_not_grow_with_customers(
    client, bob, acme, django_assert_max_num_queries
):
    from decimal import Decimal

    from relance.engine.tests.conftest import make_customer, make_invoice

    today = acme.today()
    for index in range(30):
        customer = make_customer(acme, name=f"Late {index}")
        make_invoice(customer, f"L-{index}", today - 40 * DAY, amount=Decimal("100"))
    rule = alert_rule_create(
        owner=bob,
        name="Late",
        criteria=rules(("days_overdue", "gt", "30"), ("total_open", "gt", "1")),
    )
    from relance.alerts.services import alert_rule_evaluate

    assert alert_rule_evaluate(rule=rule) == 30
    client.force_login(bob)
    # Session and user, the rule, the custom fields, the hits with their customers, the
    # menu's count of responses to handle.
    with django_assert_max_num_queries(6):
        html = client.get(reverse("alerts:detail", args=[rule.pk])).content.decode()
    assert html.count('class="alert-hit"') == 30
