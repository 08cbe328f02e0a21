"""Segment criteria: the fields a rule may test, their validation, and their compilation.

A criteria tree is JSON:

    {"op": "and" | "or", "rules": [rule | tree, ...]}
    rule = {"field": "<key>", "lookup": "<lookup>", "value": ...}

An empty tree (`{}` or no rules) matches every customer: the catch-all segment. Fields are
customer fields (entity, country, tags...), custom fields (`cf_<name>`) and figures computed
from the open items with the same annotations as the customer list (customers/selectors.py:
outstanding, overdue, days overdue...), so that a segment and the list agree on a number.

`criteria_clean()` checks a tree and returns it normalised (values typed and JSON-safe);
every message names its rule ("rule 2: unknown field 'overdu'", "rule 3.1: ..." inside a
group). `criteria_queryset()` filters a Customer queryset by a clean tree.
"""

import re
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from relance.core.choices import Language
from relance.core.parsing import parse_bool, parse_date, parse_decimal
from relance.core.validators import validate_currency
from relance.customers.choices import CustomFieldType, GuaranteeKind
from relance.customers.models import Customer, CustomField
from relance.customers.selectors import today_expression, with_figures
from relance.ledger.choices import ItemKind, ItemStatus
from relance.ledger.models import Item

TEXT, CHOICE, NUMBER, INTEGER, DATE, BOOLEAN, TAGS = (
    "text",
    "choice",
    "number",
    "integer",
    "date",
    "boolean",
    "tags",
)
LOOKUPS = {
    "eq": _("is"),
    "ne": _("is not"),
    "in": _("is one of"),
    "gt": _("greater than"),
    "gte": _("at least"),
    "lt": _("less than"),
    "lte": _("at most"),
    "contains": _("contains"),
    "is_empty": _("is empty"),
}
TEXT_LOOKUPS = ("eq", "ne", "in", "contains", "is_empty")
CHOICE_LOOKUPS = ("eq", "ne", "in")
ORDER_LOOKUPS = ("eq", "ne", "gt", "gte", "lt", "lte")
OPS = ("and", "or")
PERCENT = DecimalField(max_digits=12, decimal_places=1)
MONEY = DecimalField(max_digits=16, decimal_places=2)
MONEY_VALUE = re.compile(r"(.*?\d)\s*([A-Za-z]{3})")  # "5000 EUR", "5 000,50eur"

Todays = date | Mapping[int, date]  # one date for all (an engine run), or per entity


@dataclass(frozen=True)
class CriterionField:
    """A field a rule may test: its key in the JSON, its label, type and lookups."""

    key: str
    label: object
    type: str
    lookups: tuple[str, ...]
    path: str = ""  # ORM path or annotation name
    nullable: bool = False  # is_empty also matches NULL
    figures: bool = False  # needs customers/selectors.with_figures()
    choices: Callable[[], list[tuple[str, str]]] | None = None
    custom_field: CustomField | None = None
    money: bool = False  # an amount in the customer's currency; "5000 EUR" also tests it
    days_until: bool = False  # days from the entity's today to the date at `path`
    help: object = ""  # what the figure is, shown beside its label


def _language_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in Language.choices]


def _guarantee_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in GuaranteeKind.choices]


def _item_status_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in ItemStatus.choices]


STATIC_FIELDS = [
    CriterionField("entity", _("Entity (slug)"), TEXT, CHOICE_LOOKUPS, "entity__slug"),
    CriterionField("name", _("Name"), TEXT, TEXT_LOOKUPS, "name"),
    CriterionField("country", _("Country"), TEXT, CHOICE_LOOKUPS, "country"),
    CriterionField(
        "language", _("Language"), CHOICE, CHOICE_LOOKUPS, "language", choices=_language_choices
    ),
    CriterionField("category", _("Category"), TEXT, TEXT_LOOKUPS, "category"),
    CriterionField("tags", _("Tags"), TAGS, ("eq", "ne", "in", "is_empty")),
    CriterionField(
        "collector",
        _("Collector (username)"),
        TEXT,
        ("eq", "ne", "in", "is_empty"),
        "collector__username",
        nullable=True,
    ),
    CriterionField("on_hold", _("On hold"), BOOLEAN, ("eq",), "on_hold"),
    CriterionField(
        "credit_limit",
        _("Credit limit"),
        NUMBER,
        (*ORDER_LOOKUPS, "is_empty"),
        "credit_limit",
        nullable=True,
        money=True,
    ),
    CriterionField(
        "total_open",
        _("Total open invoices"),
        NUMBER,
        ORDER_LOOKUPS,
        "open_invoices",
        figures=True,
        money=True,
    ),
    CriterionField(
        "outstanding",
        _("Outstanding (net of credits)"),
        NUMBER,
        ORDER_LOOKUPS,
        "outstanding",
        figures=True,
        money=True,
    ),
    CriterionField(
        "overdue_amount",
        _("Overdue amount"),
        NUMBER,
        ORDER_LOOKUPS,
        "overdue",
        figures=True,
        money=True,
    ),
    CriterionField(
        "days_overdue", _("Days overdue"), INTEGER, ORDER_LOOKUPS, "oldest_overdue", figures=True
    ),
    CriterionField(
        "open_invoice_count",
        _("Number of open invoices"),
        INTEGER,
        ORDER_LOOKUPS,
        "_open_invoice_count",
    ),
    CriterionField(
        "credit_limit_use",
        _("Credit limit use (%)"),
        NUMBER,
        (*ORDER_LOOKUPS, "is_empty"),
        "_credit_limit_use",
        nullable=True,
        figures=True,
    ),
    CriterionField("currency", _("Currency"), TEXT, CHOICE_LOOKUPS, "currency"),
    CriterionField(
        "item_status",
        _("Status of an open invoice"),
        CHOICE,
        ("eq", "ne"),
        choices=_item_status_choices,
    ),
    CriterionField(
        "next_due_in",
        _("Days until the next due date"),
        INTEGER,
        (*ORDER_LOOKUPS, "is_empty"),
        "_next_due",
        nullable=True,
        days_until=True,
    ),
    CriterionField("insurer", _("Credit insurer"), TEXT, TEXT_LOOKUPS, "insurer"),
    CriterionField(
        "insured_amount",
        _("Insured amount"),
        NUMBER,
        (*ORDER_LOOKUPS, "is_empty"),
        "insured_amount",
        nullable=True,
        money=True,
    ),
    CriterionField(
        "insurance_expires_in",
        _("Days until the insurance expires"),
        INTEGER,
        (*ORDER_LOOKUPS, "is_empty"),
        "insurance_expires_on",
        nullable=True,
        days_until=True,
    ),
    CriterionField(
        "guarantee_kind",
        _("Guarantee"),
        CHOICE,
        (*CHOICE_LOOKUPS, "is_empty"),
        "guarantee_kind",
        choices=_guarantee_choices,
    ),
    CriterionField(
        "guarantee_amount",
        _("Guarantee amount"),
        NUMBER,
        (*ORDER_LOOKUPS, "is_empty"),
        "guarantee_amount",
        nullable=True,
        money=True,
    ),
    CriterionField(
        "uncovered",
        _("Outstanding not covered (insurance, guarantee)"),
        NUMBER,
        ORDER_LOOKUPS,
        "_uncovered",
        figures=True,
        money=True,
    ),
]

# The Insights figures of a customer, read from what the daily snapshot stored on its
# entity's latest day (insights.CustomerRisk, insights.CustomerSnapshot): the models are
# named, not imported, as segments sit below insights.
AGED = [
    ("d1_30", _("Overdue 1–30 days")),
    ("d31_60", _("Overdue 31–60 days")),
    ("d61_90", _("Overdue 61–90 days")),
    ("d90_plus", _("Overdue over 90 days")),
]
STATIC_FIELDS += [
    CriterionField(
        "risk_score",
        _("Risk score"),
        INTEGER,
        (*ORDER_LOOKUPS, "is_empty"),
        "_risk_score",
        nullable=True,
        help=_(
            "0 (no risk) to 100, from the payment lateness, the overdue share, the trend, "
            "the disputes and the credit limit use (the latest daily score)."
        ),
    ),
    CriterionField(
        "overdue_ratio",
        _("Overdue ratio (%)"),
        NUMBER,
        (*ORDER_LOOKUPS, "is_empty"),
        "_overdue_ratio",
        nullable=True,
        figures=True,
        help=_("Overdue open invoices / open invoices × 100, in the customer's currency."),
    ),
    CriterionField(
        "dso",
        _("DSO of the customer (days)"),
        NUMBER,
        (*ORDER_LOOKUPS, "is_empty"),
        "_dso",
        nullable=True,
        help=_(
            "Open invoices / invoices issued in the last 90 days × 90, on the latest daily "
            "score's day; empty without invoices in the 90 days."
        ),
    ),
    *(
        CriterionField(
            f"aged_{key}",
            label,
            NUMBER,
            ORDER_LOOKUPS,
            f"_aged_{key}",
            money=True,
            help=_("In the customer's currency, from the latest daily snapshot."),
        )
        for key, label in AGED
    ),
]

CUSTOM_PREFIX = "cf_"
CUSTOM_TYPES = {
    CustomFieldType.TEXT: (TEXT, TEXT_LOOKUPS),
    CustomFieldType.INTEGER: (INTEGER, (*ORDER_LOOKUPS, "is_empty")),
    CustomFieldType.DECIMAL: (NUMBER, (*ORDER_LOOKUPS, "is_empty")),
    CustomFieldType.DATE: (DATE, (*ORDER_LOOKUPS, "is_empty")),
    CustomFieldType.BOOLEAN: (BOOLEAN, ("eq", "is_empty")),
    CustomFieldType.SELECT: (CHOICE, (*CHOICE_LOOKUPS, "is_empty")),
}


def _custom_criterion(custom: CustomField) -> CriterionField:
    kind, lookups = CUSTOM_TYPES[custom.type]
    choices = None
    if custom.type == CustomFieldType.SELECT:
        values = list(custom.choices)
        choices = lambda: [(str(value), str(value)) for value in values]  # noqa: E731
    return CriterionField(
        f"{CUSTOM_PREFIX}{custom.name}",
        custom.label,
        kind,
        lookups,
        f"custom_field_data__{custom.name}",
        nullable=True,
        choices=choices,
        custom_field=custom,
    )


def criterion_fields() -> dict[str, CriterionField]:
    """Every field a rule may test, by key: the fixed ones, then the custom fields (one query)."""
    fields = {criterion.key: criterion for criterion in STATIC_FIELDS}
    for custom in CustomField.objects.all():
        criterion = _custom_criterion(custom)
        fields[criterion.key] = criterion
    return fields


# --- validation -------------------------------------------------------------------------


def split_money(value) -> tuple[str, str]:
    """("5000", "EUR") from "5000 EUR"; the currency is "" when the value has none."""
    found = MONEY_VALUE.fullmatch(str(value).strip())
    if found is None:
        return str(value), ""
    return found.group(1), found.group(2).upper()


def _quoted(value) -> str:
    return repr(str(value).strip())


def _typed(criterion: CriterionField, value):
    """`value` parsed for the field's type, JSON-safe; ValueError says why not, in words
    that follow the field's label ("'abc' is not a whole number")."""
    kind = criterion.type
    if criterion.money:
        number, currency = split_money(value)
        amount = format(_decimal(number).normalize(), "f")
        if not currency:
            return amount
        try:
            return f"{amount} {validate_currency(currency)}"
        except ValidationError:
            raise ValueError(
                gettext("%(value)s is not a currency code") % {"value": _quoted(currency)}
            ) from None
    if kind == NUMBER:
        return format(_decimal(value).normalize(), "f")
    if kind == INTEGER:
        try:
            if isinstance(value, bool):
                raise ValueError
            return int(str(value).strip())
        except ValueError:
            raise ValueError(
                gettext("%(value)s is not a whole number") % {"value": _quoted(value)}
            ) from None
    if kind == DATE:
        try:
            return parse_date(value).isoformat()
        except ValueError:
            reason = gettext("%(value)s is not a date (YYYY-MM-DD or DD/MM/YYYY)")
            raise ValueError(reason % {"value": _quoted(value)}) from None
    if kind == BOOLEAN:
        try:
            return parse_bool(value)
        except ValueError:
            reason = gettext("%(value)s is not yes or no")
            raise ValueError(reason % {"value": _quoted(value)}) from None
    text = str(value).strip()
    if not text:
        raise ValueError(gettext("a value is required"))
    if criterion.choices is not None:
        allowed = [code for code, _label in criterion.choices()]
        if text not in allowed:
            raise ValueError(
                gettext("%(value)s is not one of %(allowed)s")
                % {"value": _quoted(text), "allowed": ", ".join(allowed)}
            )
    return text


def _decimal(value) -> Decimal:
    try:
        return parse_decimal(value, places=4)
    except ValueError as exc:
        if "decimal places" in str(exc):
            reason = gettext("%(value)s has more than 4 decimal places")
        else:
            reason = gettext("%(value)s is not an amount")
        raise ValueError(reason % {"value": _quoted(value)}) from None


def _clean_value(criterion: CriterionField, lookup: str, value):
    if lookup == "is_empty":
        try:
            return True if value in (None, "") else parse_bool(value)
        except ValueError:
            reason = gettext("%(value)s is not yes or no")
            raise ValueError(reason % {"value": _quoted(value)}) from None
    if lookup == "in":
        values = value.split(",") if isinstance(value, str) else value
        if not isinstance(values, list | tuple):
            values = []
        values = [_typed(criterion, item) for item in values if str(item).strip() != ""]
        if not values:
            raise ValueError(
                gettext("“%(lookup)s” needs at least one value") % {"lookup": LOOKUPS["in"]}
            )
        return values
    if value is None or value == "" or isinstance(value, list | dict):
        raise ValueError(gettext("a value is required"))
    return _typed(criterion, value)


def _clean_rule(rule, label: str, fields, errors: list[str]):
    """The rule typed, or None with a sentence in `errors`: named by the field's label where
    the field is known, by the rule's place (`label`, "Rule 2.1") where it is not."""
    if not isinstance(rule, dict):
        errors.append(gettext("%(rule)s is not a rule.") % {"rule": label})
        return None
    if "rules" in rule or "op" in rule:
        return _clean_tree(rule, label, fields, errors)
    key, lookup = rule.get("field"), rule.get("lookup", "eq")
    criterion = fields.get(key)
    if criterion is None:
        errors.append(
            gettext("%(rule)s: no field is called %(key)s.") % {"rule": label, "key": _quoted(key)}
        )
        return None
    if lookup not in criterion.lookups:
        allowed = ", ".join(f"“{LOOKUPS[name]}”" for name in criterion.lookups)
        errors.append(
            gettext("%(field)s: the comparison %(lookup)s does not apply (use %(allowed)s).")
            % {"field": criterion.label, "lookup": _quoted(lookup), "allowed": allowed}
        )
        return None
    try:
        value = _clean_value(criterion, lookup, rule.get("value"))
    except ValueError as exc:
        errors.append(gettext("%(field)s: %(reason)s.") % {"field": criterion.label, "reason": exc})
        return None
    return {"field": key, "lookup": lookup, "value": value}


def _clean_tree(tree, label: str, fields, errors: list[str]) -> dict:
    """`label` names the group: "" for the whole tree, "Rule 2" for a group in it."""
    where = label or gettext("The rules")
    if not isinstance(tree, dict):
        errors.append(gettext("%(where)s must be a group of rules.") % {"where": where})
        return {}
    op = tree.get("op", "and")
    if op not in OPS:
        errors.append(
            gettext("%(where)s: %(op)s is not an operator (use and, or).")
            % {"where": where, "op": _quoted(op)}
        )
    rules = tree.get("rules", [])
    if not isinstance(rules, list):
        errors.append(gettext("%(where)s: the rules must be a list.") % {"where": where})
        rules = []
    cleaned = []
    for index, rule in enumerate(rules, start=1):
        place = f"{label}.{index}" if label else gettext("Rule %(n)s") % {"n": index}
        result = _clean_rule(rule, place, fields, errors)
        if result is not None:
            cleaned.append(result)
    return {"op": op, "rules": cleaned}


def criteria_clean(criteria, fields: dict[str, CriterionField] | None = None) -> dict:
    """The criteria tree typed and normalised; ValidationError lists every faulty rule."""
    if criteria in (None, ""):
        criteria = {}
    fields = criterion_fields() if fields is None else fields
    errors: list[str] = []
    cleaned = _clean_tree(criteria, "", fields, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def criteria_fields_used(criteria) -> set[str]:
    used = set()
    for rule in (criteria or {}).get("rules", []):
        if "rules" in rule:
            used |= criteria_fields_used(rule)
        else:
            used.add(rule.get("field"))
    return used


# --- compilation ------------------------------------------------------------------------


@dataclass
class _Compiler:
    fields: dict[str, CriterionField]
    todays: Todays
    annotations: dict = field(default_factory=dict)
    figures: bool = False

    def tree(self, tree: dict) -> Q:
        combined = Q()
        for rule in tree.get("rules", []):
            condition = self.tree(rule) if "rules" in rule else self.rule(rule)
            combined = condition if not combined else self._join(tree, combined, condition)
        return combined

    @staticmethod
    def _join(tree, left: Q, right: Q) -> Q:
        return left | right if tree.get("op") == "or" else left & right

    def rule(self, rule: dict) -> Q:
        criterion = self.fields[rule["field"]]
        lookup, value = rule["lookup"], rule["value"]
        self.figures |= criterion.figures
        if criterion.type == TAGS:
            return _tags_q(lookup, value)
        if criterion.key == "days_overdue":
            return _days_overdue_q(lookup, int(value), self.todays)
        if criterion.key == "item_status":
            has = Exists(_items_in_status(value, self.todays))
            return ~has if lookup == "ne" else has
        path = self._path(criterion)
        if lookup == "is_empty":
            return _empty_q(criterion, path) if value else ~_empty_q(criterion, path)
        if criterion.days_until:
            return _days_until_q(path, lookup, int(value), self.todays)
        currency = ""
        if criterion.money:
            value, currency = split_money(value)
        value = _python(criterion, value)
        in_currency = Q(currency=currency) if currency else Q()
        if lookup == "eq":
            return Q(**{path: value}) & in_currency
        if lookup == "ne":
            return ~(Q(**{path: value}) & in_currency)
        if lookup == "contains":
            return Q(**{f"{path}__icontains": value})
        return Q(**{f"{path}__{lookup}": value}) & in_currency

    def figure(self, rule: dict):
        """The expression of what `rule` tested, for each matching customer (what an alert
        shows beside it); None where there is no single figure (tags)."""
        criterion = self.fields[rule["field"]]
        if criterion.type == TAGS:
            return None
        if criterion.key == "days_overdue":
            return F("oldest_overdue")
        if criterion.key == "item_status":
            items = _items_in_status(rule["value"], self.todays).filter(
                currency=OuterRef("currency")
            )
            total = items.order_by().values("customer").annotate(t=Sum("open_amount"))
            return Subquery(total.values("t"), output_field=MONEY)
        path = self._path(criterion)
        if criterion.custom_field is not None and path == criterion.path:
            return KeyTextTransform(criterion.custom_field.name, "custom_field_data")
        return F(path)

    def _path(self, criterion: CriterionField) -> str:
        """The ORM path to compare, adding the annotation it needs."""
        custom = criterion.custom_field
        if criterion.path == "_open_invoice_count":
            self.annotations[criterion.path] = _open_invoice_count()
        elif criterion.path == "_credit_limit_use":
            self.annotations[criterion.path] = _credit_limit_use()
        elif criterion.path == "_uncovered":
            self.annotations[criterion.path] = _uncovered()
        elif criterion.path == "_next_due":
            self.annotations[criterion.path] = _next_due(self.todays)
        elif criterion.path == "_overdue_ratio":
            self.annotations[criterion.path] = _overdue_ratio()
        elif criterion.path in ("_risk_score", "_dso"):
            column = {"_risk_score": "score", "_dso": "dso"}[criterion.path]
            self.annotations[criterion.path] = _latest_risk(column)
        elif criterion.path.startswith("_aged_"):
            self.annotations[criterion.path] = _latest_aged(criterion.path.removeprefix("_aged_"))
        elif custom is not None and criterion.type in (NUMBER, INTEGER, DATE):
            alias = f"_cf_{custom.name}"
            output = (
                DateField()
                if criterion.type == DATE
                else DecimalField(max_digits=20, decimal_places=4)
            )
            text = KeyTextTransform(custom.name, "custom_field_data")
            self.annotations[alias] = Cast(NullIf(text, Value("")), output_field=output)
            return alias
        return criterion.path


def _per_today(condition_on: Callable[[date], Q], todays: Todays) -> Q:
    """`condition_on(today)` for each entity's today; entities sharing a today share one."""
    if isinstance(todays, date):
        return condition_on(todays)
    by_day: dict[date, list[int]] = {}
    for entity_id, day in todays.items():
        by_day.setdefault(day, []).append(entity_id)
    combined = Q(pk__in=[])
    for day, entity_ids in by_day.items():
        condition = condition_on(day)
        if len(by_day) > 1:
            condition &= Q(entity_id__in=entity_ids)
        combined |= condition
    return combined


def _days_until_q(path: str, lookup: str, days: int, todays: Todays) -> Q:
    """Days from today to the date at `path` compared by moving the bound onto the date
    (today + days); no date matches no comparison."""

    def condition_on(today: date) -> Q:
        bound = today + timedelta(days=days)
        if lookup == "ne":
            return Q(**{f"{path}__isnull": False}) & ~Q(**{path: bound})
        if lookup == "eq":
            return Q(**{path: bound})
        return Q(**{f"{path}__{lookup}": bound})

    return _per_today(condition_on, todays)


def _items_in_status(status: str, todays: Todays) -> QuerySet:
    """The outer customer's open invoices in `status` (ItemStatus) on their entity's today."""
    today = today_expression(todays, "entity_id")
    conditions = {
        ItemStatus.OVERDUE: Q(due_date__lt=today),
        ItemStatus.NOT_DUE: Q(due_date__gte=today) | Q(due_date__isnull=True),
        ItemStatus.DISPUTED: Q(disputed=True),
        ItemStatus.PROMISED: Q(promise_date__gte=today),
        ItemStatus.PROMISE_BROKEN: Q(promise_date__lt=today),
        ItemStatus.PAYMENT_ANNOUNCED: Q(payment_announced_on__isnull=False),
        ItemStatus.BLOCKED: Q(blocked=True),
    }
    return Item.objects.filter(
        conditions[status], customer=OuterRef("pk"), kind=ItemKind.INVOICE, open_amount__gt=0
    )


def _next_due(todays: Todays):
    """The due date of the outer customer's next open invoice not yet due."""
    upcoming = Item.objects.filter(
        customer=OuterRef("pk"),
        kind=ItemKind.INVOICE,
        open_amount__gt=0,
        due_date__gte=today_expression(todays, "entity_id"),
    )
    first = upcoming.order_by().values("customer").annotate(d=Min("due_date")).values("d")
    return Subquery(first, output_field=DateField())


def _uncovered():
    """Outstanding less the insured amount and the guarantee (what the customer's failure
    would cost), in the customer's currency."""
    zero = Value(Decimal(0), output_field=MONEY)
    return ExpressionWrapper(
        F("outstanding")
        - Coalesce(F("insured_amount"), zero, output_field=MONEY)
        - Coalesce(F("guarantee_amount"), zero, output_field=MONEY),
        output_field=MONEY,
    )


def _python(criterion: CriterionField, value):
    if isinstance(value, list):
        return [_python(criterion, item) for item in value]
    if criterion.type in (NUMBER, INTEGER) and criterion.custom_field is not None:
        return Decimal(str(value))
    if criterion.type == NUMBER:
        return Decimal(value)
    if criterion.type == DATE:
        return date.fromisoformat(value)
    return value


def _empty_q(criterion: CriterionField, path: str) -> Q:
    if criterion.custom_field is not None:
        raw = criterion.path
        return Q(**{f"{raw}__isnull": True}) | Q(**{raw: None}) | Q(**{raw: ""})
    condition = Q(**{f"{path}__isnull": True}) if criterion.nullable else Q()
    if criterion.type in (TEXT, CHOICE) and not path.endswith("__username"):
        condition |= Q(**{path: ""})
    return condition


def _tags_q(lookup: str, value) -> Q:
    links = Customer.tags.through.objects.filter(customer_id=OuterRef("pk"))
    if lookup == "is_empty":
        return ~Exists(links) if value else Exists(links)
    names = value if isinstance(value, list) else [value]
    has = Exists(links.filter(tag__name__in=names))
    return ~has if lookup == "ne" else has


def _days_overdue_q(lookup: str, days: int, todays: Todays) -> Q:
    """Days overdue compared by moving the bound onto the oldest overdue due date, per
    entity today (entities sharing a today share one condition). No overdue invoice counts
    as 0 days."""
    return _per_today(lambda today: _oldest_due_q(lookup, days, today), todays)


def _oldest_due_q(lookup: str, days: int, today: date) -> Q:
    bound = today - timedelta(days=days)  # due on `bound` = `days` days overdue
    none = Q(oldest_overdue__isnull=True)  # 0 days
    match lookup:
        case "gt":
            return Q(oldest_overdue__lt=bound) if days >= 0 else Q()
        case "gte":
            return Q(oldest_overdue__lte=bound) if days > 0 else Q()
        case "lt":
            return (Q(oldest_overdue__gt=bound) | none) if days > 0 else Q(pk__in=[])
        case "lte":
            return (Q(oldest_overdue__gte=bound) | none) if days >= 0 else Q(pk__in=[])
        case "eq":
            return none if days == 0 else Q(oldest_overdue=bound)
    return ~none if days == 0 else none | ~Q(oldest_overdue=bound)


def _open_invoice_count():
    invoices = Item.objects.filter(
        customer=OuterRef("pk"), kind=ItemKind.INVOICE, open_amount__gt=0
    )
    count = invoices.order_by().values("customer").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def _overdue_ratio():
    """Overdue open invoices as a percentage of the open invoices, in the customer's
    currency (NULL with nothing open), as the Insights overdue ratio."""
    return ExpressionWrapper(
        F("overdue") * Value(Decimal(100)) / NullIf(F("open_invoices"), Value(Decimal(0))),
        output_field=PERCENT,
    )


def _latest_risk(column: str):
    """`column` of the outer customer's risk on the latest day its entity's scores were
    written (NULL: no score that day: nothing open and nothing paid in the year)."""
    risks = apps.get_model("insights", "CustomerRisk").objects
    latest = risks.filter(entity_id=OuterRef(OuterRef("entity_id"))).order_by("-day")
    found = risks.filter(customer=OuterRef("pk"), day=Subquery(latest.values("day")[:1]))
    field = IntegerField() if column == "score" else PERCENT
    return Subquery(found.values(column)[:1], output_field=field)


def _latest_aged(bucket: str):
    """The outer customer's aging `bucket` in its currency on its entity's latest snapshot
    day (0 without a row that day: nothing was open)."""
    snapshot_days = apps.get_model("insights", "SnapshotDay").objects
    latest = snapshot_days.filter(entity_id=OuterRef(OuterRef("entity_id"))).order_by("-day")
    latest_day = Subquery(latest.values("day")[:1])
    found = apps.get_model("insights", "CustomerSnapshot").objects.filter(
        customer=OuterRef("pk"),
        currency=OuterRef("currency"),
        since__lte=latest_day,
        until__gt=latest_day,
    )
    amount = Subquery(found.values(bucket)[:1], output_field=MONEY)
    return Coalesce(amount, Value(Decimal(0), output_field=MONEY), output_field=MONEY)


def _credit_limit_use():
    """Outstanding in the customer's currency as a percentage of its credit limit (NULL
    without a limit), as on the customer page."""
    return ExpressionWrapper(
        F("outstanding") * Value(Decimal(100)) / NullIf(F("credit_limit"), Value(Decimal(0))),
        output_field=PERCENT,
    )


def criteria_queryset(
    criteria: dict,
    customers: QuerySet,
    todays: Todays,
    fields: dict[str, CriterionField] | None = None,
) -> QuerySet:
    """`customers` restricted to those matching the clean `criteria`; `todays` is each
    entity's today (what decides overdue)."""
    fields = criterion_fields() if fields is None else fields
    compiler = _Compiler(fields=fields, todays=todays)
    condition = compiler.tree(criteria or {})
    if compiler.figures:
        customers = with_figures(customers, todays)
    if compiler.annotations:
        customers = customers.alias(**compiler.annotations)
    return customers.filter(condition) if condition else customers


def criteria_matches(
    criteria: dict,
    customers: QuerySet,
    todays: Todays,
    fields: dict[str, CriterionField] | None = None,
) -> tuple[QuerySet, dict[str, str]]:
    """Like criteria_queryset(), with each tested field's figure annotated: the queryset and
    {field key: annotation name} (the first rule on a field gives its figure)."""
    fields = criterion_fields() if fields is None else fields
    compiler = _Compiler(fields=fields, todays=todays)
    condition = compiler.tree(criteria or {})
    figures = {}
    for rule in criteria_leaves(criteria):
        if rule["field"] not in figures:
            expression = compiler.figure(rule)
            if expression is not None:
                figures[rule["field"]] = expression
    if compiler.figures:
        customers = with_figures(customers, todays)
    if compiler.annotations:
        customers = customers.alias(**compiler.annotations)
    if condition:
        customers = customers.filter(condition)
    names = {key: f"figure_{index}" for index, key in enumerate(figures)}
    customers = customers.annotate(**{names[key]: value for key, value in figures.items()})
    return customers, names


def criteria_leaves(tree: dict | None):
    """The rules of a tree, groups flattened, in order."""
    for rule in (tree or {}).get("rules", []):
        if "rules" in rule:
            yield from criteria_leaves(rule)
        else:
            yield rule


def lookup_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in LOOKUPS.items()]


def describe_rule(rule: dict, fields: dict[str, CriterionField]) -> str:
    """A rule in words, for the segment list ("Tags is Key account")."""
    criterion = fields.get(rule.get("field"))
    label = str(criterion.label) if criterion else rule.get("field")
    lookup = str(LOOKUPS.get(rule.get("lookup"), rule.get("lookup")))
    value = rule.get("value")
    if rule.get("lookup") == "is_empty":
        return f"{label} {lookup}" if value else f"{label} {gettext('is not empty')}"
    if criterion is not None and criterion.choices is not None:  # labels, not codes
        labels = dict(criterion.choices())
        value = (
            [labels.get(v, v) for v in value]
            if isinstance(value, list)
            else labels.get(value, value)
        )
    if criterion is not None and criterion.type == DATE and isinstance(value, str):
        with suppress(ValueError):  # stored in ISO 8601, read in the reader's language
            value = date_format(date.fromisoformat(value))
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return f"{label} {lookup} {value}"
