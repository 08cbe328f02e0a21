"""Events read as sentences in the reader's language, from data stored in none."""

from django.utils import translation

from relance.activity.choices import EventKind
from relance.activity.tests.factories import CustomerEventFactory


def _event(kind, data):
    return CustomerEventFactory.build(kind=kind, data=data)


def test_an_action_event_reads_in_english_and_in_french():
    event = _event(EventKind.ACTION_DONE, {"step": "First call", "channel": "call"})
    assert event.describe() == "Marked “First call” (Call) done"
    with translation.override("fr"):
        assert event.describe() == "Action « First call » (Appel) marquée comme faite"


def test_a_reschedule_names_both_dates_in_the_reader_s_words():
    data = {"step": "call", "channel": "call", "from": "2026-03-02", "to": "2026-03-09"}
    event = _event(EventKind.ACTION_RESCHEDULED, data)
    assert event.describe() == "Rescheduled “call” (Call) from 2 Mar 2026 to 9 Mar 2026"
    with translation.override("fr"):
        assert event.describe() == (
            "Action « call » (Appel) replanifiée du 2 mars 2026 au 9 mars 2026"
        )


def test_a_call_outcome_with_a_promise():
    data = {"step": "call", "channel": "call", "outcome": "promise", "promise_date": "2026-03-09"}
    event = _event(EventKind.CALL_OUTCOME, data)
    assert event.describe() == "Call “call”: Promise to pay, by 9 Mar 2026"
    with translation.override("fr"):
        assert event.describe() == "Appel « call » : Promesse de paiement, au 9 mars 2026"


def test_an_items_import_counts_in_french_with_plurals():
    data = {
        "import": "items",
        "file": "items.csv",
        "added": {"invoice": 2, "payment": 1},
        "changed": 3,
        "fields": {"open_amount": 3, "due_date": 1},
        "settled": 1,
    }
    event = _event(EventKind.IMPORT_CHANGED, data)
    assert event.describe() == (
        "Import “items.csv”: 2 invoices added, 1 payment added, "
        "3 items changed (open amount ×3, due date ×1), 1 invoice settled"
    )
    with translation.override("fr"):
        assert event.describe() == (
            "Import « items.csv » : 2 factures ajoutées, 1 règlement ajouté, "
            "3 pièces modifiées (reste dû ×3, échéance ×1), 1 facture soldée"
        )


def test_a_customers_import_names_the_fields_it_changed():
    source = {"import": "customers", "file": "c.csv"}
    changed = _event(EventKind.IMPORT_CHANGED, {**source, "fields": ["name", "collector", "tags"]})
    created = _event(EventKind.IMPORT_CHANGED, {**source, "created": True})
    assert changed.describe() == "Import “c.csv” changed name, collector, tags"
    assert created.describe() == "Customer created by the import “c.csv”"
    with translation.override("fr"):
        assert changed.describe() == "L’import « c.csv » a modifié : nom, recouvreur, étiquettes"
        assert created.describe() == "Client créé par l’import « c.csv »"


def test_a_message_sent_by_hand_and_a_contacts_import():
    sent = _event(EventKind.MESSAGE_SENT_BY_USER, {"channel": "email", "subject": "Your bill"})
    contacts = _event(
        EventKind.IMPORT_CHANGED,
        {"import": "contacts", "file": "k.csv", "added": 1, "changed": 2},
    )
    assert sent.describe() == "Sent a message by Email: “Your bill”"
    assert contacts.describe() == "Import “k.csv”: 1 contact added, 2 contacts changed"
    with translation.override("fr"):
        assert sent.describe() == "Message envoyé par E-mail : « Your bill »"
        assert contacts.describe() == "Import « k.csv » : 1 contact ajouté, 2 contacts modifiés"


def test_who_did_it_outlives_the_user():
    event = _event(EventKind.ACTION_SKIPPED, {"step": "call", "channel": "call", "by": "Bob M"})
    assert event.by == "Bob M"
