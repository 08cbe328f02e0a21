"""The demo company: Acme France and Acme Industries, their users, customers and ledgers.

Everything is drawn from the seed and `today`, one random stream per customer, so the same
seed and day give the same data whatever the chunk size. Rows are written a chunk of
customers at a time, with bulk_create, and with `bulk.insert_rows` for the million items of
the 100,000-customer benchmark, which keeps it within memory and a few minutes.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q, Sum
from schwifty import IBAN
from stdnum.fr import siren as fr_siren

from relance.accounts.choices import Role
from relance.accounts.models import User
from relance.agenda.models import Action
from relance.core.models import Entity
from relance.core.services import entity_create
from relance.customers.choices import CustomFieldType, GuaranteeKind
from relance.customers.models import Contact, Customer, CustomField, Tag
from relance.demo import bulk, fakes, ledger, words
from relance.ledger.choices import ItemKind
from relance.ledger.models import Item

PASSWORD = "relance-demo"
URL = "http://127.0.0.1:8000"
CHUNK = 2_000  # customers per round of bulk_create
FRENCH_SHARE = 0.7


@dataclass(frozen=True)
class EntitySpec:
    slug: str
    name: str
    country: str
    currency: str
    customer_prefix: str


ENTITIES = [
    EntitySpec("acme-fr", "Acme France SAS", "FR", "EUR", "411"),
    EntitySpec("acme-uk", "Acme Industries Ltd", "GB", "GBP", "SL"),
]
DEMO_SLUGS = [spec.slug for spec in ENTITIES]


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    entities: tuple[str, ...]  # empty: all entities
    first_name: str
    last_name: str
    language: str
    phone: str


USERS = [
    UserSpec("admin", Role.ADMINISTRATOR, (), "Adrien", "Garnier", "en", "+33199001810"),
    UserSpec("alice", Role.CREDIT_MANAGER, (), "Alice", "Moreau", "fr", "+33199001811"),
    UserSpec("bob", Role.COLLECTOR, ("acme-fr",), "Bob", "Lefèvre", "fr", "+33199001812"),
    UserSpec("carol", Role.COLLECTOR, ("acme-uk",), "Carol", "Whitfield", "en", "+442079460813"),
    UserSpec("dave", Role.READ_ONLY, (), "Dave", "Patel", "en", "+442079460814"),
]
CUSTOM_FIELDS = [
    ("sales_region", "Sales region", CustomFieldType.SELECT, words.SALES_REGIONS, 10),
    ("payment_terms_days", "Payment terms (days)", CustomFieldType.INTEGER, [], 20),
    ("account_opened", "Account opened", CustomFieldType.DATE, [], 30),
]
TAGS = ["Key account", "Public sector", "Export", "New customer", "Watch list"]
INSURERS = ["Allianz Trade", "Coface", "Atradius"]
GUARANTEE_KINDS = [
    GuaranteeKind.BANK_GUARANTEE,
    GuaranteeKind.PARENT_GUARANTEE,
    GuaranteeKind.DEPOSIT,
    GuaranteeKind.STANDBY_LETTER,
]
CREDIT_LIMITS = {  # category: (low, high) in thousands; public bodies have none
    "Key account": (50, 500),
    "SME": (5, 50),
    "Retail": (2, 20),
}


def demo_exists() -> bool:
    return Entity.objects.filter(slug__in=DEMO_SLUGS).exists()


@transaction.atomic
def demo_delete() -> None:
    """Delete the two demo entities and everything in them; users and tags stay."""
    entities = Entity.objects.filter(slug__in=DEMO_SLUGS)
    Action.objects.filter(entity__in=entities).delete()
    Item.objects.filter(entity__in=entities).delete()
    Contact.objects.filter(customer__entity__in=entities).delete()
    Customer.tags.through.objects.filter(customer__entity__in=entities).delete()
    Customer.objects.filter(entity__in=entities).delete()
    entities.delete()


@transaction.atomic
def demo_build(
    *,
    customers: int,
    seed: int,
    today: date,
    progress: Callable[[int, int], None] | None = None,
) -> list[Entity]:
    """Create the demo entities, users and `customers` customers with a year of items."""
    entities = {spec.slug: _entity_create(spec) for spec in ENTITIES}
    _users_upsert(entities)
    tags = {name: Tag.objects.get_or_create(name=name)[0].pk for name in TAGS}
    for name, label, type_, choices, position in CUSTOM_FIELDS:
        CustomField.objects.get_or_create(
            name=name,
            defaults={"label": label, "type": type_, "choices": choices, "position": position},
        )
    french = round(customers * FRENCH_SHARE) if customers > 1 else customers
    done = 0
    for spec, count in zip(ENTITIES, (french, customers - french), strict=True):
        entity = entities[spec.slug]
        collectors = list(
            User.objects.filter(role=Role.COLLECTOR, is_active=True, entities=entity)
            .order_by("username")
            .values_list("pk", flat=True)
        )
        builder = _EntityBuilder(spec, entity, count, seed, today, collectors, tags)
        for start in range(0, count, CHUNK):
            builder.write(range(start, min(count, start + CHUNK)))
            done += min(CHUNK, count - start)
            if progress:
                progress(done, customers)
    return list(entities.values())


def _entity_create(spec: EntitySpec) -> Entity:
    entity = entity_create(
        slug=spec.slug,
        name=spec.name,
        country=spec.country,
        currency=spec.currency,
        **(_french_identity() if spec.country == "FR" else _british_identity()),
    )
    return entity


def _french_identity() -> dict:
    siren = fakes.with_luhn("55208131")
    iban = IBAN.generate("FR", bank_code="30004", branch_code="00820", account_code="00010765432")
    return {
        "siren": siren,
        "siret": fakes.siret_for(siren, 18),
        "vat_number": "FR" + fr_siren.to_tva(siren),
        "iban": iban.compact,
        "bic": "BNPAFRPPXXX",
        "address_line1": "18 rue de la Paix",
        "postal_code": "75002",
        "city": "Paris",
        "email": "relances@acme-fr.example",
        "phone": "+33199001801",
    }


def _british_identity() -> dict:
    iban = IBAN.generate("GB", bank_code="NWBK", branch_code="601613", account_code="48213759")
    return {
        "company_number": "08123456",
        "vat_number": fakes.gb_vat_for(0),
        "iban": iban.compact,
        "bic": "NWBKGB2LXXX",
        "address_line1": "120 Station Road",
        "postal_code": "EC1V 4PW",
        "city": "London",
        "email": "credit.control@acme-uk.example",
        "phone": "+442079460120",
    }


def _users_upsert(entities: dict[str, Entity]) -> list[User]:
    """The demo personas, created or reset to their demo role, limits and password."""
    users = []
    password = make_password(PASSWORD)  # once for all: PBKDF2 takes half a second a hash
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
        user.role = spec.role
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.email = f"{spec.username}@acme.{fakes.EMAIL_DOMAIN}"
        user.phone = spec.phone
        user.language = spec.language
        user.all_entities = not spec.entities
        user.is_superuser = user.is_staff = spec.role == Role.ADMINISTRATOR
        user.is_active = True
        user.password = password
        user.save()
        user.entities.set([entities[slug] for slug in spec.entities])
        users.append(user)
    return users


class TagLink(NamedTuple):
    customer_id: int
    tag_id: int


class ContactRow(NamedTuple):
    """A contact as `bulk.insert_rows` writes it; its address stays empty (the customer's)."""

    customer_id: int
    external_id: str
    first_name: str
    last_name: str
    job_title: str
    email: str
    phone: str
    mobile: str
    country: str
    is_collection: bool
    is_billing: bool
    is_legal: bool
    is_other: bool


class _EntityBuilder:
    """Writes one entity's customers, contacts, tags and items, a chunk at a time."""

    def __init__(self, spec, entity, count, seed, today, collectors, tags):
        self.spec, self.entity, self.count, self.seed, self.today = spec, entity, count, seed, today
        self.collectors, self.tags = collectors, tags
        self.country = spec.country
        self.language = "fr" if spec.country == "FR" else "en"
        self.numbering = ledger.Numbering(ledger.PREFIXES[spec.country])
        self.count_items()

    def stream(self, index: int) -> tuple[random.Random, ledger.Profile, ledger.Sketch]:
        rng = random.Random(f"relance-demo:{self.seed}:{self.spec.slug}:{index}")
        profile = ledger.profile(rng, self.today)
        return rng, profile, ledger.sketch(rng, profile, self.today)

    def count_items(self) -> None:
        """Sketch every customer once so that item numbers can follow issue dates."""
        for index in range(self.count):
            for kind, day in self.stream(index)[2].dated_kinds():
                self.numbering.count(kind, day)
        self.numbering.freeze()

    def write(self, indexes: range) -> None:
        drawn = [(index, *self.stream(index)) for index in indexes]
        customers = [self.customer(index, rng, profile) for index, rng, profile, _s in drawn]
        Customer.objects.bulk_create(customers)
        contacts, tag_links, items = [], [], []
        for customer, (_index, rng, profile, sketch) in zip(customers, drawn, strict=True):
            contacts += self.contacts(rng, customer)
            tag_links += [
                TagLink(customer.pk, self.tags[name])
                for name in self.tag_names(rng, customer, profile)
            ]
            account = ledger.Account(
                self.entity.pk, customer.pk, customer.currency, self.language, profile, sketch
            )
            items += ledger.items(rng, account, self.today, self.numbering)
        # Customers go through bulk_create for their ids; the rest, up to ten rows a
        # customer, through the faster insert_rows.
        bulk.insert_rows(Contact, contacts)
        bulk.insert_rows(Customer.tags.through, tag_links)
        bulk.insert_rows(Item, items)

    def customer(self, index: int, rng: random.Random, profile: ledger.Profile) -> Customer:
        place = fakes.address(rng, self.country)
        name = fakes.company_name(rng, self.country, profile.category, place["city"])
        legal_id = fakes.siren_for(index) if self.country == "FR" else fakes.gb_vat_for(index + 1)
        if self.country == "GB" and profile.category == "Public sector":
            legal_id = ""
        opened = (
            profile.first_day
            if profile.first_day > self.today - timedelta(days=364)
            else (self.today - timedelta(days=rng.randint(400, 15 * 365)))
        )
        on_hold = rng.random() < (0.15 if profile.behaviour == "bad" else 0.01)
        low_high = CREDIT_LIMITS.get(profile.category)
        customer = Customer(
            entity=self.entity,
            external_id=f"{self.spec.customer_prefix}{index + 1:06d}",
            name=name,
            legal_id=legal_id,
            **place,
            country=self.country,
            language=self.language,
            currency=self.entity.currency,
            collector_id=rng.choice(self.collectors)
            if self.collectors and rng.random() < 0.9
            else None,
            category=profile.category,
            custom_field_data={
                "sales_region": self.region(rng, place["city"]),
                "payment_terms_days": profile.terms,
                "account_opened": opened.isoformat(),
            },
            credit_limit=Decimal(rng.randint(*low_high) * 1000) if low_high else None,
            on_hold=on_hold,
            hold_reason=rng.choice(words.HOLD_REASONS[self.language]) if on_hold else "",
            hold_until=self.today + timedelta(days=rng.randint(14, 90))
            if on_hold and rng.random() < 0.5
            else None,
        )
        for name, value in self.credit_cover(index, profile, customer.credit_limit).items():
            setattr(customer, name, value)
        return customer

    def credit_cover(self, index: int, profile: ledger.Profile, limit: Decimal | None) -> dict:
        """Credit insurance for about a third of the customers with a credit limit (some
        expiring soon or lapsed) and a guarantee for a few, drawn from their own stream so
        that the rest of the demo stays as it was."""
        rng = random.Random(f"relance-demo:{self.seed}:{self.spec.slug}:{index}:cover")
        cover = {}
        if limit and rng.random() < 0.35:
            cover["insurer"] = rng.choice(INSURERS)
            share = Decimal(rng.choice((60, 70, 80, 90))) / 100
            cover["insured_amount"] = (limit * share).quantize(Decimal("1"))
            cover["insurance_expires_on"] = self.today + timedelta(days=rng.randint(-20, 330))
        if rng.random() < (0.15 if profile.behaviour == "bad" else 0.05):
            cover["guarantee_kind"] = rng.choice(GUARANTEE_KINDS)
            cover["guarantee_amount"] = Decimal(rng.randint(2, 20) * 500)
        return cover

    def region(self, rng: random.Random, city: str) -> str:
        if city in {"Paris", "London"}:
            return "Capital"
        return rng.choice([region for region in words.SALES_REGIONS if region != "Capital"])

    def tag_names(self, rng, customer: Customer, profile: ledger.Profile) -> list[str]:
        names = []
        if profile.category in {"Key account", "Public sector"}:
            names.append(profile.category)
        if profile.category in {"Key account", "SME"} and rng.random() < 0.12:
            names.append("Export")
        if (
            customer.custom_field_data["account_opened"]
            > (self.today - timedelta(days=365)).isoformat()
        ):
            names.append("New customer")
        if profile.behaviour == "bad" and rng.random() < 0.4:
            names.append("Watch list")
        return names

    def contacts(self, rng: random.Random, customer: Customer) -> list["ContactRow"]:
        count = rng.choices((1, 2, 3), (45, 40, 15))[0]
        roles = ["collection", "legal", "other"][:count]
        if count == 1 or rng.random() < 0.3:  # the collection contact also gets the invoices
            roles[0] = "collection+billing"
        domain = fakes.company_domain(customer.name)
        titles = words.FR_JOB_TITLES if self.country == "FR" else words.GB_JOB_TITLES
        contacts = []
        for position, role in enumerate(roles):
            first_name, last_name = fakes.person(rng, self.country)
            contacts.append(
                ContactRow(
                    customer_id=customer.pk,
                    external_id=f"{customer.external_id}-{position + 1}",
                    first_name=first_name,
                    last_name=last_name,
                    job_title=rng.choice(titles[role.split("+")[0]]),
                    email=fakes.email(first_name, last_name, domain),
                    phone=fakes.landline(rng, self.country, customer.postal_code, customer.city),
                    mobile=fakes.mobile(rng, self.country) if rng.random() < 0.85 else "",
                    country=self.country,
                    is_collection=role.startswith("collection"),
                    is_billing=role.endswith("billing"),
                    is_legal=role == "legal",
                    is_other=role == "other",
                )
            )
        return contacts


def demo_summary() -> dict:
    """Counts and open amounts of the demo entities, for the command's last lines."""
    entities = Entity.objects.filter(slug__in=DEMO_SLUGS).annotate(
        customer_count=Count("customers", distinct=True)
    )
    items = Item.objects.filter(entity__slug__in=DEMO_SLUGS)
    by_kind = dict(items.values_list("kind").annotate(n=Count("id")).order_by("kind"))
    balances = (
        items.filter(open_amount__gt=0)
        .values("currency")
        .annotate(
            receivable=Sum("open_amount", filter=Q(kind=ItemKind.INVOICE)),
            credits=Sum("open_amount", filter=~Q(kind=ItemKind.INVOICE)),
        )
        .order_by("currency")
    )
    return {
        "entities": [(e.slug, e.name, e.currency, e.customer_count) for e in entities],
        "contacts": Contact.objects.filter(customer__entity__slug__in=DEMO_SLUGS).count(),
        "items": by_kind,
        "balances": [
            (row["currency"], row["receivable"] or Decimal(0), row["credits"] or Decimal(0))
            for row in balances
        ],
    }


def logins() -> list[tuple[str, str, str]]:
    """(username, role, entities) of the demo users that exist."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[s.username for s in USERS])
    }
    rows = []
    for spec in USERS:
        user = users.get(spec.username)
        if user is None:
            continue
        scope = "all" if user.sees_all_entities else ", ".join(e.slug for e in user.entities.all())
        rows.append((user.username, user.get_role_display(), scope or "none"))
    return rows
