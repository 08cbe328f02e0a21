"""Polling the mailboxes from the beat (every 5 minutes, config/celery.py)."""

import logging

from celery import shared_task

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
