"""Fixtures of the integration tests: a throwaway PostgreSQL database and a flushed Redis
database as broker, each test module naming its own (REDIS_URL) so that they can run at once.
On a machine shared by several checkouts, RELANCE_TEST_DB_PREFIX names the databases and
RELANCE_TEST_REDIS_URL replaces the module's Redis database."""

import os

import psycopg
import pytest
import redis

PG = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture
def database(request):
    prefix = os.environ.get("RELANCE_TEST_DB_PREFIX", "relance")
    name = f"{prefix}_{request.module.__name__.rsplit('.', 1)[-1]}_{os.getpid()}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{PG}/{name}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def broker(request):
    url = os.environ.get("RELANCE_TEST_REDIS_URL") or request.module.REDIS_URL
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
