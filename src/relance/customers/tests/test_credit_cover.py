"""Credit insurance and guarantee of a customer: edited on its page (checked, in the
timeline), shown there and in the exports."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from relance.activity.models import CustomerEvent
from relance.activity.sentences import describe
from relance.customers.services import customer_credit_cover_update
from relance.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dupont(acme):
    return CustomerFactory(entity=acme, name="Dupont SA", external_id="C001")


def test_the_service_saves_and_writes_the_timeline(dupont, bob):
    customer_credit_cover_update(
        customer=dupont,
        acting_user=bob,
        insurer="Allianz Trade",
        insured_amount=Decimal("20000"),
        insurance_expires_on=datetime.date(2027, 6, 30),
        guarantee_kind="",
        guarantee_amount=None,
    )
    dupont.refresh_from_db()
    assert (dupont.insurer, dupont.insured_amount) == ("Allianz Trade", Decimal("20000.00"))
    event = CustomerEvent.objects.get(customer=dupont)
    assert event.data["fields"] == ["insurer", "insured_amount", "insurance_expires_on"]
    assert describe(event) == (
        "Changed the credit insurance and guarantee: credit insurer, insured amount, "
        "insurance expiry"
    )


def test_an_amount_needs_its_insurer_or_kind_and_nothing_is_saved(dupont):
    with pytest.raises(ValidationError) as error:
        customer_credit_cover_update(
            customer=dupont, insured_amount=Decimal("100"), guarantee_amount=Decimal("5")
        )
    assert error.value.message_dict == {
        "insurer": ["Name the credit insurer of the insured amount."],
        "guarantee_kind": ["Choose the kind of guarantee of this amount."],
    }
    dupont.refresh_from_db()
    assert dupont.insured_amount is None
    assert not CustomerEvent.objects.exists()


def test_the_page_edits_and_shows_the_cover(client, alice, dupont):
    client.force_login(alice)
    url = reverse("customers:credit-cover", args=[dupont.pk])
    page = client.get(dupont.get_absolute_url()).content.decode()
    assert url in page
    response = client.post(
        url,
        {
            "insurer": "Coface",
            "insured_amount": "15000",
            "insurance_expires_on": "2027-01-31",
            "guarantee_kind": "bank_guarantee",
            "guarantee_amount": "2500.50",
        },
    )
    assert response.status_code == 302
    page = client.get(dupont.get_absolute_url()).content.decode()
    assert "Coface" in page and "€15,000.00" in page
    assert "expires on" in page and "2027</span>" in page
    assert "Bank guarantee" in page and "€2,500.50" in page


def test_the_page_refuses_bad_input_with_the_field_named(client, alice, dupont):
    client.force_login(alice)
    url = reverse("customers:credit-cover", args=[dupont.pk])
    response = client.post(url, {"guarantee_amount": "-3", "insured_amount": "100"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in html
    response = client.post(url, {"insured_amount": "100"})
    assert "Name the credit insurer of the insured amount." in response.content.decode()
    dupont.refresh_from_db()
    assert dupont.insured_amount is None


def test_read_only_users_cannot_change_it(client, acme, dupont):
    from relance.accounts.tests.factories import UserFactory

    rita = UserFactory(username="rita", role="read_only", all_entities=True)
    client.force_login(rita)
    url = reverse("customers:credit-cover", args=[dupont.pk])
    assert client.post(url, {"insurer": "X"}).status_code == 403


def test_the_export_carries_the_cover(client, alice, dupont):
    dupont.insurer, dupont.insured_amount = "Coface", Decimal("15000")
    dupont.guarantee_kind, dupont.guarantee_amount = "deposit", Decimal("800")
    dupont.credit_limit = Decimal("30000")
    dupont.save()
    client.force_login(alice)
    response = client.get(reverse("customers:list"), {"export": "csv"})
    header, row = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    values = dict(zip(header, row, strict=True))
    assert values["Credit limit"] == "30000.00"
    assert values["Credit insurer"] == "Coface"
    assert values["Insured amount"] == "15000.00"
    assert values["Guarantee"] == "Security deposit"
    assert values["Guarantee amount"] == "800.00"


def test_the_expiry_field_keeps_iso_dates_for_the_date_picker_in_french(dupont):
    from django.utils import translation

    from relance.customers.forms import CreditCoverForm

    dupont.insurance_expires_on = datetime.date(2027, 1, 31)
    with translation.override("fr"):
        html = str(CreditCoverForm(instance=dupont)["insurance_expires_on"])
    assert 'value="2027-01-31"' in html
