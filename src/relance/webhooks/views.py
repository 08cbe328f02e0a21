"""Webhooks: the entity's subscriptions, each with its delivery log, a "send test" button and
the replay of a delivery. Administrators and credit managers only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relance.scenarios.forms import add_service_errors
from relance.webhooks import selectors, services
from relance.webhooks.forms import SubscriptionForm


def subscription_list(request):
    selectors.require_webhook_manager(request.user)
    subscriptions = selectors.subscriptions_for_user(request.user)
    return render(request, "webhooks/list.html", {"subscriptions": subscriptions})


def subscription_form(request, pk: int | None = None):
    """Create a subscription (no pk: its secret is shown once, on the next page) or change one."""
    selectors.require_webhook_manager(request.user)
    subscription = selectors.subscription_for_user(request.user, pk) if pk else None
    initial = {}
    if subscription is not None:
        initial = {
            "url": subscription.url,
            "events": subscription.events,
            "description": subscription.description,
            "is_active": subscription.is_active,
        }
    form = SubscriptionForm(
        request.POST or None, user=request.user, subscription=subscription, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if subscription is None:
                subscription, secret = services.subscription_create(
                    entity=data["entity"],
                    url=data["url"],
                    events=data["events"],
                    description=data["description"],
                    acting_user=request.user,
                )
                return _show_secret(request, subscription, secret)
            services.subscription_update(
                subscription=subscription,
                url=data["url"],
                events=data["events"],
                description=data["description"],
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect(subscription.get_absolute_url())
    status = 400 if form.errors else 200
    context = {"form": form, "subscription": subscription}
    return render(request, "webhooks/form.html", context, status=status)


def _show_secret(request, subscription, secret: str):
    context = {
        "subscription": subscription,
        "secret": secret,
        "log": selectors.delivery_log(subscription),
    }
    return render(request, "webhooks/detail.html", context)


def subscription_detail(request, pk: int):
    selectors.require_webhook_manager(request.user)
    subscription = selectors.subscription_for_user(request.user, pk)
    context = {"subscription": subscription, "log": selectors.delivery_log(subscription)}
    return render(request, "webhooks/detail.html", context)


@require_POST
def subscription_rotate(request, pk: int):
    selectors.require_webhook_manager(request.user)
    subscription = selectors.subscription_for_user(request.user, pk)
    secret = services.subscription_secret_rotate(subscription=subscription)
    messages.warning(request, _("A new signing secret was made: the former one no longer signs."))
    return _show_secret(request, subscription, secret)


@require_POST
def subscription_test(request, pk: int):
    selectors.require_webhook_manager(request.user)
    subscription = selectors.subscription_for_user(request.user, pk)
    delivery = services.subscription_test(subscription=subscription)
    if delivery.status == "delivered":
        messages.success(
            request,
            _("Test delivered: the receiver answered %(status)s.")
            % {"status": delivery.response_status},
        )
    else:
        messages.error(request, _("Test failed: %(error)s") % {"error": delivery.error})
    return redirect(subscription.get_absolute_url())


@require_POST
def subscription_delete(request, pk: int):
    selectors.require_webhook_manager(request.user)
    subscription = selectors.subscription_for_user(request.user, pk)
    subscription.delete()
    messages.success(request, _("Webhook deleted: its deliveries are forgotten."))
    return redirect("webhooks:list")


@require_POST
def delivery_replay(request, pk: int):
    selectors.require_webhook_manager(request.user)
    delivery = selectors.delivery_for_user(request.user, pk)
    services.delivery_replay(delivery=delivery)
    messages.success(request, _("The event will be sent again."))
    return redirect(delivery.subscription.get_absolute_url())
