"""The assistant's fixtures: one model trained per test session (the whole corpus, as
`relance assistant train` does) into a temporary file that every test points the setting at,
and the responses a collector reads."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from relance.agenda.choices import ResponseChannel, ResponseKind
from relance.agenda.models import CustomerResponse
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory


@pytest.fixture(scope="session")
def assistant_model_file(tmp_path_factory):
    from relance.assistant import model

    path = tmp_path_factory.mktemp("assistant") / "model.joblib"
    model.save(model.train(model.corpus_rows()), path)
    return path


@pytest.fixture
def trained_assistant(settings, assistant_model_file):
    settings.ASSISTANT_MODEL_PATH = assistant_model_file
    return assistant_model_file


@pytest.fixture
def dupont(acme, bob):
    return CustomerFactory(entity=acme, name="Dupont SA", collector=bob, language="fr")


@pytest.fixture
def invoices(dupont):
    """Three open invoices of Dupont's, due in the autumn."""
    return [
        ItemFactory(
            customer=dupont,
            number=number,
            due_date=datetime.date(2026, 10, 15) + datetime.timedelta(days=10 * n),
            amount=Decimal("1200.00") + n,
        )
        for n, number in enumerate(["F-2026-0142", "F-2026-0143", "F-2026-0150"])
    ]


def reply(customer, body: str, **fields) -> CustomerResponse:
    fields.setdefault("received_at", timezone.now())
    fields.setdefault("channel", ResponseChannel.EMAIL)
    fields.setdefault("kind", ResponseKind.REPLY)
    return CustomerResponse.objects.create(
        entity=customer.entity, customer=customer, body=body, author="Claire Martin", **fields
    )
