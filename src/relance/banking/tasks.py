from celery import shared_task
from django.core.cache import cache

import relance.config.celery  # noqa: F401 - the configured app is the current one
from relance.banking.models import StatementUpload

PROGRESS_KEY = "bank-upload-progress:{}"


def upload_progress(upload_id: int) -> str:
    """The phase a running upload last reported ("read", "match"), or ""."""
    return cache.get(PROGRESS_KEY.format(upload_id)) or ""


@shared_task
def statement_upload_run(upload_id: int) -> None:
    """Import the file of a statement upload, reporting its phase for the page."""
    from relance.banking.services import statement_upload_import

    upload = StatementUpload.objects.select_related("entity", "started_by").get(pk=upload_id)
    key = PROGRESS_KEY.format(upload_id)
    try:
        statement_upload_import(
            upload=upload, progress=lambda phase: cache.set(key, phase, timeout=3600)
        )
    finally:
        cache.delete(key)
