"""Under the Content-Security-Policy, in Chromium: the pages that carry the most script (the
rule builder, the rich editor, the admin, the Swagger UI) work and the console shows no
violation (conftest.py checks the console after every browser test)."""

import re

import pytest
from playwright.sync_api import expect

from relance.customers.tests.factories import CustomerFactory
from relance.templating.defaults import default_templates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_works_under_the_policy(live_server, page, acme, log_in):
    from relance.accounts.tests.factories import UserFactory

    UserFactory(
        username="root", role="administrator", all_entities=True, is_staff=True, is_superuser=True
    )
    CustomerFactory(entity=acme, name="Dupont SA")
    log_in("root", start="/admin/")
    expect(page.get_by_role("heading", name=re.compile("administration", re.I))).to_be_visible()
    page.goto(f"{live_server.url}/admin/customers/customer/")
    page.get_by_role("link", name="Dupont SA").click()
    expect(page.locator("#customer_form")).to_be_visible()
    # The admin's own script (the collapsible navigation sidebar) runs.
    expect(page.locator("#toggle-nav-sidebar")).to_be_visible()
    page.locator("#toggle-nav-sidebar").click()
    expect(page.locator("#nav-sidebar")).not_to_be_visible()


def test_the_swagger_ui_runs_from_the_installation(live_server, page, alice, log_in):
    external = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url)
            if not request.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    log_in(start="/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Relance API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert external == []


def test_the_rich_template_editor_and_the_segment_builder_run(live_server, page, alice, log_in):
    default_templates()
    log_in(start="/templates/")
    page.locator(".template-list").get_by_role("link", name="First reminder").click()
    page.get_by_role("link", name="Edit").click()
    expect(page.locator("section.variant[data-lang=fr] .jodit-wysiwyg")).to_contain_text("Bonjour")

    page.goto(f"{live_server.url}/segments/new/")
    rows = page.locator(".rule-row")
    before = rows.count()
    page.get_by_role("button", name="Add a rule").first.click()
    expect(rows).to_have_count(before + 1)
