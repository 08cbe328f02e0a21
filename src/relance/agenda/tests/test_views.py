"""The agenda pages: tabs and colours, counters, filters kept in the session, the history
export, working an action (call outcome, confirm many, skip/reschedule/reassign) and the
permissions around them."""

import csv
import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from relance.accounts.tests.factories import UserFactory
from relance.agenda.choices import OPEN_STATUSES
from relance.agenda.models import Action, CustomerResponse
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.scenarios.tests.factories import ScenarioFactory
from relance.segments.models import Segment, SegmentMembership

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-results"}


@pytest.fixture
def scenario(acme):
    return ScenarioFactory(
        name="Standard", steps=[{"name": "call", "channel": "call", "mode": "manual"}]
    )


def make_action(
    entity,
    scenario,
    *,
    due_offset=0,
    mode="manual",
    channel="call",
    status="planned",
    name="Dupont",
    responsible=None,
    **fields,
):
    """One action of its own customer (at most one open action per customer); a closed one
    is finished today unless told otherwise."""
    today = entity.today()
    if status not in OPEN_STATUSES:
        fields.setdefault("finished_on", today)
    customer = make_customer(entity, name=name)
    invoice = make_invoice(customer, f"F-{name}", today - 20 * DAY)
    return Action.objects.create(
        entity=entity,
        customer=customer,
        scenario=scenario,
        step=scenario.steps.first(),
        step_position=1,
        step_name=fields.pop("step_name", "call"),
        channel=channel,
        mode=mode,
        reference=invoice,
        status=status,
        created_on=today - 10 * DAY,
        due_date=today + due_offset * DAY,
        responsible=responsible,
        **fields,
    )


def rows(response):
    """(customer name, row classes) of the table rows on the page."""
    html = response.content.decode()
    table = response.context["table"]
    return (
        {
            row.record.customer.name: table.row_attrs["class"](row.record)
            for row in table.page.object_list
        }
        if "<table" in html
        else {}
    )


def test_manual_tab_due_and_late_in_red_upcoming_in_blue(client, alice, acme, scenario):
    make_action(acme, scenario, due_offset=0, name="Today")
    make_action(acme, scenario, due_offset=-3, name="Late")
    make_action(acme, scenario, due_offset=4, name="Soon")
    make_action(acme, scenario, mode="auto", channel="email", name="Auto")
    make_action(acme, scenario, status="done", name="Done", finished_on=acme.today())
    client.force_login(alice)
    found = rows(client.get(reverse("agenda:manual")))
    assert set(found) == {"Today", "Late", "Soon"}
    assert "table-danger" in found["Today"] and "table-danger" in found["Late"]
    assert "table-primary" in found["Soon"]


def test_automatic_tab_colours_and_error_message(client, alice, acme, scenario):
    make_action(
        acme,
        scenario,
        mode="auto_confirm",
        channel="email",
        status="confirmed",
        due_offset=2,
        name="Confirmed",
    )
    make_action(
        acme,
        scenario,
        mode="auto_confirm",
        channel="email",
        status="to_confirm",
        due_offset=-1,
        name="Late",
    )
    make_action(
        acme,
        scenario,
        mode="auto_confirm",
        channel="email",
        status="to_confirm",
        due_offset=5,
        name="Future",
    )
    make_action(
        acme,
        scenario,
        mode="auto",
        channel="email",
        status="error",
        error_message="The contact has no email address.",
        name="Broken",
    )
    make_action(acme, scenario, name="Manual")
    client.force_login(alice)
    response = client.get(reverse("agenda:automatic"))
    found = rows(response)
    assert set(found) == {"Confirmed", "Late", "Future", "Broken"}
    assert "table-success" in found["Confirmed"]
    assert "table-danger" in found["Late"]
    assert found["Future"] == "agenda-row"
    assert "table-warning" in found["Broken"]
    assert "The contact has no email address." in response.content.decode()


def test_history_lists_finished_and_cancelled_with_reason(client, alice, acme, scenario):
    make_action(acme, scenario, status="done", finished_on=acme.today(), name="Done")
    make_action(acme, scenario, status="cancelled", reason="settled", name="Cancelled")
    make_action(acme, scenario, name="Open")
    client.force_login(alice)
    response = client.get(reverse("agenda:history"))
    assert set(rows(response)) == {"Done", "Cancelled"}
    assert "settled" in response.content.decode()


def test_filter_by_a_customer_custom_field(client, alice, acme, scenario):
    from relance.customers.models import CustomField

    CustomField.objects.create(name="sector", label="Sector", type="select", choices=["retail"])
    retail = make_action(acme, scenario, name="Retail")
    retail.customer.custom_field_data = {"sector": "retail"}
    retail.customer.save()
    make_action(acme, scenario, name="Other")
    client.force_login(alice)
    assert set(rows(client.get(reverse("agenda:manual"), {"cf_sector": "retail"}))) == {"Retail"}
    # Remembered like the other filters.
    assert set(rows(client.get(reverse("agenda:manual")))) == {"Retail"}


def test_history_counts_at_most_the_limit(client, alice, acme, scenario, monkeypatch):
    monkeypatch.setattr("relance.agenda.views.COUNT_LIMIT", 2)
    for name in ("One", "Two", "Three"):
        make_action(acme, scenario, status="done", name=name)
    client.force_login(alice)
    response = client.get(reverse("agenda:history"))
    assert response.context["table"].paginator.count == 2
    assert "more than 2 results" in response.content.decode()
    monkeypatch.setattr("relance.agenda.views.COUNT_LIMIT", 3)
    response = client.get(reverse("agenda:history"))
    assert "3 results" in response.content.decode()
    assert "more than" not in response.content.decode()


def test_open_tab_count_is_its_counter(client, alice, acme, scenario):
    make_action(acme, scenario, name="A")
    make_action(acme, scenario, name="B", due_offset=4)
    make_action(acme, scenario, name="Auto", mode="auto", channel="email")
    client.force_login(alice)
    response = client.get(reverse("agenda:manual"))
    assert response.context["table"].paginator.count == 2
    assert response.context["counters"]["manual_total"] == 2


@pytest.mark.parametrize(
    ("status", "finished"), [("planned", True), ("error", True), ("done", False)]
)
def test_finished_on_follows_the_status(acme, scenario, status, finished):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_action(acme, scenario, status=status, finished_on=acme.today() if finished else None)


def test_counters_in_one_query(client, alice, acme, scenario, django_assert_max_num_queries):
    make_action(acme, scenario, due_offset=0, name="A")
    make_action(acme, scenario, due_offset=3, name="B")
    make_action(
        acme,
        scenario,
        mode="auto_confirm",
        channel="email",
        status="to_confirm",
        due_offset=0,
        name="C",
    )
    make_action(
        acme, scenario, mode="auto", channel="email", status="planned", due_offset=3, name="D"
    )
    make_action(
        acme, scenario, mode="auto", channel="email", status="error", due_offset=3, name="E"
    )
    client.force_login(alice)
    response = client.get(reverse("agenda:manual"))
    assert response.context["counters"] == {
        "manual_total": 2,
        "manual_now": 1,
        "automatic_total": 3,
        "automatic_now": 2,
    }


def test_list_queries_do_not_grow_with_rows(
    client, alice, acme, scenario, django_assert_max_num_queries
):
    for n in range(3):
        make_action(acme, scenario, name=f"C{n}", responsible=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(15) as few:  # 15: the unassigned emails' tab counts
        client.get(reverse("agenda:manual"))
    for n in range(3, 20):
        make_action(acme, scenario, name=f"C{n}", responsible=alice)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("agenda:manual"))


def test_filters_persist_across_tabs_and_reload_until_reset(client, alice, acme, scenario):
    segment = Segment.objects.create(name="Key accounts", scenario=scenario)
    kept = make_action(acme, scenario, name="Key")
    make_action(acme, scenario, name="Other")
    SegmentMembership.objects.create(segment=segment, customer=kept.customer)
    make_action(acme, scenario, status="done", finished_on=acme.today(), name="KeyDone")
    SegmentMembership.objects.create(
        segment=segment, customer=Action.objects.get(customer__name="KeyDone").customer
    )
    make_action(acme, scenario, status="done", finished_on=acme.today(), name="OtherDone")
    client.force_login(alice)
    assert set(rows(client.get(reverse("agenda:manual"), {"segment": segment.pk}))) == {"Key"}
    assert set(rows(client.get(reverse("agenda:manual")))) == {"Key"}  # reload
    history = client.get(reverse("agenda:history"))
    assert set(rows(history)) == {"KeyDone"}
    assert history.context["filterset"].form["segment"].value() == str(segment.pk)
    client.get(reverse("agenda:reset"), {"tab": "history"})
    assert set(rows(client.get(reverse("agenda:history")))) == {"KeyDone", "OtherDone"}


def test_collector_filter_preset_to_me(client, bob, alice, acme, scenario):
    make_action(acme, scenario, name="Mine", responsible=bob)
    make_action(acme, scenario, name="Hers", responsible=alice)
    client.force_login(bob)
    assert set(rows(client.get(reverse("agenda:manual")))) == {"Mine"}
    client.get(reverse("agenda:reset"))
    assert set(rows(client.get(reverse("agenda:manual")))) == {"Mine", "Hers"}


def test_htmx_filter_answers_the_partial_with_counters(client, alice, acme, scenario):
    make_action(acme, scenario, name="A", channel="task")
    client.force_login(alice)
    response = client.get(reverse("agenda:manual"), {"channel": "task"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html and 'hx-swap-oob="true"' in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_history_export_is_the_filtered_rows_the_user_sees(
    client, bob, acme, globex, scenario, fmt
):
    make_action(
        acme, scenario, status="done", finished_on=acme.today(), name="Call", channel="call"
    )
    make_action(
        acme, scenario, status="skipped", finished_on=acme.today(), name="Task", channel="task"
    )
    make_action(globex, scenario, status="done", finished_on=acme.today(), name="Globex")
    client.force_login(bob)
    client.get(reverse("agenda:history"), {"channel": "call", "collector": ""})
    response = client.get(reverse("agenda:history"), {"export": fmt})
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
    else:
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = table[0], table[1:]
    assert "Customer" in header
    assert [row[header.index("Customer")] for row in body] == ["Call"]
    # Choices leave by their labels in the reader's language, as the page shows them.
    assert [(row[header.index("Channel")], row[header.index("Status")]) for row in body] == [
        ("Call", "Done")
    ]
    page = client.get(reverse("agenda:history")).content.decode()
    assert ">Call</td>" in page and ">Done</td>" in page


def test_call_outcome_promise_updates_the_invoice_and_the_planner_waits(client, bob, acme):
    acme.working_days = "mon,tue,wed,thu,fri,sat,sun"
    acme.holidays_country = ""
    acme.save()
    scenario = ScenarioFactory(
        min_contact_days=0,
        steps=[
            {"name": "call", "channel": "call", "mode": "manual"},
            {"name": "task", "channel": "task", "mode": "manual", "offset_days": 1},
        ],
    )
    acme.default_scenario = scenario
    acme.save()
    today = acme.today()
    customer = make_customer(acme)
    invoice = make_invoice(customer, "F1", today - 10 * DAY)
    run_day(entity=acme, day=today)
    action = Action.objects.get(status="planned")
    client.force_login(bob)
    promised = today + 5 * DAY
    response = client.post(
        reverse("agenda:action-call-outcome", args=[action.pk]),
        {"outcome": "promise", "promise_date": promised.isoformat(), "note": "pays Friday"},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    action.refresh_from_db()
    assert invoice.promise_date == promised
    assert (action.status, action.finished_on) == ("done", today)
    assert "pays Friday" in action.note
    for offset in range(1, 9):  # the promise and its 3 days of grace
        run_day(entity=acme, day=today + offset * DAY)
        assert not Action.objects.filter(status="planned").exists()
    run_day(entity=acme, day=today + 9 * DAY)
    assert Action.objects.get(status="planned").step_name == "task"


def test_call_outcome_dispute_marks_the_invoice(client, bob, acme, scenario):
    action = make_action(acme, scenario)
    client.force_login(bob)
    url = reverse("agenda:action-call-outcome", args=[action.pk])
    assert client.post(url, {"outcome": "dispute"}).status_code == 400
    client.post(url, {"outcome": "dispute", "dispute_reason": "damaged goods"})
    action.reference.refresh_from_db()
    assert action.reference.disputed and action.reference.dispute_reason == "damaged goods"
    assert action.reference.dispute_date == acme.today()


def test_confirm_many_confirms_the_selected_the_user_sees(client, bob, acme, globex, scenario):
    mine = [
        make_action(
            acme, scenario, mode="auto_confirm", channel="email", status="to_confirm", name=f"C{n}"
        )
        for n in range(3)
    ]
    other = make_action(
        globex, scenario, mode="auto_confirm", channel="email", status="to_confirm", name="Globex"
    )
    client.force_login(bob)
    response = client.post(
        reverse("agenda:confirm-many"), {"actions": [a.pk for a in mine] + [other.pk]}
    )
    assert response.status_code == 302
    assert set(Action.objects.filter(status="confirmed")) == set(mine)
    other.refresh_from_db()
    assert other.status == "to_confirm"


def test_skip_reschedule_reassign_validation_errors(client, bob, acme, globex, scenario):
    action = make_action(acme, scenario)
    stranger = UserFactory(username="gina")
    stranger.entities.set([globex])
    client.force_login(bob)
    skip = client.post(reverse("agenda:action-skip", args=[action.pk]), {"note": ""})
    assert skip.status_code == 400 and skip.context["skip_form"].errors["note"]
    past = (acme.today() - DAY).isoformat()
    later = client.post(reverse("agenda:action-reschedule", args=[action.pk]), {"due_date": past})
    assert later.context["reschedule_form"].errors["due_date"]
    given = client.post(
        reverse("agenda:action-reassign", args=[action.pk]), {"responsible": stranger.pk}
    )
    assert given.context["reassign_form"].errors["responsible"]
    action.refresh_from_db()
    assert (action.status, action.responsible) == ("planned", None)


def test_skip_reschedule_reassign(client, bob, alice, acme, scenario):
    action = make_action(acme, scenario)
    client.force_login(bob)
    new_date = acme.today() + 3 * DAY
    client.post(
        reverse("agenda:action-reschedule", args=[action.pk]), {"due_date": new_date.isoformat()}
    )
    client.post(reverse("agenda:action-reassign", args=[action.pk]), {"responsible": alice.pk})
    action.refresh_from_db()
    assert (action.due_date, action.planned_by, action.responsible) == (new_date, "user", alice)
    client.post(reverse("agenda:action-skip", args=[action.pk]), {"note": "already paid"})
    action.refresh_from_db()
    assert (action.status, action.finished_on) == ("skipped", acme.today())


def test_action_page_shows_the_rendered_message(client, bob, acme, email_template, scenario):
    scenario.steps.update(template=email_template, instructions="Ask for the accountant.")
    action = make_action(acme, scenario, name="Dupont SA")
    client.force_login(bob)
    html = client.get(reverse("agenda:action-detail", args=[action.pk])).content.decode()
    assert "Relance Dupont SA" in html and "Ask for the accountant." in html


def test_action_page_shows_whom_to_reach(client, bob, acme, scenario):
    from relance.customers.tests.factories import ContactFactory

    action = make_action(acme, scenario, name="Dupont SA")
    ContactFactory(
        customer=action.customer, last_name="Zorro", phone="+33142685300", is_collection=False
    )
    client.force_login(bob)
    html = client.get(reverse("agenda:action-detail", args=[action.pk])).content.decode()
    section = html[html.index('class="card mb-3 action-contacts"') :]
    assert 'href="tel:+33142685300"' in section
    # The collection contact (make_action's) comes first.
    collection = action.customer.contacts.get(is_collection=True)
    assert section.index(collection.email) < section.index("Zorro")


def test_bob_gets_404_on_a_globex_action(client, bob, globex, scenario):
    action = make_action(globex, scenario)
    client.force_login(bob)
    assert client.get(reverse("agenda:action-detail", args=[action.pk])).status_code == 404
    url = reverse("agenda:action-complete", args=[action.pk])
    assert client.post(url, {"note": ""}).status_code == 404


def test_read_only_sees_but_cannot_act(client, acme, scenario):
    reader = UserFactory(username="rita", role="read_only", all_entities=True)
    action = make_action(acme, scenario)
    client.force_login(reader)
    page = client.get(reverse("agenda:action-detail", args=[action.pk]))
    assert page.status_code == 200 and not page.context["can_act"]
    for name in ("action-complete", "action-skip", "action-confirm"):
        assert client.post(reverse(f"agenda:{name}", args=[action.pk])).status_code == 403
    assert client.post(reverse("agenda:confirm-many"), {"actions": [action.pk]}).status_code == 403


def test_responses_tab_lists_and_filters(client, alice, acme, scenario):
    action = make_action(acme, scenario)
    now = datetime.datetime.now(datetime.UTC)
    CustomerResponse.objects.create(
        entity=acme,
        customer=action.customer,
        action=action,
        received_at=now,
        channel="email",
        author="Claire",
        body="Payment sent yesterday",
        kind="reply",
    )
    CustomerResponse.objects.create(
        entity=acme,
        customer=action.customer,
        received_at=now,
        channel="call",
        body="Asked for a copy",
        kind="comment",
    )
    client.force_login(alice)
    html = client.get(reverse("agenda:responses"), {"kind": "reply"}).content.decode()
    assert "Payment sent yesterday" in html and "Asked for a copy" not in html


def test_customer_page_timeline(client, alice, acme, scenario):
    action = make_action(
        acme, scenario, status="done", finished_on=acme.today(), note="Reached: pays next week"
    )
    action.reference.promise_date = acme.today() + 7 * DAY
    action.reference.save()
    client.force_login(alice)
    page = client.get(action.customer.get_absolute_url()).content.decode()
    url = reverse("agenda:customer-timeline", args=[action.customer.pk])
    assert url in page
    response = client.get(url)
    kinds = [entry.kind for entry in response.context["timeline"]]
    assert kinds == ["promise", "action"]
    assert "Reached: pays next week" in response.content.decode()


def test_timeline_of_a_customer_bob_does_not_see_is_404(client, bob, globex, scenario):
    action = make_action(globex, scenario)
    client.force_login(bob)
    url = reverse("agenda:customer-timeline", args=[action.customer.pk])
    assert client.get(url).status_code == 404


# --- amounts, links and unassigned actions ---------------------------------------------------


def test_amount_columns_are_the_customers_figures_and_sortable(client, alice, acme, scenario):
    from decimal import Decimal

    from relance.ledger.tests.factories import ItemFactory

    today = acme.today()
    big = make_action(acme, scenario, name="Big")  # its reference: 1,000 due 20 days ago
    customer = big.customer
    make_invoice(customer, "F-later", today + 10 * DAY, amount=Decimal("500"))  # not due yet
    make_invoice(customer, "F-disputed", today - DAY, amount=Decimal("300"), disputed=True)
    ItemFactory(customer=customer, kind="credit_note", number="AV-1", amount=Decimal("100"))
    small = make_action(acme, scenario, name="Small")
    small.reference.open_amount = Decimal("250")
    small.reference.save()
    client.force_login(alice)

    response = client.get(reverse("agenda:manual"), {"sort": "at_stake"})
    records = list(response.context["table"].page.object_list)
    assert [row.record.customer.name for row in records] == ["Small", "Big"]
    found = {row.record.customer.name: row.record for row in records}
    # At stake: what is asked now (not the invoice not due, nor the disputed one) less credits.
    assert found["Big"].at_stake == Decimal("900.00")
    assert found["Big"].overdue == Decimal("1300.00")
    assert found["Small"].at_stake == found["Small"].overdue == Decimal("250.00")
    html = response.content.decode()
    assert "At stake" in html and "Overdue" in html
    descending = client.get(reverse("agenda:manual"), {"sort": "-overdue"})
    assert [row.record.customer.name for row in descending.context["table"].page.object_list] == [
        "Big",
        "Small",
    ]


def test_the_customer_opens_the_customer_and_the_step_the_action(client, alice, acme, scenario):
    action = make_action(acme, scenario, name="Linked", step_name="First call")
    client.force_login(alice)
    html = client.get(reverse("agenda:manual")).content.decode()
    customer_url = reverse("customers:detail", args=[action.customer_id])
    action_url = reverse("agenda:action-detail", args=[action.pk])
    assert f'<a href="{customer_url}" hx-boost="false">Linked</a>' in html
    assert f'<a href="{action_url}" hx-boost="false">First call</a>' in html


def test_unassigned_actions_are_shown_to_every_collector_by_default(
    client, bob, alice, acme, globex, scenario
):
    carol = UserFactory(username="carol", role="collector")
    carol.entities.add(acme)
    make_action(acme, scenario, name="Mine", responsible=bob)
    make_action(acme, scenario, name="Carol's", responsible=carol)
    make_action(acme, scenario, name="Nobody's")
    make_action(globex, scenario, name="Globex nobody's")  # bob does not see Globex
    client.force_login(bob)
    response = client.get(reverse("agenda:manual"))
    assert set(rows(response)) == {"Mine", "Nobody's"}
    assert "Unassigned" in response.content.decode()
    assert response.context["counters"]["manual_total"] == 2
    assert set(
        rows(client.get(reverse("agenda:manual"), {"collector": bob.pk, "unassigned": "hidden"}))
    ) == {"Mine"}
    assert set(rows(client.get(reverse("agenda:manual"), {"unassigned": "only"}))) == {"Nobody's"}
    client.force_login(carol)
    assert set(rows(client.get(reverse("agenda:manual")))) == {"Carol's", "Nobody's"}
