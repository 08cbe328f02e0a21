"""Idempotency keys on the API's writes: a client that retries a request with the same
`Idempotency-Key` header and the same body gets the first answer back, and nothing is
written twice; the same key with another body is refused (422). Only successful answers
are kept: a request that failed may be retried as it is once fixed elsewhere."""

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from relance.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = "This Idempotency-Key was used for another request."
    default_code = "idempotency_key_reused"


def fingerprint(request) -> str:
    """The method, path, query and body of `request`, hashed (the body as canonical JSON,
    so that the order of its keys does not matter)."""
    try:
        body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    except TypeError:
        body = repr(request.data)
    seen = f"{request.method} {request.get_full_path()}\n{body}"
    return hashlib.sha256(seen.encode()).hexdigest()


def _replay(stored: IdempotentRequest, seen: str) -> Response:
    if stored.fingerprint != seen:
        raise KeyReused(_("This Idempotency-Key was used for another request."))
    response = Response(stored.body, status=stored.status)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(handler):
    """Decorate a view method that writes. The key's row is inserted first, in the same
    transaction as the write: a concurrent retry waits on it, then replays the answer."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "")
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise exceptions.ValidationError({HEADER: [_("At most 255 printable characters.")]})
        seen = fingerprint(request)
        stored = IdempotentRequest.objects.filter(user=request.user, key=key).first()
        if stored is not None:
            return _replay(stored, seen)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(
                        user=request.user, key=key, fingerprint=seen, status=0
                    )
            except IntegrityError:
                stored = IdempotentRequest.objects.get(user=request.user, key=key)
                return _replay(stored, seen)
            response = handler(view, request, *args, **kwargs)
            if not 200 <= response.status_code < 300:
                transaction.set_rollback(True)
                return response
            record.status = response.status_code
            record.body = json.loads(JSONRenderer().render(response.data) or b"null")
            record.save(update_fields=["status", "body"])
        return response

    return wrapper
