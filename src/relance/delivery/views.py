"""The providers' status callbacks: no session and no CSRF token (a provider cannot have
them); the connector's secret token in the URL authenticates the call."""

import json
import secrets

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from relance.delivery.connectors import outbox_status_update
from relance.delivery.models import Connector

ID_FIELDS = ("MessageSid", "SmsSid", "id", "provider_id", "message_id")
STATUS_FIELDS = ("MessageStatus", "SmsStatus", "status")
REASON_FIELDS = ("ErrorMessage", "reason", "error", "ErrorCode")


def _payload(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


def _first(data: dict, names) -> str:
    return next((str(data[name]) for name in names if data.get(name) not in (None, "")), "")


@csrf_exempt
@login_not_required
@require_POST
def status_callback(request, connector_id: int, token: str):
    connector = get_object_or_404(Connector, pk=connector_id)
    if not secrets.compare_digest(connector.callback_token, token):
        raise Http404
    data = _payload(request)
    provider_id, status = _first(data, ID_FIELDS), _first(data, STATUS_FIELDS)
    if not provider_id or not status:
        return JsonResponse({"error": "id and status are required"}, status=400)
    proof = data.get("proof") if isinstance(data.get("proof"), dict) else {}
    if data.get("acknowledgement"):  # a registered letter's acknowledgement of receipt
        proof = {**proof, "acknowledgement": str(data["acknowledgement"])}
    outbox = outbox_status_update(
        connector=connector,
        provider_id=provider_id,
        status=status,
        reason=_first(data, REASON_FIELDS),
        proof=proof,
    )
    if outbox is None:
        return JsonResponse({"error": "unknown message"}, status=404)
    return HttpResponse(status=204)
