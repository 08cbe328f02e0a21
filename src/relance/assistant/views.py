"""The assistant's panel on a response's page (loaded by htmx) and what a collector does
with its proposal: accept, correct, dismiss. Responses are read through
agenda.selectors.response_for_user (404 for another entity's); operations need a user who
may edit (403 otherwise), call one service, and go back to the response's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from relance.agenda import selectors
from relance.agenda.views import require_actor
from relance.assistant import services
from relance.assistant.forms import CorrectForm
from relance.ledger.models import Item


def _open_items(response):
    return Item.objects.filter(customer_id=response.customer_id, open_amount__gt=0).order_by(
        "due_date", "number"
    )


@require_GET
def proposal_panel(request, pk: int):
    response = selectors.response_for_user(request.user, pk)
    proposal = services.proposal_create(response=response)
    proposed = list(proposal.items.order_by("due_date", "number"))
    form = CorrectForm(
        items=_open_items(response),
        initial={
            "intent": proposal.intent,
            "dispute_reason": proposal.dispute_reason,
            "document": proposal.document,
            "day": proposal.promised_on or proposal.paid_on,
            "items": [item.pk for item in proposed],
        },
        auto_id="proposal_%s",
    )
    context = {
        "response": response,
        "proposal": proposal,
        "proposed_items": proposed,
        "form": form,
        "can_act": request.user.can_edit,
    }
    return render(request, "assistant/_proposal.html", context)


def _operate(request, pk: int, call, success: str):
    require_actor(request.user)
    response = selectors.response_for_user(request.user, pk)
    try:
        call(services.proposal_create(response=response), response)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success)
    return redirect("agenda:response-detail", pk=response.pk)


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        labels = {name: field.label for name, field in CorrectForm.base_fields.items()}
        labels.update(
            promised_on=_("Date (promised or paid)"), paid_on=_("Date (promised or paid)")
        )
        return " ".join(
            f"{labels.get(name, name)}: {' '.join(error.messages)}"
            if name != "__all__"
            else " ".join(error.messages)
            for name, errors in exc.error_dict.items()
            for error in errors
        )
    return " ".join(exc.messages)


@require_POST
def proposal_accept(request, pk: int):
    return _operate(
        request,
        pk,
        lambda proposal, _r: services.proposal_accept(proposal=proposal, acting_user=request.user),
        _("The assistant's reading is recorded."),
    )


@require_POST
def proposal_dismiss(request, pk: int):
    return _operate(
        request,
        pk,
        lambda proposal, _r: services.proposal_dismiss(proposal=proposal, acting_user=request.user),
        _("The assistant's reading is dismissed."),
    )


@require_POST
def proposal_correct(request, pk: int):
    def correct(proposal, response):
        form = CorrectForm(request.POST, items=_open_items(response), auto_id="proposal_%s")
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        data = form.cleaned_data
        services.proposal_correct(
            proposal=proposal,
            intent=data["intent"],
            dispute_reason=data["dispute_reason"],
            document=data["document"],
            day=data["day"],
            item_ids=[item.pk for item in data["items"]],
            acting_user=request.user,
        )

    return _operate(
        request, pk, correct, _("Your reading is recorded; the assistant learns from it.")
    )
