"""My alerts: the user's rules with their counts, a rule's customers, create and delete."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.alerts import selectors, services
from relance.alerts.forms import AlertRuleForm


def alert_list(request):
    form = AlertRuleForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        rule = services.alert_rule_create(owner=request.user, **form.cleaned_data)
        services.alert_rule_evaluate(rule=rule)
        messages.success(request, _("Alert created."))
        return redirect("alerts:list")
    rules = selectors.rules_for_user(request.user)
    status = 400 if form.errors else 200
    return render(request, "alerts/list.html", {"rules": rules, "form": form}, status=status)


def alert_detail(request, pk: int):
    rule = selectors.rule_for_user(request.user, pk)
    hits = selectors.latest_hits(rule)
    return render(request, "alerts/detail.html", {"rule": rule, "hits": hits})


@require_POST
def alert_delete(request, pk: int):
    rule = selectors.rule_for_user(request.user, pk)
    services.alert_rule_delete(rule=rule)
    messages.success(request, _("Alert deleted."))
    return redirect("alerts:list")
