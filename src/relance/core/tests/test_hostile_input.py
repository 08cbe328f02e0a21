"""No 500 from user input: every URL of the project (urlwalk.routes), filled with real and
bogus ids, is requested with hostile query strings and form values, logged in as the
credit manager (the admin pages as the administrator) and anonymously. Any answer but a
5xx passes; a 5xx fails with the exception that caused it.
"""

import datetime
import io
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.utils import timezone

from relance.accounts.models import User
from relance.agenda.models import Action, CustomerResponse
from relance.alerts.services import alert_rule_create
from relance.core.tests.urlwalk import field_names, fill, routes, sample_values
from relance.ledger.choices import ImportStatus
from relance.ledger.models import ImportBatch

pytestmark = pytest.mark.django_db

HOSTILE = [
    "-5",
    "abc",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "2026-02-30",
    "' OR 1=1 --<script>alert(1)</script>",
    "a\x00b",
    "x" * 3000,
]
# The list parameters, each on its own so that none hides another (the fields of the page
# get the HOSTILE values together, without these).
ONE_BY_ONE = {
    "per_page": ["-5", "abc", "100000"],
    "page": ["abc", "-1"],
    "sort": ["nonsense"],
    "export": ["pdf"],
    "customer": ["abc", "99999999999999999999999"],
}
# The admin's own query parameters (search, order, page, popups); arbitrary model lookups
# in its query string are Django's, not walked.
ADMIN_QUERIES = [
    {"q": "' OR 1=1 --"},
    {"o": "abc", "p": "-1"},
    {"p": "99999999999999999999999", "all": ""},
    {"_to_field": "password", "_popup": "1"},
    {"_changelist_filters": "a=%ZZ"},
]
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-results"}


@pytest.fixture
def world(db, tmp_path, settings):
    """The demo company after three days of runs, with what the demo lacks: imports (one
    previewed, one failed), an alert rule and a customer's reply."""
    settings.RELANCE_BACKGROUND_INLINE = True
    call_command(
        "demo", customers=12, seed=3, engine_days=3, today="2026-03-02", stdout=io.StringIO()
    )
    alice = User.objects.get(username="alice")
    action = Action.objects.order_by("pk").first()
    entity = action.entity
    upload = SimpleUploadedFile("c.csv", b"external_id;name\nC1;Martin\n")
    ImportBatch.objects.create(
        entity=entity,
        kind="customers",
        file_name="c.csv",
        status=ImportStatus.PREVIEWED,
        upload=upload,
        started_by=alice,
    )
    ImportBatch.objects.create(
        entity=entity,
        kind="items",
        file_name="i.csv",
        status=ImportStatus.FAILED,
        errors=[{"row": 2, "column": "amount", "reason": "not a number"}],
    )
    alert_rule_create(
        owner=alice,
        name="Big",
        criteria={"rules": [{"field": "overdue_amount", "lookup": "gt", "value": "10"}]},
    )
    CustomerResponse.objects.create(
        entity=entity,
        customer=action.customer,
        action=action,
        channel="email",
        received_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 9)),
        body="=1+1",
    )
    _bank_statement(entity, alice)
    return {"alice": alice, "admin": User.objects.get(username="admin")}


def _bank_statement(entity, user) -> None:
    """A statement with a line to reconcile, and an upload that failed."""
    from relance.banking.models import StatementUpload
    from relance.banking.services import statement_import

    content = b"date;amount;currency;name;text\n01/03/2026;12,50;EUR;SOMEONE;=1+1\n"
    statement_import(entity=entity, content=content, file_name="s.csv", acting_user=user)
    StatementUpload.objects.create(
        entity=entity,
        file_name="big.xml",
        upload=SimpleUploadedFile("big.xml", b"<x/>"),
        status="failed",
        problems=["Ntry 1: no amount"],
        started_by=user,
    )


class Walker:
    """Requests with a client that answers 500 instead of raising, recording the cause."""

    def __init__(self, user=None):
        self.client = Client(raise_request_exception=False)
        self.user = user
        self.failures: list[str] = []
        self.requests = 0
        self._last_error = None
        got_request_exception.connect(self._record, weak=False)

    def _record(self, sender, request=None, **kwargs):
        self._last_error = repr(sys.exc_info()[1])[:160]

    def close(self):
        got_request_exception.disconnect(self._record)

    def request(self, method: str, path: str, data=None, **extra):
        self._last_error = None
        self.requests += 1
        call = self.client.get if method == "GET" else self.client.post
        response = call(path, data or {}, **extra)
        if response.status_code >= 500:
            sent = {k: str(v)[:40] for k, v in data.items()} if isinstance(data, dict) else data
            self.failures.append(
                f"{method} {path} {sent}: {response.status_code} {self._last_error}"
            )
        return response

    def walk(self, path: str):
        """GET the page, then GET and POST it with hostile values in every field it names,
        and the list parameters one by one."""
        first = self.request("GET", path)
        # A download (FileResponse) streams: it names no fields to fill.
        readable = first.status_code == 200 and not first.streaming
        html = first.content.decode(errors="replace") if readable else ""
        names = [name for name in field_names(html) if name not in ONE_BY_ONE]
        for value in HOSTILE:
            self.request("GET", path, dict.fromkeys(names, value))
            self.request("POST", path, dict.fromkeys(names, value))
        self.request("GET", path, {name: ["1", "abc"] for name in names}, **HTMX)
        for name, values in ONE_BY_ONE.items():
            for value in values:
                self.request("GET", path, {name: value})

    def walk_admin(self, path: str):
        if self.request("GET", path).status_code == 200 and path.endswith("/"):
            for query in ADMIN_QUERIES:
                self.request("GET", path, query)


def _each_url(admin: bool):
    """(path, real) for every URL: with existing objects' ids, then with bogus ones."""
    for route in routes():
        if route.pattern.startswith("admin/") != admin:
            continue
        *real, bogus = sample_values(route)
        for values in real:
            yield fill(route, values), True
        if route.converters:
            yield fill(route, bogus), False


def _walk_all(walker: Walker, user, *, admin: bool) -> None:
    for path, real in _each_url(admin):
        # Each URL in a savepoint rolled back: a POST that deletes or logs out changes
        # nothing for the next URL.
        with transaction.atomic():
            walker.client.force_login(user)
            if not real:  # a bogus id: a 404 whatever the parameters
                walker.request("GET", path, {"page": "-1"})
                walker.request("POST", path, {"name": "x"})
            elif admin:
                walker.walk_admin(path)
            else:
                walker.walk(path)
            transaction.set_rollback(True)


def test_no_page_answers_500_to_hostile_input(world):
    walker = Walker()
    try:
        _walk_all(walker, world["alice"], admin=False)
    finally:
        walker.close()
    assert walker.requests > 1000
    assert not walker.failures, "\n".join(walker.failures)


def test_no_admin_page_answers_500_to_hostile_queries(world):
    walker = Walker()
    try:
        _walk_all(walker, world["admin"], admin=True)
    finally:
        walker.close()
    assert not walker.failures, "\n".join(walker.failures)


def test_no_url_answers_500_to_an_anonymous_post(world):
    walker = Walker()
    try:
        for path, _real in _each_url(admin=False):
            for value in ("", "abc", "a\x00b", "-1"):
                walker.request("POST", path, {"id": value, "status": value, "token": value})
            walker.request("POST", path, "{not json", content_type="application/json")
            walker.request("POST", path, "[1, 2]", content_type="application/json")
        for path, _real in _each_url(admin=True):
            walker.request("POST", path, {"username": "a\x00", "password": "x"})
    finally:
        walker.close()
    assert not walker.failures, "\n".join(walker.failures)
