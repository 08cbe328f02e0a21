"""The assistant in Chromium (issue M2.4): a collector opens Responses, opens an email reply
that promises a date for two invoices, sees the assistant's proposal, accepts it, and both
invoices carry the promised date, in the database and on the page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relance.agenda.choices import ResponseChannel
from relance.agenda.models import CustomerResponse

# One model trained per session, as the assistant's own tests do.
from relance.assistant.tests.conftest import (  # noqa: F401
    assistant_model_file,
    dupont,
    invoices,
    trained_assistant,
)
from relance.ledger.models import Item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("trained_assistant"),
]

REPLY = (
    "Bonjour,\n\nNous réglerons les factures F-2026-0142 et F-2026-0143 le 20 janvier 2030, "
    "après validation par notre direction.\n\nCordialement,\nClaire Martin\n\n"
    "Le 01/12/2026 09:12, Acme France <relances@acme.example> a écrit :\n"
    "> Sauf erreur de notre part, la facture F-2026-0150 reste impayée."
)


def test_a_collector_accepts_the_assistants_reading_of_a_promise(
    page,
    log_in,
    bob,
    dupont,  # noqa: F811 (the fixture imported above)
    invoices,  # noqa: F811
):
    CustomerResponse.objects.create(
        entity=dupont.entity,
        customer=dupont,
        received_at=timezone.now(),
        channel=ResponseChannel.EMAIL,
        author="Claire Martin <c@dupont.fr>",
        body=REPLY,
    )
    log_in("bob", "/agenda/responses/")
    row = page.locator("tr", has_text="Dupont SA")
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile(r"\d{2}\D\d{2}\D\d{4}")).click()

    panel = page.locator(".assistant-proposal")
    expect(panel.locator(".proposal-intent")).to_have_text("Promise to pay")
    expect(panel.locator(".proposal-date")).to_have_text("20 Jan 2030")
    rows = panel.locator(".proposal-items tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("F-2026-0142")
    expect(rows.nth(1)).to_contain_text("F-2026-0143")

    panel.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("The assistant's reading is recorded.")).to_be_visible()
    panel = page.locator(".assistant-proposal")
    expect(panel.locator(".proposal-decided")).to_contain_text("Accepted by")
    expect(panel.locator(".item-promise")).to_have_text(["20/01/2030", "20/01/2030"])
    expect(page.locator(".response-handled")).to_be_visible()

    promised = dict(Item.objects.filter(customer=dupont).values_list("number", "promise_date"))
    day = datetime.date(2030, 1, 20)
    assert promised == {"F-2026-0142": day, "F-2026-0143": day, "F-2026-0150": None}
