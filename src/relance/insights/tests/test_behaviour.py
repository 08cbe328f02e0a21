"""Payment behaviour computed on the ledger of ledgers.py, by hand in the comments (the
numbers of docs/insights.md, "Payment behaviour")."""

from datetime import date
from decimal import Decimal

import pytest

from relance.activity.choices import EventKind
from relance.insights import behaviour as b
from relance.insights.tests.ledgers import AS_OF, build, day, event

D = Decimal


@pytest.fixture
def ledger(acme):
    return build(acme)


def test_a_customers_behaviour_worked_by_hand(ledger):
    figures = b.customer_behaviour(ledger["martin"], as_of=AS_OF)
    # Paid over the year to 30 June (H, settled in 2025-06, is before it): A, B, C, E.
    # Days to pay: A 40, B 30, C 50, E 26 → 146 / 4 = 36.5.
    assert figures.average_days_to_pay == D("36.5")
    # Days late by amount: (1000 × 10 + 3000 × 0 + 2000 × 20 + 1000 × 0) / 7000 = 7.142…
    assert figures.average_days_late == D("7.1")
    # On time: B and E, 4000 of 7000 = 57.142…%.
    assert figures.on_time_share == D("57.1")
    # Last 90 days (from 2 April): C and E, 40000 / 3000 = 13.333…; the 90 before (3
    # January to 1 April): A and B, 10000 / 4000 = 2.5; trend 10.833… = 10.8 days later.
    assert (figures.recent_days_late, figures.previous_days_late) == (D("13.3"), D("2.5"))
    assert figures.trend == D("10.8")
    # Promises whose day has come: C (15 May, paid 21 May: broken), D (10 June, open:
    # broken), E (5 June, paid 5 June: kept); I (6 July) not yet: 1 of 3.
    assert (figures.sums.promises, figures.sums.promises_kept) == (3, 1)
    assert figures.promises_kept_rate == D("33.3")
    # Issued over the year: A B C D E F G I = 8; disputed: F (now) and G (once): 25%.
    assert (figures.sums.issued, figures.sums.disputed) == (8, 2)
    assert figures.dispute_rate == D("25.0")
    # G's dispute: 1 April to 15 April, 14 days.
    assert figures.average_days_to_resolve == D("14.0")


def test_a_customer_with_little_history_has_empty_figures_not_zeros(ledger):
    figures = b.customer_behaviour(ledger["dupont"], as_of=AS_OF)
    # K1 alone: 60 days to pay, 30 late, nothing on time; no trend (nothing before April).
    assert figures.average_days_to_pay == D("60.0")
    assert figures.average_days_late == D("30.0")
    assert figures.on_time_share == D("0.0")
    assert figures.trend is None
    assert figures.promises_kept_rate is None
    assert figures.average_days_to_resolve is None
    assert figures.dispute_rate == D("0.0")  # 4 invoices issued, none disputed


def test_the_entity_and_the_collectors_add_the_customers_sums(acme, bob):
    ledger = build(acme, collector=bob)
    # Martin and Dupont together: days to pay (146 + 60) / 5 = 41.2; days late
    # (50000 + 30000) / 8000 = 10.0; on time 4000 / 8000 = 50%.
    entity = b.behaviour_of(acme, as_of=AS_OF)
    assert (entity.average_days_to_pay, entity.average_days_late) == (D("41.2"), D("10.0"))
    assert entity.on_time_share == D("50.0")
    assert entity.dispute_rate == D("16.7")  # 2 of 12
    assert entity.average_days_to_resolve == D("14.0")
    by_collector = b.behaviour_by_collector(acme, as_of=AS_OF)
    assert by_collector[bob.pk].average_days_late == D("7.1")  # Martin's
    assert by_collector[bob.pk].dispute_rate == D("25.0")
    assert by_collector[bob.pk].average_days_to_resolve == D("14.0")
    assert by_collector[None].average_days_late == D("30.0")  # Dupont's, no collector
    segment = b.behaviour_of(
        acme, as_of=AS_OF, customers=type(ledger["martin"]).objects.filter(pk=ledger["dupont"].pk)
    )
    assert segment.average_days_to_pay == D("60.0")


def test_every_customer_in_three_queries(acme, django_assert_num_queries):
    build(acme)
    with django_assert_num_queries(3):
        sums = b.behaviour_sums(acme, as_of=AS_OF)
    assert len(sums) == 2


def test_disputes_are_read_from_every_way_of_opening_them(acme):
    ledger = build(acme)
    dupont = ledger["dupont"]
    # Opened by a call's outcome on 20 June, cleared by hand on 30 June: 10 days.
    event(dupont, day(6, 20), EventKind.CALL_OUTCOME, outcome="dispute", reference="K1")
    event(dupont, AS_OF, EventKind.DISPUTE_CLEARED, items=["K1"])
    # A call without a dispute and a dismissed reading of the assistant are none.
    event(dupont, day(6, 21), EventKind.CALL_OUTCOME, outcome="promise", reference="J")
    event(
        dupont,
        day(6, 22),
        EventKind.ASSISTANT_DECIDED,
        intent="dispute",
        items=["J"],
        status="dismissed",
    )
    figures = b.customer_behaviour(dupont, as_of=AS_OF)
    assert figures.average_days_to_resolve == D("10.0")
    assert (figures.sums.issued, figures.sums.disputed) == (4, 1)  # K1


def test_dispute_episodes_run_from_the_first_opening_to_the_clearing():
    marks = [
        b.DisputeMark(1, "F1", date(2026, 1, 5), True),
        b.DisputeMark(1, "F1", date(2026, 1, 9), True),  # the same dispute, said again
        b.DisputeMark(1, "F1", date(2026, 1, 20), False),
        b.DisputeMark(1, "F2", date(2026, 1, 21), False),  # imported: no opening known
        b.DisputeMark(1, "F1", date(2026, 2, 1), True),
    ]
    assert b.dispute_episodes(marks) == [
        b.DisputeEpisode(1, "F1", date(2026, 1, 5), date(2026, 1, 20)),
        b.DisputeEpisode(1, "F1", date(2026, 2, 1), None),
    ]


def test_no_invoice_means_no_figure():
    figures = b.behaviour(b.BehaviourSums())
    assert figures.average_days_to_pay is None
    assert figures.average_days_late is None
    assert figures.on_time_share is None
    assert figures.dispute_rate is None
