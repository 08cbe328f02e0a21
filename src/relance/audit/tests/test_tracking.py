"""Changes made through the real pages are in the trail, with who made them and the values
before and after; secrets never are; bulk deletes stay bulk."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.deletion import Collector
from django.urls import reverse

from relance.accounts.tests.factories import UserFactory
from relance.audit import selectors
from relance.audit.tests.conftest import admin_change_data
from relance.audit.tracking import REDACTED, mask_secret
from relance.customers.models import Contact, Customer
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.delivery.models import Connector
from relance.ledger.models import Item
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.tests.factories import ScenarioFactory
from relance.templating.tests.factories import MessageTemplateFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def changes_of(entry) -> dict[str, tuple[str, str]]:
    return {c.field: (c.before, c.after) for c in selectors.entry_changes(entry)}


def latest(model, pk) -> LogEntry:
    return LogEntry.objects.get_for_model(model).filter(object_pk=str(pk)).latest("pk")


def test_a_template_edit_is_logged_with_its_author_and_texts(client, alice):
    template = MessageTemplateFactory(
        name="First reminder", variants={"fr": ("Relance", "<p>Bonjour</p>")}
    )
    client.force_login(alice)
    data = {
        "name": "First reminder",
        "entity": "",
        "description": "",
        "fr_subject": "Relance #customer_name",
        "fr_body": "<p>Bonjour #contact_name</p>",
        "en_subject": "",
        "en_body": "",
    }
    response = client.post(reverse("templating:edit", args=[template.pk]), data)
    assert response.status_code == 302
    variant = template.variants.get(language="fr")
    entry = latest(type(variant), variant.pk)
    assert entry.actor == alice and entry.action == LogEntry.Action.UPDATE
    assert changes_of(entry)["subject"] == ("Relance", "Relance #customer_name")
    assert changes_of(entry)["body"] == ("<p>Bonjour</p>", "<p>Bonjour #contact_name</p>")
    # The template's history holds its texts' changes.
    history = selectors.object_entries(ContentType.objects.get_for_model(template), template.pk)
    assert entry in history


def test_a_step_edit_and_its_responsibles_are_logged(client, alice, bob):
    email = MessageTemplateFactory(name="First reminder")
    scenario = ScenarioFactory(
        name="Standard", steps=[{"name": "first", "offset_days": 3, "template": email}]
    )
    step = scenario.steps.get()
    client.force_login(alice)
    data = {
        "name": "first reminder",
        "channel": "email",
        "mode": "auto_confirm",
        "anchor": "due_date",
        "offset_days": 4,
        "template": email.pk,
        "attachments": "none",
        "responsible_users": [bob.pk],
    }
    response = client.post(reverse("scenarios:step-edit", args=[step.pk]), data, **HTMX)
    assert response.status_code == 204
    entries = LogEntry.objects.get_for_object(step).filter(actor=alice)
    fields = {}
    for entry in entries:
        fields.update(changes_of(entry))
    assert fields["days"] == ("3", "4")
    assert fields["mode"] == ("Automatic", "Automatic after confirmation")
    assert fields["responsible users"] == ("", "bob")
    # Shown on the scenario's history page, with the author.
    client.force_login(UserFactory(username="root", role="administrator"))
    page = client.get(reverse("audit:object", args=["scenarios", "scenario", scenario.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "first reminder" in html and "Alice" in html


def test_a_customer_collector_change_in_the_admin_names_both_collectors(root_client, acme, bob):
    carol = UserFactory(username="carol", first_name="Carol")
    customer = CustomerFactory(entity=acme, name="Martin SARL", collector=bob)
    ContactFactory(customer=customer)
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    response = root_client.post(url, admin_change_data(root_client, url, collector=carol.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = latest(Customer, customer.pk)
    assert entry.actor.username == "root"
    assert changes_of(entry) == {"collector": ("bob", "carol")}


def test_an_entity_setting_change_is_logged(root_client, acme):
    url = reverse("admin:core_entity_change", args=[acme.pk])
    data = admin_change_data(root_client, url, recovery_fee="40.00", city="Lyon")
    response = root_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = latest(type(acme), acme.pk)
    assert entry.actor.username == "root"
    changes = changes_of(entry)
    assert changes["city"] == ("", "Lyon")
    assert changes["contractual fixed recovery fee per invoice"][1] == "40.00"


def test_a_role_change_is_logged_without_the_password(root_client, acme, bob):
    url = reverse("admin:accounts_user_change", args=[bob.pk])
    data = admin_change_data(root_client, url, role="credit_manager", all_entities="on")
    response = root_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = latest(type(bob), bob.pk)
    assert entry.actor.username == "root"
    changes = changes_of(entry)
    assert changes["role"] == ("Collector", "Credit manager")
    assert changes["all entities"] == ("No", "Yes")
    bob.set_password("a-new-long-password-2026")
    bob.save()
    for entry in LogEntry.objects.get_for_object(bob):
        assert "password" not in (entry.changes or {}) and "last_login" not in (entry.changes or {})


SECRET, NEW_SECRET = "s3cr3t-auth-token-value", "an0ther-s3cr3t-value"


def test_a_connector_secret_never_reaches_the_trail(root_client, acme):
    url = reverse("admin:delivery_connector_add")
    settings = {
        "url": "https://api:pw-in-url@sms.example/send",
        "auth_token": SECRET,
        "sender": "Acme",
    }
    data = {
        "entity": acme.pk,
        "channel": "sms",
        "kind": "http_json",
        "is_active": "on",
        "settings": json.dumps(settings),
    }
    assert root_client.post(url, data).status_code == 302
    connector = Connector.objects.get()
    change_url = reverse("admin:delivery_connector_change", args=[connector.pk])
    changed = {**connector.settings, "auth_token": NEW_SECRET, "sender": "Acme France"}
    data = {**data, "settings": json.dumps(changed)}
    assert root_client.post(change_url, data).status_code == 302
    connector.delete()
    entries = list(LogEntry.objects.get_for_model(Connector))
    assert [e.action for e in entries] == [2, 1, 0]  # deleted, changed, created
    stored = json.dumps(
        [
            [e.changes, e.changes_text, e.serialized_data, e.additional_data, e.object_repr]
            for e in entries
        ]
    )
    for secret in (SECRET, NEW_SECRET, "pw-in-url", "enc:", connector.callback_token):
        assert secret not in stored
    # What changed stays readable: the sender, and that the secret changed.
    assert '\\"sender\\": \\"Acme France\\"' in stored
    assert REDACTED in changes_of(entries[1])["settings"][1]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('{"api_key": "enc:gAAA", "url": "https://x"}', '{"api_key": "***", "url": "https://x"}'),
        ('{"password": "env:SMS_PASSWORD"}', '{"password": "env:SMS_PASSWORD"}'),
        (
            '{"auth": {"client_secret": {"a": 1}}, "items": ["enc:x"]}',
            '{"auth": {"client_secret": "***"}, "items": ["***"]}',
        ),
        ("Zq3-callback-token", REDACTED),
        ("[1, 2]", REDACTED),
        ("None", "None"),
    ],
)
def test_mask_secret(value, shown):
    assert mask_secret(value) == shown


def test_bulk_deletes_of_customers_contacts_items_stay_bulk(db, acme):
    customer = CustomerFactory(entity=acme)
    ContactFactory(customer=customer)
    ItemFactory(customer=customer, entity=acme)
    before = LogEntry.objects.count()
    Contact.objects.all().delete()
    Item.objects.all().delete()
    Customer.objects.all().delete()
    assert LogEntry.objects.count() == before
    assert Collector("default").can_fast_delete(Contact.objects.all())
