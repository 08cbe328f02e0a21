"""The demo's collection history: the engine replayed over the last days, so that the
agenda, the customer pages and the history show work done and work to do."""

from datetime import date, timedelta

from django.core import mail
from django.test.utils import override_settings

from relance.core.defaults import run_defaults
from relance.core.models import Entity
from relance.engine.runner import run_day


def demo_collect(*, entities: list[Entity], today: date, days: int) -> dict[str, int]:
    """Give each entity its default scenario (setup may have run before the entities
    existed), then run the engine for each of the `days` days up to `today` included.

    The demo's automatic emails go to an in-memory outbox, never to a mail server."""
    run_defaults()
    sent = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for offset in range(days - 1, -1, -1):
            day = today - timedelta(days=offset)
            for entity in entities:
                entity.refresh_from_db()
                sent += run_day(entity=entity, day=day).sent
            mail.outbox = []
    return {"days": days, "sent": sent}
