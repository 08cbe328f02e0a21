"""Polling the mailboxes from the beat (every 5 minutes, config/celery.py), and the
assistant's reading of each reply captured."""

import logging

from celery import shared_task

import relance.config.celery  # noqa: F401 - the configured app is the current one

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def inbound_fetch_mailboxes() -> int:
    """Fetch every active IMAP mailbox; answers how many emails were stored. A mailbox that
    cannot be read is logged (and kept on its cursor); the others are read all the same."""
    from relance.inbound.fetching import mailboxes_fetch

    stored = 0
    for summary in mailboxes_fetch():
        stored += summary.stored
        if summary.error:
            logger.warning("mailbox of %s not read: %s", summary.entity, summary.error)
    return stored


@shared_task(ignore_result=True)
def inbound_propose(response_id: int) -> None:
    """The assistant's proposal for a reply just captured (inbound/services.py). A failure
    is logged: the email and its response are stored already, and the response's page
    asks the assistant again when it is opened."""
    from relance.agenda.models import CustomerResponse
    from relance.assistant.services import proposal_create

    response = CustomerResponse.objects.filter(pk=response_id).first()
    if response is None:
        return
    try:
        proposal_create(response=response)
    except Exception:
        logger.exception("assistant: no proposal for response %s", response_id)
