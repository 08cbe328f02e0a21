"""The pages of received emails: the Unassigned list (emails matched to no customer, each
with "Attach to a customer"), a received email's page (headers, what matched it, its text,
attachments and the raw message as downloads, problems, bounce details), and "mark valid
again" for a contact whose address bounced.

Every email is read through `selectors` (404 for another entity's, as for a missing one);
each operation is a POST from a user who may edit (403 otherwise) calling one service.
"""

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.agenda.choices import AgendaTab
from relance.core.tables import StreamingData
from relance.core.views import ObjectListView
from relance.customers.models import Contact
from relance.customers.services import contact_email_revalidate
from relance.inbound import selectors
from relance.inbound.choices import InboundStatus
from relance.inbound.filtersets import InboundEmailFilterSet
from relance.inbound.forms import AssignForm
from relance.inbound.tables import UnassignedEmailTable

UNASSIGNED_TAB = "unassigned"


def require_editor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Read-only users cannot act on received emails."))


def _back(request, default: str) -> HttpResponseRedirect:
    """Back to `next` when it is a path on this site (the list with its filters), else to
    `default`."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    local = back.startswith("/") and not back.startswith(("//", "/\\"))
    if local and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(back)
    return HttpResponseRedirect(default)


# The Unassigned list ---------------------------------------------------------------------


class UnassignedListView(ObjectListView):
    filterset_class = InboundEmailFilterSet
    template_name = "inbound/unassigned.html"
    partial_template_name = "inbound/_unassigned_results.html"
    export_name = "unassigned-emails"
    export_exclude = ("attach",)

    def get_queryset(self):
        return selectors.unassigned_emails(self.request.user)

    def get_table(self, queryset, *, export: bool):
        data = StreamingData(queryset) if export else queryset
        return UnassignedEmailTable(data, can_edit=self.request.user.can_edit and not export)

    def get_context_data(self, **context):
        return {**context, "tab": UNASSIGNED_TAB, "tabs": AgendaTab}


# A received email ------------------------------------------------------------------------


def bounce_details(email) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """A bounce's recipients as (address, status, reason) and its other facts as (label,
    value), from the details the capture wrote: `{"bounce": {"permanent",
    "original_message_id", "recipients": [{"address", "status", "diagnostic"}]}}`. Other
    keys are shown as they are."""
    details = email.details if isinstance(email.details, dict) else {}
    bounce = details.get("bounce")
    bounce = bounce if isinstance(bounce, dict) else {}
    recipients = bounce.get("recipients") or details.get("recipients") or []
    lines = [
        (str(r.get("address", "")), str(r.get("status", "")), str(r.get("diagnostic", "")))
        for r in recipients
        if isinstance(r, dict)
    ]
    facts = []
    if "permanent" in bounce:
        facts.append(
            (
                _("Failure"),
                _("permanent: the address is invalid")
                if bounce["permanent"]
                else _("temporary: the server will try again"),
            )
        )
    if bounce.get("original_message_id"):
        facts.append((_("Message that bounced"), str(bounce["original_message_id"])))
    facts.extend(
        (str(key), str(value))
        for key, value in details.items()
        if key not in ("bounce", "recipients")
    )
    return lines, facts


def _service_errors(exc: ValidationError, labels: dict) -> str:
    """A service's refusal as one line, each message after the label of its field."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for field, messages_ in exc.message_dict.items():
        label = labels.get(field, "")
        parts.extend(f"{label}: {message}" if label else message for message in messages_)
    return " ".join(parts)


def email_detail(request, pk: int):
    email = selectors.inbound_email_for_user(request.user, pk)
    can_act = request.user.can_edit and email.status != InboundStatus.ASSIGNED
    bounces, facts = bounce_details(email)
    context = {
        "email": email,
        "tab": UNASSIGNED_TAB,
        "tabs": AgendaTab,
        "statuses": InboundStatus,
        "attachments": email.attachments.all(),
        "bounces": bounces,
        "other_details": facts,
        "problems": [str(problem) for problem in email.problems or []],
        "can_act": can_act,
        "suggested": selectors.suggested_customers(request.user, email) if can_act else [],
        "next": request.get_full_path(),
    }
    return render(request, "inbound/email_detail.html", context)


def _download(field_file, filename: str) -> FileResponse:
    """A stored file as a download, never shown inline in the application's origin."""
    if not field_file:
        raise Http404("No file.")
    try:
        handle = field_file.open("rb")
    except OSError as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def email_raw(request, pk: int):
    """The message exactly as received (.eml), to users of its entity."""
    email = selectors.inbound_email_for_user(request.user, pk)
    return _download(email.raw, f"email-{email.pk}.eml")


def attachment_download(request, pk: int):
    attachment = selectors.inbound_attachment_for_user(request.user, pk)
    name = PurePosixPath(attachment.filename or attachment.file.name).name or "attachment"
    return _download(attachment.file, name)


def customer_choices(request, pk: int):
    """The chooser's customers (htmx): those of the email's entity matching `q`."""
    email = selectors.inbound_email_for_user(request.user, pk)
    query = request.GET.get("q", "")[:100]
    context = {
        "email": email,
        "customers": selectors.customer_choices(request.user, email, query),
        "searched": True,
    }
    return render(request, "inbound/_customer_choices.html", context)


@require_POST
def email_assign(request, pk: int):
    """Attach an email to the chosen customer (its response is created, the sender added as
    a contact if asked), then back to the list or the email's page with a message."""
    from relance.inbound.services import inbound_email_assign

    require_editor(request.user)
    email = selectors.inbound_email_for_user(request.user, pk)
    back = _back(request, default=_list_url())
    form = AssignForm(request.POST, email=email, user=request.user)
    if not form.is_valid():
        messages.error(request, form.errors_line())
        return back
    customer = form.cleaned_data["customer"]
    try:
        inbound_email_assign(
            email=email,
            customer=customer,
            add_contact=form.cleaned_data["add_contact"],
            acting_user=request.user,
        )
    except ValidationError as exc:
        labels = {name: field.label for name, field in form.fields.items()}
        messages.error(request, _service_errors(exc, labels))
    else:
        messages.success(
            request,
            _("The email from %(sender)s is attached to %(customer)s.")
            % {"sender": email.sender or _("an unknown sender"), "customer": customer.name},
        )
    return back


@require_POST
def email_ignore(request, pk: int):
    """Set aside an email nobody needs to attach (spam, a newsletter): status ignored."""
    from relance.inbound.services import inbound_email_ignore

    require_editor(request.user)
    email = selectors.inbound_email_for_user(request.user, pk)
    try:
        inbound_email_ignore(email=email, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Email ignored: it left the unassigned list."))
    return _back(request, default=_list_url())


def _list_url() -> str:
    from django.urls import reverse

    return reverse("inbound:unassigned")


# Contacts whose address bounced ----------------------------------------------------------


@require_POST
def contact_revalidate(request, pk: int):
    """Clear a contact's "email address invalid" mark (the customer says the address works
    again): its emails are sent again from the next run."""
    require_editor(request.user)
    contact = Contact.objects.select_related("customer").get_for_user(request.user, pk=pk)
    contact_email_revalidate(contact=contact, acting_user=request.user)
    messages.success(
        request,
        _("%(address)s is valid again: emails are sent to it from the next run.")
        % {"address": contact.email},
    )
    return _back(request, default=contact.customer.get_absolute_url())
