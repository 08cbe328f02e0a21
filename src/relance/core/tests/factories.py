import factory

from relance.core.models import Entity


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"entity-{n}")
    name = factory.Sequence(lambda n: f"Entity {n}")
    country = "FR"
    currency = "EUR"
    language = "fr"
    time_zone = "Europe/Paris"
    holidays_country = factory.LazyAttribute(lambda entity: entity.country)
