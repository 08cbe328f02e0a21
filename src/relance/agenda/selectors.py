"""Reads of actions."""

from datetime import date

from django.db.models import QuerySet

from relance.agenda.models import Action

EXPORT_COLUMNS = (
    "id",
    "entity",
    "customer_external_id",
    "customer_name",
    "scenario",
    "step",
    "channel",
    "mode",
    "status",
    "reason",
    "reference_number",
    "created_on",
    "due_date",
    "finished_on",
    "responsible",
)
_EXPORT_FIELDS = (
    "id",
    "entity__slug",
    "customer__external_id",
    "customer__name",
    "scenario__name",
    "step_name",
    "channel",
    "mode",
    "status",
    "reason",
    "reference__number",
    "created_on",
    "due_date",
    "finished_on",
    "responsible__username",
)


def action_export_rows(
    *,
    entity=None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    """One tuple per action in EXPORT_COLUMNS order; dates filter on the due date."""
    actions = Action.objects.all()
    if entity is not None:
        actions = actions.filter(entity=entity)
    if status:
        actions = actions.filter(status=status)
    if date_from:
        actions = actions.filter(due_date__gte=date_from)
    if date_to:
        actions = actions.filter(due_date__lte=date_to)
    return actions.order_by("entity__slug", "due_date", "id").values_list(*_EXPORT_FIELDS)
