"""Customers' responses in the agenda: the Responses tab, a response's page with what a
collector does about it (handle, answer by email, accept or reject new contact details, undo
a dispute or promise), its attachment, and the internal comment of the customer page.

Every response is read through `selectors.response_for_user` (404 for another entity's);
each operation is a POST from a user who may edit (403 otherwise) calling one service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.agenda import forms, selectors, services
from relance.agenda.choices import AgendaTab, ResponseChannel, ResponseKind
from relance.agenda.filtersets import ResponseFilterSet
from relance.agenda.tables import ResponseTable, attachment_name, response_details
from relance.agenda.views import require_actor
from relance.core.tables import StreamingData
from relance.core.views import ObjectListView
from relance.customers.models import Customer


class ResponseListView(ObjectListView):
    filterset_class = ResponseFilterSet
    template_name = "agenda/responses.html"
    partial_template_name = "agenda/_response_results.html"
    export_name = "responses"

    def get_queryset(self):
        return selectors.response_queryset(self.request.user)

    def get_table(self, queryset, *, export: bool):
        return ResponseTable(StreamingData(queryset) if export else queryset)

    def get_context_data(self, **context):
        return {**context, "tab": AgendaTab.RESPONSES, "tabs": AgendaTab}


def _detail(request, response, *, answer_form=None, status=200):
    can_act = request.user.can_edit
    templates = selectors.answer_templates(request.user, response)
    context = {
        "response": response,
        "tab": AgendaTab.RESPONSES,
        "tabs": AgendaTab,
        "details": response_details(response),
        "attachment_name": attachment_name(response),
        "can_act": can_act,
        "kinds": ResponseKind,
        "channels": ResponseChannel,
        "can_undo": response.kind in services.UNDOABLE_KINDS,
        "answer_form": answer_form or forms.AnswerForm(templates=templates),
    }
    return render(request, "agenda/response_detail.html", context, status=status)


def response_detail(request, pk: int):
    return _detail(request, selectors.response_for_user(request.user, pk))


def response_attachment(request, pk: int):
    """The file a customer sent with a response: to a user who sees its entity only, always
    as a download (never shown inline in the application's origin)."""
    response = selectors.response_for_user(request.user, pk)
    if not response.attachment:
        raise Http404("This response has no file.")
    try:
        handle = response.attachment.open("rb")
    except OSError as exc:
        raise Http404("The file is missing.") from exc
    file_response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment_name(response),
        content_type="application/octet-stream",
    )
    file_response["X-Content-Type-Options"] = "nosniff"
    return file_response


def _operate(request, pk: int, call, success: str):
    """Call `call(response)` for an editor, then back to the response's page."""
    require_actor(request.user)
    response = selectors.response_for_user(request.user, pk)
    try:
        call(response)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("agenda:response-detail", pk=response.pk)


@require_POST
def response_handle(request, pk: int):
    return _operate(
        request,
        pk,
        lambda r: services.response_handle(response=r, acting_user=request.user),
        _("Response marked handled."),
    )


@require_POST
def response_undo(request, pk: int):
    return _operate(
        request,
        pk,
        lambda r: services.response_undo(response=r, acting_user=request.user),
        _("Undone: the items are dunned again from the next run."),
    )


@require_POST
def response_contact_accept(request, pk: int):
    return _operate(
        request,
        pk,
        lambda r: services.response_contact_accept(response=r, acting_user=request.user),
        _("Contact details saved on the customer."),
    )


@require_POST
def response_contact_reject(request, pk: int):
    return _operate(
        request,
        pk,
        lambda r: services.response_contact_reject(response=r, acting_user=request.user),
        _("Contact details rejected."),
    )


@require_POST
def response_answer(request, pk: int):
    """Answer by email with a chosen template; the page again with the reason on failure."""
    require_actor(request.user)
    response = selectors.response_for_user(request.user, pk)
    templates = selectors.answer_templates(request.user, response)
    form = forms.AnswerForm(request.POST, templates=templates)
    if form.is_valid():
        try:
            services.response_answer(
                response=response, template=form.cleaned_data["template"], acting_user=request.user
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Answer sent."))
            return redirect("agenda:response-detail", pk=response.pk)
    return _detail(request, response, answer_form=form, status=400)


@require_POST
def customer_comment(request, pk: int):
    """An internal comment from the customer page, listed with the responses."""
    require_actor(request.user)
    customer = Customer.objects.get_for_user(request.user, pk=pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.response_comment_create(
                customer=customer, body=form.cleaned_data["body"], acting_user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment."))
    return redirect(customer.get_absolute_url())
