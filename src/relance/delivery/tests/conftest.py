"""A real SMTP server for the delivery tests: aiosmtpd on 127.0.0.1 and a free port."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

# The engine's fixtures: Acme working every day, the email template, scenario S.
from relance.engine.tests.conftest import acme_daily, email_template, scenario_s  # noqa: F401
from relance.scenarios.tests.factories import ScenarioFactory


class Recorder:
    """Accepts every message (or refuses every recipient with `refuse`) and keeps them."""

    def __init__(self, refuse: str = ""):
        self.refuse = refuse
        self.messages: list = []
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(settings, handler):
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "relance@acme.example"
    return controller


@pytest.fixture
def smtp(settings):
    handler = Recorder()
    controller = _serve(settings, handler)
    yield handler
    controller.stop()


@pytest.fixture
def smtp_refusing(settings):
    handler = Recorder(refuse="550 mailbox unavailable")
    controller = _serve(settings, handler)
    yield handler
    controller.stop()


@pytest.fixture
def provider():
    """A fake SMS / print-and-mail / e-registered mail provider (tests/providers.py)."""
    from relance.delivery.tests.providers import start_provider, stop_provider

    fake = start_provider()
    yield fake
    stop_provider(fake)


def one_step_scenario(entity, channel: str):
    """Acme's default scenario: one automatic `channel` step 3 days after the due date, with
    a template of its kind."""
    from relance.templating.tests.factories import MessageTemplateFactory

    is_sms = channel == "sms"
    template = MessageTemplateFactory(
        name=f"{channel} reminder",
        channel="sms" if is_sms else "letter",
        variants={
            "fr": (
                "Relance #customer_name",
                "Acme : vous devez #total_due." if is_sms else "<p>Vous devez #total_due.</p>",
            )
        },
    )
    steps = [{"name": channel, "offset_days": 3, "channel": channel, "template": template}]
    scenario = ScenarioFactory(name=f"{channel} only", steps=steps)
    entity.default_scenario = scenario
    entity.save()
    return scenario


def connector(entity, channel: str, kind: str, **options):
    from relance.delivery.models import Connector

    return Connector.objects.create(entity=entity, channel=channel, kind=kind, settings=options)


@pytest.fixture
def sms_scenario(acme_daily):  # noqa: F811
    return one_step_scenario(acme_daily, "sms")


# A manual email (with a copy) and a manual SMS, sent from their action's page.
@pytest.fixture
def manual_email(acme_daily, email_template):  # noqa: F811 (the imported fixtures)
    step = {"name": "personal", "channel": "email", "mode": "manual", "template": email_template}
    step["cc_email"] = "copies@acme.example"
    return ScenarioFactory(name="Manual email", steps=[step])


@pytest.fixture
def manual_sms(acme_daily):  # noqa: F811
    scenario = one_step_scenario(acme_daily, "sms")
    scenario.steps.update(mode="manual")
    return scenario
