"""Contacts edited in the UI: checked like the import, scoped like the customer, and the way
back to the action whose reminder failed."""

import pytest
from django.urls import reverse

from relance.accounts.tests.factories import UserFactory
from relance.customers.models import Contact
from relance.customers.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Anne",
    "last_name": "Roux",
    "email": "anne@client.example",
    "phone": "01 42 68 53 00",
    "mobile": "",
    "country": "",
    "is_collection": "on",
}


@pytest.fixture
def customer(acme):
    return CustomerFactory(entity=acme, name="Dupont SA", country="FR")


def test_add_a_contact_reads_numbers_in_the_customer_country(client, alice, customer):
    client.force_login(alice)
    response = client.post(reverse("customers:contact-add", args=[customer.pk]), VALID)
    assert response.status_code == 302
    contact = Contact.objects.get(customer=customer)
    assert (contact.phone, contact.is_collection) == ("+33142685300", True)


def test_fix_an_email_and_go_back_to_the_action(client, alice, customer):
    contact = ContactFactory(customer=customer, email="bad@", is_collection=True)
    url = reverse("customers:contact-edit", args=[customer.pk, contact.pk])
    client.force_login(alice)
    answer = client.post(
        url, {**VALID, "email": "good@client.example", "next": "/agenda/actions/7/"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/agenda/actions/7/"
    contact.refresh_from_db()
    assert contact.email == "good@client.example"
    # Another site is no place to go back to.
    answer = client.post(url, {**VALID, "next": "https://evil.example/"})
    assert answer["Location"] == customer.get_absolute_url()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12", "is not a valid phone number"),
        ("email", "nope", "Enter a valid email address"),
        ("country", "F1", "Two letters"),
        ("is_collection", "", "at least one role"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    client, alice, customer, field, value, message
):
    client.force_login(alice)
    data = {**VALID, field: value}
    if field == "is_collection":
        data.pop("is_collection")
    response = client.post(reverse("customers:contact-add", args=[customer.pk]), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Contact.objects.exists()


def test_read_only_and_other_entities(client, customer, globex):
    reader = UserFactory(role="read_only", all_entities=True)
    client.force_login(reader)
    url = reverse("customers:contact-add", args=[customer.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, VALID).status_code == 403
    outsider = UserFactory(role="collector")
    outsider.entities.add(globex)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert not Contact.objects.exists()


def test_an_action_in_error_links_to_its_collection_contact(client, alice, acme):
    from relance.agenda.tests.test_views import make_action
    from relance.scenarios.tests.factories import ScenarioFactory

    scenario = ScenarioFactory(steps=[{"name": "first", "channel": "email", "mode": "auto"}])
    action = make_action(acme, scenario, status="error", mode="auto", channel="email")
    contact = action.customer.contacts.get(is_collection=True)
    client.force_login(alice)
    page = client.get(reverse("agenda:action-detail", args=[action.pk])).content.decode()
    edit = reverse("customers:contact-edit", args=[action.customer.pk, contact.pk])
    assert f"{edit}?next=/agenda/actions/{action.pk}/" in page


def test_the_timeline_tells_who_added_and_changed_a_contact(client, alice, customer):
    from relance.activity.models import CustomerEvent

    client.force_login(alice)
    client.post(reverse("customers:contact-add", args=[customer.pk]), VALID)
    contact = Contact.objects.get()
    url = reverse("customers:contact-edit", args=[customer.pk, contact.pk])
    # The same number typed another way is no change; the email is.
    client.post(url, {**VALID, "phone": "+33142685300", "email": "new@client.example"})
    first, second = CustomerEvent.objects.filter(customer=customer).order_by("id")
    assert (first.user, first.data["created"]) == (alice, True)
    assert second.data["fields"] == ["email"]
    assert second.describe() == "Changed the contact Anne Roux: email"
    timeline = client.get(reverse("agenda:customer-timeline", args=[customer.pk])).content.decode()
    assert "Added the contact Anne Roux" in timeline


def test_the_customer_page_links_each_contact_to_its_form_for_editors_only(client, alice, customer):
    contact = ContactFactory(customer=customer, email="anne@client.example")
    edit = reverse("customers:contact-edit", args=[customer.pk, contact.pk])
    client.force_login(alice)
    assert f'href="{edit}"' in client.get(customer.get_absolute_url()).content.decode()
    client.force_login(UserFactory(role="read_only", all_entities=True))
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "anne@client.example" in page and f'href="{edit}"' not in page
