"""A real SMTP server for the delivery tests: aiosmtpd on 127.0.0.1 and a free port."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

# The engine's fixtures: Acme working every day, the email template, scenario S.
from relance.engine.tests.conftest import acme_daily, email_template, scenario_s  # noqa: F401


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
