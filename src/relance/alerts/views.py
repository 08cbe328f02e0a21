"""My alerts: the user's rules with their counts; a rule's customers with the figures that
matched; create, edit (the segments' rule builder) and delete. Every user keeps their own
alerts, read-only users too (they list customers the owner already sees)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.alerts import selectors, services
from relance.alerts.forms import AlertRuleForm
from relance.scenarios.forms import add_service_errors
from relance.segments.criteria import criterion_fields, lookup_choices
from relance.segments.forms import builder_from_criteria, criteria_from_post


def alert_list(request):
    rules = list(selectors.rules_for_user(request.user))
    fields = criterion_fields()
    for rule in rules:
        rule.sentences = selectors.rule_sentences(rule, fields)
    return render(request, "alerts/list.html", {"rules": rules})


def alert_form(request, pk: int | None = None):
    """Create an alert (no pk) or change one of the user's; saved, it is evaluated at once."""
    alert = selectors.rule_for_user(request.user, pk) if pk else None
    form = AlertRuleForm(request.POST or None, instance=alert)
    criteria = criteria_from_post(request.POST) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        try:
            if alert is None:
                alert = services.alert_rule_create(
                    owner=request.user, criteria=criteria, **form.cleaned_data
                )
            else:
                services.alert_rule_update(rule=alert, criteria=criteria, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            services.alert_rule_evaluate(rule=alert)
            messages.success(request, _("Alert “%(name)s” saved.") % {"name": alert.name})
            return redirect(alert.get_absolute_url())
    if criteria is None:
        criteria = alert.criteria if alert else {}
    context = {
        "form": form,
        "alert": alert,
        "builder": builder_from_criteria(criteria),
        "fields": criterion_fields().values(),
        "lookups": lookup_choices(),
        "can_edit": True,
    }
    status = 400 if form.errors else 200
    return render(request, "alerts/form.html", context, status=status)


def alert_detail(request, pk: int):
    alert = selectors.rule_for_user(request.user, pk)
    fields = criterion_fields()
    context = {
        "alert": alert,
        "sentences": selectors.rule_sentences(alert, fields),
        "rows": selectors.hit_rows(alert, selectors.latest_hits(alert), fields),
    }
    return render(request, "alerts/detail.html", context)


@require_POST
def alert_delete(request, pk: int):
    alert = selectors.rule_for_user(request.user, pk)
    services.alert_rule_delete(rule=alert)
    messages.success(request, _("Alert “%(name)s” deleted.") % {"name": alert.name})
    return redirect("alerts:list")
