import pytest

from relance.payments.tests.fake_stripe import FakeStripe

WEBHOOK_SECRET = "whsec_test_relance"


@pytest.fixture
def fake_stripe(settings):
    """The fake Stripe API, with the settings pointing at it."""
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_relance"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    yield fake
    fake.stop()
