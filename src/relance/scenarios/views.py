"""Scenario pages: the list, a scenario with its timeline, its settings, and a side panel
(htmx) to add and edit steps. Everyone logged in reads; administrators and credit managers
edit. Each operation view parses its input and calls one service."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.scenarios import selectors, services
from relance.scenarios.forms import ScenarioForm, StepForm, add_service_errors
from relance.scenarios.models import Step

PANEL = "scenarios/_step_panel.html"


def _require_editor(user) -> None:
    if not user.can_import:
        raise PermissionDenied(_("Only administrators and credit managers edit scenarios."))


def _to_scenario(request, scenario):
    """Back to the scenario page: for htmx, the page's <main> fetched and swapped in place
    (timeline and steps redrawn, no full reload); a redirect otherwise."""
    url = scenario.get_absolute_url()
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Location"] = json.dumps(
            {"path": url, "target": "main", "select": "main", "swap": "outerHTML"}
        )
        return response
    return redirect(url)


def scenario_list(request):
    scenarios = selectors.scenario_list(request.user)
    return render(request, "scenarios/scenario_list.html", {"scenarios": scenarios})


def scenario_detail(request, pk: int):
    scenario = selectors.scenario_detail(request.user, pk)
    steps = list(scenario.steps.all())
    context = {
        "scenario": scenario,
        "steps": steps,
        "timeline": selectors.scenario_timeline(steps),
        "warnings": services.scenario_warnings(scenario, steps),
        "can_edit": request.user.can_import,
    }
    return render(request, "scenarios/scenario_detail.html", context)


def scenario_form(request, pk: int | None = None):
    """Create a scenario (no pk) or edit its settings."""
    _require_editor(request.user)
    scenario = selectors.scenario_detail(request.user, pk) if pk else None
    form = ScenarioForm(request.POST or None, instance=scenario, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if scenario is None:
                scenario = services.scenario_create(acting_user=request.user, **form.cleaned_data)
            else:
                services.scenario_update(
                    scenario=scenario, acting_user=request.user, **form.cleaned_data
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(scenario.get_absolute_url())
    return render(request, "scenarios/scenario_form.html", {"form": form, "scenario": scenario})


@require_POST
def scenario_duplicate(request, pk: int):
    _require_editor(request.user)
    scenario = selectors.scenario_detail(request.user, pk)
    try:
        copy = services.scenario_duplicate(scenario=scenario, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(scenario.get_absolute_url())
    return redirect(copy.get_absolute_url())


@require_POST
def scenario_delete(request, pk: int):
    _require_editor(request.user)
    scenario = selectors.scenario_detail(request.user, pk)
    try:
        services.scenario_delete(scenario=scenario, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(scenario.get_absolute_url())
    messages.success(request, _("Scenario “%(name)s” deleted.") % {"name": scenario.name})
    return redirect("scenarios:list")


def step_form(request, scenario_pk: int | None = None, pk: int | None = None):
    """The side panel: a new step of a scenario, or an existing step; saved through the
    services, their refusals shown on the fields."""
    _require_editor(request.user)
    if pk:
        step = selectors.step_for_user(request.user, pk)
        scenario = step.scenario
    else:
        scenario = selectors.scenario_detail(request.user, scenario_pk)
        step = Step(scenario=scenario)
    form = StepForm(request.POST or None, instance=step, user=request.user, scenario=scenario)
    if request.method == "POST" and form.is_valid():
        try:
            if pk:
                services.step_update(step=step, acting_user=request.user, **form.service_fields())
            else:
                services.step_create(
                    scenario=scenario, acting_user=request.user, **form.service_fields()
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_scenario(request, scenario)
    context = {
        "form": form,
        "scenario": scenario,
        "step": step if pk else None,
        "warnings": services.step_warnings(step) if pk else [],
    }
    template = PANEL if request.htmx else "scenarios/step_form.html"
    return render(request, template, context)


@require_POST
def step_operation(request, pk: int, operation: str):
    """Move up/down, duplicate or delete a step."""
    _require_editor(request.user)
    step = selectors.step_for_user(request.user, pk)
    scenario = step.scenario
    try:
        _operate(request, step, operation)
    except ValidationError as exc:  # a move that puts steps out of order
        messages.error(request, " ".join(exc.messages))
    return _to_scenario(request, scenario)


def _operate(request, step, operation: str) -> None:
    if operation == "up":
        services.step_move(step=step, offset=-1, acting_user=request.user)
    elif operation == "down":
        services.step_move(step=step, offset=1, acting_user=request.user)
    elif operation == "duplicate":
        services.step_duplicate(step=step, acting_user=request.user)
    elif operation == "delete":
        services.step_delete(step=step, acting_user=request.user)
