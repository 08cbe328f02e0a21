"""The shortcuts of core/tables.py keep django-tables2's output: the body written in Python
is the markup its Bootstrap template writes, signatures read once are the same, and the date
columns format as django-tables2's own."""

import datetime
import functools
import re
import zoneinfo

import django_tables2 as tables
import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from django_tables2 import RequestConfig

from relance.agenda.models import Action
from relance.agenda.tables import ActionTable
from relance.core.tables import DateColumn, DateTimeColumn, _signature_once
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.tests.factories import ScenarioFactory


def _body(html: str) -> str:
    body = re.search(r"<tbody[^>]*>(.*)</tbody>", html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body)).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("tab", ["manual", "automatic", "history"])
def test_the_body_written_in_python_is_django_tables2s(acme, alice, tab):
    scenario = ScenarioFactory(entity=acme)
    today = acme.today()
    for index, name in enumerate(["Dupont & Fils", "<b>Martin</b>", "Société Générale"]):
        customer = CustomerFactory(entity=acme, name=name)
        invoice = ItemFactory(customer=customer, number=f"F-{index}")
        Action.objects.create(
            entity=acme,
            customer=customer,
            scenario=scenario,
            step_position=1,
            step_name=f"Reminder {index}",
            channel="email",
            mode="manual" if tab == "manual" else "auto",
            status="done" if tab == "history" else ("error" if index else "planned"),
            finished_on=today if tab == "history" else None,
            note="Called <script>x</script>" if tab == "history" else "",
            error_message="Mailbox full" if index else "",
            created_on=today,
            due_date=today - datetime.timedelta(days=index),
            responsible=alice if index else None,
            reference=invoice,
        )
    request = RequestFactory().get("/")
    request.user = alice

    def rendered(template: str) -> str:
        table = ActionTable(Action.objects.all(), tab=tab, todays={acme.pk: today})
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return render_to_string(template, {"table": table, "request": request})

    ours = _body(rendered("relance/table.html"))
    theirs = _body(rendered("django_tables2/bootstrap5.html"))

    assert ours == theirs
    assert ours.count("<tr ") == 3
    assert "&lt;b&gt;Martin&lt;/b&gt;" in ours and "<b>Martin" not in ours


@pytest.mark.django_db
def test_an_empty_table_says_so(alice):
    request = RequestFactory().get("/")
    table = ActionTable(Action.objects.none(), tab="manual", todays={})
    RequestConfig(request).configure(table)
    html = render_to_string("relance/table.html", {"table": table, "request": request})
    assert "No action matches these filters." in _body(html)


def test_signatures_read_once_are_the_same():
    calls = []

    def read(fn):
        calls.append(fn)
        return _plain_signature(fn)

    signature = _signature_once(read)

    def make(bias):
        return lambda value, record: (value, record, bias)

    class Table:
        def render_x(self, value, **kwargs):
            return value

    first, second = make(1), make(2)  # one code, two closures
    assert signature(first) == signature(second) == (("value", "record"), None)
    assert len(calls) == 1
    bound = Table().render_x
    assert signature(bound) == (("value",), "kwargs")  # self left out, as django-tables2 does
    assert signature(Table.render_x) == (("self", "value"), "kwargs")
    partial = functools.partial(make(3), 1)  # no code object of its own: read every time
    assert signature(partial) == signature(partial) == (("record",), None)
    assert len(calls) == 5


def _plain_signature(fn):
    import inspect

    parameters = inspect.signature(fn).parameters.values()
    names = tuple(p.name for p in parameters if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL))
    keywords = next((p.name for p in parameters if p.kind == p.VAR_KEYWORD), None)
    return names, keywords


def test_date_columns_format_as_django_tables2s(settings):
    settings.TIME_ZONE = "UTC"
    moment = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    day = datetime.date(2026, 3, 2)

    class Ours(tables.Table):
        day = DateColumn("Y-m-d")
        short = DateColumn()
        moment = DateTimeColumn("Y-m-d H:i")

    class Theirs(tables.Table):
        day = tables.DateColumn("Y-m-d")
        short = tables.DateColumn()
        moment = tables.DateTimeColumn("Y-m-d H:i")

    rows = [{"day": day, "short": day, "moment": moment}]
    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        ours = [list(row) for row in Ours(rows).rows]
        theirs = [list(row) for row in Theirs(rows).rows]
    assert ours == theirs
    assert ours[0][0] == "2026-03-02" and ours[0][2] == "2026-03-02 00:30"  # Paris time
    empty = [{"day": None, "short": None, "moment": None}]
    assert [list(row) for row in Ours(empty).rows] == [list(row) for row in Theirs(empty).rows]
