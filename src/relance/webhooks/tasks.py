from celery import shared_task

from relance.webhooks import services


@shared_task
def webhooks_deliver_due() -> dict:
    return services.deliveries_deliver_due()


@shared_task
def webhooks_prune() -> int:
    return services.deliveries_prune()
