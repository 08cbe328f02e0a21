"""The inbound tests' personas: Acme France (scenario S, working every day) has sent its
`courtesy` email to Dupont SA, who owes invoice F-2026-0142; Martin SARL owes F-2026-0200.
A real Dovecot serves the mailbox when a test asks for it."""

import pytest

from relance.engine.runner import run_day

# The engine's fixtures: Acme working every day, the email template, scenario S.
from relance.engine.tests.conftest import (  # noqa: F401
    acme_daily,
    email_template,
    make_customer,
    make_invoice,
    scenario_s,
)
from relance.engine.tests.simulation import d
from relance.inbound.tests import dovecot as dovecot_server


@pytest.fixture
def dupont(scenario_s, acme_daily):  # noqa: F811
    customer = make_customer(acme_daily, name="Dupont SA", email="compta@client.example")
    make_invoice(customer, "F-2026-0142", d(1, 31), issue=d(1, 1))
    return customer


@pytest.fixture
def martin(scenario_s, acme_daily):  # noqa: F811
    customer = make_customer(acme_daily, name="Martin SARL", email="factures@martin.example")
    make_invoice(customer, "F-2026-0200", d(3, 31), issue=d(3, 1))
    return customer


@pytest.fixture
def sent(dupont, acme_daily):  # noqa: F811
    """Dupont's courtesy email, sent 01-26 (through the test settings' locmem backend)."""
    run_day(entity=acme_daily, day=d(1, 19))
    run_day(entity=acme_daily, day=d(1, 26))
    from relance.delivery.models import Outbox

    return Outbox.objects.select_related("action").get(action__customer=dupont)


@pytest.fixture
def dovecot():
    if not dovecot_server.available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    server = dovecot_server.Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(acme_daily, dovecot):  # noqa: F811
    """Acme's IMAP connector on the test Dovecot (IMAPS, the test's CA trusted)."""
    from relance.delivery.models import Connector

    return Connector.objects.create(
        entity=acme_daily, channel="mailbox", kind="imap", settings=dovecot.settings()
    )
