"""Schemathesis against the live API (in process, through the WSGI application): for every
operation of the OpenAPI schema, generated requests never get a server error, and every
answer matches the schema (`make test-api`, run by .ci/run on PostgreSQL).

The requests run on the test's own database connection: Django's request signals would
close it after each request (and the next would see a 500), so they are disconnected."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from relance.accounts import services as account_services
from relance.accounts.tests.factories import UserFactory
from relance.config.tests.test_api import entity_rows

pytestmark = [pytest.mark.api_fuzz]
CHECKS = [schemathesis.checks.not_a_server_error, response_schema_conformance]


@pytest.fixture
def _one_connection():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(db, acme, globex, settings, _one_connection):
    """A credit manager of Acme France, with rows in both entities to find or to miss."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "100000/minute"},
    }
    entity_rows(acme, "Dupont")
    entity_rows(globex, "Smith")
    carol = UserFactory(username="carol", role="credit_manager")
    carol.entities.set([acme])
    _token, secret = account_services.api_token_create(user=carol, name="fuzz")
    return secret


@pytest.fixture
def api_schema(db):
    spec = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = WSGIHandler()
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_to_its_schema(case, api_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_token}"},
        checks=CHECKS,
        excluded_checks=[content_type_conformance],
    )
