"""The customer page as a workbench: hold and release, the scenario set by hand, disputes and
promises on items, the pending action (confirm, reschedule, skip, reassign) and a one-off
message, each an htmx form of the card `agenda/_workbench.html`.

The card is loaded by htmx once the customer page is shown (as the timeline is). An
operation view parses one form and calls one service; on success the page reloads (htmx) or
is redirected to (no script) with the message; on errors htmx gets the card again with the
form's errors, a plain POST the customer page with them as messages. Read-only users see the
card without its forms and get 403 on every POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from relance.agenda import forms, selectors, services
from relance.agenda import workbench_forms as wb
from relance.agenda.choices import OPEN_STATUSES, ActionStatus
from relance.agenda.models import Action
from relance.agenda.views import require_actor
from relance.customers import services as customer_services
from relance.customers.models import Customer
from relance.ledger import services as ledger_services
from relance.ledger.models import Item
from relance.scenarios import services as scenario_services

OPEN_ITEMS_SHOWN = 50
ACTION_FORMS = {
    "skip": lambda data, action: forms.SkipForm(data, prefix="skip"),
    "reschedule": lambda data, action: forms.RescheduleForm(
        data, prefix="reschedule", initial={"due_date": action.due_date}
    ),
    "reassign": lambda data, action: forms.ReassignForm(
        data, prefix="reassign", entity=action.entity, initial={"responsible": action.responsible}
    ),
}


def _customer(request, pk: int) -> Customer:
    return Customer.objects.select_related("entity").get_for_user(request.user, pk=pk)


def _open_action(customer: Customer) -> Action | None:
    return (
        Action.objects.filter(customer=customer, status__in=OPEN_STATUSES)
        .select_related("entity", "responsible")
        .first()
    )


def _open_items(customer: Customer) -> list[Item]:
    return list(
        Item.objects.filter(customer=customer, open_amount__gt=0).order_by(
            "due_date", "issue_date", "number"
        )[:OPEN_ITEMS_SHOWN]
    )


def workbench_context(request, customer: Customer, **bound) -> dict:
    action = _open_action(customer)
    can_act = request.user.can_edit
    context = {
        "customer": customer,
        "today": customer.entity.today(),
        "can_act": can_act,
        "action": action,
        "open_items": _open_items(customer),
        "hold_form": bound.get("hold") or wb.HoldForm(initial=_hold_initial(customer)),
        "scenario_form": bound.get("scenario") or wb.ScenarioForm(customer=customer),
        "items_form": bound.get("items") or wb.ItemsForm(),
        "message_form": bound.get("message")
        or wb.MessageTemplateForm(templates=selectors.one_off_templates(request.user, customer)),
    }
    if action is not None:
        for name, build in ACTION_FORMS.items():
            context[f"{name}_form"] = bound.get(name) or build(None, action)
        context["can_confirm"] = action.status == ActionStatus.TO_CONFIRM
    return context


def _hold_initial(customer: Customer) -> dict:
    if not customer.on_hold:
        return {}
    return {"reason": customer.hold_reason, "until": customer.hold_until}


def customer_workbench(request, pk: int):
    customer = _customer(request, pk)
    return render(request, "agenda/_workbench.html", workbench_context(request, customer))


def _done(request, customer: Customer, text: str):
    messages.success(request, text)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(customer.get_absolute_url())


def _failed(request, customer: Customer, name: str, form):
    """The card again with the form's errors (htmx), else the customer page with them."""
    if request.htmx:
        context = workbench_context(request, customer, **{name: form})
        return render(request, "agenda/_workbench.html", context)
    for error in forms_errors(form):
        messages.error(request, error)
    return redirect(customer.get_absolute_url())


def forms_errors(form) -> list[str]:
    """Every error of `form`, each naming its field."""
    out = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            out.append(f"{label}: {error}" if label else error)
    return out


def _operate(request, pk: int, name: str, form_for, call, success: str):
    """Parse `form_for(customer)`; call `call(customer, cleaned_data)`; the card again on
    errors."""
    require_actor(request.user)
    customer = _customer(request, pk)
    form = form_for(customer)
    if form.is_valid():
        try:
            call(customer, form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            return _done(request, customer, success)
    return _failed(request, customer, name, form)


@require_POST
def customer_hold(request, pk: int):
    return _operate(
        request,
        pk,
        "hold",
        lambda customer: wb.HoldForm(request.POST),
        lambda customer, data: customer_services.customer_hold(
            customer=customer, acting_user=request.user, **data
        ),
        _("Customer put on hold: the next run cancels its pending action."),
    )


@require_POST
def customer_release(request, pk: int):
    require_actor(request.user)
    customer = _customer(request, pk)
    try:
        customer_services.customer_release(customer=customer, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(customer.get_absolute_url())
    return _done(request, customer, _("Customer released: the next run plans its reminders."))


@require_POST
def customer_scenario(request, pk: int):
    return _operate(
        request,
        pk,
        "scenario",
        lambda customer: wb.ScenarioForm(request.POST, customer=customer),
        lambda customer, data: scenario_services.customer_scenario_set(
            customer=customer, scenario=data["scenario"], acting_user=request.user
        ),
        _("Scenario changed: the next run follows it."),
    )


ITEM_SERVICES = {
    wb.ItemsOperation.DISPUTE: (
        lambda customer, data, user: ledger_services.items_dispute_open(
            customer=customer, item_ids=data["items"], reason=data["reason"], acting_user=user
        ),
        gettext_lazy("Dispute opened."),
    ),
    wb.ItemsOperation.CLEAR: (
        lambda customer, data, user: ledger_services.items_dispute_clear(
            customer=customer, item_ids=data["items"], acting_user=user
        ),
        gettext_lazy("Dispute cleared."),
    ),
    wb.ItemsOperation.PROMISE: (
        lambda customer, data, user: ledger_services.items_promise_record(
            customer=customer,
            item_ids=data["items"],
            promise_date=data["promise_date"],
            acting_user=user,
        ),
        gettext_lazy("Promise recorded."),
    ),
}


@require_POST
def customer_items(request, pk: int):
    operation = request.POST.get("items-operation")
    call, success = ITEM_SERVICES.get(operation, ITEM_SERVICES[wb.ItemsOperation.DISPUTE])
    return _operate(
        request,
        pk,
        "items",
        lambda customer: wb.ItemsForm(request.POST),
        lambda customer, data: call(customer, data, request.user),
        str(success),
    )


# The pending action ------------------------------------------------------------------------

ACTION_SERVICES = {
    "skip": (services.action_skip, gettext_lazy("Action skipped.")),
    "reschedule": (services.action_reschedule, gettext_lazy("Action rescheduled.")),
    "reassign": (services.action_reassign, gettext_lazy("Action reassigned.")),
}


def _action_of(request, customer: Customer, action_pk: int) -> Action:
    action = selectors.action_for_user(request.user, action_pk)
    if action.customer_id != customer.pk:
        raise Http404("No action of this customer matches the given query.")
    return action


@require_POST
def customer_action(request, pk: int, action_pk: int, operation: str):
    """Confirm, skip, reschedule or reassign the customer's pending action."""
    require_actor(request.user)
    customer = _customer(request, pk)
    action = _action_of(request, customer, action_pk)
    if operation == "confirm":
        try:
            services.action_confirm(action=action, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(customer.get_absolute_url())
        return _done(request, customer, _("Action confirmed."))
    if operation not in ACTION_SERVICES:
        raise Http404("No such operation.")
    service, success = ACTION_SERVICES[operation]
    return _operate(
        request,
        pk,
        operation,
        lambda customer: ACTION_FORMS[operation](request.POST, action),
        lambda customer, data: service(action=action, acting_user=request.user, **data),
        str(success),
    )


# A one-off message -------------------------------------------------------------------------


def customer_message(request, pk: int):
    """Write a one-off message from a template (GET: chosen in the card; the message as it
    will leave, to edit), then send it (POST): an email or SMS leaves now, a letter is
    answered as its PDF to print."""
    # delivery sits above agenda: imported on use, as the action page does.
    from relance.delivery.oneoff import customer_message_send, one_off_render

    require_actor(request.user)
    customer = _customer(request, pk)
    templates = selectors.one_off_templates(request.user, customer)
    chooser = wb.MessageTemplateForm(request.GET or None, templates=templates)
    data = request.POST if request.method == "POST" else None
    if data is not None:
        chooser = wb.MessageTemplateForm(
            {"message-template": data.get("template")}, templates=templates
        )
    if not chooser.is_valid():
        messages.error(request, " ".join(forms_errors(chooser)) or _("Choose a template."))
        return redirect(customer.get_absolute_url())
    template = chooser.cleaned_data["template"]
    form = wb.OneOffForm(data, templates=templates, channel=template.channel)
    if data is None:
        try:
            rendered = one_off_render(
                customer=customer, template=template, acting_user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(customer.get_absolute_url())
        body = rendered.text if template.channel == "sms" else rendered.html
        initial = {"template": template.pk, "subject": rendered.subject, "body": body}
        form = wb.OneOffForm(templates=templates, channel=template.channel, initial=initial)
    elif form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in ("subject", "body")}
        try:
            pdf = customer_message_send(
                customer=customer, template=template, acting_user=request.user, **fields
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            if pdf is not None:
                response = HttpResponse(pdf, content_type="application/pdf")
                response["Content-Disposition"] = (
                    f'attachment; filename="letter-customer-{customer.pk}.pdf"'
                )
                return response
            messages.success(request, _("Message sent."))
            return redirect(customer.get_absolute_url())
    context = {"customer": customer, "template": template, "form": form}
    return render(
        request, "agenda/customer_message.html", context, status=400 if form.errors else 200
    )


# An item's history -------------------------------------------------------------------------


def item_detail(request, pk: int):
    """An item and every action that carried it (it was their reference invoice), with
    the messages they sent, and what the customer said about it."""
    item = selectors.item_for_user(request.user, pk)
    context = {
        "item": item,
        "customer": item.customer,
        "today": item.entity.today(),
        "history": selectors.item_history(item),
        "responses": item.responses.order_by("-received_at", "-id"),
    }
    return render(request, "agenda/item_detail.html", context)
