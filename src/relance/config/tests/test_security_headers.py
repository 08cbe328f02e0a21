"""Content-Security-Policy on every page, without inline or eval'd scripts; the API docs
behind login and served from the installation."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2]
PAGES = ["/customers/", "/agenda/", "/ledger/items/", "/templates/", "/segments/", "/admin/"]


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


class Scripts(HTMLParser):
    """The page's <script> tags and its inline event-handler attributes."""

    def __init__(self):
        super().__init__()
        self.scripts, self.handlers = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        self.handlers += [
            f"{name}={value}"
            for name, value in attrs.items()
            if (value or "").strip().lower().startswith(("javascript:", "js:"))
            or name.startswith("hx-on")
        ]


def _assert_no_inline_script(html: str, nonce: str | None):
    parser = Scripts()
    parser.feed(html)
    assert parser.handlers == []
    for script in parser.scripts:
        assert script.get("src") or (nonce and script.get("nonce") == nonce), script


@pytest.mark.parametrize("url", PAGES)
def test_a_page_has_a_policy_without_inline_or_evald_scripts(client, alice, url):
    client.force_login(alice)

    response = client.get(url, follow=True)

    assert response.status_code == 200
    policy = _policy(response)
    # Scripts from the site, or with the page's nonce when a template asked for one.
    nonces = [value[7:-1] for value in policy["script-src"] if value.startswith("'nonce-")]
    assert policy["script-src"] == ["'self'", *(f"'nonce-{n}'" for n in nonces)]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    _assert_no_inline_script(response.content.decode(), nonces[0] if nonces else None)


def test_the_login_page_has_the_policy_too(client):
    response = client.get("/login/")

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_no_template_holds_an_inline_script_or_handler():
    """Pages not walked above (forms, details) are checked in their templates."""
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text()
        inline = re.findall(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", text)
        handlers = re.findall(r"\son[a-z]+\s*=|javascript:|hx-on|hx-vars|=\s*'js:|=\s*\"js:", text)
        if inline or handlers:
            offenders.append((template.relative_to(SRC), inline, handlers))
    assert offenders == []


def test_htmx_runs_without_eval_or_injected_styles(client, alice):
    client.force_login(alice)

    html = client.get("/customers/").content.decode()

    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html


@pytest.mark.parametrize("url", ["/api/docs/", "/api/schema/", "/api/docs/?script="])
def test_the_api_docs_send_visitors_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/?next=/api/")


def test_the_swagger_ui_comes_from_the_installation(client, alice):
    client.force_login(alice)

    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")
    schema = client.get("/api/schema/")

    assert page.status_code == script.status_code == schema.status_code == 200
    html = page.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses, html
    assert all(a.startswith("/") and not a.startswith("//") for a in addresses), addresses
    assert "<script>" not in html  # its start-up script is a file, for the policy
    assert "swagger-ui-bundle.js" in html
    assert "https://" not in script.content.decode()
    assert '"validatorUrl": null' in script.content.decode()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_https_redirect_and_hsts_spare_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True

    plain = client.get("/login/")
    secure = client.get("/login/", secure=True)
    health = client.get("/healthz")

    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://testserver/login/"
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert health.status_code != 301
