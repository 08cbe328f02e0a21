"""The agenda ("Collections"): three action tabs sharing one set of filters kept in the
session, and the action page where a collector works an action (the responses tab and its
operations: response_views.py).

List views declare (ObjectListView); operation views parse one form and call one service.
Everything is scoped through `Action.objects.visible_to(user)`; read-only users see but get
403 on every POST.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from relance.accounts.choices import Role
from relance.agenda import forms, selectors, services
from relance.agenda.choices import OPEN_STATUSES, ActionStatus, AgendaTab
from relance.agenda.filtersets import ActionFilterSet
from relance.agenda.models import Action
from relance.agenda.tables import TAB_COLUMNS, ActionTable
from relance.core.tables import StreamingData
from relance.core.views import COUNT_LIMIT, CountedPaginator, ObjectListView
from relance.customers.models import Customer
from relance.customers.selectors import visible_entity_todays
from relance.scenarios.choices import LETTER_CHANNELS, StepChannel, StepMode
from relance.templating.choices import Channel
from relance.templating.context import signing_user
from relance.templating.render import RenderError
from relance.templating.render import render as render_template
from relance.templating.sanitize import sanitize_sent_html

FILTERS_SESSION_KEY = "agenda_filters"
# Query parameters that are not filters: they never go into the session.
LIST_PARAMS = frozenset({"page", "sort", "export", "per_page"})
ACTION_TABS = (AgendaTab.MANUAL, AgendaTab.AUTOMATIC, AgendaTab.HISTORY)
ERRORS_PER_PAGE = 50


def require_actor(user) -> None:
    if not user.can_edit:
        raise PermissionDenied(_("Read-only users cannot act on actions."))


def submitted_filters(request) -> QueryDict:
    """The filters in the query string (the list parameters are not filters)."""
    submitted = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in LIST_PARAMS:
            submitted.setlist(key, values)
    return submitted


def agenda_filters(request) -> QueryDict:
    """The filters of the action tabs: those submitted, else the remembered ones, else "my
    actions" for a collector. An explicit reset remembers none. AgendaView remembers the
    submitted ones once they hold."""
    submitted = submitted_filters(request)
    if submitted:
        return submitted
    stored = request.session.get(FILTERS_SESSION_KEY)
    if stored is not None:
        return QueryDict(stored)
    if request.user.role == Role.COLLECTOR:
        return QueryDict(f"collector={request.user.pk}")
    return QueryDict()


def agenda_reset(request):
    """Forget the agenda's filters (no collector preset either) and go back to a tab."""
    request.session[FILTERS_SESSION_KEY] = ""
    tab = request.GET.get("tab")
    return redirect(f"agenda:{tab if tab in AgendaTab.values else AgendaTab.MANUAL}")


class AgendaView(ObjectListView):
    """One of the three action tabs; `tab` comes from the URL."""

    filterset_class = ActionFilterSet
    template_name = "agenda/agenda.html"
    partial_template_name = "agenda/_action_results.html"
    export_exclude = ("select",)
    tab = AgendaTab.MANUAL

    @property
    def export_name(self):
        return f"actions-{self.tab}"

    @cached_property
    def todays(self):
        return visible_entity_todays(self.request.user)

    @cached_property
    def filter_data(self) -> QueryDict:
        return agenda_filters(self.request)

    def get_filter_data(self):
        return self.filter_data

    def get_filterset(self, data):
        filterset = super().get_filterset(data)
        submitted = submitted_filters(self.request)
        if submitted and filterset.is_valid():
            self.request.session[FILTERS_SESSION_KEY] = submitted.urlencode()
        return filterset

    def invalid_filters(self, filterset):
        if submitted_filters(self.request):
            return super().invalid_filters(filterset)
        # Remembered filters that no longer hold (a collector who left, a segment deleted)
        # or the collector preset of a collector without actions: none, and forget them.
        self.request.session[FILTERS_SESSION_KEY] = ""
        self.filter_data = QueryDict()
        return self.get_filterset(self.filter_data)

    def get_queryset(self):
        return selectors.agenda_tab_queryset(self.request.user, self.tab, self.todays)

    def get_table(self, queryset, *, export: bool):
        data = StreamingData(queryset) if export else queryset
        if self.tab != AgendaTab.MANUAL or export:
            return ActionTable(data, tab=self.tab, todays=self.todays)
        # The manual tab ticks letters to print them merged (agenda:letters-pdf).
        table = ActionTable(
            data, tab=self.tab, todays=self.todays, sequence=("select", *TAB_COLUMNS[self.tab])
        )
        table.exclude = tuple(name for name in table.exclude if name != "select")
        return table

    def export_query(self) -> str:
        query = self.filter_data.copy()
        if self.request.GET.get("sort"):
            query["sort"] = self.request.GET["sort"]
        return query.urlencode()

    def counters(self, filterset) -> dict[str, int]:
        """The tabs' counters under the same filters, in one query over open actions."""
        if not hasattr(self, "_counters"):
            base = selectors.agenda_base_queryset(self.request.user)
            open_actions = filterset.filter_queryset(base).filter(finished_on__isnull=True)
            self._counters = selectors.agenda_counters(open_actions, self.todays)
        return self._counters

    def get_paginate(self, filterset, table) -> dict:
        paginate = {**super().get_paginate(filterset, table), "paginator_class": CountedPaginator}
        if self.tab == AgendaTab.HISTORY:
            return {**paginate, "limit": COUNT_LIMIT}
        # An open tab's rows are what its "scheduled" counter counts: no second count.
        return {**paginate, "count": self.counters(filterset)[f"{self.tab}_total"]}

    def get_context_data(self, **context):
        return {
            **context,
            "tab": self.tab,
            "tabs": AgendaTab,
            "counters": self.counters(context["filterset"]),
            "can_act": self.request.user.can_edit,
        }


def engine_errors(request):
    """The engine errors tab: customers the daily run could not plan, write or send for.
    The run went on for the others; each row stays until a run plans its customer again."""
    errors = selectors.engine_errors(request.user)
    page = Paginator(errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"tab": AgendaTab.ERRORS, "tabs": AgendaTab, "page": page}
    return render(
        request, "agenda/engine_errors.html", {**context, "error_count": page.paginator.count}
    )


def customer_timeline(request, pk: int):
    """The timeline card of a customer page, loaded by htmx so that the page's own queries
    stay bounded."""
    customer = Customer.objects.select_related("entity").get_for_user(request.user, pk=pk)
    timeline = selectors.customer_timeline(customer)
    # Times of day in the entity's zone, like its dates.
    context = {"timeline": timeline, "zone": customer.entity.time_zone}
    return render(request, "agenda/_customer_timeline.html", context)


# The action page -------------------------------------------------------------------------


def _tab_of(action) -> str:
    if action.status not in OPEN_STATUSES:
        return AgendaTab.HISTORY
    return AgendaTab.MANUAL if action.mode == StepMode.MANUAL else AgendaTab.AUTOMATIC


def _rendered(action, viewer):
    """The step's message as it will leave (no PDF here: the page links to it), signed as
    the send will sign it."""
    template = action.step.template if action.step else None
    if template is None:
        return None, ""
    try:
        rendered = render_template(
            template,
            action.customer,
            action=action,
            user=signing_user(template, viewer),
            today=action.entity.today(),
            pdf=False,
        )
    except RenderError as exc:
        return None, str(exc)
    return rendered, ""


SENDABLE_CHANNELS = (StepChannel.EMAIL, StepChannel.SMS)


def _send_form(action, rendered, bound):
    """The editable message of an open manual email or SMS (None when it is not one): the
    rendered subject and body, which the user may change before sending."""
    if bound is not None:
        return bound
    if action.mode != StepMode.MANUAL or action.channel not in SENDABLE_CHANNELS:
        return None
    if rendered is None:
        return None
    is_email = action.channel == StepChannel.EMAIL
    initial = {"subject": rendered.subject, "body": rendered.html if is_email else rendered.text}
    return forms.SendForm(channel=action.channel, initial=initial)


def _errors(form) -> list[str]:
    return [error for errors in form.errors.values() for error in errors] if form else []


def _sent_html(sent) -> str:
    """A sent email's HTML, safe to put in the page (sanitized again: it is shown here, in
    the application's origin, not in a mail client)."""
    return mark_safe(sanitize_sent_html(sent.html)) if sent and sent.html else ""


def _detail(request, action, status=200, **bound_forms):
    is_open = action.status in OPEN_STATUSES
    today = action.entity.today()
    # An open action shows its message as it will leave, rendered now; a finished one what
    # left (its outbox row), never today's figures; nothing when no message left.
    rendered, render_error = _rendered(action, request.user) if is_open else (None, "")
    sent = None if is_open else selectors.sent_message(action)
    proofs = selectors.message_proofs(sent) if sent else []
    is_call = action.channel == StepChannel.CALL
    can_act = request.user.can_edit and is_open
    context = {
        "action": action,
        "tab": _tab_of(action),
        "today": today,
        "promise_broken": bool(action.reference and action.reference.promise_broken(today)),
        "rendered": rendered,
        "render_error": render_error,
        "sent": sent,
        "sent_html": _sent_html(sent),
        "proofs": proofs,
        "is_letter": bool(rendered and rendered.channel == Channel.LETTER),
        "is_open": is_open,
        "is_call": is_call,
        # When the automatic action leaves (the send tick), or would once confirmed.
        "departure": selectors.departure_label(action, if_confirmed=True) if is_open else "",
        "can_act": can_act,
        "send_form": _send_form(action, rendered, bound_forms.get("send")) if can_act else None,
        # A send refused because the action is no longer open: no form, but the reason.
        "send_refused": None if can_act else _errors(bound_forms.get("send")),
        "instructions": action.step.instructions if action.step else "",
        # Whom a collector calls or writes to: the collection contacts first.
        "contacts": action.customer.contacts.order_by("-is_collection", "last_name", "id"),
        "complete_form": bound_forms.get("complete") or forms.CompleteForm(),
        "skip_form": bound_forms.get("skip") or forms.SkipForm(),
        "reschedule_form": bound_forms.get("reschedule")
        or forms.RescheduleForm(initial={"due_date": action.due_date}),
        "reassign_form": bound_forms.get("reassign")
        or forms.ReassignForm(entity=action.entity, initial={"responsible": action.responsible}),
        "outcome_form": bound_forms.get("outcome") or forms.CallOutcomeForm(),
    }
    return render(request, "agenda/action_detail.html", context, status=status)


def action_detail(request, pk: int):
    return _detail(request, selectors.action_for_user(request.user, pk))


def action_pdf(request, pk: int):
    """A letter action's PDF, as it will be printed."""
    action = selectors.action_for_user(request.user, pk)
    template = action.step.template if action.step else None
    if template is None or template.channel != Channel.LETTER:
        raise Http404("This action has no letter.")
    rendered = render_template(
        template,
        action.customer,
        action=action,
        user=signing_user(template, request.user),
        today=action.entity.today(),
    )
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="action-{action.pk}.pdf"'
    return response


@require_POST
def actions_letters_pdf(request):
    """The letters of the actions ticked in the manual tab, merged into one PDF to print.

    Only the user's own (visible) letter actions with a letter template count; the others
    ticked are ignored. Nothing is marked done: printing is not sending."""
    from relance.templating.letters import letters_pdf  # WeasyPrint loads on first use

    ids = _posted_ids(request)
    actions = (
        selectors.agenda_base_queryset(request.user)
        .filter(pk__in=ids, channel__in=LETTER_CHANNELS, step__template__channel=Channel.LETTER)
        .select_related("step__template", "customer__entity", "customer__collector")
    )
    letters = [
        render_template(
            action.step.template,
            action.customer,
            action=action,
            user=signing_user(action.step.template, request.user),
            today=action.entity.today(),
            pdf=False,
            issue_links=True,  # printed to be posted: a real link to the customer's page
        )
        for action in _in_order(actions, ids)
    ]
    if not letters:
        messages.error(request, _("Tick at least one letter action to print."))
        return redirect("agenda:manual")
    response = HttpResponse(letters_pdf(letters), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letters-{len(letters)}.pdf"'
    return response


def _posted_ids(request) -> list[int]:
    """The ticked actions' ids, in the order of the screen (the order the form posts them)."""
    return list(dict.fromkeys(int(v) for v in request.POST.getlist("actions") if v.isdigit()))


def _in_order(actions, ids: list[int]) -> list:
    """`actions` in the order of `ids`: the merged PDF and the posting list follow the screen."""
    by_id = {action.pk: action for action in actions}
    return [by_id[pk] for pk in ids if pk in by_id]


@require_POST
def actions_letters_done(request):
    """The letters ticked in the manual tab, posted: first a page listing them with a field
    for each tracking number (typed, or scanned: a scanner's Enter moves to the next field),
    then, when that page is sent (`confirm`), all marked done at once."""
    require_actor(request.user)
    ids = _posted_ids(request)
    actions = _in_order(
        selectors.agenda_base_queryset(request.user).filter(
            pk__in=ids,
            channel__in=services.POSTED_CHANNELS,
            status__in=OPEN_STATUSES,
        ),
        ids,
    )
    if not actions:
        messages.error(request, _("Tick at least one letter to mark as posted."))
        return redirect("agenda:manual")
    form = forms.LettersDoneForm(
        request.POST if "confirm" in request.POST else None, actions=actions
    )
    if form.is_valid():
        try:
            done = services.actions_letters_done(
                actions=Action.objects.filter(pk__in=[a.pk for a in actions]),
                tracking_numbers=form.tracking_numbers(),
                acting_user=request.user,
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            count = len(done)
            messages.success(
                request,
                ngettext(
                    "%(count)s letter marked as posted.",
                    "%(count)s letters marked as posted.",
                    count,
                )
                % {"count": count},
            )
            return redirect("agenda:history")
    context = {"form": form, "rows": form.rows(), "tab": AgendaTab.MANUAL}
    return render(request, "agenda/letters_done.html", context, status=400 if form.errors else 200)


def _operate(request, pk, name, form_class, call, success, *, back_to_tab=False):
    """Parse `form_class`, call `call(action, cleaned_data)`; the page again on errors."""
    require_actor(request.user)
    action = selectors.action_for_user(request.user, pk)
    form = form_class(request.POST, **_form_kwargs(form_class, action))
    if form.is_valid():
        try:
            action = call(action, form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
            # A failed send leaves the action in error: the page shows it as it is now.
            action = selectors.action_for_user(request.user, pk)
        else:
            messages.success(request, success)
            if back_to_tab:
                return redirect(f"agenda:{_tab_of_open_or_history(action)}")
            return redirect("agenda:action-detail", pk=action.pk)
    return _detail(request, action, status=400, **{name: form})


def _form_kwargs(form_class, action) -> dict:
    if form_class is forms.ReassignForm:
        return {"entity": action.entity}
    if form_class is forms.SendForm:
        return {"channel": action.channel}
    return {}


def _tab_of_open_or_history(action) -> str:
    # A finished action leaves its tab: back to the tab it was in.
    return AgendaTab.MANUAL if action.mode == StepMode.MANUAL else AgendaTab.AUTOMATIC


@require_POST
def action_complete(request, pk: int):
    return _operate(
        request,
        pk,
        "complete",
        forms.CompleteForm,
        lambda a, data: services.action_done(action=a, acting_user=request.user, **data),
        _("Action done."),
        back_to_tab=True,
    )


@require_POST
def action_send(request, pk: int):
    """A manual email or SMS sent with the text the user edited, then marked sent."""
    # delivery sits above agenda: imported on use, as the engine does.
    from relance.delivery.services import action_send_edited

    return _operate(
        request,
        pk,
        "send",
        forms.SendForm,
        lambda a, data: action_send_edited(action=a, acting_user=request.user, **data),
        _("Message sent."),
        back_to_tab=True,
    )


@require_POST
def action_skip(request, pk: int):
    return _operate(
        request,
        pk,
        "skip",
        forms.SkipForm,
        lambda a, data: services.action_skip(action=a, acting_user=request.user, **data),
        _("Action skipped."),
        back_to_tab=True,
    )


@require_POST
def action_reschedule(request, pk: int):
    return _operate(
        request,
        pk,
        "reschedule",
        forms.RescheduleForm,
        lambda a, data: services.action_reschedule(action=a, acting_user=request.user, **data),
        _("Action rescheduled."),
    )


@require_POST
def action_reassign(request, pk: int):
    return _operate(
        request,
        pk,
        "reassign",
        forms.ReassignForm,
        lambda a, data: services.action_reassign(action=a, acting_user=request.user, **data),
        _("Action reassigned."),
    )


@require_POST
def action_call_outcome(request, pk: int):
    return _operate(
        request,
        pk,
        "outcome",
        forms.CallOutcomeForm,
        lambda a, data: services.action_call_outcome(action=a, acting_user=request.user, **data),
        _("Call recorded."),
        back_to_tab=True,
    )


@require_POST
def action_confirm(request, pk: int):
    require_actor(request.user)
    action = selectors.action_for_user(request.user, pk)
    try:
        action = services.action_confirm(action=action, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        when = selectors.departure_label(action)
        messages.success(
            request,
            _("Action confirmed: it leaves %(when)s.") % {"when": when}
            if when
            else _("Action confirmed."),
        )
    return redirect("agenda:action-detail", pk=action.pk)


@require_POST
def action_retry(request, pk: int):
    require_actor(request.user)
    action = selectors.action_for_user(request.user, pk)
    try:
        action = services.action_retry(action=action, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        when = selectors.departure_label(action)
        messages.success(
            request,
            _("Action put back in line: it leaves %(when)s.") % {"when": when}
            if when
            else _("Action put back in line: the next run executes it."),
        )
    return redirect("agenda:action-detail", pk=action.pk)


@require_POST
def action_confirm_many(request):
    """The actions ticked in the automatic tab, confirmed at once."""
    require_actor(request.user)
    ids = [value for value in request.POST.getlist("actions") if value.isdigit()]
    actions = selectors.agenda_base_queryset(request.user).filter(
        pk__in=ids, status=ActionStatus.TO_CONFIRM
    )
    try:
        confirmed = services.action_confirm_many(actions=actions, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        count = len(confirmed)
        when = selectors.first_departure_label(confirmed)
        if when:
            text = ngettext(
                "%(count)s action confirmed: it leaves %(when)s.",
                "%(count)s actions confirmed: the first leaves %(when)s.",
                count,
            ) % {"count": count, "when": when}
        else:
            text = ngettext(
                "%(count)s action confirmed.", "%(count)s actions confirmed.", count
            ) % {"count": count}
        messages.success(request, text)
    return redirect("agenda:automatic")
