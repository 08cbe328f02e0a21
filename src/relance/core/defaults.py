"""Installation defaults that `relance setup` creates when they are missing.

A default is a function registered here that creates what is absent and returns one line
per thing it created (nothing when all is in place), so that it is safe to run on every
start. Later milestones add their defaults (message templates, scenarios, segments) from a
`defaults.py` module in their own app, which `run_defaults` imports first, as the admin
imports `admin.py` modules:

    from relance.core.defaults import register

    @register(order=200)
    def default_templates() -> list[str]: ...
"""

from collections.abc import Callable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import autodiscover_modules

Default = Callable[[], list[str]]
_REGISTRY: list[tuple[int, str, Default]] = []


def register(func: Default | None = None, *, order: int = 100):
    """Register a default; lower `order` runs first (templates before the scenarios that
    use them). Registering the same function twice keeps one entry."""

    def decorator(func: Default) -> Default:
        name = f"{func.__module__}.{func.__qualname__}"
        if all(registered != name for _order, registered, _func in _REGISTRY):
            _REGISTRY.append((order, name, func))
        return func

    return decorator(func) if func is not None else decorator


def registered() -> list[Default]:
    return [func for _order, _name, func in sorted(_REGISTRY, key=lambda entry: entry[:2])]


def run_defaults() -> list[str]:
    """Run every registered default; the lines say what was created."""
    autodiscover_modules("defaults")
    created = []
    for func in registered():
        created += func()
    return created


def pending_migrations(database: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The migrations not yet applied to the database, as "app.name"."""
    connection = connections[database]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return [
        f"{migration.app_label}.{migration.name}"
        for migration, backwards in executor.migration_plan(targets)
        if not backwards
    ]


DEFAULT_TAGS = ["Key account", "Public sector", "Export"]


@register(order=10)
def default_tags() -> list[str]:
    """The customer tags most installations start with."""
    # Looked up by label: core sits below customers and must not import it.
    tag_model = apps.get_model("customers", "Tag")
    existing = set(tag_model.objects.filter(name__in=DEFAULT_TAGS).values_list("name", flat=True))
    missing = [name for name in DEFAULT_TAGS if name not in existing]
    tag_model.objects.bulk_create([tag_model(name=name) for name in missing])
    return [f"tag {name!r}" for name in missing]
