"""The proofs providers give about a letter: PDFs (base64) in their answers, callbacks and
polls, kept as Proof rows with the message instead of in its JSON `proof`; a tracking number
a print-and-mail provider gives a registered letter becomes the action's, with the carrier
of its entity's country (relance.core.carriers), as one a collector typed."""

import base64
import binascii
import hashlib
import logging

from django.db.models import Q

from relance.agenda.models import Action
from relance.core.carriers import carrier_for_country, is_tracking_number, normalize_tracking_number
from relance.delivery.choices import PROOF_DOCUMENT_KEYS
from relance.delivery.models import Outbox, Proof

logger = logging.getLogger(__name__)


def _decoded(value) -> bytes | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def proofs_store(outbox: Outbox, proof: dict | None, provider_status: str = "") -> dict:
    """Store the documents of `proof` (a provider's answer about `outbox`) once each, and
    answer `proof` without them. Call inside the transaction that records the answer."""
    proof = dict(proof or {})
    rows = []
    for key, kind in PROOF_DOCUMENT_KEYS.items():
        if key not in proof:
            continue
        content = _decoded(proof.pop(key))
        if content is None:
            logger.warning("outbox %s: the provider's %s is no base64 document", outbox.pk, key)
            continue
        rows.append(
            Proof(
                outbox_id=outbox.pk,
                kind=kind,
                provider_status=(provider_status or "")[:30],
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    if rows:
        Proof.objects.bulk_create(rows, ignore_conflicts=True)
    _tracking_number_record(outbox, proof.get("tracking_number"))
    return proof


def _tracking_number_record(outbox: Outbox, value) -> None:
    """The provider's tracking number on the action, unless it already has one."""
    number = normalize_tracking_number(str(value or ""))
    if not is_tracking_number(number):
        return
    action = Action.objects.select_related("entity").get(pk=outbox.action_id)
    if action.tracking_number:
        return
    Action.objects.filter(Q(pk=action.pk), Q(tracking_number="")).update(
        tracking_number=number, carrier=carrier_for_country(action.entity.country).code
    )
