from celery import shared_task
from django.core.cache import cache

import relance.config.celery  # noqa: F401 - the configured app is the current one
from relance.ledger.choices import ImportStatus
from relance.ledger.models import ImportBatch

PROGRESS_KEY = "import-progress:{}"


def import_progress(batch_id: int) -> tuple[int, int] | None:
    """(rows done, rows in all) of a running import, as last reported."""
    return cache.get(PROGRESS_KEY.format(batch_id))


@shared_task
def import_run(batch_id: int, dry_run: bool) -> None:
    """Validate (dry run) or import the file of an import batch, reporting progress."""
    from relance.ledger.services import import_file

    batch = ImportBatch.objects.select_related("entity", "started_by").get(pk=batch_id)
    key = PROGRESS_KEY.format(batch_id)

    def report(done: int, total: int) -> None:
        cache.set(key, (done, total), timeout=3600)

    try:
        import_file(
            kind=batch.kind,
            path=batch.upload.path,
            entity=batch.entity,
            acting_user=batch.started_by,
            dry_run=dry_run,
            file_name=batch.file_name,
            batch=batch,
            progress=report,
            mapping=batch.mapping,
        )
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED,
            errors=[{"row": None, "column": "", "reason": f"unexpected error: {exc}"}],
        )
        raise
    finally:
        cache.delete(key)
