"""Entity scoping: the one place that decides what a user may see."""

from django.db import connections, models
from django.http import Http404


def in_visible_entities(queryset, path: str, user) -> models.Q:
    """`path` (an entity's id) among the entities `user` sees. On PostgreSQL as
    `= ANY(ARRAY(subquery))`: the ids are computed once, then each row is an index probe,
    where `IN (subquery)` is planned as a hash join over every row (the agenda's filters of a
    collector at 100,000 customers: ~100 ms, then under 1 ms; benchmarks/bench_load.py)."""
    entity_ids = user.entities.order_by().values("pk")
    if connections[queryset.db].vendor != "postgresql":
        return models.Q(**{f"{path}__in": entity_ids})
    from django.contrib.postgres.expressions import ArraySubquery

    any_of = models.Func(
        models.F(path),
        ArraySubquery(entity_ids),
        arg_joiner=" = ANY(",
        template="(%(expressions)s))",
        output_field=models.BooleanField(),
    )
    return models.Q(any_of)


class EntityScopedQuerySet(models.QuerySet):
    """A queryset over rows that belong to an entity through `entity_path`."""

    entity_path = "entity"

    def visible_to(self, user) -> "EntityScopedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_entities:
            return self
        return self.filter(in_visible_entities(self, self.entity_path, user))

    def get_for_user(self, user, **lookup):
        """The object if it exists and the user may see it; the same 404 otherwise."""
        try:
            return self.visible_to(user).get(**lookup)
        except self.model.DoesNotExist as exc:
            raise Http404(f"No {self.model._meta.verbose_name} matches the given query.") from exc


class SharedOrEntityQuerySet(EntityScopedQuerySet):
    """Rows shared by every entity (`entity` empty) or restricted to one: templates,
    scenarios, segments. A user sees the shared ones and those of the entities they see."""

    def visible_to(self, user) -> "SharedOrEntityQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_entities:
            return self
        return self.filter(
            models.Q(entity__isnull=True) | in_visible_entities(self, "entity", user)
        )

    def for_entity(self, entity) -> "SharedOrEntityQuerySet":
        """The rows usable for the customers of `entity`."""
        return self.filter(models.Q(entity__isnull=True) | models.Q(entity=entity))


class EntityQuerySet(EntityScopedQuerySet):
    entity_path = "pk"
