"""Letters a user hands to the connectors from the agenda: the manual tab's selection in
bulk, an e-registered letter from its page (a dialog to choose the recipient), and the
providers' proofs downloaded from the history. Each operation calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.agenda import selectors
from relance.agenda.models import Action
from relance.customers.models import Contact
from relance.delivery import services
from relance.delivery.forms import HandOverForm
from relance.delivery.models import Proof


def _require_actor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Read-only users cannot act on actions."))


def _posted_ids(request) -> list[int]:
    """The ticked actions' ids in the order of the screen."""
    return list(dict.fromkeys(int(v) for v in request.POST.getlist("actions") if v.isdigit()))


def _contacts_by_customer(actions) -> dict[int, list]:
    contacts = {}
    rows = Contact.objects.filter(customer_id__in={a.customer_id for a in actions})
    for contact in rows.order_by("id"):
        contacts.setdefault(contact.customer_id, []).append(contact)
    return contacts


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_POST
def letters_hand_over(request):
    """The letters ticked in the manual tab, handed to the connectors: first a page listing
    them (an e-registered letter with its recipient to choose), then, once confirmed, one
    submission per letter and the outcome of each."""
    _require_actor(request.user)
    ids = _posted_ids(request)
    visible = selectors.agenda_base_queryset(request.user).filter(
        pk__in=ids, channel__in=services.HANDED_CHANNELS
    )
    by_id = {a.pk: a for a in visible}
    actions = [by_id[pk] for pk in ids if pk in by_id]
    if not actions:
        messages.error(
            request, _("Tick at least one letter to hand to the print-and-mail service.")
        )
        return redirect("agenda:manual")
    confirmed = "confirm" in request.POST
    form = HandOverForm(
        request.POST if confirmed else None,
        actions=actions,
        contacts=_contacts_by_customer(actions),
    )
    if confirmed and form.is_valid():
        try:
            results = services.letters_hand_over(
                actions=actions, acting_user=request.user, recipients=form.recipients()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return render(request, "delivery/letters_handed_over.html", {"results": results})
    context = {"form": form, "rows": form.rows()}
    status = 400 if form.errors else 200
    return render(request, "delivery/letters_hand_over.html", context, status=status)


@require_POST
def action_ereg_send(request, pk: int):
    """An e-registered letter sent from its page to the contact chosen in the dialog, then
    completed (sent)."""
    _require_actor(request.user)
    action = selectors.action_for_user(request.user, pk)
    form = HandOverForm(request.POST, actions=[action], contacts=_contacts_by_customer([action]))
    if form.is_valid():
        try:
            [result] = services.letters_hand_over(
                actions=[action], acting_user=request.user, recipients=form.recipients()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if result.sent:
                messages.success(request, _("Electronic registered letter sent."))
            elif result.action.status == "error":
                messages.error(
                    request,
                    _("The letter was not sent: %(reason)s")
                    % {"reason": result.action.error_message},
                )
            else:
                messages.info(request, _("This letter was already sent: it is not sent again."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("agenda:action-detail", pk=action.pk)


def proof_download(request, pk: int):
    """A provider's proof of a letter (PDF), for users who see its action."""
    visible = Action.objects.visible_to(request.user)
    proof = Proof.objects.filter(pk=pk, outbox__action__in=visible).select_related("outbox").first()
    if proof is None:
        raise Http404("No such proof.")
    response = HttpResponse(bytes(proof.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{proof.filename}"'
    return response
