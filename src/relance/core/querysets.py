"""Entity scoping: the one place that decides what a user may see."""

from django.db import models
from django.http import Http404


class EntityScopedQuerySet(models.QuerySet):
    """A queryset over rows that belong to an entity through `entity_path`."""

    entity_path = "entity"

    def visible_to(self, user) -> "EntityScopedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_entities:
            return self
        return self.filter(**{f"{self.entity_path}__in": user.entities.all()})

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
        return self.filter(models.Q(entity__isnull=True) | models.Q(entity__in=user.entities.all()))

    def for_entity(self, entity) -> "SharedOrEntityQuerySet":
        """The rows usable for the customers of `entity`."""
        return self.filter(models.Q(entity__isnull=True) | models.Q(entity=entity))


class EntityQuerySet(EntityScopedQuerySet):
    entity_path = "pk"
