"""The customer page as a workbench: every operation through its view (htmx and plain
POST), bad input, other customers' and entities' objects, read-only users, and the next
engine run acting on what was changed."""

import datetime
import re
from collections import Counter

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from relance.accounts.tests.factories import UserFactory
from relance.activity.models import CustomerEvent
from relance.agenda.models import Action, CustomerResponse
from relance.customers.tests.factories import CustomerFactory
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.tests.factories import ScenarioFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "workbench"}


@pytest.fixture
def call_scenario(acme_daily):
    scenario = ScenarioFactory(
        name="Calls", steps=[{"name": "call", "channel": "call", "mode": "manual"}]
    )
    acme_daily.default_scenario = scenario
    acme_daily.save()
    return scenario


@pytest.fixture
def dupont(acme_daily, call_scenario):
    customer = make_customer(acme_daily, name="Dupont SA")
    make_invoice(customer, "F-DUP-1", acme_daily.today() - 20 * DAY)
    return customer


@pytest.fixture
def action(acme_daily, dupont):
    run_day(entity=acme_daily, day=acme_daily.today())
    return Action.objects.get(customer=dupont)


@pytest.fixture
def rita(acme):
    return UserFactory(username="rita", role="read_only", all_entities=True)


def url(name, customer, *args):
    return reverse(f"agenda:customer-{name}", args=[customer.pk, *args])


def test_the_card_is_on_the_customer_page_and_lists_the_pending_action(client, bob, action):
    client.force_login(bob)
    page = client.get(action.customer.get_absolute_url()).content.decode()
    assert url("workbench", action.customer) in page
    card = client.get(url("workbench", action.customer)).content.decode()
    assert 'id="workbench"' in card
    assert "Put on hold" in card
    assert url("action", action.customer, action.pk, "skip") in card
    assert "F-DUP-1" in card


def test_hold_from_the_page_then_the_next_run_cancels_the_action(client, bob, action, acme_daily):
    client.force_login(bob)
    response = client.post(
        url("hold", action.customer), {"hold-reason": "Lawyer on it", "hold-until": ""}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    run_day(entity=acme_daily, day=acme_daily.today() + DAY)
    action.refresh_from_db()
    assert (action.status, action.reason) == ("cancelled", "on hold")
    assert CustomerEvent.objects.filter(customer=action.customer, kind="customer_held").exists()


def test_release_from_the_page_lets_the_next_run_plan_again(client, bob, action, acme_daily):
    customer = action.customer
    customer.on_hold, customer.hold_reason = True, "Lawyer"
    customer.save()
    run_day(entity=acme_daily, day=acme_daily.today() + DAY)
    assert not Action.objects.filter(customer=customer, status="planned").exists()
    client.force_login(bob)
    response = client.post(url("release", customer), **HTMX)
    assert response["HX-Refresh"] == "true"
    run_day(entity=acme_daily, day=acme_daily.today() + 2 * DAY)
    assert Action.objects.filter(customer=customer, status="planned").exists()


def test_a_hold_ending_in_the_past_answers_the_card_with_the_error(client, bob, dupont, acme):
    client.force_login(bob)
    past = (acme.today() - DAY).isoformat()
    response = client.post(
        url("hold", dupont), {"hold-reason": "Lawyer", "hold-until": past}, **HTMX
    )
    assert response.status_code == 200
    assert "HX-Refresh" not in response
    assert "The end of the hold cannot be in the past." in response.content.decode()
    dupont.refresh_from_db()
    assert not dupont.on_hold


def test_without_htmx_an_error_goes_back_to_the_page_with_the_field_named(client, bob, dupont):
    client.force_login(bob)
    response = client.post(url("hold", dupont), {"hold-reason": ""}, follow=True)
    assert response.redirect_chain[-1][0] == dupont.get_absolute_url()
    assert "Reason for the hold: This field is required." in response.content.decode()


def test_read_only_user_sees_the_card_without_forms_and_gets_403(client, rita, action):
    customer = action.customer
    client.force_login(rita)
    card = client.get(url("workbench", customer)).content.decode()
    assert "<form" not in card
    posts = [
        (url("hold", customer), {"hold-reason": "x"}),
        (url("release", customer), {}),
        (url("scenario", customer), {"scenario-scenario": ""}),
        (url("items", customer), {"items-operation": "clear"}),
        (url("action", customer, action.pk, "skip"), {"skip-note": "no"}),
        (url("action", customer, action.pk, "confirm"), {}),
        (url("message", customer), {"template": "1", "body": "x"}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403, target
    customer.refresh_from_db()
    assert not customer.on_hold


def test_another_entitys_customer_is_a_404(client, bob, globex):
    theirs = CustomerFactory(entity=globex)
    client.force_login(bob)
    assert client.get(url("workbench", theirs)).status_code == 404
    assert client.post(url("hold", theirs), {"hold-reason": "x"}).status_code == 404


def test_scenario_set_by_hand_and_one_of_another_entity_refused(client, bob, dupont, acme, globex):
    mine = ScenarioFactory(name="Gentle", entity=acme)
    theirs = ScenarioFactory(name="UK", entity=globex)
    client.force_login(bob)
    response = client.post(url("scenario", dupont), {"scenario-scenario": theirs.pk}, **HTMX)
    assert "Select a valid choice" in response.content.decode()
    dupont.refresh_from_db()
    assert dupont.scenario is None
    response = client.post(url("scenario", dupont), {"scenario-scenario": mine.pk}, **HTMX)
    assert response["HX-Refresh"] == "true"
    dupont.refresh_from_db()
    assert dupont.scenario == mine
    client.post(url("scenario", dupont), {"scenario-scenario": ""}, **HTMX)
    dupont.refresh_from_db()
    assert dupont.scenario is None


def test_dispute_and_promise_on_items_and_an_item_of_another_customer(client, bob, dupont, acme):
    item = dupont.items.get()
    other = ItemFactory(customer=CustomerFactory(entity=acme))
    client.force_login(bob)
    data = {
        "items-items": [item.pk, other.pk],
        "items-operation": "dispute",
        "items-reason": "Price",
    }
    response = client.post(url("items", dupont), data, **HTMX)
    assert "Some of the chosen items are not this customer&#x27;s." in response.content.decode()
    other.refresh_from_db()
    assert not other.disputed
    data["items-items"] = [item.pk]
    assert client.post(url("items", dupont), data, **HTMX)["HX-Refresh"] == "true"
    item.refresh_from_db()
    assert (item.disputed, item.dispute_reason) == (True, "Price")
    data = {"items-items": [item.pk], "items-operation": "clear"}
    client.post(url("items", dupont), data, **HTMX)
    item.refresh_from_db()
    assert not item.disputed
    day = acme.today() + 7 * DAY
    data = {"items-items": [item.pk], "items-operation": "promise", "items-promise_date": day}
    client.post(url("items", dupont), data, **HTMX)
    item.refresh_from_db()
    assert item.promise_date == day


def test_a_dispute_without_reason_names_the_field(client, bob, dupont):
    item = dupont.items.get()
    client.force_login(bob)
    data = {"items-items": [item.pk], "items-operation": "dispute", "items-reason": ""}
    response = client.post(url("items", dupont), data, **HTMX)
    assert "A dispute needs a reason." in response.content.decode()
    data = {"items-operation": "clear"}
    response = client.post(url("items", dupont), data, **HTMX)
    assert "Tick at least one item." in response.content.decode()


def test_pending_action_rescheduled_skipped_reassigned_from_the_page(client, bob, action, acme):
    customer = action.customer
    carol = UserFactory(username="carol", role="collector")
    carol.entities.set([acme])
    client.force_login(bob)
    past = {"reschedule-due_date": (acme.today() - DAY).isoformat()}
    response = client.post(url("action", customer, action.pk, "reschedule"), past, **HTMX)
    assert "The new date cannot be in the past." in response.content.decode()
    later = acme.today() + 3 * DAY
    response = client.post(
        url("action", customer, action.pk, "reschedule"), {"reschedule-due_date": later}, **HTMX
    )
    assert response["HX-Refresh"] == "true"
    client.post(
        url("action", customer, action.pk, "reassign"), {"reassign-responsible": carol.pk}, **HTMX
    )
    action.refresh_from_db()
    assert (action.due_date, action.responsible) == (later, carol)
    client.post(url("action", customer, action.pk, "skip"), {"skip-note": "Paid"}, **HTMX)
    action.refresh_from_db()
    assert (action.status, action.reason) == ("skipped", "by user")
    kinds = set(CustomerEvent.objects.filter(customer=customer).values_list("kind", flat=True))
    assert {"action_rescheduled", "action_reassigned", "action_skipped"} <= kinds


def test_confirm_from_the_page(client, bob, action):
    action.status, action.mode = "to_confirm", "auto_confirm"
    action.save()
    client.force_login(bob)
    response = client.post(url("action", action.customer, action.pk, "confirm"), **HTMX)
    assert response["HX-Refresh"] == "true"
    action.refresh_from_db()
    assert action.status == "confirmed"


def test_an_action_of_another_customer_is_a_404(client, bob, action, acme):
    someone = CustomerFactory(entity=acme)
    client.force_login(bob)
    response = client.post(url("action", someone, action.pk, "skip"), {"skip-note": "x"})
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == "planned"


def test_the_item_page_lists_every_action_that_carried_it(
    client, bob, action, acme_daily, django_assert_max_num_queries
):
    item = action.reference
    customer = action.customer
    customer.on_hold, customer.hold_reason = True, "Lawyer"
    customer.save()
    run_day(entity=acme_daily, day=acme_daily.today() + DAY)
    customer.on_hold = False
    customer.save()
    run_day(entity=acme_daily, day=acme_daily.today() + 2 * DAY)
    client.force_login(bob)
    customer_page = client.get(customer.get_absolute_url()).content.decode()
    item_url = reverse("agenda:item-detail", args=[item.pk])
    assert item_url in customer_page
    with django_assert_max_num_queries(12):
        page = client.get(item_url).content.decode()
    assert page.count('class="action-') == 2
    assert "Cancelled (on hold)" in page
    assert "Planned" in page


def test_the_item_page_of_another_entity_is_a_404(client, bob, globex):
    theirs = ItemFactory(customer=CustomerFactory(entity=globex))
    client.force_login(bob)
    assert client.get(reverse("agenda:item-detail", args=[theirs.pk])).status_code == 404


def test_the_card_reads_a_fixed_number_of_queries_and_its_ids_are_unique(
    client, bob, action, acme, django_assert_max_num_queries
):
    for number in range(5):
        ItemFactory(customer=action.customer, number=f"F-MORE-{number}")
    client.force_login(bob)
    with django_assert_max_num_queries(16):
        card = client.get(url("workbench", action.customer)).content.decode()
    ids = Counter(re.findall(r'\bid="([^"]+)"', card))
    assert [name for name, count in ids.items() if count > 1] == []
    assert card.count('name="items-items"') == 6


def test_ticked_items_stay_ticked_when_the_card_comes_back_with_an_error(client, bob, dupont):
    item = dupont.items.get()
    client.force_login(bob)
    data = {"items-items": [item.pk], "items-operation": "promise"}
    card = client.post(url("items", dupont), data, **HTMX).content.decode()
    assert "A promise needs a date." in card
    assert f'value="{item.pk}" id="wb-item-{item.pk}" checked' in card


def test_a_scenario_set_by_hand_is_what_the_next_run_follows(client, bob, action, acme_daily):
    letters = ScenarioFactory(
        name="Letters", steps=[{"name": "Formal letter", "channel": "letter", "mode": "manual"}]
    )
    client.force_login(bob)
    client.post(url("scenario", action.customer), {"scenario-scenario": letters.pk}, **HTMX)
    run_day(entity=acme_daily, day=acme_daily.today() + DAY)
    action.refresh_from_db()
    assert action.status == "cancelled"
    new = Action.objects.get(customer=action.customer, status="planned")
    assert (new.scenario, new.step_name) == (letters, "Formal letter")


def test_workbench_changes_reach_the_audit_trail_with_their_author(client, bob, dupont):
    item = dupont.items.get()
    client.force_login(bob)
    client.post(url("hold", dupont), {"hold-reason": "Lawyer"}, **HTMX)
    data = {"items-items": [item.pk], "items-operation": "dispute", "items-reason": "Price"}
    client.post(url("items", dupont), data, **HTMX)
    held = LogEntry.objects.get_for_object(dupont).latest("pk")
    disputed = LogEntry.objects.get_for_object(item).latest("pk")
    assert (held.actor, held.changes_dict["on_hold"]) == (bob, ["False", "True"])
    assert (disputed.actor, disputed.changes_dict["disputed"]) == (bob, ["False", "True"])


def test_the_item_page_lists_what_the_customer_said_about_it(client, bob, dupont):
    item = dupont.items.get()
    response = CustomerResponse.objects.create(
        entity=dupont.entity,
        customer=dupont,
        received_at=timezone.now(),
        channel="portal",
        kind="dispute",
        body="This invoice is wrong",
    )
    response.items.add(item)
    client.force_login(bob)
    page = client.get(reverse("agenda:item-detail", args=[item.pk])).content.decode()
    assert "This invoice is wrong" in page
    assert reverse("agenda:response-detail", args=[response.pk]) in page
