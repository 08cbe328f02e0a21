"""Reads: the templates a user may see, and the per-customer contexts that rendering uses."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.db.models import F, Prefetch, QuerySet

from relance.countries.selectors import late_terms, schedules
from relance.customers.models import Contact, Customer
from relance.ledger.models import Item
from relance.templating.context import CustomerContext, item_line
from relance.templating.hashtags import file_data_uri
from relance.templating.models import MessageTemplate, TemplateVariant

ITEM_FIELDS = ("customer_id", "kind", "number", "issue_date", "due_date", "amount")
ITEM_FIELDS += ("open_amount", "currency")
PREVIEW_SEARCH_LIMIT = 10


def template_list(user) -> QuerySet:
    return (
        MessageTemplate.objects.visible_to(user)
        .select_related("entity", "updated_by")
        .prefetch_related("variants")
    )


def template_detail(user, pk: int) -> MessageTemplate:
    """The template with its variants, or the same 404 when missing or not visible."""
    return (
        MessageTemplate.objects.select_related("entity")
        .prefetch_related("variants")
        .get_for_user(user, pk=pk)
    )


def template_by_name(name: str) -> MessageTemplate:
    return MessageTemplate.objects.prefetch_related("variants").get(name=name)


def variant_queryset() -> QuerySet:
    return TemplateVariant.objects.order_by("language")


def _todays(customers: list[Customer], today: date | Mapping[int, date] | None) -> dict:
    entities = {customer.entity_id: customer.entity for customer in customers}
    if isinstance(today, date):
        return dict.fromkeys(entities, today)
    given = dict(today or {})
    return {pk: given.get(pk) or entity.today() for pk, entity in entities.items()}


CONTACT_ORDER = ("customer_id", "-is_collection", "last_name", "first_name", "id")


def contacts_of_customers(ids: list[int]) -> dict[int, list[Contact]]:
    """Each customer's contacts, its collection contacts first (the first one is the one a
    message names: `build_contexts`); one query."""
    contacts: dict[int, list[Contact]] = {pk: [] for pk in ids}
    for contact in Contact.objects.filter(customer_id__among=ids).order_by(*CONTACT_ORDER):
        contacts[contact.customer_id].append(contact)
    return contacts


def build_contexts(
    customers: Iterable[Customer],
    today: date | Mapping[int, date] | None = None,
    *,
    user=None,
    actions: Mapping[int, object] | None = None,
    issue_links: bool = False,
    contacts: Mapping[int, list[Contact]] | None = None,
) -> dict[int, CustomerContext]:
    """The rendering context of each customer (keyed by id) in a fixed number of queries:
    open items, contacts and each entity's logo are read for all customers at once.

    `today` is one date, a mapping entity id -> date, or None for each entity's own today.
    Customers should come with `select_related("entity", "collector")`. `issue_links` is
    for messages that leave: their #interactive_* hashtags then issue real page links.
    `contacts` (from contacts_of_customers) spares reading the contacts when the caller has.
    """
    customers = list(customers)
    ids = [customer.pk for customer in customers]
    todays = _todays(customers, today)
    items: dict[int, list] = {pk: [] for pk in ids}
    rows = (
        Item.objects.filter(customer_id__among=ids, open_amount__gt=0)
        .order_by("customer_id", F("due_date").asc(nulls_last=True), "issue_date", "number")
        .values(*ITEM_FIELDS)
    )
    entity_of = {customer.pk: customer.entity_id for customer in customers}
    for row in rows.iterator(chunk_size=5000):
        items[row["customer_id"]].append(item_line(row, todays[entity_of[row["customer_id"]]]))
    if contacts is None:
        contacts = contacts_of_customers(ids)
    chosen = {pk: found[0] for pk, found in contacts.items() if found}
    logos = {customer.entity_id: customer.entity for customer in customers}
    logos = {pk: file_data_uri(entity.logo) for pk, entity in logos.items()}
    actions = actions or {}
    tables = schedules() if customers else {}  # the rate tables, read at most once
    return {
        customer.pk: CustomerContext(
            customer=customer,
            entity=customer.entity,
            today=todays[customer.entity_id],
            items=items[customer.pk],
            contact=chosen.get(customer.pk),
            user=user,
            action=actions.get(customer.pk),
            logo_data_uri=logos[customer.entity_id],
            issue_links=issue_links,
            terms=late_terms(customer.entity, customer, tables),
        )
        for customer in customers
    }


def customer_context(
    customer: Customer, today: date | None = None, *, user=None, action=None, issue_links=False
):
    contexts = build_contexts(
        [customer], today, user=user, actions={customer.pk: action}, issue_links=issue_links
    )
    return contexts[customer.pk]


def preview_customers(user, query: str, template: MessageTemplate | None = None) -> QuerySet:
    """Customers `user` may see whose name or number contains `query`, for the preview."""
    customers = Customer.objects.visible_to(user).select_related("entity")
    if template is not None and template.entity_id:
        customers = customers.filter(entity_id=template.entity_id)
    if query:
        from django.db.models import Q

        customers = customers.filter(Q(name__icontains=query) | Q(external_id__icontains=query))
    return customers.order_by("name", "id")[:PREVIEW_SEARCH_LIMIT]


def prefetch_variants() -> Prefetch:
    return Prefetch("variants", queryset=variant_queryset())
