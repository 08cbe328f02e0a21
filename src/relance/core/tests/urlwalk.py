"""Every URL of the project, filled in with real and bogus values, and the names of the
fields its page offers: what the hostile-input walker (test_hostile_input.py) requests.

URL patterns are read from the resolver, so a new page is walked without being listed here;
path converters get the ids of existing objects (SAMPLES says which model a URL names) and
bogus values, and a page's query and form parameters are those of its HTML forms plus the
list parameters every list page reads.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from relance.agenda.models import Action
from relance.alerts.models import AlertRule
from relance.banking.models import Statement, StatementLine, StatementUpload
from relance.customers.models import Contact, Customer
from relance.delivery.models import Connector
from relance.inbound.models import InboundAttachment, InboundEmail
from relance.ledger.models import ImportBatch
from relance.scenarios.models import Scenario, Step
from relance.segments.models import Segment
from relance.templating.choices import Channel
from relance.templating.models import MessageTemplate

BOGUS = {
    "int": "99999999999999999999",
    "string": "nonsense",
    "path": "nonsense/..",
    "slug": "x-x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
# The parameters of list pages and previews, offered to every URL even where no form names them.
COMMON_PARAMS = (
    "page",
    "per_page",
    "sort",
    "export",
    "q",
    "customer",
    "language",
    "entity",
    "tab",
    "next",
    "status",
)
# The model a URL's `<int:pk>` names, by namespace (or full name where it differs).
SAMPLES = {
    "customers": Customer,
    "agenda:customer-timeline": Customer,
    "agenda": Action,
    "ledger": ImportBatch,
    "templating": MessageTemplate,
    "scenarios": Scenario,
    "scenarios:step-edit": Step,
    "scenarios:step-operation": Step,
    "segments": Segment,
    "alerts": AlertRule,
    "delivery": Connector,
    "inbound": InboundEmail,
    "inbound:attachment": InboundAttachment,
    "inbound:contact-revalidate": Contact,
    "banking": Statement,
    "banking:line-allocate": StatementLine,
    "banking:line-customers": StatementLine,
    "banking:line-items": StatementLine,
    "banking:upload-detail": StatementUpload,
    "banking:upload-progress": StatementUpload,
}
# Other converters by name: the values that reach each branch of the view.
CHOICES = {
    "channel": list(Channel.values),
    "operation": ["up", "down", "duplicate", "delete"],
    "content_type_id": [],  # filled from the data (admin "view on site")
}


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name, or the route itself for unnamed patterns
    pattern: str  # the route as written, prefixes included
    converters: dict  # kwarg -> converter name ("int", "str", "path", "regex")


def routes(resolver=None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Every URL pattern of the project, depth first."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            yield Route(
                name=f"{namespace}:{entry.name}" if entry.name else pattern,
                pattern=pattern,
                converters=_converters(entry),
            )


def _converters(entry: URLPattern) -> dict:
    if isinstance(entry.pattern, RegexPattern):
        return {name: "regex" for name in entry.pattern.regex.groupindex}
    return {
        key: type(converter).__name__.replace("Converter", "").lower()
        for key, converter in entry.pattern.converters.items()
    }


def fill(route: Route, values: dict) -> str:
    """The URL path of `route` with `values` in place of its converters."""
    text = route.pattern

    def regex_group(match):
        name, body = match.group(1), match.group(2)
        if name in values:
            return str(values[name])
        words = re.findall(r"\w+", body)
        return words[0] if words and "|" in body else "nonsense"

    text = re.sub(r"\(\?P<(\w+)>([^)]*)\)", regex_group, text)
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), "1")), text)
    return "/" + text.replace("^", "").replace("$", "").replace("\\", "")


def sample_values(route: Route) -> list[dict]:
    """Sets of converter values for `route`: existing objects first, then bogus ones."""
    if not route.converters:
        return [{}]
    real = _real_values(route)
    bogus = {key: BOGUS.get(kind, "nonsense") for key, kind in route.converters.items()}
    return [*real, bogus]


def _real_values(route: Route) -> list[dict]:
    keys = set(route.converters)
    if route.pattern.startswith("admin/"):
        return _admin_values(route)
    if "contact_pk" in keys:
        return [{"pk": c.customer_id, "contact_pk": c.pk} for c in Contact.objects.all()[:1]]
    if "connector_id" in keys:
        return [{"connector_id": c.pk, "token": c.callback_token} for c in Connector.objects.all()]
    for key in keys & set(CHOICES):
        return [{key: choice} for choice in CHOICES[key]] + _with_pk(route, keys - {key})
    return _with_pk(route, keys)


def _with_pk(route: Route, keys: set) -> list[dict]:
    if not keys:
        return []
    model = SAMPLES.get(route.name) or SAMPLES.get(route.name.split(":")[0])
    if model is None:  # a URL this module does not know yet: the smallest ids
        return [dict.fromkeys(keys, 1)]
    return [dict.fromkeys(keys, pk) for pk in _variety(model)]


def _variety(model) -> list[int]:
    """A few objects that take different branches of their pages: an action per channel,
    open and finished, a template per channel, every import (previewed, failed)."""
    if model is Action:
        rows = Action.objects.order_by("pk").values_list("pk", "channel", "finished_on")
        return _one_per((pk, (channel, done is None)) for pk, channel, done in rows)
    if model is MessageTemplate:
        return _one_per(MessageTemplate.objects.order_by("pk").values_list("pk", "channel"))
    if model is ImportBatch:
        return list(ImportBatch.objects.values_list("pk", flat=True))
    return list(model.objects.values_list("pk", flat=True)[:1])


def _one_per(rows) -> list[int]:
    """The first pk of each distinct key in (pk, key) rows."""
    seen = {}
    for pk, key in rows:
        seen.setdefault(key, pk)
    return list(seen.values())


def _admin_values(route: Route) -> list[dict]:
    """Admin object URLs name their model in the path: admin/<app>/<model>/<id>/…"""
    parts = route.pattern.split("/")
    if "content_type_id" in route.converters:
        customer = Customer.objects.first()
        kind = ContentType.objects.get_for_model(Customer)
        return [{"content_type_id": kind.pk, "object_id": customer.pk}]
    try:
        model = apps.get_model(parts[1], parts[2])
    except (LookupError, IndexError):
        return []
    first = model.objects.order_by("pk").first()
    return [dict.fromkeys(route.converters, first.pk)] if first else []


class _FieldNames(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        name = dict(attrs).get("name")
        if tag in ("input", "select", "textarea") and name:
            self.names.add(name)


def field_names(html: str) -> list[str]:
    """The names of the form fields a page offers, with the common list parameters."""
    parser = _FieldNames()
    parser.feed(html)
    names = parser.names - {"csrfmiddlewaretoken"}
    return sorted(names | set(COMMON_PARAMS))
