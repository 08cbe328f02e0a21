import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from relance.payments import gateway, services

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs its body instead (gateway.event_verify)
@login_not_required
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's news of checkout sessions: 400 on a body it did not sign (Stripe retries,
    a forger learns nothing), 200 on everything it signed, handled or not."""
    try:
        event = gateway.event_verify(request.body, request.headers.get("Stripe-Signature"))
    except gateway.InvalidEvent as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponse(status=400)
    services.stripe_event_handle(event)
    return HttpResponse(status=200)
