"""The load benchmark's client (benchmarks/load_client.py), exercised in CI on a few
requests against Django's live server: real sessions, real pages, statistics computed."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benchmarks.load_client import Sample, Visitor, percentile, run_load, summarize
from relance.agenda.models import Action
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice

pytestmark = pytest.mark.django_db(transaction=True)


def visitor_for(user, customers, actions) -> Visitor:
    client = Client()
    client.force_login(user)
    tabs = ["agenda:manual", "agenda:automatic", "agenda:history", "agenda:responses"]
    return Visitor(
        cookies={"sessionid": client.cookies["sessionid"].value},
        pages={
            "agenda": [reverse(name) for name in tabs],
            "customer": [reverse("customers:detail", args=[c.pk]) for c in customers],
            "action": [reverse("agenda:action-detail", args=[a.pk]) for a in actions],
        },
    )


def test_the_load_client_browses_without_errors_and_computes_its_figures(
    live_server, acme_daily, scenario_s, bob, alice
):
    today = timezone.localdate()
    customers = [make_customer(acme_daily, collector=bob) for _ in range(3)]
    for number, customer in enumerate(customers):
        make_invoice(customer, f"F{number}", due=today - timedelta(days=20))
    run_day(entity=acme_daily, day=today)
    actions = list(Action.objects.all())
    assert actions, "the engine planned nothing: the action pages would go unvisited"
    visitors = [visitor_for(user, customers, actions) for user in (bob, alice)]

    samples = run_load(
        live_server.url,
        visitors,
        requests=20,
        max_seconds=120,
        think=0,
        weights={"agenda": 2, "customer": 2, "action": 1},
    )
    stats = summarize(samples, seconds=1.0)

    assert stats.requests == 20
    assert stats.errors == 0, [(s.kind, s.status) for s in samples if s.status != 200]
    assert {sample.kind for sample in samples} == {"agenda", "customer", "action"}
    assert 0 < stats.p50_ms <= stats.p95_ms <= stats.p99_ms


def test_an_error_page_counts_as_an_error(live_server, bob):
    client = Client()
    client.force_login(bob)
    visitor = Visitor({"sessionid": client.cookies["sessionid"].value}, {"x": ["/customers/0/"]})

    samples = run_load(live_server.url, [visitor], requests=3, max_seconds=60, think=0,
                       weights={"x": 1})  # fmt: skip

    assert summarize(samples, seconds=1.0).errors_by_status == {404: 3}


def test_percentiles_by_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)) == (
        50.0,
        95.0,
        99.0,
    )
    stats = summarize([Sample("x", 0, 0.010, 200), Sample("x", 0, 0.030, 500)], seconds=2.0)
    assert (stats.requests, stats.errors, stats.per_second, stats.p50_ms) == (2, 1, 1.0, 20.0)


def test_only_the_local_machine_is_a_target():
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        run_load("http://example.com", [], requests=1, max_seconds=1, think=0, weights={})
