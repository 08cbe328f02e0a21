from relance.engine.tests.conftest import acme_daily, email_template, scenario_s  # noqa: F401
