"""One date format per language (relance/formats): the same day reads the same way on the
agenda, the history, the customer page and the alerts, in French and in English; and no
template writes a display format of its own."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from relance.agenda.models import Action
from relance.alerts.services import alert_rule_create, alert_rule_evaluate
from relance.alerts.tests.conftest import rules
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.scenarios.tests.factories import ScenarioFactory

DAY = datetime.date(2026, 11, 3)  # day and month apart: 03/11 is never read as 11/03
# The forms each language shows, written out here (not computed by the code under test);
# short in tables, long in sentences and detail lists.
FORMS = {
    "fr": {"short": "03/11/2026", "long": "3 novembre 2026"},
    "en": {"short": "03/11/2026", "long": "3 Nov 2026"},
}
# Other ways of writing DAY that must not reach a page any more: ISO, Django's American
# English ("Nov. 3, 2026", 11/03/2026), the abbreviated French of the old "j N Y".
ELSEWHERE = ("2026-11-03", "Nov. 3", "11/03/2026", "3 nov. 2026", "03/11 ")


class _Text(HTMLParser):
    """The text a reader sees (attributes and scripts left out)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(response) -> str:
    assert response.status_code == 200
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def test_the_format_modules_say_one_short_and_one_long_form_per_language():
    for language, forms in FORMS.items():
        with translation.override(language):
            assert date_format(DAY, "SHORT_DATE_FORMAT") == forms["short"]
            assert date_format(DAY) == forms["long"]
    at = datetime.datetime(2026, 11, 3, 14, 5)
    with translation.override("en"):
        assert date_format(at, "SHORT_DATETIME_FORMAT") == "03/11/2026 14:05"
        assert date_format(at, "DATETIME_FORMAT") == "3 Nov 2026 14:05"
    with translation.override("fr"):
        assert date_format(at, "DATETIME_FORMAT") == "3 novembre 2026 14:05"


@pytest.fixture
def dated(acme, alice):
    """On DAY: an open manual call due, another call done, an invoice of Dupont due, and
    alice's alert evaluated."""
    scenario = ScenarioFactory(entity=acme)
    dupont = make_customer(acme, name="Dupont SA", external_id="C-DUP")
    invoice = make_invoice(dupont, "F-1", DAY)
    common = dict(
        entity=acme,
        scenario=scenario,
        step=scenario.steps.first(),
        step_position=1,
        reference=invoice,
        created_on=DAY - datetime.timedelta(days=10),
        channel="call",
        mode="manual",
    )
    Action.objects.create(
        customer=dupont, step_name="call", status="planned", due_date=DAY, **common
    )
    martin = make_customer(acme, name="Martin SARL", external_id="C-MAR")
    common["reference"] = make_invoice(martin, "F-2", DAY - datetime.timedelta(days=40))
    Action.objects.create(
        customer=martin,
        step_name="done call",
        status="done",
        due_date=DAY - datetime.timedelta(days=1),
        finished_on=DAY,
        **common,
    )
    rule = alert_rule_create(owner=alice, name="Late", criteria=rules(("days_overdue", "gt", "0")))
    alert_rule_evaluate(rule=rule, day=DAY + datetime.timedelta(days=5))
    rule.last_evaluated_on = DAY
    rule.hits.update(evaluated_on=DAY)
    rule.save()
    return {"customer": dupont, "rule": rule}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_same_day_reads_the_same_on_every_page(client, alice, dated, language):
    client.force_login(alice)
    forms = FORMS[language]
    pages = {
        "agenda": (reverse("agenda:manual"), "short"),
        "history": (reverse("agenda:history"), "short"),
        "customer items": (dated["customer"].get_absolute_url(), "short"),
        "customer summary": (dated["customer"].get_absolute_url(), "long"),
        "alerts": (reverse("alerts:list"), "short"),
        "alert": (reverse("alerts:detail", args=[dated["rule"].pk]), "long"),
    }
    for name, (url, form) in pages.items():
        text = visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE=language))
        assert forms[form] in text, (name, text[:3000])
        for other in ELSEWHERE:
            assert other not in text, (name, other)


# --- no template writes a display format of its own ------------------------------------

DATE_FILTER = re.compile(r"""\|date:(["'])(?P<format>[^"']*)\1""")
MACHINE_FORMATS = {"c", "U", "Y-m-d"}  # ISO 8601, a timestamp, an <input type=date> value
NAMED = re.compile(r"^(SHORT_)?DATE(TIME)?_FORMAT$|^(MONTH_DAY|YEAR_MONTH|TIME)_FORMAT$")


def _inside_a_tag(text: str, at: int) -> bool:
    """Whether position `at` of a template falls within an HTML tag (an attribute's value)."""
    return text.rfind("<", 0, at) > text.rfind(">", 0, at)


def literal_display_formats(text: str) -> list[str]:
    """The `|date:"…"` of `text` that fix a display format: neither a format name of
    relance/formats nor a machine format inside an attribute."""
    found = []
    for match in DATE_FILTER.finditer(text):
        fmt = match["format"]
        if NAMED.match(fmt):
            continue
        if fmt in MACHINE_FORMATS and _inside_a_tag(text, match.start()):
            continue
        found.append(fmt)
    return found


def test_the_scan_tells_display_formats_from_machine_ones():
    assert literal_display_formats('<td>{{ a|date:"j N Y" }} {{ b|date:"Y-m-d" }}</td>') == [
        "j N Y",
        "Y-m-d",
    ]
    assert (
        literal_display_formats(
            '<time datetime="{{ a|date:"c" }}">{{ a|date }}</time>'
            '<input type="date" value="{{ b|date:\'Y-m-d\' }}">{{ b|date:"SHORT_DATE_FORMAT" }}'
        )
        == []
    )


def test_no_template_writes_a_literal_display_date_format():
    root = Path(__file__).resolve().parents[2]  # src/relance
    templates = [
        path
        for path in root.rglob("*")
        if path.suffix in (".html", ".txt") and "templates" in path.parts
    ]
    assert len(templates) > 50  # the walk found them
    offenders = {
        str(path.relative_to(root)): found
        for path in templates
        if (found := literal_display_formats(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
